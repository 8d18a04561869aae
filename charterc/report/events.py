"""Every breach and pending ticket of a client, beside documents that list only the first.

A month of a large desk breaches tens of thousands of times; a management report that
lists them all is read by nobody and written slowly. The documents (JSON, Markdown, HTML)
list the first `--max-listed` (100 by default) of each listing, earliest opened first,
and say how many there are (`listing` in the JSON); `clients/<client>.events.csv`, beside
them, lists every one, a row each:

    kind,id,priority,objective,opened,due,at,paused_minutes

`kind` is `breach` or `pending`; breaches come first, then pending tickets, each in the
listings' order (opened, ticket, objective); the texts are the JSON's (instants in the
tier's zone as ISO 8601 with their offset). `at` is empty for a pending ticket and for a
breach not done by the period's end; `paused_minutes` is empty without `--history`. A
ticket id or priority that a spreadsheet would read as a formula is written after a `'`.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..calendar import zone
from .document import instant_texts, minutes
from .listing import NO_EVENT
from .types import OBJECTIVE_KEYS

if TYPE_CHECKING:
    from datetime import tzinfo

    import pyarrow as pa

    from .listing import ListingColumns
    from .measured import MeasuredPeriod

__all__ = ["COLUMNS", "events_csv"]

COLUMNS = ("kind", "id", "priority", "objective", "opened", "due", "at", "paused_minutes")


def events_csv(report: MeasuredPeriod, client_id: str) -> bytes:
    """The client's breaches, then its pending tickets, as CSV (UTF-8, a header row)."""
    usage = report.measure.usage[client_id]
    tz = zone(report.period.zone)   # as the documents write them
    paused = bool(report.pauses is not None and report.pauses["measured"])
    parts = [(",".join(COLUMNS) + "\n").encode("utf-8")]
    for kind, listing in (("breach", usage.breaches), ("pending", usage.pending)):
        if listing:
            parts.append(_rows(kind, listing.columns(), tz, paused))
    return b"".join(parts)


def _rows(kind: str, c: ListingColumns, tz: tzinfo, paused: bool) -> bytes:
    """The listing's lines, each column made whole by Arrow, then joined a row at a time
    by Arrow too: a cell that needs it is quoted, or made inert, in Python."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    empty = pa.scalar("", pa.string())
    ids = c.ids
    if bool(pc.any(pc.match_substring_regex(ids, _NEEDS_CARE)).as_py()):
        ids = pa.array(_cells(_inert(ids.to_pylist())), pa.string())
    priorities = pa.array(_cells(_inert(c.priorities)), pa.string()).take(pa.array(c.priority))
    objectives = pa.array(OBJECTIVE_KEYS, pa.string()).take(pa.array(c.objective))
    at = instant_texts(c.at, tz, NO_EVENT) if c.at is not None else empty
    waited: pa.Array | pa.Scalar = empty
    if paused:
        values, which = np.unique(c.paused, return_inverse=True)
        waited = pa.array([_text(minutes(v)) for v in values.tolist()],
                          pa.string()).take(pa.array(which))
    line = pc.binary_join_element_wise(
        pa.scalar(kind, pa.string()), ids, priorities, objectives,
        instant_texts(c.opened, tz), instant_texts(c.due, tz), at, waited, ",",
        null_handling="replace", null_replacement="")
    lines = pc.binary_join_element_wise(line, empty, "\n")
    _, offsets, data = lines.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int32)[lines.offset:lines.offset + len(lines) + 1]
    return bytes(memoryview(data)[int(bounds[0]):int(bounds[-1])])


# a cell `_inert` or `_cells` changes: a formula's first character, or one to quote
_NEEDS_CARE = r'^[=+\-@\t\r]|[,"\r\n]'


def _text(value: float | None) -> str:
    return "" if value is None else str(value)


def _inert(values: list[str]) -> list[str]:
    """Texts from the tickets file a spreadsheet would read as a formula (`=`, `+`, `-`, `@`,
    a tab or a carriage return first: OWASP's CSV injection) are written after a `'`,
    which spreadsheets take as "text follows" and do not show."""
    return [f"'{v}" if v[:1] in _FORMULA else v for v in values]


_FORMULA = frozenset("=+-@\t\r")


def _cells(values: Sequence[str | None]) -> list[str]:
    """A column's cells as `csv.writer` writes them in a row of several: None empty, a cell
    holding a comma, a quote or a line break quoted (its quotes doubled)."""
    return ["" if v is None else f'"{v.replace(chr(34), chr(34) * 2)}"' if _QUOTED.search(v)
            else v for v in values]


_QUOTED = re.compile(r'[,"\r\n]')
