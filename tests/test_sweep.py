"""The sweep of hostile inputs (bench/sweep.py): a short run here, the full one in CI.

`.ci/run` runs `python bench/sweep.py` (10,000 inputs) after the slow tests, so its summary
line is in CI's log; this file keeps a few hundred inputs in the default suite and checks
that the driver's inputs are the same whatever the number of workers (a failure found by
one run can be replayed alone).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from sweep import _classify, _outside  # noqa: E402
from sweep_inputs import WEIGHTS, case  # noqa: E402

SUMMARY = re.compile(r"^sweep: (\d+) inputs, (\d+) internal errors, (\d+) tracebacks, "
                     r"(\d+) hangs$", re.MULTILINE)


def test_inputs_are_a_function_of_seed_and_index():
    first = [case(28, index) for index in range(300)]
    again = [case(28, index) for index in reversed(range(300))][::-1]
    assert [(c.args, c.files, c.frames) for c in first] == \
        [(c.args, c.files, c.frames) for c in again]
    assert {c.command for c in first} == set(WEIGHTS)
    assert case(29, 5).files != case(28, 5).files or case(29, 5).args != case(28, 5).args


def test_outcomes_are_told_apart():
    assert _classify(1, "x.charter.yaml:3:1: error[S201]: ...", "", None) == "exit 1"
    assert _classify(2, "", "charterc: internal error: ValueError: year 0", None) == \
        "internal error"
    assert _classify(2, "", "Traceback (most recent call last):\n", None) == "traceback"
    assert _classify(0, "", "", KeyError("x")) == "traceback"
    assert _classify(0, "", "warning: Glyph 27 (\x1b) missing", None) == "raw control"
    assert _classify(0, "report\twritten\r\n", "", None) == "exit 0"
    before = {"in/a.charter": (10, 1), "out/x": (1, 1)}
    after = {"in/a.charter": (11, 2), "out/x": (2, 2), "out/y": (1, 1), "stray": (1, 1)}
    assert _outside(before, after, ("out/",)) == ["in/a.charter", "stray"]
    assert _outside(before, after, ("out/", "in/")) == ["stray"]


def test_a_short_sweep_finds_no_internal_error():
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    environment.pop("SOURCE_DATE_EPOCH", None)
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "sweep.py"), "--count", "200",
                          "--seed", "7", "--jobs", "2"], capture_output=True, text=True,
                         env=environment, timeout=600, check=False)
    summary = SUMMARY.search(run.stdout)
    assert summary, run.stdout + run.stderr
    assert summary.groups() == ("200", "0", "0", "0"), run.stdout
    assert run.returncode == 0, run.stdout
