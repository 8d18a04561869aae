"""YAML in block style, written directly: the bytes libyaml's emitter writes, without it.

`openslo.yaml` holds two documents per objective of every client, some three thousand
lines a charter; making an event per node and handing them to libyaml's emitter was a
sixth of a build. `documents_text` writes what the emitter writes with `width=100`,
`allow_unicode=True`, an explicit `---` before each document, block style, keys in their
order, an indent of 2 and sequences in a mapping not indented
(`openslo.dump_all`'s settings), for what it can be sure of:

- each document a non-empty mapping, every key a text that is a simple key (at most
  128 bytes);
- texts of characters libyaml prints as they are, without line breaks: plain where the
  emitter writes them plain, else single-quoted, and folded at a space past the width
  exactly as `yaml_emitter_write_plain_scalar` and `..._single_quoted_scalar` fold;
- numbers, booleans and null written plain, as the safe representer makes them;
- a container met once.

Anything else (a text that needs double quotes or holds a line break, a long key, a
tuple, a container met twice, ...) raises `Unusual`, and the caller leaves the whole
stream to the emitter. `tests/test_build_openslo.py` compares the two, byte for byte,
on generated documents.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import yaml
from yaml.nodes import Node, ScalarNode

from ..bounded import remember
from ..errors import CharterError

__all__ = ["Unusual", "documents_text"]

WIDTH = 100        # a space past this column ends the line (yaml.emit(width=100))
_INDENT = 2        # each nested mapping, and each scalar's folded lines, two columns in

# What libyaml prints as it is with allow_unicode (its IS_PRINTABLE), less its line
# breaks (U+2028, U+2029): tab, NEL, controls, U+FEFF, U+FFFE/U+FFFF, surrogates and
# characters beyond the BMP make it choose double quotes, which are left to it.
_UNPRINTED = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]")
# characters that, first in a text, keep it from being plain (yaml_emitter_analyze_scalar)
_LEADING = frozenset("#,[]{}&*!|>'\"%@`")


class Unusual(CharterError):
    """A stream this writer leaves to libyaml's emitter."""


# A scalar as it is written after a key's ":" or a "-": a space and its text (quotes
# included); the text's width in columns; how a space in it may end the line (None: it
# has none, "plain" or "'"); and the text itself.
_Plan = tuple[str, int, str | None, str]


def documents_text(documents: Iterable[object],
                   scalar: Callable[[object], tuple[str, tuple[bool, bool]]]) -> str:
    """Every document after `---`, as libyaml writes them. `scalar(value)` is the text
    and implicit flags yaml's safe representer gives a number, a boolean or null (the
    ScalarEvent's `value` and `implicit`). Unusual for what this writer leaves to libyaml."""
    out: list[str] = []
    for document in documents:
        if type(document) is not dict or not document:
            raise Unusual("a document that is not a non-empty mapping")
        out.append("---")
        _mapping(document, 0, out, set(), scalar, inline=False)
        out.append("\n")
    return "".join(out)


def _mapping(data: dict[Any, Any], indent: int, out: list[str], seen: set[int],
             scalar: Callable[[object], tuple[str, tuple[bool, bool]]], inline: bool) -> None:
    """A non-empty mapping, its keys at `indent`; `inline`: the first key goes on the
    current line (after a sequence's `- `)."""
    if id(data) in seen:
        raise Unusual("a container met twice (an anchor and an alias)")
    seen.add(id(data))
    heads = _heads(indent)
    for key, value in data.items():
        head = heads.get(key) if type(key) is str else None
        if head is None:
            head = _head(key, indent)
        # libyaml's column counts characters, as len() does
        if inline:  # the first key, on the line of the sequence's "- "
            head = head[indent + 1:]
            column = indent + len(head)
            inline = False
        else:  # "\n", the indent, the key and ":"
            column = len(head) - 1
        # a text value (most of them) is written here, without a call
        if type(value) is str:
            written, width, fold, _ = _TEXTS.get(value) or _text(value)
            if fold is None or column + width <= WIDTH:
                out.append(head + written)
            else:
                out.append(head + " " + _folded(value, column + 1,
                                                indent + _INDENT, fold == "'"))
        else:
            out.append(head)
            _value(value, indent, column, out, seen, scalar)


def _value(value: Any, indent: int, column: int, out: list[str], seen: set[int],
           scalar: Callable[[object], tuple[str, tuple[bool, bool]]]) -> None:
    """The node after `key:` or `-` (the column after them: `column`) of a container at
    `indent`."""
    kind = type(value)
    if kind is str:
        plan = _TEXTS.get(value) or _text(value)
    elif kind is dict:
        if not value:
            out.append(" {}")
        else:
            _mapping(value, indent + _INDENT, out, seen, scalar,
                     inline=False)
        return
    elif kind is list:
        if not value:
            out.append(" []")
        else:
            # in a mapping a sequence is not indented; after a sequence's `-` it is
            _sequence(value, indent, out, seen, scalar)
        return
    else:
        plan = _other(value, scalar)
    written, width, fold, raw = plan
    if fold is not None and column + width > WIDTH:
        out.append(" " + _folded(raw, column + 1, indent + _INDENT, fold == "'"))
    else:
        out.append(written)


