"""Usage files in: tickets and outages CSV, streamed row by row into typed records.

A file is read once, in one pass, and no row is kept: each row becomes a small
`Ticket` or `Outage` tuple (times as integer UTC epoch seconds) that the caller
measures and drops. What must be remembered across rows is only the set of
ticket ids (for U104).

Bad rows never stop the run: each yields one `Diagnostic` (rule U101-U105,
file = the CSV, line = the line the record starts on, column = the 1-based CSV
field) and is skipped. A file that cannot be read as a table at all (empty, not
UTF-8, a required column missing) raises `UnreadableFile` with its U106
diagnostic. Formats: docs/report-inputs.md.
"""
from __future__ import annotations

import contextlib
import csv
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, NamedTuple

from ..diagnostics import Diagnostic, Severity
from ..diagnostics.rules import declare
from ..validate.references import did_you_mean

__all__ = [
    "COLUMN_NAMES",
    "OUTAGE_COLUMNS",
    "TICKET_COLUMNS",
    "Outage",
    "Skipped",
    "Ticket",
    "UnreadableFile",
    "parse_columns",
    "read_outages",
    "read_tickets",
]

# canonical column -> required
TICKET_COLUMNS = {"id": True, "client": True, "priority": True, "opened": True,
                  "first_response": True, "resolved": True, "feature": False, "channel": False}
OUTAGE_COLUMNS = {"start": True, "end": True, "scope": True, "planned": False}
COLUMN_NAMES = tuple(TICKET_COLUMNS) + tuple(OUTAGE_COLUMNS)

# file = the CSV, line = its line, column = the field
declare("U101", Severity.WARNING, """
    Unreadable row in a usage file: skipped.

    A row with more or fewer fields than the header, an empty required field, an
    instant that is not ISO 8601 or has no UTC offset (`2026-10-05T09:00` is
    ambiguous: write `2026-10-05T09:00+02:00` or `...Z`), or a `planned` value that
    is not true/false. The column is the CSV field that could not be read.
    `--strict` makes every skipped row fatal. See docs/report-inputs.md.
""")
declare("U102", Severity.WARNING, """
    Unknown client, tier or scope in a usage file: skipped.

    A ticket's `client` is not a client id of the charter, or an outage's `scope`
    is neither `all`, a tier id nor a client id (`tier:ID` and `client:ID` name
    one explicitly when a tier and a client share an id). The hint suggests the
    closest id.
""")
declare("U103", Severity.WARNING, """
    Times out of order in a usage file: skipped.

    A ticket resolved or first answered before it was opened, or an outage that
    ends before (or when) it starts. The ticket cannot be measured.
""")
declare("U104", Severity.WARNING, """
    Duplicate ticket id: the later row is skipped.

    Ticket ids are unique in an export; a repeated id is usually a row exported
    twice. The first row is measured; the message names its line.
""")
declare("U105", Severity.WARNING, """
    Unknown priority in a usage file: skipped.

    A ticket's `priority` is not one of the charter's `priorities`, so it has no
    target to be measured against. Map the tool's priority names before export.
""")
declare("U106", Severity.ERROR, """
    A usage file cannot be read: nothing is reported.

    The file is empty, not UTF-8, or its header lacks a required column (or names
    one twice). `--columns opened=created_at,...` maps a tool's header names to the
    ones charterc reads. See docs/report-inputs.md.
""")

_SEVERITY = {"U101": Severity.WARNING, "U102": Severity.WARNING, "U103": Severity.WARNING,
             "U104": Severity.WARNING, "U105": Severity.WARNING, "U106": Severity.ERROR}


class Ticket(NamedTuple):
    line: int
    id: str
    client: str
    priority: str
    opened: int            # UTC epoch seconds
    response: int | None   # first response, or the resolution when that came first
    resolved: int | None


class Outage(NamedTuple):
    line: int
    start: int
    end: int
    scope: tuple[str, str]  # ("all", ""), ("tier", id) or ("client", id)
    planned: bool


class Skipped(NamedTuple):
    """A skipped row: its diagnostic, and the client it names when that is a known one
    (a client's report counts its own skipped rows)."""

    diagnostic: Diagnostic
    client: str | None = None


