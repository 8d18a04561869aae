"""Coverage rules (V501-V506): support hours against needs, features, clocks, calendars.

Every `hours` value (tier hours, maintenance windows, client needs) comes
resolved in the model with its inherited zone and holidays (`model.hours.Hours`,
docs/model.md) and reads its `calendar.Schedule` once, and everything costly
(expanding a term, subtracting, intersecting) is cached by the calendar package
per distinct schedule and term, so a portfolio of similar charters computes each coverage once.

A value that names an unknown time zone or holiday calendar is V505's; the
schedules that depend on it cannot be read and every other rule skips them, so
one mistake gives one finding. Decisions are in docs/rules/coverage.md.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any

from ..calendar import (
    NO_HOLIDAYS,
    HolidayCalendar,
    Schedule,
    gaps,
    overlap,
    zone_problem,
)
from ..diagnostics import Diagnostic, Severity
from ..diagnostics.rules import problem, rule
from ..model.charter import Charter, Client, Tier
from ..model.hours import Hours, open_throughout
from . import CheckContext

# -- V501 -------------------------------------------------------------------------------

@rule("V501", Severity.ERROR)
def needed_hours_covered(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Some of a client's needed hours in the term are not covered by its tier's hours.

    A client's `needs.hours` are compared with its tier's `hours` instant by
    instant over the whole term, with each side's time zone, daylight-saving
    changes and holiday calendar: a need that falls only on a few holidays, or
    only in the weeks when one side has changed clocks and the other has not,
    is still a gap. The message gives the uncovered local times, the hours in
    the worst week, the weeks affected (named when only some are), the total,
    and the first uncovered interval, all in the client's own time zone.
    Needs default to the client's `timezone` and the provider's holidays.

    Fails:
        clients:
          - {id: alpha, needs: {hours: {schedule: [{days: mon-sat, from: "09:00", to: "17:00"}]}}}

    Passes:
        clients:
          - {id: alpha, needs: {hours: {schedule: [{days: mon-fri, from: "09:00", to: "17:00"}]}}}
    """
    charter = ctx.charter
    term = charter.term
    for client in charter.clients:
        tier = charter.tier(client.tier)
        needs = client.needs_hours
        if tier is None or needs is None or tier.is_24x7:
            continue
        offered, needed = tier.hours.schedule, needs.schedule
        if offered is None or needed is None:
            continue
        gap = gaps(needed, offered, *term, needs.zone)
        if gap is None:
            continue
        message = f"client {client.id} needs hours its tier {tier.id} does not cover: " \
                  f"{gap.describe()}"
        if _only_holidays(term, needs, needed, offered):
            calendar = offered.holidays
            yield problem(f"{client.pointer}/needs/hours",
                          f"{message} (only on tier {tier.id}'s holidays, {calendar}, on which "
                          f"the client's needs stay open)",
                          f"if client {client.id} does not need support on those days, close "
                          f"its needed hours on them (holidays: {calendar}); else "
                          f"{_coverage_hint(charter, client, tier, needed)}")
            continue
        yield problem(f"{client.pointer}/needs/hours", message,
                      _coverage_hint(charter, client, tier, needed))


def _only_holidays(term: tuple[date, date], needs: Hours, needed: Schedule,
                   offered: Schedule) -> bool:
    """Would the gap close if the need kept the tier's holidays? (Only asked on a gap.)"""
    if needed.is_24x7 or needed.holidays == offered.holidays or offered.holidays == NO_HOLIDAYS:
        return False
    closed = replace(needed, holidays=offered.holidays)
    return gaps(closed, offered, *term, needs.zone) is None


def _coverage_hint(charter: Charter, client: Client, tier: Tier, needed: Schedule) -> str:
    """Name the tiers that would cover the need (computed only when there is a gap)."""
    zone = client.needs_hours.zone if client.needs_hours else client.zone
    covering = [t.id for t in charter.tiers if t is not tier and (s := t.hours.schedule)
                and gaps(needed, s, *charter.term, zone) is None]
    move = f"move client {client.id} to tier {' or '.join(covering)}, " if covering else ""
    return f"{move}extend tier {tier.id}'s hours, or narrow the client's needed hours"


# -- V502 -------------------------------------------------------------------------------

