#!/usr/bin/env python3
"""Benchmark: a report's peak memory is bounded by the period's tickets, not the file's.

Writes two tickets files for the bundled charter it-service-desk (the clients,
priorities and clocks of `bench/report_tickets.py`):

  (a) SMALL rows (default 200,000), every one opened in the reported month;
  (b) LARGE rows (default 4,000,000) opened over twenty months at the same rate, so
      that the reported month holds as many tickets as (a): twelve months of trend
      before it, six months after it, and one more month before the trend.

Then measures `build_report` for the month on each file in a fresh child process and
prints the peak resident memory of each (`resource.getrusage(RUSAGE_CHILDREN)`,
ru_maxrss of the child, read by an intermediate process so that each figure is one
run's own) and their ratio (`ratio: 1.12`, the last line). The files are written once
into `--keep` (default /tmp/charterc-report-memory) and reused when they are there
with the same sizes: writing four million rows takes a minute or two.

    python bench/report_memory.py [--small 200000] [--large 4000000]
                                  [--period 2026-10] [--keep DIR] [--fresh]
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHARTER = ROOT / "charters" / "it-service-desk.charter.yaml"

_RESPONSE = {"P1": (5, 40), "P2": (20, 300), "P3": (60, 900), "P4": (120, 2400)}
_RESOLUTION = {"P1": (60, 600), "P2": (240, 3000), "P3": (600, 9000), "P4": (1200, 18000)}
BEFORE, AFTER = 13, 6   # months of tickets before and after the reported one (large file)


def _month(first: date, shift: int) -> date:
    index = first.year * 12 + first.month - 1 + shift
    return date(index // 12, index % 12 + 1, 1)


def _utc(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def generate(path: Path, count: int, month: str, months_before: int, months_after: int,
             seed: int = 17) -> None:
    """`count` tickets opened uniformly over `month` and the months around it, written
    by opening time (as exports are)."""
    from charterc.loaders import load_path
    from charterc.model.charter import build_model

    charter = build_model(load_path(CHARTER).document)
    clients = [c.id for c in charter.clients]
    priorities = list(charter.priorities)
    year, mon = (int(x) for x in month.split("-"))
    first = date(year, mon, 1)
    start, end = _utc(_month(first, -months_before)), _utc(_month(first, months_after + 1))
    span = end - start
    rng = random.Random(seed)
    opened_all = sorted(start + rng.randrange(span) for _ in range(count))
    tmp = path.with_suffix(".part")
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "client", "priority", "opened", "first_response", "resolved",
                      "channel"])
        stamp = "%Y-%m-%dT%H:%M:%S+00:00"
        for n, opened in enumerate(opened_all):
            priority = priorities[min(int(rng.expovariate(0.8)), len(priorities) - 1)]
            lo, hi = _RESPONSE[priority]
            response = opened + 60 * rng.randint(lo, hi)
            lo, hi = _RESOLUTION[priority]
            resolved = response + 60 * rng.randint(lo, hi)
            out.writerow([f"INC-{n:08d}", clients[n % len(clients)], priority,
                          datetime.fromtimestamp(opened, UTC).strftime(stamp),
                          datetime.fromtimestamp(response, UTC).strftime(stamp),
                          datetime.fromtimestamp(resolved, UTC).strftime(stamp),
                          ("phone", "portal", "email")[n % 3]])
    tmp.replace(path)


def child(path: str, month: str) -> None:
    from charterc.loaders import load_path
    from charterc.model.charter import build_model
    from charterc.report import build_report, month_period

    loaded = load_path(CHARTER)
    charter = build_model(loaded.document)
    span = month_period(month, charter.provider.timezone)
    began = time.perf_counter()
    result = build_report(charter, loaded, tickets=Path(path), outages=None,
                          start=span.first, end=span.last)
    seconds = time.perf_counter() - began
    doc = result.document
    assert doc is not None, [str(d) for d in result.diagnostics[:5]]
    print(json.dumps({"seconds": seconds, "skipped": result.skipped,
                      "in_period": sum(c["tickets"]["total"] for c in doc["clients"].values()),
                      "trend_months": len(next(iter(doc["clients"].values()))["trend"])}))


def measure(path: str, month: str) -> None:
    """Run the child, then print its figures with its peak RSS (RUSAGE_CHILDREN)."""
    done = subprocess.run([sys.executable, __file__, "--child", path, "--period", month],
                          capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["maxrss_kib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps(figures))


def run(path: Path, month: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--measure", str(path), "--period", month],
                          capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=int, default=200_000)
    parser.add_argument("--large", type=int, default=4_000_000)
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--keep", default="/tmp/charterc-report-memory")
    parser.add_argument("--fresh", action="store_true", help="write the files again")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.period)
        return
    if args.measure:
        measure(args.measure, args.period)
        return
    folder = Path(args.keep)
    folder.mkdir(parents=True, exist_ok=True)
    months = BEFORE + 1 + AFTER
    small = folder / f"tickets-{args.period}-{args.small}.csv"
    large = folder / f"tickets-{args.period}-{args.large}-{months}m.csv"
    for path, count, before, after in ((small, args.small, 0, 0),
                                       (large, args.large, BEFORE, AFTER)):
        if args.fresh or not path.exists():
            began = time.perf_counter()
            generate(path, count, args.period, before, after)
            print(f"wrote {path} ({count:,} rows, {path.stat().st_size / 1e6:.0f} MB) in "
                  f"{time.perf_counter() - began:.0f} s")
        else:
            print(f"reusing {path} ({path.stat().st_size / 1e6:.0f} MB)")
    a = run(small, args.period)
    b = run(large, args.period)
    mib = 1 / 1024
    print(f"{args.small:,}-row file: {a['in_period']:,} tickets in {args.period}, "
          f"{a['seconds']:.1f} s, peak {a['maxrss_kib'] * mib:.0f} MiB")
    print(f"{args.large:,}-row file: {b['in_period']:,} tickets in {args.period} "
          f"({b['trend_months']} trend months), {b['seconds']:.1f} s, "
          f"peak {b['maxrss_kib'] * mib:.0f} MiB")
    print(f"ratio: {b['maxrss_kib'] / a['maxrss_kib']:.2f}")


if __name__ == "__main__":
    main()
