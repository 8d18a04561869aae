"""S201: the charter JSON Schema, its two validators, and errors placed where the user
wrote them."""
from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charterc.loaders import load_bytes
from charterc.validate import schema as charter_schema
from charterc.validate.schema import is_valid, load_schema, schema_path, validate

ROOT = Path(__file__).resolve().parent.parent

# Line numbers matter: tests below point at them.
VALID = """\
apiVersion: charterc/v1
kind: Charter
metadata:
  id: it-service-desk
  title: IT Service Desk
  version: 2.3.0
  status: active
  owner: it-shared-services@example.com
  suppress: [{rule: V501, reason: "accepted for the pilot"}]
provider: {name: Group IT, timezone: Europe/Paris, holidays: FR}
period: {start: 2026-01-01, years: 3}
baseline: {reviewed: 2026-01-15, every: 12mo}
business:
  stance: grow
  charging: per-unit
  unit: ticket
  currency: EUR
  recovery: {target: 100%, tolerance: 5%}
costs:
  - {id: staff, amount: 1200000, growth: -2%}
features:
  - {id: incident, name: Incident management}
priorities: [P1, P2]
tiers:
  - id: standard
    name: Standard
    features: [incident]
    hours:
      schedule: [{days: mon-fri, from: "08:00", to: "18:00"}]
      timezone: Europe/Paris
      holidays: {country: FR, extra: [2026-12-24], remove: []}
    objectives:
      availability: {target: 99.5%, window: monthly, measured_by: status-page}
      response: {clock: business, P1: 1h, P2: 1h30m, measured_by: itsm}
      resolution: {clock: calendar, P1: 1w, P2: 2w, attainment: 95%}
    price: {per_unit: 35, indexation: 2%}
    credits: {bands: [{below: 99.5%, credit: 10%}], cap: 50%}
clients:
  - id: finance
    name: Group Finance
    tier: standard
    data: {classification: confidential, personal: true, regimes: [GDPR]}
security:
  classification: confidential
  isolation: logical
  residency: [EU]
  controls: [GDPR]
  transfers: none
  exit: {return: 30d, delete: 1y}
"""


def load(text: str):
    loaded = load_bytes(text.encode("utf-8"), "x.charter.yaml")
    assert loaded.diagnostics == [], loaded.diagnostics
    return loaded


def check(text: str):
    loaded = load(text)
    return validate(loaded.document, loaded.sources)


def edit(old: str, new: str, text: str = VALID) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def where(diagnostics):
    return [(d.rule, d.line, d.column, d.pointer) for d in diagnostics]


def jsonschema_errors(document) -> list:
    return list(charter_schema._full_validator().iter_errors(document))


# -- valid documents ---------------------------------------------------------------------

def test_a_valid_charter_has_no_finding():
    assert check(VALID) == []


def test_the_readme_example_is_valid():
    # The charter users copy first. The design spec's annotated example lives on, completed,
    # as charters/it-service-desk.charter.yaml (validated below with the other bundled ones).
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", readme, re.S).group(1)
    assert "kind: Charter" in example
    assert check(example) == []


def test_bundled_charters_validate():
    files = sorted((ROOT / "charters").glob("**/*.charter.y*ml"))
    if not files:
        pytest.skip("no bundled charters yet")
    for path in files:
        loaded = load_bytes(path.read_bytes(), str(path))
        assert validate(loaded.document, loaded.sources) == [], path.name


def test_everything_optional_may_be_left_out():
    minimal = """\
apiVersion: charterc/v1
kind: Charter
metadata: {id: a, title: A, version: 0.1.0, status: draft, owner: me}
provider: {name: P, timezone: UTC}
period: {start: 2026-01-01}
business: {stance: grow, charging: fixed, unit: user, currency: EUR}
features: [{id: f}]
priorities: [P1]
tiers: [{id: t, name: T, features: [], hours: 24x7, objectives: {}}]
clients: [{id: c, name: C, tier: t}]
security: {classification: internal, isolation: none, residency: [FR], controls: [],
           transfers: none}
"""
    assert check(minimal) == []


# -- positions and messages --------------------------------------------------------------

