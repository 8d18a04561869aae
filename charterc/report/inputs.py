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
from pathlib import Path
from typing import BinaryIO, NamedTuple

from ..diagnostics import Diagnostic, Severity
from ..diagnostics.rules import declare
from ..errors import CharterError
from ..validate.references import did_you_mean
from .names import Ambiguous, Names
from .profiles import BadInstant, Instants, Profile

__all__ = [
    "COLUMN_NAMES",
    "EXCLUDE_STATUS",
    "HISTORY_COLUMNS",
    "OUTAGE_COLUMNS",
    "TICKET_COLUMNS",
    "Excluded",
    "Outage",
    "Skipped",
    "StatusChange",
    "Ticket",
    "UnreadableFile",
    "parse_columns",
    "read_history",
    "read_outages",
    "read_tickets",
]

# canonical column -> required
TICKET_COLUMNS = {"id": True, "client": True, "priority": True, "opened": True,
                  "first_response": True, "resolved": True, "feature": False, "channel": False,
                  "status": False}
OUTAGE_COLUMNS = {"start": True, "end": True, "scope": True, "planned": False}
HISTORY_COLUMNS = {"id": True, "at": True, "status": True}
COLUMN_NAMES = tuple(dict.fromkeys((*TICKET_COLUMNS, *OUTAGE_COLUMNS, *HISTORY_COLUMNS)))
# --exclude-status: tickets in these statuses are out of every figure (spec section 9.2)
EXCLUDE_STATUS = ("canceled", "cancelled")

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

    A ticket's `client` is neither the id, the name nor one of the `aliases` of a
    client of the charter (compared case-insensitively, runs of white space read as
    one space), or it names two clients at once (the name of one, the alias of
    another: the message names both); or an outage's `scope` is neither `all`, a
    tier id nor a client id (`tier:ID` and `client:ID` name one explicitly when a
    tier and a client share an id). The hint suggests the closest id.
""")
declare("U103", Severity.WARNING, """
    Times out of order in a usage file: skipped.

    A ticket resolved or first answered before it was opened, or an outage that
    ends before (or when) it starts. The ticket cannot be measured.
""")
declare("U104", Severity.WARNING, """
    Duplicate ticket id: the later row is skipped.

    Ticket ids are unique in an export; a repeated id is usually a row exported
    twice. The first row is measured; the message names its line. A report looks
    for duplicates among the tickets opened in its period (the ones it measures),
    so that what it keeps follows the period, not the file.
""")
declare("U105", Severity.WARNING, """
    Unknown priority in a usage file: skipped.

    A ticket's `priority` is not one of the charter's `priorities`, so it has no
    target to be measured against. Map the tool's priority names before export.
""")
declare("U107", Severity.WARNING, """
    The charter pauses clocks on ticket statuses, but no status history was given.

    A `response` or `resolution` objective states `pause_on` (the statuses during
    which its clock stops, as ITSM tools pause SLAs while a ticket waits for the
    client), and `charterc report` ran without `--history FILE`: the report is
    measured without pauses, so a ticket that waited for its client may show as
    breached where the ITSM tool shows it met. The report says so.

    Example:
        tiers:
          - id: standard
            objectives:
              response: {P1: 1h, pause_on: [awaiting-customer]}
        # charterc report ... (no --history) -> U107
""")
declare("U108", Severity.WARNING, """
    A ticket for a feature its client's tier does not include: unpaid work.

    The tickets file has a `feature` column, and a client opened a ticket on a
    feature that is not among its tier's `features` (or not a feature of the
    charter at all). The ticket is measured as usual and listed under the client's
    usage; the line is the ticket's row. Either the tier should include the
    feature (and its price reflect it), or such tickets should be refused.
""")
declare("U106", Severity.ERROR, """
    A usage file cannot be read: nothing is reported.

    The file is empty, not UTF-8, or its header lacks a required column (or names
    one twice). `--columns opened=created_at,...` maps a tool's header names to the
    ones charterc reads. See docs/report-inputs.md.
""")

_SEVERITY = {"U101": Severity.WARNING, "U102": Severity.WARNING, "U103": Severity.WARNING,
             "U104": Severity.WARNING, "U105": Severity.WARNING, "U106": Severity.ERROR,
             "U107": Severity.WARNING, "U108": Severity.WARNING}


class Ticket(NamedTuple):
    line: int
    id: str
    client: str
    priority: str
    opened: int            # UTC epoch seconds
    response: int | None   # first response, or the resolution when that came first
    resolved: int | None
    feature: str | None = None   # the `feature` cell; None when the column or cell is empty
    channel: str | None = None


class Excluded(NamedTuple):
    """A ticket in a status of `--exclude-status` (cancelled): out of every figure, counted
    for its client."""

    line: int
    id: str
    client: str
    opened: int
    status: str


class StatusChange(NamedTuple):
    """One row of the status history: ticket `id` entered `status` (as written) at `at`."""

    line: int
    id: str
    at: int
    status: str


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


class UnreadableFile(CharterError):
    """The file cannot be read as a table (U106); `diagnostic` says why and where."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class BadRow(CharterError):
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


