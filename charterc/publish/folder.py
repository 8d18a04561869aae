"""The output folder of `charterc build`: what charterc owns in it, and how it is updated.

Ownership. A folder charterc writes holds `.charterc-build`, a marker recording every file
the build wrote with its sha256. A file is charterc's, to replace or remove, only when
the marker records it AND its bytes still match the recorded sha256: a file a user
edited, or a forged `manifest.json` listing a user's files, never gets one deleted.
Everything else in the folder (a `CNAME`, a `.git` folder, notes) is the user's and is
left alone, byte for byte. A folder without the marker is used only when it holds no
file; any other is refused, and so is a build whose new file would replace a file that
is not charterc's.

Update: the whole new folder is built beside the output (`.<name>.charterc-next-*`):
the new files, the unchanged ones hard-linked from the current build, the user's files
and folders linked (or copied) as they are, the marker. Everything is flushed to the
disk, then one `renameat2(RENAME_EXCHANGE)` swaps it with the output: a reader, a
`kill -9` or a power cut sees the old folder or the new one, whole. The old one, now
beside, is removed (a file the user added meanwhile is moved into the new folder).

Where the exchange is not available (not Linux, a file system without it, an output that
is a mount point or whose parent folder cannot be written), the build stages inside the
output (`.charterc-staging-*`) and moves the files in one rename each, driven by a
journal (`.charterc-journal` in the staging folder) written before the first move: a
killed run leaves each file old or new, and the next charterc command to open the folder
completes the journal before it reads anything (`claimed`, `recover`). The new marker too
is written in the staging folder and renamed into the output, so no temporary file of
charterc's is ever left in the output; one that an older charterc left there (the
marker's, `..charterc-build.` and 8 characters) is removed first, never carried into the
new folder as the user's. A lock on the folder (flock) makes a second build at the same
time stop with a clear error. A symlinked output is followed.
"""
from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from . import BuildProblem
from .files import fsync_folder, is_temporary, write_atomic

if sys.platform != "win32":
    import fcntl

__all__ = ["JOURNAL", "MARKER", "NEXT", "STAGING", "Claim", "claimed", "inspect",
           "output_path", "recover"]

MARKER = ".charterc-build"
JOURNAL = ".charterc-journal"
STAGING = ".charterc-staging-"  # inside the output: the journal's staging folder
NEXT = ".charterc-next-"        # beside the output: `.<name>.charterc-next-*`, the new folder
MANIFEST = "manifest.json"
_ABOUT = ("charterc build wrote the files listed here, with their sha256; it replaces or "
          "removes only these, while their bytes match, and leaves every other file in this "
          "folder alone")


def output_path(out: str | Path) -> Path:
    """The folder a build writes: `out` with every symlink followed."""
    return Path(os.path.realpath(out))


def _charterc_entry(name: str) -> bool:
    """A file at the top of an output folder that is charterc's, not the user's: the
    marker, or the temporary file of a marker write that a killed run left."""
    return name == MARKER or is_temporary(name, MARKER)


def _safe(relative: object) -> bool:
    """A listed path charterc may touch: relative, inside the folder, no `..`."""
    if not isinstance(relative, str) or not relative or "\\" in relative:
        return False
    parts = relative.split("/")
    return not relative.startswith("/") and all(p not in ("", ".", "..") for p in parts)


