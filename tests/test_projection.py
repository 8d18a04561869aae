"""The projection of spec section 4, pinned on a hand-computed example.

Three years, two tiers, three clients with growth, price indexation and cost
growth. Every figure below was worked out by hand (in the comments) and the
projection must match it exactly (spec section 4, Rounding: units whole, prices
at cents, charges from the rounded figures); recovery to 1e-20 of a point.

Costs (growth compounded yearly, year 1 as stated):
    staff    100,000 +4%:   100,000.00   104,000.00   108,160.00
    tooling   30,000 +10%:   30,000.00    33,000.00    36,300.00
    total                   130,000.00   137,000.00   144,460.00

Prices (indexation compounded yearly from the stated price, then rounded half-even
to cents):
    standard per unit 42.50 +3%:  42.50   43.78 (43.775)   45.09 (45.08825)
             fixed  1,000  +3%:  1,000   1,030            1,060.90
    premium  per unit 60   +2%:  60      61.20            62.42 (62.424)
             fixed  5,000  +2%:  5,000   5,100            5,202

Volumes (units, rounded half-even to a whole unit; whole here already):
    a  standard  1,000 +10%:  1,000   1,100   1,210
    b  standard    500 -20%:    500     400     320
    c  premium     800 +25%:    800   1,000   1,250
    all                       2,300   2,500   2,780

Charges (per-unit: units x per-unit price + fixed fee):
    2026  a  1,000 x 42.50    + 1,000    = 43,500.00
          b    500 x 42.50    + 1,000    = 22,250.00
          c    800 x 60       + 5,000    = 53,000.00
          total 118,750.00; recovery 118,750 / 130,000 = 91.346...%
    2027  a  1,100 x 43.78    + 1,030    = 48,158.00 + 1,030 = 49,188.00
          b    400 x 43.78    + 1,030    = 17,512.00 + 1,030 = 18,542.00
          c  1,000 x 61.20    + 5,100    = 61,200.00 + 5,100 = 66,300.00
          total 134,030.00; recovery 134,030 / 137,000 = 97.832...%
    2028  a  1,210 x 45.09    + 1,060.90 = 54,558.90 + 1,060.90 = 55,619.80
          b    320 x 45.09    + 1,060.90 = 14,428.80 + 1,060.90 = 15,489.70
          c  1,250 x 62.42    + 5,202    = 78,025.00 + 5,202    = 83,227.00
          total 154,336.50; recovery 154,336.50 / 144,460 = 106.836...%

Shares (derived from volumes; projected = year-1 share x volume index, renormalised,
which for derived shares is each year's units / all units):
    2026  a 1,000/2,300 = 43.478%   b 21.739%   c 34.783%
    2027  a 1,100/2,500 = 44%       b 16%       c 40%
    2028  a 1,210/2,780 = 43.525%   b 11.511%   c 1,250/2,780 = 44.964%
With primary_threshold 40%: primary a (2026), a (2027), c (2028).
"""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from helpers import check_yaml

from charterc.loaders.yaml import load_text
from charterc.model.charter import build_model
from charterc.model.projection import derive, round_money

