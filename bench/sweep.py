#!/usr/bin/env python3
"""Sweep: thousands of hostile inputs through charterc's commands; no internal error allowed.

Each input (`sweep_inputs.py`: mutated charters in YAML and the DSL, broken tickets CSVs,
hostile templates, malformed language-server frames) runs in an empty folder of its own,
through the entry point the `charterc` program uses (`charterc.cli.main`, driven by click's
test runner, in a few worker processes), with a time limit. The language-server inputs are
sent as raw bytes to `charterc lsp` processes, each input followed by a probe request the
server must answer. Every outcome is one of:

    exit 0, exit 1, exit 2   the command's own answer (clean, findings, usage error)
    answered                 lsp: the server answered the probe after the input
    internal error           "internal error" on stderr, an X001 finding, a JSON-RPC
                             internal error (-32603), or a language server that died
    traceback                an exception out of the command, or a traceback printed
    hang                     no answer within --timeout seconds (the worker is killed)
    write outside            a file changed outside the output folder the command was given
    raw control              a terminal control character printed unescaped

The last line is the summary, `sweep: N inputs, X internal errors, Y tracebacks, Z hangs`;
the exit status is 1 when any input ended in one of the last five outcomes.

    python bench/sweep.py [--count 10000] [--seed 28] [--jobs 2] [--timeout 40]
    python bench/sweep.py --replay INDEX [--seed 28]   # one input, its files kept

docs/reliability.md describes what it covers.
"""
from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import re
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from multiprocessing.connection import Connection, wait
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sweep_inputs import TODAY, WEIGHTS, Case, case, frame, message

FAILURES = ("internal error", "traceback", "hang", "write outside", "raw control")
# C0 controls but tab, newline and carriage return; DEL; C1 controls
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MEMORY_LIMIT = 4 << 30  # a template asking for 10 GB fails here instead of swapping the machine
PROBE_SECONDS = 5.0


# -- one input, in a worker ---------------------------------------------------------------

def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):
            if not path.is_dir():
                stat = path.lstat()
                found[path.relative_to(folder).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return found


def _outside(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]],
             writable: tuple[str, ...]) -> list[str]:
    """The paths that changed, appeared or went, except under `writable`."""
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    return sorted(p for p in changed if not p.startswith(writable))


def _classify(code: int, stdout: str, stderr: str, exception: BaseException | None) -> str:
    if exception is not None:
        return "traceback"
    if "Traceback (most recent call last)" in stdout + stderr:
        return "traceback"
    if "internal error" in stderr:  # the program's handler, or a file's X001 finding
        return "internal error"
    if RAW_CONTROL.search(stderr) or RAW_CONTROL.search(stdout):
        return "raw control"
    return f"exit {code}"


def run_cli(item: Case, folder: Path) -> tuple[str, str]:
    """Run one command line input in `folder`: (outcome, detail)."""
    from click.testing import CliRunner

    from charterc.cli import main

    for name, data in item.files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    (folder / "out").mkdir(exist_ok=True)
    before = _snapshot(folder)
    os.chdir(folder)
    try:
        # a fresh process shows each warning once: so does each input
        with warnings.catch_warnings():
            # color=True: the text exactly as printed (the runner strips ANSI sequences
            # otherwise, and would hide one that a charter smuggled to the terminal)
            result = CliRunner().invoke(main, item.args, catch_exceptions=True, color=True)
    finally:
        os.chdir("/")
    exception = result.exception if not isinstance(result.exception, SystemExit) else None
    stderr = result.stderr
    # --color asks for ANSI sequences on standard output: only standard error is judged
    stdout = "" if "--color" in item.args else result.stdout
    outcome = _classify(result.exit_code, stdout, stderr, exception)
    detail = ""
    if exception is not None:
        detail = f"{type(exception).__name__}: {exception}"
    elif outcome in ("internal error", "traceback"):
        detail = next((line for line in (stderr + result.stdout).splitlines()
                       if "internal error" in line or "Error" in line), stderr[-300:])
    elif outcome == "raw control":
        text = stderr if RAW_CONTROL.search(stderr) else stdout
        match = RAW_CONTROL.search(text)
        detail = repr(text[max(0, match.start() - 60):match.end() + 20]) if match else ""
    outside = _outside(before, _snapshot(folder), item.writable)
    if outside and outcome not in ("internal error", "traceback"):
        return "write outside", ", ".join(outside[:5])
    return outcome, detail[:400]


