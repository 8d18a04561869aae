"""The diff as JSON (`charterc diff --format json`), as types: what `Change.to_dict`,
`CharterDiff.to_dict` and `render.render_json` write, key for key (docs/diff.md)."""
from __future__ import annotations

from typing import TypedDict

__all__ = ["ChangeJSON", "CharterDiffJSON", "DiffJSON", "SideJSON"]


class ChangeJSON(TypedDict):
    client: str | None      # None: every client of the charter
    subject: str
    effect: str             # weakening | strengthening | neutral
    bump: str               # major | minor | patch
    before: str
    after: str
    note: str
    pointer: str


class SideJSON(TypedDict):
    file: str | None        # None: the charter is not on that side
    version: str | None


class CharterDiffJSON(TypedDict):
    id: str
    old: SideJSON
    new: SideJSON
    required: str
    made: str | None        # None for an added or removed charter
    changes: list[ChangeJSON]
    diagnostics: list[dict[str, object]]   # `Diagnostic.to_dict`: G706


class DiffJSON(TypedDict):
    old: str
    new: str
    charters: list[CharterDiffJSON]
    not_compared: list[dict[str, object]]  # `Diagnostic.to_dict` of the charters not read
    exit_code: int
