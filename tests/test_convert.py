"""YAML <-> DSL conversion: equal documents both ways, stable layouts, `fmt` keeps comments."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import charters

from charterc.authoring import Unrepresentable
from charterc.authoring import dsl as dsl_writer
from charterc.authoring import yaml as yaml_writer
from charterc.authoring.fmt import format_text
from charterc.loaders import dsl as dsl_loader
from charterc.loaders import load_path
from charterc.loaders import yaml as yaml_loader

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "charters").glob("*.charter.yaml"))
TWINS = ROOT / "examples" / "dsl"  # the DSL twins, `<stem>.charter`, when present
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def from_dsl(text: str) -> dict:
    loaded = dsl_loader.load_text(text, "x.charter")
    assert loaded.diagnostics == [], loaded.diagnostics
    return loaded.document


def from_yaml(text: str) -> dict:
    loaded = yaml_loader.load_text(text, "x.charter.yaml")
    assert loaded.diagnostics == [], loaded.diagnostics
    return loaded.document


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_bundled_examples_convert_both_ways_to_equal_documents(path):
    document = load_path(path).document
    text = dsl_writer.dump(document)
    assert from_dsl(text) == document
    assert from_yaml(yaml_writer.dump(from_dsl(text))) == document
    assert dsl_writer.dump(from_yaml(yaml_writer.dump(document))) == text
    assert format_text(text, "x.charter") == (text, [])
    twin = TWINS / path.name.replace(".charter.yaml", ".charter")
    if twin.exists():
        assert load_path(twin).document == document
        assert twin.read_text(encoding="utf-8") == text  # twins stay in the canonical layout


@SETTINGS
@given(charters())
def test_yaml_to_dsl_to_yaml_is_unchanged(document):
    yaml_text = yaml_writer.dump(document)
    assert from_yaml(yaml_text) == document
    assert yaml_writer.dump(from_dsl(dsl_writer.dump(from_yaml(yaml_text)))) == yaml_text


@SETTINGS
@given(charters())
def test_dsl_to_yaml_to_dsl_is_unchanged_and_formatted(document):
    dsl_text = dsl_writer.dump(document)
    assert from_dsl(dsl_text) == document
    assert dsl_writer.dump(from_yaml(yaml_writer.dump(from_dsl(dsl_text)))) == dsl_text
    assert format_text(dsl_text, "x.charter")[0] == dsl_text


# Values that trip naive writers: keywords, YAML 1.1 look-alikes, punctuation, escapes.
AWKWARD = [
    *sorted(dsl_loader.keywords()),
    "true", "True", "null", "~", "1.10", "NO", "on", "yes", "18:00", "[]", "#x", "", " ",
    "a b", '"q"', "\\", "\n", "24x7", "mon-fri", "08:00-18:00", "+-", "0x1F", "1e5", ".inf",
    "- a", "a: b", "@x", "%x", "'x", "é", "\u2028", "\x00", "\x85", "2026-01-01 10:00",
    "mon, wed", "12mo", "-2%"]


@st.composite
def awkward_charters(draw):
    """Schema-shaped documents whose strings and numbers are replaced at random."""
    document = draw(charters())
    words = st.sampled_from(AWKWARD) | st.text(st.characters(exclude_categories=("Cs",)),
                                               max_size=6)
    numbers = st.integers(-10**20, 10**20) | st.floats(allow_nan=False, allow_infinity=False)

    def walk(node):
        for key, value in list(node.items() if type(node) is dict else enumerate(node)):
            if type(value) in (dict, list):
                walk(value)
            elif type(value) is str and draw(st.integers(0, 2)) == 0:
                node[key] = draw(words)
            elif type(value) in (int, float) and draw(st.integers(0, 2)) == 0:
                node[key] = draw(numbers)
    walk(document)
    return document


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(awkward_charters())
def test_any_value_in_any_slot_survives_both_writers(document):
    assert from_yaml(yaml_writer.dump(document)) == document
    loaded = dsl_loader.load_text(dsl_writer.dump(document), "x.charter")
    # the DSL refuses a bare number where a percent belongs (P103); all else reads back
    assert all("is a percent" in d.message for d in loaded.diagnostics), loaded.diagnostics
    if not loaded.diagnostics:
        assert loaded.document == document


@pytest.mark.parametrize("value, text", [
    ("18:00", '"18:00"'), ("NO", '"NO"'), ("on", '"on"'), ("1.10", '"1.10"'),
    ("null", '"null"'), ("", '""'), ("a: b", '"a: b"'), ("#x", '"#x"'),
    ("2026-01-15", "2026-01-15"), ("2026-01-15 10:00", '"2026-01-15 10:00"'),
    ("Europe/Paris", "Europe/Paris"), ("99.5%", "99.5%"), ("Head of IT", "Head of IT"),
    ("line\nbreak", '"line\\nbreak"'), (1.1, "1.1"), (700000, "700000"), (True, "true"),
])
def test_yaml_strings_are_quoted_when_any_yaml_reader_could_misread_them(value, text):
    assert yaml_writer.scalar(value) == text


def test_yaml_output_names_its_schema_and_follows_section_three_order():
    document = load_path(EXAMPLES[0]).document
    text = yaml_writer.dump(document)
    assert text.startswith("# yaml-language-server: $schema=../schemas/charter.schema.json\n")
    keys = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    assert keys == [k for k in yaml_writer._ORDER[""] if k in document]


@pytest.mark.parametrize("value, text", [
    ("fixed", "fixed"), ("unit", '"unit"'), ("1.10", '"1.10"'), ("true", '"true"'),
    ("a b", '"a b"'), ("[]", '"[]"'), (1.1, "1.1"), (2.0, "2.0"), (1e16, "1e+16"),
])
def test_dsl_words_are_quoted_only_when_they_would_read_differently(value, text):
    reserved = dsl_loader.rule_keywords()["business"]
    assert dsl_writer.scalar(value, reserved) == text


def test_what_the_dsl_cannot_say_is_named():
    document = load_path(EXAMPLES[0]).document
    document["tiers"][0]["colour"] = "blue"
    with pytest.raises(Unrepresentable) as caught:
        dsl_writer.dump(document)
    assert caught.value.pointer == "/tiers/0/colour"


COMMENTED = '''\
# The desk charter.
charter desk "Desk"   version 1.0.0 active   # reviewed yearly
owner team@example.com
business grow per-unit ticket EUR

tier t "T" {
  # the only tier
  features f  # one feature
  hours 24x7
  # nothing after this
}
period from 2026-01-01
# trailing notes
'''


def test_fmt_rewrites_the_layout_and_keeps_comments_in_place():
    text, diagnostics = format_text(COMMENTED, "x.charter")
    assert diagnostics == []
    assert text == '''\
# The desk charter.
charter desk Desk version 1.0.0 active  # reviewed yearly
owner team@example.com

period from 2026-01-01
business grow per-unit ticket EUR

tier t T {
  # the only tier
  features f  # one feature
  hours 24x7
  # nothing after this
}

# trailing notes
'''
    assert format_text(text, "x.charter") == (text, [])


def test_fmt_leaves_a_text_with_errors_alone():
    text, diagnostics = format_text("charter desk {\n", "x.charter")
    assert text is None
    assert [d.rule for d in diagnostics] == ["P103"]
