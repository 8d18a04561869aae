"""`charterc statement` (spec section 12): one statement per client across every charter
it is a client of: per service its tier, projected and measured charges, attainment,
credits, the claims open with the day each lapses and where to send it; totals per
currency; and a calendar (iCalendar) of claim deadlines, reviews and notice dates.

    run.py       the use case: StatementRequest -> run_statement -> StatementRun
    usage.py     which usage file measures which charter (CHARTER_ID=FILE, `charter` column)
    calendar.py  the `ics` format (icalendar, the `statement` extra)

The Markdown and HTML documents are rendered by `render/statement.py`. See
docs/statement.md.
"""
from __future__ import annotations

__all__: list[str] = []
