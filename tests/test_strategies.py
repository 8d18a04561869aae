"""The document strategies draw what they promise: schema-valid, resolvable charters.

Property tests elsewhere start from `strategies.charters()`; if it drew invalid
documents they would test the S201 path instead of the property. So: every draw
validates against `schemas/charter.schema.json` (with `jsonschema` directly, not
through charterc), every reference resolves, and the narrowed variants keep
their promises.
"""
from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import (
    SPEC_RULES,
    charters,
    dates,
    days,
    durations,
    holidays,
    hours,
    ids,
    per_unit_charters,
    percents,
    periods,
    schedules,
    signed_percents,
    times,
)

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schemas" / "charter.schema.json"
FAST = settings(max_examples=60, deadline=None)


@pytest.fixture(scope="module")
def schema() -> dict:
    if not SCHEMA_FILE.exists():
        pytest.skip(f"{SCHEMA_FILE.name} is not written yet")
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema):
    jsonschema = pytest.importorskip("jsonschema")
    return jsonschema.Draft202012Validator(schema)


def _errors(validator, instance) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(instance)]


def _def(validator, name: str):
    """A validator for one `$defs` entry of the charter schema (references still resolve)."""
    root = validator.schema
    return validator.evolve(schema={"$defs": root["$defs"], "$ref": f"#/$defs/{name}"})


# -- whole documents ----------------------------------------------------------------------

def _references(document: dict) -> list[str]:
    """Every dangling or duplicate reference, as R301/R302 would see it."""
    problems = []
    features = [f["id"] for f in document["features"]]
    tiers = [t["id"] for t in document["tiers"]]
    priorities = document["priorities"]
    for name in ("features", "costs", "tiers", "clients"):
        listed = [item["id"] for item in document.get(name, [])]
        if len(listed) != len(set(listed)):
            problems.append(f"duplicate {name}")
    if len(priorities) != len(set(priorities)):
        problems.append("duplicate priorities")
    for tier in document["tiers"]:
        problems += [f"tier feature {f}" for f in tier["features"] if f not in features]
        for kind in ("response", "resolution"):
            keys = set(tier["objectives"].get(kind, {})) - {"clock", "attainment", "measured_by"}
            problems += [f"priority {k}" for k in keys if k not in priorities]
    for client in document["clients"]:
        if client["tier"] not in tiers:
            problems.append(f"client tier {client['tier']}")
        needed = client.get("needs", {}).get("features", [])
        problems += [f"needed feature {f}" for f in needed if f not in features]
    for cost in document["costs"]:
        if "feature" in cost and cost["feature"] not in features:
            problems.append(f"cost feature {cost['feature']}")
    for entry in document["metadata"].get("suppress", []):
        if entry["rule"] not in SPEC_RULES:
            problems.append(f"suppressed rule {entry['rule']}")
    return problems


@FAST
@given(document=charters())
def test_charters_are_schema_valid_and_resolvable(validator, document):
    assert _errors(validator, document) == []
    assert _references(document) == []
    if document["business"]["stance"] == "cap":
        assert set(document["business"]["cap"]) in ({"units"}, {"cost"})
    for tier in document["tiers"]:  # V503 would flag anything else
        for kind in ("response", "resolution"):
            if tier["objectives"].get(kind, {}).get("clock") == "calendar":
                assert tier["hours"] == "24x7"


@settings(max_examples=40, deadline=None)
@given(document=per_unit_charters())
def test_per_unit_charters_are_valid_and_keep_their_promises(validator, document):
    assert _errors(validator, document) == []
    assert _references(document) == []
    assert document["business"]["charging"] == "per-unit"
    assert document["costs"] and document["costs"][0]["amount"] >= 1000
    for tier in document["tiers"]:
        assert "fixed" not in tier["price"]
        assert tier["price"]["per_unit"] >= 1
    for client in document["clients"]:
        assert client["volume"]["units"] >= 1


@settings(max_examples=30, deadline=None)
@given(document=per_unit_charters())
def test_per_unit_recovery_of_year_one_is_units_times_price_over_costs(document):
    """A property the strategy exists for: with no fixed fees, year-1 recovery is
    sum(units x per_unit) / sum(costs) of the rounded units and prices, whatever the
    growth and indexation."""
    model = pytest.importorskip("charterc.model.charter")
    derive = pytest.importorskip("charterc.model.projection")
    facts = derive.derive(model.build_model(document))
    # spec section 4, Rounding: whole units and prices at cents, half-even
    cents, whole = Decimal("0.01"), Decimal(1)
    price = {t["id"]: Decimal(str(t["price"]["per_unit"])).quantize(cents, ROUND_HALF_EVEN)
             for t in document["tiers"]}
    charges = sum(Decimal(str(c["volume"]["units"])).quantize(whole, ROUND_HALF_EVEN)
                  * price[c["tier"]] for c in document["clients"])
    costs = sum(Decimal(str(c["amount"])) for c in document["costs"])
    assert facts.recovery[0] == pytest.approx(charges * 100 / costs, rel=Decimal("1e-20"))


@settings(max_examples=30, deadline=None)
@given(document=charters())
def test_charters_pass_the_schema_and_reference_stages_of_charterc(document):
    """The same promise, kept through charterc's own S201 and R301/R302 stages."""
    schema = pytest.importorskip("charterc.validate.schema")
    references = pytest.importorskip("charterc.validate.references")
    if not SCHEMA_FILE.exists():
        pytest.skip(f"{SCHEMA_FILE.name} is not written yet")
    from charterc.diagnostics import SourceMap

    sources = SourceMap("<generated>")
    assert [d.message for d in schema.validate(document, sources)] == []
    assert [d.message for d in references.resolve(document, sources)] == []


# -- building blocks ----------------------------------------------------------------------

@FAST
@given(value=percents(90, 100, 3))
def test_percents_are_strings_inside_their_bounds(validator, value):
    assert re.fullmatch(r"\d+(\.\d+)?%", value)
    assert Decimal("90") <= Decimal(value[:-1]) <= Decimal("100")
    assert _errors(_def(validator, "percent-100"), value) == []


@FAST
@given(value=signed_percents())
def test_signed_percents_validate(validator, value):
    assert _errors(_def(validator, "signed-percent"), value) == []


@FAST
@given(value=durations(business=True))
def test_business_durations_have_no_weeks(validator, value):
    assert "w" not in value
    assert _errors(_def(validator, "business-duration"), value) == []


@FAST
@given(value=st.one_of(durations(), periods()))
def test_durations_and_periods_validate_and_parse(validator, value):
    from charterc.model.values import duration, period

    assert _errors(_def(validator, "period"), value) == []
    if not value.endswith(("mo", "y")):
        assert duration(value).calendar_minutes > 0
    assert period(value).approx_months > 0


@FAST
@given(value=st.tuples(ids(), dates(), times(), days()))
def test_scalars_validate(validator, value):
    identifier, day, time, day_spec = value
    assert _errors(_def(validator, "id"), identifier) == []
    assert _errors(_def(validator, "date"), day) == []
    assert _errors(_def(validator, "time"), time) == []
    assert _errors(_def(validator, "days"), day_spec) == []


@FAST
@given(value=st.tuples(schedules(), holidays(), hours()))
def test_schedules_holidays_and_hours_validate(validator, value):
    schedule, calendar, support_hours = value
    assert _errors(_def(validator, "schedule"), schedule) == []
    assert _errors(_def(validator, "holidays"), calendar) == []
    assert _errors(_def(validator, "hours"), support_hours) == []
    for entry in schedule:
        assert entry["from"] != entry["to"]
