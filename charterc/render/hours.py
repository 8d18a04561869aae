"""Support hours for people: a schedule as written, and the same hours in the reader's zone.

A client in London reads Paris hours more easily as London hours. The hours as
written (with their zone) are always shown as well: they are the contract.

The local hours come from the calendar package: the written ranges are expanded
over the term (DST-correct, holidays aside: the text names them apart), and
each opening and closing instant is read on both zones' clocks. The shift shown
is the one that holds for most of them; when the zones change clocks on
different dates some weeks fall under another shift, and `weeks` names them (as
runs of ISO weeks in the reader's zone).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ..calendar.schedule import Range, Schedule, expand
from ..calendar.syntax import parse_days, parse_time
from ..calendar.zones import EPOCH_ORDINAL, local_time, wall_seconds
from ..model.hours import Hours

__all__ = ["HoursView", "Rule", "hours_view", "shifted"]


@dataclass(frozen=True)
class Rule:
    days: frozenset[int]   # 0 = Monday
    start: int             # minutes since midnight
    end: int               # minutes since midnight; end <= start runs past midnight


@dataclass(frozen=True)
class HoursView:
    always: bool                     # 24x7
    rules: tuple[Rule, ...]
    zone: str
    holidays: object                 # a code, "none" or {country, extra, remove}
    weeks: tuple[tuple[str, str], ...] = ()  # (first, last) ISO weeks under another shift

    @property
    def approximate(self) -> bool:
        """The zones change clocks on different dates: the rules hold most of the year."""
        return bool(self.weeks)


def hours_view(hours: Hours) -> HoursView:
    """The model's hours as written, in their zone (own or inherited), with their holidays."""
    if hours.is_24x7:
        return HoursView(True, (), hours.zone, "none")
    rules = tuple(Rule(parse_days(r["days"]), parse_time(r["from"]), parse_time(r["to"]))
                  for r in hours.entries)
    return HoursView(False, rules, hours.zone, hours.holidays)


def _week_runs(mondays: set[date]) -> tuple[tuple[str, str], ...]:
    runs: list[list[date]] = []
    for monday in sorted(mondays):
        if runs and monday - runs[-1][1] == timedelta(days=7):
            runs[-1][1] = monday
        else:
            runs.append([monday, monday])
    return tuple((_week_label(a), _week_label(b)) for a, b in runs)


def _week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@lru_cache(maxsize=1024)
def _usual_shift(ranges: tuple[Range, ...], source: str, target: str, start: date,
                 end: date) -> tuple[int, tuple[tuple[str, str], ...]]:
    """Minutes to add to `source` wall time to read `target` wall time, for most openings and
    closings of `ranges` over the term [start, end); and the weeks when another shift holds.

    ValueError for an unknown zone.
    """
    opened = expand(Schedule(ranges, source), start, end)
    src = local_time(source, start.year - 1, end.year + 1)
    dst = local_time(target, start.year - 1, end.year + 1)
    instants = [t for pair in opened for t in pair] or [src.to_utc(wall_seconds(start))]
    shifts = [(t, (dst.offset(t) - src.offset(t)) // 60) for t in instants]
    counts = Counter(shift for _, shift in shifts)
    usual = max(counts, key=lambda s: (counts[s], -abs(s)))
    mondays: set[date] = set()
    for t, shift in shifts:
        if shift != usual:
            day = date.fromordinal(EPOCH_ORDINAL + dst.to_wall(t) // 86400)
            mondays.add(day - timedelta(days=day.weekday()))
    return usual, _week_runs(mondays)


def _moved(rule: Rule, shift: int) -> Rule:
    day_shift, start = divmod(rule.start + shift, 1440)
    length = (rule.end - rule.start) % 1440 or 1440
    return Rule(frozenset((d + day_shift) % 7 for d in rule.days), start, (start + length) % 1440)


def shifted(view: HoursView, target: str, term: tuple[date, date]) -> HoursView:
    """The same hours in zone `target` over the term (unchanged when 24x7 or already there)."""
    if view.always or view.zone == target or not view.rules:
        return view
    ranges = tuple((r.days, r.start, r.end) for r in view.rules)
    try:
        shift, weeks = _usual_shift(ranges, view.zone, target, *term)
    except ValueError:  # unknown zone: V505 reports it; show as written
        return view
    return HoursView(False, tuple(_moved(r, shift) for r in view.rules), target, view.holidays,
                     weeks)
