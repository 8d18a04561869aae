"""Markdown escaping: user text must read as text, never as markup or table structure.

A charter field may hold `|` (which would split a table cell), `*`/`_` (emphasis),
or raw HTML such as `<script>` (which Markdown passes through to the page). Every
value a Markdown template prints goes through `escape` (the environment's
`finalize`), so a template cannot forget it; `MdSafe` marks text that is already
escaped or is deliberate markup, the way `markupsafe.Markup` does for HTML.
"""
from __future__ import annotations

import re

from ..bounded import remember

__all__ = ["MdSafe", "escape", "md_filter", "scrub"]

# Backslash-escape the punctuation that acts anywhere in a line (emphasis, code, links,
# cells, strike-through) and the markers that act at its start (lists, headings).
# HTML-significant characters become entities: a backslash before `<` is not honoured
# by every renderer, an entity is.
_PUNCT = re.compile(r"([\\`*_\[\]|~])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ENTITY = re.compile(r"[&<>]")
_LINE_START = re.compile(r"^(\s*)([-+=#]|\d+[.)])(?=\s|$)", re.MULTILINE)
_SPECIAL = re.compile(r"[\\`*_\[\]|~&<>\r\n]|^\s*(?:[-+=#]|\d+[.)])(?=\s|$)")
_NEWLINES = re.compile(r"[ \t]*[\r\n]+[ \t]*")   # not str.split(): keep no-break spaces
# NUL and the other controls that are not white space: an HTML parser turns NUL into
# U+FFFD or drops it, a terminal or an editor may act on the rest. A charter's quoted
# text can hold them ("\0", "\e"); a document shows the replacement character instead.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def scrub(text: str) -> str:
    """`text` with every non-white-space control character replaced by U+FFFD."""
    return _CONTROL.sub("\ufffd", text) if _CONTROL.search(text) else text


def _line_start(match: re.Match[str]) -> str:
    """Escape the punctuation of a list or heading marker: `- ` -> `\\- `, `1. ` -> `1\\. `."""
    marker = match.group(2)
    return match.group(1) + marker[:-1] + "\\" + marker[-1]


class MdSafe(str):
    """Text that is already Markdown (escaped user text, or template-made markup)."""

    __slots__ = ()


def escape(value: object) -> MdSafe:
    """User text -> Markdown that shows exactly that text, on one line (safe in table cells)."""
    if type(value) is str:  # most values
        text = value
    elif isinstance(value, MdSafe):
        return value
    else:
        text = str(value)
    return _ESCAPED.get(text) or remember(_ESCAPED, text, _escaped(text))


# A portfolio's documents print the same texts over and over (labels, names, figures,
# each agreement's shared sentences): each text is escaped once (bounded).
_ESCAPED: dict[str, MdSafe] = {}


def _escaped(text: str) -> MdSafe:
    text = scrub(text)
    if not _SPECIAL.search(text):  # most values (names, figures) need nothing
        return MdSafe(text)
    text = _ENTITY.sub(lambda m: _ENTITIES[m.group(0)], text)
    text = _PUNCT.sub(r"\\\1", text)
    text = _LINE_START.sub(_line_start, text)  # a leading "-" or "1." would start a list
    return MdSafe(_NEWLINES.sub(" ", text))     # a newline would end a table row


def md_filter(value: object) -> MdSafe:
    """The `md` filter: explicit escaping for user text in tables."""
    return escape(value)


def finalize(value: object) -> str:
    """Environment `finalize` for Markdown templates: escape whatever is printed."""
    if value is None:
        return ""
    return escape(value)
