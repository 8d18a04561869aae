"""Fixes carried on findings: set by the rule, kept by the cache, shown by the command line,
offered by the language server as they are (never rebuilt from a hint's wording)."""
from __future__ import annotations

import json
import pickle
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from charterc.cli import main
from charterc.diagnostics import Diagnostic, Edit, Fix, Severity
from charterc.loaders import load_bytes
from charterc.pipeline import CheckOptions, check_loaded

ROOT = Path(__file__).resolve().parent.parent
IT = ROOT / "charters" / "it-service-desk.charter.yaml"
DSL = ROOT / "examples" / "dsl" / "it-service-desk.charter"
RULES = Path(__file__).parent / "rules"
OPTIONS = CheckOptions(today=date(2026, 12, 4))

YAML_TEXT = IT.read_text(encoding="utf-8")
DSL_TEXT = DSL.read_text(encoding="utf-8")
# one text per fixing rule, in both syntaxes where the rule offers a fix there
FIXABLE = {
    "S201": ("it.charter.yaml", YAML_TEXT.replace("  version: 2.4.0", "  version: 1.10", 1)),
    "R301": ("it.charter.yaml", YAML_TEXT.replace("tier: premium", "tier: premum", 1)),
    "T601": ("it.charter.yaml", YAML_TEXT.replace(", P4: 3d", "", 1)),
    "R301-dsl": ("it.charter", DSL_TEXT.replace("  tier premium\n", "  tier premum\n", 1)),
    "T601-dsl": ("it.charter", DSL_TEXT.replace(", P4 3d", "", 1)),
}


def _check(name: str, text: str) -> list[Diagnostic]:
    return check_loaded(load_bytes(text.encode("utf-8"), name), OPTIONS).diagnostics


def _applied(text: str, edit: Edit) -> str:
    lines = text.split("\n")
    line = lines[edit.line - 1]
    assert line[edit.column - 1:edit.end_column - 1] == edit.original
    lines[edit.line - 1] = line[:edit.column - 1] + edit.text + line[edit.end_column - 1:]
    return "\n".join(lines)


# -- the record ---------------------------------------------------------------------------

def test_a_diagnostic_has_no_fixes_unless_its_rule_sets_them() -> None:
    plain = Diagnostic("C401", Severity.ERROR, "shares", "a.charter.yaml", 1, 1)
    assert plain.fixes == ()
    assert "fixes" not in plain.to_dict()


def test_fixes_keep_a_diagnostic_picklable_hashable_and_comparable() -> None:
    fix = Fix('Quote it: "1.10"', (Edit(6, 12, 6, 16, '"1.10"', "1.10"),))
    finding = Diagnostic("S201", Severity.ERROR, "m", "a.charter.yaml", 6, 12, "/v", "h",
                         fixes=(fix,))
    again = pickle.loads(pickle.dumps(finding))
    assert again == finding and hash(again) == hash(finding)
    assert finding != replace(finding, fixes=())
    assert {finding, again} == {finding}
    assert finding.to_dict()["fixes"] == [{"title": 'Quote it: "1.10"', "edits": [
        {"line": 6, "column": 12, "end_line": 6, "end_column": 16, "text": '"1.10"',
         "original": "1.10"}]}]


# -- the rules set them -------------------------------------------------------------------

@pytest.mark.parametrize("case", sorted(FIXABLE))
def test_the_fix_resolves_the_finding(case: str) -> None:
    """Applying the rule's edit removes what was found: R301 and T601 go (T601's targets
    keep T603's order); S201's value is a text (that `1.10` is no version is the author's)."""
    name, text = FIXABLE[case]
    rule = case.split("-")[0]
    [finding] = [d for d in _check(name, text) if d.rule == rule]
    [fix] = finding.fixes
    [edit] = fix.edits
    after = _check(name, _applied(text, edit))
    if rule == "S201":
        assert [d.message for d in after if d.rule == "S201" and "is a number" in d.message] == []
    else:
        assert [d for d in after if d.rule in (rule, "T603")] == []


def test_the_dsl_gets_no_quote_fix() -> None:
    """In the DSL a quoted number may need more than the quotes: left to the author, as the
    editor always did."""
    text = DSL_TEXT.replace("version 2.4.0", "version 1.10", 1)
    [finding] = [d for d in _check("it.charter", text) if d.rule == "S201"]
    assert "quote it" in finding.hint and finding.fixes == ()


