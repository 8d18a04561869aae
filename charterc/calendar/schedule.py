"""Support hours: a weekly schedule in a time zone, closed on holidays, and its expansion.

A `Schedule` is the typed form of an `hours` value. `expand` turns it into the
UTC intervals it is open over a period of local dates, which is what coverage,
overlap and the business clock all work on. Decisions (docs/calendar.md):

- a range belongs to the day it starts: `22:00-06:00` on `mon-fri` runs Monday
  22:00 to Tuesday 06:00, ..., Friday 22:00 to Saturday 06:00;
- a holiday closes the ranges that start on it; a range started the evening
  before a holiday runs on past midnight;
- `24:00` is the end of the day; a range whose end equals its start is refused
  (write `00:00`-`24:00` for a whole day);
- wall-clock times follow `zones.LocalTime`: a missing local time is skipped,
  a repeated one names its first occurrence.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import field
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar

from ..errors import CharterError
from ..records import record
from .holiday import NO_HOLIDAYS, HolidayCalendar
from .intervals import Intervals, clip, merge
from .syntax import format_days, format_time, parse_days, parse_time
from .zones import EPOCH_ORDINAL, LocalTime, local_time, wall_seconds, zone

__all__ = ["TWENTY_FOUR_SEVEN", "Range", "Schedule", "ScheduleError", "day_spans", "expand"]

Range = tuple[frozenset[int], int, int]
"""(days, from_minutes, to_minutes): to <= from runs past midnight; 1440 is 24:00."""


class ScheduleError(CharterError, ValueError):
    """A malformed `hours` value; `path` locates it inside the value (for a JSON pointer)."""

    def __init__(self, message: str, path: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.path = path


@record(eq=True)
class Schedule:
    """Open hours: weekly ranges in `timezone`, closed on `holidays`; or 24x7 (`always`).

    Frozen and hashable so that expansions can be cached per schedule: a
    portfolio of a thousand charters with the same hours expands them once.
    """

    ranges: tuple[Range, ...] = ()
    timezone: str = "UTC"
    holidays: HolidayCalendar = NO_HOLIDAYS
    always: bool = False
    _weekly: tuple[tuple[tuple[int, int], ...], ...] = field(
        default=(), init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        # per weekday: (start, end) in seconds after that day's local midnight
        table: list[list[tuple[int, int]]] = [[] for _ in range(7)]
        for days, start, end in self.ranges:
            stop = end if end > start else end + 1440
            for d in days:
                table[d].append((start * 60, stop * 60))
        object.__setattr__(self, "_weekly", tuple(tuple(sorted(t)) for t in table))

    @property
    def is_24x7(self) -> bool:
        return self.always

    @classmethod
    def from_value(cls, value: Any, default_timezone: str | None = None,
                   default_holidays: Any = None) -> Schedule:
        """`"24x7"` or `{schedule: [{days, from, to}], timezone?, holidays?}` -> Schedule.

        A missing `timezone`/`holidays` takes the default given (the model passes
        the provider's zone, and its holiday default). Raises `ScheduleError`
        (a ValueError with `.path`) for anything malformed or unknown.
        """
        if isinstance(value, str) and value.strip().lower() == "24x7":
            return TWENTY_FOUR_SEVEN
        if not isinstance(value, Mapping):
            raise ScheduleError(f"hours must be 24x7 or a mapping with a schedule, not {value!r}")
        unknown = set(value) - {"schedule", "timezone", "holidays"}
        if unknown:
            key = sorted(unknown)[0]
            raise ScheduleError(f"unknown key {key!r} in hours (expected schedule, timezone, "
                                f"holidays)", (key,))
        items = value.get("schedule")
        if not isinstance(items, Sequence) or isinstance(items, str) or not items:
            raise ScheduleError("hours need a non-empty schedule list of {days, from, to}",
                                ("schedule",))
        ranges = tuple(sorted({_range(item, i) for i, item in enumerate(items)},
                              key=lambda r: (r[1], r[2], sorted(r[0]))))
        name = value.get("timezone", default_timezone)
        if name is None:
            raise ScheduleError("hours need a timezone (or a provider timezone to inherit)",
                                ("timezone",))
        try:
            zone(name)
        except (ValueError, TypeError) as exc:
            raise ScheduleError(str(exc), ("timezone",)) from None
        where: tuple[str, ...] = ("holidays",) if "holidays" in value else ()
        raw = value.get("holidays", default_holidays)
        try:
            calendar = raw if isinstance(raw, HolidayCalendar) else HolidayCalendar.from_value(raw)
            calendar.validate()
        except ValueError as exc:
            raise ScheduleError(str(exc), where) from None
        return cls(ranges, name, calendar)

    def __str__(self) -> str:
        if self.always:
            return "24x7"
        spans = ", ".join(f"{format_days(d)} {format_time(a)}-{format_time(b)}"
                          for d, a, b in self.ranges)
        return f"{spans} {self.timezone} holidays {self.holidays}"


TWENTY_FOUR_SEVEN = Schedule(always=True)
_T = TypeVar("_T")


def _range(item: Any, i: int) -> Range:
    if not isinstance(item, Mapping):
        raise ScheduleError("each schedule entry is {days, from, to}", ("schedule", i))
    for key in item:
        if key not in ("days", "from", "to"):
            raise ScheduleError(f"unknown key {key!r} (expected days, from, to)",
                                ("schedule", i, key))
    days = _field(item, i, "days", parse_days)
    start = _field(item, i, "from", parse_time)
    end = _field(item, i, "to", parse_time)
    if start == 1440:
        raise ScheduleError("a range cannot start at 24:00 (write 00:00 on the next day)",
                            ("schedule", i, "from"))
    if start == end:
        raise ScheduleError(f"empty range {format_time(start)}-{format_time(end)}: write "
                            f"00:00-24:00 for a whole day", ("schedule", i, "to"))
    return days, start, end


def _field(item: Mapping[Any, Any], i: int, key: str, parse: Callable[[object], _T]) -> _T:
    if key not in item:
        raise ScheduleError(f"schedule entry lacks {key!r}", ("schedule", i))
    try:
        return parse(item[key])
    except ValueError as exc:
        raise ScheduleError(str(exc), ("schedule", i, key)) from None


def _clock(schedule: Schedule, first: date, last: date) -> LocalTime:
    return local_time(schedule.timezone, first.year - 1, last.year + 1)


def day_spans(schedule: Schedule, ordinal: int, lt: LocalTime,
              closed: frozenset[date]) -> list[tuple[int, int]]:
    """UTC (start, end) of the ranges that start on local day `ordinal` (empty if closed)."""
    spans = schedule._weekly[(ordinal - 1) % 7]
    if not spans or date.fromordinal(ordinal) in closed:
        return []
    base = (ordinal - EPOCH_ORDINAL) * 86400
    to_utc = lt.to_utc
    out: list[tuple[int, int]] = []
    for a, b in spans:
        s, e = to_utc(base + a), to_utc(base + b)
        if s < e:
            out.append((s, e))
    return out


def expand(schedule: Schedule, start: date, end: date, zone_name: str | None = None) -> Intervals:
    """Open time over [start 00:00, end 00:00) local, as merged UTC second intervals.

    The bounds are in the schedule's zone; for 24x7 (which has none) in
    `zone_name` (default UTC) - pass the provider's or the client's zone.
    Ranges starting the day before `start` contribute their part after it.
    Cached per (schedule, start, end): a term is expanded once per distinct schedule.
    """
    return _expand(schedule, start, end, (zone_name or "UTC") if schedule.always else None)


@lru_cache(maxsize=4096)
def _expand(schedule: Schedule, start: date, end: date, zone_name: str | None) -> Intervals:
    if end <= start:
        return ()
    if schedule.always:
        lt = local_time(zone_name, start.year - 1, end.year + 1)
        return ((lt.to_utc(wall_seconds(start)), lt.to_utc(wall_seconds(end))),)
    lt = _clock(schedule, start, end)
    lo, hi = lt.to_utc(wall_seconds(start)), lt.to_utc(wall_seconds(end))
    closed = schedule.holidays.dates(start.year - 1, end.year)
    shut = {d.toordinal() for d in closed}
    pairs: list[tuple[int, int]] = []
    # the ranges that start the day before `start` contribute their part after it
    for first, last, offset in _runs(lt, start.toordinal() - 1, end.toordinal()):
        if offset is None:
            for ordinal in range(first, last):
                pairs += day_spans(schedule, ordinal, lt, closed)
        else:
            pairs += _shifted_week(schedule, first, last, offset, shut)
    # clipping the merged set is clipping each range and then merging: the same instants
    return clip(merge(pairs), lo, hi)


# A day's ranges lie within two days of its local midnight (start < 24:00, length <= 24 h).
_REACH = 2 * 86400


def _runs(lt: LocalTime, first: int, last: int) -> list[tuple[int, int, int | None]]:
    """Local days [first, last) cut into runs (first, last, UTC offset or None).

    Within a run with an offset, every wall time a day's ranges can touch is one fixed
    offset from UTC (no offset change is near), so its ranges are the weekly table
    shifted; a run with None holds the days near an offset change (daylight saving),
    converted time by time as `LocalTime.to_utc` decides gaps and folds.
    """
    near: list[tuple[int, int]] = []  # [from, to) days whose ranges may meet a change
    for lo, hi in zip(lt.lo, lt.hi, strict=True):
        # day d touches [lo, hi] when its midnight is in [lo - _REACH, hi]; one day of margin
        a = max(first, EPOCH_ORDINAL + (lo - _REACH) // 86400 - 1)
        b = min(last, EPOCH_ORDINAL + hi // 86400 + 2)
        if a < b:
            near.append((a, b))
    runs: list[tuple[int, int, int | None]] = []
    day = first
    for a, b in near:  # the changes are in time order, so these are too
        a = max(a, day)
        if day < a:
            runs.append((day, a, _offset_at(lt, day)))
        if a < b:
            runs.append((a, b, None))
            day = b
    if day < last:
        runs.append((day, last, _offset_at(lt, day)))
    return runs


def _offset_at(lt: LocalTime, ordinal: int) -> int:
    """Wall minus UTC seconds at local midnight of a day no offset change is near."""
    wall = (ordinal - EPOCH_ORDINAL) * 86400
    return wall - lt.to_utc(wall)


def _shifted_week(schedule: Schedule, first: int, last: int, offset: int,
                  shut: set[int]) -> list[tuple[int, int]]:
    """UTC (start, end) of the ranges of the days [first, last) at a fixed UTC offset,
    but for the days `shut` (ordinals).

    Each day's ranges are its weekday's in the weekly table, shifted: no per-time
    conversion. Days are taken in order, so the pairs come out nearly sorted.
    """
    weekly = schedule._weekly
    out: list[tuple[int, int]] = []
    shift = (first - EPOCH_ORDINAL) * 86400 - offset
    for ordinal in range(first, last):
        spans = weekly[(ordinal - 1) % 7]  # ordinal 1 is a Monday
        if spans and ordinal not in shut:
            out += [(shift + a, shift + b) for a, b in spans]
        shift += 86400
    return out
