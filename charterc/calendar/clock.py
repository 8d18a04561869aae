"""The business clock: deadlines and elapsed time counted on a schedule's open hours.

Used by the service-level rules (T602-T604) and by management reports. Rules
(docs/calendar.md):

- `h`/`m`: only open time counts; a clock started outside hours starts at the
  next opening. 4h from Friday 16:30 on a 08:00-18:00 weekday schedule is due
  Monday 10:30.
- `Nd`: by the close of the N-th open day after the day the clock starts. The
  clock starts on the day that owns the open range it starts in (a range
  belongs to the day it starts), or on the day of the next opening.
- `NdXh`: the `Nd` deadline first, then X business hours from it (so from the
  next opening after that close).
- 24x7: plain calendar arithmetic.

Instants are counted to the second. Open time is wall-clock time in the
schedule's zone, holidays closed, as `expand` defines it.
"""
from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime, timedelta
from functools import lru_cache

from .coverage import REFERENCE_START
from .intervals import Intervals, total
from .schedule import Schedule, day_spans, expand
from .zones import local_time, zone

__all__ = [
    "add_business",
    "add_open_seconds",
    "average_open_hours_per_open_day",
    "business_elapsed",
    "business_minimum_wallclock",
    "is_open",
    "open_seconds",
]

_HORIZON_YEARS = 10  # a schedule that does not open within this is an error, not a loop


