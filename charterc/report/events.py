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
from .document import _first, _instant_column, minutes
from .types import OBJECTIVE_KEYS

if TYPE_CHECKING:
    from .measured import MeasuredPeriod

__all__ = ["COLUMNS", "events_csv"]

COLUMNS = ("kind", "id", "priority", "objective", "opened", "due", "at", "paused_minutes")


def events_csv(report: MeasuredPeriod, client_id: str) -> bytes:
    """The client's breaches, then its pending tickets, as CSV (UTF-8, a header row)."""
    usage = report.measure.usage[client_id]
    tz = zone(report.period.zone)   # as the documents write them
    paused = bool(report.pauses is not None and report.pauses["measured"])
    lines = [",".join(COLUMNS)]
    breaches, pending = _first(usage.breaches, None), _first(usage.pending, None)
    for kind, rows, at, pause in (("breach", breaches, 5, 6), ("pending", pending, None, 5)):
        if not rows:
            continue
        empty: list[str | None] = [None] * len(rows)
        opened = _instant_column([r[0] for r in rows], tz)
        due = _instant_column([r[4] for r in rows], tz)
        done = _instant_column([r[at] for r in rows], tz) if at is not None else empty
        waited = [_text(minutes(r[pause])) if paused else "" for r in rows]
        columns = ([kind] * len(rows), _cells(_inert([r[1] for r in rows])),
                   _cells(_inert([r[3] for r in rows])), [OBJECTIVE_KEYS[r[2]] for r in rows],
                   _blank(opened), _blank(due), _blank(done), waited)
        lines += map(",".join, zip(*columns, strict=True))
    return ("\n".join(lines) + "\n").encode("utf-8")


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


def _blank(instants: Sequence[str | None]) -> list[str]:
    """A column of instants as cells: None empty. An instant is ISO 8601 text charterc
    wrote (`2026-10-05T09:15:00+02:00`), which never needs quoting."""
    return ["" if v is None else v for v in instants]
