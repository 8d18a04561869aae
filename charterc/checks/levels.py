"""Service-level rules (T601-T605): complete, coherent and ordered targets.

Targets are compared under the spec's clock rules (section 6) by
`calendar.targets.compare`, the comparison `charterc diff` uses too: a rule
reports a target only when it is known to take longer (`longer()`); undecided
mixed-clock pairs are never reported. Decisions are in docs/rules/levels.md.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from ..calendar import CoverageGap, gaps
from ..calendar.targets import Target, Verdict, compare
from ..diagnostics import Diagnostic, Fix, Severity
from ..diagnostics.rules import problem, rule
from ..model.charter import Charter, Objective, Tier
from ..model.values import fmt_percent
from . import CheckContext

TICKET_KINDS = ("response", "resolution")

# T604: (pointer, message) when a higher tier offers less than a lower one on one aspect
_Finding = tuple[str, str] | None

# Shortest length of each availability window, in days: a target must leave at
# least a minute of error budget in every window, so the short month and the
# short quarter (January-March of a common year) decide.
WINDOW_DAYS = {"daily": 1, "weekly": 7, "monthly": 28, "quarterly": 90, "yearly": 365}
WINDOW_WORDS = {"daily": "a day", "weekly": "a week", "monthly": "a 28-day month",
                "quarterly": "a 90-day quarter", "yearly": "a 365-day year"}


# -- targets and clocks ---------------------------------------------------------------

class Clocks:
    """The targets of a charter's tiers, each on its tier's hours (`calendar.targets`)."""

    def __init__(self, charter: Charter):
        self.charter = charter

    def target(self, tier: Tier, objective: Objective, priority: str) -> Target | None:
        duration = objective.priority_targets.get(priority)
        if duration is None:
            return None
        schedule = tier.hours.clock
        return Target(duration.days, duration.minutes, objective.clock_or_default, schedule,
                      duration.text)


def longer(a: Target, b: Target) -> bool:
    """True when `a` is known to take longer than `b` (False when shorter, equal or undecided)."""
    return compare(a, b) is Verdict.LONGER


def _target_pointer(objective: Objective, priority: str) -> str:
    return f"{objective.pointer}/{priority}"


# -- T601 -------------------------------------------------------------------------------

@rule("T601", Severity.ERROR)
def targets_complete(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A priority lacks a response or resolution target in some tier.

    Every tier promises a response and a resolution time for every priority of
    `priorities`; a ticket of a priority without a target has no commitment at
    all. A tier with no `response` (or `resolution`) objective is reported once,
    at its `objectives`; otherwise one finding per objective names the missing
    priorities.

    Fails:
        tiers:
          - {id: standard, objectives: {resolution: {P2: null}}}

    Passes:
        tiers:
          - {id: standard, objectives: {resolution: {P2: 2d}}}
    """
    priorities = ctx.charter.priorities
    for tier in ctx.charter.tiers:
        for kind in TICKET_KINDS:
            objective = getattr(tier.objectives, kind)
            if objective is None:
                yield problem(tier.objectives.pointer,
                              f"tier {tier.id} has no {kind} objective: no {kind} target for "
                              f"{', '.join(priorities)}",
                              f"add objectives.{kind} with a target for each priority")
                continue
            missing = [p for p in priorities if p not in objective.priority_targets]
            if missing:
                yield problem(objective.pointer,
                              f"tier {tier.id}'s {kind} objective has no target for "
                              f"{', '.join(missing)}",
                              f"add a {kind} target for {', '.join(missing)}",
                              fixes=_missing_targets(ctx, objective, missing))


def _missing_targets(ctx: CheckContext, objective: Objective,
                     missing: list[str]) -> tuple[Fix, ...]:
    """The missing priorities added with the target of the priority before each (else the
    one after it), as written: T603's order holds, and the author tightens from there."""
    from ..diagnostics.fixes import append_entries, token_at  # only when a fix is made

    sources, priorities = ctx.sources, ctx.charter.priorities
    if sources is None:
        return ()
    if any(f"{objective.pointer}/{p}" in sources.keys for p in missing):
        return ()  # written without a target: adding the key again would repeat it
    written = {p: token.text for p in priorities if p in objective.priority_targets
               and (token := token_at(sources, f"{objective.pointer}/{p}")) is not None}
    if not written:
        return ()
    added = []
    for priority in missing:
        index = priorities.index(priority)
        before = [written[p] for p in priorities[:index] if p in written]
        later = [written[p] for p in priorities[index + 1:] if p in written]
        added.append((priority, before[-1] if before else later[0]))
    shown = ", ".join(f"{p} {v}" if sources.dsl else f"{p}: {v}" for p, v in added)
    title = f"Add {shown} to the {objective.kind} objective"
    return append_entries(sources, objective.pointer, list(written), added, title)


