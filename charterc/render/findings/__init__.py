"""Reporters: a checked portfolio -> text for a person or a machine.

Each reporter is a function `(result: PortfolioResult, *, color: bool) -> str`,
registered by the name users type after `--format`.
"""
from __future__ import annotations

import importlib
import re
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ...pipeline import PortfolioResult

__all__ = ["REPORTERS", "Reporter", "reporter", "visible"]


class Reporter(Protocol):
    def __call__(self, result: PortfolioResult, *, color: bool = False) -> str: ...


# name -> "module:function", imported on use so a text run never loads the SARIF code.
REPORTERS: dict[str, str] = {
    "text": "charterc.render.findings.text:report",
    "json": "charterc.render.findings.json:report",
    "sarif": "charterc.render.findings.sarif:report",
    "github": "charterc.render.findings.github:report",
    "parsable": "charterc.render.findings.parsable:report",
    "auto": "charterc.render.findings.github:auto",
}


# C0 and C1 controls, DEL, and the bidirectional overrides that reorder a line on screen.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, keep: str = "") -> str:
    """`text` with every control character but those in `keep` written as an escape
    (`\\x1b`, `\\u202e`).

    Messages echo values from the charter and the usage files: a status of
    `"\\e]0;PWNED\\a"` must show as text, not retitle the terminal or clear it.
    """
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)


def reporter(name: str) -> Reporter:
    module, func = REPORTERS[name].split(":")
    report: Reporter = getattr(importlib.import_module(module), func)
    return report
