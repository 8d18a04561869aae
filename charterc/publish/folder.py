"""The output folder of `charterc build`: what charterc owns in it, and how it is updated.

charterc deletes or replaces only files it wrote itself. A folder it writes holds
`.charterc-build`, a marker listing those files; everything else in it (a `CNAME`, a
`.git` folder, notes) is left alone, byte for byte. A folder without the marker is used
only when it is empty, or when it holds nothing but the files listed by a
`manifest.json` that charterc wrote (a build by an older charterc); any other folder is
refused, and so is a build whose new file would replace a file charterc did not write.

Update: the build renders into a staging folder inside the output
(`.charterc-staging-*`); only when everything rendered are the files moved in, one
atomic rename each (`index.html` and `manifest.json` last), then the files the previous
build wrote and this one does not are removed. Before the first move the marker lists
the old and the new files, so a run killed while moving leaves each file old or new and
every one of them known: the next build finishes the job and removes the stale staging
folder. A lock on the folder (flock) makes a second build at the same time stop with a
clear error. A symlinked output is followed: the folder it points to is updated.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from . import BuildProblem

if sys.platform != "win32":
    import fcntl

__all__ = ["MARKER", "STAGING", "Claim", "claimed", "inspect", "output_path"]

MARKER = ".charterc-build"
STAGING = ".charterc-staging-"
MANIFEST = "manifest.json"
_ABOUT = ("charterc build wrote the files listed here; it replaces or removes only these, "
          "and leaves every other file in this folder alone")


def output_path(out: str | Path) -> Path:
    """The folder a build writes: `out` with every symlink followed."""
    return Path(os.path.realpath(out))


def _safe(relative: object) -> bool:
    """A listed path charterc may touch: relative, inside the folder, no `..`."""
    if not isinstance(relative, str) or not relative or "\\" in relative:
        return False
    parts = relative.split("/")
    return not relative.startswith("/") and all(p not in ("", ".", "..") for p in parts)


def _manifest_files(folder: Path) -> set[str] | None:
    """The files a `manifest.json` written by charterc lists, or None if it is not one."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if not str(manifest.get("generator", "")).startswith("charterc "):
            return None
        return {f["path"] for f in manifest["files"] if _safe(f["path"])}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _marker_files(folder: Path) -> set[str] | None:
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        return {p for p in marker["files"] if _safe(p)}
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _present(folder: Path) -> list[str]:
    """Every file under `folder` (symlinks not followed), as sorted POSIX paths."""
    found = []
    for parent, dirs, files in os.walk(folder):
        here = Path(parent).relative_to(folder)
        if here == Path("."):  # a killed build's staging folder is charterc's, not the user's
            dirs[:] = [d for d in dirs if not d.startswith(STAGING)]
        found += [(here / name).as_posix() for name in files]
        found += [(here / name).as_posix() for name in dirs if (Path(parent) / name).is_symlink()]
    return sorted(found)


def _owned(folder: Path, shown: str) -> set[str]:
    """The files charterc wrote in an existing `folder`; BuildProblem if it is not charterc's."""
    if (folder / MARKER).is_file():
        return (_marker_files(folder) or set()) | (_manifest_files(folder) or set()) | {MANIFEST}
    present = _present(folder)
    listed = _manifest_files(folder)
    foreign = [p for p in present if listed is None or p not in listed | {MANIFEST}]
    if foreign:
        raise BuildProblem(
            f"{shown} holds files not written by charterc build (such as {foreign[0]}), so it "
            f"is not used as the output: move them away, or choose another -o")
    return set(listed or ()) | ({MANIFEST} if present else set())


def _legacy_leftovers(folder: Path) -> list[Path]:
    """`.dist.tmp-*` and `.dist.old-*` folders of the charterc builds that swapped folders."""
    pattern = re.compile(rf"\.{re.escape(folder.name)}\.(tmp|old)-[A-Za-z0-9_]{{8}}\Z")
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


