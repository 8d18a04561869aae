"""CI reporters: SARIF 2.1.0 (validated by the official schema), GitHub workflow commands,
yamllint-compatible parsable lines, and `auto`."""
from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from charterc.cli import main
from charterc.diagnostics import Diagnostic, Edit, Fix, Severity
from charterc.loaders.yaml import load_text
from charterc.model.charter import Suppression
from charterc.pipeline import FileResult, PortfolioResult
from charterc.render.findings import REPORTERS, reporter
from charterc.render.findings.github import annotation, escape_data, escape_property

REPO = Path(__file__).resolve().parents[1]
# OASIS SARIF 2.1.0 with Errata 01, kept with the tests (provenance: its SOURCES.txt)
SARIF_SCHEMA = Path(__file__).parent / "external-schemas" / "sarif-schema-2.1.0.json"

CHARTER = """\
metadata:
  id: demo
  suppress:
    - {rule: V501, reason: "night shift covered by the on-call rota, 100% agreed"}
clients:
  - {id: finance, share: 62%}
  - {id: hr, share: 23%}
"""


def _portfolio(file: str = "charters/demo.charter.yaml") -> PortfolioResult:
    loaded = load_text(CHARTER, file)
    diags = [
        Diagnostic("C401", Severity.ERROR, "stated shares sum to 85%, not 100%", file, 6, 25,
                   "/clients/0/share", "make the shares add up to 100%"),
        Diagnostic("C402", Severity.WARNING, "share 62% differs from 50%: by 12 points, "
                   "over the 5-point bound", file, 6, 25, "/clients/0/share"),
        Diagnostic("R302", Severity.ERROR, "duplicate charter id 'demo'", file, 2, 7,
                   "/metadata/id", related=(("charters/other.charter.yaml", 3, 7),)),
        Diagnostic("V501", Severity.ERROR, "needed hours uncovered", file, 7, 5, "/clients/1",
                   suppressed=True),
        Diagnostic("G702", Severity.INFO, "primary changes in 2028", file, 5, 5, "/clients"),
    ]
    # the reporters read suppressions from the model: only its metadata.suppress is needed
    charter = SimpleNamespace(metadata=SimpleNamespace(suppress=(Suppression(
        "V501", "night shift covered by the on-call rota, 100% agreed", "/metadata/suppress/0"),)))
    return PortfolioResult([FileResult(file, loaded, charter=charter, diagnostics=diags)])


def test_reporters_are_registered():
    assert {"text", "json", "sarif", "github", "parsable", "auto"} <= set(REPORTERS)


# -- SARIF -------------------------------------------------------------------------------

def _sarif(monkeypatch, tmp_path) -> dict:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    (tmp_path / ".git").mkdir()
    return json.loads(reporter("sarif")(_portfolio(), color=False))


def test_sarif_validates_against_the_official_schema(monkeypatch, tmp_path):
    from jsonschema import validators
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = validators.validator_for(schema)(schema)
    log = _sarif(monkeypatch, tmp_path)
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(log)]
    assert not errors, errors
    assert len(log["runs"][0]["results"]) == 5