def _sha256(path: Path) -> str | None:
    """The sha256 of a regular file (never through a link); None for anything else."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except OSError:
        return None


def _load(path: Path) -> dict[str, object] | None:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None


def _recorded(folder: Path) -> dict[str, str] | None:
    """Path -> sha256 of the files the marker records; None without a marker."""
    marker = _load(folder / MARKER)
    if marker is None:
        return None
    files = marker.get("files")
    if isinstance(files, dict):
        return {p: h for p, h in files.items() if _safe(p) and isinstance(h, str)}
    if not isinstance(files, list):
        return {}
    # a marker of an older charterc lists names only: their sha256s are the manifest's
    manifest = _load(folder / MANIFEST) or {}
    sums: dict[str, str] = {}
    with contextlib.suppress(TypeError, KeyError, AttributeError):
        for entry in manifest.get("files", ()):  # type: ignore[attr-defined]
            sums[entry["path"]] = entry["sha256"]
    recorded = {p: sums[p] for p in files if _safe(p) and isinstance(sums.get(p), str)}
    if MANIFEST in files and str(manifest.get("generator", "")).startswith("charterc "):
        digest = _sha256(folder / MANIFEST)  # the one file its own manifest cannot list
        if digest is not None:
            recorded[MANIFEST] = digest
    return recorded


class _Owned:
    """The files charterc wrote in a folder: recorded by the marker, and whose bytes
    still match (checked when a file is about to be replaced or removed, once)."""

    def __init__(self, folder: Path, recorded: Mapping[str, str]) -> None:
        self.folder, self.recorded = folder, dict(recorded)
        self._checked: dict[str, bool] = {}

    def __contains__(self, relative: object) -> bool:
        if not isinstance(relative, str) or relative not in self.recorded:
            return False
        if relative not in self._checked:
            self._checked[relative] = \
                _sha256(self.folder / relative) == self.recorded[relative]
        return self._checked[relative]

    def listed(self) -> frozenset[str]:
        """Every file the marker records (bytes not checked): candidates for `kept`."""
        return frozenset(self.recorded)


def _present(folder: Path) -> list[str]:
    """Every file under `folder` (symlinks not followed), as sorted POSIX paths."""
    found = []
    for parent, dirs, files in os.walk(folder):
        here = Path(parent).relative_to(folder)
        if here == Path("."):  # a killed build's staging folder is charterc's, not the user's
            dirs[:] = [d for d in dirs if not d.startswith(STAGING)]
            files = [n for n in files if not is_temporary(n, MARKER)]
        found += [(here / name).as_posix() for name in files]
        found += [(here / name).as_posix() for name in dirs if (Path(parent) / name).is_symlink()]
    return sorted(found)


def _owned(folder: Path, shown: str) -> _Owned:
    """The files charterc wrote in an existing `folder`; BuildProblem if it is not charterc's."""
    recorded = _recorded(folder)
    if recorded is not None:
        return _Owned(folder, recorded)
    if _journals(folder):  # a first build killed while moving: completed first
        return _Owned(folder, {})
    present = _present(folder)
    if present:
        raise BuildProblem(
            f"{shown} holds files not written by charterc build (such as {present[0]}), so it "
            f"is not used as the output: move them away, or choose another -o")
    return _Owned(folder, {})


def _legacy_leftovers(folder: Path) -> list[Path]:
    """`.dist.tmp-*` and `.dist.old-*` folders of the charterc builds that swapped folders."""
    pattern = re.compile(rf"\.{re.escape(folder.name)}\.(tmp|old)-[A-Za-z0-9_]{{8}}\Z")
    return _beside(folder, pattern)


def _stale_next(folder: Path) -> list[Path]:
    """New folders of killed builds, or old ones a killed build had not removed yet."""
    return _beside(folder, re.compile(rf"\.{re.escape(folder.name)}{NEXT}[A-Za-z0-9_]{{8}}\Z"))


def _beside(folder: Path, pattern: re.Pattern[str]) -> list[Path]:
    try:
        return sorted(p for p in folder.parent.iterdir()
                      if pattern.match(p.name) and p.is_dir() and not p.is_symlink())
    except OSError:
        return []


