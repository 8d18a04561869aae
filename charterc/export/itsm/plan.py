"""What every ITSM target writes, read once from the checked charter (spec section 11).

A `Plan` is the charter's response and resolution objectives, support hours, holidays
and pauses in the terms an ITSM configures them: per tier, its hours as weekly spans in
local time with the holidays of the whole term (the same calendar the checks expand,
`calendar.HolidayCalendar`), and one `Goal` per tier x objective x priority with the
clients on the tier, the target in minutes and the statuses that pause it. Each target
(`servicenow`, `jsm`, `zendesk`) turns the plan into its own records; none reads the
model again.

A business target is written in minutes of open time: `Nh`/`Nm` exactly, `Nd` as N times
the schedule's average open hours per open day (the length T602-T604 compare business
days with). The charter's `Nd` means "by the close of the N-th open day"; the ITSMs count
elapsed open minutes, so such a goal is marked inexact and its target says so.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ...calendar import average_open_hours_per_open_day

if TYPE_CHECKING:
    from ...model.charter import Charter, Objective, Tier

__all__ = ["Goal", "Plan", "TierHours", "WeeklySpan", "plan"]


@dataclass(frozen=True)
class WeeklySpan:
    """Open from `start` to `end` (minutes after local midnight; `end` past 1440 runs past
    midnight, 1440 is 24:00) on each of `days` (0 = Monday, as `date.weekday()`)."""

    days: tuple[int, ...]
    start: int
    end: int


@dataclass(frozen=True)
class TierHours:
    """A tier's support hours: 24x7 (`always`), or weekly spans in `zone` closed on
    `holidays` (date -> name) over the charter's term."""

    tier: str
    tier_name: str
    zone: str
    always: bool
    spans: tuple[WeeklySpan, ...]
    holidays: tuple[tuple[date, str], ...]
    pointer: str


@dataclass(frozen=True)
class Goal:
    """One target: a tier's response or resolution for one priority."""

    tier: str
    tier_name: str
    kind: str                      # response | resolution
    priority: str
    rank: int                      # 0 for the most urgent priority
    minutes: int                   # open minutes (business clock) or wall-clock minutes
    written: str                   # the target as written (`4h`, `2d`)
    business: bool                 # counted in the tier's hours (False: calendar clock)
    exact: bool                    # False: a business `Nd` written as open minutes
    pause_on: tuple[str, ...]      # normalised statuses (`awaiting-customer`)
    clients: tuple[str, ...]       # the names of the clients on the tier, in charter order
    client_ids: tuple[str, ...]    # their ids, in the same order
    attainment: str                # `95%`; `100%` when not stated
    pointer: str                   # the target's JSON pointer in the charter


@dataclass(frozen=True)
class Plan:
    charter: str
    title: str
    version: str
    term: tuple[date, date]
    priorities: tuple[str, ...]
    hours: tuple[TierHours, ...]
    goals: tuple[Goal, ...]

    def tier_hours(self, tier: str) -> TierHours:
        return next(h for h in self.hours if h.tier == tier)


def _spans(tier: Tier) -> tuple[WeeklySpan, ...]:
    schedule = tier.hours.schedule
    if schedule is None or schedule.is_24x7:
        return ()
    return tuple(WeeklySpan(tuple(sorted(days)), start, end if end > start else end + 1440)
                 for days, start, end in schedule.ranges)


def _hours(tier: Tier, term: tuple[date, date]) -> TierHours:
    schedule = tier.hours.schedule
    always = tier.hours.is_24x7 or schedule is None
    holidays: tuple[tuple[date, str], ...] = ()
    if not always and schedule is not None:
        start, stop = term
        named = schedule.holidays.named(start.year, stop.year)
        holidays = tuple((d, name) for d, name in named.items() if start <= d < stop)
    return TierHours(tier.id, tier.name, tier.hours.zone, always, _spans(tier), holidays,
                     tier.hours.pointer)


def _business_day_minutes(tier: Tier) -> int:
    schedule = tier.hours.clock
    if schedule is None:
        return 1440
    return round(average_open_hours_per_open_day(schedule) * 60)


def _goals(charter: Charter, tier: Tier, objective: Objective) -> list[Goal]:
    clients = tuple(c.name for c in charter.clients if c.tier == tier.id)
    client_ids = tuple(c.id for c in charter.clients if c.tier == tier.id)
    business = objective.clock_or_default == "business" and not tier.hours.is_24x7
    day = _business_day_minutes(tier) if business else 1440
    goals = []
    for rank, priority in enumerate(charter.priorities):
        target = objective.priority_targets.get(priority)
        if target is None:
            continue
        goals.append(Goal(
            tier=tier.id, tier_name=tier.name, kind=objective.kind, priority=priority, rank=rank,
            minutes=target.days * day + target.minutes, written=target.text or str(target),
            business=business, exact=not (business and target.days),
            pause_on=objective.pause_on, clients=clients, client_ids=client_ids,
            attainment=str(objective.attainment_or_default),
            pointer=f"{objective.pointer}/{priority}"))
    return goals


def plan(charter: Charter) -> Plan:
    """The plan of a checked charter (its tiers in order, response before resolution)."""
    term = charter.term
    goals: list[Goal] = []
    for tier in charter.tiers:
        for objective in (tier.objectives.response, tier.objectives.resolution):
            if objective is not None:
                goals += _goals(charter, tier, objective)
    return Plan(charter.id, charter.metadata.title, charter.version, term,
                tuple(charter.priorities), tuple(_hours(t, term) for t in charter.tiers),
                tuple(goals))
