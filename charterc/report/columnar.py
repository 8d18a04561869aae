"""The report engine on columns: usage files read in batches by pyarrow, measured with numpy.

    tickets (CSV or Parquet) -> batches of typed columns -> `ColumnarMeasure.add_batch`
    (deadlines, pauses and groups as array searches, clock.py) -> per-client `Usage`
    (measure.py).

Reading. A CSV is read by pyarrow's streaming reader, every column as text, BATCH_ROWS
rows at a time; the rows are then checked as columns (instants of the form
`2026-10-05T09:00:00+02:00` or `...Z` converted with integer arithmetic, clients,
priorities, features and channels mapped once per distinct value). A row that any of
these checks does not pass is read again by the row reader of inputs.py, so its
diagnostic (U101-U105, at its line and column) is the one it always was. A file that is
not plain (a quote, a blank line or a row empty in every column read, a header line
ended by a bare CR, rows of the wrong width, bytes that are not UTF-8, an id over 256
bytes) is read by the row reader whole (`Irregular`), into the same batches.
Parquet files have no lines: a row's line is its 1-based row number plus one (as if a
header line came first).

Memory: one batch of rows, the ids seen (U104), the status history reduced to integers,
and per client the counters and the listed tickets.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from ..calendar.index import Ints, local_ordinals
from ..errors import CharterError
from ..model.charter import Charter, status_key
from ..model.projection import Facts
from .clock import TierClock
from .history import OTHER, History
from .inputs import (
    HISTORY_COLUMNS,
    TICKET_COLUMNS,
    BadRow,
    Excluded,
    Skipped,
    StatusChange,
    Ticket,
    UnreadableFile,
    _bad,
    _delimiter,
    _header,
    _header_fields,
    _Table,
    change_parser,
    diagnostic,
    is_parquet,
    names_of,
    read_history,
    read_tickets,
    ticket_parser,
)
from .listing import NO_EVENT
from .measure import Measure, Period

if TYPE_CHECKING:
    from .itsm import ItsmAgreement
    from .names import Names
    from .profiles import Instants, Profile

__all__ = ["BATCH_ROWS", "BLOCK_BYTES", "Careful", "ColumnarHistory", "ColumnarMeasure", "Ids",
           "Irregular", "TicketBatch", "history_rows", "ticket_batches"]

BATCH_ROWS = 1 << 16      # rows of a Parquet batch, or of tickets read row by row
BLOCK_BYTES = 1 << 21     # bytes of CSV a batch of a streamed file holds
WHOLE_BYTES = 1 << 26     # a CSV this long or shorter is read at once (`_Source._whole`),
WHOLE_BLOCKS = 4          # in blocks this many times longer: fewer, longer numpy passes
NONE = np.int64(1 << 62)   # a missing instant: after every end
_MAX_ID = 256   # bytes: a longer id sends its file to the row reader (ids are padded)
_FOREVER = 1 << 62


class Irregular(CharterError):
    """The file is not plain CSV: read it row by row (inputs.py)."""


class Careful(CharterError):
    """An optimistic read (`ticket_batches(optimistic=True)`) met a row it does not take
    (a bad row, an id not of plain ASCII, a duplicate id): read the file again, carefully."""


# -- batches ------------------------------------------------------------------------------

@dataclass
class TicketBatch:
    """Valid tickets, as columns. `client`, `priority`: indexes into the charter's lists;
    `feature`, `channel`: codes into their `values` (None: an empty cell or no column)."""

    line: Ints
    ident: pa.Array    # text
    client: Ints
    priority: Ints
    opened: Ints
    response: Ints   # NONE: none (the resolution when it came first, as in `Ticket`)
    resolved: Ints   # NONE: none
    feature: Ints
    features: list[str | None]
    channel: Ints
    channels: list[str | None]
    hashed: Ids | None = None   # `ident` hashed, when the reader has done it

    def __len__(self) -> int:
        return len(self.line)

    def id_of(self, r: int) -> str:
        return str(self.ident[r].as_py())


class _Batcher:
    """Collects `Ticket`s of the row reader into batches."""

    def __init__(self, clients: list[str], priorities: tuple[str, ...]) -> None:
        self.client_ix = {c: i for i, c in enumerate(clients)}
        self.priority_ix = {p: i for i, p in enumerate(priorities)}
        self.rows: list[Ticket] = []

    def add(self, t: Ticket) -> None:
        self.rows.append(t)

    def flush(self) -> TicketBatch | None:
        rows, self.rows = self.rows, []
        if not rows:
            return None
        features: dict[str | None, int] = {}
        channels: dict[str | None, int] = {}

        def ints(values: Iterable[int | None]) -> Ints:
            return np.fromiter((NONE if v is None else v for v in values), np.int64, len(rows))
        return TicketBatch(
            ints(t.line for t in rows), pa.array([t.id for t in rows], pa.string()),
            ints(self.client_ix[t.client] for t in rows),
            ints(self.priority_ix[t.priority] for t in rows),
            ints(t.opened for t in rows), ints(t.response for t in rows),
            ints(t.resolved for t in rows),
            ints(features.setdefault(t.feature, len(features)) for t in rows), list(features),
            ints(channels.setdefault(t.channel, len(channels)) for t in rows), list(channels))


def _row_batches(rows: Iterator[Ticket | Excluded | Skipped], clients: list[str],
                 priorities: tuple[str, ...]) -> Iterator[TicketBatch | Excluded | Skipped]:
    batcher = _Batcher(clients, priorities)
    for row in rows:
        if isinstance(row, Skipped | Excluded):
            yield row
            continue
        batcher.add(row)
        if len(batcher.rows) >= BATCH_ROWS:
            batch = batcher.flush()
            assert batch is not None
            yield batch
    batch = batcher.flush()
    if batch is not None:
        yield batch


# -- plain CSV and Parquet, as columns ----------------------------------------------------

_DAYS_BEFORE = np.array([0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334],
                        dtype=np.int64)
_DIGITS = (0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18)
_SEPARATORS = ((4, ord("-")), (7, ord("-")), (10, ord("T")), (13, ord(":")), (16, ord(":")))


def _bytes(column: pa.Array) -> tuple[npt.NDArray[np.uint8], Ints, Ints]:
    """(UTF-8 bytes, start of each cell, length of each cell) of a text column."""
    column = pc.fill_null(column, "")
    if pa.types.is_large_string(column.type):
        kind: type[np.int32] | type[np.int64] = np.int64
    else:
        kind = np.int32
        column = column.cast(pa.string()) if not pa.types.is_string(column.type) else column
    _, offsets_buffer, data_buffer = column.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=kind)[column.offset:column.offset
                                                         + len(column) + 1].astype(np.int64)
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None \
        else np.zeros(0, dtype=np.uint8)
    return data, offsets[:-1], offsets[1:] - offsets[:-1]


def _longest(column: pa.Array) -> int:
    _, _, length = _bytes(column)
    return int(length.max()) if len(length) else 0


def _instants(column: pa.Array) -> tuple[Ints, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """(UTC seconds, read, empty) of a text column: `read` where the cell is an instant of
    the plain ISO 8601 form `YYYY-MM-DDTHH:MM:SS` with `Z` or `+HH:MM` (what
    `datetime.fromisoformat` reads the same); the rest is left to the row reader."""
    data, start, length = _bytes(column)
    empty = length == 0
    read = (length == 20) | (length == 25)
    fast = _arrow_instants(column, data, start, length, read, empty)
    if fast is not None:
        return fast, read, empty
    if not len(data):
        zero = np.zeros(len(start), dtype=np.int64)
        return zero, read, empty
    at = np.where(read, start, 0)
    top = len(data) - 1

    def byte(j: int) -> Ints:
        column: Ints = data[np.minimum(at + j, top)].astype(np.int64)
        return column

    def digit(j: int) -> Ints:
        return byte(j) - 48

    for j in _DIGITS:
        d = digit(j)
        read &= (d >= 0) & (d <= 9)
    for j, char in _SEPARATORS:
        read &= byte(j) == char
    zulu = length == 20
    sign = byte(19)
    read &= np.where(zulu, sign == ord("Z"), ((sign == ord("+")) | (sign == ord("-")))
                     & (byte(22) == ord(":")))
    for j in (20, 21, 23, 24):
        d = digit(j)
        read &= zulu | ((d >= 0) & (d <= 9))
    year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)
    month = digit(5) * 10 + digit(6)
    day = digit(8) * 10 + digit(9)
    hour, minute, second = (digit(11) * 10 + digit(12), digit(14) * 10 + digit(15),
                            digit(17) * 10 + digit(18))
    off_hour, off_minute = digit(20) * 10 + digit(21), digit(23) * 10 + digit(24)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_ok = (month >= 1) & (month <= 12)
    month = np.where(month_ok, month, 1)
    length_of_month = np.where(month == 2, 28 + leap,
                               np.where(np.isin(month, (4, 6, 9, 11)), 30, 31))
    read &= (year >= 1000) & month_ok & (day >= 1) & (day <= length_of_month)
    read &= (hour <= 23) & (minute <= 59) & (second <= 59)
    read &= zulu | ((off_hour <= 23) & (off_minute <= 59))
    y = year - 1
    days = (y * 365 + y // 4 - y // 100 + y // 400 + _DAYS_BEFORE[month]
            + np.where((month > 2) & leap, 1, 0) + day - 719163)
    offset = np.where(zulu, 0, np.where(sign == ord("-"), -1, 1)
                      * (off_hour * 3600 + off_minute * 60))
    seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset
    return np.where(read, seconds, 0), read, empty


_UTC_SECONDS = pa.timestamp("s", tz="UTC")


def _arrow_instants(column: pa.Array, data: npt.NDArray[np.uint8], start: Ints,
                    length: Ints, read: npt.NDArray[np.bool_],
                    empty: npt.NDArray[np.bool_]) -> Ints | None:
    """UTC seconds of a column whose every cell is empty or of the plain form, converted by
    Arrow's ISO 8601 cast (one C++ pass, twice as fast as the integer arithmetic below);
    None if a cell is of another form or Arrow refuses one (an impossible date, a leap
    second, an offset of 24 hours), so the column is read cell by cell.

    The form is checked here, byte by byte where it is fixed: Arrow also reads forms the
    row reader does not (a space for `T`, fractions, `+0200`). Arrow checks the digits and
    their ranges as the arithmetic below does (month, day of the month, hours to 23,
    minutes and seconds to 59, offsets to 23:59)."""
    n = len(start)
    if not n or not bool(np.all(read | empty)) or bool(np.all(empty)):
        return None
    width = int(length.max())
    if bool(np.any(read & (length != width))):
        return None   # both forms in one column: cell by cell
    # the cells that are not empty lie end to end: a matrix of `width` columns, no copy
    base = int(start[0])
    cell = data[base:base + int(length.sum())].reshape(-1, width)[:, _FIXED_AT[width]]
    ok = np.all(cell[:, :5] == _FIXED, axis=1) & (cell[:, 5] != ord("0"))
    if width == 20:
        ok &= cell[:, 6] == ord("Z")
    else:
        ok &= ((cell[:, 6] == ord("+")) | (cell[:, 6] == ord("-"))) & (cell[:, 7] == ord(":"))
    if not bool(np.all(ok)):
        return None
    text = column if not bool(np.any(empty)) else pc.if_else(
        pa.array(empty), pa.scalar(None, pa.string()), column)
    try:
        seconds = pc.cast(text, _UTC_SECONDS).cast(pa.int64())
    except pa.ArrowInvalid:
        return None
    return np.asarray(seconds.fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)


# bytes at fixed places of `YYYY-MM-DDTHH:MM:SS`, the year's first digit (not 0: years
# from 1000), and the offset's sign and colon (`Z` twice in a cell of 20 bytes)
_FIXED_AT = {20: np.array([4, 7, 10, 13, 16, 0, 19, 19], dtype=np.int64),
             25: np.array([4, 7, 10, 13, 16, 0, 19, 22], dtype=np.int64)}
_FIXED = np.array([ord("-"), ord("-"), ord("T"), ord(":"), ord(":")], dtype=np.uint8)


def _plain_cells(columns: Iterable[pa.Array]) -> None:
    """`Irregular` if a cell holds a quote (the row reader unquotes) or a row is empty in
    every column read (a blank line, which the row reader skips, or a row of empty
    fields, which it reports: only it can tell them apart)."""
    blank: npt.NDArray[np.bool_] | None = None
    for column in columns:
        data, start, length = _bytes(column)
        if len(start):
            base = int(start[0])
            if np.any(data[base:base + int(length.sum())] == ord('"')):
                raise Irregular
        blank = length == 0 if blank is None else blank & (length == 0)
    if blank is not None and bool(np.any(blank)):
        raise Irregular


def _mapped(column: pa.Array, mapping: Callable[[str], int]) -> Ints:
    """Each cell of a text column mapped to an integer (once per distinct cell)."""
    codes, values = _coded(column, mapping)
    return np.asarray(values, dtype=np.int64)[codes] if values else codes


def _coded(column: pa.Array, mapping: Callable[[str], Any]) -> tuple[Ints, list[Any]]:
    """Codes of a text column and the mapped value of each distinct cell."""
    encoded = pc.dictionary_encode(pc.fill_null(column, ""))
    values = [mapping(v) for v in encoded.dictionary.to_pylist()]
    return np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64), values


_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)


class Ids:
    """A text column of ids as a byte matrix (each row padded with zeros), the byte length
    of each id and a 64-bit hash of it: ids compared and looked up without Python strings.
    Hashes only find candidates; equal ids are always confirmed on their bytes."""

    def __init__(self, column: pa.Array) -> None:
        data, start, length = _bytes(column)
        n = len(start)
        width = int(length.max()) if n else 0
        self.length = length.astype(np.int32)
        self.matrix = np.zeros((n, width), dtype=np.uint8)
        self.graphic = False   # every byte printable ASCII other than a space
        if n and width:
            base, total = int(start[0]), int(length.sum())
            flat = data[base:base + total]
            self.graphic = bool(np.all((flat >= 33) & (flat <= 126)))
            if int(length.min()) == width:
                self.matrix[:] = flat.reshape(n, width)
            else:
                rows = np.repeat(np.arange(n), length)
                first = np.repeat(np.cumsum(length) - length, length)
                self.matrix[rows, np.arange(total) - first] = flat
        h = np.full(n, _FNV_OFFSET, dtype=np.uint64) ^ length.astype(np.uint64)
        for j in range(width):   # the bytes of the id only: the same id, the same hash
            mixed = (h ^ self.matrix[:, j]) * _FNV_PRIME
            h = mixed if j < int(length.min()) else np.where(j < length, mixed, h)
        self.hash = h

    def __len__(self) -> int:
        return len(self.length)

    def take(self, rows: Ints) -> Ids:
        out = Ids.__new__(Ids)
        out.length, out.matrix, out.hash = self.length[rows], self.matrix[rows], self.hash[rows]
        out.graphic = self.graphic
        return out


def _same(a: Ids, a_rows: Ints, b: Ids, b_rows: Ints) -> npt.NDArray[np.bool_]:
    """Whether id a[a_rows[i]] equals id b[b_rows[i]], byte for byte."""
    width = min(a.matrix.shape[1], b.matrix.shape[1])
    same: npt.NDArray[np.bool_] = (a.length[a_rows] == b.length[b_rows]) & np.all(
        a.matrix[a_rows, :width] == b.matrix[b_rows, :width], axis=1)
    return same


class _Seen(dict[str, int]):
    """The ids read so far (id -> line of its row, for U104), kept as hashed byte columns,
    one chunk a batch; the ids of the batch being read are a plain dict until `seal`."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[tuple[npt.NDArray[np.uint64], Ids, Ints]] = []

    def lines(self, ids: Ids) -> Ints:
        """The line of an earlier row with each id, or -1."""
        found = np.full(len(ids), -1, dtype=np.int64)
        for hashes, kept, lines in self.chunks:
            pos = np.searchsorted(hashes, ids.hash)
            at = np.minimum(pos, len(hashes) - 1)
            for i in np.flatnonzero(hashes[at] == ids.hash).tolist():
                j = int(pos[i])
                while j < len(hashes) and hashes[j] == ids.hash[i]:
                    if _same(ids, np.asarray([i]), kept, np.asarray([j]))[0]:
                        found[i] = lines[j]
                        break
                    j += 1
        return found

    def _line(self, ident: str) -> int:
        column = Ids(pa.array([ident], pa.string()))
        return int(self.lines(column)[0])

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key) or (isinstance(key, str) and self._line(key) >= 0)

    def __getitem__(self, key: str) -> int:
        if super().__contains__(key):
            return super().__getitem__(key)
        line = self._line(key)
        if line < 0:
            raise KeyError(key)
        return line

    def add(self, ids: Ids, lines: Ints) -> None:
        if len(ids):
            order = np.argsort(ids.hash, kind="stable")
            self.chunks.append((ids.hash[order], ids.take(order),
                                lines[order].astype(np.int32)))
        # a chunk as large as the one before it joins it (two sorted runs: a linear merge),
        # so there are a logarithmic number of chunks to search
        while len(self.chunks) > 1 and len(self.chunks[-1][0]) >= len(self.chunks[-2][0]):
            (h1, i1, l1), (h2, i2, l2) = self.chunks[-2], self.chunks[-1]
            hashes = np.concatenate([h1, h2])
            order = np.argsort(hashes, kind="stable")
            merged = Ids.__new__(Ids)
            merged.hash = hashes[order]
            del hashes
            width = max(i1.matrix.shape[1], i2.matrix.shape[1])
            merged.matrix = np.zeros((len(order), width), dtype=np.uint8)
            first = order < len(h1)   # where the rows of the first chunk go
            at = np.flatnonzero(first)
            merged.matrix[at, :i1.matrix.shape[1]] = i1.matrix[order[at]]
            at = np.flatnonzero(~first)
            merged.matrix[at, :i2.matrix.shape[1]] = i2.matrix[order[at] - len(h1)]
            merged.length = np.concatenate([i1.length, i2.length])[order]
            merged.graphic = i1.graphic and i2.graphic
            self.chunks[-2:] = [(merged.hash, merged, np.concatenate([l1, l2])[order])]

    def seal(self) -> None:
        """The ids of the batch just read join the chunks."""
        if super().__len__():
            pending = dict(super().items())
            self.add(Ids(pa.array(list(pending), pa.string())),
                     np.fromiter(pending.values(), np.int64, len(pending)))
            self.clear()