def _header_fields(first: str, delimiter: str, display: str) -> list[str]:
    """The header line's fields; U106 when it is not CSV (e.g. a field over the csv
    module's limit of 131,072 characters)."""
    try:
        return next(csv.reader([first], delimiter=delimiter))
    except csv.Error as exc:
        raise UnreadableFile(diagnostic("U106", display, 1, 1,
                                        f"the header line cannot be read: {exc}")) from None


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


def is_parquet(path: StrPath) -> bool:
    """A Parquet file, by its magic bytes (whatever its name)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == b"PAR1"
    except OSError:
        return False


def _rows(path: Path, display: str, spec: dict[str, bool], mapping: dict[str, str],
          progress: Callable[[int], None] | None,
          profile: Profile | None = None) -> tuple[_Table, Iterator[_Record]]:
    """The table (read now), and (line, fields, error) for every non-blank record after it."""
    if is_parquet(path):
        from .parquet import ParquetError, parquet_records  # pyarrow: only for Parquet
        try:
            header, records = parquet_records(path, _PARQUET_ROWS)
        except ParquetError as exc:
            raise _unreadable_parquet(display, exc) from None
        return _header(header, display, spec, mapping, profile), _parquet_rows(records, display)
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
        table = _header(_header_fields(first, delimiter, display), display, spec, mapping,
                        profile)
        owned = stack.pop_all()  # the records close the file once read
    return table, _records(owned, lines, source, delimiter, progress)


_PARQUET_ROWS = 1 << 16   # rows of a Parquet file read at a time


def _unreadable_parquet(display: str, exc: Exception) -> UnreadableFile:
    return UnreadableFile(diagnostic("U106", display, 0, 0,
                                     f"cannot read the Parquet file: {exc}"))


def _parquet_rows(records: Iterator[_Record], display: str) -> Iterator[_Record]:
    from .parquet import ParquetError
    try:
        yield from records
    except ParquetError as exc:
        raise _unreadable_parquet(display, exc) from None


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
            mapping: dict[str, str], profile: Profile | None = None) -> _Table:
    names = [h.strip().lower() for h in header]
    seen: dict[str, int] = {}
    twice: dict[str, tuple[int, int]] = {}
    for i, name in enumerate(names):
        if name and name in seen:
            twice.setdefault(name, (seen[name], i))
            continue
        seen[name] = i

    def duplicate(name: str) -> UnreadableFile:
        first, second = twice[name]
        return UnreadableFile(diagnostic("U106", display, 1, second + 1,
                                         f"column {header[second].strip()!r} appears twice "
                                         f"(columns {first + 1} and {second + 1})"))

    if twice and profile is None:  # a tool's export repeats columns it does not matter here
        raise duplicate(min(twice, key=lambda n: twice[n][1]))
    index = {}
    for name, required in spec.items():
        if name in mapping:
            wanted = mapping[name].strip().lower()
        elif profile is not None and name in profile.columns:
            found = profile.header(name, header)
            wanted = (found or profile.columns[name][0]).strip().lower()
            required = required and name not in profile.optional
        else:
            wanted = name
        if wanted in twice:
            raise duplicate(wanted)
        if wanted in seen:
            index[name] = seen[wanted]
        elif required:
            if name in mapping:
                where = f"column {wanted!r} (mapped from {name!r})"
            elif profile is not None and name in profile.columns:
                where = f"column {profile.columns[name][0]!r} ({profile.name}'s name for {name!r})"
            else:
                where = f"column {name!r}"
            raise UnreadableFile(diagnostic(
                "U106", display, 1, 1, f"the header lacks the required {where}",
                f"the header has: {', '.join(h.strip() for h in header)}; map a column of "
                f"another name with --columns {name}=HEADER"))
    return _Table(display, index, len(header))


def _stream(path: StrPath, display: str, spec: dict[str, bool], mapping: dict[str, str] | None,
            progress: Callable[[int], None] | None,
            profile: Profile | None = None) -> tuple[_Table, Iterator[_Record]]:
    return _rows(Path(path), display, spec, mapping or {}, progress, profile)


# -- fields -------------------------------------------------------------------------------

_ISO = Instants()


def _instant(text: str, name: str, column: int, instants: Instants = _ISO) -> int:
    try:
        return instants(text)
    except BadInstant as exc:
        raise BadRow("U101", column, f"{name}: {exc.message}", exc.hint) from None


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

def names_of(clients: Iterable[str] | Names, what: str = "client") -> Names:
    """`clients` as `Names` (ids alone match by id, case-insensitively)."""
    return clients if isinstance(clients, Names) else Names.of_ids(clients, what)


def excluded_statuses(values: Iterable[str] | None) -> frozenset[str]:
    """`--exclude-status` values as compared: case folded, white space runs as one space."""
    from .names import fold
    return frozenset(fold(v) for v in (EXCLUDE_STATUS if values is None else values)
                     if v.strip())


def client_of(names: Names, written: str, column: int) -> str:
    """The client id a cell names; `BadRow` U102 when it names none, or two."""
    try:
        client = names.match(written)
    except Ambiguous as exc:
        raise BadRow("U102", column, f"client {written!r} is ambiguous: it matches "
                     + " and ".join(f"{i} ({names.labels[i]})" for i in exc.ids),
                     "write the client's id, or make the names and aliases of "
                     "these clients distinct") from None
    if client is None:
        raise BadRow("U102", column, f"unknown client {written!r}",
                     did_you_mean(written, names.ids))
    return client


def ticket_parser(table: _Table, *, clients: Iterable[str] | Names,
                  priorities: Iterable[str],
                  profile: Profile | None = None, instants: Instants = _ISO,
                  first_line: dict[str, int] | None = None,
                  features: Names | None = None,
                  exclude: frozenset[str] = frozenset(),
                  window: tuple[int, int] | None = None,
                  ) -> Callable[[int, list[str]], Ticket | Excluded]:
    """The reader of one ticket row (raises `BadRow`), as `read_tickets` applies it; the ids
    of the rows read are remembered in `first_line` (id -> line) for U104.

    `clients`: the charter's clients (their `Names`: id, name, aliases); `features`: its
    features, to count a feature cell under the feature's id; `exclude`: the statuses
    (folded) whose tickets are `Excluded` (only the id, client and opening are read).
    `window`: only the tickets opened in [start, end) (UTC seconds: the period a report
    measures) are checked and remembered for U104; None: every row of the file."""
    from .names import fold
    priorities = tuple(priorities)
    known = frozenset(priorities)
    names = names_of(clients)
    first_line = {} if first_line is None else first_line
    ix = table.index
    i_id = ix["id"]
    i_opened, i_resolved = ix["opened"], ix["resolved"]
    i_response = ix.get("first_response")  # a profile's export may have none
    i_feature, i_channel = ix.get("feature"), ix.get("channel")
    i_status = ix.get("status") if exclude else None
    labels = profile.priorities if profile is not None else priorities

    def ticket(line: int, fields: list[str]) -> Ticket | Excluded:
        _width(fields, table)
        ident, _ = _required(fields, table, "id")
        written_client, c_client = _required(fields, table, "client")
        client = client_of(names, written_client, c_client)
        if i_status is not None and fold(fields[i_status]) in exclude:
            text, c_opened = _required(fields, table, "opened")
            return Excluded(line, ident, client, _instant(text, "opened", c_opened, instants),
                            fields[i_status].strip())
        written, c_priority = _required(fields, table, "priority")
        priority = written
        if written not in known:
            mapped = profile.priority(written, priorities) if profile is not None else None
            if mapped is not None:
                priority = mapped
            else:
                hint = did_you_mean(written, labels)
                if profile is not None:
                    hint = (f"{profile.name}'s priorities map onto the charter's in order: "
                            + ", ".join(f"{label} = {p}"
                                        for label, p in zip(labels, priorities, strict=False)))
                raise BadRow("U105", c_priority, f"unknown priority {written!r}", hint)
        text, c_opened = _required(fields, table, "opened")
        opened = _instant(text, "opened", c_opened, instants)
        text = fields[i_response].strip() if i_response is not None else ""
        response = None
        if text:
            assert i_response is not None
            response = _instant(text, "first_response", i_response + 1, instants)
        text = fields[i_resolved].strip()
        resolved = _instant(text, "resolved", i_resolved + 1, instants) if text else None
        if resolved is not None and resolved < opened:
            raise BadRow("U103", i_resolved + 1, f"ticket {ident} is resolved "
                         f"({fields[i_resolved].strip()}) before it was opened "
                         f"({fields[i_opened].strip()})")
        if response is not None and response < opened:
            assert i_response is not None
            raise BadRow("U103", i_response + 1, f"ticket {ident} is first answered "
                         f"({fields[i_response].strip()}) before it was opened "
                         f"({fields[i_opened].strip()})")
        if window is None or window[0] <= opened < window[1]:
            if ident in first_line:
                raise BadRow("U104", i_id + 1, f"duplicate id {ident} (first on line "
                             f"{first_line[ident]})",
                             "the first row is measured; remove the copy")
            first_line[ident] = line
        if resolved is not None and (response is None or resolved < response):
            response = resolved  # a resolution answers the ticket
        feature = None
        if i_feature is not None:
            feature = features.label(fields[i_feature]) if features is not None else \
                fields[i_feature].strip() or None
        channel = fields[i_channel].strip() or None if i_channel is not None else None
        return Ticket(line, ident, client, priority, opened, response, resolved, feature,
                      channel)

    return ticket


def read_tickets(path: StrPath, display: str, *, clients: Iterable[str] | Names,
                 priorities: Iterable[str], mapping: dict[str, str] | None = None,
                 progress: Callable[[int], None] | None = None,
                 profile: Profile | None = None,
                 instants: Instants = _ISO,
                 shape: dict[str, int] | None = None,
                 features: Names | None = None,
                 exclude: frozenset[str] = frozenset(),
                 window: tuple[int, int] | None = None,
                 ) -> Iterator[Ticket | Excluded | Skipped]:
    """Every ticket row as a `Ticket`, an `Excluded` one (a status of `exclude`, e.g.
    cancelled), or a `Skipped` row with its diagnostic.

    Raises `UnreadableFile` (before yielding anything) when the header is unusable.
    Duplicate ids (U104) are found here, so the ids of valid rows are the one
    thing kept across rows (id -> line of the first row, for the message).
    `profile`: a tool's export (its column names and priority labels); `instants`
    reads the times (an input zone for times without an offset). `shape`, if given,
    is filled with the 1-based column of each canonical column the file has. `window`:
    U104 only among the tickets opened in [start, end) (see `ticket_parser`).
    """
    profile = profile.for_tickets() if profile is not None else None
    table, rows = _stream(path, display, TICKET_COLUMNS, mapping, progress, profile)
    if shape is not None:
        shape.update({name: i + 1 for name, i in table.index.items()})
    names = names_of(clients)
    ticket = ticket_parser(table, clients=names, priorities=priorities, profile=profile,
                           instants=instants, features=features, exclude=exclude,
                           window=window)
    i_client = table.index["client"]

    for line, fields, error in rows:
        if fields is None:
            yield Skipped(diagnostic("U101", display, line, 1,
                                     f"the row cannot be read as CSV: {error}"))
            continue
        try:
            yield ticket(line, fields)
        except BadRow as exc:
            named = names.find(fields[i_client]) if i_client < len(fields) else None
            yield Skipped(_bad(table, line, exc), named)


# -- status history -----------------------------------------------------------------------

def change_parser(table: _Table,
                  instants: Instants = _ISO) -> Callable[[int, list[str]], StatusChange]:
    """The reader of one status history row (raises `BadRow`)."""
    def change(line: int, fields: list[str]) -> StatusChange:
        _width(fields, table)
        ident, _ = _required(fields, table, "id")
        text, c_at = _required(fields, table, "at")
        status, _ = _required(fields, table, "status")
        return StatusChange(line, ident, _instant(text, "at", c_at, instants), status)

    return change


def read_history(path: StrPath, display: str, *, mapping: dict[str, str] | None = None,
                 profile: Profile | None = None, instants: Instants = _ISO,
                 progress: Callable[[int], None] | None = None,
                 ) -> Iterator[StatusChange | Skipped]:
    """Every row of a status history (`--history`: `id`, `at`, `status`) as a
    `StatusChange`, or a `Skipped` row (U101) with its diagnostic."""
    table, rows = _stream(path, display, HISTORY_COLUMNS, mapping, progress, profile)
    change = change_parser(table, instants)
    for line, fields, error in rows:
        if fields is None:
            yield Skipped(diagnostic("U101", display, line, 1,
                                     f"the row cannot be read as CSV: {error}"))
            continue
        try:
            yield change(line, fields)
        except BadRow as exc:
            yield Skipped(_bad(table, line, exc))


# -- outages ------------------------------------------------------------------------------

_BOOLEANS = {"true": True, "false": False, "": False}


def read_outages(path: StrPath, display: str, *, tiers: Iterable[str], clients: Iterable[str],
                 mapping: dict[str, str] | None = None,
                 instants: Instants = _ISO) -> Iterator[Outage | Skipped]:
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
        start = _instant(text, "start", c_start, instants)
        text, c_end = _required(fields, table, "end")
        end = _instant(text, "end", c_end, instants)
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
