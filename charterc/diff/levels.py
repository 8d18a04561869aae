"""Service-level changes for one client: objectives, support hours, maintenance, features.

Targets compare with `calendar.targets.compare`, the comparison T602-T604 use,
so a change is a weakening exactly when T604 would call the new target slower
(spec section 6, docs/rules/levels.md): a `business` target takes at least its
own length in wall-clock time, so a `calendar` target no longer than that
minimum is never later (`8h` business -> `8h` calendar is a strengthening);
every other mixed pair is **undecided**: reported as a neutral change needing a
minor bump, with a note, for a person to judge. On 24x7 hours a business
target without days is its wall-clock length. Between two business targets a
day counts as each tier's average open hours per open day, so a business `Nd`
whose words did not change is still reported when the length of its day does.

Hours compare as sets of instants over the new term, in the client's zone:
needed hours the old tier covered and the new one does not are a weakening,
hours the new tier adds are a strengthening, and a shift does both. Figures
are average hours per week over the term.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from ..calendar import (
    TWENTY_FOUR_SEVEN,
    Intervals,
    Schedule,
    clip,
    expand,
    fmt_hours,
    intersect,
    subtract,
    total,
    zone,
    zone_problem,
)
from ..calendar.targets import Target, Verdict, compare
from ..model.charter import Charter, Client, Objective, Tier
from ..model.hours import Hours
from ..model.values import Duration, Percent, fmt_percent
from .changes import Change, by_direction, neutral, strengthening, weakening, wording

__all__ = ["compare_targets", "level_changes", "term_of"]

WINDOWS = ("daily", "weekly", "monthly", "quarterly", "yearly")  # shorter is stricter


# verdict on "the new target against the old" -> better for the client? (None: undecided)
_BETTER = {Verdict.SHORTER: True, Verdict.NOT_LONGER: True, Verdict.LONGER: False,
           Verdict.NOT_SHORTER: None, Verdict.UNDECIDED: None}


def compare_targets(old: Duration, old_clock: str, old_hours: Schedule | None,
                    new: Duration, new_clock: str, new_hours: Schedule | None) -> bool | str | None:
    """True: the new target is stricter; False: looser; "same"; None: undecided.

    One comparison with T602-T604 (`calendar.targets.compare`): the new target is a
    weakening exactly when T604 would call it slower. A calendar target no longer than
    a business target's wall-clock minimum is never later (a strengthening); the
    reverse, a business target whose minimum only equals the calendar one, is undecided.
    """
    verdict = compare(Target(new.days, new.minutes, new_clock, new_hours),
                      Target(old.days, old.minutes, old_clock, old_hours))
    return "same" if verdict is Verdict.SAME else _BETTER[verdict]


def _target_text(duration: Duration, clock: str) -> str:
    return f"{duration} ({clock})"


def _ticket_objective(client: str, kind: str, old: Objective | None, new: Objective | None,
                      old_hours: Schedule | None, new_hours: Schedule | None,
                      priorities: list[str]) -> list[Change]:
    found: list[Change] = []
    pointer = new.pointer if new else ""
    if old is None and new is None:
        return found
    if old is None or new is None:
        subject = f"{kind} targets"
        return [strengthening(client, subject, "none", "stated", pointer=pointer) if old is None
                else weakening(client, subject, "stated", "none", pointer=old.pointer)]
    old_clock, new_clock = old.clock_or_default, new.clock_or_default
    for priority in priorities:
        a, b = old.priority_targets.get(priority), new.priority_targets.get(priority)
        subject = f"{kind} {priority}"
        where = f"{new.pointer}/{priority}"
        if a is None:
            if b is not None:
                found.append(strengthening(client, subject, "none", _target_text(b, new_clock),
                                           pointer=where))
            continue
        if b is None:
            found.append(weakening(client, subject, _target_text(a, old_clock), "none",
                                   pointer=old.pointer))
            continue
        verdict = compare_targets(a, old_clock, old_hours, b, new_clock, new_hours)
        if isinstance(verdict, str):  # "same"
            continue
        note = ("undecided: a business target is only known to take at least its own length "
                "in wall-clock time (spec section 6)") if verdict is None else ""
        found.append(by_direction(client, subject, _target_text(a, old_clock),
                                  _target_text(b, new_clock), verdict, note, where))
    old_share, new_share = old.attainment_or_default.value, new.attainment_or_default.value
    if old_share != new_share:
        found.append(by_direction(client, f"{kind} attainment", fmt_percent(old_share, 2),
                                  fmt_percent(new_share, 2), new_share > old_share,
                                  pointer=new.pointer))
    if old.measured_by != new.measured_by:
        found.append(wording(client, f"{kind} measured by", old.measured_by or "-",
                             new.measured_by or "-", pointer=new.pointer))
    return found


def _target(objective: Objective) -> Percent:
    """An availability objective's target (the schema requires one)."""
    if objective.target is None:
        raise ValueError(f"{objective.pointer}: an availability objective without a target")
    return objective.target


