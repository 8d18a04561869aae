"""Cost checks (C401-C410): shares, recovery, budgets, caps, prices, credits.

Every figure comes from the projection of spec section 4 (`projection.Facts`),
computed once per charter and already rounded as invoiced (whole units, prices
and charges at the currency's minor unit). Rules compare those figures as they
are and round only to word their messages.
"""
from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from itertools import pairwise

from ..diagnostics import Diagnostic, Severity
from ..diagnostics.rules import problem, rule
from ..model.charter import Charter, Credits, Tier
from ..model.projection import round_money
from ..model.values import fmt_money_plain, fmt_percent, quantize
from . import CheckContext

SHARE_SUM_TOLERANCE = Decimal("0.5")   # C401, percentage points
SHARE_GAP = Decimal(5)                 # C402, percentage points
_HUNDRED = Decimal(100)


# -- message helpers -------------------------------------------------------------------

def money(amount: Decimal, charter: Charter) -> str:
    """`EUR 1,402,110`; small amounts that are not whole keep their cents (`EUR 7.50`)."""
    cents = round_money(amount)
    if abs(cents) < 1000 and cents != cents.to_integral_value():
        return f"{charter.business.currency} {cents:,f}"
    return fmt_money_plain(amount, charter.business.currency)


def quantity(units: Decimal) -> str:
    """Units as a person reads them: `12,000`, `2,205.5` (never rounded in computations)."""
    text = f"{quantize(units, 2):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def plural(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return noun[:-1] + "ies"
    return noun + "s"


def shown(value: Decimal, low: Decimal, high: Decimal) -> str:
    """A percent rounded for display, with more places when rounding would hide a breach."""
    for places in (1, 2, 3):
        if not low <= quantize(value, places) <= high:
            return fmt_percent(value, places)
    return fmt_percent(value, 4)


def also_in(years: list[str]) -> str:
    """`; also over in 2027 (...) and 2028 (...)`, or nothing."""
    if not years:
        return ""
    listed = years[0] if len(years) == 1 else ", ".join(years[:-1]) + " and " + years[-1]
    return f"; also over in {listed}"


# -- shares ----------------------------------------------------------------------------

