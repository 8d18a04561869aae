"""`charterc report`: usage files + a checked charter -> report documents -> files.

The pipeline: read the outages (small) -> stream the tickets through `Measure`
(one pass, nothing kept per row) -> availability, charges and credits per client
-> the provider's document (`document.py`) -> one document per client -> JSON
here, Markdown and HTML by `render.py`. Semantics: docs/report.md.
"""
from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..diagnostics import Diagnostic, Severity
from ..errors import CharterError
from ..model.charter import Charter, Tier
from ..model.projection import Facts
from ..publish.files import write_all
from . import document as doc
from .document import Document
from .history import History
from .inputs import (
    Outage,
    Skipped,
    UnreadableFile,
    diagnostic,
    read_history,
    read_outages,
    read_tickets,
)
from .measure import (
    Availability,
    Measure,
    Period,
    PeriodCharge,
    TierClock,
    availability,
    credit_percent,
    period_charge,
    range_period,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..loaders import Loaded
    from .profiles import Instants, Profile

__all__ = [
    "FORMATS",
    "MAX_LISTED",
    "ReportError",
    "ReportResult",
    "build_report",
    "check_formats",
    "write_reports",
]

MAX_LISTED = 1000  # skipped rows listed one by one; all are counted


class Renderer(Protocol):
    """`render.render_report`: a report document -> Markdown or HTML."""

    def __call__(self, document: Document, *, scope: str, lang: str, fmt: str) -> str: ...


class ReportError(CharterError):
    """A report cannot be written as asked (a missing optional renderer, a bad format)."""


@dataclass
class ReportResult:
    """What `build_report` returns: the provider's document (None when the run failed),
    the diagnostics of skipped rows or unreadable files, and the number of rows skipped."""

    document: Document | None
    diagnostics: list[Diagnostic]
    skipped: int
    client_skipped: dict[str, int] = field(default_factory=dict)
    strict: bool = False
    warnings: list[Diagnostic] = field(default_factory=list)  # U107, U108: measured anyway

    @property
    def ok(self) -> bool:
        """False when a file was unreadable, or rows were skipped under --strict."""
        return self.document is not None

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def documents(self) -> dict[str, Document]:
        """scope ("provider" or a client id) -> its document."""
        if self.document is None:
            return {}
        out = {"provider": self.document}
        for cid in self.document["clients"]:
            out[cid] = doc.client_document(self.document, cid, self.client_skipped.get(cid, 0))
        return out


class _Report:
    """The measured period, as `document.py` reads it."""

    def __init__(self, charter: Charter, period: Period, measure: Measure,
                 outages: list[Outage] | None) -> None:
        self.charter, self.period, self.measure = charter, period, measure
        self.facts = measure.facts
        self.tiers: dict[str, Tier] = {}
        for c in charter.clients:
            tier = charter.tier(c.tier)
            assert tier is not None, "the references (R301) checked that a client's tier exists"
            self.tiers[c.id] = tier
        self.ticket_count = sum(u.count for u in measure.usage.values())
        self.charges: dict[str, PeriodCharge] = {
            cid: period_charge(charter, self.facts, u.client, period, u.units)
            for cid, u in measure.usage.items()}
        self.available: dict[str, Availability | None] = {}
        for client in charter.clients:
            tier = self.tiers[client.id]
            figures = None
            if outages is not None and tier.objectives.availability is not None:
                maintenance = tier.maintenance.schedule if tier.maintenance else None
                figures = availability(client, tier, maintenance, outages, period)
            self.available[client.id] = figures
        self.skipped = 0
        self.listed: list[Diagnostic] = []
        self.reviews: list[str] = []
        self.pauses: Document = {}
        self.revision: Document | None = None
        self.usage_columns: tuple[str, ...] = ()  # feature, channel: the ones the file has

    def credit_percent(self, cid: str) -> Decimal:
        figures = self.available[cid]
        return Decimal(0) if figures is None else credit_percent(self.tiers[cid], figures.fraction)

    def charge(self, cid: str) -> Decimal:
        return self.charges[cid].charge

    def credit(self, cid: str) -> Decimal:
        """The band's percent of the period's charge as invoiced (rounded to cents)."""
        return self.facts.money(self.charge(cid) * self.credit_percent(cid) / 100)

    def availability_entry(self, cid: str) -> Document | None:
        figures = self.available[cid]
        if figures is None:
            return None
        objective = self.tiers[cid].objectives.availability
        assert objective is not None and objective.target is not None  # measured: see __init__
        return {"percent": doc.attained(figures.fraction),
                "target": doc.percent(objective.target.value),
                "credit_percent": doc.percent(self.credit_percent(cid)),
                "downtime_minutes": doc.minutes(figures.downtime),
                "window_minutes": doc.minutes(figures.window),
                "excluded_minutes": doc.minutes(figures.excluded)}


def _clocks(charter: Charter) -> dict[str, TierClock]:
    return {t.id: TierClock(t, t.hours.schedule, t.hours.zone) for t in charter.tiers}


def pause_statuses(charter: Charter) -> list[str]:
    """Every status some objective's clock pauses on (normalised, sorted)."""
    return sorted({status for tier in charter.tiers for objective in tier.objectives
                   for status in objective.pause_on})


def _no_history(charter: Charter, loaded: Loaded | None) -> Diagnostic:
    """U107 at the first `pause_on` of the charter."""
    pointer = next(f"{o.pointer}/pause_on" for t in charter.tiers for o in t.objectives
                   if o.pause_on)
    line, column = loaded.sources.locate(pointer) if loaded is not None else (0, 0)
    file = loaded.file if loaded is not None else charter.id
    return Diagnostic("U107", Severity.WARNING,
                      "the charter pauses clocks on ticket statuses (pause_on) but no status "
                      "history was given: measured without pauses", file, line, column,
                      pointer, "give the status history with --history FILE (id, at, status)")


def _unpaid(charter: Charter, measure: Measure, display: str,
            column: int) -> list[Diagnostic]:
    """U108 for every ticket on a feature its client's tier does not include."""
    names = {f.id: f.name for f in charter.features}
    out = []
    for cid, usage in measure.usage.items():
        tier = charter.tier(usage.client.tier)
        assert tier is not None
        for _opened, ident, feature, line in usage.unpaid:
            what = f"feature {feature!r}" + (f" ({names[feature]})" if names.get(feature) else
                                             "" if feature in names else
                                             ", not a feature of the charter,")
            out.append(diagnostic(
                "U108", display, line, column,
                f"ticket {ident} of client {cid} is for {what} outside its tier {tier.id}",
                f"unpaid work: move {cid} to a tier that includes it, add it to tier "
                f"{tier.id}'s features, or refuse such tickets"))
    out.sort(key=lambda d: d.line)
    return out


def _read_outages(charter: Charter, path: Path, display: str, period: Period,
                  columns: dict[str, str] | None, instants: Instants,
                  skip: Callable[[Skipped], None]) -> list[Outage]:
    """The outages that overlap the period (the file is small; kept whole)."""
    kept = []
    for outage in read_outages(path, display, tiers=[t.id for t in charter.tiers],
                               clients=[c.id for c in charter.clients], mapping=columns,
                               instants=instants):
        if isinstance(outage, Skipped):
            skip(outage)
        elif outage.end > period.start and outage.start < period.end:
            kept.append(outage)
    return kept


def _read_history(log: History, path: Path, display: str, columns: dict[str, str] | None,
                  profile: Profile | None, instants: Instants,
                  skip: Callable[[Skipped], None]) -> None:
    remember = log.add
    for change in read_history(path, display, mapping=columns, profile=profile,
                               instants=instants):
        if isinstance(change, Skipped):
            skip(change)
        else:
            remember(change.id, change.at, change.status)


class _Skips:
    """Counts the skipped rows (per client too) and lists the first MAX_LISTED."""

    def __init__(self, charter: Charter) -> None:
        self.count = 0
        self.per_client = {c.id: 0 for c in charter.clients}
        self.listed: list[Diagnostic] = []

    def __call__(self, row: Skipped) -> None:
        self.count += 1
        if row.client is not None:
            self.per_client[row.client] += 1
        if len(self.listed) < MAX_LISTED:
            self.listed.append(row.diagnostic)


class _Irregular(CharterError):
    """Stands for `columnar.Irregular` where the columnar module is not imported."""


def _rows(charter: Charter, period: Period, tickets: Path, display: str,
          history: Path | None, history_display: str | None, statuses: list[str],
          columns: dict[str, str] | None, profile: Profile | None, instants: Instants,
          progress: Callable[[int], None] | None, shape: dict[str, int],
          skip: Callable[[Skipped], None]) -> Measure:
    """The row engine: every ticket a `Ticket`, measured one at a time."""
    log: History | None = History(statuses) if history is not None and statuses else None
    measure = Measure(charter, Facts(charter), period, _clocks(charter), log)
    if log is not None and history is not None:
        _read_history(log, history, history_display or str(history), columns, profile,
                      instants, skip)
    add = measure.add
    for ticket in read_tickets(tickets, display, clients=[c.id for c in charter.clients],
                               priorities=charter.priorities, mapping=columns,
                               progress=progress, profile=profile, instants=instants,
                               shape=shape):
        if isinstance(ticket, Skipped):
            skip(ticket)
        else:
            add(ticket)
    return measure


def _columnar(charter: Charter, period: Period, tickets: Path, display: str,
              history: Path | None, history_display: str | None, statuses: list[str],
              columns: dict[str, str] | None, profile: Profile | None, instants: Instants,
              progress: Callable[[int], None] | None, shape: dict[str, int],
              skip: Callable[[Skipped], None], *, rows: bool) -> Measure:
    """The columnar engine (columnar.py); `rows`: read the files row by row."""
    from .columnar import (
        ColumnarHistory,
        ColumnarMeasure,
        Irregular,
        history_rows,
        ticket_batches,
    )
    try:
        log = ColumnarHistory(statuses) if history is not None and statuses else None
        if log is not None and history is not None:
            for row in history_rows(log, history, history_display or str(history),
                                    mapping=columns, profile=profile, instants=instants,
                                    rows=rows):
                skip(row)
        measure = ColumnarMeasure(charter, Facts(charter), period, _clocks(charter), log)
        add = measure.add_batch
        for batch in ticket_batches(tickets, display, clients=[c.id for c in charter.clients],
                                    priorities=tuple(charter.priorities), mapping=columns,
                                    progress=progress, profile=profile, instants=instants,
                                    shape=shape, rows=rows):
            if isinstance(batch, Skipped):
                skip(batch)
            else:
                add(batch)
    except Irregular:
        raise _Irregular from None
    return measure


def build_report(charter: Charter, loaded: Loaded | None = None, *, tickets: Path,
                 outages: Path | None, start: date, end: date,
                 columns: dict[str, str] | None = None, strict: bool = False,
                 progress: Callable[[int], None] | None = None,
                 tickets_display: str | None = None,
                 outages_display: str | None = None,
                 reviews: Sequence[str] = (),
                 history: Path | None = None,
                 history_display: str | None = None,
                 profile: Profile | None = None,
                 input_timezone: str | None = None,
                 revision: Document | None = None,
                 engine: str = "columnar") -> ReportResult:
    """Measure the period [start, end] (local dates, inclusive, provider's zone).

    `charter` must have passed the checks. Never raises for bad input: unreadable
    files give a U106 diagnostic and no document; bad rows are skipped with a
    diagnostic each (under `strict` they are errors and no document is built).
    `progress`, if given, is called with the number of characters read so far.
    `reviews`: review findings judged at the period's end (overdue then), shown in the
    document under `reviews`. `history`: the status history that pauses clocks
    (`pause_on`); `profile` and `input_timezone`: how the files are written;
    `revision`: the committed version of the charter measured against, for the header.
    `engine`: "columnar" (batches of columns, clockindex.py) or "rows" (one ticket at a
    time, measure.py); both give the same figures.
    """
    from .profiles import Instants

    if engine not in ("columnar", "rows"):
        raise ValueError(f"unknown report engine {engine!r}: columnar or rows")
    period = range_period(start, end, charter.provider.timezone)
    statuses = pause_statuses(charter)
    instants = Instants(input_timezone, profile.formats if profile is not None else ())
    display = tickets_display or str(tickets)
    measure: Measure | None = None
    for by_rows in ((False, True) if engine == "columnar" else (True,)):
        skips = _Skips(charter)
        kept: list[Outage] | None = None
        shape: dict[str, int] = {}
        try:
            if outages is not None:
                kept = _read_outages(charter, outages, outages_display or str(outages),
                                     period, columns, instants, skips)
            if engine == "columnar":
                measure = _columnar(charter, period, tickets, display, history,
                                    history_display, statuses, columns, profile, instants,
                                    progress, shape, skips, rows=by_rows)
            else:
                measure = _rows(charter, period, tickets, display, history, history_display,
                                statuses, columns, profile, instants, progress, shape, skips)
        except UnreadableFile as exc:
            return ReportResult(None, [*skips.listed, exc.diagnostic], skips.count,
                                skips.per_client, strict)
        except _Irregular:
            continue   # a file that is not plain CSV: read again, row by row
        break
    assert measure is not None  # the row readers never find a file irregular
    diagnostics, skipped, per_client = skips.listed, skips.count, skips.per_client
    warnings: list[Diagnostic] = []
    if statuses and history is None:
        warnings.append(_no_history(charter, loaded))
    warnings.extend(_unpaid(charter, measure, display, shape.get("feature", 1))[:MAX_LISTED])
    if strict:
        diagnostics = [replace(d, severity=Severity.ERROR) for d in diagnostics]
        if skipped:
            return ReportResult(None, diagnostics, skipped, per_client, strict, warnings)
    report = _Report(charter, period, measure, kept)
    report.skipped, report.listed = skipped, diagnostics
    report.reviews = list(reviews)
    if statuses:
        report.pauses = {"statuses": statuses, "measured": history is not None,
                         "history": (history_display or str(history)) if history else None}
    report.revision = revision
    report.usage_columns = tuple(c for c in ("feature", "channel") if c in shape)
    return ReportResult(doc.provider_document(report), diagnostics, skipped, per_client, strict,
                        warnings)


# -- writing ------------------------------------------------------------------------------

FORMATS = ("json", "md", "html", "pdf")


def write_reports(result: ReportResult, out: Path, langs: Sequence[str],
                  formats: Sequence[str]) -> list[Path]:
    """Write every document: `out/<charter>/<period>/provider.<lang>.<fmt>` and
    `clients/<client>.<lang>.<fmt>` (JSON is language-independent: `provider.json`).

    The files are one set: every document is rendered first, then all are written
    (`write_all`), so a failure leaves none of them half-updated. Markdown and HTML come
    from `render.py`, imported only when asked for, so JSON needs nothing more.
    """
    render = check_formats(formats, langs)
    documents = result.documents()
    if not documents:
        return []
    provider = documents["provider"]
    folder = Path(out) / provider["charter"]["id"] / provider["period"]["label"]
    texts: dict[Path, str | bytes] = {}
    for scope, document in documents.items():
        base = folder / "provider" if scope == "provider" else folder / "clients" / scope
        for fmt in formats:
            if fmt == "json":
                texts[base.with_name(base.name + ".json")] = doc.dumps(document)
                continue
            assert render is not None  # check_formats: a renderer for every other format
            for lang in langs:
                path = base.with_name(f"{base.name}.{lang}.{fmt}")
                if fmt == "pdf":
                    texts[path] = _pdf(render(document, scope=scope, lang=lang, fmt="html"),
                                       document, f"{base.name}.json")
                else:
                    texts[path] = render(document, scope=scope, lang=lang, fmt=fmt)
    write_all({path: text.encode("utf-8") if isinstance(text, str) else text
               for path, text in texts.items()})
    return list(texts)


def _pdf(html: str, document: Document, json_name: str) -> bytes:
    """The report's HTML as a PDF with the report document (JSON) attached, dated the
    day SOURCE_DATE_EPOCH names, else the last day of the period: never the clock."""
    from ..pipeline.today import SourceDateError, source_date
    from ..render.pdf import Attached, Pdf, PdfProblem, created_from, html_to_pdf
    try:
        day = created_from(source_date(), date.fromisoformat(document["period"]["to"]))
        return html_to_pdf(html, Pdf(
            author=document["charter"]["title"], created=day,
            attachments=(Attached(json_name, doc.dumps(document).encode("utf-8"),
                                  "The report as data (charterc report --format json)"),)))
    except (PdfProblem, SourceDateError) as exc:
        raise ReportError(str(exc)) from None


def check_formats(formats: Sequence[str], langs: Sequence[str] = ()) -> Renderer | None:
    """The renderer the formats need (None for JSON only); ReportError if a format is
    unknown, the renderer cannot be loaded, or (for Markdown and HTML) a language in
    `langs` has no catalogue."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ReportError(f"unknown format {unknown[0]!r} (expected {', '.join(FORMATS)})")
    if not formats:
        raise ReportError(f"no format given (expected {', '.join(FORMATS)})")
    if all(f == "json" for f in formats):
        return None
    render = _renderer()
    if "pdf" in formats:
        from ..render.pdf import PdfProblem, available
        try:
            available()
        except PdfProblem as exc:
            raise ReportError(str(exc)) from None
    from ..render.i18n import languages
    known = languages()
    if not langs:
        raise ReportError(f"no language given (known languages are {', '.join(known)})")
    for lang in langs:
        if lang not in known:
            raise ReportError(f"no catalogue for language {lang!r}: known languages are "
                              f"{', '.join(known)}")
    return render


def _renderer() -> Renderer:
    try:
        module = importlib.import_module("charterc.report.render")
        return module.render_report
    except ImportError as exc:
        raise ReportError(f"Markdown and HTML reports need the report renderer, which "
                          f"cannot be loaded ({exc}); write --format json, or install "
                          f"charterc[reports]") from None
    except AttributeError:
        raise ReportError("the report renderer has no render_report function; "
                          "write --format json") from None
