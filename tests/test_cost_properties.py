"""Properties of the cost and governance checks on generated charters (tests/strategies.py)."""
from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from itertools import pairwise

from helpers import check_document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import charters, per_unit_charters

from charterc.checks import run_checks
from charterc.diagnostics import SourceMap
from charterc.model.charter import build_model
from charterc.model.projection import derive

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
MINE = ["C4", "G7"]


def my_findings(document: dict, today: date = date(2026, 6, 1)):
    """C4xx and G70x findings, straight from the model (the strategies are schema-valid)."""
    return run_checks(build_model(document), SourceMap("<doc>"), today=today, select=MINE)


@SETTINGS
@given(charters(), st.dates(date(2020, 1, 1), date(2035, 12, 31)))
def test_checks_never_raise(document, today):
    for finding in my_findings(document, today):
        assert finding.rule[:2] in ("C4", "G7")
        assert finding.message and finding.severity is not None


@SETTINGS
@given(charters())
def test_checks_never_raise_through_the_pipeline(document):
    found = check_document(document, select=MINE)
    assert not [d for d in found if d.rule[0] in "SR"], found  # the checks did run


@st.composite
def hundredths_summing_to_100(draw, count: int):
    """`count` shares in hundredths of a percent, each >= 0, summing to exactly 100%."""
    cuts = sorted(draw(st.lists(st.integers(0, 10000), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 10000]
    return [f"{(b - a) / 100:.2f}%" for a, b in pairwise(bounds)]


@SETTINGS
@given(charters(), st.data())
def test_shares_summing_to_100_never_trigger_c401(document, data):
    shares = data.draw(hundredths_summing_to_100(len(document["clients"])))
    for client, share in zip(document["clients"], shares, strict=True):
        client["share"] = share
    assert "C401" not in {d.rule for d in my_findings(document)}


def _scaled(value, factor: int):
    """value x factor, exactly, as the YAML loader would give it (int, or a float)."""
    product = Decimal(str(value)) * factor
    return int(product) if product == product.to_integral_value() else float(product)


@SETTINGS
@given(per_unit_charters(), st.sampled_from((2, 3, 7, 10, 1000)))
def test_scaling_volumes_and_costs_leaves_recovery_unchanged(document, factor):
    # Forecast units are rounded to whole units (spec section 4, Rounding), so 6.3 units
    # are 6 and, scaled by 2, 13 rather than 12: the property holds for volumes that are
    # whole in every year, which scaling keeps whole.
    for client in document["clients"]:
        client["volume"] = {"units": max(1, int(client["volume"]["units"]))}
    scaled = copy.deepcopy(document)
    for client in scaled["clients"]:
        client["volume"]["units"] = _scaled(client["volume"]["units"], factor)
    for cost in scaled["costs"]:
        cost["amount"] = _scaled(cost["amount"], factor)
    before, after = derive(build_model(document)), derive(build_model(scaled))
    for a, b in zip(before.recovery, after.recovery, strict=True):
        assert (a is None) == (b is None)
        if a is not None:
            assert abs(a - b) <= abs(a) * Decimal("1e-20") + Decimal("1e-20")
    recovery = build_model(document).business.recovery_or_default
    target, tolerance = recovery.target_or_default.value, recovery.tolerance_or_default.value
    bounds = (target - tolerance, target + tolerance)
    if all(r is None or min(abs(r - b) for b in bounds) > Decimal("1e-9")
           for r in before.recovery):
        # same years reported, same percentages (the amounts scale with the factor)
        assert _c403_years(document) == _c403_years(scaled)


def _c403_years(document: dict) -> list[str]:
    """C403 messages up to the amounts (which scale): "recovery in 2027 is 90.9%"."""
    return [d.message.split(" (charges")[0] for d in my_findings(document) if d.rule == "C403"]