def _seconds(moment: datetime, *, ceil: bool = False) -> int:
    """Whole UTC seconds of an aware instant: floored, or rounded up (`ceil`)."""
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"the business clock needs an aware datetime, not {moment!r}")
    stamp = moment.timestamp()
    return int(-(-stamp // 1)) if ceil else int(stamp // 1)


@lru_cache(maxsize=1024)
def _year(schedule: Schedule, year: int) -> tuple[Intervals, list[int]]:
    """Open intervals of one local year, and their ends for bisection."""
    chunk = expand(schedule, date(year, 1, 1), date(year + 1, 1, 1))
    return chunk, [e for _, e in chunk]


def _local_date(schedule: Schedule, ts: int) -> date:
    return datetime.fromtimestamp(ts, zone(schedule.timezone)).date()


@lru_cache(maxsize=8192)
def _spans(schedule: Schedule, ordinal: int) -> tuple[tuple[int, int], ...]:
    """The open spans (UTC seconds) of one local day; cached, as reports ask for the same
    days for every ticket of a period."""
    year = date.fromordinal(ordinal).year
    lt = local_time(schedule.timezone, year - 1, year + 1)
    return tuple(day_spans(schedule, ordinal, lt, schedule.holidays.dates(year - 1, year + 1)))


def _add_open(schedule: Schedule, ts: int, remaining: int) -> int:
    first = _local_date(schedule, ts).year
    for year in range(first, first + _HORIZON_YEARS):
        chunk, ends = _year(schedule, year)
        for k in range(bisect_right(ends, ts), len(chunk)):
            s, e = chunk[k]
            if s < ts:
                s = ts
            if e - s >= remaining:
                return s + remaining
            remaining -= e - s
            ts = e
    raise ValueError(f"the schedule {schedule} has no open time within {_HORIZON_YEARS} years")


def _start_day(schedule: Schedule, ts: int) -> int:
    """Ordinal of the open day the clock starts on (see module docstring)."""
    today = _local_date(schedule, ts).toordinal()
    if any(ts < e for _, e in _spans(schedule, today - 1)):
        return today - 1  # inside a past-midnight range started yesterday
    if any(ts < e for _, e in _spans(schedule, today)):
        return today      # inside today's hours, or before today's opening
    for ordinal in range(today + 1, today + 366 * _HORIZON_YEARS):
        if _spans(schedule, ordinal):
            return ordinal
    raise ValueError(f"the schedule {schedule} has no open day within {_HORIZON_YEARS} years")


def _close_of_open_day(schedule: Schedule, ts: int, n: int) -> int:
    ordinal = _start_day(schedule, ts)
    close = ts  # deadlines never go back: a range from the day before may close later
    for _ in range(366 * _HORIZON_YEARS):
        ordinal += 1
        spans = _spans(schedule, ordinal)
        if spans:
            n -= 1
            close = max(close, max(e for _, e in spans))
            if n == 0:
                return close
    raise ValueError(f"the schedule {schedule} has too few open days")


def add_business(schedule: Schedule, start: datetime, *, minutes: int = 0,
                 days: int = 0) -> datetime:
    """The deadline `days` open days and `minutes` open minutes after `start`.

    Returned in `start`'s time zone. Both parts zero: `start` itself.
    """
    if minutes < 0 or days < 0:
        raise ValueError("a business duration cannot be negative")
    # The clock counts whole seconds; a start inside a second counts from its end, so that
    # no deadline falls before its start.
    ts = _seconds(start, ceil=True)
    if schedule.always:
        return start + timedelta(days=days, minutes=minutes)
    if not minutes and not days:
        return start
    if days:
        ts = _close_of_open_day(schedule, ts, days)
    if minutes:
        ts = _add_open(schedule, ts, minutes * 60)
    return datetime.fromtimestamp(ts, start.tzinfo)


def business_elapsed(schedule: Schedule, start: datetime, end: datetime) -> timedelta:
    """Open time between two instants (negative if `end` is before `start`)."""
    if schedule.always:
        return end - start
    a, b = _seconds(start), _seconds(end)
    if b < a:
        return -business_elapsed(schedule, end, start)
    return timedelta(seconds=open_seconds(schedule, a, b))


def open_seconds(schedule: Schedule, a: int, b: int) -> int:
    """Open seconds of the schedule in [a, b) (UTC epoch seconds; 0 when b <= a)."""
    if b <= a:
        return 0
    if schedule.always:
        return b - a
    seconds = 0
    for year in range(_local_date(schedule, a).year, _local_date(schedule, b).year + 1):
        chunk, ends = _year(schedule, year)
        for k in range(bisect_right(ends, a), len(chunk)):
            s, e = chunk[k]
            if s >= b:
                break
            seconds += min(e, b) - max(s, a)
    return seconds


def add_open_seconds(schedule: Schedule, ts: int, seconds: int) -> int:
    """The instant `seconds` of open time after `ts` (UTC epoch seconds): a deadline moved
    by time its clock did not run (a paused ticket)."""
    if seconds <= 0:
        return ts
    if schedule.always:
        return ts + seconds
    return _add_open(schedule, ts, seconds)


def is_open(schedule: Schedule, moment: datetime) -> bool:
    """Whether the schedule is open at `moment` (in-hours vs out-of-hours in reports)."""
    if schedule.always:
        return True
    ts = _seconds(moment)
    chunk, ends = _year(schedule, _local_date(schedule, ts).year)
    k = bisect_right(ends, ts)
    return k < len(chunk) and chunk[k][0] <= ts


def business_minimum_wallclock(minutes: int = 0, days: int = 0) -> timedelta:
    """The least wall-clock time a business target takes, as the spec fixes it for
    comparisons across clocks: Nh/Nm exactly, Nd at least N x 24h (so `1d4h` is 28h)."""
    return timedelta(days=days, minutes=minutes)


@lru_cache(maxsize=4096)
def average_open_hours_per_open_day(schedule: Schedule, start: date = REFERENCE_START,
                                    weeks: int = 52) -> float:
    """Open hours / open days over `weeks` weeks from `start`: the length of a business
    day when business targets are compared (T602-T604, diff). 24.0 for 24x7."""
    if schedule.always:
        return 24.0
    end = start + timedelta(weeks=weeks)
    open_days = sum(1 for o in range(start.toordinal(), end.toordinal()) if _spans(schedule, o))
    if not open_days:
        return 0.0
    return total(expand(schedule, start, end)) / 3600 / open_days

