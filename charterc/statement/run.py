"""`charterc statement` as a use case: a `StatementRequest` in, a `StatementRun` out.

    check the formats -> load and check every charter as at the period's last day
    (`report.run.checked_as_at`) -> find the client in each (id, name or alias) -> per
    service: the projected charge (the agreement's yearly charges, `model.projection`),
    and, with usage files, the period measured by the report engine (`report.engine.
    build_report`) and each availability window's credit -> claims, totals, calendar ->
    the documents (`render.statement`, `statement.calendar`) written by `publish`

Nothing here prints. Semantics: spec section 12 and docs/statement.md.
"""
from __future__ import annotations

import calendar as _calendar
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CharterError
from ..exits import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE
from .usage import UsageAssignment, UsageFileError, assign

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic
    from ..loaders import Loaded
    from ..model.charter import Charter, Client
    from ..model.projection import Facts
    from ..pipeline import PortfolioResult
    from ..report.engine import ReportResult

__all__ = ["PeriodError", "StatementRequest", "StatementRun", "find_client", "parse_period",
           "projected_charge", "run_statement"]

Document = dict[str, Any]

# A statement's windows when the availability objective's are shorter than a month
# (daily, weekly): credits are judged per calendar month (docs/statement.md).
_WINDOW_MONTHS = {"daily": 1, "weekly": 1, "monthly": 1, "quarterly": 3, "yearly": 12}


class PeriodError(CharterError, ValueError):
    """`--period` is not a year, a quarter or a month."""


def parse_period(text: str) -> tuple[date, date, str]:
    """`2026` | `2026-Q2` | `2026-06` -> (first day, last day, label)."""
    value = text.strip()
    try:
        if len(value) == 4 and value.isdigit():
            year = int(value)
            return date(year, 1, 1), date(year, 12, 31), value
        if len(value) == 7 and value[4:6].upper() == "-Q" and value[6] in "1234":
            year, quarter = int(value[:4]), int(value[6])
            first = date(year, 3 * quarter - 2, 1)
            last = _month_end(date(year, 3 * quarter, 1))
            return first, last, f"{year}-Q{quarter}"
        if len(value) == 7 and value[4] == "-":
            first = date(int(value[:4]), int(value[5:]), 1)
            return first, _month_end(first), value
    except ValueError:
        pass
    raise PeriodError(f"{text!r} is not a period: give a year (2026), a quarter (2026-Q2) "
                      "or a month (2026-06)")


def _month_end(day: date) -> date:
    return date(day.year, day.month, _calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True)
class StatementRequest:
    """What a statement is asked for, every option read."""

    client: str                      # an id, a name or an alias
    charters: list[Path]             # files or folders
    start: date                      # first day of the period, inclusive
    end: date                        # last day, inclusive
    label: str                       # "2026-Q2"
    out: Path
    langs: list[str]
    formats: list[str]
    tickets: list[UsageAssignment] = field(default_factory=list)
    outages: list[UsageAssignment] = field(default_factory=list)
    history: list[UsageAssignment] = field(default_factory=list)   # status histories
    columns: dict[str, str] = field(default_factory=dict)
    profile: str | None = None
    input_timezone: str | None = None
    today: date | None = None        # the issue date (default SOURCE_DATE_EPOCH, else clock)
    year: int | None = None          # `--period 2027`: each agreement's year of that label
    exclude_status: tuple[str, ...] | None = None   # statuses out of every figure (None:
    #                                                 cancelled, as `charterc report`)


@dataclass
class StatementRun:
    """What `run_statement` did: warnings, the charters' findings when they stopped it,
    the usage files' diagnostics, the document, the files written, or the problem."""

    warnings: list[str] = field(default_factory=list)
    findings: PortfolioResult | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    document: Document | None = None
    written: list[Path] = field(default_factory=list)
    folder: Path | None = None
    problem: str | None = None
    failed: bool = False             # a usage file could not be read (diagnostics say why)
    others: list[str] = field(default_factory=list)   # charters given that do not serve it

    @property
    def exit_code(self) -> int:
        if self.problem is not None:
            return EXIT_USAGE
        if self.findings is not None or self.failed or self.document is None:
            return EXIT_FINDINGS
        return EXIT_CLEAN


# -- the client ---------------------------------------------------------------------------