def inspect(out: str | Path, inputs: Sequence[str | Path] = ()) -> Path:
    """The folder `out` names, checked before any work; BuildProblem when it cannot be used.

    Refused: a file, a path below a file, a folder holding the inputs, a folder holding
    files charterc did not write. A folder lost by an older charterc killed between its
    two renames is put back first.
    """
    shown, folder = str(out), output_path(out)
    if not folder.exists():
        for old in _legacy_leftovers(folder):
            if old.name.split(".")[-1].startswith("old-") and (old / folder.name).is_dir():
                try:
                    os.rename(old / folder.name, folder)
                    break
                except OSError:
                    continue
    if folder.exists() and not folder.is_dir():
        raise BuildProblem(f"{shown} exists and is not a folder")
    ancestor = folder
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise BuildProblem(f"cannot create {shown}: {ancestor} is a file, not a folder")
    for raw in inputs:
        path = Path(raw).resolve()
        if path == folder or path.is_relative_to(folder):
            raise BuildProblem(
                f"{raw} is inside the output folder {shown}: the output must lie apart from "
                f"the charters it is built from (choose another -o)")
    if folder.is_dir():
        _owned(folder, shown)
    return folder


# -- the exchange ------------------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(staging: Path, folder: Path) -> None:
    """The publishing step itself: the new folder takes the output's place, in one step."""
    _swap(staging, folder)


def _swap(first: Path, second: Path) -> None:
    """Swap two folders in one step (Linux renameat2); OSError where it cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        raise OSError(38, "renameat2 is not available") from None
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                 _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(first))


def _exchanges(next_folder: Path) -> bool:
    """Whether `_exchange` works on the file system holding `next_folder` (tried on two
    empty folders inside it)."""
    if sys.platform != "linux":
        return False
    first, second = next_folder / ".exchange-a", next_folder / ".exchange-b"
    try:
        first.mkdir()
        second.mkdir()
        _swap(first, second)
        return True
    except OSError:
        return False
    finally:
        for probe in (first, second):
            with contextlib.suppress(OSError):
                probe.rmdir()


def _sync(folder: Path) -> None:
    """Flush the file system holding `folder` (every staged file) before the exchange."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
        syncfs(handle)
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        os.sync()
    finally:
        os.close(handle)


def _like(target: Path, source: os.stat_result) -> None:
    """Give `target` the mode (and, where this process may, the owner) of `source`."""
    os.chmod(target, stat.S_IMODE(source.st_mode), follow_symlinks=False)
    if (source.st_uid, source.st_gid) != (os.geteuid(), os.getegid()):
        with contextlib.suppress(OSError):
            os.chown(target, source.st_uid, source.st_gid, follow_symlinks=False)


# -- the claim ---------------------------------------------------------------------------

