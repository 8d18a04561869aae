"""The date a run judges charters against: `--today`, else `SOURCE_DATE_EPOCH`, else the clock.

Baseline rules (G703 overdue review, G704 dates out of order) compare dates with
"today". A build that must give the same verdict on any day, such as CI
checking the bundled example charters, sets `SOURCE_DATE_EPOCH` (seconds since
1970, read as a UTC date; the convention of reproducible builds) to its
commit's date. Without it the clock decides, so a user's overdue review still
fails their own CI.
"""
from __future__ import annotations

import os
from datetime import UTC, date, datetime

from ..errors import CharterError

__all__ = ["SourceDateError", "resolve_today", "source_date"]


class SourceDateError(CharterError, ValueError):
    """`SOURCE_DATE_EPOCH` is set but is not a number of seconds."""


def source_date() -> date | None:
    """The UTC date of `SOURCE_DATE_EPOCH`, or None when it is unset or empty."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    try:
        return datetime.fromtimestamp(int(epoch), UTC).date()
    except (ValueError, OverflowError, OSError):
        raise SourceDateError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None


def resolve_today(given: date | None = None) -> date:
    """`given` (`--today`), else the date of `SOURCE_DATE_EPOCH`, else the clock's date.

    >>> resolve_today(date(2026, 11, 27))
    datetime.date(2026, 11, 27)
    """
    return given or source_date() or date.today()