def test_three_errors_each_at_its_own_line_and_column():
    text = edit("  status: active\n", "  status: actve\n")
    text = edit("  currency: EUR\n", "  currency: euro\n", text)
    text = edit("P2: 1h30m", "P2: 90 min", text)
    found = check(text)
    assert where(found) == [
        ("S201", 7, 11, "/metadata/status"),
        ("S201", 17, 13, "/business/currency"),
        ("S201", 34, 47, "/tiers/0/objectives/response/P2"),
    ]
    status, currency, p2 = found
    assert status.message.startswith("metadata.status: `actve` is not one of "
                                     "draft, active, retired")
    assert status.hint == "did you mean 'active'?"
    assert "ISO 4217 currency code" in currency.message
    assert p2.message.startswith("tiers[0].objectives.response.P2: `90 min` is not a "
                                 "business-clock duration")
    assert all(d.severity.value == "error" and d.file == "x.charter.yaml" for d in found)


def test_unexpected_key_points_at_the_key_with_did_you_mean():
    (d,) = check(edit("  owner: it-shared", "  owner: x\n  ownr: it-shared"))
    assert where([d]) == [("S201", 9, 3, "/metadata/ownr")]
    assert d.message == "metadata has an unexpected field 'ownr' (schema: additionalProperties)"
    assert d.hint == "did you mean 'owner'?"


def test_one_diagnostic_per_unexpected_key():
    found = check(edit("provider: {name: Group IT,",
                       "provider: {nme: x, colour: y, name: Group IT,"))
    assert [(d.column, d.pointer, d.hint) for d in found] == [
        (12, "/provider/nme", "did you mean 'name'?"),
        (20, "/provider/colour", "allowed fields: name, timezone, holidays"),
    ]


def test_a_lower_case_priority_key_suggests_the_upper_case_one():
    (d,) = check(edit("P1: 1h,", "p1: 1h,"))
    assert d.pointer == "/tiers/0/objectives/response/p1" and d.hint == "did you mean 'P1'?"


def test_missing_field_points_at_the_mapping_that_lacks_it():
    (d,) = check(edit("  owner: it-shared-services@example.com\n", ""))
    assert where([d]) == [("S201", 3, 1, "/metadata")]
    assert d.message == "metadata lacks required field 'owner' (schema: required)"
    assert d.hint.startswith("add `owner`")


def test_missing_field_in_a_list_item_names_the_item():
    (d,) = check(edit("    tier: standard\n", ""))
    assert where([d]) == [("S201", 39, 5, "/clients/0")]
    assert d.message.startswith("clients[0] lacks required field 'tier'")


def test_version_read_as_a_number_asks_for_quotes():
    (d,) = check(edit("version: 2.3.0", "version: 1.10"))
    assert where([d]) == [("S201", 6, 12, "/metadata/version")]
    assert d.message.startswith("metadata.version: `1.10` is a number; "
                                "expected a semantic version such as 2.3.0")
    assert d.hint.startswith('quote it: "1.10"')


def test_number_where_a_duration_is_expected():
    (d,) = check(edit("P1: 1h,", "P1: 4,"))
    assert "`4` is a number; expected a business-clock duration" in d.message


def test_stance_cap_requires_a_cap():
    (d,) = check(edit("stance: grow", "stance: cap"))
    assert where([d]) == [("S201", 13, 1, "/business")]
    assert d.message.startswith("business lacks required field 'cap'")
    assert "cap: {units: N}" in d.hint
    assert check(edit("stance: grow", "stance: cap\n  cap: {units: 20000}")) == []
    (both,) = check(edit("stance: grow", "stance: cap\n  cap: {units: 1, cost: 2}"))
    assert both.pointer == "/business/cap" and "give only one of 'units' or 'cost'" in both.message


def test_weeks_are_refused_on_a_business_clock_only():
    (d,) = check(edit("P1: 1h,", "P1: 1w,"))
    assert d.pointer == "/tiers/0/objectives/response/P1"
    assert "5d instead of 1w" in d.hint
    # business is the default clock: without `clock: calendar` the resolution's 1w is refused
    found = check(edit("clock: calendar, ", ""))
    assert [d.pointer for d in found] == ["/tiers/0/objectives/resolution/P1",
                                          "/tiers/0/objectives/resolution/P2"]


