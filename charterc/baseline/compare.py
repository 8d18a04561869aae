"""What the charter states against what a window of tickets shows, per client (spec section 10).

The tickets are read by the report's reader (`report/inputs.py`: the same columns,
profiles and U1xx diagnostics) in one pass; per client only counters are kept: tickets
per month, per feature, out of the tier's hours per weekday and hour in the client's
zone, and one integer per resolved ticket for the turnaround medians. The charter's
side comes from the projection (`model/projection.py`): forecast units for the same
dates, stated or projected shares, roles. Decisions are in docs/baseline.md.
"""
from __future__ import annotations

import math
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from ..calendar import local_midnight, zone
from ..diagnostics import Diagnostic
from ..errors import CharterError
from ..model.charter import Charter, Client
from ..model.projection import Facts, primary_of
from ..report.inputs import (
    Excluded,
    Skipped,
    UnreadableFile,
    excluded_statuses,
    read_outages,
    read_tickets,
)
from ..report.measure import Period, groups_of, period_charge, quantile, range_period
from ..report.names import client_names, feature_names
from .types import (
    BaselineDocument,
    ClientBaseline,
    Finding,
    Proposal,
    TurnaroundGroup,
    UnvaluedCost,
)

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from ..calendar import Schedule
    from ..report.profiles import Instants, Profile

__all__ = ["THIN", "Baseline", "BaselineError", "Growth", "compare", "implied_growth",
           "supported"]

THIN = 30                 # fewer tickets than this in the window: too thin to say
VOLUME_GAP = Decimal(10)  # annualised units this many percent off the forecast: a finding
GROWTH_GAP = Decimal(5)   # implied growth this many points off the stated growth
SHARE_GAP = Decimal(5)    # observed share this many points off the stated or projected one
HOURS_GAP = Decimal(5)    # this percent of a client's tickets outside its tier's hours
MAX_LISTED = 1000
_HUNDRED = Decimal(100)
_HALF = Fraction(1, 2)


class BaselineError(CharterError):
    """The comparison cannot be made as asked (an unreadable file: its U106 diagnostic)."""

    def __init__(self, message: str, diagnostics: list[Diagnostic]) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics


@dataclass
class _Client:
    """One client's counters over the window."""

    client: Client
    months: list[int]
    features: Counter[str] = field(default_factory=Counter)
    featured: int = 0                     # tickets with a feature cell
    outside: list[int] = field(default_factory=lambda: [0, 0])  # weekday, weekend
    heat: list[list[int]] = field(default_factory=lambda: [[0] * 24 for _ in range(7)])
    turnaround: tuple[array[int], array[int]] = field(
        default_factory=lambda: (array("q"), array("q")))

    @property
    def count(self) -> int:
        return sum(self.months)


@dataclass
class Baseline:
    """The comparison: its JSON-compatible document, the skipped rows' diagnostics, and
    per client the proposed values (None: unchanged) that `--write` puts in the charter."""

    document: BaselineDocument
    diagnostics: list[Diagnostic]
    skipped: int
    proposals: dict[str, Proposal]
    reviewed: date


def _month_starts(period: Period) -> list[int]:
    """UTC starts of each month of the window, and the window's end."""
    starts, day = [], period.first
    while day <= period.last:
        starts.append(local_midnight(period.zone, day))
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return [*starts, period.end]


def _client_zone(client: Client) -> str:
    """Where the client's people work: its needed hours' zone, else its own, else the
    provider's."""
    needs = client.needs_hours
    return needs.zone if needs is not None else client.zone


def _tier_hours(charter: Charter, client: Client) -> tuple[Schedule, ZoneInfo]:
    """The client's tier's schedule and zone: in or out of hours, weekday or weekend."""
    tier = charter.tier(client.tier)
    assert tier is not None, "the references (R301) checked that a client's tier exists"
    if tier.hours.schedule is None:
        raise ValueError(f"tier {tier.id}: its hours cannot be read (V505)")
    return tier.hours.schedule, zone(tier.hours.zone)


