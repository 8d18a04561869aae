"""The `json` format: a typed result as canonical JSON text.

Indented, key order kept (a result's fields are written in the order they are declared),
non-ASCII as written, a trailing newline: the same result gives the same bytes.
"""
from __future__ import annotations

import json
from typing import Protocol, runtime_checkable

__all__ = ["dumps"]


@runtime_checkable
class AsData(Protocol):
    """A result that is not already JSON-shaped says how it is written."""

    def to_dict(self) -> dict[str, object]: ...


def dumps(result: object) -> str:
    """`result` (a JSON-shaped document, or a record with `to_dict()`) as JSON text."""
    data = result.to_dict() if isinstance(result, AsData) else result
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
