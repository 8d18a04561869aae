#!/usr/bin/env python3
"""Benchmark: `charterc build` of N charters against `charterc check` of the same files.

Generates N charters (default 1,000) from the bundled examples with varied ids
(the same generator as bench/check_portfolio.py), then times, in one process:

  (a) the check pipeline alone (load, schema, references, every rule);
  (b) the whole build: the check, then every output of every charter in one
      language (charter and agreements in Markdown and HTML, sla.json validated
      against its schema, openslo.yaml), index.html, manifest.json, the swap;

and prints the ratio b/a as the last line (`ratio: 3.10`). Each timing is the
best of --repeat runs, the check and the build taking turns (check, build, check,
build, ...), so that a burst of load on a shared machine falls on both; the garbage
collector runs as the `charterc` program runs it (`charterc.__main__.tune_collector`). Before it,
the build of one charter with --clients and five times as many clients (the bundled
IT charter's clients repeated under new ids; each build in a child process forked from
a warm one, the two sizes in turns, best of --rounds each), whose ratio shows that build
time grows linearly with a charter's clients (5.0 is linear).

Before it, the PDF build (`--format pdf`, WeasyPrint laying out the HTML) of the
first --pdf charters (default 10: a PDF takes some sixty times an HTML
document) against the HTML build of the same charters, per charter, in one
process: `pdf/html ratio: 60.1`. `--pdf 0` leaves it out; without WeasyPrint or
its system libraries it is left out with a note.

    python bench/build_portfolio.py [-n 1000] [--repeat 3] [--lang en] [--pdf 10] [--profile]
                                    [--clients 1000] [--rounds 3]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from check_portfolio import best_of, generate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--today", default="2026-11-27")
    parser.add_argument("--pdf", type=int, default=10, metavar="N",
                        help="charters whose PDF build is timed against their HTML build")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of (b)")
    parser.add_argument("--clients", type=int, default=1000,
                        help="clients of the one-charter build (and five times as many)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="builds of each one-charter size, in turns (best kept)")
    args = parser.parse_args()

    from charterc.__main__ import tune_collector
    from charterc.pipeline import CheckOptions, check_paths
    from charterc.publish.build import build

    tune_collector()  # the garbage collector as the charterc program runs it

    today = date.fromisoformat(args.today)
    by_clients(args.clients, args.lang, today, args.rounds)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "charters"
        source.mkdir()
        paths = generate(source, args.count)
        out = Path(tmp) / "dist"

        def check():
            result = check_paths([source], CheckOptions(today=today))
            if result.exit_code():
                sys.exit(f"generated charters are not clean: {result.diagnostics[0]}")

        def full_build():
            result = build([source], out, langs=[args.lang], formats=["md", "html"], today=today)
            if not result.published:
                sys.exit(f"build failed: {result.log}")
            return result

        result = full_build()  # warm caches and imports (templates compile once per process)
        a, b = best_in_turns(args.repeat, check, full_build)
        if args.profile:
            import cProfile
            import pstats
            cProfile.runctx("full_build()", globals(), locals(), "/tmp/charterc-build.prof")
            pstats.Stats("/tmp/charterc-build.prof").sort_stats("cumulative").print_stats(30)
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        pdf_lines = pdf_against_html(paths[:args.pdf], Path(tmp), args.lang, today)
        print(f"charters: {len(paths)}")
        print(f"files written: {len(result.files) + 1} ({size / 1e6:.1f} MB)")
        print(f"charterc check: {a * 1000:.0f} ms ({a / len(paths) * 1e3:.2f} ms/charter)")
        print(f"charterc build: {b * 1000:.0f} ms ({b / len(paths) * 1e3:.2f} ms/charter)")
        for line in pdf_lines:
            print(line)
        print(f"ratio: {b / a:.2f}")


def best_in_turns(repeat: int, first, second) -> tuple[float, float]:
    """The best time of each of two functions over `repeat` runs, run in turns."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for func, kept in zip((first, second), times, strict=True):
            start = time.perf_counter()
            func()
            kept.append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


def many_clients(count: int) -> str:
    """The bundled IT charter with `count` clients: its own repeated under new ids, each
    with its volume and needs, without stated shares (derived from units) or budgets."""
    import copy
    import json

    from charterc.loaders import load_path

    loaded = load_path(ROOT / "charters" / "it-service-desk.charter.yaml")
    document = copy.deepcopy(loaded.document)
    models = document["clients"]
    clients = []
    for n in range(count):
        client = dict(models[n % len(models)])
        client.pop("share", None)
        client.pop("budget", None)
        client["id"] = f"client-{n:05d}"
        client["name"] = f"Client {n:05d}"
        clients.append(client)
    document["clients"] = clients
    document["metadata"]["id"] = f"many-clients-{count}"
    # the costs and the approval were written for four clients, not thousands
    document["metadata"]["suppress"] = [
        {"rule": "C403", "reason": "costs sized for the bundled clients"},
        {"rule": "G701", "reason": "no primary among repeated clients"}]
    return json.dumps(document)  # JSON is YAML


