"""`render.data.indented` writes the bytes `json.dumps(indent=2, ensure_ascii=False)` writes,
for every JSON-shaped value and for the values json writes its own way."""
from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charterc.render.data import dumps, indented

_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(), st.sampled_from(["é", "\u2028", "\x00", '"', "\\", "😀", "\ud800"]))
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=5),
                            st.lists(inner, max_size=3).map(tuple),
                            st.dictionaries(st.text(max_size=6), inner, max_size=5)),
    max_leaves=60)


@settings(max_examples=500, deadline=None)
@given(_VALUES)
def test_the_text_is_jsons(value):
    assert indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("value", [
    {1: "a", None: "b", False: "c", 2.5: "d"},         # keys json makes texts its own way
    {"a": [1, {"b": (2, 3)}], "c": {}, "d": []},
    [float("nan"), math.inf, -math.inf, -0.0, 1e300, True, False, 10**30],
])
def test_values_json_writes_its_own_way(value):
    assert indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_what_json_refuses_is_refused_the_same_way():
    with pytest.raises(TypeError, match="not JSON serializable"):
        indented({"a": {1, 2}})
    looped: list[object] = []
    looped.append(looped)
    with pytest.raises(ValueError, match="Circular reference"):
        indented({"a": looped})


def test_a_document_ends_with_a_newline():
    assert dumps({"a": 1}) == '{\n  "a": 1\n}\n'


def test_a_value_nested_deeper_than_any_document_is_written_by_json():
    value: object = "leaf"
    for depth in range(150):
        value = [value] if depth % 2 else {"k": value}
    assert indented(value) == json.dumps(value, indent=2, ensure_ascii=False)
