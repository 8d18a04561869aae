"""Parquet usage files (pyarrow): their column names, and their rows in batches of text.

Both readers take a Parquet file through here: the columnar one (`columnar.py`) batch
by batch, the row reader (`inputs.py`) row by row. A Parquet file has no lines: a row's
line is its 1-based row number plus one (as if a header line came first). Imported only
for a Parquet file; it imports nothing of the report, so that both readers can.
"""
from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..errors import CharterError

__all__ = ["ParquetError", "TextBatches", "open_parquet", "parquet_records", "text_column"]

# (line of the batch's first row, the columns read by their index in the file)
TextBatches = Iterator[tuple[int, dict[int, pa.Array]]]


class ParquetError(CharterError):
    """The file cannot be read as Parquet (the readers make it U106)."""


def open_parquet(path: object) -> tuple[pq.ParquetFile, list[str]]:
    """The file and its column names; ParquetError if it cannot be opened."""
    try:
        file = pq.ParquetFile(path)
        return file, list(file.schema_arrow.names)
    except (OSError, pa.ArrowException) as exc:
        raise ParquetError(str(exc)) from None


def text_batches(file: pq.ParquetFile, names: list[str], wanted: list[int],
                 batch_rows: int) -> TextBatches:
    """The columns `wanted` (indexes into `names`) as text, `batch_rows` rows at a time."""
    line = 2
    chosen = [names[i] for i in wanted]
    try:
        for batch in file.iter_batches(batch_size=batch_rows, columns=chosen):
            yield line, {i: text_column(batch.column(n))
                         for i, n in zip(wanted, chosen, strict=True)}
            line += batch.num_rows
    except (OSError, pa.ArrowException) as exc:
        raise ParquetError(str(exc)) from None


def text_column(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """A column as strings, instants as the text the readers parse."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if pa.types.is_large_string(column.type):
        column = column.cast(pa.string())
    if pa.types.is_timestamp(column.type):
        # to the second, as instants are read; with a zone in UTC, without one as written
        if column.type.tz is not None:
            column = pc.strftime(column.cast(pa.timestamp("s", "UTC"), safe=False),
                                 format="%Y-%m-%dT%H:%M:%SZ")
        else:
            column = pc.strftime(column.cast(pa.timestamp("s"), safe=False),
                                 format="%Y-%m-%dT%H:%M:%S")
    elif not pa.types.is_string(column.type):
        column = pc.cast(column, pa.string())
    return column


def parquet_records(path: object, batch_rows: int
                    ) -> tuple[list[str], Iterator[tuple[int, list[str], None]]]:
    """The header (column names) and the rows of a Parquet file as the row reader takes
    them: (line, fields as text, None). ParquetError if it cannot be read."""
    file, header = open_parquet(path)

    def records() -> Iterator[tuple[int, list[str], None]]:
        for line0, columns in text_batches(file, header, list(range(len(header))),
                                           batch_rows):
            values = [columns[i].to_pylist() for i in range(len(header))]
            for r in range(len(values[0]) if values else 0):
                yield line0 + r, ["" if column[r] is None else str(column[r])
                                  for column in values], None
    return header, records()
