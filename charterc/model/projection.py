"""Derived facts of spec section 4, computed once per charter and shared by checks and outputs.

Year y runs 1..period.years; year 1 uses the stated numbers. Costs grow by their
`growth`, volumes by the client's `growth`, prices by the tier's `indexation`,
each compounded yearly (a fall of 100% or more leaves 0, never a negative
amount).

Rounding (spec section 4, v1.1) happens here and nowhere else, where an invoice
would round, so that every charge recomputes from the figures printed beside it:
forecast units are rounded half-even to a whole unit, prices per unit and fixed
fees to the currency's minor unit (cents); a per-unit charge is then exactly
units x price + fixed fee, a share charge is share x total cost rounded to the
minor unit, a fixed charge is the fixed fee; totals are sums of rounded rows.
Shares and costs are kept exact.

A `share` charge (spec section 8.2) is an allocation of the year's cost, rounded to the
minor unit (the cost a document prints), among the clients with a share by the largest
remainder method: each client gets share x cost rounded down to the cent, then the cents
left over go one each to the largest remainders (ties: the client written first). The
charges therefore sum to the printed cost exactly, never a cent above it, and each is
within a cent of share x cost. The share a document prints beside it (`ClientYear.rate`) is
the exact share with the fewest decimals (at least two) such that printed share x printed
cost, rounded half-even to the cent, is the printed charge.

Checks, documents, exports and reports read these figures and never round or recompute a
charge themselves.
"""
from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from functools import cached_property

from ..records import record
from .charter import Charter, Client
from .values import Period, add_period, quantize

__all__ = [
    "MINOR_UNIT", "ROUNDING", "ClientYear", "Facts", "allocate", "derive", "primary_of",
    "printed_rate", "projection_year", "round_money",
]

ROUNDING = decimal.ROUND_HALF_EVEN
_CONTEXT = decimal.Context(prec=34, rounding=ROUNDING)
# Rounded figures are combined exactly (whole units x prices at cents, sums of rows), however
# many digits they have: a charge is what its row says, to the last cent.
_EXACT = decimal.Context(prec=decimal.MAX_PREC, rounding=ROUNDING)
_HUNDRED = Decimal(100)
_ZERO = Decimal(0)


def _index(rate_percent: Decimal, year: int) -> Decimal:
    """(1 + rate)^(year-1): the compounding factor of year `year`.

    Year 1 is exactly 1 (the stated numbers). A fall of 100% or more leaves
    nothing from year 2 on: volumes, costs and prices never turn negative.
    """
    if year <= 1:
        return Decimal(1)
    base = _CONTEXT.add(1, _CONTEXT.divide(rate_percent, _HUNDRED))
    return _CONTEXT.power(base, year - 1) if base > 0 else _ZERO


# The currency's minor unit, in decimal places: cents, as `round_money` rounds displayed
# amounts. `check` does not load babel, whose CLDR data would know other digits (JPY 0,
# BHD 3), so a charter in such a currency is rounded to cents too.
MINOR_UNIT = 2


@record(eq=True)
class ClientYear:
    """One client's year, rounded as invoiced: every figure a document prints beside a charge.

    `units` is whole, `per_unit` and `fixed` are at the currency's minor unit, `charge` is
    `units * per_unit + fixed` (per-unit), `fixed` (fixed) or `share * cost` rounded to the
    minor unit (share); `cost` is the year's total cost, exact, the base of a share charge.
    """
    units: Decimal
    per_unit: Decimal
    fixed: Decimal
    share: Decimal | None  # projected share in percent, exact (None when the client has no share)
    charge: Decimal
    cost: Decimal
    # the share as printed beside a `share` charge: rate x cost (at the minor unit) rounds
    # half-even to the charge (None when the client has no share)
    rate: Decimal | None = None


