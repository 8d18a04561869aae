"""A tier's clocks: the deadlines of its response and resolution targets, the time a
pause moves them by, and the hour groups of tickets, over arrays of tickets.

The business clock is calendar/'s, the one the checks use: `calendar/index.py` counts
open time over the years a report needs as array searches, and an instant that index
does not hold (a deadline years away, a schedule whose years overlap) is computed by
`calendar/clock.py` one at a time. Calendar clocks add seconds.
"""
from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from ..calendar import Schedule, add_business, add_open_seconds, open_seconds, zone
from ..calendar.index import Ints, OpenIndex, local_ordinals
from ..model.charter import Tier
from ..model.values import Duration
from .measure import OBJECTIVES, groups_of

__all__ = ["TierClock"]


class TierClock:
    """One tier's targets on its clocks, for the tickets opened within [first_year, last_year]
    (the years the business-hours index spans; instants beyond are computed one by one)."""

    def __init__(self, tier: Tier, first_year: int, last_year: int) -> None:
        self.tier = tier
        self.schedule = tier.hours.schedule   # None: hours that cannot be read (V505)
        self.zone = zone(tier.hours.zone)
        self.first_year, self.last_year = first_year, last_year
        self.targets: list[tuple[dict[str, Duration], str]] = []
        self.pause_on: list[tuple[str, ...]] = []
        for kind in OBJECTIVES:
            objective = getattr(tier.objectives, kind)
            self.targets.append(({} if objective is None else dict(objective.priority_targets),
                                 "calendar" if objective is None else objective.clock_or_default))
            self.pause_on.append(() if objective is None else objective.pause_on)
        self.features = frozenset(tier.features or ())
        self._index: OpenIndex | None = None

    def hours(self) -> Schedule:
        if self.schedule is None:
            raise ValueError(f"tier {self.tier.id}: its hours cannot be read (V505)")
        return self.schedule

    def index(self) -> OpenIndex:
        if self._index is None:
            self._index = OpenIndex(self.hours(), self.first_year - 1, self.last_year + 2)
        return self._index

    def _business(self) -> OpenIndex | None:
        """The index when open time must be counted on it; None when the clock is 24x7."""
        schedule = self.hours()
        if schedule.always:
            return None
        index = self.index()
        return index if index.sound else None

    def due(self, k: int, priority: str, opened: Ints) -> Ints | None:
        """Deadlines (UTC seconds) of objective k for tickets opened at `opened`; None when
        the priority has no target."""
        targets, clock = self.targets[k]
        target = targets.get(priority)
        if target is None:
            return None
        if clock == "calendar" or self.hours().is_24x7:
            return opened + target.calendar_minutes * 60
        schedule = self.hours()
        if not target.minutes and not target.days:
            return opened.copy()
        index = self._business()
        due = opened.copy()
        ok = np.ones(len(opened), dtype=bool) if index is None else index.covers(opened)
        if index is not None:
            if target.days:
                due, held = index.close_of_open_day(due, target.days)
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

    def extend(self, k: int, due: Ints, who: Ints, starts: Ints, ends: Ints,
               rank: Ints) -> tuple[Ints, Ints]:
        """The deadlines `due` moved by pauses (ticket `who`, [starts, ends), `rank`: the
        pause's place among its ticket's, in order), and the time paused on the clock.

        The clock stops at a pause's start and runs again at its end: a pause from s to e
        adds its length on the clock (open time under a business clock), so the time left
        at s is what is left at e. A pause that starts at or after the deadline changes
        nothing.
        """
        due = due.copy()
        paused = np.zeros(len(due), dtype=np.int64)
        if not len(who):
            return due, paused
        calendar_clock = self.targets[k][1] == "calendar"
        index = None if calendar_clock else self._business()
        schedule = None if calendar_clock else self.hours()
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
        """(weekday 0 / weekend 1, in hours 2 / out of hours 3) of each ticket: indexes
        into `measure.GROUPS`."""
        ordinal = local_ordinals(self.zone.key, opened, self.first_year - 1,
                                 self.last_year + 1)
        weekend = ((ordinal + 6) % 7 >= 5).astype(np.int64)
        schedule = self.hours()
        if schedule.always:
            return weekend, np.full(len(opened), 2, dtype=np.int64)
        index = self.index()
        inside = index.is_open(opened)
        ok = index.covers(opened) & index.sound
        hours = np.where(inside, 2, 3).astype(np.int64)
        for i in np.flatnonzero(~ok):
            hours[i] = self.group(int(opened[i]))[1]
        return weekend, hours

    def group(self, opened: int) -> tuple[int, int]:
        """`groups` of one ticket, on the business clock itself."""
        return groups_of(self.hours(), self.zone, opened)
