"""The README's commands and `.ci/run` give the same verdict on any date.

G703 (baseline review overdue) is an error, and the bundled charters' reviews fall
due from 2027-09-01. So the README's build judges review dates as of the last
commit's date (`SOURCE_DATE_EPOCH`, as reproducible builds do), while a user's
run without that variable judges them as of the clock, and an overdue review
still fails their CI.

"2030" below is a stand-in clock: `charterc.pipeline.today` is the one place
charterc reads the clock, so replacing its `date` moves every run's today.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from charterc.cli import main
from charterc.pipeline import check_paths
from charterc.pipeline.today import SourceDateError, resolve_today, source_date

ROOT = Path(__file__).resolve().parent.parent
LATER = date(2030, 1, 1)
BASE = (ROOT / "charterc/checks/example_base.charter.yaml").read_text(encoding="utf-8")
OVERDUE = BASE.replace("baseline: {reviewed: 2026-01-15, every: 12mo}",
                       "baseline: {reviewed: 2020-03-01, every: 12mo}")
EPOCH_2020_06_01 = "1590969600"

# Runs charterc's command line with the clock reading LATER (argv as for `charterc`).
CLOCK_2030 = f"""
import sys
from datetime import date
import charterc.pipeline.today as today

class Later(date):
    @classmethod
    def today(cls):
        return cls({LATER.year}, {LATER.month}, {LATER.day})

today.date = Later
from charterc.cli import main
sys.argv[0] = "charterc"
main()
"""


class _Later(date):
    @classmethod
    def today(cls):
        return cls(LATER.year, LATER.month, LATER.day)


@pytest.fixture
def clock_2030(monkeypatch):
    monkeypatch.setattr("charterc.pipeline.today.date", _Later)


def readme_commands() -> dict[int, list[str]]:
    """The README's numbered commands ("# 1. ...", "# 2. ..."): their shell lines."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Two commands", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    commands: dict[int, list[str]] = {}
    for line in block.splitlines():
        if number := re.match(r"# (\d)\. ", line):
            commands[int(number.group(1))] = current = []
        elif line.strip() and not line.startswith("#"):
            current.append(line)
    return commands


def readme_build_lines() -> list[str]:
    """Command 1 after its install step: what runs charterc on the bundled charters."""
    lines = readme_commands()[1]
    install = next(i for i, line in enumerate(lines) if "pip install ." in line)
    assert lines[install].endswith("pip install ."), lines[install]
    return lines[install + 1:]


# -- the date charterc judges against ---------------------------------------------------

def test_source_date_epoch_is_read_as_a_utc_date(monkeypatch):
    assert source_date() is None and resolve_today() == date.today()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795737600")     # 2026-11-27T00:00:00Z
    assert source_date() == date(2026, 11, 27) == resolve_today()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795823999")     # 2026-11-27T23:59:59Z
    assert resolve_today() == date(2026, 11, 27)
    assert resolve_today(date(2026, 1, 2)) == date(2026, 1, 2)  # --today wins
    monkeypatch.setenv("SOURCE_DATE_EPOCH", " ")
    assert source_date() is None
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(SourceDateError, match="SOURCE_DATE_EPOCH='yesterday'"):
        resolve_today()


def test_an_overdue_review_fails_by_the_clock_and_passes_as_of_an_earlier_source_date(
        tmp_path, monkeypatch):
    charter = tmp_path / "desk.charter.yaml"
    charter.write_text(OVERDUE, encoding="utf-8")
    run = CliRunner().invoke(main, ["check", str(charter)])
    assert run.exit_code == 1, run.output
    assert "error[G703]: baseline review overdue: reviewed 2020-03-01" in run.output

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2020_06_01)
    for command in (["check", str(charter)], ["build", str(charter), "-o", str(tmp_path / "d")]):
        run = CliRunner().invoke(main, command)
        assert run.exit_code == 0, run.output
        assert "G703" not in run.output
    assert "G703" not in {d.rule for d in check_paths([charter]).diagnostics}
    # --today still wins over the variable
    run = CliRunner().invoke(main, ["check", str(charter), "--today", "2026-11-27"])
    assert run.exit_code == 1 and "G703" in run.output


