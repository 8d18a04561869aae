"""Atomic writes: a failed or interrupted run leaves the previous output untouched.

The new file takes the place of the old one with one rename, so it keeps what the old
one had that a rename would lose: its mode (a 0664 charter stays 0664; a new file gets
the umask's default, as `open` would give it), and its place behind a symlink (the
link's target is rewritten, the link stays a link).
"""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

__all__ = ["default_mode", "write_all", "write_atomic"]


def default_mode() -> int:
    """The mode `open` gives a new file under this process's umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _stage(path: Path, data: bytes) -> str:
    """`data` in a temporary file beside `path`, with the mode `path` has (or would get)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(os.stat(path, follow_symlinks=False).st_mode)
    except FileNotFoundError:
        mode = default_mode()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def write_atomic(path: str | Path, data: bytes, *, follow: bool = True) -> None:
    """Write `data` to a temporary file beside `path`, then rename it into place.

    With `follow`, a symlink at `path` is followed and its target rewritten.
    """
    write_all({path: data}, follow=follow)


def write_all(files: dict, *, follow: bool = True) -> None:
    """Write several files as one set: every file is staged beside its target first, and
    the renames happen only once all are staged (a failure before leaves no file changed)."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            path = Path(os.path.realpath(path)) if follow else Path(path)
            staged.append((_stage(path, data), path))
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
