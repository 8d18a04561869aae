"""Management reports (`charterc report`): usage exports measured against a charter.

    read (inputs.py) -> measure (measure.py) -> document (document.py) -> write
    (engine.py: JSON; render.py: Markdown and HTML)

The report document is a plain JSON-compatible dict whose shape is fixed in
docs/report.md; the renderers read nothing else. Bad rows of the usage files
are diagnostics of the U1xx rules (declared in `inputs.py`).

The names below are imported on first use: the rule catalogue imports
`inputs.py` for the U1xx declarations, and a `charterc check` that reads the
catalogue should not pay for the measuring engine.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import (
                         FORMATS,
                         MAX_LISTED,
                         ReportError,
                         ReportResult,
                         build_report,
                         check_formats,
                         write_reports,
    )
    from .inputs import COLUMN_NAMES, parse_columns
    from .measure import Period, month_period, range_period, span_problem

# name -> the module of this package that defines it
_EXPORTS = {
    "COLUMN_NAMES": "inputs",
    "FORMATS": "engine",
    "MAX_LISTED": "engine",
    "Period": "measure",
    "ReportError": "engine",
    "ReportResult": "engine",
    "build_report": "engine",
    "check_formats": "engine",
    "month_period": "measure",
    "parse_columns": "inputs",
    "range_period": "measure",
    "span_problem": "measure",
    "write_reports": "engine",
}

__all__ = [
                     "COLUMN_NAMES",
                     "FORMATS",
                     "MAX_LISTED",
                     "Period",
                     "ReportError",
                     "ReportResult",
                     "build_report",
                     "check_formats",
                     "month_period",
                     "parse_columns",
                     "range_period",
                     "span_problem",
                     "write_reports",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
