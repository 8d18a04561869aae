"""Management reports as documents: the report's JSON document -> Markdown or HTML.

The other half of `charterc report`: the engine measures and writes a plain document
(docs/report.md); this module only shows it, with the renderers of `charterc build`
(`charterc.render`): the same Jinja2 environments (StrictUndefined, HTML autoescaping,
Markdown escaping of every printed value), the same babel formatting and catalogues,
the same embedded stylesheet. HTML reports carry three charts (`charts.py`) inline.

`render_report` is pure: the same document gives the same bytes, whatever the hash
seed or the machine. A client's report shows that client only, whatever the document
holds: `scope` picks the client and nothing of the others (names, totals, skipped
rows) reaches the page.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import TypeGuard
from zoneinfo import ZoneInfo

from babel.dates import format_date

from ...model.values import Duration
from ...report.types import (
    ClientEntry,
    Counts,
    GroupKey,
    ItsmAgreementEntry,
    ObjectiveEntry,
    ObjectiveKey,
    PendingEntry,
    ProviderDocument,
    ProviderEntry,
    ReportDocument,
    SkippedEntry,
    TurnaroundEntry,
    UsageEntry,
)
from .. import Documents
from ..filters import Language
from ..formats import templated
from ..i18n import languages
from ..view import N_, Dur, Money, Pct, Token, Units
from . import charts
from .views import (
    ClientView,
    CountsView,
    EventView,
    ItsmView,
    ObjectiveView,
    PrioritiesView,
    PriorityTicketsView,
    PriorityView,
    ReportView,
    TotalsView,
    TurnaroundView,
    UsageView,
    WeekView,
)

__all__ = ["render_report", "report_documents"]

OBJECTIVES: dict[ObjectiveKey, str] = {"response": N_("Response"),
                                       "resolution": N_("Resolution")}
TURNAROUND: dict[GroupKey, str] = {"weekday": N_("Weekdays"), "weekend": N_("Weekends"),
                                   "in_hours": N_("In hours"), "out_of_hours": N_("Out of hours")}
VERDICTS = {"met": N_("met"), "breached": N_("breached")}
REASONS = {"pause": N_("a pause: the clocks stopped differently"),
           "timezone": N_("a time-zone offset"),
           "holiday": N_("a holiday: the schedules differ"),
           "weekend": N_("a weekend: the schedules differ"),
           "target": N_("a different target"),
           "event": N_("the same due time: the event was recorded at another time")}
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})--(\d{4}-\d{2}-\d{2})")


class _ReportDocuments(Documents):
    """`charterc build`'s environments, with money in the report's currency."""

    def __init__(self, currency: str) -> None:
        super().__init__()
        self.currency = currency

    def language(self, lang: str) -> Language:
        if lang not in self.languages:
            language = Language(lang)
            language.currency = self.currency
            self.languages[lang] = language
        return super().language(lang)


@lru_cache(maxsize=8)
def report_documents(currency: str) -> _ReportDocuments:
    """The report's templates and catalogues with amounts in `currency` (also baseline's)."""
    return _ReportDocuments(currency)


def render_report(document: ReportDocument, *, scope: str, lang: str, fmt: str) -> str:
    """The report of `scope` ("provider" or a client id) in `lang`, as `fmt` ("md" | "html").

    ValueError for an unknown format, language or client.
    """
    if fmt not in templated("report"):
        raise ValueError(f"unknown report format {fmt!r} "
                         f"(one of: {', '.join(templated('report'))})")
    if lang not in languages():
        raise ValueError(f"no catalogue for language {lang!r} (one of: {', '.join(languages())})")
    if scope != "provider" and scope not in document["clients"]:
        raise ValueError(f"the report document holds no client {scope!r}")
    documents = report_documents(document["charter"]["currency"])
    language = documents.language(lang)
    view = report_view(document, scope, language)
    if fmt == "html":
        view["charts"], view["charts_missing"] = _charts(view, language)
    return documents.render(fmt, lang, "report", view)


# -- the view ---------------------------------------------------------------------------

def report_view(document: ReportDocument, scope: str, language: Language) -> ReportView:
    """What the templates show: the document's figures typed for `fmt`, for `scope` only."""
    zone = ZoneInfo(document["period"]["timezone"])
    provider = scope == "provider"
    ids = list(document["clients"]) if provider else [scope]
    clients = [_client(cid, document["clients"][cid], zone, language) for cid in ids]
    period = document["period"]
    skipped: SkippedEntry = document.get("skipped") or {"count": 0}
    own = document.get("scope") == scope   # a client never sees the provider's skipped rows
    pauses = document.get("pauses")
    return {
        "charter": document["charter"],
        "provider": provider,
        "scope_name": None if provider else clients[0]["name"],
        "period": {"label": _period_label(period["label"], language),
                   "from": date.fromisoformat(period["from"]),
                   "to": date.fromisoformat(period["to"]), "timezone": period["timezone"]},
        "skipped": {"count": Units(Decimal(skipped["count"] if own else 0)),
                    "rows": skipped.get("rows", []) if provider and own else []},
        "excluded": _excluded(document, scope),
        "reviews": list(document.get("reviews") or []),
        "pauses": pauses,
        "paused": bool(pauses and pauses.get("measured")),
        "revision": document["charter"].get("revision"),
        "sha256": document["charter"].get("sha256"),
        "usage": any(c["usage"] is not None for c in clients),
        "itsm": any(c["itsm"] is not None for c in clients),
        "clients": clients,
        "totals": _totals(document, clients) if provider and _has_totals(document) else None,
        "weeks": _weeks(clients),
        "charts": None, "charts_missing": None,
    }