def test_sarif_rules_and_results(monkeypatch, tmp_path):
    log = _sarif(monkeypatch, tmp_path)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert {"P101", "S201", "R302", "G706"} <= set(ids) and ids == sorted(ids)
    for r in rules:
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"] and r["help"]["text"]
    c401 = next(r for r in run["results"] if r["ruleId"] == "C401")
    assert c401["level"] == "error"
    assert ids[c401["ruleIndex"]] == "C401"
    assert c401["message"]["text"] == ("stated shares sum to 85%, not 100%\n"
                                       "Hint: make the shares add up to 100%")
    location = c401["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "charters/demo.charter.yaml"
    assert location["physicalLocation"]["region"] == {"startLine": 6, "startColumn": 25}
    assert location["logicalLocations"][0]["fullyQualifiedName"] == "/clients/0/share"
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["C402"] == "warning" and levels["G702"] == "note"
    r302 = next(r for r in run["results"] if r["ruleId"] == "R302")
    related = r302["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"] == "charters/other.charter.yaml"


def test_sarif_suppression_carries_the_reason(monkeypatch, tmp_path):
    run = _sarif(monkeypatch, tmp_path)["runs"][0]
    v501 = next(r for r in run["results"] if r["ruleId"] == "V501")
    assert v501["suppressions"] == [{"kind": "inSource", "status": "accepted",
                                     "justification": "night shift covered by the on-call "
                                                      "rota, 100% agreed"}]
    assert all("suppressions" not in r for r in run["results"] if r["ruleId"] != "V501")


def test_sarif_fingerprints_are_stable_and_ignore_lines(monkeypatch, tmp_path):
    first = _sarif(monkeypatch, tmp_path)["runs"][0]["results"]
    prints = [r["partialFingerprints"]["charterc/v1"] for r in first]
    assert len(set(prints)) == len(prints)  # two findings on one value stay distinct
    moved = _portfolio()
    moved.files[0].diagnostics = [
        Diagnostic(d.rule, d.severity, d.message, d.file, d.line + 3, d.column, d.pointer,
                   d.hint, d.suppressed, d.related) for d in moved.files[0].diagnostics]
    again = json.loads(reporter("sarif")(moved, color=False))["runs"][0]["results"]
    assert [r["partialFingerprints"]["charterc/v1"] for r in again] == prints


def test_sarif_uri_is_relative_to_the_repository_root(monkeypatch, tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    log = json.loads(reporter("sarif")(_portfolio("x y.charter.yaml"), color=False))
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": "sub/x%20y.charter.yaml", "uriBaseId": "%SRCROOT%", "index": 0}



def _validate_sarif(log: dict) -> None:
    from jsonschema import validators
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    errors = [f"{e.json_path}: {e.message}"
              for e in validators.validator_for(schema)(schema).iter_errors(log)]
    assert not errors, errors


def test_sarif_carries_a_findings_fixes(monkeypatch, tmp_path):
    """SARIF 2.1.0 `fixes` (section 3.55): the fix's title, its replacements in the file of
    the finding, an insertion as an empty region; valid against the official schema."""
    file = "charters/demo.charter.yaml"
    fixes = (Fix('Quote it: "1.10"', (Edit(2, 12, 2, 16, '"1.10"', "1.10"),)),
             Fix("Add P4: 1d", (Edit(5, 30, 5, 30, ", P4: 1d"),)))
    found = [Diagnostic("S201", Severity.ERROR, "a number", file, 2, 12, "/metadata/version",
                        "quote it", fixes=fixes)]
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    (tmp_path / ".git").mkdir()
    result = PortfolioResult([FileResult(file, load_text(CHARTER, file), diagnostics=found)])
    log = json.loads(reporter("sarif")(result, color=False))
    _validate_sarif(log)
    [item] = log["runs"][0]["results"]
    location = {"uri": "charters/demo.charter.yaml", "uriBaseId": "%SRCROOT%", "index": 0}
    assert item["fixes"] == [
        {"description": {"text": 'Quote it: "1.10"'},
         "artifactChanges": [{"artifactLocation": location, "replacements": [
             {"deletedRegion": {"startLine": 2, "startColumn": 12, "endLine": 2,
                                "endColumn": 16},
              "insertedContent": {"text": '"1.10"'}}]}]},
        {"description": {"text": "Add P4: 1d"},
         "artifactChanges": [{"artifactLocation": location, "replacements": [
             {"deletedRegion": {"startLine": 5, "startColumn": 30, "endLine": 5,
                                "endColumn": 30},
              "insertedContent": {"text": ", P4: 1d"}}]}]}]
    assert "fixes" not in json.loads(reporter("sarif")(_portfolio(), color=False))[
        "runs"][0]["results"][0]


def test_check_sarif_of_a_fixable_charter_validates(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    (tmp_path / ".git").mkdir()
    fixture = (REPO / "tests" / "rules" / "T601.fail.charter.yaml").read_text(encoding="utf-8")
    (tmp_path / "t601.charter.yaml").write_text(fixture, encoding="utf-8")
    run = CliRunner().invoke(main, ["check", "--no-cache", "--today", "2026-06-01",
                                    "--format", "sarif", "t601.charter.yaml"])
    assert run.exit_code == 1, run.output
    log = json.loads(run.stdout)
    _validate_sarif(log)
    [t601] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "T601"]
    [change] = t601["fixes"][0]["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "t601.charter.yaml"
    assert change["replacements"] == [{
        "deletedRegion": {"startLine": 23, "startColumn": 43, "endLine": 23, "endColumn": 43},
        "insertedContent": {"text": ", P2: 8h"}}]


# -- GitHub ------------------------------------------------------------------------------

def test_github_escaping():
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"


def test_github_annotation_escapes_message_and_properties(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    d = Diagnostic("C403", Severity.ERROR, "recovery in 2028 is 91.4%: charges, costs\nsee log",
                   "dir,1/a:b.charter.yaml", 14, 12, hint="raise prices by 9%")
    assert annotation(d) == (
        "::error file=dir%2C1/a%3Ab.charter.yaml,line=14,col=12,title=C403 (charterc)::"
        "recovery in 2028 is 91.4%25: charges, costs%0Asee log%0AHint: raise prices by 9%25")


def test_github_report_annotations_then_full_log(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    out = reporter("github")(_portfolio(), color=False)
    lines = out.splitlines()
    commands = [line for line in lines if re.match(r"::(error|warning|notice) ", line)]
    assert [c.split(" ", 1)[0] for c in commands] == ["::error", "::notice", "::error",
                                                      "::warning"]  # V501 is suppressed
    assert commands[0].startswith("::error file=charters/demo.charter.yaml,line=2,col=7,"
                                  "title=R302 (charterc)::")
    group = lines.index(next(line for line in lines if line.startswith("::group::")))
    assert group == len(commands)
    assert lines[group] == "::group::charterc: 2 errors, 1 warning in 1 file, 1 info " \
                           "(1 suppressed) (full log)"
    token = lines[group + 1].removeprefix("::stop-commands::")
    assert lines[-2:] == [f"::{token}::", "::endgroup::"]
    body = "\n".join(lines[group + 2:-2])
    assert "charters/demo.charter.yaml:6:25: error[C401]: stated shares sum to 85%" in body
    assert token not in body


def test_github_log_stays_complete_past_the_annotation_cap(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    file = "a.charter.yaml"
    diags = [Diagnostic("R301", Severity.ERROR, f"unknown tier 't{n}'", file, n + 1, 1)
             for n in range(25)]
    result = PortfolioResult([FileResult(file, load_text("a: 1\n", file), diagnostics=diags)])
    out = reporter("github")(result, color=False)
    assert out.count("::error ") == 25
    assert out.count("error[R301]") == 25


def test_auto_picks_github_under_actions(monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert reporter("auto")(_portfolio(), color=False).startswith("::")
    monkeypatch.delenv("GITHUB_ACTIONS")
    assert reporter("auto")(_portfolio(), color=False) == reporter("text")(_portfolio(),
                                                                          color=False)


# -- parsable ----------------------------------------------------------------------------

def test_parsable_matches_yamllint():
    out = reporter("parsable")(_portfolio(), color=False)
    assert out.splitlines() == [
        "charters/demo.charter.yaml:2:7: [error] duplicate charter id 'demo' (R302)",
        "charters/demo.charter.yaml:5:5: [info] primary changes in 2028 (G702)",
        "charters/demo.charter.yaml:6:25: [error] stated shares sum to 85%, not 100% (C401)",
        "charters/demo.charter.yaml:6:25: [warning] share 62% differs from 50%: by 12 points, "
        "over the 5-point bound (C402)",
    ]
    pattern = re.compile(r"^(.*):(\d+):(\d+): \[(error|warning)\] (.*) \((.*)\)$")
    assert sum(bool(pattern.match(line)) for line in out.splitlines()) == 3


def test_parsable_keeps_one_line_per_finding():
    file = "a.charter.yaml"
    d = Diagnostic("V501", Severity.ERROR, "gap\n  first: Mon 18:00", file, 3, 4)
    result = PortfolioResult([FileResult(file, load_text("a: 1\n", file), diagnostics=[d])])
    assert reporter("parsable")(result, color=False) == \
        "a.charter.yaml:3:4: [error] gap first: Mon 18:00 (V501)\n"


# -- through the command line ------------------------------------------------------------

def test_check_accepts_every_format(tmp_path, monkeypatch):
    pytest.importorskip("charterc.validate.schema",
                        reason="charterc.validate.schema not available yet")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.charter.yaml").write_text("apiVersion: charterc/v1\nkind: Charter\n",
                                               encoding="utf-8")
    for fmt in ("sarif", "github", "parsable", "auto"):
        run = CliRunner().invoke(main, ["check", "bad.charter.yaml", "--format", fmt])
        assert run.exit_code == 1, (fmt, run.output)
        assert "S201" in run.output