class Facts:
    """Per-year projection of a charter: costs, volumes, prices, charges, shares, roles."""

    def __init__(self, charter: Charter):
        self.charter = charter
        self.years = tuple(range(1, charter.period.years_or_default + 1))
        self.places = MINOR_UNIT

    def money(self, amount: Decimal) -> Decimal:
        """An amount rounded half-even to the currency's minor unit, as invoiced."""
        return quantize(amount, self.places, ROUNDING)

    def label(self, year: int) -> str:
        """Calendar year of projected year `year` ("2028")."""
        return str(self.charter.period.start.year + year - 1)

    # -- costs ---------------------------------------------------------------------
    @cached_property
    def cost_items(self) -> dict[str, tuple[Decimal, ...]]:
        return {c.id: tuple(c.amount.value * _index(c.growth_or_default.value, y)
                            for y in self.years)
                for c in self.charter.costs}

    @cached_property
    def total_cost(self) -> tuple[Decimal, ...]:
        return tuple(sum((v[y - 1] for v in self.cost_items.values()), _ZERO) for y in self.years)

    # -- volumes and shares --------------------------------------------------------
    @cached_property
    def units(self) -> dict[str, tuple[Decimal, ...]]:
        """Forecast units per client and year, rounded half-even to a whole unit."""
        return {c.id: tuple(quantize(_CONTEXT.multiply(_units(c),
                                                       _index(c.growth_or_default.value, y)),
                                     0, ROUNDING) for y in self.years)
                for c in self.charter.clients}

    @cached_property
    def total_units(self) -> tuple[Decimal, ...]:
        return tuple(_sum(u[y - 1] for u in self.units.values()) for y in self.years)

    @cached_property
    def derived_share(self) -> dict[str, Decimal | None]:
        """Year-1 share from volumes: the client's stated units / all stated units (spec
        section 4; shares are not rounded, so neither are the units they come from); None
        for a client without units."""
        total = _sum(_units(c) for c in self.charter.clients)
        return {c.id: (_CONTEXT.divide(_units(c) * _HUNDRED, total)
                       if c.units is not None and total else None)
                for c in self.charter.clients}

    @cached_property
    def base_share(self) -> dict[str, Decimal | None]:
        """Year-1 share: stated, else derived from volumes."""
        return {c.id: c.share.value if c.share is not None else self.derived_share[c.id]
                for c in self.charter.clients}

    @cached_property
    def projected_share(self) -> dict[str, tuple[Decimal | None, ...]]:
        """Year-1 share x volume index, renormalised so that all shares sum to 100%."""
        base = {c.id: share for c in self.charter.clients
                if (share := self.base_share[c.id]) is not None}
        clients = [c for c in self.charter.clients if c.id in base]
        result: dict[str, tuple[Decimal | None, ...]] = {
            c.id: tuple(None for _ in self.years) for c in self.charter.clients}
        if not clients:
            return result
        columns = []
        for y in self.years:
            raw = {c.id: base[c.id] * _index(c.growth_or_default.value, y) for c in clients}
            total = sum(raw.values(), _ZERO)
            columns.append({k: (_CONTEXT.divide(v * _HUNDRED, total) if total else _ZERO)
                            for k, v in raw.items()})
        for c in clients:
            result[c.id] = tuple(col[c.id] for col in columns)
        return result

    @cached_property
    def primary(self) -> tuple[str | None, ...]:
        """Per year: the client with the largest share if it reaches the threshold (ties: none)."""
        threshold = self.charter.governance_or_default.primary_threshold_or_default.value
        return tuple(primary_of({cid: share for cid, s in self.projected_share.items()
                                 if (share := s[y - 1]) is not None}, threshold)
                     for y in self.years)

    # -- prices and charges --------------------------------------------------------
    def price(self, tier_id: str, year: int) -> tuple[Decimal, Decimal]:
        """(per-unit price, fixed fee) of a tier in a year: indexed, then rounded half-even
        to the currency's minor unit (each year from the stated price, not from last year's
        rounded one)."""
        return self._prices.get(tier_id, ((_ZERO, _ZERO),) * len(self.years))[year - 1]

    @cached_property
    def _prices(self) -> dict[str, tuple[tuple[Decimal, Decimal], ...]]:
        prices = {}
        for tier in self.charter.tiers:
            price = tier.price_or_default
            per_unit, fixed = price.per_unit_or_default.value, price.fixed_or_default.value
            factors = [_index(price.indexation_or_default.value, y) for y in self.years]
            prices[tier.id] = tuple((self.money(_CONTEXT.multiply(per_unit, f)),
                                     self.money(_CONTEXT.multiply(fixed, f)))
                                    for f in factors)
        return prices

    def client_year(self, client: Client, year: int) -> ClientYear:
        per_unit, fixed = self.price(client.tier, year)
        units = self.units[client.id][year - 1]
        share = self.projected_share[client.id][year - 1]
        cost = self.total_cost[year - 1]
        charging = self.charter.business.charging
        if charging == "per-unit":
            charge = _EXACT.add(_EXACT.multiply(units, per_unit), fixed)
        elif charging == "fixed":
            charge = fixed
        else:  # share of the total cost, allocated by the largest remainder
            charge = self._allocated[year - 1].get(client.id, _ZERO)
            rate = None if share is None else printed_rate(share, self.money(cost), charge,
                                                           self.places)
            return ClientYear(units, per_unit, fixed, share, charge, cost, rate)
        return ClientYear(units, per_unit, fixed, share, charge, cost)

    @cached_property
    def _allocated(self) -> tuple[dict[str, Decimal], ...]:
        """Per year: each client's `share` charge, the year's cost at the minor unit
        allocated by the largest remainder (module docstring)."""
        return tuple(allocate(self.money(self.total_cost[y - 1]),
                              {cid: s[y - 1] for cid, s in self.projected_share.items()
                               if s[y - 1] is not None}, self.places)
                     for y in self.years)

    @cached_property
    def table(self) -> dict[str, tuple[ClientYear, ...]]:
        """client id -> per-year units, prices, share and charge."""
        return {c.id: tuple(self.client_year(c, y) for y in self.years)
                for c in self.charter.clients}

    @cached_property
    def total_charges(self) -> tuple[Decimal, ...]:
        """Per year, the sum of the clients' rounded charges."""
        return tuple(_sum(row[y - 1].charge for row in self.table.values()) for y in self.years)

    @cached_property
    def recovery(self) -> tuple[Decimal | None, ...]:
        """Charges / costs per year, in percent (None when there is no cost)."""
        return tuple(_CONTEXT.divide(ch * _HUNDRED, co) if co else None
                     for ch, co in zip(self.total_charges, self.total_cost, strict=True))