class UnreadableFile(Exception):
    """The file cannot be read as a table (U106); `diagnostic` says why and where."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class BadRow(Exception):
    """One row cannot be used: (rule, column index, message, hint)."""

    def __init__(self, rule: str, column: int, message: str, hint: str = ""):
        super().__init__(message)
        self.rule, self.column, self.message, self.hint = rule, column, message, hint


def diagnostic(rule: str, file: str, line: int, column: int, message: str,
               hint: str = "") -> Diagnostic:
    return Diagnostic(rule, _SEVERITY[rule], message, file, line, column, "", hint)


def parse_columns(values: Iterable[str] | None) -> dict[str, str]:
    """`["opened=created_at,resolved=closed_at"]` -> {"opened": "created_at", ...}.

    Raises ValueError (a usage error) for an unknown canonical name or a bad pair.
    """
    mapping: dict[str, str] = {}
    for value in values or ():
        for pair in value.split(","):
            if not pair.strip():
                continue
            name, sep, header = pair.partition("=")
            name, header = name.strip(), header.strip()
            if not sep or not name or not header:
                raise ValueError(f"{pair.strip()!r}: expected NAME=HEADER, e.g. opened=created_at")
            if name not in COLUMN_NAMES:
                raise ValueError(f"unknown column {name!r}: {did_you_mean(name, COLUMN_NAMES)}")
            mapping[name] = header
    return mapping


StrPath = str | os.PathLike[str]

# -- the table: header, delimiter, line numbers -----------------------------------------

@dataclass
class _Table:
    display: str
    index: dict[str, int]   # canonical name -> field position
    width: int


_BARE_CR = re.compile(rb"(?<=\r)(?!\n)")  # just after a CR that no LF follows


def _delimiter(header_line: str) -> str:
    """Comma, unless the header splits into more fields on `;` or a tab (spreadsheet exports)."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


# (line, fields, error): fields is None when the record cannot be read as CSV
_Record = tuple[int, list[str] | None, csv.Error | None]


class _Lines:
    """The decoded lines of a binary file, counting the bytes read and the physical lines."""

    def __init__(self, handle: BinaryIO, display: str) -> None:
        self.handle, self.display = handle, display
        self.read = self.physical = 0

    def __iter__(self) -> Iterator[str]:
        for chunk in self.handle:
            self.read += len(chunk)
            # A binary file splits on LF only; old Mac exports end lines with a bare CR
            for raw in _BARE_CR.split(chunk) if b"\r" in chunk else (chunk,):
                if not raw:
                    continue
                self.physical += 1
                try:
                    yield raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise UnreadableFile(diagnostic(
                        "U106", self.display, self.physical, 1,
                        f"the file is not UTF-8 text (byte {raw[exc.start]:#04x} on this "
                        "line)", "save it as UTF-8 (\"CSV UTF-8\" in spreadsheet tools)")
                    ) from None


def _rows(path: Path, display: str, spec: dict[str, bool], mapping: dict[str, str],
          progress: Callable[[int], None] | None) -> tuple[_Table, Iterator[_Record]]:
    """The table (read now), and (line, fields, error) for every non-blank record after it."""
    with contextlib.ExitStack() as stack:
        try:
            # binary, decoded line by line: a bad byte is placed on its line
            handle = stack.enter_context(open(path, "rb"))
        except OSError as exc:
            raise UnreadableFile(diagnostic("U106", display, 0, 0,
                                            f"cannot open the file: {exc.strerror or exc}")
                                 ) from exc
        lines = _Lines(handle, display)
        source = iter(lines)
        first = next(source, None)
        if first is not None and first.startswith("\ufeff"):
            first = first[1:]  # the byte-order mark spreadsheet tools write
        if first is None or not first.strip():
            raise UnreadableFile(diagnostic("U106", display, 1, 1,
                                            "the file is empty: a header line is expected",
                                            f"first line: {','.join(spec)}"))
        delimiter = _delimiter(first)
        try:
            header = next(csv.reader([first], delimiter=delimiter))
        except csv.Error as exc:
            raise UnreadableFile(diagnostic("U106", display, 1, 1,
                                            f"the header line cannot be read: {exc}")) from None
        table = _header(header, display, spec, mapping)
        owned = stack.pop_all()  # the records close the file once read
    return table, _records(owned, lines, source, delimiter, progress)


