"""A clause's block of text, written in Python: what `_clause.html.j2` and `_clause.md.j2` print.

An agreement prints some fifteen clauses, each through `{% include %}`: every include makes
a new template context (a copy of the document's whole view) and every printed value
passes through the environment's finalize and escape, a sixth of a build. The built-in
templates' environment has its `{% include "_clause.<fmt>.j2" %}` compiled to
`{{ clause|clause_block }}` (`render._inlined_clauses`), the filter being one of these
functions; overrides keep the include, so a `--templates` folder's `_clause.*.j2` is used
as written. Each function writes byte for byte what its template writes (trim_blocks and
lstrip_blocks applied), values escaped as the environment escapes them:
`tests/test_render_equivalence.py` renders every bundled document both ways.
"""
from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from ..bounded import remember
from .clauses import Clause
from .filters import html_text
from .markdown import MdSafe
from .markdown import finalize as md_finalize

__all__ = ["BLOCKS", "html", "markdown"]


def _html_value(value: object) -> str:
    """`{{ value }}` in an HTML template: finalized, then autoescaped."""
    return str(html_text(value))


def html(clause: Clause) -> Markup:
    """`_clause.html.j2`: the clause's opening `<div>`, heading and paragraphs (the including
    template closes the `<div>` after its own tables)."""
    key = _content(clause)
    return _HTML.get(key) or remember(_HTML, key, _html(clause), _KEPT)


def _html(clause: Clause) -> Markup:
    v = _html_value
    number = clause.number
    out = [f'<div class="clause" id="clause-{v(clause.key)}">\n'
           f"<h2>{number}. {v(clause.title)}</h2>\n"]
    for index, para in enumerate(clause.paras, start=1):
        out.append(f"<p>{number}.{index}. {v(para.text)}</p>\n")
        if para.items:
            out.append("<ul>\n")
            out += [f"<li>{v(item)}</li>\n" for item in para.items]
            out.append("</ul>\n")
        if para.table:
            head, rows = para.table
            out.append("<table>\n<thead><tr>")
            out += [f'<th scope="col"{"" if first else _NUM}>{v(cell)}</th>'
                    for first, cell in _firsts(head)]
            out.append("</tr></thead>\n<tbody>\n")
            for row in rows:
                out.append("<tr>")
                out += [f'<th scope="row">{v(cell)}</th>' if first
                        else f'<td class="num">{v(cell)}</td>' for first, cell in _firsts(row)]
                out.append("</tr>\n")
            out.append("</tbody>\n</table>\n")
    return Markup("".join(out))


def markdown(clause: Clause) -> MdSafe:
    """`_clause.md.j2`: the clause's heading and numbered paragraphs, lists and tables."""
    key = _content(clause)
    return _MARKDOWN.get(key) or remember(_MARKDOWN, key, _markdown(clause), _KEPT)


def _markdown(clause: Clause) -> MdSafe:
    v = md_finalize
    number = clause.number
    out = [f"## {number}. {v(clause.title)}\n\n"]
    for index, para in enumerate(clause.paras, start=1):
        out.append(f"{number}.{index}. {v(para.text)}\n")
        if para.items:
            out.append("\n")
            out += [f"- {v(item)}\n" for item in para.items]
        if para.table:
            head, rows = para.table
            out.append("\n|" + "".join(f" {v(cell)} |" for cell in head) + "\n")
            out.append("|---|" + "---:|" * len(head[1:]) + "\n")
            out += ["|" + "".join(f" {v(cell)} |" for cell in row) + "\n" for row in rows]
        out.append("\n")
    return MdSafe("".join(out))


_NUM = ' class="num"'


# Most clauses of a charter's agreements read the same for every client (or every client
# of a tier): each distinct clause is written once per format. What a block is written
# from is its content (number, key, title, and each paragraph's text, items and table);
# bounded, emptied when full.
_HTML: dict[tuple[object, ...], Markup] = {}
_MARKDOWN: dict[tuple[object, ...], MdSafe] = {}
_KEPT = 4096


def _content(clause: Clause) -> tuple[object, ...]:
    """What a clause's block is written from, as a key: each value a text, or (for a value
    of another type, such as text escaped already) its type's name and its text."""
    return (clause.number, clause.key, _value(clause.title), tuple(
        (_value(p.text), tuple(map(_value, p.items)),
         None if not p.table else (tuple(map(_value, p.table[0])),
                                   tuple(tuple(map(_value, row)) for row in p.table[1])))
        for p in clause.paras))


def _value(value: object) -> object:
    return value if type(value) is str else (type(value).__name__, str(value))


def _firsts(cells: list[str]) -> list[tuple[bool, str]]:
    """Each cell with whether it is the first (`loop.first`)."""
    return [(i == 0, cell) for i, cell in enumerate(cells)]


# format -> the block writer its built-in templates' `clause_block` filter is
BLOCKS: dict[str, Callable[[Clause], str]] = {"html": html, "md": markdown}
