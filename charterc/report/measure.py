"""Measurements of a period: clocks, attainment, turnaround, availability, charges, credits.

Semantics (spec sections 3 and 7; every decision in docs/report.md):

- A ticket belongs to the period in which it was opened (provider's zone). It is
  measured **as at the end of its period**: a response or resolution recorded
  later is unknown to that period's report, so a report never changes when the
  export is taken later.
- For each objective (response, resolution) with a target for the ticket's
  priority: met if the event is at or before the deadline; breached if it is
  after, or if it has not happened by the end and the deadline is before the
  end; pending (listed, not counted) otherwise.
- Deadlines: `calendar` clocks add elapsed time; `business` clocks use the
  tier's schedule (`calendar.add_business`: `Nd` is the close of the N-th open
  day after the day the clock starts).
- Availability over the period: every minute of it, minus planned outages inside
  the tier's maintenance windows; unplanned time always counts.

Only counters, the listed breaches and pending tickets, and one integer per
resolved ticket (for the turnaround quantiles) are kept; rows are not. The tickets are
measured by the columnar engine (`columnar.py`, on the clocks of `clock.py`); this module
holds what it fills (`Measure`, `Usage`) and the figures of the period that are not per
ticket.
"""
from __future__ import annotations

import calendar as _calendar
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta, tzinfo
from decimal import Decimal
from fractions import Fraction

from ..calendar import (
    Intervals,
    Schedule,
    clip,
    expand,
    intersect,
    is_open,
    local_midnight,
    merge,
    subtract,
    total,
    union,
    zone,
)
from ..model.charter import Charter, Client, Tier
from ..model.projection import Facts, projection_year
from ..model.values import Period as Span
from ..model.values import add_period
from .inputs import Outage
from .listing import Listing

__all__ = [
    "GROUPS",
    "OBJECTIVES",
    "Availability",
    "Measure",
    "Period",
    "PeriodCharge",
    "Usage",
    "availability",
    "groups_of",
    "month_period",
    "period_charge",
    "quantile",
    "range_period",
    "span_problem",
]

OBJECTIVES = ("response", "resolution")
GROUPS = ("weekday", "weekend", "in_hours", "out_of_hours")
TREND_MONTHS = 12

# A breached ticket: (opened, id, objective index, priority, due, the event or None,
# seconds paused on the objective's clock)
Breach = tuple[int, str, int, str, int, int | None, int]
# A pending ticket: (opened, id, objective index, priority, due, seconds paused)
Pending = tuple[int, str, int, str, int, int]
# A ticket on a feature its client's tier does not include: (opened, id, feature, line)
Unpaid = tuple[int, str, str, int]


# -- the period ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """Local dates [first, last] in `zone`, and their UTC bounds [start, end) in seconds."""

    label: str
    first: date
    last: date
    zone: str
    start: int
    end: int

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


# The days a period may cover: its UTC bounds read a zone's transitions a year either side
# of each day, and the trend goes back TREND_MONTHS, all within datetime's years 1-9999.
FIRST_DAY, LAST_DAY = date(MINYEAR + 2, 1, 1), date(MAXYEAR - 3, 12, 31)


def span_problem(first: date, last: date) -> str | None:
    """Why a period from `first` to `last` cannot be measured, or None when it can."""
    for day in (first, last):
        if not FIRST_DAY <= day <= LAST_DAY:
            return (f"{day.isoformat()} is outside the days a period can cover "
                    f"({FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()})")
    return None


def range_period(first: date, last: date, zone_name: str) -> Period:
    """`--from/--to`: labelled `YYYY-MM` when it is exactly a month, else `FIRST--LAST`."""
    if last < first:
        raise ValueError(f"--to {last} is before --from {first}")
    if problem := span_problem(first, last):
        raise ValueError(problem)
    whole_month = first.day == 1 and last == first.replace(
        day=_calendar.monthrange(first.year, first.month)[1])
    label = f"{first:%Y-%m}" if whole_month else f"{first.isoformat()}--{last.isoformat()}"
    return Period(label, first, last, zone_name, local_midnight(zone_name, first),
                  local_midnight(zone_name, last + timedelta(days=1)))