def _records(owned: contextlib.ExitStack, lines: _Lines, source: Iterator[str],
             delimiter: str, progress: Callable[[int], None] | None) -> Iterator[_Record]:
    with owned:
        reader = csv.reader(source, delimiter=delimiter)
        previous = 1
        reported = 0
        while True:
            error: csv.Error | None = None
            try:
                fields: list[str] | None = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                fields, error = None, exc
            line, previous = previous + 1, reader.line_num + 1
            if progress and lines.read - reported > 1 << 20:
                progress(lines.read - reported)
                reported = lines.read
            if fields is None or any(fields):
                yield line, fields, error
            elif len(fields) > 1:  # a row of empty fields (",,,"): not a blank line
                yield line, fields, None
        if progress and lines.read > reported:
            progress(lines.read - reported)


def _header(header: list[str], display: str, spec: dict[str, bool],
            mapping: dict[str, str]) -> _Table:
    names = [h.strip().lower() for h in header]
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name and name in seen:
            raise UnreadableFile(diagnostic("U106", display, 1, i + 1,
                                            f"column {header[i].strip()!r} appears twice "
                                            f"(columns {seen[name] + 1} and {i + 1})"))
        seen[name] = i
    index = {}
    for name, required in spec.items():
        wanted = mapping.get(name, name).strip().lower()
        if wanted in seen:
            index[name] = seen[wanted]
        elif required:
            where = f"column {wanted!r} (mapped from {name!r})" if name in mapping else \
                f"column {name!r}"
            raise UnreadableFile(diagnostic(
                "U106", display, 1, 1, f"the header lacks the required {where}",
                f"the header has: {', '.join(h.strip() for h in header)}; map a column of "
                f"another name with --columns {name}=HEADER"))
    return _Table(display, index, len(header))


def _stream(path: StrPath, display: str, spec: dict[str, bool], mapping: dict[str, str] | None,
            progress: Callable[[int], None] | None) -> tuple[_Table, Iterator[_Record]]:
    return _rows(Path(path), display, spec, mapping or {}, progress)


# -- fields -------------------------------------------------------------------------------