@pytest.mark.parametrize("old, new, pointer, words", [
    ("hours:\n      schedule", "hours: 24x5\n      old_schedule", "/tiers/0/hours",
     "`24x5` is not 24x7 or a mapping {schedule, timezone, holidays}"),
    ("holidays: FR}", "holidays: Fr}", "/provider/holidays",
     "`Fr` is not a holiday calendar: a code such as FR or US-CA, none, or a mapping"),
    ("holidays: FR}", "holidays: [FR]}", "/provider/holidays",
     "is a list; expected a holiday calendar"),
])
def test_anyof_errors_are_short_and_specific(old, new, pointer, words):
    text = edit(old, new)
    if "old_schedule" in text:  # drop the rest of the schedule mapping
        text = re.sub(r"      old_schedule.*\n(      .*\n)*?(?=    objectives)", "", text)
    (d,) = check(text)
    assert d.pointer == pointer
    assert words in d.message
    assert len(d.message) < 160 and "{'" not in d.message


def test_anyof_inside_a_schedule_reports_the_deep_error():
    (d,) = check(edit('from: "08:00"', 'from: "8:00"'))
    assert d.pointer == "/tiers/0/hours/schedule/0/from"
    assert d.message.startswith("tiers[0].hours.schedule[0].from: `8:00` is not a time HH:MM")


def test_upper_case_is_suggested_for_codes():
    (d,) = check(edit("residency: [EU]", "residency: [eu]"))
    assert d.pointer == "/security/residency/0" and d.hint == "write `EU`"


def test_booleans_are_true_or_false_only():
    (d,) = check(edit("personal: true", "personal: yes"))
    assert "`yes` is a text; expected true or false" in d.message


def test_percent_and_signed_percent():
    assert check(edit("growth: -2%", "growth: +1.5%")) == []
    (d,) = check(edit("target: 100%", "target: -100%"))
    assert d.pointer == "/business/recovery/target"
    (d,) = check(edit("target: 99.5%", "target: 100.5%"))
    assert "from 0% to 100%" in d.message


@pytest.mark.parametrize("text, ok", [("2028-02-29", True), ("2026-02-29", False),
                                      ("2000-02-29", True), ("2100-02-29", False),
                                      ("2026-04-31", False), ("2026-1-5", False)])
def test_dates_must_exist(text, ok):
    assert (check(edit("start: 2026-01-01", f"start: {text}")) == []) is ok


@pytest.mark.parametrize("text, ok", [("12mo", True), ("1y", True), ("90d", True), ("48h", True),
                                      ("1y6mo", False), ("12 mo", False), ("mo", False)])
def test_calendar_periods(text, ok):
    assert (check(edit("every: 12mo", f"every: {text}")) == []) is ok


def test_whole_number_years_and_empty_values():
    assert check(edit("years: 3", "years: 3.0")) == []  # JSON Schema: 3.0 is an integer
    (d,) = check(edit("years: 3", "years: 2.5"))
    assert d.message.startswith("period.years: `2.5` is a number; expected a whole number")
    (d,) = check(edit("    name: Group Finance\n", "    name:\n"))
    assert d.message.startswith("clients[0].name is empty")


def test_errors_are_deduplicated_and_sorted():
    text = edit("id: standard", "id: Standard")
    text = edit("  id: it-service-desk", "  id: IT", text)
    found = check(text)
    assert [(d.line, d.pointer) for d in found] == [(4, "/metadata/id"), (25, "/tiers/0/id")]
    assert found[1].hint == "for example `standard`"


@pytest.mark.parametrize("text, holds", [("- a\n- b\n", "a list"), ("just text\n", "a text"),
                                         ("~\n", "nothing")])
def test_a_document_that_is_not_a_mapping(text, holds):
    loaded = load_bytes(text.encode("utf-8"), "x.charter.yaml")
    # the loader itself reports a null document; the schema reports other non-mappings
    (d,) = loaded.diagnostics or validate(loaded.document, loaded.sources)
    assert (d.rule, d.line, d.column) == ("S201", 1, 1)
    assert f"this file holds {holds}" in d.message


# -- the two validators agree ------------------------------------------------------------