def _excluded(document: ReportDocument, scope: str) -> Units | None:
    """The tickets of the period left out as cancelled (`--exclude-status`), for `scope`;
    None when the document counts none."""
    if scope == "provider":
        totals = document.get("provider")
        count = totals.get("excluded") if isinstance(totals, dict) else None
    else:
        count = document["clients"][scope].get("excluded")
    return None if count is None else _count(count)


def _has_totals(document: ReportDocument) -> TypeGuard[ProviderDocument]:
    """The provider's document (with its aggregates), not a client's."""
    return "provider" in document


def _period_label(label: str, language: Language) -> str:
    """"2026-10" -> "October 2026" / "octobre 2026"; "2026-10-01--2026-11-30" -> the two
    dates; any other label as written."""
    try:
        if match := _MONTH.fullmatch(label):
            return format_date(date(int(match.group(1)), int(match.group(2)), 1), "LLLL y",
                               locale=language.locale)
        if match := _RANGE.fullmatch(label):
            first, last = (date.fromisoformat(match.group(i)) for i in (1, 2))
            return f"{language.date(first)} \u2013 {language.date(last)}"
    except ValueError:   # "2026-13": shown as written
        pass
    return label


def _count(n: int) -> Units:
    return Units(Decimal(n))


def _pct(value: float | None) -> Pct | None:
    return None if value is None else Pct(Decimal(str(value)))


def _money(value: float | Decimal) -> Money:
    return Money(Decimal(str(value)))


def _minutes(value: float | None, clock: str | None = "calendar") -> Dur | None:
    """Minutes -> a duration shown in days, hours and minutes (half-even to the minute).

    A target under a business clock is `days * 1440 + minutes` of its charter duration
    (`1d` business is 1440), so it reads back as "1 business day".
    """
    if value is None:
        return None
    total = int(Decimal(str(value)).quantize(Decimal(1)))
    return Dur(Duration(*divmod(total, 1440)), clock or "calendar")


def _ratio(part: Counts) -> CountsView:
    return {"met": _count(part["met"]), "total": _count(part["total"]),
            "pending": _count(part["pending"])}


def _objective(key: ObjectiveKey, part: ObjectiveEntry) -> ObjectiveView:
    target, attainment = part.get("target"), part.get("attainment")
    rows: list[PriorityView] = [
        {"priority": p, **_ratio(r), "attainment": _pct(r.get("attainment")),
         "target": _minutes(r.get("target_minutes"), r.get("clock"))}
        for p, r in part["by_priority"].items()]
    return {"key": key, "name": Token(OBJECTIVES[key]), **_ratio(part),
            "attainment": _pct(attainment), "target": _pct(target),
            "missed": None if attainment is None or target is None else attainment < target,
            "rows": rows}


def _priorities(part: ClientEntry | ProviderEntry, objectives: list[ObjectiveView],
                targets: bool) -> PrioritiesView:
    """Tickets and each objective side by side, one row per priority."""
    by = [{r["priority"]: r for r in o["rows"]} for o in objectives]
    rows: list[PriorityTicketsView] = [
        {"priority": p, **_ratio(r), "objectives": [rows.get(p) for rows in by]}
        for p, r in part["tickets"]["by_priority"].items()]
    return {"rows": rows, "targets": targets}