def _availability(client: str, old: Objective | None, new: Objective | None) -> list[Change]:
    if old is None:
        if new is None:
            return []
        return [strengthening(client, "availability", "none", fmt_percent(_target(new).value, 3),
                              pointer=new.pointer)]
    if new is None:
        return [weakening(client, "availability", fmt_percent(_target(old).value, 3), "none",
                          pointer=old.pointer)]
    found = []
    old_target, new_target = _target(old), _target(new)
    if old_target != new_target:
        found.append(by_direction(client, "availability", fmt_percent(old_target.value, 3),
                                  fmt_percent(new_target.value, 3), new_target > old_target,
                                  pointer=f"{new.pointer}/target"))
    old_window, new_window = old.window_or_default, new.window_or_default
    if old_window != new_window:
        rank = {w: i for i, w in enumerate(WINDOWS)}
        better = (rank[new_window] < rank[old_window]
                  if old_window in rank and new_window in rank else None)
        found.append(by_direction(client, "availability window", old_window, new_window, better,
                                  "a longer window averages outages away", new.pointer))
    if old.measured_by != new.measured_by:
        found.append(wording(client, "availability measured by", old.measured_by or "-",
                             new.measured_by or "-", pointer=new.pointer))
    return found


# -- hours as sets of instants ------------------------------------------------------------

def term_of(charter: Charter) -> tuple[date, date]:
    """The charter's term [start, stop), at least a week long (figures are per week)."""
    start, stop = charter.term
    return start, max(stop, start + timedelta(days=7))


def _instants(schedule: Schedule | None, start: date, end: date,
              view: str) -> Intervals | None:
    if schedule is None:
        return None
    pad = timedelta(days=2)  # ranges crossing the term's edge in another zone
    return expand(schedule, start - pad, end + pad, view)


def _per_week(seconds: int, start: date, end: date) -> str:
    return f"{fmt_hours(seconds / ((end - start).days / 7))} h/week"


def _first(intervals: Intervals, view: str) -> str:
    s, e = intervals[0]
    tz = zone(view)
    a, b = datetime.fromtimestamp(s, tz), datetime.fromtimestamp(e, tz)
    end = f"{b:%H:%M}" if b.date() == a.date() else f"{b:%Y-%m-%d %H:%M}"
    return f"first {a:%a %Y-%m-%d %H:%M}-{end} {view}"