class Server:
    """A `charterc lsp` process, read with a deadline, its stderr kept in a file."""

    def __init__(self, folder: Path) -> None:
        self.log = open(folder / "lsp-stderr.log", "w+b")  # noqa: SIM115 (lives with the server)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "charterc", "lsp", "--today", TODAY, "--debounce", "0"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, cwd=folder)
        self.buffer = b""
        self.next_id = 1_000_000
        self.send(frame(message("initialize", {"processId": None, "rootUri": None,
                                               "capabilities": {}}, 1)))
        if self.answer(1, 30.0) is None:
            raise RuntimeError("charterc lsp did not start")
        self.send(frame(message("initialized", {})))

    def send(self, data: bytes) -> bool:
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(data)
            self.process.stdin.flush()
            return True
        except (BrokenPipeError, OSError):
            return False

    def answer(self, ident: int, seconds: float) -> list[bytes] | None:
        """The messages read until the response to `ident`, or None past `seconds`."""
        assert self.process.stdout is not None
        deadline = time.monotonic() + seconds
        token = re.compile(rb'"id":\s*%d\b' % ident)
        while not token.search(self.buffer):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.process.stdout], [], [], left)[0]:
                return None
            chunk = os.read(self.process.stdout.fileno(), 1 << 16)
            if not chunk:
                return None
            self.buffer += chunk
        messages, self.buffer = [self.buffer], b""
        return messages

    def stderr(self) -> str:
        self.log.seek(0)
        text = self.log.read().decode("utf-8", "replace")
        self.log.seek(0)
        self.log.truncate()
        return text

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        self.log.close()


def run_lsp(item: Case, state: dict[str, Server], folder: Path) -> tuple[str, str]:
    """Send one input's frames to the worker's server, then a probe: (outcome, detail)."""
    server = state.get("server")
    if server is None or server.process.poll() is not None:
        server = state["server"] = Server(folder)
    for data in item.frames:
        server.send(data)
    outcome, detail = "answered", ""
    probes = 0
    replies = None
    while replies is None and probes < 2:  # a client asks again after a silence
        server.next_id += 1
        probes += 1
        server.send(frame(message("sweep/probe", {}, server.next_id)))
        replies = server.answer(server.next_id, 1.0 if probes == 1 else PROBE_SECONDS)
    stderr = server.stderr()
    output = b"".join(replies or []).decode("utf-8", "replace")
    if server.process.poll() is not None:
        outcome, detail = "internal error", f"server died: {stderr.strip()[-300:]}"
    elif replies is None:
        outcome, detail = "hang", "no answer to a request after the input"
    elif "Traceback (most recent call last)" in stderr:
        outcome, detail = "traceback", stderr.strip()[-300:]
    elif "internal error" in stderr or "-32603" in output or '"X001"' in output:
        outcome = "internal error"
        detail = (stderr.strip() or output)[-300:]
    if outcome in ("internal error", "hang"):
        server.close()
        state.pop("server")
    return outcome, detail


def _worker(connection: Connection, seed: int, base: str) -> None:
    os.setsid()  # its own process group: a hang is killed with whatever it started
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    state: dict[str, Server] = {}
    server_home = Path(tempfile.mkdtemp(dir=base, prefix="lsp-"))
    while True:
        index = connection.recv()
        if index is None:
            break
        item = case(seed, index)
        folder = Path(tempfile.mkdtemp(dir=base, prefix=f"{index}-"))
        started = time.monotonic()
        try:
            if item.command == "lsp":
                outcome, detail = run_lsp(item, state, server_home)
            else:
                outcome, detail = run_cli(item, folder)
        except Exception as exc:  # the sweep's own failure: reported, never hidden
            outcome, detail = "traceback", f"sweep: {type(exc).__name__}: {exc}"
        shutil.rmtree(folder, ignore_errors=True)
        connection.send((index, outcome, detail, time.monotonic() - started))
    if "server" in state:
        state["server"].close()


# -- the run ------------------------------------------------------------------------------

class Pool:
    """Worker processes, each given one input at a time and killed when it overstays."""

    def __init__(self, jobs: int, seed: int, base: str) -> None:
        self.seed, self.base = seed, base
        self.context = multiprocessing.get_context("fork")
        self.workers: dict[Connection, tuple[multiprocessing.process.BaseProcess,
                                             int | None, float]] = {}
        for _ in range(jobs):
            self._start()

    def _start(self) -> Connection:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker, args=(child, self.seed, self.base),
                                       daemon=True)
        process.start()
        child.close()
        self.workers[parent] = (process, None, 0.0)
        return parent

    def _kill(self, connection: Connection) -> None:
        process, _, _ = self.workers.pop(connection)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the worker's group: a build's workers too
        process.join()
        connection.close()

    def run(self, indexes: list[int], timeout: float):
        """Yield (index, outcome, detail, seconds) for every index, in the order they finish."""
        pending = list(reversed(indexes))
        while pending or any(busy is not None for _, busy, _ in self.workers.values()):
            for connection, (process, busy, _) in list(self.workers.items()):
                if busy is None and pending:
                    index = pending.pop()
                    connection.send(index)
                    self.workers[connection] = (process, index, time.monotonic())
            for connection in wait(list(self.workers), timeout=1.0):
                process, busy, started = self.workers[connection]
                try:
                    index, outcome, detail, seconds = connection.recv()
                except (EOFError, OSError):  # the worker died (killed by the memory limit)
                    self._kill(connection)
                    self._start()
                    yield busy, "internal error", "the process died", time.monotonic() - started
                    continue
                self.workers[connection] = (process, None, 0.0)
                yield index, outcome, detail, seconds
            now = time.monotonic()
            for connection, (_, busy, started) in list(self.workers.items()):
                if busy is not None and now - started > timeout:
                    self._kill(connection)
                    self._start()
                    yield busy, "hang", f"still running after {timeout:.0f} s", now - started

    def close(self) -> None:
        for connection in list(self.workers):
            with contextlib.suppress(OSError):
                connection.send(None)
            process, _, _ = self.workers.pop(connection)
            process.join(10)
            if process.is_alive():
                os.killpg(process.pid, signal.SIGKILL)