class Claim:
    """An output folder locked for one build, with its staging folder: the new folder
    beside it (`exchange`), or a folder inside it that a journal moves from."""

    def __init__(self, folder: Path, shown: str, owned: _Owned, staging: Path,
                 exchange: bool) -> None:
        self.folder, self.shown, self.staging = folder, shown, staging
        self._owned, self.exchange = owned, exchange
        self.published = False
        self.carried: dict[str, int] = {}   # the user's files linked into the new folder
        self.leftover: Path | None = None   # the old folder, when it could not be removed

    @property
    def owned(self) -> frozenset[str]:
        """The files the marker records (a `_Writer` keeps those whose bytes it would write)."""
        return self._owned.listed()

    def publish(self, files: Mapping[str, str], kept: Collection[str] = ()) -> None:
        """Publish the staged `files` (path -> sha256, in the order readers should see
        them), all at once where the platform can. The `kept` ones were not written: the
        output already holds them, byte for byte. Where the folders are exchanged, the
        staging folder holds them already, as links to the output's files (the build's
        writer links each one as it finds it unchanged)."""
        self._refuse_conflicts(files, kept)
        if self.exchange:
            self._publish_exchanged(files)
        else:
            self._publish_journaled(files, kept)

    def _publish_exchanged(self, files: Mapping[str, str]) -> None:
        staging = self.staging
        self._carry(files)
        _write_marker(staging, files)
        _sync(staging)
        handle = os.open(staging, os.O_RDONLY)
        try:
            _lock(handle, self.shown)  # the folder that becomes the output stays locked
            _exchange(staging, self.folder)
            fsync_folder(self.folder.parent)
            self.published = True
            self._remove_old(staging, files)
        finally:
            os.close(handle)

    def _carry(self, files: Mapping[str, str]) -> None:
        """Link every file of the output that is not charterc's into the new folder, with
        its folders (their modes and owners), and give it the output's own mode."""
        new = self.staging
        _like(new, os.stat(self.folder))
        for parent, dirs, names in os.walk(self.folder):
            here = Path(parent).relative_to(self.folder)
            if here == Path("."):
                dirs[:] = [d for d in dirs if not d.startswith(STAGING)]
                names = [n for n in names if not _charterc_entry(n)]
            if here != Path(".") and (new / here).is_dir():
                _like(new / here, os.stat(parent))
            if not dirs and not names and here != Path("."):
                self._folder(here)  # a user's empty folder
            prefix = "" if here == Path(".") else here.as_posix() + "/"
            for name in [*names, *(d for d in dirs if (Path(parent) / d).is_symlink())]:
                relative = prefix + name
                if relative in files or relative in self._owned:
                    continue  # replaced (conflicts refused already) or no longer built
                self._folder(here)
                self._link(relative)

    def _folder(self, relative: Path) -> None:
        """The folder `relative` in the new folder, made as the output has it."""
        missing = []
        for part in (relative, *relative.parents):
            if part == Path(".") or (self.staging / part).is_dir():
                break
            missing.append(part)
        for part in reversed(missing):
            (self.staging / part).mkdir()
            _like(self.staging / part, os.stat(self.folder / part))

    def _link(self, relative: str) -> None:
        source, target = self.folder / relative, self.staging / relative
        st = os.lstat(source)
        if stat.S_ISLNK(st.st_mode):
            os.symlink(os.readlink(source), target)
        else:
            try:
                os.link(source, target)
            except OSError:
                if not stat.S_ISREG(st.st_mode):
                    raise BuildProblem(f"{self.shown}/{relative} is neither a file, a folder "
                                       f"nor a link, and cannot be kept") from None
                shutil.copy2(source, target)  # no hard links here: a copy, byte for byte
                _like(target, st)
        self.carried[relative] = st.st_ino

    def _remove_old(self, old: Path, files: Mapping[str, str]) -> None:
        """Remove the previous folder (now at `old`). A file the user added or replaced
        there since it was carried is moved into the new output; should that fail, the
        old folder stays, and the build says where."""
        strays = []
        for parent, dirs, names in os.walk(old):
            here = Path(parent).relative_to(old)
            if here == Path("."):
                dirs[:] = [d for d in dirs if not d.startswith(STAGING)]
                names = [n for n in names if not _charterc_entry(n)]
            prefix = "" if here == Path(".") else here.as_posix() + "/"
            for name in [*names, *(d for d in dirs if (Path(parent) / d).is_symlink())]:
                relative = prefix + name
                inode = self.carried.get(relative)
                if inode is not None and os.lstat(Path(parent) / name).st_ino == inode:
                    continue
                if relative in self._owned.recorded and (relative in files or
                                                         relative in self._owned):
                    continue
                strays.append(relative)
        for relative in strays:
            target = self.folder / relative
            if relative in files or (os.path.lexists(target)
                                     and relative not in self.carried):
                self.leftover = old
                continue
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(old / relative, target)
            except OSError:
                self.leftover = old
        if self.leftover is None:
            shutil.rmtree(old, ignore_errors=True)

    def _publish_journaled(self, files: Mapping[str, str], kept: Collection[str]) -> None:
        drop = {p: h for p, h in self._owned.recorded.items()
                if p not in files and p in self._owned}
        journal = {"files": dict(files), "move": [p for p in files if p not in kept],
                   "drop": drop}
        write_atomic(self.staging / JOURNAL, (json.dumps(journal, indent=1) + "\n").encode(),
                     follow=False)
        _complete(self.folder, self.staging)
        self.published = True

    def _refuse_conflicts(self, files: Collection[str], kept: Collection[str]) -> None:
        """BuildProblem for the first of `files` that may not be written: its folder leads
        out or is a file, or it is a folder or a file charterc did not write (or whose
        bytes changed since). Each folder is checked once, each file with one lstat."""
        checked: set[str] = set()
        for relative in files:
            parent = os.path.dirname(relative)
            if parent not in checked:
                self._refuse_folder(relative)
                checked.add(parent)
            if relative in kept:
                continue  # its bytes are those the build writes
            target = self.folder / relative
            try:
                mode = os.lstat(target).st_mode
            except OSError:  # as os.path.lexists: nothing there to conflict with
                continue
            if stat.S_ISDIR(mode):
                raise BuildProblem(f"{self.shown}/{relative} is a folder charterc did not write")
            if relative not in self._owned:
                changed = relative in self._owned.recorded
                raise BuildProblem(
                    f"{self.shown}/{relative} "
                    + ("was changed since charterc build wrote it" if changed else
                       "exists and was not written by charterc build")
                    + ", so it is not replaced: move it, or choose another -o")

    def _refuse_folder(self, relative: str) -> None:
        target = self.folder / relative
        if not target.parent.resolve().is_relative_to(self.folder):
            raise BuildProblem(f"{self.shown}/{relative}: its folder leads out of {self.shown}")
        for parent in Path(relative).parents:
            where = self.folder / parent
            if parent != Path(".") and os.path.lexists(where) and not where.is_dir():
                raise BuildProblem(f"{self.shown}/{parent.as_posix()} is a file; charterc "
                                   f"build needs a folder there")