def _read(charter: Charter, tickets: Path, display: str, period: Period,
          columns: dict[str, str] | None, profile: Profile | None, instants: Instants,
          progress: Callable[[int], None] | None,
          skip: Callable[[Skipped], None],
          exclude: frozenset[str] = frozenset()) -> tuple[dict[str, _Client], bool]:
    bounds = _month_starts(period)
    state = {c.id: _Client(c, [0] * (len(bounds) - 1)) for c in charter.clients}
    hours_of = {c.id: _tier_hours(charter, c) for c in charter.clients}
    zone_of = {c.id: zone(_client_zone(c)) for c in charter.clients}
    start, end = period.start, period.end
    shape: dict[str, int] = {}
    for t in read_tickets(tickets, display, clients=client_names(charter),
                          priorities=charter.priorities, mapping=columns, progress=progress,
                          profile=profile, instants=instants, shape=shape,
                          features=feature_names(charter), exclude=exclude):
        if isinstance(t, Skipped):
            skip(t)
            continue
        if isinstance(t, Excluded):   # cancelled: out of every figure
            continue
        if not start <= t.opened < end:
            continue
        usage = state[t.client]
        usage.months[bisect_right(bounds, t.opened) - 1] += 1
        if t.feature is not None:
            usage.features[t.feature] += 1
            usage.featured += 1
        day, hours = groups_of(*hours_of[t.client], t.opened)
        if hours == 3:
            usage.outside[day] += 1
            local = datetime.fromtimestamp(t.opened, zone_of[t.client])
            usage.heat[local.weekday()][local.hour] += 1
        if t.resolved is not None and t.resolved < end:
            usage.turnaround[day].append(t.resolved - t.opened)
    return state, "feature" in shape


# -- the figures ----------------------------------------------------------------------------

def _dec(value: Decimal | Fraction | float | int, places: int = 1) -> float:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return float(Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN))


# Student's t at 95% (one side), by degrees of freedom: the half-width of a two-sided 90%
# interval in standard errors. Past the table the normal quantile is within 1% of it.
_T95 = (6.314, 2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812, 1.796, 1.782,
        1.771, 1.761, 1.753, 1.746, 1.740, 1.734, 1.729, 1.725, 1.721, 1.717, 1.714, 1.711,
        1.708, 1.706, 1.703, 1.701, 1.699, 1.697)
_Z95 = 1.645


@dataclass(frozen=True)
class Growth:
    """The yearly growth the tickets imply, in percent, with its 90% interval."""

    rate: Decimal
    low: Decimal
    high: Decimal

    def holds(self, value: Decimal) -> bool:
        """Whether `value` (a growth in percent) is inside the interval."""
        return self.low <= value <= self.high


def implied_growth(months: list[int], days: list[int]) -> Growth | None:
    """Yearly growth of the daily ticket rate: a least-squares line through the logarithm
    of each month's tickets per day, against the month's middle in years, with the 90%
    interval of its slope (Student's t on the residuals); None with fewer than three months
    holding tickets. A rate growing g a year gives exactly g."""
    points, elapsed = [], 0
    for n, d in zip(months, days, strict=True):
        if n:
            points.append(((elapsed + d / 2) / 365.25, math.log(n / d)))
        elapsed += d
    if len(points) < 3:
        return None
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    freedom = len(points) - 2
    residuals = sum((y - my - slope * (x - mx)) ** 2 for x, y in points)
    half = (_T95[freedom - 1] if freedom <= len(_T95) else _Z95) * \
        math.sqrt(residuals / freedom / sxx)

    def percent(log_rate: float) -> Decimal:
        return (Decimal(math.exp(log_rate)) - 1) * _HUNDRED
    return Growth(percent(slope), percent(slope - half), percent(slope + half))


def supported(growth: Growth | None, stated: Decimal) -> bool:
    """Whether the data supports changing the stated growth (spec section 10.2): its 90%
    interval holds neither the stated growth nor no growth at all. A volume that is flat
    month to month never does: its interval holds zero."""
    return growth is not None and not growth.holds(stated) and not growth.holds(Decimal(0))


def _whole(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_EVEN)


def _tenth(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)


def _hours(seconds: Fraction | None) -> float | None:
    return None if seconds is None else _dec(seconds / 3600, 2)


