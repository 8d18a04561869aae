"""Coverage: needed hours that offered hours miss, and overlaps (maintenance vs needs).

Both are reported the way section 4 of the spec asks: total hours, hours in the
worst week, the weeks affected (ISO weeks in the client's own zone) and the
first interval in the client's local time. `describe()` turns a finding into
the words of a diagnostic message.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TypeVar

from ..records import record
from .intervals import Intervals, bucket_totals, intersect, subtract, total
from .schedule import Schedule, expand
from .syntax import DAY_NAMES, format_days
from .zones import local_time, wall_seconds, zone

__all__ = [
    "REFERENCE_START",
    "CoverageGap",
    "LocalSpan",
    "Overlap",
    "TimeFinding",
    "WeekHours",
    "fmt_hours",
    "gaps",
    "hours_per_week",
    "overlap",
    "uncovered",
]

REFERENCE_START = date(2025, 12, 29)  # Monday of ISO week 2026-W01: the default reference year
_DAY_WORDS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")
_ONE_DAY = timedelta(days=1)


def fmt_hours(seconds: float) -> str:
    """7_300_800 s -> "2,028"; 5400 s -> "1.5" (hours, one decimal at most)."""
    hours = round(seconds / 3600, 1)
    return f"{hours:,.0f}" if hours == int(hours) else f"{hours:,.1f}"


@record(eq=True)
class WeekHours:
    """Seconds of a finding in one ISO week (Monday 00:00 to Monday 00:00, local)."""

    year: int
    week: int
    monday: date
    seconds: int

    @property
    def hours(self) -> float:
        return self.seconds / 3600

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"


@record(eq=True)
class LocalSpan:
    """An interval shown in a local zone: aware datetimes."""

    start: datetime
    end: datetime

    def __str__(self) -> str:
        s, e = self.start, self.end
        if e.date() == s.date():
            return f"{s:%Y-%m-%d %H:%M}-{e:%H:%M}"
        if e.date() == s.date() + _ONE_DAY and (e.hour, e.minute) == (0, 0):
            return f"{s:%Y-%m-%d %H:%M}-24:00"
        return f"{s:%Y-%m-%d %H:%M} to {e:%Y-%m-%d %H:%M}"


@record(eq=True)
class TimeFinding:
    """A set of instants over a term, with the weekly figures diagnostics quote."""

    intervals: Intervals            # UTC seconds
    zone: str                       # the zone weeks and local times are shown in
    weeks: tuple[WeekHours, ...]    # weeks with any time, in order
    weeks_considered: int           # weeks of the term (gaps: weeks with any need)
    first: LocalSpan

    @property
    def total_seconds(self) -> int:
        return total(self.intervals)

    @property
    def total_hours(self) -> float:
        return self.total_seconds / 3600

    @property
    def weeks_affected(self) -> int:
        return len(self.weeks)

    @property
    def worst_week(self) -> WeekHours:
        """The week with the most time (the earliest on a tie)."""
        return max(self.weeks, key=lambda w: (w.seconds, -w.monday.toordinal()))

    @property
    def worst_week_hours(self) -> float:
        return self.worst_week.hours

    @property
    def average_week_hours(self) -> float:
        """Total hours over the weeks considered (not only the affected ones)."""
        return self.total_hours / max(self.weeks_considered, 1)

    @property
    def is_occasional(self) -> bool:
        """Only some weeks are hit (e.g. the weeks when one side has changed clocks)."""
        return self.weeks_affected <= max(12, self.weeks_considered // 2) \
            and self.weeks_affected < self.weeks_considered

    def _weeks(self) -> str:
        """`156 weeks`, or `3 weeks (2026-W11 to 2026-W13)` when only some are hit."""
        words = f"{self.weeks_affected} week{'s' if self.weeks_affected != 1 else ''}"
        return f"{words} ({self.weeks_text()})" if self.is_occasional else words

    def _where(self) -> str:
        words, rest = self._pattern(3)
        return f"{', '.join(words)} {self.zone}" + (" (and other times)" if rest else "")

    def week_runs(self) -> list[tuple[WeekHours, WeekHours]]:
        """Consecutive affected weeks as (first, last) pairs."""
        runs: list[list[WeekHours]] = []
        for w in self.weeks:
            if runs and (w.monday - runs[-1][1].monday).days == 7:
                runs[-1][1] = w
            else:
                runs.append([w, w])
        return [(a, b) for a, b in runs]

    def weeks_text(self, limit: int = 6) -> str:
        """`2026-W11 to 2026-W13, 2026-W44` (at most `limit` runs, then "and N more")."""
        runs = self.week_runs()
        parts = [a.label if a == b else f"{a.label} to {b.label}" for a, b in runs[:limit]]
        if len(runs) > limit:
            parts.append(f"and {len(runs) - limit} more")
        return ", ".join(parts)

    def pattern(self, limit: int = 3) -> str:
        """The local times hit, grouped: `Saturdays 07:00-20:00, Mon-Fri 17:00-20:00`.

        Intervals are grouped by local start, end and day span; a group names the
        weekdays on which it recurs (at least half as often as its most frequent
        weekday). One-off days (holidays), shapes recurring under a quarter as
        often as the leading one (DST nights) and groups past `limit` are summed
        up as "other times", which `describe` puts in brackets after the zone.
        """
        return ", ".join(self._pattern(limit)[0])

    def _pattern(self, limit: int) -> tuple[tuple[str, ...], bool]:
        return _pattern_of(self, limit)


_Shape = tuple[int, int, int]
"""Local start and end (seconds after midnight) and the days the interval spans."""


@record(eq=True, frozen=False)
class _Group:
    """Intervals of one shape: how many start on each weekday, their seconds, the first day."""

    counts: list[int]
    seconds: int
    first_day: int


@lru_cache(maxsize=4096)
def _pattern_of(finding: TimeFinding, limit: int) -> tuple[tuple[str, ...], bool]:
    """Cached per finding: describe() may be called for every diagnostic that quotes it."""
    last = datetime.fromtimestamp(finding.intervals[-1][1], finding.first.start.tzinfo)
    lt = local_time(finding.zone, finding.first.start.year - 1, last.year + 1)
    groups: dict[_Shape, _Group] = {}
    for s, e in finding.intervals:
        ws, we = lt.to_wall(s), lt.to_wall(e)
        day_s, sec_s = divmod(ws, 86400)
        day_e, sec_e = divmod(we, 86400)
        if sec_e == 0 and day_e > day_s:
            day_e, sec_e = day_e - 1, 86400
        entry = groups.setdefault((sec_s, sec_e, day_e - day_s), _Group([0] * 7, 0, day_s))
        entry.counts[(day_s + 3) % 7] += 1  # 1970-01-01 was a Thursday
        entry.seconds += e - s
    ranked = sorted(groups.items(), key=lambda kv: (-kv[1].seconds, kv[1].first_day))
    words: list[str] = []
    rest = False
    lead = max(ranked[0][1].counts)
    for n, (key, group) in enumerate(ranked):
        counts = group.counts
        top = max(counts)
        if n >= limit or 4 * top < lead:  # rarer shapes (DST nights, holidays)
            rest = True
            continue
        days = {d for d in range(7) if counts[d] and 2 * counts[d] >= top}
        rest = rest or any(counts[d] for d in range(7) if d not in days)
        words.append(_group_words(key, days))
    return tuple(words), rest


def _hhmm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _group_words(key: _Shape, days: set[int]) -> str:
    start, end, span = key
    if span >= 2 or (span == 1 and end >= start):
        first = min(days)
        return f"{DAY_NAMES[first].title()} {_hhmm(start)} to " \
               f"{DAY_NAMES[(first + span) % 7].title()} {_hhmm(end)}"
    if len(days) == 1:
        label = _DAY_WORDS[next(iter(days))]
    elif len(days) == 7:
        label = "Every day"
    else:
        label = ", ".join(p.title() if "-" not in p else
                          "-".join(x.title() for x in p.split("-"))
                          for p in format_days(days).split(","))
    return f"{label} {_hhmm(start)}-{_hhmm(end)}"


class CoverageGap(TimeFinding):
    """Needed instants the offered hours do not cover (V501)."""

    def describe(self) -> str:
        """`Saturdays 07:00-20:00 Europe/London are not covered: 13 h in the worst week,
        156 weeks, 2,028 h in the term; first 2026-01-03 07:00-20:00`."""
        return (f"{self._where()} are not covered: "
                f"{fmt_hours(self.worst_week.seconds)} h in the worst week, {self._weeks()}, "
                f"{fmt_hours(self.total_seconds)} h in the term; first {self.first}")


class Overlap(TimeFinding):
    """Instants in both schedules, e.g. maintenance windows inside needed hours (V504)."""

    def describe(self) -> str:
        """`Sundays 01:00-03:00 Europe/London: up to 2 h a week (average 2 h), 156 weeks,
        312 h in the term; first 2026-01-04 01:00-03:00`."""
        return (f"{self._where()}: up to {fmt_hours(self.worst_week.seconds)} h a "
                f"week (average {fmt_hours(self.average_week_hours * 3600)} h), {self._weeks()}, "
                f"{fmt_hours(self.total_seconds)} h in the term; first {self.first}")


_Finding = TypeVar("_Finding", bound=TimeFinding)

def _view_zone(first: Schedule, second: Schedule, zone_name: str | None) -> str:
    """The first schedule's zone; for a 24x7 one (no zone) `zone_name`, else the second's."""
    if not first.always:
        return first.timezone
    return zone_name or (second.timezone if not second.always else "UTC")


@lru_cache(maxsize=1024)
def _weeks(name: str, start: date, end: date) -> tuple[list[int], list[date]]:
    """UTC bounds of the local ISO weeks that meet [start, end), and their Mondays."""
    lt = local_time(name, start.year - 1, end.year + 1)
    monday = start - timedelta(days=start.weekday())
    mondays: list[date] = []
    while monday < end:
        mondays.append(monday)
        monday += timedelta(days=7)
    bounds = [lt.to_utc(wall_seconds(m)) for m in [*mondays, monday]]
    return bounds, mondays


@lru_cache(maxsize=4096)
def _weeks_with_time(base: Schedule, start: date, end: date, name: str) -> int:
    bounds, _ = _weeks(name, start, end)
    return sum(1 for sec in bucket_totals(expand(base, start, end, name), bounds) if sec)


def _finding(kind: type[_Finding], found: Intervals, name: str, start: date, end: date,
             base: Schedule | None = None) -> _Finding:
    bounds, mondays = _weeks(name, start, end)
    per_week = bucket_totals(found, bounds)
    weeks = tuple(WeekHours(*m.isocalendar()[:2], m, sec)
                  for m, sec in zip(mondays, per_week, strict=True) if sec)
    considered = len(mondays) if base is None else _weeks_with_time(base, start, end, name)
    tz = zone(name)
    s, e = found[0]
    first = LocalSpan(datetime.fromtimestamp(s, tz), datetime.fromtimestamp(e, tz))
    return kind(found, name, weeks, considered, first)


@lru_cache(maxsize=65536)
def uncovered(needed: Schedule, offered: Schedule, start: date, end: date,
              zone_name: str | None = None) -> Intervals:
    """Needed instants of the term [start, end) (in the needed zone) that `offered` misses.

    The offered hours are expanded a day wider on both sides, so a range that
    crosses the term's edge in the other zone is not mistaken for a gap.
    """
    if offered.always:
        return ()
    view = _view_zone(needed, offered, zone_name)
    need = expand(needed, start, end, view)
    offer = expand(offered, start - _ONE_DAY, end + _ONE_DAY, view)
    return subtract(need, offer)


@lru_cache(maxsize=65536)
def gaps(needed: Schedule, offered: Schedule, start: date, end: date,
         zone_name: str | None = None) -> CoverageGap | None:
    """What `offered` leaves uncovered of `needed` over [start, end), or None.

    Weeks and the first interval are in the needed schedule's zone; a 24x7 need
    has none, so it takes `zone_name` (pass the client's or provider's zone),
    else the offered zone.
    """
    found = uncovered(needed, offered, start, end, zone_name)
    if not found:
        return None
    view = _view_zone(needed, offered, zone_name)
    return _finding(CoverageGap, found, view, start, end, needed)


@lru_cache(maxsize=65536)
def overlap(a: Schedule, b: Schedule, start: date, end: date,
            zone_name: str | None = None) -> Overlap | None:
    """Instants open in both `a` and `b` over the term of `a` ([start, end) in its zone).

    Weeks and the first example are in `a`'s zone (for a 24x7 `a`: `zone_name`,
    else `b`'s): pass the needed hours first and the maintenance windows second,
    so V504 speaks in the client's time.
    """
    view = _view_zone(a, b, zone_name)
    both = intersect(expand(a, start, end, view), expand(b, start - _ONE_DAY, end + _ONE_DAY, view))
    if not both:
        return None
    return _finding(Overlap, both, view, start, end)


@lru_cache(maxsize=4096)
def hours_per_week(schedule: Schedule, start: date = REFERENCE_START, weeks: int = 52) -> float:
    """Average open hours per week over `weeks` weeks from `start` (holidays included)."""
    if schedule.always:
        return 168.0
    return total(expand(schedule, start, start + timedelta(weeks=weeks))) / 3600 / weeks