# -- T602 -------------------------------------------------------------------------------

@rule("T602", Severity.ERROR)
def resolution_after_response(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Resolution shorter than response for a priority.

    A ticket cannot be resolved before it is first answered. Targets compare
    under the clock rules: on one clock directly (a business `Nd` counts as N
    times the tier's average open hours per open day); a business response is
    known to outlast a calendar resolution only when its wall-clock minimum
    (`Nh`, or N x 24h for `Nd`) exceeds it. Equal targets pass.

    Fails:
        tiers:
          - {id: standard, objectives: {response: {P2: 1d}, resolution: {P2: 8h}}}

    Passes:
        tiers:
          - {id: standard, objectives: {response: {P2: 1d}, resolution: {P2: 2d}}}
    """
    clocks = Clocks(ctx.charter)
    for tier in ctx.charter.tiers:
        response, resolution = tier.objectives.response, tier.objectives.resolution
        if response is None or resolution is None:
            continue
        for priority in ctx.charter.priorities:
            answer = clocks.target(tier, response, priority)
            fix = clocks.target(tier, resolution, priority)
            if answer and fix and longer(answer, fix):
                yield problem(_target_pointer(resolution, priority),
                              f"tier {tier.id}: {priority} resolution {fix.describe(answer)} is "
                              f"shorter than its response {answer.describe(fix)}",
                              f"make the {priority} resolution target at least the response "
                              f"target")


# -- T603 -------------------------------------------------------------------------------

@rule("T603", Severity.ERROR)
def targets_follow_priorities(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Targets not ordered by priority: P(n) tighter than P(n-1).

    `priorities` run most urgent first, so each priority's response and
    resolution targets must be at least as long as the previous priority's.
    A priority without a target (T601) is skipped: the next one is compared
    with the last priority that has one. Equal targets pass.

    Fails:
        tiers:
          - {id: premium, objectives: {response: {P1: 1h, P2: 15m}}}

    Passes:
        tiers:
          - {id: premium, objectives: {response: {P1: 15m, P2: 15m}}}
    """
    clocks = Clocks(ctx.charter)
    for tier in ctx.charter.tiers:
        for objective in (tier.objectives.response, tier.objectives.resolution):
            if objective is None:
                continue
            previous: tuple[str, Target] | None = None
            for priority in ctx.charter.priorities:
                current = clocks.target(tier, objective, priority)
                if current is None:
                    continue
                if previous and longer(previous[1], current):
                    yield problem(_target_pointer(objective, priority),
                                  f"tier {tier.id}: {priority} {objective.kind} "
                                  f"{current.describe()} is tighter than {previous[0]}'s "
                                  f"{previous[1].describe()}",
                                  f"priorities run most urgent first: give {priority} a "
                                  f"{objective.kind} target at least as long as {previous[0]}'s")
                previous = (priority, current)


# -- T604 -------------------------------------------------------------------------------

def _hours_gap(charter: Charter, lower: Tier, higher: Tier) -> CoverageGap | None:
    """What `higher`'s hours leave uncovered of `lower`'s over the term (cached), or None."""
    if higher.is_24x7:
        return None
    needed, offered = lower.hours.schedule, higher.hours.schedule
    if needed is None or offered is None:
        return None  # V505 reports unreadable hours
    return gaps(needed, offered, *charter.term, lower.hours.zone)


def _availability(lower: Tier, higher: Tier) -> _Finding:
    low, high = lower.objectives.availability, higher.objectives.availability
    if low is None or low.target is None:
        return None
    if high is None or high.target is None:
        return (higher.objectives.pointer,
                f"tier {higher.id} promises no availability, while the lower tier {lower.id} "
                f"promises {fmt_percent(low.target.value, 3)}")
    if high.target < low.target:
        return (f"{high.pointer}/target",
                f"tier {higher.id} promises {fmt_percent(high.target.value, 3)} availability, "
                f"less than the lower tier {lower.id} ({fmt_percent(low.target.value, 3)})")
    return None


def _features(lower: Tier, higher: Tier) -> _Finding:
    missing = [f for f in lower.features if f not in higher.features]
    if not missing:
        return None
    return (f"{higher.pointer}/features",
            f"tier {higher.id} lacks {', '.join(missing)}, offered by the lower tier {lower.id}")


def _hours(charter: Charter, lower: Tier, higher: Tier) -> _Finding:
    gap = _hours_gap(charter, lower, higher)
    if gap is None:
        return None
    return (f"{higher.pointer}/hours",
            f"tier {higher.id}'s hours do not include all of the lower tier {lower.id}'s hours: "
            f"{gap.describe()}")


def _slower(clocks: Clocks, kind: str,
            priority: str) -> Callable[[Tier, Tier], _Finding]:
    def slower(lower: Tier, higher: Tier) -> _Finding:
        low: Objective | None = getattr(lower.objectives, kind)
        high: Objective | None = getattr(higher.objectives, kind)
        if low is None or high is None:
            return None  # T601
        slow = clocks.target(lower, low, priority)
        fast = clocks.target(higher, high, priority)
        if slow is None or fast is None or not longer(fast, slow):
            return None
        return (_target_pointer(high, priority),
                f"tier {higher.id}'s {priority} {kind} {fast.describe(slow)} is slower than the "
                f"lower tier {lower.id}'s {slow.describe(fast)}")
    return slower


_HINTS = {
    "availability": "a higher tier must promise at least the availability of every lower tier",
    "features": "a higher tier must offer every feature of the tiers below it",
    "hours": "a higher tier's hours must include every lower tier's hours",
    "response": "a higher tier's targets must be at least as fast as every lower tier's",
    "resolution": "a higher tier's targets must be at least as fast as every lower tier's",
}


@rule("T604", Severity.ERROR)
def higher_tier_not_worse(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A higher tier is worse than a lower one on some objective.

    Tiers are listed lowest first. A later tier must not have lower
    availability, a slower response or resolution target for any priority,
    hours that do not include all of a lower tier's hours (over the term, with
    time zones and holidays), or fewer features. Each tier is compared with
    every tier below it; each aspect (availability, features, hours, each
    priority's response and resolution) is reported once per tier, against
    the nearest lower tier it is worse than. On one clock targets compare
    directly (a business `Nd` is N x the tier's average open day); a higher
    tier's business target is slower than a lower tier's calendar one when its
    wall-clock minimum (`Nh` exactly, `Nd` at least N x 24h) exceeds it; other
    mixed pairs are undecided and not reported (docs/rules/levels.md).
    Attainment and availability windows are not compared.

    Fails:
        tiers:
          - {id: premium, objectives: {availability: {target: 99.0%}}}

    Passes:
        tiers:
          - {id: premium, objectives: {availability: {target: 99.5%}}}
    """
    charter = ctx.charter
    clocks = Clocks(charter)
    aspects: list[tuple[str, Callable[[Tier, Tier], _Finding]]] = [
        ("availability", _availability), ("features", _features),
        ("hours", lambda lo, hi: _hours(charter, lo, hi))]
    aspects += [(kind, _slower(clocks, kind, p)) for kind in TICKET_KINDS
                for p in charter.priorities]
    for higher in charter.tiers[1:]:
        lower_tiers = charter.tiers[higher.index - 1::-1]  # nearest first
        for name, offers_less in aspects:
            for lower in lower_tiers:
                found = offers_less(lower, higher)
                if found:
                    yield problem(found[0], found[1], _HINTS[name])
                    break


# -- T605 -------------------------------------------------------------------------------

@rule("T605", Severity.WARNING)
def availability_achievable(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Availability target not achievable in its window.

    A target of 100% leaves no error budget: a single lost minute breaks it. A
    target whose budget (100% - target, times the window) is under one minute
    cannot be measured or kept either. Windows count at their shortest: a day,
    7 days, a 28-day month, a 90-day quarter, a 365-day year; maintenance
    windows are not deducted.

    Fails:
        tiers:
          - {id: premium, objectives: {availability: {target: 99.999%}}}

    Passes:
        tiers:
          - {id: premium, objectives: {availability: {target: 99.99%}}}
    """
    for tier in ctx.charter.tiers:
        objective = tier.objectives.availability
        if objective is None or objective.target is None:
            continue
        window = objective.window_or_default
        target = objective.target.value
        shown = f"{fmt_percent(target, 4)} {window}"
        pointer = f"{objective.pointer}/target"
        if target >= 100:
            yield problem(pointer,
                          f"tier {tier.id} promises {shown} availability: no error budget at "
                          f"all, one lost minute breaks it",
                          "promise less than 100% (e.g. 99.95%) and state maintenance windows")
            continue
        minutes = (Decimal(100) - target) / 100 * WINDOW_DAYS.get(window, 28) * 1440
        if minutes < 1:
            seconds = (minutes * 60).quantize(Decimal(1))
            yield problem(pointer,
                          f"tier {tier.id} promises {shown} availability: an error budget of "
                          f"{seconds} seconds in {WINDOW_WORDS.get(window, window)}, "
                          f"under 1 minute",
                          "lower the target or lengthen the window so that at least a minute "
                          "of downtime is allowed")
