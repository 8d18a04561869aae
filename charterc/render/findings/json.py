"""JSON: a list of diagnostic objects (docs/output-formats.md), suppressed ones included.

Each object: rule, severity, message, file, line, column, pointer, hint,
suppressed, and `related` (other positions) when there are any. Sorted by file,
line, column, rule; keys in a fixed order.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...pipeline import PortfolioResult


def report(result: PortfolioResult, *, color: bool = False) -> str:
    return json.dumps([d.to_dict() for d in result.diagnostics], indent=2,
                      ensure_ascii=False) + "\n"
