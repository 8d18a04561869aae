"""The charter in force: a charter file as committed in git (`report --charter-rev`).

A period is measured against the charter as it stood at the end of the period
(spec section 9). `auto` takes the newest commit that touched the file with an
author date (the date it was written) strictly before the period's end; any other
value is a revision (`v1.2`, `HEAD~3`, a commit id). The file is read with
`git cat-file`, so the working tree and the index are never touched; a revision is passed after
`--end-of-options` and must not start with `-`, so it can never be read as an
option of git.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..errors import CharterError

__all__ = ["Revision", "RevisionError", "charter_at"]


class RevisionError(CharterError):
    """The charter cannot be read at that revision (a usage error: exit 2)."""


@dataclass(frozen=True)
class Revision:
    commit: str      # full commit id
    date: str        # the commit's date, ISO 8601
    path: str        # the file's path in the repository
    data: bytes      # the file as committed


def _git(folder: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                              check=False)
    except OSError as exc:
        raise RevisionError(f"cannot run git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


def charter_at(path: Path, revision: str, before: int) -> Revision:
    """The charter file at `revision`, or (`auto`) the newest commit of it dated before
    `before` (UTC epoch seconds: the end of the period)."""
    revision = revision.strip()
    if not revision:
        raise RevisionError("--charter-rev is empty: give auto, a tag, a branch or a commit")
    if revision.startswith("-"):
        raise RevisionError(f"{revision!r} is not a revision (it starts with '-')")
    folder = path.resolve().parent
    try:
        prefix = _git(folder, "rev-parse", "--show-prefix").decode().strip()
    except RevisionError:
        raise RevisionError(f"{path} is not in a git repository: --charter-rev reads the "
                            "charter's history from git") from None
    relative = prefix + path.name
    if revision == "auto":
        moment = datetime.fromtimestamp(before, UTC).isoformat()
        found = _newest_before(folder, path.name, before)
        if found is None:
            raise RevisionError(f"{relative} has no commit dated before the period's end "
                                f"({moment}): give --charter-rev REV, or measure today's "
                                "file without --charter-rev")
        commit = found
    else:
        try:
            commit = _git(folder, "rev-parse", "--verify", "--quiet", "--end-of-options",
                          f"{revision}^{{commit}}").decode().strip()
        except RevisionError:
            raise RevisionError(f"{revision!r} is not a revision of this repository") from None
    try:
        data = _git(folder, "cat-file", "blob", f"{commit}:{relative}")
    except RevisionError:
        raise RevisionError(f"{relative} does not exist at {revision} ({commit[:12]})") from None
    date = _git(folder, "show", "-s", "--format=%aI", commit).decode().strip()
    return Revision(commit, date, relative, data)


def _newest_before(folder: Path, name: str, before: int) -> str | None:
    """The commit of `name` with the latest date strictly before `before` (epoch seconds).

    A commit is dated by its author date, the date it was written (`git commit --date`,
    kept by rebases and cherry-picks), not by the date it was last applied; the first in
    git's order wins a tie."""
    best: tuple[int, str] | None = None
    for entry in _git(folder, "log", "--format=%H %at", "HEAD", "--", name).decode().splitlines():
        commit, _, stamp = entry.partition(" ")
        when = int(stamp)
        if when < before and (best is None or when > best[0]):
            best = (when, commit)
    return best[1] if best else None
