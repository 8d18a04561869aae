"""`charterc fmt`: rewrite a `.charter` text in the canonical layout, keeping its comments.

The text is loaded (any P10x error stops here: nothing is rewritten), written again by
`writers.dsl`, and the comments are put back:

- a full-line comment goes above the statement that followed it in the source, at
  that statement's indentation (a comment before a closing `}` stays at the end of
  its block; comments after the last statement stay at the end of the file);
- an end-of-line comment stays at the end of its statement's line.

Statements are matched by the JSON pointer of what they set, so a comment follows its
statement when the layout moves it. Formatting a formatted text changes nothing.
"""
from __future__ import annotations

from ..diagnostics import Diagnostic, Severity
from ..loaders import error
from ..loaders.dsl import load_with_anchors
from . import Unrepresentable
from .dsl import Line
from .dsl import lines as layout

__all__ = ["format_text"]

_END = "#end"  # anchor of comments after the last statement

Comments = dict[str, list[str]]  # statement pointer -> its comments


def format_text(text: str, file: str) -> tuple[str | None, list[Diagnostic]]:
    """The canonical form of a `.charter` text, or None and the diagnostics that prevent it."""
    loaded, anchors = load_with_anchors(text, file)
    errors = [d for d in loaded.diagnostics if d.severity is Severity.ERROR]
    if loaded.document is None or errors:
        return None, loaded.diagnostics
    try:
        out = layout(loaded.document)
    except Unrepresentable as exc:  # pragma: no cover - a loaded DSL document is writable
        return None, [error("P103", f"cannot write {exc.pointer}: {exc.reason}", file)]
    source = [line.rstrip("\r") for line in text.split("\n")]
    above, trailing = _comments(source, _statement_lines(source, anchors))
    return _merge(out, above, trailing), loaded.diagnostics


def _split_comment(line: str) -> tuple[str, str]:
    """`code # note` -> (`code`, `# note`), ignoring `#` inside quoted text."""
    quoted = escaped = False
    for index, char in enumerate(line):
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "#" and not quoted:
            return line[:index].rstrip(), line[index:].rstrip()
    return line.rstrip(), ""


def _statement_lines(source: list[str], anchors: dict[int, str]) -> dict[int, str]:
    """Line -> pointer, for statement lines and the closing `}` of blocks."""
    result = dict(anchors)
    stack: list[str] = []
    for number, line in enumerate(source, start=1):
        code = _split_comment(line)[0].strip()
        if code.startswith("}"):
            if stack:
                result[number] = stack.pop() + "/}"
        elif code.endswith("{"):
            stack.append(anchors.get(number, ""))
    return result


def _comments(source: list[str], statements: dict[int, str]) -> tuple[Comments, Comments]:
    above: dict[str, list[str]] = {}
    trailing: dict[str, list[str]] = {}
    pending: list[str] = []
    for number, line in enumerate(source, start=1):
        code, comment = _split_comment(line)
        if not code.strip():
            if comment:
                pending.append(comment)
            continue
        pointer = statements.get(number)
        if pointer is None:
            continue
        if pending:
            above.setdefault(pointer, []).extend(pending)
            pending = []
        if comment:
            trailing.setdefault(pointer, []).append(comment)
    if pending:
        above[_END] = pending
    return above, trailing


def _merge(out: list[Line], above: dict[str, list[str]], trailing: dict[str, list[str]]) -> str:
    index: dict[str, int] = {}
    for position, (_, text, pointer) in enumerate(out):
        if text:
            index.setdefault(pointer, position)
    before: dict[int, list[str]] = {}
    after: dict[int, list[str]] = {}
    for table, target in ((above, before), (trailing, after)):
        for pointer, comments in table.items():
            if pointer == _END:
                continue
            target.setdefault(_locate(index, pointer), []).extend(comments)
    lines = []
    for position, (depth, text, pointer) in enumerate(out):
        indent = "  " * (depth + (1 if pointer.endswith("/}") else 0))
        ends = after.get(position, [])
        for comment in before.get(position, []) + ends[1:]:
            lines.append(indent + comment)
        if text:
            lines.append("  " * depth + text + (f"  {ends[0]}" if ends else ""))
        else:
            lines.append("")
    if _END in above:
        lines.append("")
        lines.extend(above[_END])
    return "\n".join(lines) + "\n"


def _locate(index: dict[str, int], pointer: str) -> int:
    """Output line of `pointer`, else of its nearest ancestor that has one, else the first."""
    probe = pointer
    while probe:
        if probe in index:
            return index[probe]
        probe = probe[:-2] if probe.endswith("/}") else probe.rsplit("/", 1)[0]
    return 0
