"""R301 unknown ids (with did-you-mean) and R302 duplicates, in a charter and across a portfolio."""
from __future__ import annotations

from pathlib import Path

from helpers import check_yaml

from charterc.pipeline import CheckOptions, check_paths

BASE = (Path(__file__).parent.parent / "charterc/checks/example_base.charter.yaml").read_text()


def _line_col(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(nth):
        start = text.index(needle, start + 1)
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


def test_r301_unknown_tier_with_did_you_mean():
    text = BASE.replace("    tier: premium\n", "    tier: premuim\n")
    found = [d for d in check_yaml(text) if d.rule == "R301"]
    assert len(found) == 1
    d = found[0]
    assert (d.line, d.column) == _line_col(text, "premuim")
    assert "unknown tier 'premuim'" in d.message
    assert d.hint == "did you mean 'premium'?"
    assert d.pointer == "/clients/1/tier"


def test_r301_unknown_feature_and_priority_key():
    text = BASE.replace("features: [incident, weekend]\n    hours: 24x7",
                        "features: [incident, wekend]\n    hours: 24x7")
    text = text.replace("response: {clock: business, P1: 1h, P2: 4h,",
                        "response: {clock: business, P1: 1h, P3: 4h,")
    found = {(d.message, d.line, d.column) for d in check_yaml(text) if d.rule == "R301"}
    assert ("unknown feature 'wekend'", *_line_col(text, "wekend")) in found
    assert ("unknown priority 'P3'", *_line_col(text, "P3: 4h")) in found


def test_r302_duplicate_id_in_a_list_points_at_the_second():
    text = BASE.replace("  - {id: weekend, name: Weekend support}",
                        "  - {id: incident, name: Weekend support}")
    found = [d for d in check_yaml(text) if d.rule == "R302"]
    assert [(d.line, d.column) for d in found] == [_line_col(text, "incident, name: Weekend")]
    assert "first defined at line" in found[0].message


def test_r302_duplicate_charter_id_across_the_portfolio(tmp_path):
    (tmp_path / "a.charter.yaml").write_text(BASE)
    (tmp_path / "b.charter.yaml").write_text(BASE)
    result = check_paths([tmp_path], CheckOptions(today=None))
    found = [d for d in result.diagnostics if d.rule == "R302"]
    assert len(found) == 1
    d = found[0]
    assert d.file.endswith("b.charter.yaml")
    line, column = _line_col(BASE, "id: example")
    assert (d.line, d.column) == (line, column + 4)
    assert "a.charter.yaml" in d.message and d.related[0][0].endswith("a.charter.yaml")