def _sequence(items: list[Any], indent: int, out: list[str], seen: set[int],
              scalar: Callable[[object], tuple[str, tuple[bool, bool]]]) -> None:
    """A non-empty sequence whose `-` are at `indent`, each on a line of its own."""
    if id(items) in seen:
        raise Unusual("a container met twice (an anchor and an alias)")
    seen.add(id(items))
    dash = "\n" + " " * indent + "-"
    for item in items:
        out.append(dash)
        _item(item, indent, out, seen, scalar)


def _item(item: Any, indent: int, out: list[str], seen: set[int],
          scalar: Callable[[object], tuple[str, tuple[bool, bool]]]) -> None:
    """The node after a `-` at `indent`."""
    kind = type(item)
    if kind is dict and item:
        out.append(" ")
        _mapping(item, indent + _INDENT, out, seen, scalar, inline=True)
    elif kind is list and item:
        if id(item) in seen:
            raise Unusual("a container met twice (an anchor and an alias)")
        seen.add(id(item))
        inner = indent + _INDENT
        for index, nested in enumerate(item):
            out.append(" -" if index == 0 else "\n" + " " * inner + "-")
            _item(nested, inner, out, seen, scalar)
    else:
        _value(item, indent, indent + 1, out, seen, scalar)


# "\n", the indent, a key as written and ":", for each indent and key met (bounded): a
# portfolio's documents use the same few dozen keys
_HEADS: list[dict[str, str]] = []


def _heads(indent: int) -> dict[str, str]:
    while len(_HEADS) <= indent:
        _HEADS.append({})
    return _HEADS[indent]


def _head(key: object, indent: int) -> str:
    """The line a key starts; Unusual where it is not a text written as a simple key
    (over 128 bytes), or needs double quotes."""
    if type(key) is not str or _UNPRINTED.search(key) or len(key.encode("utf-8")) > 128:
        raise Unusual("a key that is not a simple text key")
    text = key if key and _plain(key) and _implicit_text(key) else _quoted(key)
    return remember(_heads(indent), key, "\n" + " " * indent + text + ":", 4096)


# each text's plan, made once (bounded: a portfolio's texts are many)
_TEXTS: dict[str, _Plan] = {}


def _text(text: str) -> _Plan:
    """A text value's plan; Unusual where libyaml would write it double-quoted."""
    if _UNPRINTED.search(text):
        raise Unusual("a text libyaml writes double-quoted")
    if _plain(text) and _implicit_text(text):
        plan: _Plan = (" " + text, len(text), "plain" if " " in text else None, text)
    else:
        quoted = _quoted(text)
        plan = (" " + quoted, len(quoted), "'" if " " in text else None, text)
    return remember(_TEXTS, text, plan)


def _other(value: object, scalar: Callable[[object], tuple[str, tuple[bool, bool]]]) -> _Plan:
    """A number's, a boolean's or null's plan: written plain, with no tag."""
    if type(value) not in _PLAIN_TYPES:
        raise Unusual(f"a value of type {type(value).__name__}")
    text, (plain, _) = scalar(value)
    if not plain or not text or _UNPRINTED.search(text) or not _plain(text):
        raise Unusual("a scalar written with a tag")
    return " " + text, len(text), "plain" if " " in text else None, text


_PLAIN_TYPES = frozenset({bool, int, float, type(None)})


def _plain(text: str) -> bool:
    """Whether libyaml may write `text` (printable, no line break, not empty) plain in a
    block: no leading or trailing space, and no indicator where it would act (the empty
    text may be: it is then written plain only if it reads back as a text)."""
    if not text:
        return True
    if text[0] == " " or text[-1] == " " or text.startswith(("---", "...")):
        return False
    first = text[0]
    if first in _LEADING:
        return False
    if first in "?:-" and (len(text) == 1 or text[1] == " "):
        return False
    return not (text.find(": ", 1) != -1 or (len(text) > 1 and text[-1] == ":")
                or " #" in text)


def _implicit_text(text: str) -> bool:
    """Whether `text`, written plain, reads back as a text (not a number, a date, null...)."""
    return _resolve(ScalarNode, text, (True, False)) == _STR


# the safe dumper's resolver (CSafeDumper's too)
_resolve: Callable[[type[Node], str, tuple[bool, bool]], str] = yaml.resolver.Resolver().resolve
_STR = "tag:yaml.org,2002:str"


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _folded(text: str, column: int, indent: int, single: bool) -> str:
    """`text` written from `column` (its opening quote's, when `single`), a space past
    WIDTH ending the line and the next one starting at `indent` (libyaml: at a single
    space, not the first or last character of a quoted text, when the column before it
    is past the width)."""
    pieces: list[str] = []
    if single:
        pieces.append("'")
        column += 1
    start = position = 0
    last = len(text) - 1
    after_space = False
    while True:
        space = text.find(" ", position)
        if space < 0:
            break
        if space > position:
            run = text[position:space]
            column += len(run) + (run.count("'") if single else 0)
            after_space = False
        if (not after_space and column > WIDTH and (space == last or text[space + 1] != " ")
                and (not single or 0 < space < last)):
            run = text[start:space]
            pieces.append(run.replace("'", "''") if single else run)
            pieces.append("\n" + " " * indent)
            column = indent
            start = space + 1
        else:
            column += 1
        after_space = True
        position = space + 1
    run = text[start:]
    pieces.append(run.replace("'", "''") if single else run)
    if single:
        pieces.append("'")
    return "".join(pieces)