def _unreadable_parquet(display: str, exc: Exception) -> UnreadableFile:
    return UnreadableFile(diagnostic("U106", display, 0, 0,
                                     f"cannot read the Parquet file: {exc}"))


class _Source:
    """The batches of a plain CSV or a Parquet file: (first line, columns by field index)."""

    def __init__(self, path: Path, display: str, spec: dict[str, bool],
                 mapping: dict[str, str] | None, profile: Profile | None,
                 progress: Callable[[int], None] | None) -> None:
        self.path, self.display, self.progress = path, display, progress
        self.parquet = is_parquet(path)
        if self.parquet:
            self._open_parquet()
            self.table = _header(self.names, display, spec, mapping or {}, profile)
        else:
            first = self._plain()
            self.delimiter = _delimiter(first)
            header = _header_fields(first, self.delimiter, display)
            self.table = _header(header, display, spec, mapping or {}, profile)

    def _open_parquet(self) -> None:
        from .parquet import ParquetError, open_parquet
        try:
            self.file, self.names = open_parquet(self.path)
        except ParquetError as exc:
            raise _unreadable_parquet(self.display, exc) from None

    def _plain(self) -> str:
        """The header line, if it is plain (no quote; else `Irregular`). The rest of the
        file is checked as it is read (`batches`)."""
        try:
            with open(self.path, "rb") as handle:
                first = handle.readline(1 << 20)
        except OSError:
            raise Irregular from None
        first = first.removesuffix(b"\n")
        if not first or b'"' in first or b"\r" in first.removesuffix(b"\r"):
            raise Irregular
        try:
            text = first.decode("utf-8").removesuffix("\r")
        except UnicodeDecodeError:
            raise Irregular from None
        text = text.removeprefix("\ufeff")
        if not text.strip() or text.strip("\ufeff ") != text.strip():
            raise Irregular
        return text

    def batches(self) -> Iterator[tuple[int, dict[int, pa.Array]]]:
        wanted = sorted(set(self.table.index.values()))
        if self.parquet:
            from .parquet import ParquetError, text_batches
            try:
                yield from text_batches(self.file, self.names, wanted, BATCH_ROWS)
            except ParquetError as exc:
                raise _unreadable_parquet(self.display, exc) from None
            return
        names = [f"f{i}" for i in range(self.table.width)]
        parse = pcsv.ParseOptions(delimiter=self.delimiter, quote_char=False,
                                  ignore_empty_lines=False)
        convert = pcsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                      include_columns=[names[i] for i in wanted],
                                      strings_can_be_null=False,
                                      quoted_strings_can_be_null=False)
        try:
            size = Path(self.path).stat().st_size
            if size <= WHOLE_BYTES:
                yield from self._whole(names, wanted, parse, convert, size)
                return
            with open(self.path, "rb") as handle:
                reader = pcsv.open_csv(
                    handle, read_options=pcsv.ReadOptions(
                        column_names=names, skip_rows=1, block_size=BLOCK_BYTES,
                        use_threads=True),
                    parse_options=parse, convert_options=convert)
                line, reported = 2, 0
                for batch in reader:
                    columns = {i: batch.column(names[i]) for i in wanted}
                    _plain_cells(columns.values())
                    yield line, columns
                    line += batch.num_rows
                    if self.progress is not None:
                        self.progress(handle.tell() - reported)
                        reported = handle.tell()
        except (pa.ArrowException, OSError):
            raise Irregular from None

    def _whole(self, names: list[str], wanted: list[int], parse: pcsv.ParseOptions,
               convert: pcsv.ConvertOptions, size: int,
               ) -> Iterator[tuple[int, dict[int, pa.Array]]]:
        """A file of at most WHOLE_BYTES read at once, its blocks parsed in parallel on
        Arrow's threads (the streaming reader parses one block after the other); a batch
        a block, as the streaming reader gives them. The blocks are longer than a
        streamed file's: its memory is the file's anyway, and a batch costs passes."""
        table = pcsv.read_csv(
            self.path, read_options=pcsv.ReadOptions(column_names=names, skip_rows=1,
                                                     block_size=WHOLE_BLOCKS * BLOCK_BYTES,
                                                     use_threads=True),
            parse_options=parse, convert_options=convert)
        if self.progress is not None:
            self.progress(size)
        line = 2
        for batch in table.to_batches():
            columns = {i: batch.column(names[i]) for i in wanted}
            _plain_cells(columns.values())
            yield line, columns
            line += batch.num_rows


