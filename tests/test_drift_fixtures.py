"""One failing and one passing fixture per drift rule (I101-I109), from tests/itsm/drift/.

A drift finding needs two files, the charter and what the ITSM exported, so a fixture is
the edit an administrator makes in the tool, applied to what `charterc export` wrote:

    # what the fixture shows
    target: servicenow            # servicenow | jsm | zendesk
    charter: charters/it-service-desk.charter.yaml   # from the repository root (default)
    edits:                        # text replacements on the exported file, in order
      - {old: "<duration>1970-01-01 01:00:00</duration>", new: "...", count: 1}
    expect:                       # fail fixtures: each finding of the rule, exactly
      - {rule: I104, line: 57, column: 39, text: "field duration"}

`<ID>.fail[.<name>].yaml` must report exactly its `expect` findings of the rules it names
(and no other of the file's rule); `<ID>.pass[.<name>].yaml` must not report the rule.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from charterc.cli import main
from charterc.diagnostics.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent / "itsm" / "drift"
FIXTURES = sorted(HERE.glob("*.yaml"))
_NAME = re.compile(r"(?P<rule>I\d{3})\.(?P<kind>fail|pass)")
FILES = {"servicenow": "servicenow.xml", "jsm": "jsm.json", "zendesk": "zendesk.json"}


def _run(path: Path, tmp_path: Path) -> list[dict]:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    charter = ROOT / spec.get("charter", "charters/it-service-desk.charter.yaml")
    target = spec["target"]
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["export", str(charter), "--target", target, "-o", str(out),
                                    "--today", "2026-11-27"])
    assert run.exit_code == 0, run.output
    (exported,) = (out / charter.name.split(".")[0] / target).glob(FILES[target])
    text = exported.read_text(encoding="utf-8")
    for edit in spec.get("edits") or ():
        assert edit["old"] in text, f"{path.name}: {edit['old']!r} is not in the export"
        text = text.replace(edit["old"], edit["new"], edit.get("count", -1))
    exported.write_text(text, encoding="utf-8")
    run = CliRunner().invoke(main, ["drift", str(charter), f"--{target}", str(exported),
                                    "--format", "json", "--today", "2026-11-27"])
    assert run.exit_code in (0, 1), run.output
    found: list[dict] = json.loads(run.stdout)
    assert (run.exit_code == 1) == bool(found)
    return found


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_drift_fixture(path: Path, tmp_path: Path):
    match = _NAME.match(path.name)
    assert match, f"fixture name must start with RULE.fail or RULE.pass: {path.name}"
    rule = match["rule"]
    found = _run(path, tmp_path)
    if match["kind"] == "pass":
        assert not [d for d in found if d["rule"] == rule], found
        return
    expects = yaml.safe_load(path.read_text(encoding="utf-8"))["expect"]
    named = {rule} | {e["rule"] for e in expects}
    remaining = [d for d in found if d["rule"] in named]
    for e in expects:
        hit = next((d for d in remaining if d["rule"] == e["rule"]
                    and d["line"] == e.get("line", d["line"])
                    and d["column"] == e.get("column", d["column"])
                    and e.get("text", "") in d["message"]), None)
        assert hit is not None, f"{path.name}: expected {e}; found {remaining}"
        remaining.remove(hit)
    assert not remaining, f"{path.name}: unexpected findings {remaining}"


def test_every_drift_rule_has_fixtures():
    have = {(m["rule"], m["kind"]) for p in FIXTURES if (m := _NAME.match(p.name))}
    missing = [f"{r}.{k}" for r in sorted(RULES) if r.startswith("I")
               for k in ("fail", "pass") if (r, k) not in have]
    assert not missing, f"drift rules without fixtures: {missing}"