def find_client(charter: Charter, query: str) -> list[Client]:
    """The clients of `charter` whose id, name or one of whose aliases is `query`, compared
    as exports are (spec 9.2: case-insensitively, runs of white space as one space)."""
    from ..report.names import fold, texts
    wanted = fold(query)
    return [c for c in charter.clients
            if wanted in {fold(c.id), *(fold(t) for t in texts(c.name)),
                          *(fold(a) for a in c.aliases)}]


def _known_clients(charters: list[Charter]) -> str:
    return "; ".join(f"{ch.id}: " + ", ".join(f"{c.id} ({c.name})" for c in ch.clients)
                     for ch in charters)


# -- projected charges ----------------------------------------------------------------------

def projected_charge(charter: Charter, facts: Facts, client: Client, start: date,
                     end: date) -> Document:
    """The period's share of the yearly charges the client's agreement prints.

    Each day of the period inside the charter's term counts 1/12 of its projection year's
    charge divided by the days of its calendar month: a whole month is a twelfth of the
    year's charge, a quarter three twelfths, a projection year the year's charge exactly.
    Days outside the term are not charged (counted in `days_outside_term`). The sum is
    rounded once, half-even to the cent, as an invoice would be.
    """
    from ..model.projection import projection_year
    from ..model.values import Period, add_period
    term_start, term_stop = charter.period.term
    years = charter.period.years_or_default
    months: dict[int, Fraction] = {}
    outside = 0
    day = start
    while day <= end:
        if term_start <= day < term_stop:
            year = min(max(projection_year(charter, day), 1), years)
            months[year] = months.get(year, Fraction(0)) + Fraction(
                1, _calendar.monthrange(day.year, day.month)[1])
        else:
            outside += 1
        day += timedelta(days=1)
    exact = Fraction(0)
    rows = []
    for year in sorted(months):
        row = facts.table[client.id][year - 1]
        exact += Fraction(row.charge) * months[year] / 12
        first = add_period(charter.period.start, Period(months=12 * (year - 1)))
        stop = add_period(charter.period.start, Period(months=12 * year))
        rows.append({"year": facts.label(year), "from": first.isoformat(),
                     "to": (stop - timedelta(days=1)).isoformat(),
                     "year_charge": float(row.charge),
                     "months": float(round(months[year], 6))})
    charge = facts.money(Decimal(exact.numerator) / Decimal(exact.denominator)
                         if exact else Decimal(0))
    return {"charge": charge, "years": rows, "days_outside_term": outside}


def service_span(charter: Charter, request: StatementRequest) -> tuple[date, date]:
    """The days a service's statement covers: the period's, except for a year period
    (`--period 2027`), which is each agreement's year of that label (its table's row
    `2027`: the term year that starts in 2027, the calendar year for a term starting on
    1 January); a year outside the term is the calendar year."""
    from ..model.values import Period, add_period
    if request.year is None:
        return request.start, request.end
    for y in range(1, charter.period.years_or_default + 1):
        first = add_period(charter.period.start, Period(months=12 * (y - 1)))
        if first.year == request.year:
            stop = add_period(charter.period.start, Period(months=12 * y))
            return first, stop - timedelta(days=1)
    return request.start, request.end


# -- windows --------------------------------------------------------------------------------

