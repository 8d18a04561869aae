"""Files charterc writes: as one set, with the user's modes, and naming portable paths."""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from charterc.authoring.init import starter_text
from charterc.cli import main

ROOT = Path(__file__).parent.parent
BASE = (ROOT / "charterc/checks/example_base.charter.yaml").read_text()
REPORT = ROOT / "tests" / "report"
PUBLISHED = "https://charterc.dev/schemas/charter.schema.json"


TODAY = "2026-11-29"  # review dates are judged as of a fixed day, not the clock


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield 0o644
    os.umask(old)


# -- report writes its files as one set -----------------------------------------------------

def test_report_with_an_unknown_language_writes_nothing_and_names_the_known_ones(tmp_path):
    out = tmp_path / "reports"
    result = _run("report", REPORT / "desk.charter.yaml", "--tickets", REPORT / "tickets.csv",
                  "--period", "2026-11", "-o", out, "--format", "json,md", "--lang", "en,xx")
    assert result.exit_code == 2, result.output
    assert "no catalogue for language 'xx': known languages are en, fr" in result.output
    assert "internal error" not in result.output
    assert not out.exists()


def test_report_files_are_written_only_when_all_rendered(tmp_path, monkeypatch):
    import charterc.render.report as render
    out = tmp_path / "reports"

    def fails(document, *, scope, lang, fmt):
        raise OSError("disk full")

    monkeypatch.setattr(render, "render_report", fails)
    result = _run("report", REPORT / "desk.charter.yaml", "--tickets", REPORT / "tickets.csv",
                  "--period", "2026-11", "-o", out, "--format", "json,md")
    assert result.exit_code == 2 and "cannot write the reports" in result.output
    assert [p for p in out.rglob("*") if p.is_file()] == []


# -- modes ---------------------------------------------------------------------------------

def test_fmt_keeps_a_charters_mode(tmp_path):
    from charterc.authoring.dsl import dump
    from charterc.loaders.yaml import load_text
    charter = tmp_path / "svc.charter"
    charter.write_text(dump(load_text(BASE, "x.charter.yaml").document).replace("\n  ", "\n    "))
    charter.chmod(0o664)
    result = _run("fmt", charter)
    assert result.exit_code == 0 and "reformatted" in result.output, result.output
    assert _mode(charter) == 0o664


def test_outputs_of_check_convert_diff_and_report_get_the_umask_default(tmp_path, umask_022):
    charter = tmp_path / "example.charter.yaml"
    charter.write_text(BASE)
    runs = {
        "check.txt": ("check", charter, "--today", TODAY),
        "converted.charter": ("convert", charter, "--to", "dsl"),
        "diff.txt": ("diff", charter, charter),
    }
    for name, args in runs.items():
        result = _run(*args, "-o", tmp_path / name)
        assert result.exit_code == 0, result.output
        assert _mode(tmp_path / name) == umask_022, name
    result = _run("report", REPORT / "desk.charter.yaml", "--tickets", REPORT / "tickets.csv",
                  "--period", "2026-11", "-o", tmp_path / "reports", "--format", "json")
    assert result.exit_code == 0, result.output
    written = [p for p in (tmp_path / "reports").rglob("*") if p.is_file()]
    assert written and {_mode(p) for p in written} == {umask_022}


def test_build_outputs_get_the_umask_default(tmp_path, umask_022):
    (tmp_path / "charters").mkdir()
    (tmp_path / "charters" / "example.charter.yaml").write_text(BASE)
    assert _run("build", tmp_path / "charters", "-o", tmp_path / "dist",
                "--today", TODAY).exit_code == 0
    files = [p for p in (tmp_path / "dist").rglob("*") if p.is_file()]
    assert {_mode(p) for p in files} == {umask_022}
    assert _mode(tmp_path / "dist") == 0o755


# -- paths in outputs ----------------------------------------------------------------------

def _sla_builds(tmp_path, monkeypatch, repo: Path) -> list[bytes]:
    charters = repo / "charters"
    charters.mkdir(parents=True)
    (charters / "example.charter.yaml").write_text(BASE)
    outputs = []
    for cwd, given in ((repo, "charters"), (tmp_path, charters), (charters, ".")):
        monkeypatch.chdir(cwd)
        out = tmp_path / f"dist-{len(outputs)}"
        result = _run("build", given, "-o", out, "--today", "2026-11-27")
        assert result.exit_code == 0, result.output
        outputs.append((out / "example" / "sla.json").read_bytes())
    return outputs


def test_sla_json_is_the_same_however_the_charters_are_named(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    first, *others = _sla_builds(tmp_path, monkeypatch, repo)
    assert others == [first, first]
    entry = json.loads(first)["entries"][0]
    assert entry["source"]["file"] == "charters/example.charter.yaml"


def test_outside_a_repository_paths_are_relative_to_the_folder_given(tmp_path, monkeypatch):
    first, *others = _sla_builds(tmp_path, monkeypatch, tmp_path / "plain")
    assert others == [first, first]
    assert json.loads(first)["entries"][0]["source"]["file"] == "example.charter.yaml"


# -- schema references ---------------------------------------------------------------------

def test_init_without_a_repository_schema_names_the_published_schema(tmp_path):
    (tmp_path / "schemas").mkdir()   # outside the repository: not this project's schema
    (tmp_path / "schemas" / "charter.schema.json").write_text("{}")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    text = starter_text("svc", folder=tmp_path / "repo" / "charters")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema={PUBLISHED}"
    assert "file:" not in text


def test_convert_to_yaml_points_at_the_schema_from_where_the_file_lands(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "charter.schema.json").write_text("{}")
    source = tmp_path / "example.charter.yaml"
    source.write_text(BASE)
    for target, expected in ((tmp_path / "a" / "b" / "x.charter.yaml",
                              "../../schemas/charter.schema.json"),
                             (tmp_path / "x.charter.yaml", "schemas/charter.schema.json")):
        assert _run("convert", source, "--to", "yaml", "-o", target).exit_code == 0
        assert target.read_text().splitlines()[0] == \
            f"# yaml-language-server: $schema={expected}"


def test_convert_to_yaml_outside_a_repository_with_schemas_names_the_published_schema(tmp_path):
    source = tmp_path / "example.charter.yaml"
    source.write_text(BASE)
    target = tmp_path / "out" / "x.charter.yaml"
    assert _run("convert", source, "--to", "yaml", "-o", target).exit_code == 0
    assert target.read_text().splitlines()[0] == f"# yaml-language-server: $schema={PUBLISHED}"