EXAMPLE = """\
apiVersion: charterc/v1
kind: Charter
metadata: {id: projection, title: Projection, version: 1.0.0, status: active, owner: o@example.com}
provider: {name: Shared Services, timezone: Europe/Paris, holidays: none}
period: {start: 2026-01-01, years: 3}
baseline: {reviewed: 2026-01-15, every: 12mo}
business:
  stance: grow
  charging: CHARGING
  unit: ticket
  currency: EUR
  recovery: {target: 100%, tolerance: 5%}
costs:
  - {id: staff, amount: 100000, growth: 4%}
  - {id: tooling, amount: 30000, growth: 10%}
features:
  - {id: incident, name: Incident management}
priorities: [P1]
tiers:
  - id: standard
    name: Standard
    features: [incident]
    hours: 24x7
    objectives:
      availability: {target: 99.5%, window: monthly, measured_by: status-page}
      response: {clock: calendar, P1: 1h, measured_by: itsm}
      resolution: {clock: calendar, P1: 8h, measured_by: itsm}
    price: {per_unit: 42.50, fixed: 1000, indexation: 3%}
  - id: premium
    name: Premium
    features: [incident]
    hours: 24x7
    objectives:
      availability: {target: 99.9%, window: monthly, measured_by: status-page}
      response: {clock: calendar, P1: 30m, measured_by: itsm}
      resolution: {clock: calendar, P1: 4h, measured_by: itsm}
    price: {per_unit: 60, fixed: 5000, indexation: 2%}
clients:
  - {id: a, name: A, tier: standard, volume: {units: 1000, growth: 10%},
     needs: {hours: 24x7, features: [incident]}}
  - {id: b, name: B, tier: standard, volume: {units: 500, growth: -20%},
     needs: {hours: 24x7, features: [incident]}}
  - {id: c, name: C, tier: premium, volume: {units: 800, growth: 25%},
     needs: {hours: 24x7, features: [incident]}}
governance: {primary_threshold: 40%, approval: primary}
reporting: {to: [reports@example.com]}
security: {classification: internal, isolation: logical, residency: [EU], controls: [],
  transfers: none}
"""


def facts_of(charging: str = "per-unit"):
    loaded = load_text(EXAMPLE.replace("CHARGING", charging), "projection.charter.yaml")
    assert loaded.ok, loaded.diagnostics
    return derive(build_model(loaded.document))


def cents(values):
    return [round_money(v) for v in values]


def test_costs_per_year():
    facts = facts_of()
    assert cents(facts.cost_items["staff"]) == [D("100000.00"), D("104000.00"), D("108160.00")]
    assert cents(facts.cost_items["tooling"]) == [D("30000.00"), D("33000.00"), D("36300.00")]
    assert cents(facts.total_cost) == [D("130000.00"), D("137000.00"), D("144460.00")]


def test_prices_are_indexed():
    facts = facts_of()
    assert [facts.price("standard", y) for y in (1, 2, 3)] == [
        (D("42.50"), D(1000)), (D("43.78"), D(1030)), (D("45.09"), D("1060.90"))]
    assert [facts.price("premium", y) for y in (1, 2, 3)] == [
        (D(60), D(5000)), (D("61.20"), D(5100)), (D("62.42"), D(5202))]
    # at cents, as an invoice prints them
    assert all(p.as_tuple().exponent == -2 for y in (1, 2, 3) for p in facts.price("standard", y))


def test_units_grow():
    facts = facts_of()
    assert facts.units == {"a": (1000, 1100, 1210), "b": (500, 400, 320),
                           "c": (800, 1000, 1250)}
    assert facts.total_units == (2300, 2500, 2780)


@pytest.mark.parametrize("client, expected", [
    ("a", ["43500.00", "49188.00", "55619.80"]),
    ("b", ["22250.00", "18542.00", "15489.70"]),
    ("c", ["53000.00", "66300.00", "83227.00"]),
])
def test_charges_per_client_and_year(client, expected):
    facts = facts_of()
    assert [row.charge for row in facts.table[client]] == [D(x) for x in expected]


def test_a_charge_recomputes_from_its_row():
    # 1,210 x 45.09 + 1,060.90 = 55,619.80, not 1,210 x 45.08825 + 1,060.90 = 55,617.6825
    row = facts_of().table["a"][2]
    assert (row.units, row.per_unit, row.fixed) == (1210, D("45.09"), D("1060.90"))
    assert row.charge == row.units * row.per_unit + row.fixed == D("55619.80")


def test_units_are_rounded_half_even_to_a_whole_unit():
    # 5 units falling 50% a year: 5, 2.5 -> 2 (half to even), 1.25 -> 1;
    # 1,000 units growing 2.5%: 1,000, 1,025, 1,050.625 -> 1,051
    text = (EXAMPLE.replace("CHARGING", "per-unit")
            .replace("units: 500, growth: -20%", "units: 5, growth: -50%")
            .replace("units: 1000, growth: 10%", "units: 1000, growth: 2.5%"))
    facts = derive(build_model(load_text(text, "t.charter.yaml").document))
    assert facts.units["b"] == (5, 2, 1)
    assert facts.units["a"] == (1000, 1025, 1051)
    assert facts.total_units == (1805, 2027, 2302)
    row = facts.table["a"][2]
    assert row.charge == 1051 * D("45.09") + D("1060.90")