MUTATIONS = [
    ("/metadata/version", "1.2"), ("/metadata/version", "1.2.3-rc.1"), ("/metadata/version", 1.1),
    ("/metadata/id", "a" * 63), ("/metadata/id", "a" * 64), ("/metadata/id", "x\n"),
    ("/period/years", 3.0), ("/period/years", True), ("/period/years", 0), ("/period/years", 20),
    ("/costs/0/amount", -1), ("/costs/0/amount", True), ("/costs/0/amount", 1e16),
    ("/costs/0/amount", 0.5), ("/period/start", "2026-02-30"), ("/period/start", "2028-02-29"),
    ("/period/start", "2026-02-29"), ("/period/start", "2100-02-29"),
    ("/period/start", "0999-12-31"),
    ("/baseline/every", "1y6mo"), ("/tiers/0/hours/holidays", {"country": "US-CA", "extra": []}),
    ("/tiers/0/hours", "24x7"), ("/tiers/0/hours", {}), ("/tiers/0/hours", None),
    ("/tiers/0/hours/holidays", "none"), ("/tiers/0/hours/holidays", "US-CA"),
    ("/tiers/0/hours/holidays", {"country": "US", "subdivision": "CA"}),
    ("/tiers/0/hours/schedule/0/to", "24:00"), ("/tiers/0/hours/schedule/0/to", "24:01"),
    ("/tiers/0/hours/schedule/0/days", "mon,wed,fri"), ("/tiers/0/hours/schedule/0/days", "daily"),
    ("/tiers/0/hours/schedule/0/days", "fri-mon, sat"), ("/tiers/0/hours/schedule/0/days", "Mon"),
    ("/tiers/0/objectives/response/P3", "2d4h"), ("/tiers/0/objectives/response/P3", "4h2d"),
    ("/tiers/0/objectives/response/clock", "calendar"), ("/tiers/0/objectives/response/x", 1),
    ("/baseline/every", "1y6mo"), ("/baseline/every", "12 mo"), ("/security/retention", "1mo"),
    ("/security/breach_notification", "1mo"), ("/security/residency", []),
    ("/security/residency/0", "ADEQUATE"), ("/security/subprocessors", [{"name": "A"}]),
    ("/business/cap", {"units": 1}), ("/business/cap", {}), ("/metadata/suppress/0/reason", " "),
    ("/clients/0/share", "62%"), ("/clients/0/share", "0.62"),
    ("/clients/0/volume", {"growth": "1%"}),
    ("/apiVersion", "charterc/v2"), ("/kind", "charter"), ("/features", []),
]


def mutate(document, pointer: str, value):
    out = copy.deepcopy(document)
    *parents, last = [int(p) if p.isdigit() else p for p in pointer[1:].split("/")]
    node = out
    for part in parents:
        node = node[part]
    node[last] = value
    return out


@pytest.mark.parametrize("pointer, value", MUTATIONS)
def test_fast_and_full_validators_agree(pointer, value):
    document = mutate(load(VALID).document, pointer, value)
    assert is_valid(document) == (jsonschema_errors(document) == [])


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6), st.floats(allow_nan=False),
                    st.text("0123456789dhmwyo%:.-, PEUafrimonsat24x7", max_size=8))


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_validators_agree_on_random_edits(data):
    loaded = load(VALID)
    pointers = sorted(p for p in loaded.sources.values if p)
    pointer = data.draw(st.sampled_from(pointers))
    document = mutate(loaded.document, pointer, data.draw(SCALARS))
    errors = jsonschema_errors(document)
    assert is_valid(document) == (errors == [])
    found = validate(document, loaded.sources)
    assert bool(found) == bool(errors)
    assert all(d.rule == "S201" and d.line >= 1 and d.column >= 1 for d in found)


# -- the schema file itself --------------------------------------------------------------

def walk(node, path=""):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, f"{path}/{i}")


def test_schema_is_2020_12_and_well_formed():
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"]
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema_path().is_file()
    assert json.loads(schema_path().read_text()) == schema


def test_every_property_has_a_description():
    for path, node in walk(load_schema()):
        for key in ("properties", "patternProperties"):
            for name, sub in node.get(key, {}).items() if isinstance(node.get(key), dict) else ():
                assert sub.get("description"), f"{path}/{key}/{name}"


def test_every_shape_with_a_pattern_is_worded():
    for name, shape in load_schema()["$defs"].items():
        if "pattern" in shape or "anyOf" in shape:
            assert name in charter_schema.EXPECTED, name


def test_schema_keeps_to_keywords_both_validators_share():
    banned = {"prefixItems", "unevaluatedProperties", "unevaluatedItems", "dependentRequired",
              "dependentSchemas", "$dynamicRef", "$dynamicAnchor", "format", "default"}
    for path, node in walk(load_schema()):
        if path.split("/")[-1] in ("properties", "patternProperties", "$defs"):
            continue
        assert not banned & set(node), path
        if "$ref" in node:
            assert node["$ref"].startswith("#/$defs/")
            assert set(node) <= {"$ref", "description"}, path  # siblings are draft-07-safe


