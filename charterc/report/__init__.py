"""Management reports (`charterc report`): usage exports measured against a charter.

    read (inputs.py, columnar.py) -> measure (columnar.py on the clocks of clock.py,
    into measure.py's figures) -> document (document.py) -> write (engine.py: JSON;
    render.py: Markdown and HTML)

`run_report` (run.py) is the command as a function: a `ReportRequest` in, a `ReportRun`
out, for the command line, library users and the language server alike.

The report document is JSON-compatible typed dicts (`types.py`) whose shape is
fixed in docs/report.md; the renderers read nothing else. Bad rows of the usage files
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
                         LISTED,
                         MAX_LISTED,
                         ReportError,
                         ReportResult,
                         build_report,
                         check_formats,
                         write_reports,
    )
    from .inputs import COLUMN_NAMES, parse_columns
    from .measure import Period, month_period, range_period, span_problem
    from .run import ReportRequest, ReportRun, run_report

# name -> the module of this package that defines it
_EXPORTS = {
    "COLUMN_NAMES": "inputs",
    "LISTED": "engine",
    "MAX_LISTED": "engine",
    "Period": "measure",
    "ReportError": "engine",
    "ReportRequest": "run",
    "ReportResult": "engine",
    "ReportRun": "run",
    "build_report": "engine",
    "check_formats": "engine",
    "month_period": "measure",
    "parse_columns": "inputs",
    "range_period": "measure",
    "run_report": "run",
    "span_problem": "measure",
    "write_reports": "engine",
}

__all__ = [
                     "COLUMN_NAMES",
                     "LISTED",
                     "MAX_LISTED",
                     "Period",
                     "ReportError",
                     "ReportRequest",
                     "ReportResult",
                     "ReportRun",
                     "build_report",
                     "check_formats",
                     "month_period",
                     "parse_columns",
                     "range_period",
                     "run_report",
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
