"""Commercial changes for one client: prices and charges per year, credits, shares, roles.

Years are matched by calendar year (2027 against 2027), so a term that moves
is compared where both charters speak of the same year. A higher price is a
weakening and a lower one a strengthening. A projected charge that moves is
classed the same way when the client's own volume did not move in that
direction (so the rise is not of its own making); otherwise it is a neutral
change of forecast. Losing the primary role in a year is a weakening (the
client no longer steers the service), gaining it a strengthening.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from ..model.values import fmt_percent
from .changes import Change, by_direction, fmt_amount, neutral, strengthening, weakening

if TYPE_CHECKING:
    from ..model.charter import Client, Credits, Tier
    from ..model.projection import Facts

_T = TypeVar("_T")
# (rising, calendar years that moved) -> True better, False worse, None undecided
_Direction = Callable[[bool, list[str]], bool | None]

__all__ = ["credit_changes", "money_changes", "role_changes"]


def _by_label(facts: Facts, values: Sequence[_T]) -> dict[str, _T]:
    return {facts.label(y): values[y - 1] for y in facts.years}


def _yearly(client: str, subject: str, old: Mapping[str, Decimal | None],
            new: Mapping[str, Decimal | None], fmt: Callable[[Decimal], str], pointer: str, *,
            direction: _Direction | None = None) -> list[Change]:
    """One change per direction, listing the years that moved that way."""
    ups: list[tuple[str, str, Decimal, Decimal]] = []
    downs: list[tuple[str, str, Decimal, Decimal]] = []
    for label in sorted(set(old) & set(new)):
        a, b = old[label], new[label]
        if a == b or a is None or b is None:
            continue
        text = f"{label}: {fmt(a)} -> {fmt(b)}"
        (ups if b > a else downs).append((label, text, a, b))
    found = []
    for moved, rising in ((ups, True), (downs, False)):
        if not moved:
            continue
        better = direction(rising, [m[0] for m in moved]) if direction else not rising
        before = ", ".join(f"{m[0]}: {fmt(m[2])}" for m in moved)
        after = ", ".join(f"{m[0]}: {fmt(m[3])}" for m in moved)
        note = ("higher" if rising else "lower") + " in " + ", ".join(m[0] for m in moved)
        found.append(by_direction(client, subject, before, after, better, note, pointer))
    return found


def money_changes(cid: str, old_facts: Facts, new_facts: Facts, old_client: Client,
                  new_client: Client, new_tier: Tier) -> list[Change]:
    old_c, new_c = old_facts.charter, new_facts.charter
    currency = new_c.business.currency
    found: list[Change] = []
    if old_c.business.currency != currency:
        return [neutral(cid, "currency", old_c.business.currency, currency,
                        "amounts in different currencies are not compared",
                        "/business/currency")]
    unit = new_c.business.unit

    def money(value: Decimal) -> str:
        return fmt_amount(value, currency)

    for index, subject in ((0, f"price per {unit}"), (1, "fixed fee")):
        old = {old_facts.label(y): old_facts.price(old_client.tier, y)[index]
               for y in old_facts.years}
        new = {new_facts.label(y): new_facts.price(new_client.tier, y)[index]
               for y in new_facts.years}
        found += _yearly(cid, subject, old, new, money, new_tier.price_or_default.pointer)
    old_rows = _by_label(old_facts, old_facts.table[old_client.id])
    new_rows = _by_label(new_facts, new_facts.table[new_client.id])

    def charge_direction(rising: bool, labels: list[str]) -> bool | None:
        units_moved = [new_rows[lb].units - old_rows[lb].units for lb in labels]
        own_doing = any(d > 0 for d in units_moved) if rising else any(d < 0 for d in units_moved)
        return None if own_doing else not rising

    found += _yearly(cid, "projected charge", {k: r.charge for k, r in old_rows.items()},
                     {k: r.charge for k, r in new_rows.items()},
                     lambda v: fmt_amount(v, currency, 0), new_client.pointer,
                     direction=charge_direction)

    def units(value: Decimal) -> str:
        return f"{value.quantize(Decimal(1)):,f} {unit}s"

    found += _yearly(cid, "forecast volume", {k: r.units for k, r in old_rows.items()},
                     {k: r.units for k, r in new_rows.items()}, units,
                     f"{new_client.pointer}/volume", direction=lambda rising, labels: None)
    found += _yearly(cid, "share", {k: _round(r.share) for k, r in old_rows.items()},
                     {k: _round(r.share) for k, r in new_rows.items()},
                     lambda v: fmt_percent(v, 1), new_client.pointer,
                     direction=lambda rising, labels: None)
    return found


def _round(share: Decimal | None) -> Decimal | None:
    return None if share is None else share.quantize(Decimal("0.1"))


def _credit_at(credits: Credits | None, availability: Decimal) -> Decimal:
    if credits is None:
        return Decimal(0)
    owed = max((b.credit.value for b in credits.bands if availability < b.below.value),
               default=Decimal(0))
    return min(owed, credits.cap.value) if credits.cap is not None else owed


def _credits_text(credits: Credits | None) -> str:
    if credits is None or not credits.bands:
        return "none"
    bands = ", ".join(f"below {fmt_percent(b.below.value, 3)}: "
                      f"{fmt_percent(b.credit.value, 2)}" for b in credits.bands)
    return bands + (f"; cap {fmt_percent(credits.cap.value, 2)}" if credits.cap is not None
                    else "")


def credit_changes(cid: str, old_tier: Tier, new_tier: Tier) -> list[Change]:
    """Credits compared as what is owed at each availability level (band edges and 0%)."""
    old, new = old_tier.credits, new_tier.credits
    before, after = _credits_text(old), _credits_text(new)
    if before == after:
        return []
    edges = {Decimal(0)}
    for credits in (old, new):
        for band in (credits.bands if credits else ()):
            edges.update((band.below.value - Decimal("0.001"), band.below.value))
    more = [a for a in sorted(edges) if _credit_at(new, a) > _credit_at(old, a)]
    less = [a for a in sorted(edges) if _credit_at(new, a) < _credit_at(old, a)]
    pointer = new_tier.credits.pointer if new_tier.credits else new_tier.pointer
    found = []
    if less:
        found.append(weakening(cid, "service credits", before, after,
                               f"less is owed at {fmt_percent(less[-1], 3)} availability", pointer))
    if more:
        found.append(strengthening(cid, "service credits", before, after,
                                   f"more is owed at {fmt_percent(more[-1], 3)} availability",
                                   pointer))
    if not found:
        found.append(neutral(cid, "service credits", before, after, "same credits owed", pointer))
    return found


def role_changes(cid: str, old_facts: Facts, new_facts: Facts, pointer: str) -> list[Change]:
    def role(facts: Facts, year: int) -> str:
        return "primary" if facts.primary[year - 1] == cid else "secondary"

    old = {old_facts.label(y): role(old_facts, y) for y in old_facts.years}
    new = {new_facts.label(y): role(new_facts, y) for y in new_facts.years}
    lost = [lb for lb in sorted(set(old) & set(new)) if old[lb] == "primary" != new[lb]]
    won = [lb for lb in sorted(set(old) & set(new)) if new[lb] == "primary" != old[lb]]
    found = []
    if lost:
        found.append(weakening(cid, "role", "primary", "secondary",
                               f"no longer primary in {', '.join(lost)}", pointer))
    if won:
        found.append(strengthening(cid, "role", "secondary", "primary",
                                   f"primary in {', '.join(won)}", pointer))
    return found