def _sum(values: Iterable[Decimal]) -> Decimal:
    """The exact sum of rounded figures (whole units, charges at the minor unit)."""
    total = _ZERO
    for value in values:
        total = _EXACT.add(total, value)
    return total


def primary_of(shares: Mapping[str, Decimal], threshold: Decimal) -> str | None:
    """Section 4's role rule: the client with the largest share is primary if that share is
    at least the threshold; a tie for the largest means no primary. (Also applied to the
    shares observed in tickets, by `charterc baseline`.)"""
    ranked = sorted(((share, cid) for cid, share in shares.items()), reverse=True)
    if not ranked or ranked[0][0] < threshold or (len(ranked) > 1 and
                                                   ranked[1][0] == ranked[0][0]):
        return None
    return ranked[0][1]


def allocate(total: Decimal, shares: Mapping[str, Decimal | None],
             places: int = MINOR_UNIT) -> dict[str, Decimal]:
    """`total` (at `places` decimals) split by `shares` (percent, summing to 100) with the
    largest remainder method: each part rounded down, then one minor unit each to the
    largest remainders (ties: first in `shares`' order) until the parts sum to `total`."""
    unit = Decimal(1).scaleb(-places)
    exact = {k: _CONTEXT.divide(_CONTEXT.multiply(v or _ZERO, total), _HUNDRED)
             for k, v in shares.items()}
    parts = {k: quantize(v, places, decimal.ROUND_FLOOR) for k, v in exact.items()}
    if not parts:
        return parts
    left = int(quantize(_CONTEXT.divide(_EXACT.subtract(total, _sum(parts.values())), unit), 0))
    order = sorted(exact, key=lambda k: (-(exact[k] - parts[k]), list(exact).index(k)))
    for k in order[:max(0, min(left, len(order)))]:
        parts[k] = _EXACT.add(parts[k], unit)
    return parts


def printed_rate(share: Decimal, cost: Decimal, charge: Decimal,
                 places: int = MINOR_UNIT) -> Decimal:
    """`share` (percent) with the fewest decimals, at least two, such that it times `cost`,
    rounded half-even to `places`, is `charge`: the share a reader can recompute the charge
    from. The nearest such value to `share` at that precision."""
    def gives(rate: Decimal) -> bool:
        return quantize(_CONTEXT.divide(_CONTEXT.multiply(rate, cost), _HUNDRED),
                        places, ROUNDING) == charge

    if not cost:
        return quantize(share, 2)
    half = Decimal(1).scaleb(-places) / 2
    low = _CONTEXT.divide(_CONTEXT.multiply(charge - half, _HUNDRED), cost)
    high = _CONTEXT.divide(_CONTEXT.multiply(charge + half, _HUNDRED), cost)
    for digits in range(2, 30):
        step = Decimal(1).scaleb(-digits)
        first = quantize(low, digits, decimal.ROUND_CEILING)
        last = quantize(high, digits, decimal.ROUND_FLOOR)
        if first > last:
            continue
        near = min(max(quantize(share, digits), first), last)
        for rate in (near, near + step, near - step, first + step, last - step):
            if first <= rate <= last and gives(rate):
                return rate
    return share


def _units(client: Client) -> Decimal:
    """Year-1 units of a client (0 when it states no volume)."""
    return client.units.value if client.units is not None else _ZERO


def derive(charter: Charter) -> Facts:
    return Facts(charter)


def round_money(amount: Decimal, places: int = MINOR_UNIT) -> Decimal:
    return quantize(amount, places, ROUNDING)


def projection_year(charter: Charter, day: date) -> int:
    """The year of the term `day` falls in: 1 from `period.start`, 0 or less before it,
    past the last year after the term (callers clamp to the term when they need a row)."""
    start = charter.period.start
    y = ((day.year - start.year) * 12 + day.month - start.month) // 12 + 1
    if add_period(start, Period(months=12 * (y - 1))) > day:
        y -= 1
    return y