def _strip_or_none(value: str) -> str | None:
    return value.strip() or None


def _cells(columns: dict[int, pa.Array], width: int, row: int) -> list[str]:
    """One row's fields as the row reader sees them (the columns not read are empty)."""
    fields = [""] * width
    for i, column in columns.items():
        value = column[row].as_py()
        fields[i] = "" if value is None else str(value)
    return fields


def ticket_batches(path: Path, display: str, *, clients: list[str] | Names,
                   priorities: tuple[str, ...],
                   mapping: dict[str, str] | None, progress: Callable[[int], None] | None,
                   profile: Profile | None, instants: Instants, shape: dict[str, int],
                   rows: bool = False, features: Names | None = None,
                   exclude: frozenset[str] = frozenset(),
                   window: tuple[int, int] | None = None, optimistic: bool = False,
                   ) -> Iterator[TicketBatch | Excluded | Skipped]:
    """The tickets of a file in batches, its excluded tickets (`exclude`: statuses, folded)
    and its skipped rows, in the order of the file.

    `clients`: the charter's clients (ids, or `Names` to match names and aliases too);
    `features`: its features' `Names`, to count a feature cell under its id.
    `rows`: read the file row by row (a file that is not plain CSV, see `Irregular`).
    `window`: duplicate ids (U104) are looked for among the tickets opened in [start, end)
    only, the period measured: the ids kept are the period's, not the file's.
    `optimistic`: every row is taken to be good and every id distinct, which is checked
    once, at the end, over the window's ids (one hash pass by Arrow); a row that is not
    good, or an id seen twice, raises `Careful` (the caller reads the file again without
    `optimistic`, and the rows are then reported as they always were)."""
    names = names_of(clients)
    ids = list(names.ids)
    if rows:
        yield from _row_batches(read_tickets(
            path, display, clients=names, priorities=priorities, mapping=mapping,
            progress=progress, profile=profile, instants=instants, shape=shape,
            features=features, exclude=exclude, window=window), ids, priorities)
        return
    profile = profile.for_tickets() if profile is not None else None
    source = _Source(path, display, TICKET_COLUMNS, mapping, profile, progress)
    table = source.table
    shape.update({name: i + 1 for name, i in table.index.items()})
    seen = _Seen()
    parse = ticket_parser(table, clients=names, priorities=priorities, profile=profile,
                          instants=instants, first_line=seen, features=features,
                          exclude=exclude, window=window)
    clients = ids
    batcher = _Batcher(clients, priorities)
    cells = _Values(names, priorities, features, exclude)
    ix = table.index
    i_client = ix["client"]
    i_status = ix.get("status") if exclude else None

    # optimistic: the window's ids and lines so far, checked once (at the end, or when a
    # batch needs the careful read: then they are what `seen` holds)
    window_ids: list[pa.Array] = []
    window_lines: list[Ints] = []
    for line0, columns in source.batches():
        ids = columns[ix["id"]]
        n = len(ids)
        if _longest(ids) > _MAX_ID:
            raise Irregular
        client, priority, opened, response, resolved, codes, read = _decoded(
            columns, ix, cells, i_status, n)
        if optimistic and not (bool(np.all(read)) and _graphic(ids)):
            # rows for the row reader, or ids it strips: from here on, carefully
            optimistic = _careful_from(seen, window_ids, window_lines)
        hashed = None if optimistic else Ids(ids)
        good = read if hashed is None else read & _plain(hashed)
        lines = np.arange(line0, line0 + n, dtype=np.int64)
        bad = np.flatnonzero(~good)
        if optimistic:
            inside = np.ones(n, dtype=bool) if window is None else \
                (opened >= window[0]) & (opened < window[1])
            window_ids.append(ids.filter(pa.array(inside)))
            window_lines.append(lines[inside])
            yield TicketBatch(lines, ids, client, priority, opened, response, resolved,
                              codes[0][0], codes[0][1], codes[1][0], codes[1][1])
            continue
        assert hashed is not None
        counted, kept, checked = _counted(hashed, good, opened, window)
        earlier = seen.lines(checked)
        if not len(bad) and not np.any(earlier >= 0) and \
                len(np.unique(checked.hash)) == len(kept):
            seen.add(checked, lines[kept])
            yield TicketBatch(lines, ids, client, priority, opened, response, resolved,
                              codes[0][0], codes[0][1], codes[1][0], codes[1][1], hashed)
            continue
        # rows in order: the good ones of the window checked for duplicates, the others
        # read by rows; the good ones outside the window are kept as they are
        keep = good & ~counted
        bad_rows = set(bad.tolist())
        idents: list[str] = ids.to_pylist()
        for r in np.flatnonzero(counted | ~good).tolist():
            if r in bad_rows:
                fields = _cells(columns, table.width, r)
                try:
                    parsed = parse(line0 + r, fields)
                except BadRow as exc:
                    yield Skipped(_bad(table, line0 + r, exc), names.find(fields[i_client]))
                    continue
                if isinstance(parsed, Excluded):
                    yield parsed
                else:
                    batcher.add(parsed)
                continue
            ident = idents[r]
            if ident in seen:
                yield Skipped(_bad(table, line0 + r, BadRow(
                    "U104", ix["id"] + 1, f"duplicate id {ident} (first on line "
                    f"{seen[ident]})", "the first row is measured; remove the copy")),
                    clients[client[r]])
                continue
            seen[ident] = line0 + r
            keep[r] = True
        seen.seal()
        at = np.flatnonzero(keep)
        if len(at):
            yield TicketBatch(lines[at], ids.take(pa.array(at)), client[at], priority[at],
                              opened[at], response[at], resolved[at], codes[0][0][at],
                              codes[0][1], codes[1][0][at], codes[1][1])
        rest = batcher.flush()
        if rest is not None:
            yield rest
    if optimistic:
        _distinct(window_ids)