def _instant(text: str, name: str, column: int) -> int:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadRow("U101", column, f"{name}: {text!r} is not an ISO 8601 instant",
                     "write e.g. 2026-10-05T09:00:00+02:00 or 2026-10-05T07:00:00Z") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise BadRow("U101", column, f"{name}: {text!r} has no UTC offset",
                     "an instant needs its offset, e.g. 2026-10-05T09:00:00+02:00 "
                     "(export times in UTC with Z if the tool allows it)")
    return int(moment.timestamp() // 1)


def _width(fields: list[str], table: _Table) -> None:
    if len(fields) != table.width:
        raise BadRow("U101", 1, f"the row has {len(fields)} field(s); the header has "
                     f"{table.width}", "check for an unquoted comma or a truncated line")


def _required(fields: list[str], table: _Table, name: str) -> tuple[str, int]:
    column = table.index[name]
    value = fields[column].strip()
    if not value:
        raise BadRow("U101", column + 1, f"{name} is empty")
    return value, column + 1


def _bad(table: _Table, line: int, exc: BadRow) -> Diagnostic:
    return diagnostic(exc.rule, table.display, line, exc.column, exc.message, exc.hint)


# -- tickets ------------------------------------------------------------------------------

def read_tickets(path: StrPath, display: str, *, clients: Iterable[str],
                 priorities: Iterable[str], mapping: dict[str, str] | None = None,
                 progress: Callable[[int], None] | None = None) -> Iterator[Ticket | Skipped]:
    """Every ticket row as a `Ticket`, or a `Skipped` row with its diagnostic.

    Raises `UnreadableFile` (before yielding anything) when the header is unusable.
    Duplicate ids (U104) are found here, so the ids of valid rows are the one
    thing kept across rows (id -> line of the first row, for the message).
    """
    table, rows = _stream(path, display, TICKET_COLUMNS, mapping, progress)
    clients, priorities = frozenset(clients), tuple(priorities)
    known = frozenset(priorities)
    first_line: dict[str, int] = {}
    ix = table.index
    i_id, i_client = ix["id"], ix["client"]
    i_opened, i_response, i_resolved = ix["opened"], ix["first_response"], ix["resolved"]

    def ticket(line: int, fields: list[str]) -> Ticket:
        _width(fields, table)
        ident, _ = _required(fields, table, "id")
        client, c_client = _required(fields, table, "client")
        if client not in clients:
            raise BadRow("U102", c_client, f"unknown client {client!r}",
                         did_you_mean(client, clients))
        priority, c_priority = _required(fields, table, "priority")
        if priority not in known:
            raise BadRow("U105", c_priority, f"unknown priority {priority!r}",
                         did_you_mean(priority, priorities))
        text, c_opened = _required(fields, table, "opened")
        opened = _instant(text, "opened", c_opened)
        text = fields[i_response].strip()
        response = _instant(text, "first_response", i_response + 1) if text else None
        text = fields[i_resolved].strip()
        resolved = _instant(text, "resolved", i_resolved + 1) if text else None
        if resolved is not None and resolved < opened:
            raise BadRow("U103", i_resolved + 1, f"ticket {ident} is resolved "
                         f"({fields[i_resolved].strip()}) before it was opened "
                         f"({fields[i_opened].strip()})")
        if response is not None and response < opened:
            raise BadRow("U103", i_response + 1, f"ticket {ident} is first answered "
                         f"({fields[i_response].strip()}) before it was opened "
                         f"({fields[i_opened].strip()})")
        if ident in first_line:
            raise BadRow("U104", i_id + 1, f"duplicate id {ident} (first on line "
                         f"{first_line[ident]})", "the first row is measured; remove the copy")
        first_line[ident] = line
        if resolved is not None and (response is None or resolved < response):
            response = resolved  # a resolution answers the ticket
        return Ticket(line, ident, client, priority, opened, response, resolved)

    for line, fields, error in rows:
        if fields is None:
            yield Skipped(diagnostic("U101", display, line, 1,
                                     f"the row cannot be read as CSV: {error}"))
            continue
        try:
            yield ticket(line, fields)
        except BadRow as exc:
            named = fields[i_client].strip() if i_client < len(fields) else None
            yield Skipped(_bad(table, line, exc), named if named in clients else None)


# -- outages ------------------------------------------------------------------------------

_BOOLEANS = {"true": True, "false": False, "": False}


def read_outages(path: StrPath, display: str, *, tiers: Iterable[str], clients: Iterable[str],
                 mapping: dict[str, str] | None = None) -> Iterator[Outage | Skipped]:
    """Every outage row as an `Outage`, or a `Skipped` row with its diagnostic."""
    table, rows = _stream(path, display, OUTAGE_COLUMNS, mapping, None)
    tiers, clients = frozenset(tiers), frozenset(clients)
    i_planned = table.index.get("planned")

    def scope_of(text: str, column: int) -> tuple[str, str]:
        kind, sep, name = text.partition(":")
        if sep and kind in ("tier", "client"):
            if name in (tiers if kind == "tier" else clients):
                return kind, name
            raise BadRow("U102", column, f"unknown {kind} {name!r} in scope {text!r}",
                         did_you_mean(name, tiers if kind == "tier" else clients))
        if text == "all":
            return "all", ""
        if text in tiers and text in clients:
            raise BadRow("U102", column, f"scope {text!r} names both a tier and a client",
                         f"write tier:{text} or client:{text}")
        if text in tiers:
            return "tier", text
        if text in clients:
            return "client", text
        raise BadRow("U102", column, f"unknown scope {text!r}: not 'all', a tier or a client",
                     did_you_mean(text, tiers | clients | {"all"}))

    def outage(line: int, fields: list[str]) -> Outage:
        _width(fields, table)
        text, c_start = _required(fields, table, "start")
        start = _instant(text, "start", c_start)
        text, c_end = _required(fields, table, "end")
        end = _instant(text, "end", c_end)
        scope_text, c_scope = _required(fields, table, "scope")
        scope = scope_of(scope_text, c_scope)
        planned = False
        if i_planned is not None:
            value = fields[i_planned].strip()
            if value.lower() not in _BOOLEANS:
                raise BadRow("U101", i_planned + 1, f"planned: {value!r} is not true or false")
            planned = _BOOLEANS[value.lower()]
        if end <= start:
            raise BadRow("U103", c_end, f"the outage ends ({fields[table.index['end']].strip()}) "
                         f"{'when' if end == start else 'before'} it starts "
                         f"({fields[table.index['start']].strip()})")
        return Outage(line, start, end, scope, planned)

    for line, fields, error in rows:
        if fields is None:
            yield Skipped(diagnostic("U101", display, line, 1,
                                     f"the row cannot be read as CSV: {error}"))
            continue
        try:
            yield outage(line, fields)
        except BadRow as exc:
            yield Skipped(_bad(table, line, exc))
