#!/usr/bin/env python3
"""Benchmark: `charterc report` on a million tickets and three million status changes,
against a bare `csv.reader` of the same files.

Writes N tickets (default 1,000,000) for the bundled charter it-service-desk to a
temporary CSV (the clients and priorities of the charter, both tiers' clocks,
opened over the reported month and the two before it, a few still open), and a
status history of H rows (default 3 a ticket: 3,000,000): work starts, the ticket
waits for the client (`Awaiting Customer`), work resumes. The charter is measured
as bundled, and as a copy whose objectives pause on `awaiting-customer` (written
next to the files), so that the history is used. Each step runs in a fresh child
process so that memory figures are its own:

  (a) iterating `csv.reader` over the tickets and the history (the baseline:
      reading, no work);
  (b) `build_report` for the month without pauses (parse, validate, duplicate ids,
      deadlines on the business and calendar clocks, turnaround groups, trend, the
      document), tickets only;
  (c) `build_report` for the month with `--history` on the pausing charter (every
      deadline of a paused ticket moved on its objective's clock);
  (d) the same child with the charter loaded and nothing read (memory floor).

Prints rows per second, peak resident memory (ru_maxrss) of each, and what (c)
keeps beyond the floor per row; the ratio c/a as the last line (`ratio: 2.10`).
The engine is the columnar one (pyarrow and numpy, imported by the child: the floor
does not load them). Memory grows with the ticket ids (duplicate detection: a hash,
the bytes and the line of each), the status history (an instant, a ticket number and
a status code per row, the ids once), the tickets the document lists, and one
integer per resolved ticket of the period (turnaround quantiles).

    python bench/report_tickets.py [-n 1000000] [--history-rows 3000000]
                                   [--period 2026-10] [--keep DIR] [--parquet]

`--parquet` also writes both files as Parquet (text columns, as exports are) and
measures (c) on them.

`--duckdb` compares with what an analyst would write instead: on a copy of the charter
whose tiers are 24x7 with calendar clocks (like with like: a deadline is the opening
plus the target), (e) `build_report` and its JSON documents written as `charterc report
--format json` writes them (the provider's and each client's, and the CSVs of every
breach and pending ticket beside documents that list the first 100), against
(f) DuckDB reading the same CSV and computing each client's response and resolution
met/total (the ticket in the period, its deadline from its client's tier and priority,
breached once the deadline passed without an answer by the period's end, pending if
not yet). The two must
agree on every figure; `duckdb ratio: X` is (e)'s time over (f)'s (DuckDB is a bench
dependency only: `pip install duckdb`). Neither time counts its imports (DuckDB's import
and connect, charterc's pyarrow and numpy).

    python bench/report_tickets.py -n 200000 --duckdb
"""
from __future__ import annotations

import argparse
import contextlib
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


def pausing_charter(path: Path) -> None:
    """The bundled charter with `pause_on: [awaiting-customer]` on every response and
    resolution objective (and, so that the copy checks, a distinct id)."""
    import yaml
    document = yaml.safe_load(CHARTER.read_text(encoding="utf-8"))
    for tier in document["tiers"]:
        for kind in ("response", "resolution"):
            if kind in tier.get("objectives", {}):
                tier["objectives"][kind]["pause_on"] = ["awaiting-customer"]
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True),
                    encoding="utf-8")


def generate(path: Path, count: int, month: str, history: Path | None = None,
             history_rows: int = 0, seed: int = 11) -> int:
    """`count` tickets opened uniformly over `month` and the two months before it; with
    `history`, about `history_rows` status changes (In Progress, Awaiting Customer,
    In Progress: three per ticket until the rows are spent). Returns the rows written."""
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
    written = 0
    per_ticket = history_rows / count if count else 0
    with contextlib.ExitStack() as files:
        changes = None
        if history:
            changes = csv.writer(files.enter_context(
                open(history, "w", encoding="utf-8", newline="")))
            changes.writerow(["id", "at", "status"])
        handle = files.enter_context(open(path, "w", encoding="utf-8", newline=""))
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
            if changes is not None:
                due = round((n + 1) * per_ticket) - written  # spread the rows evenly
                ident, at = f"INC-{n:07d}", response
                for status in ("In Progress", "Awaiting Customer", "In Progress")[:due]:
                    changes.writerow([ident, _iso(at), status])
                    at += 60 * rng.randint(10, 600)
                    written += 1
    return written