@rule("C401", Severity.ERROR)
def shares_sum_to_100(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Stated client shares must add up to 100% (within half a point).

    When every client states a `share`, the shares are the split of the service
    and must sum to 100% +- 0.5 point. When only some clients state one (the
    others' shares come from their volumes), the stated shares must leave room
    for the others: they may not exceed 100.5%. Nothing is checked when no
    client states a share. The finding points at the last stated share.

    Fails:
      clients:
        - {id: alpha, share: 50%}
        - {id: beta, share: 45%}

    Passes:
      clients:
        - {id: alpha, share: 50%}
        - {id: beta, share: 50%}
    """
    clients = ctx.charter.clients
    stated = [(n, c, c.share) for n, c in enumerate(clients) if c.share is not None]
    if not stated:
        return
    total = sum((share.value for _, _, share in stated), Decimal(0))
    listed = ", ".join(f"{c.id} {fmt_percent(share.value, 2)}" for _, c, share in stated)
    where = f"/clients/{stated[-1][0]}/share"
    if len(stated) == len(clients):
        if abs(total - _HUNDRED) > SHARE_SUM_TOLERANCE:
            yield problem(
                where,
                f"stated client shares sum to {fmt_percent(total, 2)} ({listed}); "
                f"they must sum to 100% (+- 0.5 point)",
                "correct the shares so that they add up to 100%, or remove them all to "
                "derive the shares from volumes")
    elif total > _HUNDRED + SHARE_SUM_TOLERANCE:
        others = ", ".join(c.id for c in clients if c.share is None)
        yield problem(
            where,
            f"stated client shares already sum to {fmt_percent(total, 2)} ({listed}), "
            f"leaving nothing for {others}; they must sum to at most 100%",
            "correct the stated shares, or state a share for every client")


@rule("C402", Severity.WARNING)
def share_matches_volume(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A stated share should match the share derived from volumes (within 5 points).

    The derived share is the client's year-1 units over all clients' year-1
    units (forecast units, whole: spec section 4, Rounding). A stated share
    more than 5 points away from it means either the share or the volumes are
    out of date. Compared only when every client states its volume
    (otherwise there is no whole to derive shares from).

    Fails:
      clients:
        - {id: alpha, share: 70%}
        - {id: beta, share: 30%}

    Passes:
      clients:
        - {id: alpha, share: 53%}
        - {id: beta, share: 47%}
      governance: {approval: primary}
    """
    charter, facts = ctx.charter, ctx.facts
    if any(c.units is None for c in charter.clients):
        return
    total = facts.total_units[0]
    unit = plural(charter.business.unit)
    for n, client in enumerate(charter.clients):
        derived = facts.derived_share[client.id]
        if client.share is None or client.units is None or derived is None:
            continue
        gap = abs(client.share.value - derived)
        if gap > SHARE_GAP:
            yield problem(
                f"/clients/{n}/share",
                f"{client.id} states a {fmt_percent(client.share.value, 2)} share but its "
                f"volume gives {fmt_percent(derived)} ({quantity(facts.units[client.id][0])} of "
                f"{quantity(total)} {unit} in {facts.label(1)}): "
                f"{quantity(quantize(gap, 1))} points apart, more than 5",
                "update the stated share or the volume so that they tell the same story")


# -- recovery, budgets, cap ------------------------------------------------------------

@rule("C403", Severity.ERROR)
def recovery_in_target(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Charges must recover the costs within the target, every projected year.

    Recovery is the sum of the clients' charges over the total cost of the
    year (spec section 4); it must lie within `business.recovery` target +-
    tolerance, in percentage points, bounds included. One finding per year
    outside. Years without any cost have no recovery and are not judged.

    Fails:
      costs:
        - {id: staff, amount: 120000}

    Passes:
      costs:
        - {id: staff, amount: 100000}
    """
    charter, facts = ctx.charter, ctx.facts
    recovery_terms = charter.business.recovery_or_default
    target = recovery_terms.target_or_default.value
    tolerance = recovery_terms.tolerance_or_default.value
    low, high = target - tolerance, target + tolerance
    for y in facts.years:
        recovery = facts.recovery[y - 1]
        if recovery is None or low <= recovery <= high:
            continue
        yield problem(
            "/business/recovery/target",
            f"recovery in {facts.label(y)} is {shown(recovery, low, high)} "
            f"(charges {fmt_money_plain(facts.total_charges[y - 1], charter.business.currency)} "
            f"vs costs {fmt_money_plain(facts.total_cost[y - 1], charter.business.currency)}); "
            f"the target is {fmt_percent(target, 2)} +- {fmt_percent(tolerance, 2)}",
            "adjust prices, volumes or the cost base so that charges cover costs, "
            "or revise business.recovery")


@rule("C404", Severity.WARNING)
def charge_within_budget(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A client's projected charge should stay within its yearly budget.

    The charge of each projected year (as invoiced: spec section 4, Rounding) is
    compared with the client's `budget`. One finding per client, at the first
    year over budget, naming the excess; later years over budget are listed.

    Fails:
      clients:
        - {id: alpha, budget: 30000}

    Passes:
      clients:
        - {id: alpha, budget: 40000}
    """
    charter, facts = ctx.charter, ctx.facts
    for n, client in enumerate(charter.clients):
        if client.budget is None:
            continue
        budget = client.budget.value
        over = [(y, row.charge - budget)
                for y, row in zip(facts.years, facts.table[client.id], strict=True)
                if row.charge > budget]
        if not over:
            continue
        (first, excess), later = over[0], over[1:]
        charge = facts.table[client.id][first - 1].charge
        also = also_in([f"{facts.label(y)} (by {money(e, charter)})" for y, e in later])
        yield problem(
            f"/clients/{n}/budget",
            f"{client.id}'s charge in {facts.label(first)} is {money(charge, charter)}, "
            f"{money(excess, charter)} over its yearly budget of "
            f"{money(budget, charter)}{also}",
            "raise the budget, move the client to a cheaper tier, or revise its volume")


@rule("C405", Severity.ERROR)
def cap_respected(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A capped service must stay under its cap every projected year.

    With `stance: cap`, `business.cap` bounds the total units (`units`) or the
    total cost (`cost`) of each year. One finding, at the first year over the
    cap; later years over it are listed.

    Fails:
      business: {stance: cap, cap: {units: 1500}}

    Passes:
      business: {stance: cap, cap: {units: 2000}}
    """
    charter, facts = ctx.charter, ctx.facts
    business = charter.business
    if business.stance != "cap" or business.cap is None:
        return
    if business.cap.units is not None:
        what, limit, values, where = ("total volume", business.cap.units.value,
                                      facts.total_units, "units")

        def show(value: Decimal) -> str:
            return f"{quantity(value)} {plural(business.unit)}"
    elif business.cap.cost is not None:
        what, limit, values, where = ("total cost", business.cap.cost.value,
                                      facts.total_cost, "cost")

        def show(value: Decimal) -> str:
            return money(value, charter)
    else:
        return
    over = [y for y in facts.years if values[y - 1] > limit]
    if not over:
        return
    also = also_in([f"{facts.label(y)} ({show(values[y - 1])})" for y in over[1:]])
    yield problem(
        f"/business/cap/{where}",
        f"{what} in {facts.label(over[0])} is {show(values[over[0] - 1])}, over the cap of "
        f"{show(limit)}{also}",
        "reduce the projected volumes or costs, or revise the cap")


@rule("C406", Severity.WARNING)
def three_year_horizon(ctx: CheckContext) -> Iterator[Diagnostic]:
    """The projection should cover at least three years.

    Clients must be able to see their cost over a horizon of at least three
    years (spec section 1); `period.years` defaults to 3.

    Fails:
      period: {years: 2}

    Passes:
      period: {years: 3}
    """
    years = ctx.charter.period.years_or_default
    if years < 3:
        labels = ctx.facts.label(1) + (f"-{ctx.facts.label(years)}" if years > 1 else "")
        yield problem(
            "/period/years",
            f"the projection covers {years} year{'s' if years > 1 else ''} "
            f"({labels}): clients cannot see a three-year cost",
            "set period.years to 3 or more")


# -- prices, costs, credits -------------------------------------------------------------

def _charged_components(charging: str) -> tuple[str, ...]:
    """The price components that reach a charge under a charging model."""
    return {"per-unit": ("per_unit", "fixed"), "fixed": ("fixed",)}.get(charging, ())


@rule("C407", Severity.ERROR)
def higher_tier_costs_more(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A higher tier must not be cheaper than a lower one.

    Tiers are listed lowest first. In year 1, a higher tier's per-unit price
    and fixed fee (absent = 0) must each be at least those of every lower tier,
    and not both equal. Only the components that are charged count: both under
    `per-unit` charging, the fixed fee under `fixed`; under `share` charging
    prices are not charged and nothing is compared. One finding per higher tier.

    Fails:
      tiers:
        - {id: premium, price: {per_unit: 35}}

    Passes:
      tiers:
        - {id: premium, price: {per_unit: 50, fixed: 10000}}
    """
    charter = ctx.charter
    components = _charged_components(charter.business.charging)
    if not components:
        return
    names = {"per_unit": f"per {charter.business.unit}", "fixed": "fixed fee"}
    for high in charter.tiers[1:]:
        for low in charter.tiers[:high.index]:
            finding = _cheaper(charter, low, high, components, names)
            if finding:
                yield finding
                break


def _year_one(tier: Tier, part: str) -> Decimal:
    """A price component of year 1 (absent = 0)."""
    price = tier.price_or_default
    return (price.per_unit_or_default if part == "per_unit" else price.fixed_or_default).value


def _cheaper(charter: Charter, low: Tier, high: Tier, components: tuple[str, ...],
             names: dict[str, str]) -> Diagnostic | None:
    for part in components:
        a, b = _year_one(low, part), _year_one(high, part)
        if b < a:
            return problem(
                f"/tiers/{high.index}/price/{part}",
                f"tier {high.id} is cheaper than the lower tier {low.id}: "
                f"{money(b, charter)} {names[part]} against {money(a, charter)}",
                f"raise {high.id}'s price, or list the tiers lowest first")
    if all(_year_one(low, p) == _year_one(high, p) for p in components):
        shown_price = ", ".join(f"{money(_year_one(high, p), charter)} {names[p]}"
                                for p in components)
        return problem(
            f"/tiers/{high.index}/price",
            f"tier {high.id} costs the same as the lower tier {low.id} ({shown_price})",
            f"price {high.id} above {low.id}, or merge the two tiers")
    return None


@rule("C408", Severity.WARNING)
def feature_cost_is_valued(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A cost tied to a feature should serve a client that needs the feature.

    A cost with `feature:` exists for that feature; when no client needs it
    (`needs.features`) the money buys nothing a client values. A client that
    states no `needs.features` counts as needing every feature of its tier
    (it has not said otherwise); `features: []` means it needs none.

    Fails:
      costs:
        - {id: staff, amount: 80000}
        - {id: rota, amount: 20000, feature: weekend}
      clients:
        - {id: beta, needs: {features: [incident]}}

    Passes:
      costs:
        - {id: staff, amount: 80000}
        - {id: rota, amount: 20000, feature: weekend}
    """
    charter, facts = ctx.charter, ctx.facts
    needed: set[str] = set()
    for client in charter.clients:
        stated = client.needs.features if client.needs else None
        if stated is None:
            tier = charter.tier(client.tier)
            needed.update(tier.features if tier else ())
        else:
            needed.update(stated)
    for n, cost in enumerate(charter.costs):
        if cost.feature is None or cost.feature in needed:
            continue
        yearly = facts.cost_items[cost.id]
        term = (f" ({money(sum(yearly, Decimal(0)), charter)} over "
                f"{facts.label(1)}-{facts.label(facts.years[-1])})" if len(yearly) > 1 else "")
        yield problem(
            f"/costs/{n}/feature",
            f"cost {cost.id}, {money(cost.amount.value, charter)} a year{term}, exists for "
            f"feature {cost.feature}, which no client needs",
            "drop the cost or the feature, or record the client that needs it in needs.features")


@rule("C409", Severity.ERROR)
def credit_bands_well_formed(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Credit bands must run from the availability target down, with rising credits.

    The `below` values strictly decrease and the first equals the tier's
    availability target (no zone where the objective is missed and nothing is
    owed); credits strictly increase; the cap is at most 100%. Without an
    availability objective the first band is not compared with anything.

    Fails:
      tiers:
        - id: standard
          credits: {bands: [{below: 99.0%, credit: 10%}, {below: 98.0%, credit: 25%}]}

    Passes:
      tiers:
        - id: standard
          credits: {bands: [{below: 99.5%, credit: 10%}, {below: 98.0%, credit: 25%}]}
    """
    for tier in ctx.charter.tiers:
        if tier.credits is None:
            continue
        yield from _band_problems(tier, tier.credits)


def _band_problems(tier: Tier, credits: Credits) -> Iterator[Diagnostic]:
    bands, pointer = credits.bands, credits.pointer
    availability = tier.objectives.availability
    if bands and availability is not None and availability.target is not None \
            and bands[0].below != availability.target:
        yield problem(
            f"{bands[0].pointer}/below",
            f"the first credit band of tier {tier.id} starts below "
            f"{fmt_percent(bands[0].below.value, 3)}, not at the availability target "
            f"{fmt_percent(availability.target.value, 3)}",
            f"start the first band at below: {fmt_percent(availability.target.value, 3)}")
    for previous, band in pairwise(bands):
        if band.below >= previous.below:
            yield problem(
                f"{band.pointer}/below",
                f"credit band below {fmt_percent(band.below.value, 3)} of tier {tier.id} does "
                f"not come under the previous band's {fmt_percent(previous.below.value, 3)}: "
                f"`below` must strictly decrease",
                "list the bands from the target downwards, each lower than the last")
        if band.credit <= previous.credit:
            yield problem(
                f"{band.pointer}/credit",
                f"credit {fmt_percent(band.credit.value, 2)} of tier {tier.id} (below "
                f"{fmt_percent(band.below.value, 3)}) is not above the previous band's "
                f"{fmt_percent(previous.credit.value, 2)}: credits must strictly increase",
                "owe more credit as availability falls further")
    cap = credits.cap
    if cap is not None and cap.value > _HUNDRED:
        yield problem(f"{pointer}/cap",
                      f"credit cap of tier {tier.id} is {fmt_percent(cap.value, 2)}, over 100% of "
                      f"the charge", "cap credits at 100% or less")


@rule("C410", Severity.WARNING)
def stance_matches_volume(ctx: CheckContext) -> Iterator[Diagnostic]:
    """The stance should match where total volume goes over the term.

    A `shrink` stance with total units rising from the first to the last
    projected year, or a `grow` stance with them falling, says one thing and
    plans another.

    Fails:
      business: {stance: shrink}
      costs:
        - {id: staff, growth: 5%}
      clients:
        - {id: alpha, volume: {growth: 5%}}
        - {id: beta, volume: {growth: 5%}}

    Passes:
      business: {stance: shrink}
      costs:
        - {id: staff, growth: -5%}
      clients:
        - {id: alpha, volume: {growth: -5%}}
        - {id: beta, volume: {growth: -5%}}
    """
    charter, facts = ctx.charter, ctx.facts
    first, last = facts.total_units[0], facts.total_units[-1]
    stance = charter.business.stance
    if stance == "shrink" and last > first:
        moves = "grows"
    elif stance == "grow" and last < first:
        moves = "falls"
    else:
        return
    unit = plural(charter.business.unit)
    yield problem(
        "/business/stance",
        f"stance is {stance} but total volume {moves} from {quantity(first)} {unit} "
        f"in {facts.label(1)} to {quantity(last)} in {facts.label(facts.years[-1])}",
        "change the stance, or the volume growth of the clients")
