"""The output formats: one registry read by the CLI's `--format` options, by the check of what
a command was asked for, and by every writer of documents.

A format is made one of three ways:

- from **templates** (`render/templates/<document>.<format>.j2`), every printed value passed
  through the format's `finalize` (Markdown escapes, HTML tidies): `md`, `html`;
- **converted** from another format's output by a function `(text, Facts) -> bytes`:
  `pdf` from `html`;
- **serialised** from the document's typed result: `json`, and `text` and `md` for `diff`,
  whose documents are written by code, not templates.

Each format names the documents that have it (`formats_of`), so that a command's `--format`
accepts exactly those. Adding a converted or serialised format is one module (its function) and one
`Format` entry here (docs/architecture.md shows it); nothing else lists formats.

Functions are named as `"module:function"` and imported when a document of that format is
made, so that naming a format costs nothing at start-up (a PDF needs WeasyPrint, a chart
matplotlib).
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from ..errors import CharterError
from ..records import record

__all__ = ["FORMATS", "Attachment", "Facts", "Format", "OutputRequestError",
           "check_request", "formats_of", "function", "render_set",
           "templated"]


class OutputRequestError(CharterError, ValueError):
    """A command asked for a format or language its documents do not have (a usage error)."""


@record(eq=True)
class Attachment:
    """A file a document carries inside it (a PDF's embedded files)."""

    name: str
    data: bytes
    description: str
    relationship: str = "Data"    # PDF 2.0 AFRelationship: Data, Source, Supplement, ...


@record(eq=True)
class Facts:
    """What a converted document says about itself beyond its text: who issued it, when
    (never the clock: the same inputs give the same bytes), and the files it carries."""

    author: str
    created: date
    attachments: Sequence[Attachment] = ()


@record(eq=True)
class Format:
    """One output format. Exactly one of `finalize`, `convert` or `serialise` is set."""

    name: str                         # what users type after --format
    extension: str                    # of the files written
    label: str                        # in the index's links
    documents: tuple[str, ...]        # the documents that have it
    finalize: str | None = None       # templates: "module:function" every printed
    #                                   value passes through (escaping)
    convert: str | None = None        # converted: "module:function"(text, Facts) -> bytes
    from_format: str | None = None    # converted: the format it is made from
    serialise: str | None = None      # serialised: "module:function"(result) -> str, one
    #                                   file for every language (data, terminal text)
    available: str | None = None      # "module:function" raising OutputRequestError when a
    #                                   library the format needs is missing


_CONTRACTS = ("charter", "agreement")

FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("json", ".json", "JSON", ("report", "baseline", "diff", "statement"),
           serialise="charterc.render.data:dumps"),
    Format("md", ".md", "Markdown", (*_CONTRACTS, "report", "baseline", "statement"),
           finalize="charterc.render.markdown:finalize"),
    Format("html", ".html", "HTML", (*_CONTRACTS, "report", "baseline", "index", "statement"),
           finalize="charterc.render.filters:html_finalize"),
    Format("pdf", ".pdf", "PDF", (*_CONTRACTS, "report", "statement"),
           convert="charterc.render.pdf:convert", from_format="html",
           available="charterc.render.pdf:require"),
    # `charterc diff` prints to the terminal or a pull request, in one language
    Format("text", ".txt", "Text", ("diff",), serialise="charterc.render.diff:render_text"),
    Format("markdown", ".md", "Markdown", ("diff",),
           serialise="charterc.render.diff:render_markdown"),
    # `charterc statement`: claim deadlines, reviews and notice dates as a calendar
    Format("ics", ".ics", "Calendar", ("statement",),
           serialise="charterc.statement.calendar:dumps",
           available="charterc.statement.calendar:require"),
)}



def formats_of(document: str) -> tuple[str, ...]:
    """The formats `document` (charter, agreement, index, report, baseline, diff) has, in
    the registry's order: what its command's `--format` accepts."""
    return tuple(name for name, fmt in FORMATS.items() if document in fmt.documents)


def templated(document: str) -> tuple[str, ...]:
    """The formats of `document` rendered from its templates (the others are made from
    these, or serialised)."""
    return tuple(name for name in formats_of(document) if FORMATS[name].finalize is not None)


def function(spec: str) -> Callable[..., Any]:
    """The function a `"module:function"` names, imported now."""
    module, name = spec.split(":")
    found: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return found


def check_request(document: str, formats: Sequence[str], langs: Sequence[str] = ()) -> None:
    """OutputRequestError unless every format is one `document` has, every language that a
    format needs has a catalogue, and what the formats need can be loaded."""
    known_formats = formats_of(document)
    if not formats:
        raise OutputRequestError(f"no format given (expected {', '.join(known_formats)})")
    for name in formats:
        if name not in known_formats:
            raise OutputRequestError(f"unknown format {name!r} (expected "
                                     f"{', '.join(known_formats)})")
    if any(FORMATS[name].serialise is None for name in formats):
        from .i18n import languages
        known = languages()
        if not langs:
            raise OutputRequestError(f"no language given (known languages are "
                                     f"{', '.join(known)})")
        for lang in langs:
            if lang not in known:
                raise OutputRequestError(f"no catalogue for language {lang!r}: known languages "
                                         f"are {', '.join(known)}")
    for name in dict.fromkeys(formats):
        needs = FORMATS[name].available
        if needs:
            function(needs)()


def render_set(formats: Sequence[str], langs: Sequence[str], *,
               template: Callable[[str, str], str] | None = None,
               result: object = None, facts: Callable[[], Facts] | None = None,
               ) -> dict[str, bytes]:
    """Every file of one document: its name's ending (`.en.md`, `.json`) -> bytes.

    `template(format, lang)` renders the document's template of a templated format;
    `result` is what a serialised format writes; `facts()` what a converted one says of
    itself (asked once). A format made from another reuses that one's text in the same
    language, rendered once.
    """
    files: dict[str, bytes] = {}
    for name in formats:
        fmt = FORMATS[name]
        if fmt.serialise is not None and fmt.extension not in files:
            text: str = function(fmt.serialise)(result)
            files[fmt.extension] = text.encode("utf-8")
    stated: Facts | None = None
    for lang in langs:
        rendered: dict[str, str] = {}
        for name in formats:
            fmt = FORMATS[name]
            if fmt.serialise is not None:
                continue
            source = fmt.from_format or name
            if source not in rendered:
                assert template is not None, f"{source} is made from templates"
                rendered[source] = template(source, lang)
            if fmt.convert is None:
                files[f".{lang}{fmt.extension}"] = rendered[source].encode("utf-8")
                continue
            if stated is None:
                assert facts is not None, f"{name} is converted: its document states facts"
                stated = facts()
            files[f".{lang}{fmt.extension}"] = function(fmt.convert)(rendered[source], stated)
    return files
