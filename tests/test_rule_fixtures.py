"""One failing and one passing fixture per rule, driven by the files in tests/rules/.

`tests/rules/<ID>.fail[.<name>].charter.yaml` (or `.charter`) must report rule <ID>
exactly as its header says; `<ID>.pass[.<name>].charter.yaml` must not report
<ID> at all. Header lines (YAML or DSL comments):

    # today: 2026-06-01                      the date baseline rules compare with
    # expect: C401 error 14:12 "95%"         id, severity, line:column, text in the message
    # fix: 10:12 'Quote it: "1.10"' 10:12-10:16 '"1.10"'

Several `expect` lines may be given; each must match a distinct finding, and the
fixture must report no other finding of that rule. A `fix` line (at the end of the file,
so that it moves no position) names the finding at line:column, the title of its fix
and the fix's edits: a range start-end and the text written there (`\\n` a line
break), as `charterc check --format json` prints them. A fixture with `fix` lines must
list every fix of the rule's findings. An `expect` line may name another rule than the
file's (findings reported together, such as S201 beside R301): the fixture must then
report exactly the expected findings of that rule too.
"""
from __future__ import annotations

import re
import shlex
from datetime import date
from pathlib import Path

import pytest

from charterc.diagnostics.rules import RULES
from charterc.loaders import load_path
from charterc.pipeline import CheckOptions, check_loaded

HERE = Path(__file__).parent / "rules"
FIXTURES = sorted(p for p in HERE.glob("*") if p.name.endswith((".charter.yaml", ".charter")))
_NAME = re.compile(r"(?P<rule>[A-Z]\d{3})\.(?P<kind>fail|pass)")


