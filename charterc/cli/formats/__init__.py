"""Reporters: a checked portfolio -> text for a person or a machine.

Each reporter is a function `(result: PortfolioResult, *, color: bool) -> str`,
registered by the name users type after `--format`.
"""
from __future__ import annotations

import importlib

__all__ = ["REPORTERS", "reporter"]

# name -> "module:function", imported on use so a text run never loads the SARIF code.
REPORTERS: dict[str, str] = {
    "text": "charterc.cli.formats.text:report",
    "json": "charterc.cli.formats.json:report",
    "sarif": "charterc.cli.formats.sarif:report",
    "github": "charterc.cli.formats.github:report",
    "parsable": "charterc.cli.formats.parsable:report",
    "auto": "charterc.cli.formats.github:auto",
}


def reporter(name: str):
    module, func = REPORTERS[name].split(":")
    return getattr(importlib.import_module(module), func)
