"""Comparing response and resolution targets, under either clock (spec section 6).

The one comparison that T602-T604 and `charterc diff` share, so that a rule and
a diff can never disagree about the same pair of targets:

- On one clock, targets compare by length: a calendar target by its minutes; a
  business target by its business minutes, with a business `Nd` counted as N
  times the schedule's average open hours per open day.
- A business target always takes at least its own length in wall-clock time
  (`Nh`/`Nm` exactly, `Nd` at least N x 24h). So across clocks a business
  target is known to be longer than a calendar one only when that minimum
  exceeds it, and a calendar target is known to be shorter only when it is
  under that minimum; every other mixed pair is undecided.
- On 24x7 hours a business clock counts every minute, so a business target
  without a day part *is* its wall-clock length: it compares as a calendar
  target. (A business `Nd` keeps its own meaning, "by the close of the N-th day",
  and a 24x7 day counts 24h.)

Decisions and examples: docs/rules/levels.md.
"""
from __future__ import annotations

import enum
from fractions import Fraction
from functools import lru_cache

from ..records import record
from .clock import average_open_hours_per_open_day
from .schedule import Schedule

__all__ = ["Target", "Verdict", "business_day_minutes", "compare"]

DAY = 1440  # minutes


class Verdict(enum.Enum):
    """How target `a` relates to target `b` in time taken."""

    LONGER = "longer"              # a is known to take longer than b
    SHORTER = "shorter"            # a is known to take less time than b
    SAME = "same"                  # a and b take the same time
    NOT_LONGER = "not longer"      # a takes at most as long as b (possibly the same)
    NOT_SHORTER = "not shorter"    # a takes at least as long as b (possibly the same)
    UNDECIDED = "undecided"        # the clocks' rules cannot tell

    def flipped(self) -> Verdict:
        return _FLIPPED[self]


_FLIPPED = {Verdict.LONGER: Verdict.SHORTER, Verdict.SHORTER: Verdict.LONGER,
            Verdict.SAME: Verdict.SAME, Verdict.NOT_LONGER: Verdict.NOT_SHORTER,
            Verdict.NOT_SHORTER: Verdict.NOT_LONGER, Verdict.UNDECIDED: Verdict.UNDECIDED}


@lru_cache(maxsize=4096)
def business_day_minutes(schedule: Schedule | None) -> Fraction | None:
    """A business day's length in minutes on `schedule`: its average open hours per open
    day (24h for 24x7); None when the hours cannot be read or never open."""
    if schedule is None:
        return None
    if schedule.is_24x7:
        return Fraction(DAY)
    hours = average_open_hours_per_open_day(schedule)
    if not hours:
        return None
    return Fraction(hours).limit_denominator(1000) * 60


@record(eq=True)
class Target:
    """One priority's response or resolution target, on its clock and its hours.

    `schedule` is the hours a business clock runs on (None when they cannot be
    read: V505's); a calendar target ignores it.
    """

    days: int
    minutes: int
    clock: str                       # business | calendar, as written
    schedule: Schedule | None = None
    text: str = ""                   # as written, e.g. "2d"

    @property
    def counts_as_calendar(self) -> bool:
        """A calendar target, or a business one that runs on 24x7 hours without days."""
        if self.clock == "calendar":
            return True
        return self.schedule is not None and self.schedule.is_24x7 and not self.days

    @property
    def wall_minimum(self) -> int:
        """The least wall-clock minutes it takes: Nh/Nm exactly, Nd at least N x 24h."""
        return self.days * DAY + self.minutes

    @property
    def day_minutes(self) -> Fraction | None:
        """Business: the schedule's average open day, in minutes (None if unknown)."""
        return business_day_minutes(self.schedule)

    @property
    def length(self) -> Fraction | None:
        """Minutes on its own clock (a business `Nd` as N average open days); None if unknown."""
        if self.counts_as_calendar or not self.days:
            return Fraction(self.wall_minimum)
        day = self.day_minutes
        return None if day is None else self.days * day + self.minutes

    def describe(self, other: Target | None = None) -> str:
        """How to show this target, next to `other` when they are compared: with its clock
        and the figure that decided (a business day's length, or a wall-clock minimum)."""
        text = self.text or _fmt(Fraction(self.wall_minimum))
        if self.clock == "calendar":
            return f"{text} (calendar)"
        if (other is not None and other.counts_as_calendar and not self.counts_as_calendar
                and self.days):
            return (f"{text} (business, at least {_fmt(Fraction(self.wall_minimum))} "
                    f"of wall-clock time)")
        if self.days and not self.counts_as_calendar and self.length is not None:
            return (f"{text} (business, {_fmt(self.length)} at {_fmt(self.day_minutes)} "
                    f"per open day)")
        return f"{text} (business)"


def compare(a: Target, b: Target) -> Verdict:
    """How long `a` takes against `b`, under the clock rules above."""
    a_calendar, b_calendar = a.counts_as_calendar, b.counts_as_calendar
    if a_calendar == b_calendar:
        la, lb = a.length, b.length
        if la is None or lb is None:
            return Verdict.UNDECIDED
        return Verdict.LONGER if la > lb else Verdict.SHORTER if la < lb else Verdict.SAME
    if a_calendar:
        return compare(b, a).flipped()
    # a business, b calendar: a takes at least its wall-clock minimum
    minimum, other = a.wall_minimum, b.wall_minimum
    if minimum > other:
        return Verdict.LONGER
    if minimum == other:
        return Verdict.NOT_SHORTER
    return Verdict.UNDECIDED


def _fmt(minutes: Fraction | None) -> str:
    """Minutes -> "10h", "8h50m", "45m", "48h" (to the nearest minute)."""
    if minutes is None:
        return "?"
    hours, mins = divmod(round(minutes), 60)
    return (f"{hours}h" if hours else "") + (f"{mins}m" if mins or not hours else "")
