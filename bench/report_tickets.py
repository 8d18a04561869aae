#!/usr/bin/env python3
"""Benchmark: `charterc report` on a million tickets against a bare `csv.reader` of the same file.

Writes N tickets (default 1,000,000) for the bundled charter it-service-desk to a
temporary CSV (the clients and priorities of the charter, both tiers' clocks,
opened over the reported month and the two before it, a few still open), then
measures, each in a fresh child process so that memory figures are its own:

  (a) iterating `csv.reader` over the file (the baseline: reading, no work);
  (b) `build_report` for the month (parse, validate, duplicate ids, deadlines on
      the business and calendar clocks, turnaround groups, trend, the document);
  (c) the same child with the charter loaded and nothing read (memory floor).

Prints rows per second, peak resident memory (ru_maxrss) of (a), (b) and (c),
and what (b) keeps beyond the floor per ticket; the ratio b/a as the last line
(`ratio: 14.20`). Memory grows with the ticket ids (duplicate detection) and one
integer per resolved ticket of the period (turnaround quantiles), not with rows.

    python bench/report_tickets.py [-n 1000000] [--period 2026-10] [--keep FILE]
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHARTER = ROOT / "charters" / "it-service-desk.charter.yaml"

# calendar minutes to a first response / a resolution, by priority: most in time, some late
_RESPONSE = {"P1": (5, 40), "P2": (20, 300), "P3": (60, 900), "P4": (120, 2400)}
_RESOLUTION = {"P1": (60, 600), "P2": (240, 3000), "P3": (600, 9000), "P4": (1200, 18000)}


def generate(path: Path, count: int, month: str, seed: int = 11) -> None:
    """`count` tickets opened uniformly over `month` and the two months before it."""
    sys.path.insert(0, str(ROOT))
    from charterc.loaders import load_path
    from charterc.model.charter import build_model

    charter = build_model(load_path(CHARTER).document)
    clients = [c.id for c in charter.clients]
    priorities = list(charter.priorities)
    year, mon = (int(x) for x in month.split("-"))
    end = datetime(year, mon, 1, tzinfo=UTC) + timedelta(days=31)
    end = end.replace(day=1)
    start = (datetime(year, mon, 1, tzinfo=UTC) - timedelta(days=59)).replace(day=1)
    span = int((end - start).total_seconds())
    rng = random.Random(seed)
    base = int(start.timestamp())
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "client", "priority", "opened", "first_response", "resolved",
                      "channel"])
        for n in range(count):
            opened = base + rng.randrange(span)
            priority = priorities[min(int(rng.expovariate(0.8)), len(priorities) - 1)]
            lo, hi = _RESPONSE[priority]
            response = opened + 60 * rng.randint(lo, hi)
            lo, hi = _RESOLUTION[priority]
            resolved = response + 60 * rng.randint(lo, hi)
            open_ticket = rng.random() < 0.02
            out.writerow([f"INC-{n:07d}", clients[n % len(clients)], priority,
                          _iso(opened), "" if open_ticket and rng.random() < 0.5 else
                          _iso(response), "" if open_ticket else _iso(resolved),
                          rng.choice(("phone", "portal", "email"))])


def _iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


# -- children -----------------------------------------------------------------------------

def child(kind: str, path: str, month: str) -> None:
    from charterc.loaders import load_path
    from charterc.model.charter import build_model
    from charterc.report import build_report, month_period

    loaded = load_path(CHARTER)
    charter = build_model(loaded.document)
    span = month_period(month, charter.timezone)
    rows, seconds, extra = 0, 0.0, {}
    if kind == "csv":
        began = time.perf_counter()
        with open(path, encoding="utf-8", newline="") as handle:
            for _ in csv.reader(handle):
                rows += 1
        seconds = time.perf_counter() - began
        rows -= 1
    elif kind == "engine":
        began = time.perf_counter()
        result = build_report(charter, loaded, tickets=Path(path), outages=None,
                              start=span.first, end=span.last)
        seconds = time.perf_counter() - began
        doc = result.document
        with open(path, encoding="utf-8") as handle:
            rows = sum(1 for _ in handle) - 1
        extra = {"in_period": sum(c["tickets"]["total"] for c in doc["clients"].values()),
                 "breaches": sum(len(c["breaches"]) for c in doc["clients"].values()),
                 "skipped": result.skipped}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"rows": rows, "seconds": seconds, "maxrss_kib": peak, **extra}))


def run_child(kind: str, path: Path, month: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", kind, str(path),
                           "--period", month], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--count", type=int, default=1_000_000)
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--keep", help="write the generated CSV here and keep it")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.period)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep) if args.keep else Path(tmp) / "tickets.csv"
        began = time.perf_counter()
        generate(path, args.count, args.period)
        size = path.stat().st_size
        print(f"tickets: {args.count:,} ({size / 1e6:.0f} MB, generated in "
              f"{time.perf_counter() - began:.1f} s)")
        a = run_child("csv", path, args.period)
        b = run_child("engine", path, args.period)
        floor = run_child("idle", path, args.period)
        mib = 1 / 1024
        print(f"csv.reader: {a['seconds']:.2f} s ({a['rows'] / a['seconds']:,.0f} rows/s), "
              f"peak {a['maxrss_kib'] * mib:.0f} MiB")
        print(f"charterc report: {b['seconds']:.2f} s ({b['rows'] / b['seconds']:,.0f} rows/s), "
              f"peak {b['maxrss_kib'] * mib:.0f} MiB; {b['in_period']:,} tickets in "
              f"{args.period}, {b['breaches']:,} breaches listed, {b['skipped']} skipped")
        kept = (b["maxrss_kib"] - floor["maxrss_kib"]) * 1024
        print(f"memory floor (charter loaded, nothing read): {floor['maxrss_kib'] * mib:.0f} MiB;"
              f" the run keeps {kept / 2**20:.0f} MiB, {kept / b['rows']:.0f} bytes a ticket")
        print(f"ratio: {b['seconds'] / a['seconds']:.2f}")


if __name__ == "__main__":
    main()