@rule("V502", Severity.ERROR)
def needed_features_offered(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A client needs a feature its tier lacks.

    Every feature in a client's `needs.features` must be among its tier's
    `features`; otherwise the client pays for a service level that does not
    include what it needs. One finding per missing feature, at the need.

    Fails:
        clients:
          - {id: alpha, needs: {features: [incident, weekend]}}

    Passes:
        clients:
          - {id: alpha, tier: premium, needs: {features: [incident, weekend]}}
    """
    charter = ctx.charter
    names = {f.id: f.name for f in charter.features}
    for client in charter.clients:
        tier = charter.tier(client.tier)
        if tier is None:
            continue
        for n, feature in enumerate(client.needs_features):
            if feature in tier.features:
                continue
            others = [t.id for t in charter.tiers if feature in t.features]
            where = f"tier {' and '.join(others)} {'does' if len(others) == 1 else 'do'}" \
                if others else "no tier does"
            complete = [t.id for t in charter.tiers
                        if all(f in t.features for f in client.needs_features)]
            move = f"move client {client.id} to tier {' or '.join(complete)}, or " \
                if complete else ""
            yield problem(f"{client.pointer}/needs/features/{n}",
                          f"client {client.id} needs {feature} ({names.get(feature, feature)}), "
                          f"which its tier {tier.id} does not offer ({where})",
                          f"{move}add {feature} to tier {tier.id}'s features")


# -- V503 -------------------------------------------------------------------------------

@rule("V503", Severity.ERROR)
def calendar_clock_needs_24x7(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A `calendar`-clock target is promised by a tier whose hours are not 24x7.

    A calendar clock counts every minute, nights and weekends included; a tier
    that is not staffed around the clock cannot keep such a promise outside
    its hours. Hours open at every instant of the term (e.g. `daily
    00:00-24:00` with no holidays) count as 24x7. Reported at the objective's
    `clock`; hours that cannot be read (V505) are not judged.

    Fails:
        tiers:
          - {id: standard, objectives: {response: {clock: calendar}}}

    Passes:
        tiers:
          - {id: standard, objectives: {response: {clock: business}}}
    """
    for tier in ctx.charter.tiers:
        if tier.is_24x7:
            continue
        kinds = [o.kind for o in (tier.objectives.response, tier.objectives.resolution)
                 if o is not None and o.clock_or_default == "calendar"]
        if not kinds:
            continue
        schedule = tier.hours.schedule
        if schedule is None or open_throughout(tier.hours, ctx.charter.term):
            continue
        for kind in kinds:
            yield problem(f"{tier.pointer}/objectives/{kind}/clock",
                          f"tier {tier.id} promises {kind} targets on a calendar clock, but its "
                          f"hours are not 24x7 ({_hours_text(schedule)}): the clock runs while "
                          f"nobody is on duty",
                          f"use clock: business for tier {tier.id}, or make its hours 24x7")


def _hours_text(schedule: Schedule) -> str:
    text = str(schedule)
    return text.removesuffix(" holidays none")


# -- V504 -------------------------------------------------------------------------------

@rule("V504", Severity.WARNING)
def maintenance_outside_needs(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A tier's planned maintenance window overlaps a client's needed hours.

    Unavailability inside maintenance windows does not count against the
    availability objective, so a window inside a client's needed hours is
    downtime the client needs and cannot claim for. Each client is compared
    with its own tier's `maintenance` over the term; the message names the
    hours per week (the most and the average) and the first overlap in the
    client's time zone. Maintenance defaults to the tier hours' zone and is not
    closed by holidays. Reported at the first window that overlaps.

    Fails:
        tiers:
          - {id: standard, maintenance: {schedule: [{days: wed, from: "12:00", to: "13:00"}]}}

    Passes:
        tiers:
          - {id: standard, maintenance: {schedule: [{days: sun, from: "02:00", to: "04:00"}]}}
    """
    charter = ctx.charter
    for client in charter.clients:
        tier = charter.tier(client.tier)
        needs = client.needs_hours
        if tier is None or tier.maintenance is None or needs is None:
            continue
        windows, needed = tier.maintenance.schedule, needs.schedule
        if windows is None or needed is None:
            continue
        found = overlap(needed, windows, *charter.term, needs.zone)
        if found is None:
            continue
        yield problem(_first_window(charter.term, tier.maintenance, needed, needs.zone),
                      f"tier {tier.id}'s maintenance falls in client {client.id}'s needed hours: "
                      f"{found.describe()}",
                      f"move tier {tier.id}'s maintenance out of the hours client {client.id} "
                      f"needs, or narrow the window")


def _first_window(term: tuple[date, date], windows: Hours, needed: Schedule, zone: str) -> str:
    """Pointer to the first maintenance entry that overlaps the need (only on a finding)."""
    if len(windows.entries) > 1:
        for n in range(len(windows.entries)):
            one = windows.entry(n)
            if one.schedule and overlap(needed, one.schedule, *term, zone):
                return one.pointer
    return f"{windows.pointer}/schedule/0"


# -- V505 -------------------------------------------------------------------------------

@rule("V505", Severity.ERROR)
def zones_and_calendars_exist(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Unknown time zone or holiday calendar.

    Every `timezone` must be an IANA zone (`Europe/Paris`, `America/New_York`,
    `UTC`) and every `holidays` a calendar the holidays library supplies (a
    country such as `FR`, with an optional known subdivision such as `US-CA`
    or `GB-SCT`, or `none`). Checked wherever one is written: the provider,
    tier hours, maintenance windows, clients and their needed hours. Hours
    that use an unknown value, written or inherited, cannot be placed in time:
    the other coverage and service-level rules skip them, so each mistake is
    reported once, where it is written.

    Fails:
        clients:
          - {id: alpha, needs: {hours: {timezone: Europe/Pariss}}}

    Passes:
        clients:
          - {id: alpha, needs: {hours: {timezone: Europe/Paris}}}
    """
    for pointer, kind, value, owner in _zone_and_calendar_values(ctx.charter):
        if kind == "zone":
            found = zone_problem(value)
            if found:
                yield problem(pointer, f"{owner}: {found}", _zone_hint(value))
        else:
            placed = _calendar_problem(value, pointer)
            if placed:
                yield problem(placed[0], f"{owner}: {placed[1]}",
                              "use a country code the holidays library knows, with an optional "
                              "subdivision (FR, US-CA, GB-SCT), or none")


def _zone_and_calendar_values(charter: Charter) -> Iterator[tuple[str, str, Any, str]]:
    """(pointer, "zone" | "calendar", value, owner words) for every one written."""
    provider = charter.provider
    yield f"{provider.pointer}/timezone", "zone", provider.timezone, "the provider's time zone"
    if provider.holidays is not None:
        yield f"{provider.pointer}/holidays", "calendar", provider.holidays, \
            "the provider's holidays"
    for tier in charter.tiers:
        yield from _hours_values(tier.hours, f"tier {tier.id}'s hours")
        windows = tier.maintenance
        if windows is not None and windows.stated_zone is not None:
            yield (f"{windows.pointer}/timezone", "zone", windows.stated_zone,
                   f"tier {tier.id}'s maintenance")
    for client in charter.clients:
        if client.timezone is not None:
            yield (f"{client.pointer}/timezone", "zone", client.timezone,
                   f"client {client.id}'s time zone")
        if client.needs_hours is not None:
            yield from _hours_values(client.needs_hours, f"client {client.id}'s needed hours")


def _hours_values(hours: Hours, owner: str) -> Iterator[tuple[str, str, Any, str]]:
    if hours.stated_zone is not None:
        yield f"{hours.pointer}/timezone", "zone", hours.stated_zone, owner
    if hours.stated_holidays is not None:
        yield f"{hours.pointer}/holidays", "calendar", hours.stated_holidays, owner


def _calendar_problem(value: Any, pointer: str) -> tuple[str, str] | None:
    """(pointer to the offending part, why) when `value` names no usable calendar."""
    try:
        found = HolidayCalendar.from_value(value).problem()
    except ValueError as exc:  # shapes the schema lets through, e.g. a subdivision given twice
        found = str(exc)
    if found is None:
        return None
    if isinstance(value, Mapping):
        if "subdivision" in value and "subdivision" in found:
            pointer += "/subdivision"
        elif "country" in value:
            pointer += "/country"
    return pointer, found


@lru_cache(maxsize=1)
def _zone_names() -> tuple[str, ...]:
    from ..calendar.zones import zone_names
    return zone_names()


def _zone_hint(value: Any) -> str:
    hint = "use an IANA time zone name such as Europe/Paris, America/New_York or UTC"
    if isinstance(value, str):
        import difflib  # only for a suggestion: a valid charter never needs it
        close = difflib.get_close_matches(value, _zone_names(), n=1, cutoff=0.75)
        if close:
            return f"did you mean {close[0]}? ({hint})"
    return hint


# -- V506 -------------------------------------------------------------------------------

@rule("V506", Severity.WARNING)
def offer_in_use(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A feature offered by no tier; a tier used by no client.

    A feature that no tier lists cannot be bought: it is either a leftover or a
    tier forgot it. A tier that no client uses is an offer nobody takes up (a
    draft with no clients at all is not judged on this). Reported at the
    feature's or the tier's `id`.

    Fails:
        features:
          - {id: reports, name: Monthly reports}

    Passes:
        features:
          - {id: reports, name: Monthly reports}
        tiers:
          - {id: premium, features: [incident, weekend, reports]}
    """
    charter = ctx.charter
    offered = {f for t in charter.tiers for f in t.features}
    for feature in charter.features:
        if feature.id not in offered:
            yield problem(f"{feature.pointer}/id",
                          f"feature {feature.id} ({feature.name}) is offered by no tier",
                          f"add {feature.id} to the features of the tiers that provide it, "
                          f"or remove the feature")
    if not charter.clients:
        return
    used = {c.tier for c in charter.clients}
    for tier in charter.tiers:
        if tier.id not in used:
            yield problem(f"{tier.pointer}/id",
                          f"tier {tier.id} ({tier.name}) is used by no client",
                          f"remove tier {tier.id}, or keep it knowingly (suppress V506 with a "
                          f"reason)")
