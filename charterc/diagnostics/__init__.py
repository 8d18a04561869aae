"""One `Diagnostic` type for every stage, and the `SourceMap` that places it.

Loaders, the schema, reference resolution and the rule checks all return
`Diagnostic` values; reporters turn them into text. A stage never raises for bad
input: it returns diagnostics and the pipeline stops that file only.

A finding that has one safe edit carries it as data (`Diagnostic.fixes`), set by the
rule that made the finding (`fixes.py` computes the ranges): the command line, SARIF
and the language server all read the same `Fix`, never the wording of a hint.
"""
from __future__ import annotations

import enum
from dataclasses import field

from ..records import record

__all__ = [
    "Diagnostic",
    "Edit",
    "Fix",
    "Severity",
    "SourceMap",
    "escape_token",
    "pointer_join",
    "pointer_parts",
]


# Not StrEnum: that would change str() and format() of a member from `Severity.ERROR` to
# `error` wherever a severity is printed without `.value`.
class Severity(str, enum.Enum):  # noqa: UP042
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@record(eq=True, slots=True)
class Edit:
    """Replace the text from line:column to end_line:end_column with `text`.

    Positions are 1-based like a diagnostic's, in code points; the end is exclusive (the
    character after the range, as SARIF's `endColumn`), so an insertion has its start
    equal to its end. `original` is what the range held when the finding was made: an
    edit is applied only where the text still reads so.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    original: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"line": self.line, "column": self.column, "end_line": self.end_line,
                "end_column": self.end_column, "text": self.text, "original": self.original}


@record(eq=True, slots=True)
class Fix:
    """One way to resolve a finding: a title a person reads, and the edits it makes."""

    title: str
    edits: tuple[Edit, ...]

    def to_dict(self) -> dict[str, object]:
        return {"title": self.title, "edits": [edit.to_dict() for edit in self.edits]}


@record(eq=True, slots=True)
class Diagnostic:
    """A finding: what rule, how bad, what, where (file:line:column and JSON pointer), what to do.

    Check functions create them with `rule=""` and `severity=None` through
    `rules.problem(...)`; the rule runner fills in the rule id, its default
    severity and the position from the source map.
    """

    rule: str
    severity: Severity | None
    message: str
    file: str = ""
    line: int = 0
    column: int = 0
    pointer: str = ""
    hint: str = ""
    suppressed: bool = False
    related: tuple[tuple[str, int, int], ...] = ()  # other places: (file, line, column)
    fixes: tuple[Fix, ...] = ()  # safe edits that resolve the finding, set by its rule

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule, self.message)

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "rule": self.rule,
            "severity": self.severity.value if self.severity else None,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "pointer": self.pointer,
            "hint": self.hint,
            "suppressed": self.suppressed,
        }
        if self.related:
            data["related"] = [{"file": f, "line": ln, "column": c} for f, ln, c in self.related]
        if self.fixes:
            data["fixes"] = [fix.to_dict() for fix in self.fixes]
        return data


def escape_token(token: str) -> str:
    """One key as a JSON pointer token (RFC 6901): `~` -> `~0`, `/` -> `~1`."""
    if "~" in token or "/" in token:  # rare: the loaders call this for every key
        return token.replace("~", "~0").replace("/", "~1")
    return token


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def pointer_join(base: str, *parts: str | int) -> str:
    """`pointer_join("/tiers", 0, "id")` -> `/tiers/0/id` (RFC 6901 escaping)."""
    return base + "".join("/" + escape_token(str(p)) for p in parts)


def pointer_parts(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [_unescape(p) for p in pointer[1:].split("/")]


@record(eq=True, frozen=False, slots=True)
class SourceMap:
    """JSON pointer -> (line, column), both 1-based, for every value and every mapping key.

    `values["/tiers/0/id"]` is where the value starts; `keys["/tiers/0/id"]` is where
    the key `id` starts. `raw` keeps the source text of non-string scalars, so a
    message can say `1.10` where the document holds the float 1.1.
    """

    file: str
    values: dict[str, tuple[int, int]] = field(default_factory=dict)
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    lines: list[str] | None = None  # source lines, for reporters that show a caret
    dsl: bool = False  # written in the DSL (`*.charter`), not YAML: how a fix writes text

    def locate(self, pointer: str, *, key: bool = False) -> tuple[int, int]:
        """Position of `pointer`, or of its nearest ancestor that has one."""
        table = self.keys if key else self.values
        probe = pointer
        while True:
            hit = table.get(probe)
            if hit is None and table is self.keys:
                hit = self.values.get(probe)
            if hit is not None:
                return hit
            if not probe:
                return (1, 1)
            probe = probe.rsplit("/", 1)[0]

    def source_line(self, line: int) -> str | None:
        if self.lines is None or not 1 <= line <= len(self.lines):
            return None
        return self.lines[line - 1]