def _decoded(columns: dict[int, pa.Array], ix: dict[str, int], cells: _Values,
             i_status: int | None, n: int,
             ) -> tuple[Ints, Ints, Ints, Ints, Ints, list[tuple[Ints, list[str | None]]],
                        npt.NDArray[np.bool_]]:
    """(client, priority, opened, response, resolved, feature and channel codes, read) of
    a batch: `read` where the row's cells are what the columns take (the others are the
    row reader's, and so are excluded tickets: cancelled)."""
    client = _mapped(columns[ix["client"]], cells.client)
    priority = _mapped(columns[ix["priority"]], cells.priority)
    read = (client >= 0) & (priority >= 0)
    if i_status is not None:
        read &= _mapped(columns[i_status], cells.excluded) == 0
    opened, response, resolved, timed = _times(columns, ix, n)
    read &= timed
    codes: list[tuple[Ints, list[str | None]]] = []
    for name, label in (("feature", cells.feature), ("channel", _strip_or_none)):
        if ix.get(name) is None:
            codes.append((np.zeros(n, dtype=np.int64), [None]))
        else:
            codes.append(_coded(columns[ix[name]], label))
    return client, priority, opened, response, resolved, codes, read


def _distinct(window_ids: list[pa.Array]) -> pa.Array | None:
    """The window's ids of an optimistic read, as one column (None: none); `Careful` if
    one is there twice (the batches it was in are measured already: the careful read
    says which, U104)."""
    if not window_ids:
        return None
    every = pa.concat_arrays([column.cast(pa.string()) for column in window_ids])
    if len(pc.unique(every)) != len(every):
        raise Careful
    return every


