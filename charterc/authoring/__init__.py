"""Writers: a canonical document -> charter text, in either syntax.

`dsl.dump(document)` writes a `.charter` file, `yaml.dump(document)` a `.charter.yaml`
file. Both are deterministic (one layout per document, documented in docs/dsl.md) and
load back to an equal document, so `charterc convert` is `load` then `dump`.
A document the DSL cannot say (a field outside spec section 3, a list where a value
belongs) raises `Unrepresentable`, which names the JSON pointer.
"""
from __future__ import annotations

from typing import Any

from ..errors import CharterError

__all__ = ["Document", "Unrepresentable"]

Document = dict[str, Any]
"""A charter as loaded: JSON-like values under string keys."""


class Unrepresentable(CharterError, ValueError):
    """The document holds something the target syntax cannot write."""

    def __init__(self, pointer: str, reason: str) -> None:
        super().__init__(f"{pointer or '/'}: {reason}")
        self.pointer = pointer
        self.reason = reason


def literal(value: object) -> str | None:
    """A boolean, null or number as both syntaxes write it (YAML 1.2 core); None for others."""
    import math

    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if type(value) is int:
        return str(value)
    if type(value) is float:
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    return None