def _header(path: Path):
    today, expects, fixes = date(2026, 6, 1), [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            continue
        body = line.lstrip("#").strip()
        if body.startswith("today:"):
            today = date.fromisoformat(body.split(":", 1)[1].strip())
        elif body.startswith("expect:"):
            parts = shlex.split(body.split(":", 1)[1])
            rule, severity, where = parts[:3]
            line_no, column = (int(x) for x in where.split(":"))
            expects.append((rule, severity, line_no, column, parts[3:]))
        elif body.startswith("fix:"):
            where, title, *edits = shlex.split(body.split(":", 1)[1])
            fixes.append((_position(where), {"title": title, "edits": [
                _edit(edits[n], edits[n + 1]) for n in range(0, len(edits), 2)]}))
    return today, expects, fixes


def _position(text: str) -> tuple[int, int]:
    line, column = text.split(":")
    return int(line), int(column)


def _edit(where: str, text: str) -> dict[str, object]:
    start, end = where.split("-")
    return dict(zip(("line", "column"), _position(start), strict=True)) | dict(
        zip(("end_line", "end_column"), _position(end), strict=True)) | {
        "text": text.replace("\\n", "\n")}


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_rule_fixture(path: Path):
    match = _NAME.match(path.name)
    assert match, f"fixture name must start with RULE.fail or RULE.pass: {path.name}"
    rule = match["rule"]
    today, expects, fixes = _header(path)
    loaded = load_path(path, display=path.name)
    diagnostics = check_loaded(loaded, CheckOptions(today=today)).diagnostics
    found = [d for d in diagnostics if d.rule == rule]
    if match["kind"] == "pass":
        assert not found, f"{path.name} should not report {rule}: {found}"
        return
    assert expects, f"{path.name} has no '# expect:' line"
    named = {rule} | {rule_id for rule_id, *_ in expects}
    found = [d for d in diagnostics if d.rule in named]
    remaining = list(found)
    for rule_id, severity, line_no, column, texts in expects:
        hit = next((d for d in remaining if d.rule == rule_id and d.severity.value == severity
                    and d.line == line_no
                    and d.column == column and all(t in d.message for t in texts)), None)
        assert hit is not None, (
            f"{path.name}: expected {rule_id} {severity} at {line_no}:{column} with {texts}; "
            f"found {[(d.rule, d.severity.value, d.line, d.column, d.message) for d in found]}")
        remaining.remove(hit)
    assert not remaining, f"{path.name}: unexpected extra {sorted(named)} findings: {remaining}"
    if fixes:
        _assert_fixes(path, rule, today, fixes)


def _assert_fixes(path: Path, rule: str, today: date, expected: list) -> None:
    """The fixes of `--format json` are the listed ones; each edit's `original` is the text
    its range holds in the fixture."""
    import json

    from click.testing import CliRunner

    from charterc.cli import main

    run = CliRunner().invoke(main, ["check", "--no-cache", "--today", today.isoformat(),
                                    "--format", "json", str(path)])
    assert run.exit_code in (0, 1), run.output
    found = [((d["line"], d["column"]), fix) for d in json.loads(run.stdout)
             if d["rule"] == rule for fix in d.get("fixes", ())]
    lines = path.read_text(encoding="utf-8").split("\n")
    for _, fix in found:
        for edit in fix["edits"]:
            assert edit["line"] == edit["end_line"]  # the fixes of today edit one line
            written = lines[edit["line"] - 1][edit["column"] - 1:edit["end_column"] - 1]
            assert edit.pop("original") == written, (path.name, edit)
    assert found == expected, f"{path.name}: fixes {found}"


def test_every_rule_has_fixtures():
    """Each registered rule id has a failing and a passing fixture (checked once all exist)."""
    have = {(m["rule"], m["kind"]) for p in FIXTURES if (m := _NAME.match(p.name))}
    missing = [f"{r}.{k}" for r in sorted(RULES) for k in ("fail", "pass")
               if (r, k) not in have and r not in _NOT_FIXTURE_RULES]
    assert not missing, f"rules without fixtures: {missing}"


# Rules whose failing input cannot be a charter file on its own; they are tested elsewhere:
# P104/P106 in test_loader_yaml.py (size, bytes), G706 in test_diff.py (two versions),
# U101-U106 and U108 in test_report_engine.py (rows of usage CSV files, with their line
# numbers), U107 in test_report_pauses.py (a report run without its status history), U109
# in test_report_itsm.py (rows of the ITSM's SLA records, tests/report/itsm/),
# I101-I109 in test_drift_fixtures.py (an ITSM's file beside the charter: tests/itsm/drift/).
_NOT_FIXTURE_RULES = {"P104", "P106", "G706", "X001",
                      "U101", "U102", "U103", "U104", "U105", "U106", "U107", "U108", "U109",
                      "I101", "I102", "I103", "I104", "I105", "I106", "I107", "I108", "I109"}


def test_the_checks_are_every_rule_with_a_check_in_catalogue_order():
    with_check = [r.id for r in RULES.values() if r.check is not None]
    assert [r.id for r in RULES.checks()] == with_check
    assert len(with_check) > 30


# The output stage's modules a check prints its findings with (the diagnostics' text format,
# and the routing of library warnings through the same escaping): nothing they import
# renders a document.
LIGHT_OUTPUT = {"charterc.render", "charterc.render.findings", "charterc.render.findings.text",
                "charterc.render.findings.libraries"}


def test_a_check_does_not_import_the_report_and_diff_rules():
    import subprocess
    import sys

    charter = Path(__file__).resolve().parent.parent / "charters" / "hr-legal.charter.yaml"
    program = ("import sys\n"
               "from charterc.cli import main\n"
               "try:\n"
               f"    main(['check', '--no-cache', '--today', '2026-11-27', {str(charter)!r}])\n"
               "except SystemExit as stop:\n"
               "    assert stop.code == 0, stop.code\n"
               "print(sorted(m for m in sys.modules if m.startswith(('charterc.report', "
               "'charterc.diff', 'charterc.render', 'jinja2', 'jsonschema', 'lark')) "
               f"and m not in {sorted(LIGHT_OUTPUT)!r}))\n")
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True)
    assert run.stdout.strip().splitlines()[-1] == "[]"