def _turnaround(values: array[int]) -> TurnaroundGroup:
    ordered = sorted(values)
    return {"resolved": len(ordered), "median_hours": _hours(quantile(ordered, _HALF))}


def _percent_text(value: Decimal) -> str:
    """`12.5%`, `20%`: the shortest form, as charters write percents."""
    text = format(value.normalize(), "f")
    return f"{text}%"


def compare(charter: Charter, *, tickets: Path, start: date, end: date,
            tickets_display: str | None = None, outages: Path | None = None,
            outages_display: str | None = None, columns: dict[str, str] | None = None,
            profile: Profile | None = None, input_timezone: str | None = None,
            progress: Callable[[int], None] | None = None,
            file: str | None = None,
            exclude_status: Sequence[str] | None = None) -> Baseline:
    """Compare the window [start, end] (local dates, provider's zone) with the charter.

    `charter` must have passed the checks. Bad rows are skipped with their diagnostic;
    an unreadable file raises `BaselineError` with its U106 diagnostic. Tickets in a
    status of `exclude_status` (None: `canceled`, `cancelled`) are left out, as in a report.
    """
    from ..report.profiles import Instants

    period = range_period(start, end, charter.provider.timezone)
    instants = Instants(input_timezone, profile.formats if profile is not None else ())
    diagnostics: list[Diagnostic] = []
    skipped = 0

    def skip(row: Skipped) -> None:
        nonlocal skipped
        skipped += 1
        if len(diagnostics) < MAX_LISTED:
            diagnostics.append(row.diagnostic)

    outage_count = None
    try:
        if outages is not None:  # read for their diagnostics, as `report` does; counted
            outage_count = 0
            for o in read_outages(outages, outages_display or str(outages),
                                  tiers=[t.id for t in charter.tiers],
                                  clients=[c.id for c in charter.clients], mapping=columns,
                                  instants=instants):
                if isinstance(o, Skipped):
                    skip(o)
                elif o.end > period.start and o.start < period.end:
                    outage_count += 1
        state, with_features = _read(charter, tickets, tickets_display or str(tickets), period,
                                     columns, profile, instants, progress, skip,
                                     excluded_statuses(exclude_status))
    except UnreadableFile as exc:
        raise BaselineError(exc.diagnostic.message, [*diagnostics, exc.diagnostic]) from None
    return _document(charter, period, state, with_features, diagnostics, skipped,
                     outage_count, file)


@dataclass
class _Window:
    """The charter's side of the window, computed once for every client."""

    charter: Charter
    period: Period
    facts: Facts
    days: list[int]            # days of each month of the window
    annual: Decimal            # 12 / months: what annualises a count
    year: int                  # projection year of the window's first day
    total: int                 # tickets of every client
    projected: dict[str, Decimal | None]
    observed: dict[str, Decimal]
    primary: tuple[str | None, str | None]   # (projected, observed)
    with_features: bool


def _window(charter: Charter, period: Period, state: dict[str, _Client],
            with_features: bool) -> _Window:
    facts = Facts(charter)
    days, day = [], period.first
    while day <= period.last:
        following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        days.append((min(following, period.last + timedelta(days=1)) - day).days)
        day = following
    total = sum(s.count for s in state.values())
    threshold = charter.governance_or_default.primary_threshold_or_default.value
    year = period_charge(charter, facts, charter.clients[0], period, Counter()).year \
        if charter.clients else 1
    observed = {cid: (Decimal(s.count) * _HUNDRED / total if total else Decimal(0))
                for cid, s in state.items()}
    return _Window(charter, period, facts, days, Decimal(12) / Decimal(len(days)), year, total,
                   {c.id: facts.projected_share[c.id][year - 1] for c in charter.clients},
                   observed, (facts.primary[year - 1] if facts.years else None,
                              primary_of(observed, threshold) if total else None), with_features)