def test_the_valid_path_does_not_import_jsonschema():
    code = ("import sys; from charterc.loaders import load_bytes; "
            "from charterc.validate.schema import validate; "
            f"l = load_bytes({VALID.encode()!r}, 'x.charter.yaml'); "
            "assert validate(l.document, l.sources) == []; "
            "print('jsonschema' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- ranges with well-formed times that no calendar can read ---------------------------

def test_an_empty_range_is_s201_at_its_closing_time():
    (d,) = check(edit('to: "18:00"}]', 'to: "08:00"}]'))
    assert where([d]) == [("S201", 29, 53, "/tiers/0/hours/schedule/0/to")]
    assert d.message == ("tiers[0].hours.schedule[0].to: `08:00` is also its `from`: "
                         "the range is empty")
    assert d.hint == 'write from "00:00" to "24:00" for a whole day, or another closing time'


def test_a_range_starting_at_24_00_is_s201_at_its_opening_time():
    (d,) = check(edit('from: "08:00", to: "18:00"', 'from: "24:00", to: "24:00"'))
    assert where([d]) == [("S201", 29, 40, "/tiers/0/hours/schedule/0/from")]
    assert d.message.startswith("tiers[0].hours.schedule[0].from: `24:00` is the end of a day")


def test_refused_ranges_in_a_dsl_charter_point_at_the_dsl_times():
    text = (ROOT / "examples/dsl/finance-accounting.charter").read_text(encoding="utf-8")
    text = text.replace("maintenance sat 06:00-10:00", "maintenance sat 24:00-10:00", 1)
    text = text.replace("needs hours mon-fri 09:00-17:00", "needs hours mon-fri 09:00-09:00", 1)
    loaded = load_bytes(text.encode(), "f.charter")
    found = validate(loaded.document, loaded.sources)
    assert where(found) == [
        ("S201", 36, 19, "/tiers/0/maintenance/schedule/0/from"),
        ("S201", 68, 29, "/clients/1/needs/hours/schedule/0/to"),
    ]


# -- the validator generated ahead of time ---------------------------------------------------

def test_the_shipped_validator_is_generated_from_the_schema_as_it_is():
    from charterc.validate import generate

    shipped = generate.MODULE.read_text(encoding="utf-8")
    assert generate.generate(schema_path()) == shipped, \
        "run python -m charterc.validate.generate"
    digest = generate.schema_sha256(schema_path().read_bytes())
    assert f'SCHEMA_SHA256 = "{digest}"' in shipped


def test_the_generator_check_mode_says_when_the_module_is_stale(tmp_path, monkeypatch):
    from charterc.validate import generate

    assert generate.main(["--check"]) == 0
    stale = tmp_path / "_compiled_charter_schema.py"
    stale.write_text(generate.MODULE.read_text(encoding="utf-8").replace(
        "SCHEMA_SHA256 = \"", "SCHEMA_SHA256 = \"0"), encoding="utf-8")
    monkeypatch.setattr(generate, "MODULE", stale)
    assert generate.main(["--check"]) == 1


def test_the_fast_validator_is_the_shipped_one_only_for_the_schema_it_was_made_from(monkeypatch):
    from charterc.validate import _compiled_charter_schema as compiled

    charter_schema._fast_validator.cache_clear()
    try:
        assert charter_schema._fast_validator() is compiled.validate_charter
        charter_schema._fast_validator.cache_clear()
        monkeypatch.setattr(charter_schema, "_schema_bytes", lambda: b'{"edited": true}')
        fallback = charter_schema._fast_validator()
        assert fallback is not compiled.validate_charter
        document = load_bytes(VALID.encode(), "x.charter.yaml").document
        assert charter_schema.is_valid(document)
        fallback(document)  # generated in memory from the schema file: same verdicts
        with pytest.raises(Exception):  # noqa: B017 - fastjsonschema's exception
            fallback({**document, "kind": "Other"})
    finally:
        charter_schema._fast_validator.cache_clear()


def test_an_empty_escalation_is_none_as_the_default():
    # terms.escalation defaults to none (spec section 8): written as [] it means the same
    text = (ROOT / "charters" / "it-service-desk.charter.yaml").read_text(encoding="utf-8")
    start = text.index("  escalation:\n")
    end = text.index("  disputes:", start)
    empty = text[:start] + "  escalation: []\n" + text[end:]
    assert [d.rule for d in check(empty) if d.rule.startswith(("S", "P"))] == []