def month_period(text: str, zone_name: str) -> Period:
    """`--period 2026-10`: that calendar month in the provider's zone."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        first = date(year, month, 1)
    except ValueError:
        raise ValueError(f"{text!r} is not a month (YYYY-MM, e.g. 2026-10)") from None
    last = first.replace(day=_calendar.monthrange(year, month)[1])
    return range_period(first, last, zone_name)


def _month_starts(period: Period) -> list[int]:
    """UTC starts of the TREND_MONTHS whole months before the period, plus the last one's end.

    The last bound is the first of the month the period starts in: a period that
    does not start on the 1st leaves the part of its month before it out.
    """
    year, month = period.first.year, period.first.month
    firsts = []
    for back in range(TREND_MONTHS, -1, -1):
        index = year * 12 + month - 1 - back
        firsts.append(date(index // 12, index % 12 + 1, 1))
    return [local_midnight(period.zone, d) for d in firsts]


# -- hour groups --------------------------------------------------------------------------

def groups_of(schedule: Schedule, tz: tzinfo, opened: int) -> tuple[int, int]:
    """(weekday 0 / weekend 1, in hours 2 / out of hours 3) of a ticket opened at `opened`:
    indexes into GROUPS; the weekday in `tz`, the hours on the business clock."""
    moment = datetime.fromtimestamp(opened, tz)
    return (1 if moment.weekday() >= 5 else 0), (2 if is_open(schedule, moment) else 3)


# -- per-client usage ---------------------------------------------------------------------

class Tally:
    """met / total (met + breached) / pending."""

    __slots__ = ("met", "pending", "total")

    def __init__(self) -> None:
        self.met = self.total = self.pending = 0

    def add(self, other: Tally) -> None:
        self.met += other.met
        self.total += other.total
        self.pending += other.pending


@dataclass
class Usage:
    """What one client's period holds once its tickets are measured."""

    client: Client
    priorities: tuple[str, ...]
    tickets: dict[str, Tally] = field(default_factory=dict)         # priority -> Tally
    objectives: tuple[dict[str, Tally], ...] = ()   # per objective: priority -> Tally
    breaches: Listing = field(default_factory=lambda: Listing(events=True))   # of Breach
    pending: Listing = field(default_factory=lambda: Listing(events=False))   # of Pending
    turnaround: tuple[array[int], ...] = ()          # per GROUPS: array of seconds
    weekly: Counter[str] = field(default_factory=Counter)   # ISO week label -> tickets
    units: Counter[int] = field(default_factory=Counter)    # projection year -> tickets
    trend: dict[int, list[int]] = field(default_factory=dict)  # month -> [n, rm, rt, sm, st]
    skipped: int = 0
    features: Counter[str] = field(default_factory=Counter)  # feature as written -> tickets
    channels: Counter[str] = field(default_factory=Counter)  # channel as written -> tickets
    unpaid: list[Unpaid] = field(default_factory=list)       # U108: outside the tier
    excluded: int = 0    # tickets of the period in an --exclude-status status (cancelled)

    def __post_init__(self) -> None:
        self.tickets = {p: Tally() for p in self.priorities}
        self.objectives = tuple({p: Tally() for p in self.priorities} for _ in OBJECTIVES)
        self.turnaround = tuple(array("q") for _ in GROUPS)

    @property
    def count(self) -> int:
        return sum(t.total for t in self.tickets.values())


class Measure:
    """A period's figures per client, as the engine fills them (`columnar.ColumnarMeasure`):
    the clients' `Usage`, the trend months that hold tickets, the bounds of those months
    and of the projection years."""

    def __init__(self, charter: Charter, facts: Facts, period: Period) -> None:
        self.charter, self.facts, self.period = charter, facts, period
        self.usage = {c.id: Usage(c, charter.priorities) for c in charter.clients}
        self.months = _month_starts(period)
        self.trend_months: set[int] = set()
        self.provider_zone = zone(period.zone)
        self.years = _year_starts(charter, period.zone)

    def exclude(self, client: str, opened: int) -> None:
        """A ticket out of every figure (`--exclude-status`): counted if of the period."""
        if self.period.start <= opened < self.period.end:
            self.usage[client].excluded += 1

    def month_label(self, m: int) -> str:
        day = datetime.fromtimestamp(self.months[m], self.provider_zone)
        return f"{day:%Y-%m}"

    def weeks(self) -> list[str]:
        """ISO weeks (provider's zone) that overlap the period, in order."""
        labels: list[str] = []
        day = self.period.first
        while day <= self.period.last:
            iso = day.isocalendar()
            label = f"{iso.year}-W{iso.week:02d}"
            if not labels or labels[-1] != label:
                labels.append(label)
            day += timedelta(days=1)
        return labels


# -- turnaround quantiles -----------------------------------------------------------------

def quantile(values: Sequence[int], p: Fraction) -> Fraction | None:
    """Linear interpolation between closest ranks (numpy's default, R type 7); None if empty.

    `values` must be sorted. The median of an even count is the mean of the two middle values.
    """
    n = len(values)
    if not n:
        return None
    position = (n - 1) * p
    lo = int(position)
    if lo + 1 >= n:
        return Fraction(int(values[-1]))
    low, high = int(values[lo]), int(values[lo + 1])   # numpy's integers too
    return low + (high - low) * (position - lo)


# -- availability -------------------------------------------------------------------------

@dataclass(frozen=True)
class Availability:
    """Seconds: the window, planned maintenance excluded from it, downtime counted."""

    window: int
    excluded: int
    downtime: int

    @property
    def fraction(self) -> Fraction:
        measured = self.window - self.excluded
        return Fraction(measured - self.downtime, measured) * 100 if measured > 0 else Fraction(100)


