"""`charterc diff OLD NEW --redline -o DIR`: what each party signs differently (spec 8.2).

For each charter compared on both sides, the charter document and every client agreement
are rendered in Markdown from OLD and from NEW (the same templates `charterc build` uses,
without an issue date, which would differ for no reason), then compared word by word:

    lines matched (difflib) -> each run of changed lines compared word by word
    -> marked lines: segments kept (=), removed (-) or added (+)
    -> the clauses (a heading and its lines) holding a change
    -> Markdown and HTML with <del> around removed words and <ins> around added ones

A document whose text does not change (but for the canonical charter's sha256, which any
change anywhere alters) gets no redline; the agreement of a client added or removed is all
<ins> or all <del>. Each redline is headed by the version change and the
semver verdict of `charterc diff` (render/diff.py). The files are written together,
atomically (publish.files.write_all), as `DIR/<charter id>/charter.<lang>.md` and
`.html`, and `DIR/<charter id>/agreements/<client>.<lang>.md` and `.html`.
"""
from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import CharterDiff, DiffResult

__all__ = ["Redline", "mark_words", "redlines", "render_html", "render_markdown", "write"]

# A marked line: its segments, each (kind, text) with kind "=" kept, "-" removed, "+" added.
Segment = tuple[str, str]
Line = list[Segment]


@dataclass
class Redline:
    """One document's redline: where it goes, what it is, the clauses that change."""

    path: str                      # DIR-relative, without the `.<lang>.<ext>` ending
    title: str                     # the document's first heading, as NEW has it (else OLD)
    heading: str                   # "<id> 1.2.0 -> 2.0.0"
    verdict: str                   # "requires a major bump; made a major bump"
    lang: str
    clauses: list[list[Line]] = field(default_factory=list)


_TOKEN = re.compile(r"\s+|\S+")
# a sha256 in hex: every document prints the canonical charter's, which changes with any
# change anywhere in the charter; a document whose text differs by it alone is not redlined
_HASH = re.compile(r"\b[0-9a-f]{64}\b")


def _words(lines: Sequence[str]) -> list[str]:
    return _TOKEN.findall("\n".join(lines))


def mark_words(old: str, new: str) -> list[Line]:
    """`old` -> `new`, line by line: lines matched first, then the words of each run of
    changed lines (whitespace kept as its own token, so the text reads as written)."""
    a, b = old.split("\n"), new.split("\n")
    marked: list[Line] = []
    lines = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in lines.get_opcodes():
        if op == "equal":
            marked += [[("=", line)] for line in b[j1:j2]]
        elif op == "delete":
            marked += [[("-", line)] for line in a[i1:i2]]
        elif op == "insert":
            marked += [[("+", line)] for line in b[j1:j2]]
        else:
            marked += _word_lines(_words(a[i1:i2]), _words(b[j1:j2]))
    return marked


