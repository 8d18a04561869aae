"""A tier's clocks as arrays: deadlines, paused time and hour groups of many tickets at once.

A business schedule becomes a cumulative open-seconds index over the years a report
needs: `starts`/`ends` are its open intervals (UTC seconds, sorted, disjoint) and
`cum[i]` the open seconds before interval i. Then

- open time in [a, b) is F(b) - F(a), where F(t) = cum[k] + the part of interval k
  before t (one `searchsorted`);
- the instant r open seconds after t is the first instant where F reaches F(t) + r
  (a second `searchsorted`), exactly as `calendar.add_open_seconds` walks it;
- `Nd` targets read a table of open days (the latest close of each local day's ranges).

Every result equals the one `TierClock` (measure.py) computes one ticket at a time;
instants outside the indexed years are computed by `TierClock` itself.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import numpy.typing as npt

from ..calendar import Schedule, add_business, add_open_seconds, open_seconds
from ..calendar.clock import _spans, _year
from ..calendar.zones import EPOCH_ORDINAL, local_time
from .measure import TierClock

__all__ = ["NONE", "OpenIndex", "VectorClock", "local_ordinals"]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
NONE = np.int64(1 << 62)   # a missing instant: after every end
_MARGIN = 3 * 86400


def local_ordinals(zone_name: str, ts: Ints, first_year: int, last_year: int) -> Ints:
    """Proleptic ordinals of the local dates of UTC instants (`datetime.fromtimestamp`'s
    date), exact for instants within [first_year, last_year]."""
    lt = local_time(zone_name, first_year, last_year)
    instants = np.asarray(lt.instants, dtype=np.int64)
    after = np.asarray([lt.base, *lt.after], dtype=np.int64)
    offset = after[np.searchsorted(instants, ts, side="right")]
    return (ts + offset) // 86400 + EPOCH_ORDINAL


class OpenIndex:
    """Open intervals of a schedule over whole local years, with cumulative open seconds."""

    def __init__(self, schedule: Schedule, first_year: int, last_year: int) -> None:
        self.schedule = schedule
        self.first_year, self.last_year = first_year, last_year
        pairs = [pair for year in range(first_year, last_year + 1)
                 for pair in _year(schedule, year)[0]]
        self.starts = np.asarray([s for s, _ in pairs], dtype=np.int64)
        self.ends = np.asarray([e for _, e in pairs], dtype=np.int64)
        self.cum = np.zeros(len(pairs) + 1, dtype=np.int64)
        np.cumsum(self.ends - self.starts, out=self.cum[1:])
        zone_ = schedule.timezone
        lo = int(datetime(first_year, 1, 1, tzinfo=UTC).timestamp())
        hi = int(datetime(last_year + 1, 1, 1, tzinfo=UTC).timestamp())
        lt = local_time(zone_, first_year - 1, last_year + 1)
        self.lo, self.hi = lt.to_utc(lo) + _MARGIN, lt.to_utc(hi) - _MARGIN
        # the index is exact only if the years' intervals follow one another
        self.sound = bool(len(pairs)) and bool(np.all(self.starts[1:] >= self.ends[:-1]))
        self._days: tuple[int, Ints, Ints] | None = None

    def covers(self, ts: Ints) -> Bools:
        return (ts >= self.lo) & (ts < self.hi)

    def open_before(self, ts: Ints) -> Ints:
        """F(t): open seconds of the index before t."""
        n = len(self.starts)
        k = np.searchsorted(self.ends, ts, side="right")
        start = self.starts[np.minimum(k, n - 1)]
        inside = (k < n) & (start < ts)
        return self.cum[k] + np.where(inside, ts - start, 0)

    def reach(self, target: Ints) -> tuple[Ints, Bools]:
        """The first instant where F reaches `target`, and whether the index holds it."""
        n = len(self.starts)
        i = np.searchsorted(self.cum[1:], target, side="left")
        held = i < n
        j = np.minimum(i, n - 1)
        return self.starts[j] + (target - self.cum[j]), held

    def is_open(self, ts: Ints) -> Bools:
        n = len(self.starts)
        k = np.searchsorted(self.ends, ts, side="right")
        return (k < n) & (self.starts[np.minimum(k, n - 1)] <= ts)

    def days(self) -> tuple[int, Ints, Ints]:
        """(first ordinal, latest close per day or -1 when closed, ordinals of open days)."""
        if self._days is None:
            first = date(self.first_year, 1, 1).toordinal()
            last = date(self.last_year, 12, 31).toordinal()
            closes = np.full(last - first + 1, -1, dtype=np.int64)
            for ordinal in range(first, last + 1):
                spans = _spans(self.schedule, ordinal)
                if spans:
                    closes[ordinal - first] = max(e for _, e in spans)
            self._days = first, closes, np.flatnonzero(closes >= 0).astype(np.int64) + first
        return self._days


class VectorClock:
    """`TierClock.due`, `extend` and `groups` over arrays of tickets."""

    def __init__(self, clock: TierClock, first_year: int, last_year: int) -> None:
        self.clock = clock
        self.first_year, self.last_year = first_year, last_year
        self._index: OpenIndex | None = None

    def _hours(self) -> Schedule:
        return self.clock._hours()

    def index(self) -> OpenIndex:
        if self._index is None:
            self._index = OpenIndex(self._hours(), self.first_year - 1, self.last_year + 2)
        return self._index

    def _business(self) -> OpenIndex | None:
        """The index when open time must be counted on it; None when the clock is 24x7."""
        schedule = self._hours()
        if schedule.always:
            return None
        index = self.index()
        return index if index.sound else None

    def due(self, k: int, priority: str, opened: Ints) -> Ints | None:
        targets, clock = self.clock.targets[k]
        target = targets.get(priority)
        if target is None:
            return None
        if clock == "calendar" or self._hours().is_24x7:
            return opened + target.calendar_minutes * 60
        schedule = self._hours()
        if not target.minutes and not target.days:
            return opened.copy()
        index = self._business()
        due = opened.copy()
        ok = np.ones(len(opened), dtype=bool) if index is None else index.covers(opened)
        if index is not None:
            if target.days:
                due, held = self._close_of_open_day(index, due, target.days)
                ok &= held
            if target.minutes:
                reached, held = index.reach(index.open_before(due) + target.minutes * 60)
                due = np.where(held, reached, due)
                ok &= held & index.covers(due)
        for i in np.flatnonzero(~ok) if index is not None else range(len(opened)):
            start = datetime.fromtimestamp(int(opened[i]), UTC)
            due[i] = int(add_business(schedule, start, minutes=target.minutes,
                                      days=target.days).timestamp())
        return due

    def _close_of_open_day(self, index: OpenIndex, ts: Ints, n: int) -> tuple[Ints, Bools]:
        """`calendar.clock._close_of_open_day` over an array."""
        first, closes, open_days = index.days()
        zone_name = self._hours().timezone
        today = local_ordinals(zone_name, ts, index.first_year - 1, index.last_year + 1)
        held = (today - 1 >= first) & (today - first < len(closes))
        t = np.clip(today - first, 1, len(closes) - 1)
        yesterday_close, today_close = closes[t - 1], closes[t]
        # the day the clock starts on: yesterday (a range past midnight), today, or the
        # next open day
        after = np.searchsorted(open_days, today, side="right")
        held &= after < len(open_days)
        next_open = open_days[np.minimum(after, len(open_days) - 1)]
        start = np.where(ts < yesterday_close, today - 1,
                         np.where(ts < today_close, today, next_open))
        j = np.searchsorted(open_days, start, side="right")
        held &= j + n - 1 < len(open_days)
        close = ts.copy()
        for step in range(n):
            day = open_days[np.minimum(j + step, len(open_days) - 1)]
            close = np.maximum(close, closes[day - first])
        return close, held

    def extend(self, k: int, due: Ints, who: Ints, starts: Ints, ends: Ints,
               rank: Ints) -> tuple[Ints, Ints]:
        """The deadlines `due` moved by pauses (ticket `who`, [starts, ends), `rank`: the
        pause's place among its ticket's, in order), and the time paused on the clock."""
        due = due.copy()
        paused = np.zeros(len(due), dtype=np.int64)
        if not len(who):
            return due, paused
        calendar_clock = self.clock.targets[k][1] == "calendar"
        index = None if calendar_clock else self._business()
        schedule = None if calendar_clock else self._hours()
        for j in range(int(rank.max()) + 1):
            at = rank == j
            t, s, e = who[at], starts[at], ends[at]
            moving = s < due[t]   # a pause that starts after the deadline changes nothing
            t, s, e = t[moving], s[moving], e[moving]
            if calendar_clock or schedule is None or schedule.always:
                length = e - s
                due[t] += length
            elif index is None:
                length = np.asarray([open_seconds(schedule, int(a), int(b))
                                     for a, b in zip(s, e, strict=True)], dtype=np.int64)
                due[t] = [add_open_seconds(schedule, int(d), int(x))
                          for d, x in zip(due[t], length, strict=True)]
            else:
                length, moved = self._extend_business(index, schedule, due[t], s, e)
                due[t] = moved
            paused[t] += length
        return due, paused

    @staticmethod
    def _extend_business(index: OpenIndex, schedule: Schedule, due: Ints, s: Ints,
                         e: Ints) -> tuple[Ints, Ints]:
        ok = index.covers(s) & index.covers(e) & index.covers(due)
        length = index.open_before(e) - index.open_before(s)
        reached, held = index.reach(index.open_before(due) + length)
        ok &= held & index.covers(reached)
        moved = np.where(length > 0, reached, due)
        for i in np.flatnonzero(~ok):
            length[i] = open_seconds(schedule, int(s[i]), int(e[i]))
            moved[i] = add_open_seconds(schedule, int(due[i]), int(length[i]))
        return length, moved

    def groups(self, opened: Ints) -> tuple[Ints, Ints]:
        """(weekday 0 / weekend 1, in hours 2 / out of hours 3) of each ticket."""
        zone_name = self.clock.zone.key
        ordinal = local_ordinals(zone_name, opened, self.first_year - 1, self.last_year + 1)
        weekend = ((ordinal + 6) % 7 >= 5).astype(np.int64)
        schedule = self._hours()
        if schedule.always:
            return weekend, np.full(len(opened), 2, dtype=np.int64)
        index = self.index()
        inside = index.is_open(opened)
        ok = index.covers(opened) & index.sound
        hours = np.where(inside, 2, 3).astype(np.int64)
        for i in np.flatnonzero(~ok):
            hours[i] = self.clock.groups(int(opened[i]))[1]
        return weekend, hours