def _careful_from(seen: _Seen, window_ids: list[pa.Array], window_lines: list[Ints]) -> bool:
    """Leave an optimistic read for the careful one, mid-file: the ids read so far are
    checked (`_distinct`) and become what `seen` holds. False (not optimistic)."""
    every = _distinct(window_ids)
    if every is not None:
        seen.add(Ids(every), np.concatenate(window_lines))
    window_ids.clear()
    window_lines.clear()
    return False


def _counted(hashed: Ids, good: npt.NDArray[np.bool_], opened: Ints,
             window: tuple[int, int] | None) -> tuple[npt.NDArray[np.bool_], Ints, Ids]:
    """The rows checked for duplicate ids (U104): the good ones opened in the window (all
    good ones without a window); their indexes, and their ids."""
    counted = good if window is None else good & (opened >= window[0]) & (opened < window[1])
    kept = np.flatnonzero(counted)
    return counted, kept, hashed if len(kept) == len(hashed) else hashed.take(kept)


class _Values:
    """What a distinct cell of a batch's column means (-1: the row reader will say)."""

    def __init__(self, clients: Names, priorities: tuple[str, ...], features: Names | None,
                 exclude: frozenset[str]) -> None:
        self.clients, self.features, self.exclude = clients, features, exclude
        self.client_ix = {c: i for i, c in enumerate(clients.ids)}
        self.priority_ix = {p: i for i, p in enumerate(priorities)}

    def client(self, text: str) -> int:
        found = self.clients.find(text)
        return -1 if found is None else self.client_ix[found]

    def priority(self, text: str) -> int:
        return self.priority_ix.get(text, -1)  # mapped priorities, stripped cells: the row reader

    def feature(self, text: str) -> str | None:
        return self.features.label(text) if self.features is not None else _strip_or_none(text)

    def excluded(self, text: str) -> int:
        from .names import fold
        return int(fold(text) in self.exclude)