class Claim:
    """An output folder locked for one build, with its staging folder."""

    def __init__(self, folder: Path, shown: str, owned: set[str], staging: Path):
        self.folder, self.shown, self.owned, self.staging = folder, shown, owned, staging
        self.published = False

    def publish(self, files: Sequence[str], kept: Collection[str] = ()) -> None:
        """Move the staged `files` (in this order) into the folder, then remove the files
        the previous build wrote and this one does not. The `kept` ones were not staged:
        the folder already holds them, byte for byte, and they stay as they are."""
        new = set(files)
        self._refuse_conflicts(files)
        _write_marker(self.folder, self.owned | new)
        folders: set[Path] = set()
        for relative in files:
            if relative in kept:
                continue
            target = self.folder / relative
            if target.parent not in folders:  # one mkdir per folder, not per file
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            os.replace(self.staging / relative, target)
        for relative in sorted(self.owned - new):
            _remove(self.folder, relative)
        _write_marker(self.folder, new)
        self.owned, self.published = new, True

    def _refuse_conflicts(self, files: Sequence[str]) -> None:
        """BuildProblem for the first of `files` that may not be written: its folder leads
        out or is a file, or it is a folder or a file charterc did not write. A portfolio's
        files share a few folders, so each folder is checked once, each file with one lstat."""
        checked: set[Path] = set()
        for relative in files:
            target = self.folder / relative
            if target.parent not in checked:
                self._refuse_folder(relative)
                checked.add(target.parent)
            try:
                mode = os.lstat(target).st_mode
            except OSError:  # as os.path.lexists: nothing there to conflict with
                continue
            if stat.S_ISDIR(mode):
                raise BuildProblem(f"{self.shown}/{relative} is a folder charterc did not write")
            if relative not in self.owned:
                raise BuildProblem(f"{self.shown}/{relative} exists and was not written by "
                                   f"charterc build, so it is not replaced: move it, or choose "
                                   f"another -o")

    def _refuse_folder(self, relative: str) -> None:
        target = self.folder / relative
        if not target.parent.resolve().is_relative_to(self.folder):
            raise BuildProblem(f"{self.shown}/{relative}: its folder leads out of {self.shown}")
        for parent in Path(relative).parents:
            where = self.folder / parent
            if parent != Path(".") and os.path.lexists(where) and not where.is_dir():
                raise BuildProblem(f"{self.shown}/{parent.as_posix()} is a file; charterc "
                                   f"build needs a folder there")


def _write_marker(folder: Path, files: set[str]) -> None:
    from .. import __version__
    from .files import write_atomic
    text = json.dumps({"generator": f"charterc {__version__}", "about": _ABOUT,
                       "files": sorted(files)}, indent=2) + "\n"
    write_atomic(folder / MARKER, text.encode("utf-8"), follow=False)


def _remove(folder: Path, relative: str) -> None:
    """Remove a file charterc wrote, and the folders that it leaves empty."""
    target = folder / relative
    if not target.parent.resolve().is_relative_to(folder):
        return
    if target.is_symlink() or target.is_file():
        target.unlink()
    for parent in target.relative_to(folder).parents:
        if parent == Path("."):
            break
        try:
            (folder / parent).rmdir()  # only when empty: a user's file keeps its folder
        except OSError:
            break


@contextmanager
def claimed(out: str | Path) -> Iterator[Claim]:
    """Create and lock the output folder, clean what killed runs left, and stage a build.

    On leaving, the staging folder is removed; a folder this build created and did not
    publish into is removed too.
    """
    shown = str(out)
    folder = inspect(out)
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        raise BuildProblem(f"cannot create {shown}: {exc.strerror or exc}") from None
    try:
        _lock(handle, shown)
        owned = _owned(folder, shown)  # again, under the lock
        for stale in folder.glob(STAGING + "*"):
            shutil.rmtree(stale, ignore_errors=True)
        for leftover in _legacy_leftovers(folder):
            shutil.rmtree(leftover, ignore_errors=True)
        try:
            staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=folder))
        except OSError as exc:
            raise BuildProblem(f"cannot write in {shown}: {exc.strerror or exc}") from None
        claim = Claim(folder, shown, owned, staging)
        try:
            yield claim
        except OSError as exc:
            raise BuildProblem(f"cannot write in {shown}: {exc.strerror or exc}") from None
        finally:
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