def _write_marker(folder: Path, files: Mapping[str, str]) -> None:
    from .. import __version__
    text = json.dumps({"generator": f"charterc {__version__}", "about": _ABOUT,
                       "files": dict(sorted(files.items()))}, indent=2) + "\n"
    write_atomic(folder / MARKER, text.encode("utf-8"), follow=False)


def _journals(folder: Path) -> list[Path]:
    """The staging folders inside `folder` whose journal a killed build left."""
    return sorted(p for p in folder.glob(STAGING + "*") if (p / JOURNAL).is_file())


def _complete(folder: Path, staging: Path) -> None:
    """Carry out the journal of `staging` in `folder`: move what is still staged, remove
    the files no longer built (while their bytes are charterc's), record the new files.
    Moving again what a killed run moved already, or removing what it removed, does
    nothing: a journal is completed however often it is interrupted. It is written, in
    full (`write_atomic`), only once everything it moves is staged. The new marker is
    written in the staging folder too and renamed into place, so that a kill never leaves
    its temporary file in the output."""
    journal = _load(staging / JOURNAL) or {}
    files, moves, drop = journal.get("files"), journal.get("move"), journal.get("drop")
    if not (isinstance(files, dict) and isinstance(moves, list) and isinstance(drop, dict)):
        raise BuildProblem(f"{staging}/{JOURNAL} is not a journal charterc can complete: "
                           f"move {staging} away and build again")
    made: set[Path] = set()
    for relative in moves:
        source, target = staging / str(relative), folder / str(relative)
        if not _safe(relative) or not os.path.lexists(source):
            continue
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        os.replace(source, target)
    for relative, digest in sorted(drop.items()):
        if _safe(relative) and relative not in files and _sha256(folder / relative) == digest:
            _remove(folder, relative)
    _write_marker(staging, {p: h for p, h in files.items() if _safe(p) and isinstance(h, str)})
    os.replace(staging / MARKER, folder / MARKER)
    fsync_folder(folder)
    (staging / JOURNAL).unlink()
    shutil.rmtree(staging, ignore_errors=True)


