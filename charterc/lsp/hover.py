"""Hover text: a finding's rule as `charterc explain` prints it, what an id reference
refers to, and a field's schema description and default.

The three are put together when they apply at once (a misspelt tier is both a
finding and a reference), finding first.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import pointer_parts
from .analysis import Analysis, Spot, span
from .fields import default_of, field_at
from .navigation import LISTS, definition, references_to, target_at

__all__ = ["Hover", "explain", "hover"]


@dataclass(frozen=True)
class Hover:
    markdown: str
    line: int
    start: int
    end: int


def explain(rule_id: str) -> str | None:
    """`charterc explain ID`'s text, as Markdown."""
    from ..diagnostics.rules import RULES

    entry = RULES.get(rule_id)
    if entry is None:
        return None
    body = entry.doc.split("\n", 1)[1].strip() if "\n" in entry.doc else ""
    text = f"**{entry.id}** ({entry.severity.value}): {entry.title}"
    return text + (f"\n\n```\n{body}\n```" if body else "")


def _findings(analysis: Analysis, line: int, character: int) -> tuple[list[str], Spot | None]:
    texts: list[str] = []
    where: Spot | None = None
    for finding in analysis.diagnostics:
        if finding.suppressed:
            continue
        number, start, end = span(analysis, finding.line, finding.column)
        if number == line and start <= character <= end:
            text = explain(finding.rule)
            if text and text not in texts:
                texts.append(text)
                where = where or Spot(finding.pointer, False, number, start, end)
    return texts, where


def _reference(analysis: Analysis, line: int, character: int) -> tuple[str, Spot] | None:
    found = target_at(analysis, line, character)
    if found is None:
        return None
    target, spot = found
    if target.among == "rules":  # a suppression names a rule: what it suppresses
        text = explain(target.id)
        return (text, spot) if text else None
    word = LISTS.get(target.among, "priority")
    defined = definition(analysis, target)
    if defined is None:
        return f"{word} `{target.id}`: not defined in this charter", spot
    entry = analysis.value(defined.pointer.rsplit("/", 1)[0]) if target.among in LISTS else None
    name = entry.get("name") if isinstance(entry, dict) else None
    text = f"{word} `{target.id}`" + (f": {name}" if isinstance(name, str) else "")
    text += f", defined at line {defined.line + 1}"
    if defined.line == spot.line and defined.start == spot.start:
        uses = len(references_to(analysis, target, declaration=False))
        text += f" (referenced {uses} time{'s' if uses != 1 else ''})"
    return text, spot


def _field(analysis: Analysis, line: int, character: int) -> tuple[str, Spot] | None:
    spot = analysis.spot_at(line, character)
    if spot is None:
        return None
    parts = pointer_parts(spot.pointer)
    found = field_at(parts)
    if found is None or not found.description:
        return None
    name = ".".join("[]" if p.isdigit() else p for p in parts).replace(".[]", "[]")
    text = f"`{name}`: {found.description}"
    default = default_of(found.description)
    if default is not None:
        text += f"\n\nDefault: {default}"
    return text, spot


def hover(analysis: Analysis, line: int, character: int) -> Hover | None:
    """What to show at the position, or None."""
    texts, where = _findings(analysis, line, character)
    for part in (_reference(analysis, line, character), _field(analysis, line, character)):
        if part is not None:
            texts.append(part[0])
            where = where or part[1]
    if not texts or where is None:
        return None
    return Hover("\n\n---\n\n".join(texts), where.line, where.start, where.end)