def by_clients(count: int, lang: str, today: date, rounds: int = 3) -> None:
    """Build time of one charter with `count` and 5 x `count` clients, and their ratio.

    Each build runs in a child forked from this process once it has built the bundled IT
    charter (imports, compiled templates and holiday calendars are warm, as in a second
    build), so that every build starts from the same state, and writes into an empty
    folder: one after the other in one
    process, the larger charter paid for what the smaller one left behind. The two sizes
    take turns, `rounds` times, and each keeps its best time: on a shared machine whose
    speed drifts by a third within a minute, a size built only early or only late would
    be measured on another machine."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from charterc.publish.build import build

    with tempfile.TemporaryDirectory() as tmp:
        warm = build([ROOT / "charters" / "it-service-desk.charter.yaml"], Path(tmp) / "dist",
                     langs=[lang], formats=["md", "html"], today=today, jobs=1)
        if not warm.published:
            sys.exit(f"build of the bundled IT charter failed: {warm.log}")
    sizes = (count, 5 * count)
    sources = {clients: many_clients(clients) for clients in sizes}
    times: dict[int, list[tuple[float, float, float]]] = {clients: [] for clients in sizes}
    for _ in range(rounds):
        for clients in sizes:
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as child:
                times[clients].append(child.submit(one_charter_build, sources[clients], lang,
                                                   today).result())
    best = {clients: min(times[clients]) for clients in sizes}
    for clients, (elapsed, user, system) in best.items():
        print(f"one charter, {clients} clients: build {elapsed:.2f} s (best of {rounds}; "
              f"CPU {user:.2f} s in charterc, {system:.2f} s in the kernel)")
    (small, small_user, _), (large, large_user, _) = best[count], best[sizes[1]]
    # the kernel's share (creating and writing thousands of files) moves the most from
    # one run to the next: the CPU ratio in charterc says how the code grows
    print(f"{sizes[1]} clients / {count} clients, CPU in charterc: "
          f"{large_user / small_user:.2f}")
    print(f"{sizes[1]} clients / {count} clients: {large / small:.2f} (linear: 5.0)")


def one_charter_build(text: str, lang: str, today: date) -> tuple[float, float, float]:
    """In a child: the time of one build of the charter `text` into an empty folder (and
    its CPU time, in charterc and in the kernel), after
    a build of the bundled IT charter (which touches, and so copies, the pages of the
    parent's heap that a build uses: a cost of the fork, not of the charter)."""
    from charterc.loaders import Limits
    from charterc.publish.build import build

    # 5,000 clients make a 2.5 MB charter: over the default 1 MiB bound (P104)
    large = Limits(max_bytes=64 << 20, max_nodes=10_000_000)
    with tempfile.TemporaryDirectory() as tmp:
        build([ROOT / "charters" / "it-service-desk.charter.yaml"], Path(tmp) / "warm",
              langs=[lang], formats=["md", "html"], today=today, jobs=1)
        source = Path(tmp) / "charters"
        source.mkdir()
        (source / "many.charter.yaml").write_text(text, encoding="utf-8")
        # the file system writes back what earlier builds wrote and removed (hundreds of
        # megabytes): done now, not while this one is timed
        os.sync()
        start, cpu = time.perf_counter(), os.times()
        result = build([source], Path(tmp) / "dist", langs=[lang], formats=["md", "html"],
                       today=today, jobs=1, limits=large)
        elapsed, spent = time.perf_counter() - start, os.times()
        if not result.published:
            sys.exit(f"build of one charter failed: {result.log}")
        return elapsed, spent.user - cpu.user, spent.system - cpu.system


def pdf_against_html(paths: list[Path], tmp: Path, lang: str, today: date) -> list[str]:
    """The PDF build of `paths` against their HTML build, per charter (one process)."""
    if not paths:
        return []
    from charterc.publish.build import build
    from charterc.render.pdf import PdfProblem, available
    try:
        available()
    except PdfProblem as exc:
        return [f"pdf: left out ({exc})"]

    def timed(fmt: str) -> float:
        def run() -> None:
            result = build(paths, tmp / f"dist-{fmt}", langs=[lang], formats=[fmt],
                           today=today, jobs=1)
            if not result.published:
                sys.exit(f"{fmt} build failed: {result.log}")
        run()  # warm: templates, fonts
        return best_of(1, run)

    html, pdf = timed("html"), timed("pdf")
    n = len(paths)
    documents = sum(1 for _ in (tmp / "dist-pdf").rglob("*.pdf"))
    return [f"html build of {n} charters: {html / n * 1e3:.1f} ms/charter",
            f"pdf build of {n} charters: {pdf / n * 1e3:.1f} ms/charter "
            f"({pdf / documents * 1e3:.0f} ms/document, {documents} documents)",
            f"pdf/html ratio: {pdf / html:.1f}"]


if __name__ == "__main__":
    main()