def test_fractional_stated_units_are_rounded_in_year_one():
    text = EXAMPLE.replace("CHARGING", "per-unit").replace("units: 800,", "units: 800.5,")
    facts = derive(build_model(load_text(text, "t.charter.yaml").document))
    assert facts.units["c"] == (800, 1001, 1251)   # 800.5, 1,000.625, 1,250.78125
    # shares are not rounded (spec section 4): the derived share comes from 800.5 units
    # of 2,300.5 (a: 1,000, b: 500), not from the whole 800 of 2,300
    assert abs(facts.derived_share["c"] - D("800.5") * 100 / D("2300.5")) < D("1e-20")


def test_total_charges_and_recovery():
    facts = facts_of()
    assert facts.total_charges == (D("118750.00"), D("134030.00"), D("154336.50"))
    hand = [D(118750) / D(130000), D("134030.00") / D(137000),
            D("154336.50") / D(144460)]
    for got, ratio in zip(facts.recovery, hand, strict=True):
        assert abs(got - ratio * 100) < D("1e-20")
    assert [round(r, 2) for r in facts.recovery] == [D("91.35"), D("97.83"), D("106.84")]


def test_shares_and_roles():
    facts = facts_of()
    shares = {cid: [round(s, 3) for s in values] for cid, values in facts.projected_share.items()}
    assert shares == {"a": [D("43.478"), D("44.000"), D("43.525")],
                      "b": [D("21.739"), D("16.000"), D("11.511")],
                      "c": [D("34.783"), D("40.000"), D("44.964")]}
    assert facts.primary == ("a", "a", "c")


def test_share_charging_splits_the_cost():
    # 2027: a 44% x 137,000 = 60,280; b 16% = 21,920; c 40% = 54,800; recovery 100%.
    facts = facts_of("share")
    assert [facts.table[c][1].charge for c in "abc"] == [
        D("60280.00"), D("21920.00"), D("54800.00")]
    assert all(abs(r - 100) < D("1e-20") for r in facts.recovery)


def test_share_charges_are_rounded_to_cents():
    # 2028: a 1,210/2,780 of 144,460 = 62,876.47482... -> 62,876.47;
    # b 320/2,780 = 16,628.48920... -> 16,628.49; c 1,250/2,780 = 64,955.03597... -> 64,955.04
    facts = facts_of("share")
    rows = [facts.table[c][2] for c in "abc"]
    assert [r.charge for r in rows] == [D("62876.47"), D("16628.49"), D("64955.04")]
    assert all(r.cost == D(144460) for r in rows)
    assert facts.total_charges[2] == D("144460.00")


def test_fixed_charging_is_the_indexed_fee():
    facts = facts_of("fixed")
    assert cents(row.charge for row in facts.table["a"]) == [
        D("1000.00"), D("1030.00"), D("1060.90")]
    # 2028: 1,060.90 + 1,060.90 + 5,202 = 7,323.80
    assert facts.total_charges[2] == D("7323.80")


def test_checks_report_the_hand_figures():
    found = list(check_yaml(EXAMPLE.replace("CHARGING", "per-unit"), select=["C403", "G702"]))
    messages = sorted((d.rule, d.message) for d in found)
    assert messages == [
        ("C403", ("recovery in 2026 is 91.3% (charges EUR 118,750 vs costs EUR 130,000); "
                  "the target is 100% +- 5%")),
        ("C403", ("recovery in 2028 is 106.8% (charges EUR 154,336 vs costs EUR 144,460); "
                  "the target is 100% +- 5%")),
        ("G702", "the primary client changes: a (43.5%) in 2026, then c (45%) in 2028"),
    ]


def test_a_fall_of_100_percent_leaves_nothing():
    text = EXAMPLE.replace("CHARGING", "per-unit").replace("growth: -20%", "growth: -100%")
    loaded = load_text(text, "t.charter.yaml")
    facts = derive(build_model(loaded.document))
    assert facts.units["b"] == (500, 0, 0)
