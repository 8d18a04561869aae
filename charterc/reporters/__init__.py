"""Reporters: a checked portfolio -> text for a person or a machine.

Each reporter is a function `(result: PortfolioResult, *, color: bool) -> str`,
registered by the name users type after `--format`.
"""
from __future__ import annotations

import importlib

__all__ = ["REPORTERS", "reporter"]

# name -> "module:function", imported on use so a text run never loads the SARIF code.
REPORTERS: dict[str, str] = {
    "text": "charterc.reporters.text:report",
    "json": "charterc.reporters.json:report",
    "sarif": "charterc.reporters.sarif:report",
    "github": "charterc.reporters.github:report",
    "parsable": "charterc.reporters.parsable:report",
    "auto": "charterc.reporters.github:auto",
}


def reporter(name: str):
    module, func = REPORTERS[name].split(":")
    return getattr(importlib.import_module(module), func)
