"""The business clock over arrays of instants: a schedule's open time as a numpy index.

A business schedule becomes a cumulative open-seconds index over whole local years:
`starts`/`ends` are its open intervals (UTC seconds, sorted, disjoint; the intervals
`clock.py` counts on) and `cum[i]` the open seconds before interval i. Then

- open time in [a, b) is F(b) - F(a), where F(t) = cum[k] + the part of interval k
  before t (one `searchsorted`);
- the instant r open seconds after t is the first instant where F reaches F(t) + r
  (a second `searchsorted`), exactly as `clock.add_open_seconds` walks it;
- `Nd` targets read a table of open days (the latest close of each local day's ranges),
  as `clock.add_business` does.

Each answer comes with whether the index holds it; an instant it does not hold is
computed by `clock.py` itself, one at a time. Imported by the report only: numpy is
not loaded by `charterc check`.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import numpy.typing as npt

from .clock import _spans, _year
from .schedule import Schedule
from .zones import EPOCH_ORDINAL, local_time

__all__ = ["Bools", "Ints", "OpenIndex", "local_ordinals"]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
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

    def close_of_open_day(self, ts: Ints, n: int) -> tuple[Ints, Bools]:
        """`clock._close_of_open_day` over an array: the close of the n-th open day after
        the day each clock starts, and whether the index holds it."""
        first, closes, open_days = self.days()
        today = local_ordinals(self.schedule.timezone, ts, self.first_year - 1,
                               self.last_year + 1)
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