def hours_changes(client: str, subject: str, old: Schedule | None, new: Schedule | None,
                  needed: Schedule | None, term: tuple[date, date], view: str,
                  pointer: str, more_is_better: bool = True) -> list[Change]:
    """Compare two schedules for one client over the term (support hours or maintenance)."""
    if old == new:
        return []
    start, end = term
    lo_hi = expand(TWENTY_FOUR_SEVEN, start, end, view)
    a, b = _instants(old, start, end, view), _instants(new, start, end, view)
    if a is None or b is None:
        return [neutral(client, subject, old or "unreadable", new or "unreadable",
                        "hours that cannot be read are not compared", pointer)]
    a, b = (clip(x, *lo_hi[0]) for x in (a, b))
    before, after = _per_week(total(a), start, end), _per_week(total(b), start, end)
    removed, added = subtract(a, b), subtract(b, a)
    if more_is_better:
        needed_at = _instants(needed, start, end, view)
        need = clip(needed_at, *lo_hi[0]) if needed_at is not None else a
        lost = intersect(removed, need)
        found = []
        if lost:
            found.append(weakening(client, subject, before, after,
                                   f"needed hours no longer covered: "
                                   f"{_per_week(total(lost), start, end)}; "
                                   f"{_first(lost, view)}", pointer))
        if added:
            found.append(strengthening(client, subject, before, after,
                                       f"hours added: {_per_week(total(added), start, end)}; "
                                       f"{_first(added, view)}", pointer))
        if removed and not lost:
            found.append(neutral(client, subject, before, after,
                                 f"hours removed that the client does not need: "
                                 f"{_per_week(total(removed), start, end)}", pointer))
        if not found:  # same instants, written differently
            found.append(wording(client, subject, str(old), str(new), "same hours", pointer))
        return found
    # maintenance: more planned outage time is a weakening
    found = []
    if added:
        found.append(weakening(client, subject, before, after,
                               f"maintenance added: {_per_week(total(added), start, end)}; "
                               f"{_first(added, view)}", pointer))
    if removed:
        found.append(strengthening(client, subject, before, after,
                                   f"maintenance removed: {_per_week(total(removed), start, end)}",
                                   pointer))
    return found or [wording(client, subject, str(old), str(new), "same hours", pointer)]


# -- one client's service levels ----------------------------------------------------------

def level_changes(cid: str, old_charter: Charter, new_charter: Charter, old_tier: Tier,
                  new_tier: Tier, new_client: Client) -> list[Change]:
    found: list[Change] = []
    old_hours, new_hours = old_tier.hours.schedule, new_tier.hours.schedule
    old_clock, new_clock = old_tier.hours.clock, new_tier.hours.clock
    oo, no = old_tier.objectives, new_tier.objectives
    found += _availability(cid, oo.availability, no.availability)
    priorities = list(new_charter.priorities) + [p for p in old_charter.priorities
                                                 if p not in new_charter.priorities]
    for kind in ("response", "resolution"):
        found += _ticket_objective(cid, kind, getattr(oo, kind), getattr(no, kind),
                                   old_clock, new_clock, priorities)
    view = _client_zone(new_client, new_charter)
    term = term_of(new_charter)
    old_provider, new_provider = old_charter.provider, new_charter.provider
    needs = new_client.needs_hours
    if old_tier.hours.written != new_tier.hours.written \
            or old_provider.holidays_or_default != new_provider.holidays_or_default \
            or old_provider.timezone != new_provider.timezone:
        found += hours_changes(cid, "support hours", old_hours, new_hours,
                               needs.schedule if needs else None, term, view,
                               f"{new_tier.pointer}/hours")
    if _written(old_tier.maintenance) != _written(new_tier.maintenance):
        old_m = old_tier.maintenance.schedule if old_tier.maintenance else Schedule(timezone=view)
        new_m = new_tier.maintenance.schedule if new_tier.maintenance else Schedule(timezone=view)
        found += hours_changes(cid, "maintenance windows", old_m, new_m, None, term, view,
                               f"{new_tier.pointer}/maintenance", more_is_better=False)
    for feature in new_tier.features:
        if feature not in old_tier.features:
            found.append(strengthening(cid, f"feature {feature}", "not offered", "offered",
                                       pointer=f"{new_tier.pointer}/features"))
    for feature in old_tier.features:
        if feature not in new_tier.features:
            found.append(weakening(cid, f"feature {feature}", "offered", "not offered",
                                   pointer=f"{new_tier.pointer}/features"))
    return found


def _written(hours: Hours | None) -> object:
    return hours.written if hours is not None else None


def _client_zone(client: Client, charter: Charter) -> str:
    """The zone the client reads hours in: its needs' zone, else its own, else the provider's
    (the first that exists: diff runs no V505)."""
    needed = client.needs_hours.schedule if client.needs_hours else None
    if needed is not None and not needed.is_24x7:
        return needed.timezone
    return client.zone if zone_problem(client.zone) is None else charter.provider.timezone