def _proposal(w: _Window, c: Client, s: _Client, growth: Growth | None) -> Proposal:
    """The values `--write` sets for a client with enough tickets (section 10): a growth
    only where the data supports a change (`supported`)."""
    stated = c.growth_or_default.value
    changed = growth.rate if growth is not None and supported(growth, stated) else None
    rate = _whole(changed) if changed is not None else stated
    # `volume.units` is the term's first year: the window's rate taken back to it
    offset = (w.period.first - w.charter.period.start).days / 365.25
    base = 1 + float(rate) / 100
    annualised = Decimal(s.count) * w.annual
    units = annualised / Decimal(base ** offset) if base > 0 else annualised
    proposal: Proposal = {"units": int(_whole(units))}
    if changed is not None:
        proposal["growth"] = _percent_text(_whole(changed))
    if c.share is not None:
        proposal["share"] = _percent_text(_tenth(w.observed[c.id]))
    if w.with_features and s.featured >= THIN:
        # the needs still used, as written, then the features newly used (charter order)
        kept = [f for f in c.needs_features if s.features.get(f)]
        wanted = kept + [f.id for f in w.charter.features
                         if s.features.get(f.id) and f.id not in kept]
        if wanted:
            proposal["features"] = wanted
    return proposal


def _entry(w: _Window, c: Client, s: _Client, growth: Growth | None,
           proposal: Proposal | None) -> ClientBaseline:
    """`proposal`: None for a client too thin to propose anything."""
    tier = w.charter.tier(c.tier)
    assert tier is not None  # R301
    forecast = period_charge(w.charter, w.facts, c, w.period, Counter()).forecast_units * w.annual
    annualised = Decimal(s.count) * w.annual
    needed = list(c.needs_features)
    used = dict(sorted(s.features.items(), key=lambda kv: (-kv[1], kv[0])))
    outside = sum(s.outside)
    projected = w.projected[c.id]
    return {
        "name": c.name, "tier": c.tier, "tickets": s.count, "thin": s.count < THIN,
        "volume": {
            "stated_units": float(c.units.value) if c.units is not None else None,
            "stated_growth": _dec(c.growth_or_default.value),
            "forecast": _dec(forecast), "observed": s.count, "annualised": _dec(annualised),
            "difference_percent": (_dec((annualised - forecast) * _HUNDRED / forecast)
                                   if forecast else None),
            "implied_growth": _dec(growth.rate) if growth is not None else None,
            "implied_growth_interval": [_dec(growth.low), _dec(growth.high)]
            if growth is not None else None,
            "growth_supported": supported(growth, c.growth_or_default.value),
            "proposed_units": proposal["units"] if proposal is not None else None,
            "proposed_growth": _dec(Decimal(proposal["growth"].rstrip("%")))
            if proposal is not None and "growth" in proposal else None},
        "share": {
            "stated": _dec(c.share.value) if c.share is not None else None,
            "projected": _dec(projected) if projected is not None else None,
            "observed": _dec(w.observed[c.id]),
            "proposed": _dec(_tenth(w.observed[c.id]))
            if proposal is not None and "share" in proposal else None},
        "role": {"projected": "primary" if w.primary[0] == c.id else "secondary",
                 "observed": "primary" if w.primary[1] == c.id else "secondary"},
        "features": {"measured": w.with_features, "used": used, "needed": needed,
                     "tier": list(tier.features or ()),
                     "needed_unused": [f for f in needed if not s.features.get(f)]
                     if w.with_features else [],
                     "used_not_needed": [f for f in used if f not in needed]
                     if w.with_features else [],
                     "proposed": proposal.get("features") if proposal is not None else None},
        "hours": {"zone": _client_zone(c),
                  "tier_hours": "24x7" if tier.hours.is_24x7 else str(tier.hours.schedule or ""),
                  "outside": outside,
                  "outside_percent": _dec(Decimal(outside) * _HUNDRED / s.count
                                          if s.count else 0),
                  "weekday": s.outside[0], "weekend": s.outside[1], "by_hour": s.heat},
        "turnaround": {"weekday": _turnaround(s.turnaround[0]),
                       "weekend": _turnaround(s.turnaround[1])},
    }


