"""Faults while writing: a full or read-only disk, forged ownership, shared files.

Every file charterc writes appears whole or not at all; a write that fails is a usage error
(exit 2) naming the file and the reason, never an internal error; a file is deleted only
when charterc's marker records it and its bytes are still the ones charterc wrote; `fmt`
keeps a file's owner and its hard links.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from charterc.cli import main

ROOT = Path(__file__).parent.parent
BASE = (ROOT / "charterc/checks/example_base.charter.yaml").read_text()
TODAY = "2026-11-27"


def _run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def _files(folder: Path) -> dict[str, bytes]:
    found = {}
    for parent, _, names in os.walk(folder):
        for name in names:
            path = Path(parent) / name
            found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found


def _usage_error(result: Result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    for word in words:
        assert word in result.output, result.output


def _charters(tmp_path: Path) -> Path:
    charters = tmp_path / "charters"
    charters.mkdir()
    (charters / "example.charter.yaml").write_text(BASE)
    return charters


# -- finding 1: a forged manifest or marker never gets a file deleted ----------------------

def test_a_forged_manifest_never_gets_a_users_file_deleted(tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    (app / "app.js").write_text("console.log('mine')\n")
    digest = hashlib.sha256((app / "app.js").read_bytes()).hexdigest()
    (app / "manifest.json").write_text(json.dumps(
        {"generator": "charterc 0.1.0", "files": [{"path": "app.js", "sha256": digest}]}))
    before = _files(app)
    _usage_error(_run("build", _charters(tmp_path), "-o", app, "--today", TODAY),
                 "not written by charterc build")
    assert _files(app) == before


def test_a_file_listed_in_the_marker_with_other_bytes_is_left_as_it_is(tmp_path):
    charters, site = _charters(tmp_path), tmp_path / "site"
    assert _run("build", charters, "-o", site, "--today", TODAY).exit_code == 0
    (site / "app.js").write_text("console.log('mine')\n")
    marker = json.loads((site / ".charterc-build").read_text())  # claims app.js, wrongly
    if isinstance(marker["files"], dict):
        marker["files"]["app.js"] = "0" * 64
    else:
        marker["files"].append("app.js")
    (site / ".charterc-build").write_text(json.dumps(marker))
    assert _run("build", charters, "-o", site, "--today", TODAY).exit_code == 0
    assert (site / "app.js").read_text() == "console.log('mine')\n"


def test_a_generated_file_a_user_edited_is_not_deleted_nor_replaced(tmp_path):
    charters, site = _charters(tmp_path), tmp_path / "site"
    (charters / "second.charter.yaml").write_text(BASE.replace("id: example", "id: second"))
    assert _run("build", charters, "-o", site, "--today", TODAY).exit_code == 0
    (site / "second" / "sla.json").write_text("edited by hand\n")
    (site / "example" / "sla.json").write_text("edited too\n")
    before = _files(site)
    _usage_error(_run("build", charters, "-o", site, "--today", TODAY),
                 "example/sla.json", "was changed since charterc build wrote it")
    assert _files(site) == before
    (site / "example" / "sla.json").unlink()
    (charters / "second.charter.yaml").unlink()  # its files go, but not the edited one
    assert _run("build", charters, "-o", site, "--today", TODAY).exit_code == 0
    assert (site / "second" / "sla.json").read_text() == "edited by hand\n"
    assert not (site / "second" / "openslo.yaml").exists()


# -- finding 3: init on a full disk ----------------------------------------------------------

def _disk_of(size: int) -> None:
    """In the child: files cannot grow past `size` bytes, as on a disk that is full."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def test_init_on_a_full_disk_leaves_no_file_and_a_second_init_works(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
    (tmp_path / "charters").mkdir()
    command = [sys.executable, "-m", "charterc", "init", "charters"]
    run = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                         preexec_fn=lambda: _disk_of(4096))
    assert run.returncode == 2, run.stderr
    assert "internal error" not in run.stderr and "cannot write" in run.stderr
    assert list((tmp_path / "charters").iterdir()) == []  # no truncated charter, no temporary
    again = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert len((tmp_path / "charters" / "my-service.charter.yaml").read_bytes()) > 4096


def test_init_with_no_space_left_names_the_file_and_the_reason(tmp_path, monkeypatch):
    real = os.fsync

    def full(fd: int) -> None:
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(tmp_path)):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd)

    from charterc.validate.schema import schema_path

    # the repository's schema is there already (init writes it first where it is not)
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "charter.schema.json").write_bytes(Path(schema_path()).read_bytes())
    monkeypatch.setattr(os, "fsync", full)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "charters").mkdir()
    _usage_error(_run("init", "charters"), "cannot write", "my-service.charter.yaml",
                 "No space left on device")
    assert list((tmp_path / "charters").iterdir()) == []


# -- finding 6: fmt, convert -o, check -o, diff -o on a read-only or full disk --------------

