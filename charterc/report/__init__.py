"""Management reports (`charterc report`): usage exports measured against a charter.

    read (inputs.py) -> measure (measure.py) -> document (document.py) -> write
    (engine.py: JSON; render.py: Markdown and HTML)

The report document is a plain JSON-compatible dict whose shape is fixed in
docs/report.md; the renderers read nothing else. Bad rows of the usage files
are diagnostics of the U1xx rules (declared in `charterc.diagnostics.rules`).
"""
from __future__ import annotations

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
from .measure import Period, month_period, range_period

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
                     "write_reports",
]