def _print_table(results: dict[int, tuple[str, str, str]], spent: Counter[str]) -> None:
    """Inputs per command and outcome, and the seconds each command took in all."""
    counts = Counter((command, outcome) for command, outcome, _ in results.values())
    outcomes = sorted({outcome for _, outcome in counts},
                      key=lambda o: (o in FAILURES, o))
    width = max(len(o) for o in outcomes)
    print(f"{'':9}" + "".join(f"{o:>{max(width, 9) + 1}}" for o in outcomes) + f"{'total':>8}"
          + f"{'seconds':>9}")
    for command in WEIGHTS:
        row = [counts[command, o] for o in outcomes]
        print(f"{command:9}" + "".join(f"{n:>{max(width, 9) + 1}}" for n in row)
              + f"{sum(row):>8}{spent[command]:>9.0f}")


def sweep(count: int, seed: int, jobs: int, timeout: float, show: int) -> int:
    import charterc.cli  # noqa: F401  (imported once, before the workers fork)
    from charterc.lsp import available

    if not available():
        sys.exit("sweep: the language server needs charterc[lsp] (pygls); install it first")
    base = tempfile.mkdtemp(prefix="charterc-sweep-")
    os.environ.setdefault("MPLCONFIGDIR", os.path.join(base, "matplotlib"))
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    started = time.monotonic()
    results: dict[int, tuple[str, str, str]] = {}
    spent: Counter[str] = Counter()
    pool = Pool(jobs, seed, base)
    try:
        for index, outcome, detail, seconds in pool.run(list(range(count)), timeout):
            results[index] = (case(seed, index).command, outcome, detail)
            spent[results[index][0]] += seconds
            if len(results) % 1000 == 0 and len(results) < count:  # CI's log shows it moving
                print(f"sweep: {len(results)} of {count} inputs, "
                      f"{time.monotonic() - started:.0f} s", flush=True)
    finally:
        pool.close()
        shutil.rmtree(base, ignore_errors=True)
    _print_table(results, spent)
    failed = sorted(i for i, (_, outcome, _) in results.items() if outcome in FAILURES)
    for index in failed[:show]:
        command, outcome, detail = results[index]
        print(f"  #{index} {command}: {outcome}: {case(seed, index).what[:160]!r}: "
              f"{detail[:240]!r}")
    if len(failed) > show:
        print(f"  ... and {len(failed) - show} more (--show N lists more)")
    outcomes = Counter(outcome for _, outcome, _ in results.values())
    for extra in ("write outside", "raw control"):
        if outcomes[extra]:
            print(f"sweep: {outcomes[extra]} {extra}")
    print(f"sweep: seed {seed}, {jobs} jobs, {time.monotonic() - started:.0f} s")
    print(f"sweep: {len(results)} inputs, {outcomes['internal error']} internal errors, "
          f"{outcomes['traceback']} tracebacks, {outcomes['hang']} hangs")
    return 1 if failed else 0


def replay(index: int, seed: int) -> int:
    """Run one input in a kept folder; print its command line and outcome."""
    item = case(seed, index)
    folder = Path(tempfile.mkdtemp(prefix=f"charterc-sweep-{index}-"))
    print(f"#{index} {item.command}: {item.what}")
    print(f"in {folder}: charterc {' '.join(repr(a) if ' ' in a else a for a in item.args)}")
    if item.command == "lsp":
        for data in item.frames:
            print(f"  frame {data[:200]!r}")
        outcome, detail = run_lsp(item, {}, folder)
    else:
        outcome, detail = run_cli(item, folder)
    print(f"{outcome}: {detail}")
    return 1 if outcome in FAILURES else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="Inputs (default 10,000).")
    parser.add_argument("--seed", type=int, default=28, help="The generator's seed.")
    parser.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1),
                        help="Worker processes (default: the CPU count, at most 4).")
    parser.add_argument("--timeout", type=float, default=40.0,
                        help="Seconds an input may take before it counts as a hang.")
    parser.add_argument("--show", type=int, default=60, help="Failures listed (default 60).")
    parser.add_argument("--replay", type=int, metavar="INDEX", help="Run this input alone.")
    options = parser.parse_args()
    if options.replay is not None:
        return replay(options.replay, options.seed)
    return sweep(options.count, options.seed, max(1, options.jobs), options.timeout,
                 options.show)


if __name__ == "__main__":
    sys.exit(main())