def _times(columns: dict[int, pa.Array], ix: dict[str, int],
           n: int) -> tuple[Ints, Ints, Ints, npt.NDArray[np.bool_]]:
    """(opened, response, resolved, read) of a batch: `read` where the three are plain
    instants (or empty where they may be) in order; the response is the resolution when
    that came first."""
    opened, good, empty = _instants(columns[ix["opened"]])
    resolved, read, empty = _instants(columns[ix["resolved"]])
    good &= read | empty
    resolved = np.where(empty, NONE, resolved)
    good &= resolved >= opened
    if ix.get("first_response") is not None:
        response, read, empty = _instants(columns[ix["first_response"]])
        good &= read | empty
        response = np.where(empty, NONE, response)
        good &= (response >= opened) | empty
    else:
        response = np.full(n, NONE, dtype=np.int64)
    return opened, np.where(resolved < response, resolved, response), resolved, good


def _graphic(column: pa.Array) -> bool:
    """Whether every id is printable ASCII other than a space, none empty (then `_plain`
    holds for each), read from the column's bytes without a matrix."""
    data, start, length = _bytes(column)
    if not len(start) or not bool(np.all(length > 0)):
        return not len(start)
    flat = data[int(start[0]):int(start[0]) + int(length.sum())]
    return bool(np.all((flat >= 33) & (flat <= 126)))


def _plain(ids: Ids) -> npt.NDArray[np.bool_]:
    """Ids of printable ASCII with no space first or last (nothing `str.strip` removes)."""
    matrix, length = ids.matrix, ids.length
    if not matrix.shape[1]:
        return np.zeros(len(length), dtype=bool)
    if ids.graphic and bool(np.all(length > 0)):
        return np.ones(len(length), dtype=bool)
    printable = ((matrix >= 32) & (matrix <= 126)).sum(axis=1) == length
    last = matrix[np.arange(len(length)), np.maximum(length - 1, 0)]
    plain: npt.NDArray[np.bool_] = printable & (length > 0) & (matrix[:, 0] != 32) & (last != 32)
    return plain


# -- the status history -------------------------------------------------------------------

class ColumnarHistory:
    """The status history as three integer columns, and per set of pause statuses the
    pauses of every ticket, for all tickets at once."""

    def __init__(self, statuses: Iterable[str], until: int | None = None) -> None:
        self.log = History(statuses)   # the status codes
        # rows at or after `until` (the period's end) are not kept: a pause they start
        # begins after every clock measured stops, one they end is clipped at the end anyway
        self.until = until
        self.codes = self.log.codes
        self._ids: list[pa.Array] = []
        self._at: list[Ints] = []
        self._code: list[npt.NDArray[np.uint8]] = []
        self._pending: list[StatusChange] = []
        self.key: dict[str, int] = {}
        self.unique: Ids | None = None
        self.unique_hash = np.zeros(0, dtype=np.uint64)
        self.by_hash = np.zeros(0, dtype=np.int64)
        self.tickets = 0
        self._pauses: dict[frozenset[int], tuple[Ints, Ints, Ints]] = {}

    def codes_of(self, statuses: Iterable[str]) -> frozenset[int]:
        return self.log.codes_of(statuses)

    def code(self, status: str | None) -> int:
        return -1 if not status else self.codes.get(status_key(status), OTHER)

    def add_columns(self, ids: pa.Array, at: Ints, code: Ints) -> None:
        """Rows in the file's order (at one instant, that order decides)."""
        self._flush()
        if self.until is not None:
            before = at < self.until
            if not bool(np.all(before)):
                rows = np.flatnonzero(before)
                ids, at, code = ids.take(pa.array(rows)), at[rows], code[rows]
        self._ids.append(ids)
        self._at.append(at)
        self._code.append(code.astype(np.uint8))

    def add(self, change: StatusChange) -> None:
        self._pending.append(change)
        if len(self._pending) >= BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        if pending:
            self.add_columns(pa.array([c.id for c in pending], pa.string()),
                             np.fromiter((c.at for c in pending), np.int64, len(pending)),
                             np.fromiter((self.code(c.status) for c in pending), np.int64,
                                         len(pending)))

    def close(self) -> None:
        """Number the tickets, and sort the rows by ticket and instant, stably (the file's
        order at one instant); a history written ticket by ticket in time order is sorted
        already, which `argsort(kind="stable")` finds in one pass."""
        self._flush()
        ids = pa.chunked_array(self._ids, pa.string())
        at = np.concatenate(self._at) if self._at else np.zeros(0, np.int64)
        code = np.concatenate(self._code) if self._code else np.zeros(0, np.uint8)
        self._ids, self._at, self._code = [], [], []
        encoded = pc.dictionary_encode(ids)
        del ids
        if encoded.num_chunks:
            self.dictionary = encoded.chunk(encoded.num_chunks - 1).dictionary
            key = np.concatenate([np.asarray(c.indices.to_numpy(zero_copy_only=False))
                                  for c in encoded.chunks]).astype(np.int32)
        else:
            self.dictionary = pa.array([], pa.string())
            key = np.zeros(0, dtype=np.int32)
        del encoded
        order = np.argsort(key, kind="stable")
        k, a = key[order], at[order]
        if np.any((k[1:] == k[:-1]) & (a[1:] < a[:-1])):
            del k, a
            order = np.lexsort((at, key))
            k, a = key[order], at[order]
        del key, at
        self.row_key, self.row_at, self.row_code = k, a, code[order]
        del order
        self.tickets = len(self.dictionary)
        if _longest(self.dictionary) > _MAX_ID:   # number the ids exactly, by a dict
            self.key = {v: i for i, v in enumerate(self.dictionary.to_pylist())}
            self.unique = None
            return
        unique = Ids(self.dictionary)
        self.by_hash = np.argsort(unique.hash, kind="stable")
        self.unique_hash = unique.hash[self.by_hash]
        if np.any(self.unique_hash[1:] == self.unique_hash[:-1]):  # two ids of one hash
            self.key = {v: i for i, v in enumerate(self.dictionary.to_pylist())}
            self.unique = None
        else:
            self.unique = unique.take(self.by_hash)

    def keys_of(self, ids: pa.Array, hashed: Ids | None = None) -> Ints:
        """The number of each ticket id among the history's (-1: no history)."""
        if self.unique is None:
            get = self.key.get
            return np.fromiter((get(i, -1) for i in ids.to_pylist()), np.int64, len(ids))
        if not len(self.unique_hash):
            return np.full(len(ids), -1, dtype=np.int64)
        if hashed is None and _longest(ids) > _MAX_ID:   # not among the history's ids
            _, _, length = _bytes(ids)
            short = np.flatnonzero(length <= _MAX_ID)
            found = np.full(len(ids), -1, dtype=np.int64)
            found[short] = self.keys_of(ids.take(pa.array(short)))
            return found
        hashed = Ids(ids) if hashed is None else hashed
        pos = np.minimum(np.searchsorted(self.unique_hash, hashed.hash),
                         len(self.unique_hash) - 1)
        found = (self.unique_hash[pos] == hashed.hash) & _same(
            hashed, np.arange(len(ids)), self.unique, pos)
        return np.where(found, self.by_hash[pos], -1)

    def pauses(self, codes: frozenset[int]) -> tuple[Ints, Ints, Ints]:
        """(offsets per ticket key, starts, ends) of the pauses on these statuses: a pause
        with no later change lasts for ever (it is clipped where it is used)."""
        if codes not in self._pauses:
            key, at = self.row_key, self.row_at
            paused = np.isin(self.row_code, list(codes))
            new = np.ones(len(key), dtype=bool)
            new[1:] = key[1:] != key[:-1]
            before = np.zeros(len(key), dtype=bool)
            before[1:] = paused[:-1]
            before &= ~new
            begins = np.flatnonzero(paused & ~before)
            stops = np.flatnonzero(~paused & before)
            j = np.searchsorted(stops, begins)
            held = j < len(stops)
            stop = stops[np.minimum(j, max(len(stops) - 1, 0))] if len(stops) else j
            if len(stops):
                held &= key[stop] == key[begins]
                ends = np.where(held, at[stop], _FOREVER)
            else:
                ends = np.full(len(begins), _FOREVER, dtype=np.int64)
            offsets = np.searchsorted(key[begins], np.arange(self.tickets + 1))
            self._pauses[codes] = (offsets, at[begins], ends.astype(np.int64))
        return self._pauses[codes]


