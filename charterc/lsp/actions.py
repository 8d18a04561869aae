"""Code actions from the hints that have one safe edit, and `fmt` as document formatting.

- `quote it: "1.10"` (S201): the number becomes the quoted text it was written as;
- `did you mean 'legal'?` (R301): the unknown id becomes the one suggested;
- `add a response target for P4` (T601): the missing priority gets the target of the
  priority before it (else after it), so T603's order holds, written where the
  objective's other targets are (`, P4: 3d` in a flow mapping, a line in a block).

An action is offered only when the text at the finding is what the finding names,
so an edit never lands on text that changed since the check.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..diagnostics import Diagnostic, pointer_parts
from .analysis import Analysis, span

__all__ = ["Edit", "Fix", "fixes", "format_document"]


@dataclass(frozen=True)
class Edit:
    """Replace the text from (line, start) to (end_line, end) with `text` (0-based)."""

    line: int
    start: int
    end_line: int
    end: int
    text: str


@dataclass(frozen=True)
class Fix:
    title: str
    finding: Diagnostic
    edits: tuple[Edit, ...]


# the quotes alone are the safe edit, even when the hint goes on to say what else is needed
_QUOTE = re.compile(r'^quote it: "([^"]*)"(?:;|$)')
_MEAN = re.compile(r"^did you mean '([^']+)'\?$")
_UNKNOWN = re.compile(r"^unknown \w+ '([^']*)'$")


def _at(analysis: Analysis, finding: Diagnostic) -> tuple[int, int, int, str]:
    line, start, end = span(analysis, finding.line, finding.column)
    lines = analysis.text_lines
    return line, start, end, lines[line][start:end] if line < len(lines) else ""


def _quote(analysis: Analysis, finding: Diagnostic) -> Fix | None:
    match = _QUOTE.match(finding.hint)
    if match is None or analysis.dsl:
        return None
    line, start, end, written = _at(analysis, finding)
    if written != match.group(1):
        return None
    return Fix(f'Quote it: "{written}"', finding,
               (Edit(line, start, line, end, f'"{written}"'),))


def _did_you_mean(analysis: Analysis, finding: Diagnostic) -> Fix | None:
    match = _MEAN.match(finding.hint)
    unknown = _UNKNOWN.match(finding.message)
    if match is None or unknown is None:
        return None
    line, start, end, written = _at(analysis, finding)
    if written.strip("\"'") != unknown.group(1):
        return None
    siblings = analysis.value(finding.pointer.rsplit("/", 1)[0])
    if isinstance(siblings, dict | list) and match.group(1) in siblings:
        return None  # the suggestion is there already: the edit would write it twice
    return Fix(f"Change to '{match.group(1)}'", finding,
               (Edit(line, start, line, end, match.group(1)),))


def _missing_priorities(analysis: Analysis, finding: Diagnostic) -> Fix | None:
    if finding.rule != "T601" or not finding.hint.startswith("add a "):
        return None
    objective = analysis.value(finding.pointer)
    priorities = analysis.value("/priorities")
    if not isinstance(objective, dict) or not isinstance(priorities, list):
        return None
    written = [p for p in priorities if p in objective]
    missing = [p for p in priorities if p not in objective]
    if not written or not missing or analysis.sources is None:
        return None
    placed = [(analysis.sources.keys[f"{finding.pointer}/{key}"], key) for key in written
              if f"{finding.pointer}/{key}" in analysis.sources.keys]
    if not placed:
        return None
    last = max(placed)  # the new targets go after the last one written
    after = analysis.locate(f"{finding.pointer}/{last[1]}")
    opening = analysis.locate(finding.pointer)
    if after is None or opening is None:
        return None
    lines = analysis.text_lines
    targets = {p: _written(analysis, f"{finding.pointer}/{p}") for p in written}
    added: list[str] = []
    for priority in missing:
        index = priorities.index(priority)
        before = [targets[p] for p in priorities[:index] if p in targets]
        later = [targets[p] for p in priorities[index + 1:] if p in targets]
        value = before[-1] if before else later[0]
        if value is None:
            return None
        added.append(f"{priority}: {value}" if not analysis.dsl else f"{priority} {value}")
    flow = analysis.dsl or lines[opening.line][opening.start:opening.start + 1] == "{"
    if flow:
        text = "".join(f", {entry}" for entry in added)
        edit = Edit(after.line, after.end, after.line, after.end, text)
    else:
        key = analysis.locate(f"{finding.pointer}/{last[1]}", key=True)
        if key is None:
            return None
        end = len(lines[after.line])
        text = "".join(f"\n{' ' * key.start}{entry}" for entry in added)
        edit = Edit(after.line, end, after.line, end, text)
    kind = pointer_parts(finding.pointer)[-1]
    return Fix(f"Add {', '.join(added)} to the {kind} objective", finding, (edit,))


def _written(analysis: Analysis, pointer: str) -> str | None:
    spot = analysis.locate(pointer)
    lines = analysis.text_lines
    if spot is None or spot.line >= len(lines):
        return None
    return lines[spot.line][spot.start:spot.end] or None


FIXERS = (_quote, _did_you_mean, _missing_priorities)


def fixes(analysis: Analysis, line: int, end_line: int) -> Iterator[Fix]:
    """The fixes of the findings on lines `line` to `end_line` (0-based, inclusive)."""
    if analysis.text_lines != analysis.lines:  # positions are of an older text
        return
    for finding in analysis.diagnostics:
        if finding.suppressed or not line <= finding.line - 1 <= end_line:
            continue
        for fixer in FIXERS:
            fix = fixer(analysis, finding)
            if fix is not None:
                yield fix


def format_document(analysis: Analysis) -> Edit | None:
    """`charterc fmt` of a `.charter` text as one edit; None when it is formatted or
    does not load (formatting never rewrites a text it cannot read)."""
    if not analysis.dsl:
        return None
    from ..authoring.fmt import format_text

    formatted, _ = format_text(analysis.text, analysis.path)
    if formatted is None or formatted == analysis.text:
        return None
    lines = analysis.text.split("\n")
    return Edit(0, 0, len(lines) - 1, len(lines[-1]), formatted)
