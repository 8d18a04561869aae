#!/usr/bin/env python3
"""Benchmark: `charterc baseline` on a million tickets, against `charterc report` of the
same window.

Writes N tickets (default 1,000,000) for the bundled charter it-service-desk with the
generator of `report_tickets.py` (opened uniformly over a month and the two before it:
the window, 2026-08 to 2026-10 by default), then, each in a fresh child process so that
time and memory are its own:

  (a) `build_report` over the window (parse, validate, deadlines on both clocks,
      turnaround groups, trend, the document);
  (b) `charterc.baseline.compare` over the same window (parse, validate, tickets per
      month and feature, the tier's hours, turnaround, the projection, the document)
      and the proposal's text (`--write`);

alternately, `--repeat` times each (default 2), keeping each one's fastest run (the
machine may be shared: alternating spreads the load over both), and prints rows per
second and peak memory, and the ratio b/a as the last line (`ratio: 0.39`): under 1,
the baseline costs less than the report it sits beside.

    python bench/baseline_tickets.py [-n 1000000] [--period 2026-10] [--repeat 2]
                                     [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
CHARTER = ROOT / "charters" / "it-service-desk.charter.yaml"


def window(month: str) -> tuple[date, date]:
    """The month and the two before it: the months `report_tickets.generate` fills."""
    from charterc.report import month_period
    last = month_period(month, "UTC").last
    year, mon = last.year, last.month - 2
    if mon < 1:
        year, mon = year - 1, mon + 12
    return date(year, mon, 1), last


def child(kind: str, path: str, month: str) -> None:
    from charterc.loaders import load_path
    from charterc.model.charter import build_model

    loaded = load_path(CHARTER)
    charter = build_model(loaded.document)
    first, last = window(month)
    began = time.perf_counter()
    extra: dict[str, object] = {}
    if kind == "report":
        from charterc.report import build_report
        result = build_report(charter, loaded, tickets=Path(path), outages=None,
                              start=first, end=last)
        assert result.document is not None
        extra["tickets"] = sum(c["tickets"]["total"]
                               for c in result.document["clients"].values())
    else:
        from charterc.baseline import compare
        from charterc.baseline.propose import propose
        baseline = compare(charter, tickets=Path(path), start=first, end=last)
        propose(loaded, baseline, CHARTER)
        extra["tickets"] = baseline.document["tickets"]
        extra["findings"] = len(baseline.document["findings"])
    seconds = time.perf_counter() - began
    with open(path, encoding="utf-8") as handle:
        rows = sum(1 for _ in handle) - 1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"rows": rows, "seconds": seconds, "maxrss_kib": peak, **extra}))


def run_child(kind: str, path: Path, month: str) -> dict:
    command = [sys.executable, __file__, "--child", kind, str(path), "--period", month]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--count", type=int, default=1_000_000)
    parser.add_argument("--period", default="2026-10", help="the window's last month")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each, the fastest kept")
    parser.add_argument("--keep", help="write the generated file in this folder and keep it")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.period)
        return
    from report_tickets import generate
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "tickets.csv"
        began = time.perf_counter()
        generate(path, args.count, args.period)
        first, last = window(args.period)
        print(f"tickets: {args.count:,} ({path.stat().st_size / 1e6:.0f} MB, generated in "
              f"{time.perf_counter() - began:.1f} s); window {first} to {last}")
        runs: dict[str, list[dict]] = {"report": [], "baseline": []}
        for _ in range(max(1, args.repeat)):
            for kind, done in runs.items():
                done.append(run_child(kind, path, args.period))
        a, b = (min(done, key=lambda r: r["seconds"]) for done in runs.values())
        mib = 1 / 1024
        for name, r in (("charterc report", a), ("charterc baseline", b)):
            print(f"{name}: {r['seconds']:.2f} s ({r['rows'] / r['seconds']:,.0f} rows/s), "
                  f"peak {r['maxrss_kib'] * mib:.0f} MiB; {r['tickets']:,} tickets in the window")
        print(f"ratio: {b['seconds'] / a['seconds']:.2f}")


if __name__ == "__main__":
    main()