def to_parquet(path: Path) -> Path:
    """A Parquet copy of a generated CSV, every column text."""
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    with open(path, encoding="utf-8") as handle:
        names = next(csv.reader(handle))
    table = pcsv.read_csv(path, convert_options=pcsv.ConvertOptions(
        column_types={n: pa.string() for n in names}, strings_can_be_null=False))
    out = path.with_suffix(".parquet")
    pq.write_table(table, out)
    return out


def _iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


# -- children -----------------------------------------------------------------------------

def child(kind: str, path: str, month: str, history: str | None, charter_path: str) -> None:
    from charterc.loaders import load_path
    from charterc.model.charter import build_model
    from charterc.report import build_report, month_period

    loaded = load_path(Path(charter_path))
    charter = build_model(loaded.document)
    span = month_period(month, charter.provider.timezone)
    rows, seconds, extra = 0, 0.0, {}
    files = [path, *([history] if history else [])]
    if kind == "csv":
        began = time.perf_counter()
        for name in files:
            with open(name, encoding="utf-8", newline="") as handle:
                for _ in csv.reader(handle):
                    rows += 1
            rows -= 1
        seconds = time.perf_counter() - began
    elif kind == "duckdb":
        seconds, extra = _duckdb(charter, path, span)
        rows = extra.pop("rows")
    elif kind == "engine":
        written = "--dumps" in sys.argv
        if written:
            # like with like: DuckDB's import and connect are outside its time, so are the
            # engine's imports (pyarrow, numpy) here; numpy.ma is numpy's, which numpy
            # defers until pyarrow first converts an array
            import numpy.ma  # noqa: F401

            from charterc.report import columnar, events, write_reports  # noqa: F401
        began = time.perf_counter()
        result = build_report(charter, loaded, tickets=Path(path), outages=None,
                              start=span.first, end=span.last,
                              history=Path(history) if history else None)
        doc = result.document
        assert doc is not None, [str(d) for d in result.diagnostics[:5]]
        if written:  # what `charterc report --format json` writes: the documents, the CSVs
            with tempfile.TemporaryDirectory() as out:
                write_reports(result, Path(out), ["en"], ["json"])
                seconds = time.perf_counter() - began
            figures = _figures(doc)
        else:
            seconds = time.perf_counter() - began
        for name in files:
            if name.endswith(".parquet"):
                import pyarrow.parquet as pq
                rows += pq.ParquetFile(name).metadata.num_rows
                continue
            with open(name, encoding="utf-8") as handle:
                rows += sum(1 for _ in handle) - 1
        events = [e for c in doc["clients"].values() for e in (*c["breaches"], *c["pending"])]
        extra = {"in_period": sum(c["tickets"]["total"] for c in doc["clients"].values()),
                 "breaches": sum(len(c["breaches"]) for c in doc["clients"].values()),
                 "paused": sum(1 for e in events if e.get("paused_minutes")),
                 "skipped": result.skipped}
        if "--dumps" in sys.argv:
            extra["figures"] = figures
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"rows": rows, "seconds": seconds, "maxrss_kib": peak, **extra}))


def _figures(doc: dict) -> dict[str, list[int]]:
    """client -> [response met, total, pending, resolution met, total, pending]."""
    return {cid: [entry[kind][key] for kind in ("response", "resolution")
                  for key in ("met", "total", "pending")]
            for cid, entry in doc["clients"].items()}


