"""Every rule's docstring examples run: each "Fails:" overlay reports the rule, each
"Passes:" one does not."""
from __future__ import annotations

from datetime import date

import pytest
from helpers import check_document

from charterc.checks.examples import EXAMPLE_TODAY, apply_overlay, base_document, examples_of
from charterc.diagnostics.rules import RULES

CHECKED = sorted(r.id for r in RULES.values() if r.check is not None)
TODAY = date.fromisoformat(EXAMPLE_TODAY)


def test_base_is_clean():
    found = [d for d in check_document(base_document(), TODAY) if d.severity.value != "info"]
    assert not found, found


@pytest.mark.parametrize("rule_id", CHECKED)
def test_rule_examples(rule_id):
    fails, passes = examples_of(RULES[rule_id].doc)
    assert fails and passes, f"{rule_id} docstring needs a Fails: and a Passes: example"
    base = base_document()
    for overlay in fails:
        found = {d.rule for d in check_document(apply_overlay(base, overlay), TODAY)}
        assert rule_id in found, f"{rule_id} Fails example did not fail: {overlay}"
    for overlay in passes:
        found = {d.rule for d in check_document(apply_overlay(base, overlay), TODAY)}
        assert rule_id not in found, f"{rule_id} Passes example failed: {overlay}"