def test_no_fix_writes_an_id_next_to_itself() -> None:
    twice = YAML_TEXT.replace("    features: [incident, requests]\n",
                              "    features: [incident, incidnt]\n", 1)
    [finding] = [d for d in _check("it.charter.yaml", twice) if d.rule == "R301"]
    assert "incident" in finding.hint and finding.fixes == ()


def test_a_quoted_id_stays_quoted() -> None:
    text = YAML_TEXT.replace("tier: premium", "tier: 'premum'", 1)
    [finding] = [d for d in _check("it.charter.yaml", text) if d.rule == "R301"]
    [edit] = finding.fixes[0].edits
    assert (edit.original, edit.text) == ("'premum'", "'premium'")


# -- the command line ---------------------------------------------------------------------

def test_text_prints_the_fix_title_after_the_hint(tmp_path: Path) -> None:
    path = tmp_path / "it.charter.yaml"
    path.write_text(FIXABLE["R301"][1], encoding="utf-8")
    run = CliRunner().invoke(main, ["check", "--no-cache", "--no-color", "--today",
                                    "2026-12-04", str(path)])
    assert run.exit_code == 1
    assert "   = hint: did you mean 'premium'?\n   = fix: Change to 'premium'\n" in run.output


def test_the_cache_keeps_the_fixes(tmp_path: Path) -> None:
    path = tmp_path / "it.charter.yaml"
    path.write_text(FIXABLE["T601"][1], encoding="utf-8")
    arguments = ["check", "--today", "2026-12-04", "--format", "json", "--cache-dir",
                 str(tmp_path / "cache"), str(path)]
    cold = CliRunner().invoke(main, arguments).stdout
    warm = CliRunner().invoke(main, arguments).stdout
    assert warm == cold
    [t601] = [d for d in json.loads(warm) if d["rule"] == "T601"]
    assert t601["fixes"][0]["title"] == "Add P4: 1d to the response objective"


# -- the language server ------------------------------------------------------------------

def _actions(name: str, text: str, diagnostics: list[Diagnostic] | None = None):
    from charterc.lsp.actions import fixes
    from charterc.lsp.analysis import analyse

    analysis = analyse("u", str(ROOT / name), text, OPTIONS)
    if diagnostics is not None:
        analysis.result.diagnostics = diagnostics
    return analysis, list(fixes(analysis, 0, len(analysis.text_lines)))


@pytest.mark.parametrize("case", sorted(FIXABLE))
def test_code_actions_are_the_diagnostics_fixes(case: str) -> None:
    name, text = FIXABLE[case]
    analysis, actions = _actions(name, text)
    expected = [(d, f) for d in analysis.diagnostics for f in d.fixes]
    assert len(expected) == 1
    assert [(a.finding, a.title) for a in actions] == [(d, f.title) for d, f in expected]
    for action, (_, fix) in zip(actions, expected, strict=True):
        assert [(e.line + 1, e.start + 1, e.end_line + 1, e.end + 1, e.text)
                for e in action.edits] == \
            [(e.line, e.column, e.end_line, e.end_column, e.text) for e in fix.edits]


@pytest.mark.parametrize("case", sorted(FIXABLE))
def test_rewording_a_hint_keeps_the_fix(case: str) -> None:
    """The editor offers what the finding carries: another hint and message (a rewording,
    a translation) change nothing."""
    name, text = FIXABLE[case]
    analysis, actions = _actions(name, text)
    reworded = [replace(d, hint="something else entirely", message="reworded")
                for d in analysis.diagnostics]
    _, again = _actions(name, text, reworded)
    assert [(a.title, a.edits) for a in again] == [(a.title, a.edits) for a in actions]
    assert actions


def test_no_action_where_the_text_changed_since_the_finding() -> None:
    """A fix whose range no longer holds what the finding saw is not offered."""
    name, text = FIXABLE["R301"]
    analysis, _ = _actions(name, text)
    [finding] = [d for d in analysis.diagnostics if d.fixes]
    [edit] = finding.fixes[0].edits
    moved = replace(finding, fixes=(Fix("Change to 'premium'",
                                        (replace(edit, original="standard"),)),))
    _, actions = _actions(name, text, [moved])
    assert actions == []
