"""The two sides of a diff: a file, a folder, or a git revision, read without a checkout.

A side that names an existing file or folder is read from disk (a folder is a
portfolio, searched like `charterc check` does). Anything else must be a git
revision: its charters under PATHS (default `charters`, relative to the working
directory) are listed with `git ls-tree` and read with `git show REV:path`, so
the working tree and the index are never touched. An existing path wins over a
revision of the same name; write `NAME^{commit}` to mean the revision.
"""
from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, overload

from ..errors import CharterError
from ..loaders import Limits, Loaded, is_charter_file, load_bytes, load_path, loader_for

__all__ = ["Side", "SourceError", "read_side", "unmatched"]

_DEFAULT_LIMITS = Limits()  # frozen, so one instance serves every call


class SourceError(CharterError):
    """A side that is neither a path nor a known revision (a usage error: exit 2)."""


@dataclass
class Side:
    label: str              # what the user typed: a path or a revision
    files: list[Loaded]
    matched: frozenset[str] | None = None  # of a revision: the PATHS that hold a charter


@overload
def _git(args: Sequence[str], *, binary: Literal[False] = False) -> str | None: ...


@overload
def _git(args: Sequence[str], *, binary: Literal[True]) -> bytes | None: ...


def _git(args: Sequence[str], *, binary: bool = False) -> str | bytes | None:
    """git's output (None when git fails): decoded text, or the bytes with `binary`."""
    try:
        done = subprocess.run(["git", *args], capture_output=True, check=False)
    except OSError as exc:  # no git on PATH
        raise SourceError(f"cannot run git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        return None
    return done.stdout if binary else done.stdout.decode("utf-8", "replace")


def _from_disk(path: Path, limits: Limits) -> list[Loaded]:
    from ..pipeline import UsageError, discover, display_path
    try:
        found = discover([path])
    except UsageError as exc:  # a FIFO or another file that is not one
        raise SourceError(str(exc)) from None
    return [load_path(p, display=display_path(p), limits=limits) for p in found]


def _from_revision(revision: str, paths: Sequence[str],
                   limits: Limits) -> tuple[list[Loaded], frozenset[str]]:
    """The charters under `paths` at `revision`, and which of `paths` hold one."""
    commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options",
                   f"{revision}^{{commit}}"])
    if not commit:
        raise SourceError(f"{revision!r} is neither a file, a folder nor a git revision")
    commit = commit.strip()
    found: set[str] = set()
    matched: set[str] = set()
    for path in paths:
        listing = _git(["ls-tree", "-r", "-z", "--full-name", "--name-only", commit, "--", path])
        if listing is None:
            raise SourceError(f"cannot list {path} at {revision}")
        here = {n for n in listing.split("\0") if n and is_charter_file(n)}
        if here:
            matched.add(path)
            found |= here
    names = sorted(found)
    files: list[Loaded] = []
    for name in names:
        data = _git(["cat-file", "blob", f"{commit}:{name}"], binary=True)
        if data is None:
            raise SourceError(f"cannot read {name} at {revision}")
        files.append(load_bytes(data, name, limits=limits, loader=loader_for(name)))
    return files, frozenset(matched)


def read_side(spec: str, paths: Sequence[str] = (), *, limits: Limits = _DEFAULT_LIMITS) -> Side:
    """Load every charter of one side of the diff."""
    if not spec.strip():
        raise SourceError("an empty revision or path: name a file, a folder or a git revision "
                          "(e.g. HEAD, main)")
    path = Path(spec)
    if path.exists():
        return Side(spec, _from_disk(path, limits))
    return Side(spec, *_from_revision(spec, list(paths) or ["charters"], limits))


def unmatched(sides: Sequence[Side], paths: Sequence[str]) -> list[str]:
    """The PATHS (default `charters`) that hold no charter at any revision among `sides`;
    empty when no side is a revision (PATHS only select within revisions)."""
    revisions = [side.matched for side in sides if side.matched is not None]
    if not revisions:
        return []
    return [p for p in list(paths) or ["charters"] if not any(p in m for m in revisions)]
