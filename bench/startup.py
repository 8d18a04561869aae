#!/usr/bin/env python3
"""Benchmark: a cold one-file `charterc check` against `yamllint` on the same file.

Each run is a fresh process, as pre-commit starts them. The two commands run in
pairs (charterc, then yamllint, then the next pair), so a burst of load on a busy
machine falls on both; the CPU time of each (user + system, from
`resource.getrusage(RUSAGE_CHILDREN)`) is summed over the pairs. The last line is
the ratio of the sums (`ratio: 0.85`); below 1.0 charterc costs less than yamllint.

The same check of the file's DSL twin (`--dsl`, the bundled example's by default) runs
in each round too: `dsl ratio: X` is its CPU over the YAML file's (1.0: the DSL costs
what YAML does).

`charterc check` runs with `--no-cache`, so every run does the whole check. Both
tools run from their modules' bytecode, as after `pip install` (which compiles it).

    python bench/startup.py [FILE] [--dsl FILE] [--runs 20]
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cpu_of(command: list[str], env: dict[str, str]) -> float:
    """CPU seconds (user + system) a fresh process running `command` takes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                   env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def tool(name: str) -> list[str]:
    """The console script next to this interpreter, else the one on PATH."""
    here = Path(sys.executable).parent / name
    if here.exists():
        return [str(here)]
    found = shutil.which(name)
    if found is None:
        sys.exit(f"{name} is not installed (pip install -e '.[test]')")
    return [found]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", nargs="?", default=str(ROOT / "charters" /
                                                      "it-service-desk.charter.yaml"))
    parser.add_argument("--dsl", default=str(ROOT / "examples" / "dsl" /
                                             "it-service-desk.charter"),
                        help="the DSL twin of FILE")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--today", default="2026-11-27")
    args = parser.parse_args()

    charterc = [*tool("charterc"), "check", "--no-cache", "--today", args.today, args.file]
    yamllint = [*tool("yamllint"), args.file]
    dsl = [*tool("charterc"), "check", "--no-cache", "--today", args.today, args.dsl]
    # both run from their bytecode, as after `pip install` (which compiles every module):
    # an editable install under PYTHONDONTWRITEBYTECODE would recompile charterc each run
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME")}
    for command in (charterc, yamllint, dsl):  # warm the page cache and write the .pyc files
        cpu_of(command, env)
    ours = theirs = twin = 0.0
    for _ in range(args.runs):
        ours += cpu_of(charterc, env)
        theirs += cpu_of(yamllint, env)
        twin += cpu_of(dsl, env)
    print(f"file: {args.file}")
    print(f"runs: {args.runs} pairs")
    print(f"charterc check: {ours / args.runs * 1000:.0f} ms CPU per run")
    print(f"yamllint:       {theirs / args.runs * 1000:.0f} ms CPU per run")
    print(f"charterc check of the DSL twin ({Path(args.dsl).name}): "
          f"{twin / args.runs * 1000:.0f} ms CPU per run")
    print(f"ratio: {ours / theirs:.2f}")
    print(f"dsl ratio: {twin / ours:.2f}")


if __name__ == "__main__":
    main()