def windows(start: date, end: date, kind: str) -> list[tuple[date, date]]:
    """The availability windows of `kind` that meet [start, end], clipped to it: calendar
    months, quarters or years (daily and weekly windows are judged per month)."""
    size = _WINDOW_MONTHS.get(kind, 1)
    out = []
    first = date(start.year, ((start.month - 1) // size) * size + 1, 1)
    while first <= end:
        index = first.month - 1 + size
        following = date(first.year + index // 12, index % 12 + 1, 1)
        out.append((max(first, start), min(following - timedelta(days=1), end)))
        first = following
    return out


# -- running it -----------------------------------------------------------------------------

@dataclass
class _Service:
    loaded: Loaded
    charter: Charter
    client: Client
    reviews: list[str]


def _load(request: StatementRequest, run: StatementRun) -> list[_Service] | None:
    """Every charter checked as at the period's end, and the client in each; None (with
    the findings or the problem in `run`) when that cannot be done."""
    from ..loaders import load_path
    from ..pipeline import PortfolioResult, UsageError, discover, display_path
    from ..report.run import checked_as_at

    try:
        paths = discover(request.charters)
    except UsageError as exc:
        run.problem = str(exc)
        return None
    if not paths:
        run.problem = "no charter file found in " + ", ".join(map(str, request.charters))
        return None
    checked = [checked_as_at(load_path(p, display=display_path(p)), request.end)
               for p in paths]
    stopped = [c for c in checked if c.findings is not None or c.result.charter is None]
    if stopped:
        run.findings = PortfolioResult([c.result for c in stopped])
        return None
    charters = [c.result.charter for c in checked if c.result.charter is not None]
    ids = Counter(ch.id for ch in charters)
    if twice := sorted(i for i, n in ids.items() if n > 1):
        run.problem = f"charter {twice[0]!r} is given twice"
        return None
    services = []
    for item in checked:
        charter = item.result.charter
        assert charter is not None
        found = find_client(charter, request.client)
        if len(found) > 1:
            run.problem = (f"{request.client!r} names {len(found)} clients of charter "
                           f"{charter.id}: " + ", ".join(c.id for c in found))
            return None
        if found:
            services.append(_Service(item.result.loaded, charter, found[0], item.reviews))
    if not services:
        run.problem = (f"client {request.client!r} is in none of the charters given; the "
                       f"clients known are {_known_clients(charters)}")
        return None
    serving = {s.charter.id for s in services}
    run.others = sorted(ids.keys() - serving)
    return services


def _empty_tickets(folder: Path) -> Path:
    path = folder / "no-tickets.csv"
    if not path.exists():
        path.write_text("id,client,priority,opened,first_response,resolved\n",
                        encoding="utf-8")
    return path


def _measure(service: _Service, request: StatementRequest, tickets: Path,
             outages: Path | None, start: date, end: date,
             history: Path | None = None) -> ReportResult:
    from ..pipeline import display_path
    from ..report.engine import build_report
    from ..report.profiles import profile
    return build_report(
        service.charter, service.loaded, tickets=tickets, outages=outages, start=start,
        end=end, columns=request.columns or None, profile=profile(request.profile),
        input_timezone=request.input_timezone, reviews=service.reviews,
        tickets_display=display_path(tickets),
        outages_display=display_path(outages) if outages else None,
        history=history, history_display=display_path(history) if history else None,
        exclude_status=request.exclude_status)


def _objective(entry: dict[str, Any]) -> Document:
    return {key: entry.get(key) for key in ("met", "total", "pending", "attainment", "target")}


def _claim_to(charter: Charter) -> str:
    credits = charter.terms_or_default.credits_or_default
    stated = getattr(credits, "claim_to", None)
    return stated if isinstance(stated, str) and stated.strip() else charter.metadata.owner


def _service(service: _Service, request: StatementRequest, run: StatementRun,
             tickets: Path | None, outages: Path | None, issued: date,
             folder: Path, history: Path | None = None) -> Document | None:
    from ..model.projection import Facts
    from ..model.values import add_period
    from ..render.view import canonical_sha256

    charter, client = service.charter, service.client
    tier = charter.tier_of(client)
    facts = Facts(charter)
    start, end = service_span(charter, request)
    projected = projected_charge(charter, facts, client, start, end)
    currency = charter.business.currency
    entry: Document = {
        "charter": {"id": charter.id, "title": charter.metadata.title,
                    "version": charter.version, "sha256": canonical_sha256(charter.source)},
        "provider": charter.provider.name,
        "client": {"id": client.id, "name": client.name},
        "tier": {"id": tier.id, "name": tier.name},
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "currency": currency,
        "charging": charter.business.charging,
        "projected": {**projected, "charge": float(projected["charge"])},
        "measured": None,
        "claims": [],
    }
    if service.reviews:
        entry["reviews"] = list(service.reviews)
    if tickets is None and outages is None:
        return entry
    measured_tickets = tickets if tickets is not None else _empty_tickets(folder)
    result = _measure(service, request, measured_tickets, outages, start, end, history)
    run.diagnostics.extend([*result.diagnostics, *result.warnings])
    if result.document is None:
        run.failed = True
        return None
    figures = result.document["clients"][client.id]
    skipped = result.client_skipped.get(client.id, 0)
    measured: Document = {
        "tickets": figures["tickets"]["total"] + figures["tickets"]["pending"],
        "charge": figures["charge"],
        "response": _objective(dict(figures["response"])),
        "resolution": _objective(dict(figures["resolution"])),
        "skipped": skipped,
        "windows": [],
        "credit": 0.0,
    }
    if tickets is None:
        measured["tickets"] = None
    availability = tier.objectives.availability
    credit_total = Decimal(0)
    if outages is not None and availability is not None:
        terms = charter.terms_or_default.credits_or_default
        claim_to = _claim_to(charter)
        for first, last in windows(start, end,
                                   availability.window_or_default):
            window: dict[str, Any]
            if (first, last) == (start, end):
                window = dict(figures)
            else:
                # availability and charges that do not count units need no tickets (an
                # empty file in charterc's own columns: not under a profile or --columns)
                full = tickets is not None and (
                    charter.business.charging == "per-unit" or request.profile is not None
                    or bool(request.columns))
                part = _measure(service, request,
                                measured_tickets if full else _empty_tickets(folder),
                                outages, first, last, history if full else None)
                if part.document is None:
                    run.diagnostics.extend(part.diagnostics)
                    run.failed = True
                    return None
                window = dict(part.document["clients"][client.id])
            avail: dict[str, Any] = dict(window["availability"] or {})
            percent = Decimal(str(avail.get("credit_percent") or 0))
            credit = facts.money(Decimal(str(window["charge"])) * percent / 100)
            credit_total += credit
            row = {"from": first.isoformat(), "to": last.isoformat(),
                   "percent": avail.get("percent"), "target": avail.get("target"),
                   "credit_percent": avail.get("credit_percent"),
                   "charge": window["charge"], "credit": float(credit)}
            measured["windows"].append(row)
            if credit > 0:
                lapses = add_period(last, terms.claim_within_or_default)
                entry["claims"].append({
                    "charter": charter.id, "service": charter.metadata.title,
                    "objective": "availability",
                    "window": {"from": row["from"], "to": row["to"]},
                    "measured": row["percent"], "target": row["target"],
                    "credit_percent": row["credit_percent"], "credit": float(credit),
                    "currency": currency,
                    "claim_within": str(terms.claim_within_or_default.text or
                                        terms.claim_within_or_default),
                    "lapses": lapses.isoformat(), "claim_to": claim_to,
                    "open": lapses >= issued})
    measured["credit"] = float(credit_total)
    entry["measured"] = measured
    return entry


def _dates(service: _Service) -> list[Document]:
    """The next review and the last day to give notice before the end of the term."""
    from ..model.values import Period, add_period
    charter = service.charter
    out: list[Document] = []
    if charter.baseline is not None and charter.baseline.next_review is not None:
        out.append({"date": charter.baseline.next_review.isoformat(), "kind": "review",
                    "charter": charter.id, "service": charter.metadata.title})
    notice = charter.terms_or_default.termination_notice_or_default
    stop = charter.period.term[1]
    by = add_period(stop, Period(months=-notice.months, days=-notice.days))
    out.append({"date": by.isoformat(), "kind": "notice", "charter": charter.id,
                "service": charter.metadata.title,
                "term_end": (stop - timedelta(days=1)).isoformat(),
                "notice": str(notice.text or notice),
                "renewal": charter.terms_or_default.renewal_or_default})
    return out


def _money(values: list[Any]) -> float:
    return float(sum((Decimal(str(v)) for v in values), Decimal(0)))


def _totals(services: list[Document], currency: str) -> Document:
    mine = [s for s in services if s["currency"] == currency]
    measured = [s["measured"] for s in mine if s["measured"] is not None]
    return {"currency": currency, "charters": [s["charter"]["id"] for s in mine],
            "projected": _money([s["projected"]["charge"] for s in mine]),
            "measured": _money([m["charge"] for m in measured]) if measured else None,
            "credits": _money([m["credit"] for m in measured]) if measured else None,
            "claims_open": _money([c["credit"] for s in mine for c in s["claims"]
                                   if c["open"]])}


def build_document(request: StatementRequest, services: list[Document],
                   dates: list[Document], issued: date) -> Document:
    """The statement: services, claims, totals per currency, the calendar."""
    counts = Counter(s["currency"] for s in services)
    first = services[0]["currency"]
    currency = max(counts, key=lambda c: (counts[c], c == first))
    claims = [c for s in services for c in s["claims"]]
    calendar = [{"date": c["lapses"], "kind": "claim", "charter": c["charter"],
                 "service": c["service"], "window": c["window"], "credit": c["credit"],
                 "currency": c["currency"], "claim_to": c["claim_to"], "open": c["open"]}
                for c in claims] + dates
    calendar.sort(key=lambda e: (e["date"], e["kind"], e["charter"],
                                 e.get("window", {}).get("from", "")))
    ids = list(dict.fromkeys(s["client"]["id"] for s in services))
    return {
        "client": {"query": request.client, "ids": ids,
                   "names": list(dict.fromkeys(s["client"]["name"] for s in services))},
        "period": {"label": request.label,
                   "agreement_year": request.year is not None,
                   "from": min(s["period"]["from"] for s in services),
                   "to": max(s["period"]["to"] for s in services)},
        "issued": issued.isoformat(),
        "currency": currency,
        "services": services,
        "claims": claims,
        "totals": _totals(services, currency),
        "apart": [_totals(services, other) for other in sorted(counts) if other != currency],
        "calendar": calendar,
    }


def run_statement(request: StatementRequest) -> StatementRun:
    """Check the charters, find the client, measure, write. Never raises for bad input."""
    from ..pipeline.today import SourceDateError, resolve_today
    from ..render.formats import OutputRequestError, check_request

    run = StatementRun()
    try:
        check_request("statement", request.formats, request.langs)
        issued = resolve_today(request.today)
    except (OutputRequestError, SourceDateError) as exc:
        run.problem = str(exc)
        return run
    services = _load(request, run)
    if services is None:
        return run
    ids = [s.charter.id for s in services]
    kept: dict[str, list[UsageAssignment]] = {"--tickets": [], "--outages": [],
                                              "--history": []}
    for option, values in (("--tickets", request.tickets), ("--outages", request.outages),
                           ("--history", request.history)):
        for value in values:
            if value.charter in run.others:
                run.warnings.append(f"{option} {value.charter}={value.path}: left out, charter "
                                    f"{value.charter} does not serve {request.client!r}")
            else:
                kept[option].append(value)
    with tempfile.TemporaryDirectory(prefix="charterc-statement-") as temp:
        folder = Path(temp)
        try:
            tickets = assign(kept["--tickets"], ids, folder, "--tickets")
            outages = assign(kept["--outages"], ids, folder, "--outages")
            history = assign(kept["--history"], ids, folder, "--history")
        except UsageFileError as exc:
            run.problem = str(exc)
            return run
        for option, assigned in (("--tickets", tickets), ("--outages", outages),
                                 ("--history", history)):
            for charter, count in sorted(assigned.left_out.items()):
                run.warnings.append(f"{option}: {count} row(s) for charter {charter!r} left "
                                    "out: it is not one of the statement's charters or does "
                                    "not serve the client")
        entries = []
        for service in services:
            entry = _service(service, request, run, tickets.files.get(service.charter.id),
                             outages.files.get(service.charter.id), issued, folder,
                             history.files.get(service.charter.id))
            if entry is None:
                return run
            entries.append(entry)
    run.document = build_document(request, entries, [d for s in services for d in _dates(s)],
                                  issued)
    try:
        run.written, run.folder = write_statement(run.document, request)
    except (CharterError, OSError) as exc:
        run.problem = f"cannot write the statement: {exc}"
    return run


def write_statement(document: Document, request: StatementRequest) -> tuple[list[Path], Path]:
    """Every file of the statement, written as one set: OUT/<client>/<period>/statement.*"""
    from ..publish.files import write_all
    from ..render.formats import render_set
    from ..render.pdf import PdfProblem

    folder = request.out / document["client"]["ids"][0] / document["period"]["label"]

    def template(fmt: str, lang: str) -> str:
        from ..render.statement import render_statement
        return render_statement(document, lang=lang, fmt=fmt)

    def facts() -> Any:
        from ..render.formats import Attachment, Facts
        from ..render.statement import dumps
        return Facts(author=", ".join(dict.fromkeys(s["provider"]
                                                    for s in document["services"])),
                     created=date.fromisoformat(document["issued"]),
                     attachments=(Attachment("statement.json", dumps(document).encode(),
                                             "The statement as data (charterc statement "
                                             "--format json)"),))

    try:
        made = render_set(request.formats, request.langs, template=template, result=document,
                          facts=facts)
    except PdfProblem as exc:
        raise CharterError(str(exc)) from None
    files = {folder / f"statement{suffix}": data for suffix, data in made.items()}
    write_all(files)
    return list(files), folder