def _duckdb(charter, path: str, span) -> tuple[float, dict]:
    """Seconds DuckDB takes to read the tickets and compute each client's response and
    resolution met/total/pending on calendar deadlines (a 24x7 charter), and the figures."""
    import duckdb

    targets = []  # (client, priority, response seconds, resolution seconds)
    for client in charter.clients:
        objectives = charter.tier_of(client).objectives
        for priority in charter.priorities:
            response = objectives.response.priority_targets.get(priority) \
                if objectives.response else None
            resolution = objectives.resolution.priority_targets.get(priority) \
                if objectives.resolution else None
            targets.append((client.id, priority,
                            None if response is None else int(response.calendar_minutes * 60),
                            None if resolution is None else int(resolution.calendar_minutes * 60)))
    connection = duckdb.connect()
    connection.execute("CREATE TABLE targets (client VARCHAR, priority VARCHAR, "
                       "response BIGINT, resolution BIGINT)")
    connection.executemany("INSERT INTO targets VALUES (?, ?, ?, ?)", targets)
    end = span.end  # an answer after the period's end is not known at its end
    query = f"""
        WITH t AS (
            SELECT client, priority, epoch(opened)::BIGINT AS opened,
                   epoch(first_response)::BIGINT AS answered, epoch(resolved)::BIGINT AS done
            FROM read_csv('{path}', header = true, columns = {{
                'id': 'VARCHAR', 'client': 'VARCHAR', 'priority': 'VARCHAR',
                'opened': 'TIMESTAMPTZ', 'first_response': 'TIMESTAMPTZ',
                'resolved': 'TIMESTAMPTZ', 'channel': 'VARCHAR'}})
        ), d AS (
            SELECT t.client, t.answered, t.done, t.opened + g.response AS due_response,
                   t.opened + g.resolution AS due_resolution
            FROM t JOIN targets g ON g.client = t.client AND g.priority = t.priority
            WHERE t.opened >= {span.start} AND t.opened < {span.end}
        )
        SELECT client,
            count(*) FILTER (answered < {end} AND answered <= due_response),
            count(*) FILTER (answered < {end} OR due_response < {end}),
            count(*) FILTER (NOT coalesce(answered < {end}, false) AND due_response >= {end}),
            count(*) FILTER (done < {end} AND done <= due_resolution),
            count(*) FILTER (done < {end} OR due_resolution < {end}),
            count(*) FILTER (NOT coalesce(done < {end}, false) AND due_resolution >= {end})
        FROM d GROUP BY client ORDER BY client
    """
    began = time.perf_counter()
    found = connection.execute(query).fetchall()
    seconds = time.perf_counter() - began
    rows = connection.execute(f"SELECT count(*) FROM read_csv('{path}', header = true)"
                              ).fetchone()[0]
    return seconds, {"rows": rows, "figures": {row[0]: list(row[1:]) for row in found}}


def twenty_four_seven(path: Path) -> None:
    """The bundled charter with every tier 24x7 and its objectives on the calendar clock
    (and a distinct id), the clients' needed hours dropped (a 24x7 tier covers them)."""
    import yaml
    document = yaml.safe_load(CHARTER.read_text(encoding="utf-8"))
    document["metadata"]["id"] = "it-service-desk-24x7"
    for tier in document["tiers"]:
        tier["hours"] = "24x7"
        for kind in ("response", "resolution"):
            if kind in tier.get("objectives", {}):
                tier["objectives"][kind]["clock"] = "calendar"
    for client in document["clients"]:
        client.get("needs", {}).pop("hours", None)
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True),
                    encoding="utf-8")