def _findings(cid: str, entry: ClientBaseline) -> list[Finding]:
    """What a steering committee should look at for one client (thresholds at the top)."""
    out: list[Finding] = []
    volume, share = entry["volume"], entry["share"]
    gap, implied = volume["difference_percent"], volume["implied_growth"]
    # a growth off the stated one counts only where its interval leaves the stated one out
    if (gap is not None and abs(Decimal(str(gap))) > VOLUME_GAP) or (
            implied is not None and volume["growth_supported"] and
            abs(Decimal(str(implied)) - Decimal(str(volume["stated_growth"]))) > GROWTH_GAP):
        out.append({"kind": "volume", "client": cid, "forecast": volume["forecast"],
                    "annualised": volume["annualised"],
                    "stated_growth": volume["stated_growth"], "implied_growth": implied,
                    "implied_growth_interval": volume["implied_growth_interval"]})
    before = share["stated"] if share["stated"] is not None else share["projected"]
    if before is not None and abs(Decimal(str(share["observed"])) -
                                  Decimal(str(before))) > SHARE_GAP:
        out.append({"kind": "share", "client": cid, "stated": before,
                    "observed": share["observed"]})
    if entry["role"]["projected"] != entry["role"]["observed"]:
        out.append({"kind": "role", "client": cid, **entry["role"]})
    features = entry["features"]
    out.extend({"kind": "needed-unused", "client": cid, "feature": f}
               for f in features["needed_unused"])
    out.extend({"kind": "used-not-needed", "client": cid, "feature": f,
                "tickets": features["used"][f]} for f in features["used_not_needed"])
    hours = entry["hours"]
    if Decimal(str(hours["outside_percent"])) >= HOURS_GAP:
        out.append({"kind": "outside-hours", "client": cid, "tickets": hours["outside"],
                    "percent": hours["outside_percent"], "weekday": hours["weekday"],
                    "weekend": hours["weekend"]})
    return out


def _document(charter: Charter, period: Period, state: dict[str, _Client],
              with_features: bool, diagnostics: list[Diagnostic], skipped: int,
              outage_count: int | None, file: str | None) -> Baseline:
    w = _window(charter, period, state, with_features)
    findings: list[Finding] = []
    clients: dict[str, ClientBaseline] = {}
    proposals: dict[str, Proposal] = {}
    for c in charter.clients:
        s = state[c.id]
        growth = implied_growth(s.months, w.days)
        proposal = None if s.count < THIN else _proposal(w, c, s, growth)
        clients[c.id] = entry = _entry(w, c, s, growth, proposal)
        if proposal is None:
            findings.append({"kind": "thin", "client": c.id, "tickets": s.count})
            continue
        proposals[c.id] = proposal
        findings.extend(_findings(c.id, entry))
    unvalued: list[UnvaluedCost] = []
    # a cost no ticket used is a finding only where there are tickets enough to say so
    if with_features and w.total >= THIN:
        used: Counter[str] = Counter()
        for s in state.values():
            used.update(s.features)
        for cost in charter.costs:
            if cost.feature is not None and not used.get(cost.feature):
                amount = _dec(w.facts.cost_items[cost.id][w.year - 1], 2)
                unvalued.append({"id": cost.id, "feature": cost.feature, "amount": amount})
                findings.append({"kind": "unvalued-cost", "cost": cost.id,
                                 "feature": cost.feature, "amount": amount})
    threshold = charter.governance_or_default.primary_threshold_or_default.value
    document: BaselineDocument = {
        "charter": {"id": charter.id, "title": charter.metadata.title,
                    "version": charter.metadata.version, "file": file,
                    "currency": charter.business.currency},
        "window": {"from": f"{period.first:%Y-%m}", "to": f"{period.last:%Y-%m}",
                   "first": period.first.isoformat(), "last": period.last.isoformat(),
                   "months": len(w.days), "zone": period.zone, "projection_year": w.year},
        "tickets": w.total, "skipped": skipped, "outages": outage_count, "thin_below": THIN,
        "roles": {"projected_primary": w.primary[0], "observed_primary": w.primary[1],
                  "threshold": _dec(threshold)},
        "clients": clients,
        "unvalued_costs": unvalued,
        "findings": findings,
        "proposal": {"reviewed": period.last.isoformat(),
                     "clients": {cid: p for cid, p in proposals.items() if p}},
    }
    return Baseline(document, diagnostics, skipped, proposals, period.last)