def _word_lines(a: list[str], b: list[str]) -> list[Line]:
    """Words `a` -> `b` as marked lines (a newline in a changed token ends its line)."""
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in _runs(matcher.get_opcodes(), a):
        if op == "equal":
            segments.append(("=", "".join(b[j1:j2])))
            continue
        if op in ("delete", "replace"):
            segments.append(("-", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(("+", "".join(b[j1:j2])))
    lines: list[Line] = [[]]
    for kind, text in segments:
        parts = text.split("\n")
        for n, part in enumerate(parts):
            if n:
                lines.append([])
            if part:
                lines[-1].append((kind, part))
    # a line made only of removed words is the old line; of added, the new one: both shown
    return lines


Opcode = tuple[str, int, int, int, int]


def _runs(opcodes: Sequence[Opcode], a: list[str]) -> list[Opcode]:
    """The opcodes with the white space kept between two changes made part of them: "Group
    CFO" -> "Chief Financial Officer" reads as one removal and one addition, not as three
    alternations of a word removed and a word added."""
    merged: list[Opcode] = []
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        between = (op == "equal" and 0 < n < len(opcodes) - 1
                   and all(not token.strip() and "\n" not in token for token in a[i1:i2]))
        if merged and merged[-1][0] != "equal" and (op != "equal" or between):
            merged[-1] = ("replace", merged[-1][1], i2, merged[-1][3], j2)
        else:
            merged.append((op, i1, i2, j1, j2))
    return merged


def _changed(line: Line) -> bool:
    return any(kind != "=" for kind, _ in line)


def _clauses(lines: list[Line]) -> Iterator[list[Line]]:
    """The marked lines cut at each heading; only the clauses holding a change."""
    clause: list[Line] = []
    for line in lines:
        if clause and "".join(text for _, text in line).startswith("#"):
            if any(_changed(x) for x in clause):
                yield clause
            clause = []
        clause.append(line)
    if any(_changed(x) for x in clause):
        yield clause


def _title(markdown: str) -> str:
    for line in markdown.split("\n"):
        if line.startswith("# "):
            return line[2:].strip()
    return ""


# the words of a changed segment: tags around each run of words between a table's cell
# separators (white space at either end left outside), so that a marked row stays a row
_PIECES = re.compile(r"(\s*(?<!\\)\|\s*|^\s+|\s+$)")
_MARKS = {"-": ("<del>", "</del>"), "+": ("<ins>", "</ins>")}
# the same marks while a line is turned into HTML: private-use characters, replaced by the
# tags once the text is escaped
_SENTINELS = {"-": ("\ue000", "\ue001"), "+": ("\ue002", "\ue003")}


# what a line starts with that makes it a heading or a list item, and a table's delimiter
# cells: left outside the marks, or the line would no longer be one
_BLOCK = re.compile(r"^(?:#{1,6} |[-*] )")
_DELIMITER = re.compile(r":?-{3,}:?")


def _marked(line: Line, marks: dict[str, tuple[str, str]]) -> str:
    out: list[str] = []
    for n, (kind, text) in enumerate(line):
        if kind == "=":
            out.append(text)
            continue
        block = _BLOCK.match(text) if n == 0 else None
        if block:
            out.append(block.group(0))
            text = text[block.end():]
        opening, closing = marks[kind]
        out += [piece if not piece or _PIECES.fullmatch(piece) or _DELIMITER.fullmatch(piece)
                else opening + piece + closing for piece in _PIECES.split(text)]
    return "".join(out)


def render_markdown(redline: Redline) -> str:
    """The redline in Markdown: the changed clauses as the documents write them, with
    `<del>` and `<ins>` around the changed words (inline HTML, which Markdown keeps)."""
    out = [f"# Redline: {redline.title}", "",
           f"**{redline.heading}**: {redline.verdict}.", "",
           "Removed words are struck through (<del>like this</del>), added words are "
           "marked (<ins>like this</ins>); clauses without a change are not shown.", ""]
    for clause in redline.clauses:
        out += [_marked(line, _MARKS) for line in clause]
        if out[-1].strip():
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


_UNESCAPE = re.compile(r"\\([\\`*_\[\]|~#+\-.!()>{}])")
_CODE = re.compile(r"`([^`]*)`")
_STRONG = re.compile(r"\*\*(.+?)\*\*")


def _inline(text: str) -> str:
    """A Markdown line's inline markup (code, strong, escapes) as HTML, marks kept."""
    text = html.escape(html.unescape(text), quote=False)   # Markdown's entities as HTML's
    text = _CODE.sub(lambda m: f"<code>{m.group(1)}</code>", text)
    text = _STRONG.sub(r"<strong>\1</strong>", text)
    text = _UNESCAPE.sub(r"\1", text)
    for kind, (opening, closing) in _SENTINELS.items():
        tag_open, tag_close = _MARKS[kind]
        text = text.replace(opening, tag_open).replace(closing, tag_close)
    return text


_SEPARATOR = re.compile(r"^\|(\s*:?-+:?\s*\|)+\s*$")
_CELL = re.compile(r"(?<!\\)\|")


def _html_lines(clause: list[Line]) -> Iterator[str]:
    """A clause's Markdown (headings, paragraphs, tables: what the templates write) as
    HTML."""
    rows: list[str] = []
    for line in [*clause, [("=", "")]]:
        text = _marked(line, _SENTINELS)
        plain = "".join(t for _, t in line)
        if plain.startswith("|"):
            if not _SEPARATOR.match(plain):
                rows.append(text)
            continue
        if rows:
            yield "<table>"
            for n, row in enumerate(rows):
                cells = _CELL.split(row.strip())[1:-1]
                tag = "th" if n == 0 else "td"
                yield "<tr>" + "".join(f"<{tag}>{_inline(c.strip())}</{tag}>"
                                       for c in cells) + "</tr>"
            yield "</table>"
            rows = []
        if not plain.strip():
            continue
        heading = re.match(r"^(#{1,6}) ", plain)
        if heading:
            level = len(heading.group(1))
            yield f"<h{level}>{_inline(text[level + 1:])}</h{level}>"
        else:
            yield f"<p>{_inline(text)}</p>"


_STYLE = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
          "padding:0 1rem;line-height:1.45;color:#1b1f24}"
          "table{border-collapse:collapse;margin:.6rem 0}"
          "th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}"
          "del{background:#ffebe9;color:#82071e}ins{background:#dafbe1;color:#116329;"
          "text-decoration:none;border-bottom:1px solid #116329}"
          ".clause{border-top:1px solid #d0d7de;margin-top:1.2rem}")


def render_html(redline: Redline) -> str:
    """The redline as a stand-alone HTML page."""
    title = html.escape(f"Redline: {redline.title}")
    out = ["<!DOCTYPE html>", f'<html lang="{html.escape(redline.lang)}">', "<head>",
           '<meta charset="utf-8">', f"<title>{title}</title>",
           f"<style>{_STYLE}</style>", "</head>", "<body>", f"<h1>{title}</h1>",
           f"<p><strong>{html.escape(redline.heading)}</strong>: "
           f"{html.escape(redline.verdict)}.</p>",
           "<p>Removed words are struck through (<del>like this</del>), added words are "
           "marked (<ins>like this</ins>); clauses without a change are not shown.</p>"]
    for clause in redline.clauses:
        out.append('<section class="clause">')
        out += _html_lines(clause)
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _documents(diff: CharterDiff, lang: str) -> Iterator[tuple[str, str, str]]:
    """(path, OLD's Markdown, NEW's Markdown) of the charter document and of each
    client's agreement ("" on the side where it does not exist)."""
    from ..render import Documents
    from ..render.view import Subject, agreement_view, charter_view
    documents = Documents()
    sides = []
    for side in (diff.old_side, diff.new_side):
        assert side is not None
        model, sources = side
        subject = Subject(model, sources, sources.file)
        texts = {"charter": documents.render("md", lang, "charter", charter_view(subject))}
        for client in model.clients:
            texts[f"agreements/{client.id}"] = documents.render(
                "md", lang, "agreement", agreement_view(subject, client))
        sides.append(texts)
    old, new = sides
    for path in list(new) + [p for p in old if p not in new]:
        yield path, old.get(path, ""), new.get(path, "")


def redlines(result: DiffResult, lang: str = "en") -> list[Redline]:
    """The redline of every document whose text changes, charter by charter."""
    from ..render.diff import _title as version_change
    from ..render.diff import _verdict
    found: list[Redline] = []
    for diff in result.charters:
        if diff.old_side is None or diff.new_side is None:
            continue
        for path, old, new in _documents(diff, lang):
            if _HASH.sub("", old) == _HASH.sub("", new):
                continue   # the same text: only the canonical document's hash differs
            clauses = list(_clauses(mark_words(old, new)))
            if not clauses:
                continue
            found.append(Redline(f"{diff.id}/{path}", _title(new) or _title(old),
                                 version_change(diff), _verdict(diff), lang, clauses))
    return found


def write(found: Sequence[Redline], folder: str) -> list[str]:
    """Write every redline into `folder` (created if need be), all files at once; the
    paths written, relative to `folder`."""
    from pathlib import Path

    from ..publish.files import write_all
    files: dict[Path, bytes] = {}
    for redline in found:
        for ext, render in ((".md", render_markdown), (".html", render_html)):
            files[Path(folder) / f"{redline.path}.{redline.lang}{ext}"] = \
                render(redline).encode("utf-8")
    for path in files:
        path.parent.mkdir(parents=True, exist_ok=True)
    write_all(files)
    return [str(p.relative_to(folder)) for p in files]
