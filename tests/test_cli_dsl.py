"""`charterc convert` and `charterc fmt` on the command line; checking a mixed portfolio."""
from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from charterc.cli import main
from charterc.loaders import load_path

ROOT = Path(__file__).parent.parent


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_convert_both_ways_gives_the_same_document(tmp_path):
    source = ROOT / "charters/it-service-desk.charter.yaml"
    dsl = tmp_path / "it.charter"
    back = tmp_path / "it.charter.yaml"
    assert run("convert", str(source), "--to", "dsl", "-o", str(dsl)).exit_code == 0
    assert run("convert", str(dsl), "--to", "yaml", "-o", str(back)).exit_code == 0
    original = load_path(source).document
    assert load_path(dsl).document == original == load_path(back).document


def test_convert_of_a_broken_file_exits_1_with_the_diagnostic(tmp_path):
    bad = tmp_path / "bad.charter"
    bad.write_text('charter x "X" version 1.0.0 active\nowner o@example.com\n'
                   'cost staff 1000 growng 3%\n')
    result = run("convert", str(bad), "--to", "yaml")
    assert result.exit_code == 1 and "P103" in result.stderr


def test_fmt_check_reports_then_fmt_fixes(tmp_path):
    path = tmp_path / "hr.charter"
    shutil.copy(ROOT / "examples/dsl/hr-legal.charter", path)
    assert run("fmt", "--check", str(tmp_path)).exit_code == 0
    path.write_text(path.read_text().replace("\nowner ", "\n# who answers for it\nowner    "))
    assert run("fmt", "--check", str(tmp_path)).exit_code == 1
    assert run("fmt", str(tmp_path)).exit_code == 0
    assert "# who answers for it\nowner legal" in path.read_text()
    assert run("fmt", "--check", str(tmp_path)).exit_code == 0


def test_fmt_says_it_skips_yaml_files(tmp_path):
    shutil.copy(ROOT / "charters/hr-legal.charter.yaml", tmp_path)
    result = run("fmt", "--check", str(tmp_path / "hr-legal.charter.yaml"))
    assert result.exit_code == 0
    assert result.stderr == ("0 file(s) would be reformatted, 0 unchanged; skipped 1 YAML "
                             "file(s): fmt formats DSL files (*.charter)\n")
    shutil.copy(ROOT / "examples/dsl/hr-legal.charter", tmp_path)
    result = run("fmt", str(tmp_path))
    assert result.exit_code == 0
    assert result.stderr == ("0 file(s) reformatted, 1 unchanged; skipped 1 YAML file(s): "
                             "fmt formats DSL files (*.charter)\n")


def test_a_portfolio_may_mix_yaml_and_dsl(tmp_path):
    shutil.copy(ROOT / "charters/hr-legal.charter.yaml", tmp_path)
    shutil.copy(ROOT / "examples/dsl/it-service-desk.charter", tmp_path)
    result = run("check", "--today", "2026-11-27", "--strict", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "in 2 files" in result.output


def _position(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return text.count("\n", 0, start) + 1, start - (text.rfind("\n", 0, start) + 1) + 1


def test_schema_and_reference_errors_point_into_the_dsl_file(tmp_path):
    from charterc.pipeline import check_paths

    text = (ROOT / "examples/dsl/it-service-desk.charter").read_text()
    text = text.replace("\n  tier premium\n", "\n  tier premuim\n", 1)           # R301
    text = text.replace("version 2.4.0 active", "version 2.4.0 actve", 1)       # S201
    path = tmp_path / "it.charter"
    path.write_text(text)
    found = {d.rule: d for d in check_paths([path]).diagnostics}
    # the schema stage stops the file before references
    assert (found["S201"].line, found["S201"].column) == _position(text, "actve")
    path.write_text(text.replace("version 2.4.0 actve", "version 2.4.0 active", 1))
    (r301,) = [d for d in check_paths([path]).diagnostics if d.rule == "R301"]
    line, column = _position(text, "tier premuim")
    assert (r301.line, r301.column) == (line, column + len("tier "))
    assert r301.hint == "did you mean 'premium'?"
