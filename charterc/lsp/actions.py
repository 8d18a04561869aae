"""Code actions from the fixes the findings carry, and `fmt` as document formatting.

The rule that makes a finding sets its fixes (`Diagnostic.fixes`: S201 quotes a number
that should be text, R301 writes the id an unknown one was meant to be, T601 adds the
missing priorities); this module only places their edits in the editor's text. An
action is offered only when the text at each edit is still what the finding saw
(`Edit.original`), so an edit never lands on text that changed since the check.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..diagnostics import Diagnostic
from ..diagnostics import Edit as FixEdit
from .analysis import Analysis

__all__ = ["Action", "TextEdit", "fixes", "format_document"]


@dataclass(frozen=True)
class TextEdit:
    """Replace the text from (line, start) to (end_line, end) with `text` (0-based)."""

    line: int
    start: int
    end_line: int
    end: int
    text: str


@dataclass(frozen=True)
class Action:
    """A quick fix in the editor: the finding's fix, its edits placed in the open text."""

    title: str
    finding: Diagnostic
    edits: tuple[TextEdit, ...]


def _placed(analysis: Analysis, edit: FixEdit) -> TextEdit | None:
    """The edit in 0-based positions, or None when the text there is not what it replaces."""
    lines = analysis.text_lines
    line, end_line = edit.line - 1, edit.end_line - 1
    start, end = edit.column - 1, edit.end_column - 1
    if not 0 <= line <= end_line < len(lines) or start < 0 or end < 0:
        return None
    if start > len(lines[line]) or end > len(lines[end_line]):
        return None
    if line == end_line:
        written = lines[line][start:end] if start <= end else None
    else:
        written = "\n".join([lines[line][start:], *lines[line + 1:end_line],
                             lines[end_line][:end]])
    if written != edit.original:
        return None
    return TextEdit(line, start, end_line, end, edit.text)


def fixes(analysis: Analysis, line: int, end_line: int) -> Iterator[Action]:
    """The fixes of the findings on lines `line` to `end_line` (0-based, inclusive)."""
    if analysis.text_lines != analysis.lines:  # positions are of an older text
        return
    for finding in analysis.diagnostics:
        if finding.suppressed or not line <= finding.line - 1 <= end_line:
            continue
        for fix in finding.fixes:
            placed = [_placed(analysis, edit) for edit in fix.edits]
            edits = tuple(edit for edit in placed if edit is not None)
            if edits and len(edits) == len(placed):
                yield Action(fix.title, finding, edits)


def format_document(analysis: Analysis) -> TextEdit | None:
    """`charterc fmt` of a `.charter` text as one edit; None when it is formatted or
    does not load (formatting never rewrites a text it cannot read)."""
    if not analysis.dsl:
        return None
    from ..authoring.fmt import format_text

    formatted, _ = format_text(analysis.text, analysis.path)
    if formatted is None or formatted == analysis.text:
        return None
    lines = analysis.text.split("\n")
    return TextEdit(0, 0, len(lines) - 1, len(lines[-1]), formatted)
