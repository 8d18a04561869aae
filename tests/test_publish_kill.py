"""`kill -9` at any moment of a build leaves the output folder holding the old build or the
new one, whole, with no build run in between (docs/build.md, "Atomic").

Each build runs in a child forked from this process (charterc already imported, so a build
takes a fraction of a second) and is killed: half of the kills at a random moment of the
build, half aimed at the publishing step itself (the child signals when it reaches it and
waits there a few milliseconds on each side of the exchange). After each kill the folder is
checked as it is: its manifest is one of the two builds', every file it lists has that
sha256, no other file of charterc's is there, and the user's file is untouched.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import time
from collections.abc import Callable
from pathlib import Path

import charterc.publish.folder as folder_module
from charterc.publish.build import build
from charterc.publish.folder import MARKER, STAGING, recover

ROOT = Path(__file__).parent.parent
BASE = (ROOT / "charterc/checks/example_base.charter.yaml").read_text()
TODAY = "2026-11-27"
KILLS = 50
AIM = 0.03  # seconds the child waits on each side of the move into the output


def _versions(tmp_path: Path) -> list[Path]:
    """Two portfolios whose builds differ in every charter and in the files they hold."""
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        folder.mkdir()
    (first / "a.charter.yaml").write_text(BASE)
    (first / "b.charter.yaml").write_text(BASE.replace("id: example", "id: other"))
    (second / "a.charter.yaml").write_text(BASE.replace("title: ", "title: New ", 1))
    (second / "c.charter.yaml").write_text(BASE.replace("id: example", "id: third"))
    return [first, second]


def _build(source: Path, out: Path) -> None:
    assert build([source], out, formats=["md"], today=TODAY_DATE, jobs=1).published


def _whole(out: Path, manifests: list[bytes]) -> int:
    """Which build `out` holds (0 or 1); fails unless it holds one of them whole."""
    manifest = (out / "manifest.json").read_bytes()
    assert manifest in manifests
    listed = {f["path"]: f["sha256"] for f in json.loads(manifest)["files"]}
    for path, digest in listed.items():
        assert hashlib.sha256((out / path).read_bytes()).hexdigest() == digest, path
    present = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert present == {*listed, "manifest.json", MARKER, "CNAME"}
    assert (out / "CNAME").read_text() == "mine\n"
    assert not [p for p in out.iterdir() if p.name.startswith(STAGING)]
    return manifests.index(manifest)


def _killed(work: Callable[[], None], delay: Callable[[int], float]) -> bool:
    """Run `work` in a forked child and kill it (SIGKILL) after `delay(aim)` seconds,
    `aim` being a pipe that the child writes to when it reaches the move. Whether the
    child was killed before it finished."""
    aim_read, aim_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(aim_read)
        os.environ["CHARTERC_AIM_FD"] = str(aim_write)
        try:
            work()
        except BaseException:
            import traceback
            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    os.close(aim_write)
    try:
        wait = delay(aim_read)
        deadline = time.perf_counter() + wait
        while (left := deadline - time.perf_counter()) > 0:
            if os.waitpid(pid, os.WNOHANG)[0]:
                return False  # finished before its moment came
            time.sleep(min(left, 0.0005))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(aim_read)
    return os.WIFSIGNALED(status)


def _aimed(real: Callable[..., None]) -> Callable[..., None]:
    """`real` (the move into the output) announced on the aim pipe, with a pause on each
    side, so that a kill timed from the announcement lands before, during or after it."""
    def move(*args: object) -> None:
        aim = os.environ.get("CHARTERC_AIM_FD")
        if aim is None:  # not in a child: this process completing a journal
            return real(*args)
        os.write(int(aim), b"!")
        time.sleep(AIM)
        real(*args)
        time.sleep(AIM)
    return move


def _at_random(span: float) -> Callable[[int], float]:
    return lambda aim: random.uniform(0, span)


def _at_the_move(aim: int) -> float:
    os.read(aim, 1)  # the child has reached the move (or ended: an empty read)
    return random.uniform(0, 2 * AIM)


TODAY_DATE = __import__("datetime").date.fromisoformat(TODAY)


def test_fifty_kills_leave_the_old_or_the_new_build_whole(tmp_path, monkeypatch):
    versions = _versions(tmp_path)
    manifests = []
    for n, source in enumerate(versions):  # the two builds, and every template warm
        _build(source, tmp_path / f"reference-{n}")
        manifests.append((tmp_path / f"reference-{n}" / "manifest.json").read_bytes())
    out = tmp_path / "dist"
    _build(versions[0], out)
    (out / "CNAME").write_text("mine\n")
    started = time.perf_counter()
    assert not _killed(lambda: _build(versions[1], tmp_path / "timed"), lambda aim: 60.0)
    span = time.perf_counter() - started  # a whole build, the fork included
    monkeypatch.setattr(folder_module, "_exchange", _aimed(folder_module._exchange))
    random.seed(28)
    held, kills = [_whole(out, manifests)], 0
    for n in range(KILLS):
        delay = _at_the_move if n % 2 else _at_random(span)
        other = versions[1 - held[-1]]
        kills += _killed(lambda: _build(other, out), delay)  # noqa: B023 - run at once
        held.append(_whole(out, manifests))
    assert kills >= KILLS * 0.8  # most children were killed before they finished
    assert len(set(held)) == 2   # some kills came after the exchange, some before


def test_kills_while_a_journal_moves_files_are_completed_before_the_folder_is_read(
        tmp_path, monkeypatch):
    """Where the exchange is not available, files move one by one: a killed build leaves
    a journal that the next charterc command completes first (`recover`)."""
    versions = _versions(tmp_path)
    manifests = []
    for n, source in enumerate(versions):
        _build(source, tmp_path / f"reference-{n}")
        manifests.append((tmp_path / f"reference-{n}" / "manifest.json").read_bytes())
    monkeypatch.setattr(folder_module, "_next_folder", lambda folder: None)
    out = tmp_path / "dist"
    _build(versions[0], out)
    (out / "CNAME").write_text("mine\n")
    monkeypatch.setattr(folder_module, "_complete", _aimed(folder_module._complete))
    random.seed(6)
    held = [_whole(out, manifests)]
    for _ in range(10):
        other = versions[1 - held[-1]]
        _killed(lambda: _build(other, out), _at_the_move)  # noqa: B023 - run at once
        recover(out)
        held.append(_whole(out, manifests))
    assert len(set(held)) == 2


def _marker_write_killed(work: Callable[[], None]) -> None:
    """Run `work` in a forked child killed (SIGKILL) at the moment a marker's temporary
    file is complete and about to be renamed into place."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        real = os.replace

        def replace(source: object, target: object) -> None:
            if Path(str(source)).name.startswith(f".{MARKER}."):
                os.kill(os.getpid(), signal.SIGKILL)
            real(source, target)  # type: ignore[arg-type]
        os.replace = replace  # type: ignore[assignment]
        try:
            work()
        finally:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status)