def test_a_malformed_source_date_epoch_is_a_usage_error(tmp_path, monkeypatch):
    charter = tmp_path / "desk.charter.yaml"
    charter.write_text(BASE, encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "2026-11-27")
    run = CliRunner().invoke(main, ["check", str(charter)])
    assert run.exit_code == 2 and "SOURCE_DATE_EPOCH='2026-11-27'" in run.output
    run = CliRunner().invoke(main, ["build", str(charter), "-o", str(tmp_path / "d")])
    assert run.exit_code == 2 and "SOURCE_DATE_EPOCH='2026-11-27'" in run.output


# -- the bundled charters in 2030 -------------------------------------------------------

def test_in_2030_the_bundled_charters_fail_by_the_clock(clock_2030, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    run = CliRunner().invoke(main, ["build", "charters/", "-o", str(tmp_path / "dist")])
    assert run.exit_code == 1, run.output
    assert run.output.count("error[G703]: baseline review overdue") == 3
    assert not (tmp_path / "dist").exists()


def test_the_readme_build_states_the_commit_date():
    lines = readme_build_lines()
    assert lines[-1].endswith("charterc build charters/ --lang en,fr"), lines
    assert "SOURCE_DATE_EPOCH=$(git log -1 --format=%ct" in "\n".join(lines)


@pytest.mark.skipif(shutil.which("bash") is None or shutil.which("git") is None,
                    reason="needs bash and git")
def test_the_readme_build_passes_in_2030(tmp_path):
    """The README's build lines, as written, in bash, with the clock at 2030-01-01."""
    if subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT,
                      capture_output=True).returncode != 0:
        pytest.skip("not a git checkout: the README's build falls back to the clock")
    out = tmp_path / "dist"
    # `charterc` is this charterc (the installed command may be another copy), with the
    # 2030 clock, writing outside the work tree
    shim = (f'charterc() {{ "$CHARTERC_PYTHON" -c "$CHARTERC_CLOCK" "$@" -o "{out}"; }}\n')
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(CHARTERC_PYTHON=sys.executable, CHARTERC_CLOCK=CLOCK_2030,
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])))
    run = subprocess.run(["bash", "-euo", "pipefail", "-c",
                          shim + "\n".join(readme_build_lines())],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "G703" not in run.stdout
    assert re.search(r"built 3 charter\(s\): \d+ files in ", run.stdout), run.stdout
    assert (out / "it-service-desk/charter.fr.html").is_file()

    # the same lines without SOURCE_DATE_EPOCH: the 2030 clock decides, and G703 fails them
    unset = [re.sub(r"^SOURCE_DATE_EPOCH=\$\(.*?\)\s+", "", line) for line in
             readme_build_lines()]
    run = subprocess.run(["bash", "-c", shim + "\n".join(unset)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 1 and "error[G703]" in run.stdout, run.stdout + run.stderr


# -- CI runs the README -----------------------------------------------------------------

def test_ci_runs_the_readme_commands():
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    commands = readme_commands()
    for line in readme_build_lines():
        assert line in ci.splitlines(), f".ci/run does not run the README's {line!r}"
    assert "python -m pip install --quiet .\n" in ci
    assert commands[2] == ["pip install '.[test]' && python -m pytest"]
    assert "python -m pip install --quiet '.[test]'" in ci
    assert re.search(r"^python -m pytest\b", ci, re.M)
    assert re.search(r"^(selection )?python -m pytest -m slow\b", ci, re.M)
    assert re.search(r"^  faketime \"\$LATER\" python -m pytest\b", ci, re.M)


def test_slow_tests_are_left_out_by_default_and_run_with_m_slow():
    def collected(*args: str) -> str:
        run = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", *args,
                              "tests/test_precommit.py"], cwd=ROOT, capture_output=True,
                             text=True, timeout=300)
        return run.stdout
    assert "test_hook_fails_on_a_broken_charter_then_passes" not in collected()
    assert "1 deselected" in collected()
    assert "test_hook_fails_on_a_broken_charter_then_passes" in collected("-m", "slow")


def test_tests_read_nothing_outside_the_repository():
    here = Path(__file__).resolve()
    outside = re.compile(r"""["']/work/|\.parent\s*/\s*["']shared["']|["']\.\./shared""")
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if path.resolve() != here:
            found = outside.search(path.read_text(encoding="utf-8"))
            assert found is None, f"{path.relative_to(ROOT)} reads {found.group(0)!r}..."
