"""The command line: exit codes, formats, the catalogue, and a lean start-up."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from charterc import __version__
from charterc.cli import main

ROOT = Path(__file__).parent.parent
BASE = (ROOT / "charterc/checks/example_base.charter.yaml").read_text()


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def write(tmp_path, text, name="c.charter.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_clean_charter_exits_0(tmp_path):
    result = run("check", "--today", "2026-06-01", write(tmp_path, BASE))
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings in 1 file" in result.output


def test_three_schema_errors_reported_at_their_own_positions(tmp_path):
    text = (BASE.replace("version: 1.0.0", "version: 1.10")
            .replace("status: active", "status: actve")
            .replace("currency: EUR", "currency: euro"))
    result = run("check", "--format", "json", write(tmp_path, text))
    assert result.exit_code == 1
    found = [(d["rule"], d["line"], d["column"]) for d in json.loads(result.stdout)]
    lines = text.splitlines()

    def where(needle):
        n = next(i for i, line in enumerate(lines) if needle in line)
        return (n + 1, lines[n].index(needle.split(": ")[1]) + 1)

    assert found == [("S201", *where("version: 1.10")), ("S201", *where("status: actve")),
                     ("S201", *where("currency: euro"))]


def test_json_shape_is_stable(tmp_path):
    result = run("check", "--format", "json", write(tmp_path, "a: [\n"))
    (entry,) = json.loads(result.stdout)
    assert list(entry) == ["rule", "severity", "message", "file", "line", "column", "pointer",
                           "hint", "suppressed"]
    assert entry["rule"] == "P101" and result.exit_code == 1


def test_text_report_has_caret_and_hint(tmp_path):
    result = run("check", "--no-color",
                 write(tmp_path, BASE.replace("version: 1.0.0", "version: 1.10")))
    assert ": error[S201]: " in result.output
    assert "|             ^" in result.output or "^" in result.output
    assert "= hint: quote it" in result.output


def test_broken_file_does_not_stop_the_others(tmp_path):
    write(tmp_path, "a: [\n", "a.charter.yaml")
    write(tmp_path, BASE, "b.charter.yaml")
    result = run("check", "--today", "2026-06-01", "--format", "json", str(tmp_path))
    files = {d["file"] for d in json.loads(result.stdout)}
    assert len(files) == 1 and next(iter(files)).endswith("a.charter.yaml")
    assert result.exit_code == 1


def test_usage_errors_exit_2(tmp_path):
    assert run("check", str(tmp_path / "missing")).exit_code == 2
    assert run("check", "--today", "yesterday", write(tmp_path, BASE)).exit_code == 2
    assert run("explain", "Z999").exit_code == 2
    assert run("check", "--format", "xml").exit_code == 2


def test_strict_select_ignore_and_level(tmp_path):
    text = BASE.replace("id: alpha\n    name: Alpha\n    tier: standard\n",
                        "id: alpha\n    name: Alpha\n    tier: standard\n    budget: 1000\n")
    path = write(tmp_path, text)
    assert run("check", "--today", "2026-06-01", path).exit_code == 0          # C404 is a warning
    assert run("check", "--today", "2026-06-01", "--strict", path).exit_code == 1
    assert run("check", "--today", "2026-06-01", "--strict", "--ignore", "C4", path).exit_code == 0
    assert run("check", "--today", "2026-06-01", "--level", "C404=error", path).exit_code == 1
    only = run("check", "--today", "2026-06-01", "--select", "D", "--format", "json", path)
    assert json.loads(only.stdout) == []


def test_suppression_is_reported_but_not_counted(tmp_path):
    text = BASE.replace("owner: owner@example.com",
                        "owner: owner@example.com\n  suppress: [{rule: C404, reason: agreed}]")
    text = text.replace("tier: standard\n    volume",
                        "tier: standard\n    budget: 1000\n    volume")
    result = run("check", "--today", "2026-06-01", "--strict", "--format", "json",
                 write(tmp_path, text))
    found = json.loads(result.stdout)
    assert [d["rule"] for d in found] == ["C404"] and found[0]["suppressed"] is True
    assert result.exit_code == 0


def test_rules_explain_schema_version():
    listing = run("rules").output
    assert "S201  error" in listing and "R301" in listing
    explained = run("explain", "r301").output
    assert explained.startswith("R301 (error): Unknown id referenced.")
    assert "Fails:" in explained
    assert json.loads(run("schema").stdout)["$schema"].endswith("2020-12/schema")
    assert Path(run("schema", "--path").output.strip()).is_file()
    assert __version__ in run("--version").output


def test_check_path_does_not_import_output_modules(tmp_path):
    code = ("import sys; from charterc.cli import main\n"
            "try: main(['check', '--today', '2026-06-01', sys.argv[1]])\n"
            "except SystemExit: pass\n"
            "heavy = [m for m in ('jinja2', 'babel', 'lark', 'jsonschema') if m in sys.modules]\n"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code, write(tmp_path, BASE)], capture_output=True,
                         text=True, cwd=ROOT).stdout
    assert out.strip().splitlines()[-1] == "[]"
