"""Hostile inputs end in a usage error or a diagnostic, never in an internal error or a hang:
bounded override templates, impossible report dates, huge CSV header fields, `--jobs` far
over the CPU count, FIFOs and empty comparisons, a closed standard output, and library
warnings carrying control characters."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from charterc.cli import main
from charterc.publish.build import BuildProblem, build, default_jobs, worker_count

ROOT = Path(__file__).parent.parent
BASE = (ROOT / "charterc/checks/example_base.charter.yaml").read_text()
REPORT = ROOT / "tests/report"
TODAY = date(2026, 11, 27)


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def charterc(*args: str, cwd: Path | None = None, timeout: float = 60,
             **kwargs) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CHARTERC_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "charterc", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout, **kwargs)


def _charter(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    (folder / "example.charter.yaml").write_text(BASE)
    return folder


def _override(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / "charter.md.j2").write_text(body)
    return folder


# -- 4. override templates are bounded in time, output and size ---------------------------

@pytest.mark.parametrize("body, message", [
    ("{% for i in range(10**12) %}x{% endfor %}", "range() of 1,000,000,000,000 items"),
    ("{{ 'x' * 10**10 }}", "10,000,000,000 items or characters"),
    ("{% set a = 'x' * 1000000 %}{{ a ~ a }}", "over the 1,000,000"),
    ("{% set x = [1] %}{% for i in range(40) %}{{ x.extend(x) }}{% endfor %}",
     "over the 1,000,000"),
    ("{{ 'a' | center(10**10) }}", "a width of 10,000,000,000"),
    ("{{ '%10000000000d' % 1 }}", "a width or precision of 10000000000"),
    ("{{ '{:>10000000000}'.format(1) }}", "a width or precision of 10000000000"),
    ("{{ (['x' * 100000] * 1000) | join }}", "a joined text"),
    ("{{ 10 ** 10000000000 }}", "too large a number"),
    ("{{ 1 / 0 }}", "ZeroDivisionError"),
])
def test_an_exploding_template_is_refused_naming_it(tmp_path, body, message):
    templates = _override(tmp_path, body)
    started = time.monotonic()
    with pytest.raises(BuildProblem, match=r"template charter\.md\.j2") as caught:
        build([_charter(tmp_path)], tmp_path / "dist", templates=templates, formats=["md"],
              today=TODAY, jobs=1)
    assert message in str(caught.value)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("body", [
    # loops that call nothing and print nothing: only the blocks' own deadline check sees them
    "{% set x = range(100000) | list %}{% for a in x %}{% for b in x %}{% endfor %}{% endfor %}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{{ j }}{% endfor %}{% endfor %}",
])
def test_a_looping_template_stops_at_the_time_limit(tmp_path, monkeypatch, body):
    monkeypatch.setattr("charterc.render.sandbox.MAX_SECONDS", 0.5)
    templates = _override(tmp_path, body)
    started = time.monotonic()
    with pytest.raises(BuildProblem, match=r"template charter.md.j2.*stopped after 0.5 s"):
        build([_charter(tmp_path)], tmp_path / "dist", templates=templates, formats=["md"],
              today=TODAY, jobs=1)
    assert time.monotonic() - started < 10


def test_a_template_writing_without_end_stops_at_the_output_limit(tmp_path, monkeypatch):
    monkeypatch.setattr("charterc.render.sandbox.MAX_OUTPUT", 100_000)
    templates = _override(tmp_path, "{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}")
    with pytest.raises(BuildProblem, match="over 0 MiB of text"):
        build([_charter(tmp_path)], tmp_path / "dist", templates=templates, formats=["md"],
              today=TODAY, jobs=1)


def test_nested_loops_stop_within_30_s_with_exit_2_from_the_command_line(tmp_path):
    templates = _override(tmp_path, "{% for i in range(100000) %}{% for j in range(100000) %}"
                                    "{{ i }}{% endfor %}{% endfor %}")
    started = time.monotonic()
    done = charterc("build", str(_charter(tmp_path)), "-o", str(tmp_path / "dist"),
                    "--format", "md", "--templates", str(templates), "--today", "2026-11-27")
    assert time.monotonic() - started < 30
    assert done.returncode == 2
    assert done.stderr.startswith("charterc build: template charter.md.j2")
    assert "stopped after 5 s" in done.stderr and "internal error" not in done.stderr


def test_bounded_templates_still_render_what_they_should(tmp_path):
    templates = _override(tmp_path, "{{ '%5.2f' % 3.14159 }} {{ '{:,}'.format(1234567) }} "
                                    "{{ '%d' | format(12345678901) }} [{{ 'ab' | center(6) }}] "
                                    "{{ ['a', 'b'] | join(',') }} {{ 'x' * 3 }}\n")
    out = tmp_path / "dist"
    build([_charter(tmp_path)], out, templates=templates, formats=["md"], today=TODAY, jobs=1)
    assert (out / "example/charter.en.md").read_text() == \
        " 3.14 1,234,567 12345678901 [  ab  ] a,b xxx\n"


# -- 8. report and baseline dates whose period cannot be represented ----------------------

@pytest.mark.parametrize("args", [
    ("report", "--from", "0001-01-01", "--to", "0001-01-31"),
    ("report", "--from", "9999-12-01", "--to", "9999-12-31"),
    ("report", "--period", "9999-12"),
    ("report", "--period", "0001-01"),
    ("baseline", "--from", "0001-01", "--to", "0001-02"),
    ("baseline", "--from", "9999-11", "--to", "9999-12"),
])
def test_impossible_period_dates_are_usage_errors(tmp_path, args):
    command, *dates = args
    result = run(command, str(REPORT / "desk.charter.yaml"), "--tickets",
                 str(REPORT / "tickets.csv"), *dates, "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "outside the days a period can cover (0003-01-01 to 9996-12-31)" in result.output


# -- 9. a CSV header field over the csv module's limit ------------------------------------

@pytest.mark.parametrize("command", ["report", "baseline"])
def test_a_huge_csv_header_field_is_a_diagnostic(tmp_path, command):
    tickets = tmp_path / "tickets.csv"
    tickets.write_text("id," + "x" * 140_000 + "\n1,2\n")
    window = ["--period", "2026-11"] if command == "report" else \
        ["--from", "2026-10", "--to", "2026-11"]
    result = run(command, str(REPORT / "desk.charter.yaml"), "--tickets", str(tickets),
                 *window, "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "error[U106]: the header line cannot be read: field larger than field limit" \
        in result.output
    assert "internal error" not in result.output


# -- 10. --jobs is capped at the CPU count and the number of charters ---------------------

def test_jobs_are_capped_at_the_cpu_count_and_the_charters():
    cores = default_jobs()
    assert worker_count(100_000, 1_000) == cores
    assert worker_count(None, 1_000) == cores
    assert worker_count(100_000, 1) == 1
    assert worker_count(2, 0) == 1


def test_jobs_100000_returns_promptly(tmp_path):
    started = time.monotonic()
    done = charterc("build", str(ROOT / "charters"), "-o", str(tmp_path / "dist"),
                    "-j", "100000", "--format", "md", "--today", "2026-11-27", timeout=60)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 30
    assert "built 3 charter(s)" in done.stdout


# -- 12. FIFOs, and comparisons of nothing ------------------------------------------------

def test_diff_of_two_folders_without_a_charter_is_a_usage_error(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    result = run("diff", str(tmp_path / "a"), str(tmp_path / "b"))
    assert result.exit_code == 2
    assert "nothing to compare" in result.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("command", [("check",), ("convert", "--to", "dsl"), ("diff",)])
def test_a_fifo_is_refused_before_it_is_opened(tmp_path, command):
    fifo = tmp_path / "pipe.charter.yaml"
    os.mkfifo(fifo)
    extra = [str(ROOT / "charters")] if command == ("diff",) else []
    done = charterc(command[0], str(fifo), *extra, *command[1:], timeout=30)
    assert done.returncode == 2
    assert "is a FIFO (named pipe), not a charter file" in done.stderr
    assert "no such file" not in done.stderr


# -- 13. a closed standard output ---------------------------------------------------------

@pytest.mark.parametrize("args", [("rules",), ("schema",), ("rules", "--format", "markdown")])
def test_a_closed_pipe_ends_quietly(args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "charterc", *args], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # the reader goes away, as `head -1` does
    stderr = process.stderr.read().decode()
    status = process.wait(timeout=30)
    assert stderr == ""
    assert status in (0, 141)  # 0 when everything fitted in the pipe before it closed


def test_a_closed_pipe_exits_141(tmp_path):
    # many rules' worth of text, so that the pipe is closed while charterc still writes
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    script = ("import sys, click; from charterc.cli import main\n"
              "import charterc.cli as cli\n"
              "@cli.main.command('flood')\n"
              "def flood():\n"
              "    for i in range(1_000_000):\n"
              "        click.echo('x' * 100)\n"
              "main(args=['flood'], prog_name='charterc')\n")
    process = subprocess.Popen([sys.executable, "-c", script], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=30) == 141
    assert stderr == ""


# -- 7. a library's warnings are escaped as diagnostics are --------------------------------

def test_control_characters_in_a_library_warning_are_escaped(tmp_path):
    lines = (REPORT / "tickets.csv").read_text().splitlines()
    header = lines[0].split(",")
    feature = header.index("feature")
    rows = [header]
    for line in lines[1:]:
        cells = line.split(",")
        cells[feature] = "inc\x1b]0;pwned\x07ident"  # drawn in the usage chart
        rows.append(cells)
    tickets = tmp_path / "tickets.csv"
    tickets.write_text("\n".join(",".join(r) for r in rows) + "\n")
    done = charterc("report", str(REPORT / "desk.charter.yaml"), "--tickets", str(tickets),
                    "--period", "2026-10", "-o", str(tmp_path / "out"), "--format", "html")
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr
    assert "charterc: warning: UserWarning: Glyph 27 (\\x1b) missing" in done.stderr