def test_a_kill_while_the_journal_writes_the_marker_leaves_no_temporary_in_the_output(
        tmp_path, monkeypatch):
    versions = _versions(tmp_path)
    manifests = []
    for n, source in enumerate(versions):
        _build(source, tmp_path / f"reference-{n}")
        manifests.append((tmp_path / f"reference-{n}" / "manifest.json").read_bytes())
    monkeypatch.setattr(folder_module, "_next_folder", lambda folder: None)
    out = tmp_path / "dist"
    _build(versions[0], out)
    (out / "CNAME").write_text("mine\n")
    _marker_write_killed(lambda: _build(versions[1], out))
    assert not [p.name for p in out.iterdir() if p.name.startswith(f".{MARKER}.")]
    recover(out)
    assert _whole(out, manifests) == 1


def test_a_marker_temporary_a_killed_run_left_is_removed_and_never_carried(tmp_path):
    """A marker's temporary file in the output (as a charterc that wrote the marker in
    place left it when killed) is charterc's: the next build neither keeps nor carries it,
    while a user's file of a similar name stays."""
    versions = _versions(tmp_path)
    manifests = []
    for n, source in enumerate(versions):
        _build(source, tmp_path / f"reference-{n}")
        manifests.append((tmp_path / f"reference-{n}" / "manifest.json").read_bytes())
    out = tmp_path / "dist"
    _build(versions[0], out)
    (out / "CNAME").write_text("mine\n")
    (out / f".{MARKER}.k1ll3d_x").write_text('{\n  "generator": "charterc')
    (out / "notes").mkdir()
    (out / "notes" / f".{MARKER}.abcdefgh").write_text("a user's file\n")
    _build(versions[1], out)
    assert not (out / f".{MARKER}.k1ll3d_x").exists()
    assert (out / "notes" / f".{MARKER}.abcdefgh").read_text() == "a user's file\n"
    (out / "notes" / f".{MARKER}.abcdefgh").unlink()
    (out / "notes").rmdir()
    assert _whole(out, manifests) == 1
    (out / f".{MARKER}.zzzzzzzz").write_text("")
    recover(out)
    assert _whole(out, manifests) == 1