def _unformatted() -> str:
    from charterc.authoring.dsl import dump
    from charterc.loaders.yaml import load_text
    return dump(load_text(BASE, "example.charter.yaml").document).replace("\n  ", "\n      ", 3)


def _commands(tmp_path: Path, out: Path) -> dict[str, tuple[list[object], Path]]:
    """Each writing command, with the file it writes."""
    yaml = tmp_path / "in" / "example.charter.yaml"
    dsl = tmp_path / "in" / "dsl" / "svc.charter"
    dsl.parent.mkdir(parents=True, exist_ok=True)
    yaml.write_text(BASE)
    dsl.write_text(_unformatted())
    newer = tmp_path / "in" / "newer.charter.yaml"
    newer.write_text(BASE.replace("title: ", "title: New ", 1))
    return {"fmt": (["fmt", dsl.parent], dsl),
            "convert": (["convert", yaml, "--to", "dsl", "-o", out], out),
            "check": (["check", "--no-cache", yaml, "-o", out], out),
            "diff": (["diff", yaml, newer, "-o", out], out)}


def _fail_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    """Writes under `tmp_path` fail with `code`: at the temporary file (a read-only
    folder) or when its bytes are written (a full disk)."""
    if code == errno.EROFS:
        real = tempfile.mkstemp

        def mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
            if str(kwargs.get("dir", "")).startswith(str(tmp_path)):
                raise OSError(code, os.strerror(code))
            return real(*args, **kwargs)  # type: ignore[call-overload, no-any-return]

        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    else:
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, handle):  # type: ignore[no-untyped-def]
                self.handle = handle

            def __getattr__(self, name):  # type: ignore[no-untyped-def]
                return getattr(self.handle, name)

            def __enter__(self):  # type: ignore[no-untyped-def]
                return self

            def __exit__(self, *exc):  # type: ignore[no-untyped-def]
                self.handle.close()

            def write(self, data):  # type: ignore[no-untyped-def]
                self.handle.write(data[:10])
                raise OSError(code, os.strerror(code))

        def fdopen(fd, *args, **kwargs):  # type: ignore[no-untyped-def]
            handle = real_fdopen(fd, *args, **kwargs)
            if isinstance(fd, int) and os.readlink(f"/proc/self/fd/{fd}").startswith(
                    str(tmp_path)):
                return Full(handle)
            return handle

        monkeypatch.setattr(os, "fdopen", fdopen)


@pytest.mark.parametrize("code", [errno.EROFS, errno.ENOSPC, errno.EACCES])
@pytest.mark.parametrize("command", ["fmt", "convert", "check", "diff"])
def test_a_write_that_fails_is_a_usage_error_and_changes_nothing(tmp_path, monkeypatch,
                                                                 command, code):
    out = tmp_path / "out" / "report.txt"
    out.parent.mkdir()
    out.write_text("the previous output\n")
    args, written = _commands(tmp_path, out)[command]
    before = written.read_bytes()
    _fail_for(tmp_path, monkeypatch, errno.EROFS if code == errno.EACCES else code)
    _usage_error(_run(*args), f"charterc {command}: cannot write", str(written),
                 os.strerror(errno.EROFS if code == errno.EACCES else code))
    assert written.read_bytes() == before
    assert sorted(p.name for p in written.parent.iterdir()) == [written.name]


@pytest.mark.parametrize("command", ["convert", "check", "diff"])
def test_an_output_below_a_file_is_a_usage_error(tmp_path, command):
    (tmp_path / "afile").write_text("mine\n")
    out = tmp_path / "afile" / "report.txt"
    args, _ = _commands(tmp_path, out)[command]
    _usage_error(_run(*args), f"charterc {command}: cannot write", str(out),
                 "afile is a file, not a folder")
    assert (tmp_path / "afile").read_text() == "mine\n"


# -- finding 11: fmt keeps owner and hard links -----------------------------------------------

def test_fmt_keeps_a_charters_hard_links(tmp_path):
    charter = tmp_path / "charters" / "svc.charter"
    charter.parent.mkdir()
    charter.write_text(_unformatted())
    other = tmp_path / "elsewhere.charter"
    os.link(charter, other)
    inode = charter.stat().st_ino
    result = _run("fmt", charter.parent)
    assert result.exit_code == 0 and "reformatted" in result.output, result.output
    assert charter.stat().st_ino == inode == other.stat().st_ino
    assert other.read_text() == charter.read_text() != _unformatted()
    assert _run("fmt", "--check", charter.parent).exit_code == 0


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_fmt_run_as_root_keeps_a_charters_owner(tmp_path):
    charter = tmp_path / "charters" / "svc.charter"
    charter.parent.mkdir()
    charter.write_text(_unformatted())
    os.chown(charter, 12345, 23456)
    os.chmod(charter, 0o640)
    result = _run("fmt", charter.parent)
    assert result.exit_code == 0 and "reformatted" in result.output, result.output
    st = charter.stat()
    assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (12345, 23456, 0o640)
    assert charter.read_text() != _unformatted()
