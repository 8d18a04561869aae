"""One line per finding, byte-compatible with `yamllint --format parsable`:

    charters/a.charter.yaml:14:12: [error] shares sum to 95% (C401)

so the problem matchers, editor integrations and `errorformat`s written for
yamllint read charterc too. Suppressed findings are left out; messages are kept
on one line (newlines become spaces). Levels are `error`, `warning` and `info`
(yamllint has no info level; matchers that only know the first two skip it).
Nothing else is printed: no source lines, no summary.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ...diagnostics import Diagnostic, Severity
from . import visible

if TYPE_CHECKING:
    from ...pipeline import PortfolioResult

__all__ = ["format_line", "report"]

_NEWLINES = re.compile(r"\s*[\r\n]+\s*")


def format_line(d: Diagnostic) -> str:
    message = visible(_NEWLINES.sub(" ", d.message.strip()))
    level = (d.severity or Severity.ERROR).value
    return f"{visible(d.file)}:{d.line}:{d.column}: [{level}] {message} ({d.rule})"


def report(result: PortfolioResult, *, color: bool = False) -> str:
    return "".join(format_line(d) + "\n" for d in result.diagnostics if not d.suppressed)
