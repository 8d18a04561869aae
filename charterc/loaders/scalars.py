"""Plain scalars as YAML 1.2's core schema reads them, for the loaders and the writers.

`resolve_plain("1.10")` is the float 1.1, `resolve_plain("yes")` the text "yes" (YAML
1.2, not 1.1). The YAML loader resolves its plain scalars with it, the DSL loader its
bare values (so that both languages mean the same document), and the writers (`fmt`,
`convert`) ask it whether a text can be written bare. Regular expressions only: a check
of a DSL file does not import PyYAML for it.
"""
from __future__ import annotations

import re
from typing import TypeAlias

__all__ = ["Scalar", "resolve_plain"]

# What a plain scalar resolves to.
Scalar: TypeAlias = str | int | float | bool | None

_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")
_CONSTANTS = {"null": None, "Null": None, "NULL": None, "~": None, "": None,
              "true": True, "True": True, "TRUE": True,
              "false": False, "False": False, "FALSE": False}
# First characters that can start a non-string plain scalar; anything else is a string.
_NUMERIC_START = frozenset("0123456789+-.")


# Python refuses to read integers of over 4,300 digits; no charter number comes near
# (the schema stops amounts at 10^15), so a longer one is read as the float it would
# round to: infinity, which the schema stage refuses as "too large".
_MAX_DIGITS = 400


def _bounded(value: int) -> int | float:
    return value if value.bit_length() <= 1024 else float("inf")


def resolve_plain(text: str) -> Scalar:
    """Resolve a plain (unquoted) scalar by the YAML 1.2 core schema."""
    if text in _CONSTANTS:
        return _CONSTANTS[text]
    if not text or text[0] not in _NUMERIC_START:
        return text
    if _INT.match(text):
        return int(text) if len(text) <= _MAX_DIGITS else float(text)
    if _FLOAT.match(text):
        return float(text)
    if _OCT.match(text):
        return _bounded(int(text[2:], 8))
    if _HEX.match(text):
        return _bounded(int(text[2:], 16))
    if _INF.match(text):
        return float("-inf") if text[0] == "-" else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text
