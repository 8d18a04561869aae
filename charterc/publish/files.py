"""Atomic writes: a failed or interrupted run leaves the previous output untouched.

Every file charterc writes goes through here. The new bytes are written in full to a
temporary file beside the target and flushed to the disk (fsync) before one rename puts
them in place, so a full disk, a read-only folder or a `kill -9` leaves the old file (or
no file), never a truncated one. The new file keeps what the old one had that a rename
would lose: its mode (a 0664 charter stays 0664; a new file gets the umask's default, as
`open` would give it), its owner and group (when this process may give them, as root
may), and its place behind a symlink (the link's target is rewritten, the link stays a
link). A file with other names (hard links), or whose owner the temporary file cannot
take, is rewritten in place instead, once its new bytes are complete and flushed beside
it (`write_atomic`): every name sees the new text and the owner stays.

A write that fails raises `WriteProblem` (an OSError) naming the file and the reason;
commands report it as a usage error (exit 2).
"""
from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from ..errors import CharterError

__all__ = ["WriteProblem", "create_new", "default_mode", "fsync_folder", "is_temporary",
           "write_all", "write_atomic"]

# `tempfile.mkstemp` ends a name with 8 of these characters
_TEMPORARY_TAIL = r"[a-z0-9_]{8}"


class WriteProblem(CharterError, OSError):
    """A file could not be written (read-only folder, full disk, ...): which, and why."""

    def __init__(self, path: str | Path, cause: OSError) -> None:
        super().__init__(cause.errno, cause.strerror or str(cause), str(path))
        self.path, self.reason = str(path), cause.strerror or str(cause)

    def __str__(self) -> str:
        return f"cannot write {self.path}: {self.reason}"


@contextmanager
def _writing(path: str | Path) -> Iterator[None]:
    """OSError raised while writing `path`, as its WriteProblem."""
    try:
        yield
    except WriteProblem:
        raise
    except OSError as exc:
        raise WriteProblem(path, exc) from None


def default_mode() -> int:
    """The mode `open` gives a new file under this process's umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def fsync_folder(folder: str | Path) -> None:
    """Flush a folder's entries (a rename in it) to the disk, where the platform can."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:  # some file systems cannot sync a folder; the rename stands
        pass
    finally:
        os.close(handle)


def _temporary_prefix(name: str) -> str:
    """How the temporary file staged beside a file named `name` begins."""
    return f".{name}."


def is_temporary(entry: str, name: str) -> bool:
    """Whether `entry` is the name of a temporary file this module stages beside a file
    named `name` (`.<name>.` and the 8 characters `mkstemp` adds): one that a killed
    run left behind, when no write is under way."""
    return re.fullmatch(re.escape(_temporary_prefix(name)) + _TEMPORARY_TAIL, entry) is not None


def _stage(path: Path, data: bytes) -> tuple[str, bool]:
    """`data` in a temporary file beside `path`, flushed, with the mode (and, when this
    process may give it, the owner) that `path` has or would get. Also whether the owner
    could be kept (False: only a rewrite in place keeps it)."""
    for above in (path.parent, *path.parent.parents):
        if os.path.lexists(above):
            if not above.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, f"{above} is a file, not a folder")
            break
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        st: os.stat_result | None = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        st = None
    mode = stat.S_IMODE(st.st_mode) if st is not None else default_mode()
    fd, tmp = tempfile.mkstemp(prefix=_temporary_prefix(path.name), dir=path.parent)
    owner_kept = True
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if st is not None and (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
                try:
                    os.fchown(handle.fileno(), st.st_uid, st.st_gid)
                except PermissionError:
                    owner_kept = False
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp, owner_kept


def write_atomic(path: str | Path, data: bytes, *, follow: bool = True) -> None:
    """Write `data` to a temporary file beside `path`, then rename it into place.

    With `follow`, a symlink at `path` is followed and its target rewritten. A file with
    other hard links, or whose owner the temporary file could not take, is rewritten in
    place once `data` is complete and flushed beside it (its links and owner kept).
    """
    target = Path(os.path.realpath(path)) if follow else Path(path)
    with _writing(path):
        try:
            st: os.stat_result | None = os.stat(target, follow_symlinks=False)
        except (FileNotFoundError, NotADirectoryError):  # `_stage` says which
            st = None
        tmp, owner_kept = _stage(target, data)
        try:
            if st is not None and stat.S_ISREG(st.st_mode) and (st.st_nlink > 1
                                                                or not owner_kept):
                _rewrite_in_place(target, data)
                Path(tmp).unlink()
            else:
                os.replace(tmp, target)
                fsync_folder(target.parent)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _rewrite_in_place(target: Path, data: bytes) -> None:
    """Overwrite `target`'s bytes through the file itself (same inode: its hard links and
    owner stay). Only called once `data` sits complete and flushed beside it; should the
    write fail half-way (the disk filling up as the file grows), the old bytes are put back."""
    with open(target, "r+b") as handle:
        old = handle.read()
        try:
            handle.seek(0)
            handle.write(data)
            handle.truncate()
            handle.flush()
            os.fsync(handle.fileno())
        except OSError:
            handle.seek(0)
            handle.write(old)
            handle.truncate()
            handle.flush()
            raise


def write_all(files: Mapping[str, bytes] | Mapping[Path, bytes], *,
              follow: bool = True) -> None:
    """Write several files as one set: every file is staged beside its target first, and
    the renames happen only once all are staged (a failure before leaves no file changed)."""
    staged: list[tuple[str, Path]] = []
    try:
        for raw, data in files.items():
            path = Path(os.path.realpath(raw)) if follow else Path(raw)
            with _writing(raw):
                staged.append((_stage(path, data)[0], path))
        for tmp, path in staged:
            with _writing(path):
                os.replace(tmp, path)
        for folder in {path.parent for _, path in staged}:
            fsync_folder(folder)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise


def create_new(path: str | Path, data: bytes) -> None:
    """Write a new file at `path`, all at once: FileExistsError if `path` exists, and on any
    failure (a full disk) no file at all. The bytes are staged and flushed beside `path`,
    then linked to its name, which fails rather than replace a file that appeared meanwhile."""
    target = Path(path)
    with _writing(path):
        tmp, _ = _stage(target, data)
    try:
        try:
            os.link(tmp, target)
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP):
                raise WriteProblem(path, exc) from None
            # a file system without hard links: the check and the rename are two steps
            if os.path.lexists(target):
                raise FileExistsError(errno.EEXIST, "File exists", str(target)) from None
            with _writing(path):
                os.rename(tmp, target)
        fsync_folder(target.parent)
    finally:
        Path(tmp).unlink(missing_ok=True)
