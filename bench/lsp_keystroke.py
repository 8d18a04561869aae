#!/usr/bin/env python3
"""Benchmark: keystroke to diagnostics in `charterc lsp`, against a fresh `charterc check`.

The server runs as an editor runs it (`python -m charterc lsp` over stdio, driven by
pygls' client). The charter is opened and its first diagnostics awaited (the lazy
work: schema validator, holiday calendars, zones); then each keystroke is one
incremental one-character edit (a digit of a client's volume, flipped and flipped
back, so every rule runs on every edit) and the time is taken from sending
`didChange` to receiving the `publishDiagnostics` of that version, debounce
included. The baseline is the wall time of `charterc check --no-cache` of the same
file in a fresh process. Both are medians; the last line is their ratio
(`ratio: 0.25`: a keystroke costs a quarter of a command-line check).

The first diagnostics are timed too, as an editor that starts the server when a charter
is opened waits for them: from starting the server's process (then `initialize`,
`initialized` and `didOpen` at once) to the `publishDiagnostics` of the opened version.
`first diagnostics ratio: X` is that time over the same fresh `charterc check`.

    python bench/lsp_keystroke.py [FILE] [--keystrokes 40] [--runs 10] [--debounce 50]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60.0
# both run from bytecode, as after `pip install`
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _digit(text: str) -> types.Position:
    """The position of the last digit of the first `units: N` (a client's volume)."""
    match = re.search(r"units: \d+", text) or re.search(r"volume \d+", text)
    if match is None:
        sys.exit("no client volume to edit in this file")
    index = match.end() - 1
    line = text.count("\n", 0, index)
    return types.Position(line=line, character=index - (text.rfind("\n", 0, index) + 1))


async def keystrokes(path: Path, count: int, today: str, debounce: int
                     ) -> tuple[float, list[float]]:
    """Seconds from starting the server to the opened file's diagnostics, and from each
    one-character edit to its diagnostics."""
    client = LanguageClient("charterc-bench", "1")
    published: dict[int, float] = {}
    arrived = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def collect(params: types.PublishDiagnosticsParams) -> None:
        published[params.version or 0] = time.perf_counter()
        arrived.set()

    async def until(version: int) -> float:
        while version not in published:
            arrived.clear()
            await asyncio.wait_for(arrived.wait(), TIMEOUT)
        return published[version]

    launched = time.perf_counter()
    await client.start_io(sys.executable, "-m", "charterc", "lsp", cwd=str(ROOT), env=ENV)
    await asyncio.wait_for(client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(),
        initialization_options={"today": today, "debounce": debounce})), TIMEOUT)
    client.initialized(types.InitializedParams())
    text = path.read_text(encoding="utf-8")
    uri = from_fs_path(str(path.resolve())) or ""
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="charter" if path.suffix == ".charter" else "yaml", version=1,
        text=text)))
    first = await until(1) - launched
    where = _digit(text)
    line = text.splitlines()[where.line]
    original = line[where.character]
    times: list[float] = []
    for version in range(2, count + 2):
        digit = original if version % 2 else str((int(original) + 1) % 10)
        sent = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(
                range=types.Range(start=where, end=types.Position(
                    line=where.line, character=where.character + 1)),
                text=digit)]))
        times.append(await until(version) - sent)
    await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
    client.exit(None)
    await asyncio.wait_for(client.stop(), TIMEOUT)
    return first, times


def fresh_check(path: Path, runs: int, today: str, warm: bool = True) -> list[float]:
    """Wall seconds of `charterc check --no-cache` of the file in a fresh process."""
    command = [sys.executable, "-m", "charterc", "check", "--no-cache", "--today", today,
               str(path)]
    if warm:  # the page cache, and the bytecode
        subprocess.run(command, capture_output=True, check=False, env=ENV)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False, env=ENV)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", nargs="?", default=str(ROOT / "charters" /
                                                      "it-service-desk.charter.yaml"))
    parser.add_argument("--keystrokes", type=int, default=40)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--opens", type=int, default=5,
                        help="server starts timed to their first diagnostics (median)")
    parser.add_argument("--debounce", type=int, default=50, help="the server's, in ms")
    parser.add_argument("--today", default="2026-11-27")
    args = parser.parse_args()
    path = Path(args.file)

    firsts = []
    typed: list[float] = []
    checked: list[float] = []
    for index in range(args.opens):  # a server start, then a fresh check: load falls on both
        first, times = asyncio.run(keystrokes(path, args.keystrokes if index == 0 else 0,
                                              args.today, args.debounce))
        firsts.append(first)
        typed += times
        checked += fresh_check(path, max(1, args.runs // args.opens), args.today,
                               warm=index == 0)
    keystroke, check = statistics.median(typed), statistics.median(checked)
    opened = statistics.median(firsts)
    print(f"file: {args.file}")
    print(f"keystrokes: {len(typed)} (debounce {args.debounce} ms)")
    print(f"keystroke to diagnostics: {keystroke * 1000:.0f} ms median, "
          f"{max(typed) * 1000:.0f} ms at most "
          f"({(keystroke - args.debounce / 1000) * 1000:.0f} ms after the debounce)")
    print(f"charterc check, fresh process: {check * 1000:.0f} ms median of {len(checked)}")
    print(f"server start to first diagnostics: {opened * 1000:.0f} ms median of "
          f"{len(firsts)}")
    print(f"ratio: {keystroke / check:.2f}")
    print(f"first diagnostics ratio: {opened / check:.2f}")


if __name__ == "__main__":
    main()
