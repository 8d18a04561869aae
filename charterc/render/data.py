"""The `json` format: a typed result as canonical JSON text.

Indented, key order kept (a result's fields are written in the order they are declared),
non-ASCII as written, a trailing newline: the same result gives the same bytes.

`indented` writes what `json.dumps(value, indent=2, ensure_ascii=False)` writes. With an
indent, `json` takes its pure-Python encoder, a generator per container; `indented`
walks the value once, each text and number written by the same functions `json` uses,
in about a third of the time. A value `json` would write otherwise (a key that is not a
text, a type other than dict, list, tuple, str, int, float, bool and None, a container
in itself) is left to `json`, so the text, or the error, is always `json`'s.
"""
from __future__ import annotations

import json
from typing import Any, Protocol, runtime_checkable

from ..errors import CharterError

__all__ = ["dumps", "indented"]


@runtime_checkable
class AsData(Protocol):
    """A result that is not already JSON-shaped says how it is written."""

    def to_dict(self) -> dict[str, object]: ...


def dumps(result: object) -> str:
    """`result` (a JSON-shaped document, or a record with `to_dict()`) as JSON text."""
    data = result.to_dict() if isinstance(result, AsData) else result
    return indented(data) + "\n"


def indented(value: Any) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)`, the same text, faster."""
    out: list[str] = []
    try:
        _write(value, "\n", out, 0)
    except _Unusual:
        return json.dumps(value, indent=2, ensure_ascii=False)
    return "".join(out)


class _Unusual(CharterError):
    """A value `indented` leaves to `json`."""


_TEXT = json.encoder.encode_basestring   # what json writes a text with (ensure_ascii off)
_DEPTH = 100   # deeper than this (no document is): `json`, and its RecursionError


def _float(value: float) -> str:
    if value != value or value in (_INFINITY, -_INFINITY):
        return "NaN" if value != value else "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


_INFINITY = float("inf")
_SCALARS: dict[type, Any] = {type(None): lambda _: "null", int: int.__repr__, float: _float,
                             bool: lambda value: "true" if value else "false"}


def _write(value: Any, newline: str, out: list[str], depth: int) -> None:
    kind = type(value)
    if kind is str:
        out.append(_TEXT(value))
    elif kind is dict:
        _write_container(value, "{}", newline, out, depth)
    elif kind is list or kind is tuple:
        _write_container(value, "[]", newline, out, depth)
    else:
        scalar = _SCALARS.get(kind)
        if scalar is None:
            raise _Unusual
        out.append(scalar(value))


def _write_container(value: Any, brackets: str, newline: str, out: list[str],
                     depth: int) -> None:
    """A dict (`brackets` "{}") or a list or tuple ("[]"), an item a line, as json does."""
    if not value:
        out.append(brackets)
        return
    if depth > _DEPTH:
        raise _Unusual
    inner = newline + "  "
    sep = brackets[0] + inner
    if brackets == "{}":
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual   # json turns numbers, booleans and None into keys its own way
            out.append(sep)
            out.append(_TEXT(key))
            out.append(": ")
            _write(item, inner, out, depth + 1)
            sep = "," + inner
    else:
        for item in value:
            out.append(sep)
            _write(item, inner, out, depth + 1)
            sep = "," + inner
    out.append(newline + brackets[1])
