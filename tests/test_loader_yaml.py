"""The YAML loader: 1.2 core-schema semantics, positions, and P101-P106 with exact locations."""
from __future__ import annotations

import resource
import time

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from charterc.loaders import Limits, load_bytes
from charterc.loaders import yaml as yaml_loader


def load(text: str | bytes, **limits):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return load_bytes(data, "t.charter.yaml", limits=Limits(**limits))


def only(result):
    assert len(result.diagnostics) == 1, result.diagnostics
    d = result.diagnostics[0]
    return d.rule, d.line, d.column


def test_yaml_11_traps_load_as_yaml_12():
    result = load('a: 18:00\nb: NO\nc: 2026-01-01\nd: on\ne: true\nf: ~\ng: 0o17\nh: 1e3\n')
    assert result.document == {"a": "18:00", "b": "NO", "c": "2026-01-01", "d": "on",
                               "e": True, "f": None, "g": 15, "h": 1000.0}
    assert not result.diagnostics


def test_every_value_and_key_has_a_position():
    result = load("metadata:\n  id: x\n  tags: [a, {b: c}]\n")
    s = result.sources
    assert s.values["/metadata/id"] == (2, 7)
    assert s.keys["/metadata/id"] == (2, 3)
    assert s.values["/metadata/tags/1/b"] == (3, 17)
    assert s.locate("/metadata/tags/1/b/missing") == (3, 17)


def test_p101_syntax_error_position():
    assert only(load("a: 1\nb: [1, 2\nc: 3\n")) == ("P101", 3, 2)


def test_p101_same_position_without_libyaml(monkeypatch):
    text = "a: 1\n  b: 2\n"
    with_c = only(load(text))
    monkeypatch.setattr(yaml_loader, "_Loader", yaml.SafeLoader)
    assert only(load(text)) == with_c == ("P101", 2, 4)


def test_p102_duplicate_key_reports_both_positions():
    result = load("metadata:\n  id: a\n  title: t\n  id: b\n")
    (d,) = result.diagnostics
    assert (d.rule, d.line, d.column) == ("P102", 4, 3)
    assert "line 2, column 3" in d.message
    assert d.related == (("t.charter.yaml", 2, 3),)


def test_p104_file_too_large():
    assert only(load("a: " + "x" * 200 + "\n", max_bytes=100))[0] == "P104"


def test_p104_nesting_too_deep():
    text = "a: " + "[" * 80 + "]" * 80 + "\n"
    rule, line, _ = only(load(text, max_depth=64))
    assert (rule, line) == ("P104", 1)


@pytest.mark.parametrize("text,column", [("a: !!str 1\n", 4), ("a: !custom x\n", 4),
                                         ("a: !!python/object:os.system x\n", 4),
                                         ("a: !!map {b: 1}\n", 4)])
def test_p105_every_explicit_tag(text, column):
    assert only(load(text)) == ("P105", 1, column)


def test_p105_billion_laughs_fails_fast_and_small():
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        refs = ",".join([f"*a{i-1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    text = "\n".join(lines) + "\n"
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = load(text)
    elapsed = time.perf_counter() - start
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert result.document is None
    assert result.diagnostics[0].rule == "P105"
    assert elapsed < 0.5
    assert grown_kib < 50 * 1024


def test_small_aliases_are_fine():
    result = load("x: &h {days: mon-fri}\ny: *h\n")
    assert result.document == {"x": {"days": "mon-fri"}, "y": {"days": "mon-fri"}}


def test_p106_invalid_utf8_position():
    assert only(load(b"a: 1\nb: caf\xe9\n")) == ("P106", 2, 7)


def test_bom_is_accepted():
    assert load(b"\xef\xbb\xbfa: 1\n").document == {"a": 1}


def test_empty_and_multi_document_files():
    assert only(load(""))[0] == "S201"
    assert only(load("a: 1\n---\nb: 2\n"))[:2] == ("P101", 2)


def test_raw_text_of_numbers_is_kept():
    result = load("version: 1.10\n")
    assert result.document == {"version": 1.1}
    assert result.sources.raw["/version"] == "1.10"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises_and_positions_are_inside(text):
    result = load(text)
    lines = text.encode("utf-8").decode("utf-8-sig").splitlines() or [""]
    for d in result.diagnostics:
        assert 1 <= d.line <= max(1, len(lines))
        assert 1 <= d.column <= len(lines[d.line - 1]) + 1


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_raise(data):
    result = load(data)
    assert result.document is not None or result.diagnostics
    for d in result.diagnostics:
        assert d.line >= 1 and d.column >= 1


# YAML allows printable characters only; JSON-style YAML is a subset of YAML 1.2.
_PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Co", "Cn"),
                           blacklist_characters="\ufeff\x85")


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(_PRINTABLE, max_size=20),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(_PRINTABLE, min_size=1, max_size=8), inner,
                                      max_size=4),
                    max_leaves=20))
def test_json_documents_round_trip_through_json_style_yaml(value):
    import json
    result = load(json.dumps({"v": value}, ensure_ascii=False))
    assert result.document == {"v": value}