def _turnaround(part: TurnaroundEntry) -> list[TurnaroundView]:
    return [{"key": key, "name": Token(label), "median": _minutes(part[key]["median"]),
             "p90": _minutes(part[key]["p90"]), "count": _count(part[key]["count"])}
            for key, label in TURNAROUND.items()]


def _instant(text: str | None, zone: ZoneInfo) -> str | None:
    """An ISO 8601 instant -> "2026-10-03 22:41" in the report's time zone."""
    if not text:
        return None
    return datetime.fromisoformat(text).astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _objective_name(key: ObjectiveKey) -> Token:
    """`response` / `resolution` as a translated word; any other key as written."""
    return Token(OBJECTIVES.get(key, key))


def _events(rows: Sequence[PendingEntry], ats: Sequence[str | None] | None,
            zone: ZoneInfo) -> list[EventView]:
    """Breaches (`ats`: the event of each) or pending tickets (`ats` None)."""
    return [{"id": r["id"], "priority": r["priority"],
             "objective": _objective_name(r["objective"]),
             "opened": _instant(r["opened"], zone), "due": _instant(r.get("due"), zone),
             "at": None if ats is None else _instant(ats[i], zone),
             "paused": _minutes(r.get("paused_minutes"))} for i, r in enumerate(rows)]


def _usage(usage: UsageEntry | None) -> UsageView | None:
    """Tickets per feature (with whether the tier includes it) and per channel."""
    if usage is None:
        return None
    outside = {u["feature"] for u in usage.get("outside_tier", ())}
    return {"features": None if "features" not in usage else [
                {"feature": f, "tickets": _count(n), "in_tier": f not in outside}
                for f, n in usage["features"].items()],
            "channels": None if "channels" not in usage else [
                {"channel": ch, "tickets": _count(n)} for ch, n in usage["channels"].items()],
            "outside": [{"id": u["id"], "feature": u["feature"]}
                        for u in usage.get("outside_tier", ())]}


def _client(cid: str, c: ClientEntry, zone: ZoneInfo, language: Language) -> ClientView:
    availability = c.get("availability")
    objectives = [_objective(key, c[key]) for key in OBJECTIVES]
    share = c["share"]
    return {
        "id": cid, "name": c["name"], "tier": c["tier"],
        "tickets": _ratio(c["tickets"]),
        "objectives": objectives,
        "priorities": _priorities(c, objectives, targets=True),
        "availability": None if availability is None else {
            "percent": _pct(availability["percent"]), "target": _pct(availability["target"]),
            "credit_percent": _pct(availability["credit_percent"]),
            "downtime": _minutes(availability["downtime_minutes"]),
            "window": _minutes(availability["window_minutes"]),
            "excluded": _minutes(availability["excluded_minutes"]),
            "missed": _below(availability["percent"], availability["target"])},
        "share": {"actual": _pct(share["actual"]), "stated": _pct(share["stated"]),
                  "forecast": _pct(share["forecast"])},
        "volume": {"tickets": _count(c["volume"]["tickets"]),
                   "forecast_units": Units(Decimal(str(c["volume"]["forecast_units"])))},
        "charge": _money(c["charge"]), "credit": _money(c["credit"]),
        "net": _money(Decimal(str(c["charge"])) - Decimal(str(c["credit"]))),
        "turnaround": _turnaround(c["turnaround"]),
        "breaches": _events(c["breaches"], [r.get("at") for r in c["breaches"]], zone),
        "pending": _events(c["pending"], None, zone),
        "trend": [{"period": _period_label(t["period"], language),
                   "tickets": _count(t["tickets"]),
                   "response": _pct(t["response_attainment"]),
                   "resolution": _pct(t["resolution_attainment"])} for t in c["trend"]],
        "weekly": c["weekly"],
        "usage": _usage(c.get("usage")),
        "itsm": _itsm(c.get("itsm_agreement"), zone),
        "listing": None if "listing" not in c else {
            "limit": _count(c["listing"]["limit"]),
            "breaches": _count(c["listing"]["breaches"]),
            "pending": _count(c["listing"]["pending"]), "file": c["listing"]["file"]},
    }