def history_rows(log: ColumnarHistory, path: Path, display: str, *,
                 mapping: dict[str, str] | None, profile: Profile | None,
                 instants: Instants, rows: bool = False) -> Iterator[Skipped]:
    """Reads the status history into `log`; yields the skipped rows in the file's order."""
    if rows:
        for change in read_history(path, display, mapping=mapping, profile=profile,
                                   instants=instants):
            if isinstance(change, Skipped):
                yield change
            else:
                log.add(change)
        log.close()
        return
    source = _Source(path, display, HISTORY_COLUMNS, mapping, profile, None)
    table: _Table = source.table
    parse = change_parser(table, instants)
    ix = table.index
    for line0, columns in source.batches():
        ids = columns[ix["id"]]
        if _longest(ids) > _MAX_ID:
            raise Irregular
        good = _plain(Ids(ids))
        at, read, _ = _instants(columns[ix["at"]])
        good &= read
        code, values = _coded(columns[ix["status"]], lambda v: log.code(v.strip()))
        code = np.asarray(values, dtype=np.int64)[code] if values else code
        good &= code >= 0
        kept = np.flatnonzero(good)
        extra: list[tuple[int, StatusChange]] = []
        for r in np.flatnonzero(~good).tolist():
            try:
                extra.append((r, parse(line0 + r, _cells(columns, table.width, r))))
            except BadRow as exc:
                yield Skipped(_bad(table, line0 + r, exc))
        if not extra:
            log.add_columns(ids.take(pa.array(kept)), at[kept], code[kept])
            continue
        # the rows read one by one take their place among the others
        order = np.argsort(np.concatenate([kept, np.asarray([r for r, _ in extra],
                                                            dtype=np.int64)]), kind="stable")
        log.add_columns(
            pa.concat_arrays([ids.take(pa.array(kept)).cast(pa.string()),
                              pa.array([c.id for _, c in extra], pa.string())]).take(
                                  pa.array(order)),
            np.concatenate([at[kept], np.asarray([c.at for _, c in extra], np.int64)])[order],
            np.concatenate([code[kept], np.asarray([log.code(c.status) for _, c in extra],
                                                   np.int64)])[order])
    log.close()


# -- measuring ----------------------------------------------------------------------------

