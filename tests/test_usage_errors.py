"""Mistakes in how charterc is called end in exit 2 with a message, never in a silent pass."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from charterc.cli import main

ROOT = Path(__file__).parent.parent
BASE = (ROOT / "charterc/checks/example_base.charter.yaml").read_text()
BROKEN = BASE.replace("status: active", "status: actve")


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def write(tmp_path: Path, text: str, name: str = "c.charter.yaml") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


# -- 1. unknown rule ids in --select, --ignore, --level ----------------------------------

def test_select_typo_is_a_usage_error_with_a_suggestion(tmp_path):
    result = run("check", "--select", "V5O1", write(tmp_path, BROKEN))
    assert result.exit_code == 2
    assert "V5O1" in result.output and "did you mean 'V501'?" in result.output


def test_ignore_and_level_typos_are_usage_errors(tmp_path):
    path = write(tmp_path, BROKEN)
    assert run("check", "--ignore", "S2O1", path).exit_code == 2
    result = run("check", "--level", "S2O1=warning", path)
    assert result.exit_code == 2 and "did you mean 'S201'?" in result.output
    assert run("check", "--level", "S2=warning", path).exit_code == 2  # --level takes an id


def test_known_ids_and_prefixes_still_work(tmp_path):
    path = write(tmp_path, BROKEN)
    assert run("check", "--select", "s2,V5", path).exit_code == 1
    assert run("check", "--ignore", "c4", path).exit_code == 1
    assert run("check", "--level", "s201=warning", path).exit_code in (0, 1)


# -- 2. no charter found; charter-like YAML without the suffix ---------------------------

def test_a_folder_without_charters_is_a_usage_error(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run("check", str(tmp_path / "empty"))
    assert result.exit_code == 2
    assert "no charter found" in result.output and str(tmp_path / "empty") in result.output


def test_charter_like_yaml_without_the_suffix_is_warned_about(tmp_path):
    write(tmp_path, BASE, "c.charter.yaml")
    write(tmp_path, BASE, "other.yaml")
    write(tmp_path, "apiVersion: v1\nkind: ConfigMap\n", "k8s.yml")
    result = CliRunner().invoke(main, ["check", "--today", "2026-06-01", str(tmp_path)])
    assert result.exit_code == 0
    assert "other.yaml looks like a charter" in result.stderr
    assert "other.charter.yaml" in result.stderr and "k8s.yml" not in result.stderr
    assert "other.yaml" not in result.stdout


# -- 3. diff: paths matching nothing, empty revisions ------------------------------------

def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
                        "HOME": str(repo), "PATH": os.environ.get("PATH", "/usr/bin:/bin")})


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    (repo / "charters").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    (repo / "charters/desk.charter.yaml").write_text(BASE)
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    (repo / "charters/desk.charter.yaml").write_text(BASE.replace("# ", "#  "))
    _git(repo, "commit", "-q", "-am", "again")
    monkeypatch.chdir(repo)
    return repo


def test_diff_path_matching_nothing_is_a_usage_error(repo):
    result = run("diff", "HEAD~1", "HEAD", "charterz")
    assert result.exit_code == 2 and "no charter under charterz" in result.output
    assert run("diff", "HEAD~1", "HEAD", "charters").exit_code == 0


def test_diff_empty_revision_is_a_usage_error(repo):
    result = run("diff", "", "HEAD")
    assert result.exit_code == 2 and "empty revision" in result.output
    assert run("diff", "HEAD", " ").exit_code == 2


# -- 4. an empty --lang or --format ------------------------------------------------------

REPORT = ROOT / "tests" / "report"


@pytest.mark.parametrize("option", ["--lang", "--format"])
def test_report_with_an_empty_list_is_a_usage_error(tmp_path, option):
    out = tmp_path / "reports"
    result = run("report", str(REPORT / "desk.charter.yaml"), "--tickets",
                 str(REPORT / "tickets.csv"), "--period", "2026-11", "-o", str(out), option, ",")
    assert result.exit_code == 2 and option in result.output and "names nothing" in result.output
    assert not out.exists()


@pytest.mark.parametrize("fmt", ["md", "html", "json", "md,json"])
def test_report_with_an_unknown_language_is_a_usage_error(tmp_path, fmt):
    out = tmp_path / "reports"
    result = run("report", str(REPORT / "desk.charter.yaml"), "--tickets",
                 str(REPORT / "tickets.csv"), "--period", "2026-11", "-o", str(out),
                 "--lang", "en,de", "--format", fmt)
    assert result.exit_code == 2, result.output
    assert "--lang" in result.output and "'de'" in result.output
    assert "en, fr" in result.output and "internal error" not in result.output
    assert not out.exists()


def test_report_takes_the_languages_of_build(tmp_path):
    from charterc.render.i18n import languages
    out = tmp_path / "reports"
    result = run("report", str(REPORT / "desk.charter.yaml"), "--tickets",
                 str(REPORT / "tickets.csv"), "--period", "2026-11", "-o", str(out),
                 "--lang", ",".join(languages()), "--format", "md")
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.rglob("provider.*.md")} == {
        f"provider.{lang}.md" for lang in languages()}


@pytest.mark.parametrize("option", ["--lang", "--format"])
def test_build_with_an_empty_list_is_a_usage_error(tmp_path, option):
    out = tmp_path / "dist"
    result = run("build", write(tmp_path, BASE), "-o", str(out), "--today", "2026-06-01",
                 option, " , ")
    assert result.exit_code == 2 and option in result.output and "names nothing" in result.output
    assert not out.exists()


# -- 5. diff: a side that does not load is not a removal ---------------------------------

@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_diff_against_a_new_that_does_not_load_is_not_a_removal(tmp_path, fmt):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir(), new.mkdir()
    write(old, BASE, "desk.charter.yaml")
    write(new, BASE.replace("status: active", "status: actve"), "desk.charter.yaml")
    result = run("diff", str(old), str(new), "--format", fmt)
    assert result.exit_code == 1
    assert "removed" not in result.output and "weakening" not in result.output
    assert "S201" in result.output and "desk.charter.yaml" in result.output


def test_diff_of_a_charter_that_does_not_parse_on_either_side(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir(), new.mkdir()
    write(old, "apiVersion: [\n", "desk.charter.yaml")
    write(new, BASE, "desk.charter.yaml")
    result = run("diff", str(old), str(new))
    assert "added" not in result.output and "P101" in result.output
    assert "0 charters compared" in result.output


def test_a_charter_really_removed_is_still_a_removal(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir(), new.mkdir()
    write(old, BASE, "desk.charter.yaml")
    write(new, "apiVersion: [\n", "other.charter.yaml")
    write(new, "apiVersion: [\n", "third.charter.yaml")
    result = run("diff", str(old), str(new))
    assert "in force -> removed" in result.output


# -- 6. override templates that recurse or are too large ---------------------------------

def _templates(tmp_path: Path, name: str, body: str) -> str:
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(body)
    return str(folder)


def _build(tmp_path: Path, templates: str) -> object:
    return CliRunner().invoke(main, ["build", write(tmp_path, BASE), "-o", str(tmp_path / "dist"),
                                     "--format", "md", "--today", "2026-06-01",
                                     "--templates", templates])


def test_a_template_that_includes_itself_is_a_usage_error(tmp_path):
    templates = _templates(tmp_path, "charter.md.j2", "{% include 'charter.md.j2' %}\n")
    result = _build(tmp_path, templates)
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output
    assert "charter.md.j2" in result.output and "includes itself" in result.output


def test_an_oversized_template_is_a_usage_error(tmp_path):
    templates = _templates(tmp_path, "_notes.md.j2", "x" * (300 * 1024))
    result = _build(tmp_path, templates)
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output
    assert "_notes.md.j2" in result.output and "KiB" in result.output


# -- 7. convert says how many comments it drops ------------------------------------------

DSL = (ROOT / "examples/dsl/it-service-desk.charter").read_text()


@pytest.mark.parametrize("target", ["yaml", "dsl"])
def test_convert_from_yaml_warns_about_dropped_comments(tmp_path, target):
    text = BASE.replace("kind: Charter", "kind: Charter  # an end-of-line note")
    result = CliRunner().invoke(main, ["convert", write(tmp_path, text), "--to", target])
    assert result.exit_code == 0
    assert "warning: 4 comments" in result.stderr and "dropped" in result.stderr
    assert "warning" not in result.stdout


@pytest.mark.parametrize("target", ["yaml", "dsl"])
def test_convert_counts_comments_of_a_text_only_libyaml_scans(tmp_path, target):
    # a tab inside a flow sequence's plain scalar: the loader (libyaml) takes it, PyYAML's
    # pure-Python scanner refused it, and counting the comments was an internal error
    text = BASE.replace("    features: [incident, weekend]",
                        "    features: [incident, week\tend]  # a note", 1)
    result = CliRunner().invoke(main, ["convert", write(tmp_path, text), "--to", target])
    assert result.exit_code == 0, result.output
    assert "warning: 4 comments" in result.stderr


def test_convert_from_yaml_without_comments_says_nothing(tmp_path):
    text = "\n".join(line for line in BASE.splitlines() if not line.startswith("#"))
    result = CliRunner().invoke(main, ["convert", write(tmp_path, text + "\n"), "--to", "dsl"])
    assert result.exit_code == 0 and result.stderr == ""


def test_convert_of_the_dsl_keeps_its_comments_or_says_it_drops_them(tmp_path):
    lines = DSL.splitlines(keepends=True)
    path = write(tmp_path, "".join([*lines[:3], '# a "quoted # note"\n', *lines[3:]]),
                 "desk.charter")
    same = CliRunner().invoke(main, ["convert", path, "--to", "dsl"])
    assert same.exit_code == 0 and '# a "quoted # note"' in same.stdout and same.stderr == ""
    other = CliRunner().invoke(main, ["convert", path, "--to", "yaml"])
    assert other.exit_code == 0 and "warning: 1 comment of" in other.stderr


# -- a report for a past period: review dates judged at its end, shown, not fatal -------

def test_report_for_a_past_period_shows_the_review_and_runs(tmp_path):
    import json
    out = tmp_path / "reports"
    result = run("report", str(ROOT / "charters" / "it-service-desk.charter.yaml"),
                 "--tickets", str(REPORT / "tickets.csv"), "--period", "2026-03",
                 "-o", str(out), "--lang", "en", "--format", "md,html,json")
    assert result.exit_code == 0, result.output
    folder = out / "it-service-desk" / "2026-03"
    document = json.loads((folder / "provider.json").read_text())
    assert document["reviews"] == ["baseline reviewed 2026-09-01 is after today (2026-03-31)"]
    for name in ("provider.en.md", "provider.en.html"):
        assert "baseline reviewed 2026-09-01" in (folder / name).read_text()
    client = next((folder / "clients").glob("*.json"))
    assert json.loads(client.read_text())["reviews"] == document["reviews"]


def test_report_for_a_current_period_has_no_review_section(tmp_path):
    import json
    out = tmp_path / "reports"
    result = run("report", str(REPORT / "desk.charter.yaml"), "--tickets",
                 str(REPORT / "tickets.csv"), "--period", "2026-11", "-o", str(out),
                 "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(next(out.rglob("provider.json")).read_text())
    assert "reviews" not in document


def test_report_still_stops_on_a_term_that_ends_before_it_starts(tmp_path):
    # G704 judges review dates and the term: only the review is shown in the report; a
    # term ending before it starts is an error of the charter, so nothing is measured.
    text = (REPORT / "desk.charter.yaml").read_text()
    charter = tmp_path / "desk.charter.yaml"
    charter.write_text(text.replace("period: {start: 2025-07-01,",
                                    "period: {start: 2025-07-01, end: 2025-06-30,"))
    assert charter.read_text() != text
    result = run("report", str(charter), "--tickets", str(REPORT / "tickets.csv"),
                 "--period", "2026-11", "-o", str(tmp_path / "reports"), "--format", "json")
    assert result.exit_code == 1 and "error[G704]: period ends 2025-06-30" in result.output
    assert not (tmp_path / "reports").exists()