def _remove(folder: Path, relative: str) -> None:
    """Remove a file charterc wrote, and the folders that it leaves empty."""
    target = folder / relative
    if not target.parent.resolve().is_relative_to(folder):
        return
    target.unlink()
    for parent in target.relative_to(folder).parents:
        if parent == Path("."):
            break
        try:
            (folder / parent).rmdir()  # only when empty: a user's file keeps its folder
        except OSError:
            break


def _open_locked(folder: Path, shown: str) -> int:
    """A handle on `folder`, locked. A build that has just exchanged folders left its lock
    on the old one: the folder now at the path is opened again."""
    for _ in range(10):
        handle = os.open(folder, os.O_RDONLY)
        try:
            _lock(handle, shown)
            held, there = os.fstat(handle), os.stat(folder)
            if (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino):
                return handle
        except BaseException:
            os.close(handle)
            raise
        os.close(handle)
    raise BuildProblem(f"another charterc build is writing {shown}; run this one when it "
                       f"has finished")


def _next_folder(folder: Path) -> Path | None:
    """A new, empty folder beside `folder` that `_exchange` can swap with it; None when
    the platform, the file system or the parent folder does not allow that."""
    if sys.platform != "linux":
        return None
    try:
        if os.stat(folder).st_dev != os.stat(folder.parent).st_dev:
            return None  # a mount point: the exchange would cross file systems
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}{NEXT}", dir=folder.parent))
    except OSError:
        return None
    if not _exchanges(staging):
        shutil.rmtree(staging, ignore_errors=True)
        return None
    return staging


def recover(out: str | Path) -> None:
    """What every build does first, under the folder's lock: complete the journal a killed
    build left in `out`, and remove what killed builds left inside and beside it."""
    folder = output_path(out)
    handle = _open_locked(folder, str(out))
    try:
        _tidy(folder)
    finally:
        os.close(handle)


def _tidy(folder: Path) -> None:
    for journaled in _journals(folder):
        _complete(folder, journaled)
    for stale in folder.glob(STAGING + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    for entry in os.listdir(folder):
        # a marker's temporary file, from a charterc that wrote the marker in place
        if is_temporary(entry, MARKER) and stat.S_ISREG(os.lstat(folder / entry).st_mode):
            (folder / entry).unlink()
    for leftover in [*_legacy_leftovers(folder), *_stale_next(folder)]:
        shutil.rmtree(leftover, ignore_errors=True)


@contextmanager
def claimed(out: str | Path) -> Iterator[Claim]:
    """Create and lock the output folder, complete what killed runs left, and stage a build.

    On leaving, the staging folder is removed; a folder this build created and did not
    publish into is removed too.
    """
    shown = str(out)
    folder = inspect(out)
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = _open_locked(folder, shown)
    except OSError as exc:
        raise BuildProblem(f"cannot create {shown}: {exc.strerror or exc}") from None
    try:
        try:
            _tidy(folder)
        except OSError as exc:
            raise BuildProblem(f"cannot write in {shown}: {exc.strerror or exc}") from None
        owned = _owned(folder, shown)  # again, under the lock
        staging = _next_folder(folder)
        exchange = staging is not None
        if staging is None:
            try:
                staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=folder))
            except OSError as exc:
                raise BuildProblem(f"cannot write in {shown}: {exc.strerror or exc}") from None
        claim = Claim(folder, shown, owned, staging, exchange)
        try:
            yield claim
        except OSError as exc:
            raise BuildProblem(f"cannot write in {shown}: {exc.strerror or exc}") from None
        finally:
            if claim.leftover is None:
                shutil.rmtree(staging, ignore_errors=True)
            if created and not claim.published:
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only if still empty
    finally:
        os.close(handle)


def _lock(handle: int, shown: str) -> None:
    if sys.platform == "win32":  # pragma: no cover - Windows: no lock, the rest holds
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise BuildProblem(f"another charterc build is writing {shown}; run this one when it "
                           f"has finished") from None
