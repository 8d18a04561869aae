"""The typed charter read back as written: a tree of document keys to the text of each value.

`charterc diff` lists every changed field that no commitment comparison judges
(names, titles, the change log, reporting metrics ...). It walks this tree, so
it needs the model only, never the document: lists of elements with ids are
keyed by id (reordering is no change), values show the text they were written
as (`5%`, `48h`, `1200000`), hours their value as written, and every leaf keeps
the JSON pointer of the element it belongs to.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from ..diagnostics import escape_token
from .charter import Text
from .hours import Hours

__all__ = ["Leaf", "written_leaves"]

# model fields that are derived, not written, and fields named apart from their document key
_DERIVED = {"pointer", "index", "kind", "zone", "source"}
_KEYS = {"return_within": "return", "delete_within": "delete", "targets": None}  # None: inline

Leaf = tuple[tuple[str, ...], Any, str]   # (keyed path, written value, JSON pointer)


def _value(value: Any) -> Any:
    """A scalar as written: the text of percents, amounts, durations and periods."""
    text = getattr(value, "text", None)
    if isinstance(text, str):
        return text
    if isinstance(value, date):
        return value.isoformat()
    return value


def _fields(element: Any) -> Iterator[tuple[str | None, Any]]:
    for f in dataclasses.fields(element):
        if f.name in _DERIVED:
            continue
        yield _KEYS.get(f.name, f.name), getattr(element, f.name)


def _walk(value: Any, path: tuple[str, ...], pointer: str) -> Iterator[Leaf]:
    if isinstance(value, Hours):
        yield from _walk_plain(value.written, path, value.pointer)
    elif isinstance(value, Text):  # free text of `terms`: a string or {lang: text}
        yield from _walk_plain(value.value, path, value.pointer)
    elif _is_value(value):
        yield path, _value(value), pointer
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        own = getattr(value, "pointer", pointer)
        for key, item in _fields(value):
            if key is None:  # a mapping written inline (objective targets by priority)
                for name, target in (item or {}).items():
                    yield from _walk(target, (*path, name), f"{own}/{escape_token(name)}")
            else:
                yield from _walk(item, (*path, key), f"{own}/{escape_token(key)}")
    elif isinstance(value, tuple) and value and all(_has_id(v) for v in value):
        for element in value:
            yield from _walk(element, (*path, str(element.id)), element.pointer)
    elif isinstance(value, tuple):
        yield path, [_plain(v) for v in value], pointer
    elif value is not None:
        yield path, _value(value), pointer


def _walk_plain(value: Any, path: tuple[str, ...], pointer: str) -> Iterator[Leaf]:
    """A value kept as written (hours): mappings by key, anything else as a leaf."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _walk_plain(item, (*path, str(key)), f"{pointer}/{escape_token(str(key))}")
    elif value is not None:
        yield path, value, pointer


def _plain(value: Any) -> Any:
    """An element without an id (a change log entry, a credit band) as a plain mapping."""
    if isinstance(value, Hours):
        return value.written
    if isinstance(value, Text):
        return value.value
    if _is_value(value):
        return _value(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {key: _plain(item) for key, item in _fields(value) if item is not None}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return _value(value)


def _is_value(value: Any) -> bool:
    """A percent, amount, duration or period: one value that keeps its written text."""
    return isinstance(getattr(value, "text", None), str) and not hasattr(value, "pointer")


def _has_id(value: Any) -> bool:
    return dataclasses.is_dataclass(value) and hasattr(value, "id")


def written_leaves(charter: Any) -> dict[tuple[str, ...], tuple[Any, str]]:
    """Every written field of a charter: keyed path -> (value as written, JSON pointer)."""
    return {path: (value, pointer) for path, value, pointer in _walk(charter, (), "")}