def _itsm(entry: ItsmAgreementEntry | None, zone: ZoneInfo) -> ItsmView | None:
    """The comparison with the ITSM's SLA records: counts and each disagreement."""
    if entry is None:
        return None
    rows = entry["disagreements"]
    return {"compared": _count(entry["compared"]), "agree": _count(entry["agree"]),
            "disagree": _count(entry["compared"] - entry["agree"]),
            "rows": [{"id": r["id"], "objective": _objective_name(r["objective"]),
                      "charterc": Token(VERDICTS.get(r["charterc"], r["charterc"])),
                      "charterc_due": _instant(r["charterc_due"], zone),
                      "itsm": Token(VERDICTS.get(r["itsm"], r["itsm"])),
                      "itsm_due": _instant(r["itsm_due"], zone),
                      "reason": Token(REASONS.get(r["reason"] or "", N_("cannot tell")))}
                     for r in rows]}


def _below(percent: float | None, target: float | None) -> bool:
    """An availability under its target (a measured one always has a target)."""
    return percent is not None and target is not None and percent < target


def _weeks(clients: list[ClientView]) -> list[WeekView]:
    """Tickets per ISO week: one count per client, and their total."""
    counts = [{w["week"]: w["tickets"] for w in c["weekly"]} for c in clients]
    weeks = sorted({week for per in counts for week in per})
    return [{"week": week, "counts": [_count(per.get(week, 0)) for per in counts],
             "total": _count(sum(per.get(week, 0) for per in counts))} for week in weeks]


def _totals(document: ProviderDocument, clients: list[ClientView]) -> TotalsView:
    """The provider's aggregates, and the sums of the per-client columns."""
    p = document["provider"]
    objectives = [_objective(key, p[key]) for key in OBJECTIVES]
    return {
        "tickets": _ratio(p["tickets"]),
        "objectives": objectives,
        "priorities": _priorities(p, objectives, targets=False),
        "charge": _money(p["charge"]), "credit": _money(p["credit"]),
        "net": _money(Decimal(str(p["charge"])) - Decimal(str(p["credit"]))),
        "turnaround": _turnaround(p["turnaround"]),
        "forecast_units": Units(sum((c["volume"]["forecast_units"].value for c in clients),
                                    Decimal(0))),
        "itsm": _itsm(p.get("itsm_agreement"), ZoneInfo(document["period"]["timezone"])),
    }


# -- charts -----------------------------------------------------------------------------

def _charts(view: ReportView, language: Language) -> tuple[dict[str, str] | None, str | None]:
    """The SVG charts of an HTML report (usage only when measured), or (None, the hint)."""
    from markupsafe import Markup
    whole: TotalsView | ClientView = view["totals"] or view["clients"][0]
    series = [(c["name"], c["weekly"]) for c in view["clients"]]
    objectives = {o["key"]: o for o in whole["objectives"]}
    priorities = [r["priority"] for r in objectives["response"]["rows"]]
    attainment = {key: {r["priority"]: r["attainment"] for r in o["rows"]}
                  for key, o in objectives.items()}
    rows: list[charts.AttainmentBar] = [
        {"priority": p, "response": _value(attainment["response"].get(p)),
         "resolution": _value(attainment["resolution"].get(p))} for p in priorities]
    targets = {key: _value(o["target"]) for key, o in objectives.items()}
    turnaround: list[charts.TurnaroundBar] = [
        {"label": language.fmt(t["name"]), "median": _raw(t["median"]),
         "p90": _raw(t["p90"]), "count": int(t["count"].value)} for t in whole["turnaround"]]
    usage = [(c["name"], {f["feature"]: int(f["tickets"].value) for f in c["usage"]["features"]})
             for c in view["clients"] if c["usage"] and c["usage"]["features"] is not None]
    try:
        drawn: dict[str, str] = {"volume": Markup(charts.volume_chart(series, language)),
                 "attainment": Markup(charts.attainment_chart(rows, targets, language)),
                 "turnaround": Markup(charts.turnaround_chart(turnaround, language))}
        if any(counts for _name, counts in usage):
            drawn["usage"] = Markup(charts.usage_chart(usage, language))
        return drawn, None
    except charts.ChartsUnavailable as exc:
        return None, str(exc)


def _value(pct: Pct | None) -> Decimal | None:
    return None if pct is None else pct.value


def _raw(dur: Dur | None) -> Decimal | None:
    return None if dur is None else Decimal(dur.value.days * 1440 + dur.value.minutes)
