#!/usr/bin/env python3
"""Benchmark: `charterc check` on N charters against bare CSafeLoader parsing of the same files.

Generates N charters (default 1,000) from the bundled examples with varied ids and
values into a temporary folder, then times, in the same run and process:

  (a) yaml.load(text, Loader=yaml.CSafeLoader) of every file (the baseline);
  (b) the full check pipeline on the same files (load with positions, schema,
      references, every rule);

  (c) the same check with the check cache (docs/cache.md) on an empty cache folder:
      every file checked and its entry written (cold);
  (d) the same again once the cache holds every file: the re-check of an unchanged
      portfolio, as a CI job pays it (warm);

and prints the ratios b/a, c/a and d/a (`cold cache ratio: 1.80`, `warm cache ratio:
0.12`), then b/a as the last line (`ratio: 1.73`). Each timing is the best of
--repeat runs, so a busy machine disturbs it less. The garbage collector runs as the
`charterc` program runs it (`charterc.__main__.tune_collector`).

With --memory, it measures memory instead: `charterc check --no-cache` of the N
charters in a fresh process, whose peak resident size (`ru_maxrss`) is printed as
`peak rss: N MiB`; with --growth-from M as well, the same for M charters first, and
`rss growth: X MiB per file` between the two.

    python bench/check_portfolio.py [-n 1000] [--repeat 3] [--profile]
    python bench/check_portfolio.py --memory -n 5000 --growth-from 1000
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _scaled(text: str, factor: int) -> str:
    """`text` with every amount, units, budget, fixed fee and cost multiplied by `factor`."""
    return re.sub(r"(?m)(\b(?:amount|units|budget|fixed|cost): )(\d+)",
                  lambda m: f"{m[1]}{int(m[2]) * factor}", text)


def generate(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """N charters: the bundled examples with fresh ids and volumes/costs scaled together."""
    sources = sorted((ROOT / "charters").glob("*.charter.yaml"))
    if not sources:
        sys.exit("no bundled charters in charters/")
    rng = random.Random(seed)
    paths = []
    for n in range(count):
        source = sources[n % len(sources)]
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^  id: [a-z][a-z0-9-]*", rf"\g<0>-{n:05d}", text, count=1)
        factor = rng.choice([1, 2, 3])  # costs and units together: recovery unchanged
        text = _scaled(text, factor)
        path = folder / f"{source.name.split('.')[0]}-{n:05d}.charter.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def best_of(repeat: int, func) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--today", default="2026-11-27")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of (b)")
    parser.add_argument("--memory", action="store_true",
                        help="peak memory of `charterc check` of the N charters instead")
    parser.add_argument("--growth-from", type=int, metavar="M",
                        help="with --memory: also M charters, and the growth per file")
    args = parser.parse_args()
    if args.memory:
        memory(args.count, args.growth_from, args.today)
        return

    sys.path.insert(0, str(ROOT))
    from charterc.__main__ import tune_collector
    from charterc.pipeline import CheckOptions, check_paths

    tune_collector()  # the garbage collector as the charterc program runs it

    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(Path(tmp), args.count)
        texts = [p.read_text(encoding="utf-8") for p in paths]  # warm the page cache
        today = date.fromisoformat(args.today)

        def bare():
            for p in paths:
                yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

        def charterc_check(cache=None):
            result = check_paths(paths, CheckOptions(today=today, cache=cache))
            bad = [d for d in result.diagnostics if d.severity.value != "info" and not d.suppressed]
            if bad:
                sys.exit(f"generated charters are not clean: {bad[0]}")

        cache = Path(tmp) / "cache"
        runs = iter(range(1_000_000))

        def cold_cache():  # a fresh folder each time: every entry written
            charterc_check(cache / f"cold-{next(runs)}")

        def warm_cache():
            charterc_check(cache / "warm")

        charterc_check()  # warm caches and imports, as a long-running check would be
        warm_cache()      # fill the cache
        a = best_of(args.repeat, bare)
        b = best_of(args.repeat, charterc_check)
        c = best_of(args.repeat, cold_cache)
        d = best_of(args.repeat, warm_cache)
        if args.profile:
            import cProfile
            import pstats
            cProfile.runctx("charterc_check()", globals(), locals(), "/tmp/charterc.prof")
            pstats.Stats("/tmp/charterc.prof").sort_stats("cumulative").print_stats(25)
        print(f"charters: {len(texts)}")
        print(f"bare CSafeLoader load: {a * 1000:.0f} ms ({a / len(texts) * 1e6:.0f} us/file)")
        print(f"charterc check:        {b * 1000:.0f} ms ({b / len(texts) * 1e6:.0f} us/file)")
        print(f"  cache, cold:         {c * 1000:.0f} ms ({c / len(texts) * 1e6:.0f} us/file)")
        print(f"  cache, warm:         {d * 1000:.0f} ms ({d / len(texts) * 1e6:.0f} us/file)")
        print(f"cold cache ratio: {c / a:.2f}")
        print(f"warm cache ratio: {d / a:.2f}")
        print(f"ratio: {b / a:.2f}")


# `charterc check` in this process, then its peak resident size in KiB (Linux: ru_maxrss)
_PEAK = """
import resource, sys
from charterc.__main__ import run
try:
    run(["check", "--no-cache", "--format", "json", "--output", sys.argv[3], "--today",
         sys.argv[2], sys.argv[1]])
except SystemExit:
    pass
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_rss(count: int, today: str) -> float:
    """MiB: the peak resident size of `charterc check --no-cache` of `count` charters."""
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "charters"
        folder.mkdir()
        generate(folder, count)
        done = subprocess.run([sys.executable, "-c", _PEAK, str(folder), today,
                               str(Path(tmp) / "findings.json")], capture_output=True,
                              text=True, check=True, cwd=ROOT)
        return int(done.stdout.split()[-1]) / 1024


def memory(count: int, growth_from: int | None, today: str) -> None:
    if growth_from is not None:
        small = peak_rss(growth_from, today)
        print(f"charters: {growth_from}, peak rss: {small:.0f} MiB")
    peak = peak_rss(count, today)
    print(f"charters: {count}")
    if growth_from is not None and count != growth_from:
        print(f"rss growth: {(peak - small) / (count - growth_from):.3f} MiB per file "
              f"({growth_from} to {count} charters)")
    print(f"peak rss: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