def availability(client: Client, tier: Tier, maintenance: Schedule | None,
                 outages: list[Outage], period: Period) -> Availability:
    """Downtime of the outages that reach this client (scope all, its tier, or itself).

    Overlapping outages count once. A planned outage is excluded where it falls
    inside the tier's maintenance windows (and nowhere else); an unplanned outage
    always counts, even inside a window.
    """
    lo, hi = period.start, period.end
    planned_spans: list[tuple[int, int]] = []
    unplanned_spans: list[tuple[int, int]] = []
    for o in outages:
        kind, name = o.scope
        if kind == "all" or (kind == "tier" and name == tier.id) or \
                (kind == "client" and name == client.id):
            (planned_spans if o.planned else unplanned_spans).append((o.start, o.end))
    planned, unplanned = clip(merge(planned_spans), lo, hi), clip(merge(unplanned_spans), lo, hi)
    excluded: Intervals = ()
    if maintenance is not None and planned:
        windows = clip(expand(maintenance, period.first - timedelta(days=1),
                              period.last + timedelta(days=2), period.zone), lo, hi)
        excluded = subtract(intersect(planned, windows), unplanned)
    down = subtract(union(planned, unplanned), excluded)
    return Availability(hi - lo, total(excluded), total(down))


def credit_percent(tier: Tier, percent: Fraction) -> Decimal:
    """The credit of the band reached (the largest whose `below` the exact figure is under),
    capped."""
    credits = tier.credits
    if credits is None:
        return Decimal(0)
    reached = [band.credit.value for band in credits.bands if percent < Fraction(band.below.value)]
    value = max(reached, default=Decimal(0))
    if credits.cap is not None and value > credits.cap.value:
        value = credits.cap.value
    return value


# -- charges ------------------------------------------------------------------------------

def _year_starts(charter: Charter, zone_name: str) -> list[int]:
    """UTC starts of projection years 1..years+1 (year y runs [starts[y-1], starts[y]))."""
    start = charter.period.start
    return [local_midnight(zone_name, add_period(start, Span(months=12 * y)))
            for y in range(charter.period.years_or_default + 1)]


@dataclass(frozen=True)
class PeriodCharge:
    charge: Decimal          # rounded to the currency's minor unit, as invoiced
    forecast_units: Decimal  # exact: the year's whole forecast units, prorated
    share: Decimal | None    # projected share of the year of the period's first day
    year: int


def period_charge(charter: Charter, facts: Facts, client: Client, period: Period,
                  units: Counter[int]) -> PeriodCharge:
    """The period's charge: per-unit, the tickets of each projection year times that
    year's price, plus fixed fees; fixed fees and `share` charges by windows.

    The credit base of spec 8.2, the same as clause 6 of the agreements states: each whole
    calendar month of the period counts a twelfth of its projection year's fixed fee or
    share charge (a quarter is three twelfths, a year twelve); the days of a month the
    period holds only in part, or which a projection year starting mid-month splits,
    count by days (days / days of that projection year). Days are split by projection
    year (a period across a year boundary uses each year's figures for its days);
    outside the term, the nearest year of the term.
    The figures are the projection's, as invoiced (prices and fixed fees at the
    minor unit, share charges already rounded); the period's charge is rounded
    once, to the minor unit, as its invoice would be.
    """
    charge = forecast = Decimal(0)
    days_by_year: Counter[int] = Counter()
    months_by_year: Counter[int] = Counter()
    day = period.first
    while day <= period.last:
        year = projection_year(charter, day)
        month_end = day.replace(day=_calendar.monthrange(day.year, day.month)[1])
        if (day.day == 1 and month_end <= period.last
                and projection_year(charter, month_end) == year):
            months_by_year[year] += 1   # a whole window: a twelfth of the year
            day = month_end + timedelta(days=1)
            continue
        days_by_year[year] += 1
        day += timedelta(days=1)
    start, years = charter.period.start, charter.period.years_or_default
    for year in sorted(set(days_by_year) | set(months_by_year) | set(units)):
        y = min(max(year, 1), years)
        first = add_period(start, Span(months=12 * (y - 1)))
        length = Decimal((add_period(start, Span(months=12 * y)) - first).days)
        months, days = months_by_year[year], days_by_year[year]
        row = facts.table[client.id][y - 1]
        if charter.business.charging == "per-unit":
            charge += units[year] * row.per_unit + _windows(row.fixed, months, days, length)
        else:
            charge += _windows(row.charge, months, days, length)
        forecast += _windows(row.units, months, days, length)
    y0 = min(max(projection_year(charter, period.first), 1), years)
    return PeriodCharge(facts.money(charge), forecast, facts.table[client.id][y0 - 1].share, y0)


def _windows(amount: Decimal, months: int, days: int, year_days: Decimal) -> Decimal:
    """`amount` (a year's) for whole months by twelfths and other days by days; multiplied
    before dividing, so that a twelfth of 0.18 is exactly 0.015."""
    return amount * months / 12 + amount * days / year_days