class ColumnarMeasure(Measure):
    """`Measure` filled from batches of tickets, every figure computed per column."""

    def __init__(self, charter: Charter, facts: Facts, period: Period,
                 history: ColumnarHistory | None = None):
        super().__init__(charter, facts, period)
        self.columns = history
        first = datetime.fromtimestamp(self.months[0], UTC).year - 1
        last = datetime.fromtimestamp(period.end, UTC).year + 1
        self.first_year, self.last_year = first, last
        clocks = {t.id: TierClock(t, first, last) for t in charter.tiers}
        self.clients = [c.id for c in charter.clients]
        self.vclocks = [clocks[c.tier] for c in charter.clients]
        self.codes = [tuple(history.codes_of(statuses) if history else frozenset()
                            for statuses in clocks[c.tier].pause_on) for c in charter.clients]
        self.priorities = tuple(charter.priorities)
        self._months = np.asarray(self.months, dtype=np.int64)
        self._years = np.asarray(self.years, dtype=np.int64)
        self.itsm: ItsmAgreement | None = None   # --itsm-sla: the ITSM's verdicts compared

    def add_batch(self, b: TicketBatch) -> None:
        start, end = self.period.start, self.period.end
        inside = (b.opened >= start) & (b.opened < end)
        trend = ~inside & (b.opened < end) & (b.opened >= self.months[0]) & \
            (b.opened < self.months[-1])
        hkeys: Ints | None = None
        if self.columns is not None:
            hkeys = self.columns.keys_of(b.ident, b.hashed)
        for c, cid in enumerate(self.clients):
            mine = b.client == c
            rows = np.flatnonzero(mine & inside)
            if len(rows):
                self._batch_period(b, c, cid, rows, hkeys)
            rows = np.flatnonzero(mine & trend)
            if len(rows):
                self._batch_trend(b, c, cid, rows, hkeys)
        if self.itsm is not None:
            self.itsm.add_batch(self, b, inside, hkeys)

    def verdicts(self, b: TicketBatch, c: int, k: int, p: str, rows: Ints, end: Ints,
                 hkeys: Ints | None) -> tuple[Ints, Ints, Ints, Ints] | None:
        """(due, status 0 met / 1 breached / 2 pending, event, paused) of objective k for
        these rows of client c and priority p, as at `end`; None: no target."""
        return self._batch_status(b, c, k, p, rows, end, hkeys)

    def _batch_status(self, b: TicketBatch, c: int, k: int, p: str, rows: Ints, end: Ints,
                hkeys: Ints | None) -> tuple[Ints, Ints, Ints, Ints] | None:
        """(due, status 0 met / 1 breached / 2 pending, event, paused) of each row."""
        clock = self.vclocks[c]
        opened = b.opened[rows]
        due = clock.due(k, p, opened)
        if due is None:
            return None
        event = (b.response if k == 0 else b.resolved)[rows]
        happened = event < end
        paused = np.zeros(len(rows), dtype=np.int64)
        codes = self.codes[c][k]
        if codes and self.columns is not None and hkeys is not None:
            stop = np.where(happened, event, end)
            who, s, e, rank = self._pauses(codes, hkeys[rows], opened, stop)
            if len(who):
                due, paused = clock.extend(k, due, who, s, e, rank)
        status = np.where(happened, np.where(event <= due, 0, 1), np.where(due < end, 1, 2))
        return due, status, event, paused

    def _pauses(self, codes: frozenset[int], keys: Ints, lo: Ints,
                hi: Ints) -> tuple[Ints, Ints, Ints, Ints]:
        assert self.columns is not None
        offsets, starts, ends = self.columns.pauses(codes)
        if len(offsets) <= 1:
            none = np.zeros(0, dtype=np.int64)
            return none, none, none, none
        has = keys >= 0
        k = np.where(has, keys, 0)
        count = np.where(has, offsets[k + 1] - offsets[k], 0)
        who = np.repeat(np.arange(len(keys), dtype=np.int64), count)
        first = np.cumsum(count) - count
        at = offsets[k][who] + (np.arange(len(who), dtype=np.int64) - first[who])
        s = np.maximum(starts[at], lo[who])
        e = np.minimum(ends[at], hi[who])
        keep = s < e
        who, s, e = who[keep], s[keep], e[keep]
        new = np.ones(len(who), dtype=bool)
        new[1:] = who[1:] != who[:-1]
        group = np.maximum.accumulate(np.where(new, np.arange(len(who)), 0)) if len(who) \
            else np.zeros(0, np.int64)
        rank = np.arange(len(who), dtype=np.int64) - group
        return who, s, e, rank

    def _batch_period(self, b: TicketBatch, c: int, cid: str, rows: Ints,
                   hkeys: Ints | None) -> None:
        usage = self.usage[cid]
        end = np.full(len(rows), self.period.end, dtype=np.int64)
        priority = b.priority[rows]
        for pi, p in enumerate(self.priorities):
            at = np.flatnonzero(priority == pi)
            if not len(at):
                continue
            sub = rows[at]
            ok = np.ones(len(sub), dtype=bool)
            waiting = np.zeros(len(sub), dtype=bool)
            for k in (0, 1):
                result = self._batch_status(b, c, k, p, sub, end[at], hkeys)
                if result is None:
                    continue
                due, status, event, paused = result
                tally = usage.objectives[k][p]
                pending = status == 2
                tally.pending += int(pending.sum())
                waiting |= pending
                tally.total += int((~pending).sum())
                tally.met += int((status == 0).sum())
                breached = status == 1
                ok &= ~breached
                # the listed rows, kept as columns (listing.py)
                at_pending = np.flatnonzero(pending)
                if len(at_pending):
                    r = sub[at_pending]
                    usage.pending.add(b.opened[r], b.ident.take(pa.array(r)), k, p,
                                      due[at_pending], None, paused[at_pending])
                at_breached = np.flatnonzero(breached)
                if len(at_breached):
                    r = sub[at_breached]
                    seen = event[at_breached]
                    usage.breaches.add(b.opened[r], b.ident.take(pa.array(r)), k, p,
                                       due[at_breached],
                                       np.where(seen >= self.period.end, NO_EVENT, seen),
                                       paused[at_breached])
            tally = usage.tickets[p]
            tally.total += len(sub)
            tally.met += int((ok & ~waiting).sum())
            tally.pending += int(waiting.sum())
        self._counts(b, c, cid, rows)

    def _counts(self, b: TicketBatch, c: int, cid: str, rows: Ints) -> None:
        """Turnaround, weeks, projection years, features and channels of period tickets."""
        usage, clock = self.usage[cid], self.vclocks[c]
        opened, resolved = b.opened[rows], b.resolved[rows]
        done = np.flatnonzero(resolved < self.period.end)
        if len(done):
            day, hours = clock.groups(opened[done])
            took = resolved[done] - opened[done]
            for g in range(4):
                picked = took[(day == g) | (hours == g)]
                if len(picked):
                    usage.turnaround[g].frombytes(picked.astype(np.int64).tobytes())
        ordinal = local_ordinals(self.period.zone, opened, self.first_year, self.last_year)
        days, counts = np.unique(ordinal, return_counts=True)
        for o, n in zip(days.tolist(), counts.tolist(), strict=True):
            iso = date.fromordinal(o).isocalendar()
            usage.weekly[f"{iso.year}-W{iso.week:02d}"] += n
        year = np.maximum(1, np.searchsorted(self._years, opened, side="right"))
        for y, n in zip(*np.unique(year, return_counts=True), strict=True):
            usage.units[int(y)] += int(n)
        features = b.feature[rows]
        for code, n in zip(*np.unique(features, return_counts=True), strict=True):
            value = b.features[int(code)]
            if value is not None:
                usage.features[value] += int(n)
                if value not in clock.features:
                    for r in rows[features == code].tolist():
                        usage.unpaid.append((int(b.opened[r]), b.id_of(r), value,
                                             int(b.line[r])))
        channels = b.channel[rows]
        for code, n in zip(*np.unique(channels, return_counts=True), strict=True):
            value = b.channels[int(code)]
            if value is not None:
                usage.channels[value] += int(n)

    def _batch_trend(self, b: TicketBatch, c: int, cid: str, rows: Ints,
                  hkeys: Ints | None) -> None:
        usage = self.usage[cid]
        m = np.searchsorted(self._months, b.opened[rows], side="right") - 1
        end = self._months[m + 1]
        priority = b.priority[rows]
        for mm, n in zip(*np.unique(m, return_counts=True), strict=True):
            self.trend_months.add(int(mm))
            row = usage.trend.setdefault(int(mm), [0, 0, 0, 0, 0])
            row[0] += int(n)
        months = len(self.months)
        for pi, p in enumerate(self.priorities):
            at = np.flatnonzero(priority == pi)
            if not len(at):
                continue
            for k in (0, 1):
                result = self._batch_status(b, c, k, p, rows[at], end[at], hkeys)
                if result is None:
                    continue
                status, month = result[1], m[at]
                counted = np.bincount(month[status != 2], minlength=months)
                met = np.bincount(month[status == 0], minlength=months)
                for mm in np.flatnonzero(counted).tolist():
                    usage.trend[mm][2 + 2 * k] += int(counted[mm])
                    usage.trend[mm][1 + 2 * k] += int(met[mm])