def run_child(kind: str, path: Path, month: str, history: Path | None = None,
              charter: Path = CHARTER, *extra: str) -> dict:
    command = [sys.executable, __file__, "--child", kind, str(path), "--period", month,
               "--charter", str(charter), *extra]
    if history is not None:
        command += ["--child-history", str(history)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--count", type=int, default=1_000_000)
    parser.add_argument("--history-rows", type=int, default=None,
                        help="status changes to write (default: 3 a ticket)")
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--keep", help="write the generated files in this folder and keep them")
    parser.add_argument("--parquet", action="store_true",
                        help="also measure the run with history on Parquet copies of the files")
    parser.add_argument("--duckdb", action="store_true",
                        help="also compare with DuckDB on a 24x7 copy of the charter")
    parser.add_argument("--dumps", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--child-history", help=argparse.SUPPRESS)
    parser.add_argument("--charter", default=str(CHARTER), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.period, args.child_history, args.charter)
        return
    history_rows = 3 * args.count if args.history_rows is None else args.history_rows
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path, history = folder / "tickets.csv", folder / "history.csv"
        pausing = folder / "it-service-desk-pausing.charter.yaml"
        pausing_charter(pausing)
        began = time.perf_counter()
        written = generate(path, args.count, args.period, history, history_rows)
        size = path.stat().st_size + history.stat().st_size
        print(f"tickets: {args.count:,}, status changes: {written:,} ({size / 1e6:.0f} MB, "
              f"generated in {time.perf_counter() - began:.1f} s)")
        a = run_child("csv", path, args.period, history)
        b = run_child("engine", path, args.period)
        c = run_child("engine", path, args.period, history, pausing)
        floor = run_child("idle", path, args.period)
        p = None
        if args.parquet:
            p = run_child("engine", to_parquet(path), args.period, to_parquet(history),
                          pausing)
        mib = 1 / 1024
        print(f"csv.reader, both files: {a['seconds']:.2f} s "
              f"({a['rows'] / a['seconds']:,.0f} rows/s), peak {a['maxrss_kib'] * mib:.0f} MiB")
        print(f"charterc report, tickets only: {b['seconds']:.2f} s "
              f"({b['rows'] / b['seconds']:,.0f} rows/s), peak {b['maxrss_kib'] * mib:.0f} MiB; "
              f"{b['in_period']:,} tickets in {args.period}, {b['breaches']:,} breaches listed, "
              f"{b['skipped']} skipped")
        print(f"charterc report --history: {c['seconds']:.2f} s "
              f"({c['rows'] / c['seconds']:,.0f} rows/s), peak {c['maxrss_kib'] * mib:.0f} MiB; "
              f"{c['breaches']:,} breaches listed, {c['paused']:,} listed events paused, "
              f"{c['skipped']} skipped")
        kept = (c["maxrss_kib"] - floor["maxrss_kib"]) * 1024
        print(f"memory floor (charter loaded, nothing read): {floor['maxrss_kib'] * mib:.0f} MiB;"
              f" the run with history keeps {kept / 2**20:.0f} MiB, {kept / c['rows']:.0f} "
              "bytes a row")
        if p is not None:
            print(f"charterc report --history, Parquet files: {p['seconds']:.2f} s "
                  f"({p['rows'] / p['seconds']:,.0f} rows/s), peak "
                  f"{p['maxrss_kib'] * mib:.0f} MiB; {p['breaches']:,} breaches listed")
        if args.duckdb:
            plain = folder / "it-service-desk-24x7.charter.yaml"
            twenty_four_seven(plain)
            ours = [run_child("engine", path, args.period, None, plain, "--dumps")
                    for _ in range(3)]
            theirs = [run_child("duckdb", path, args.period, None, plain) for _ in range(3)]
            e = min(ours, key=lambda r: r["seconds"])
            f = min(theirs, key=lambda r: r["seconds"])
            same = e["figures"] == f["figures"]
            print(f"24x7 charter: charterc report and its JSON {e['seconds']:.2f} s, "
                  f"DuckDB {f['seconds']:.2f} s (best of 3 each); figures "
                  f"{'the same' if same else 'DIFFERENT'}")
            if not same:
                print(f"  charterc {e['figures']}\n  duckdb   {f['figures']}")
            print(f"duckdb ratio: {e['seconds'] / f['seconds']:.2f}")
        print(f"ratio: {c['seconds'] / a['seconds']:.2f}")


if __name__ == "__main__":
    main()
