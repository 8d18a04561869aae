"""Which usage file measures which charter (spec section 12; docs/statement.md).

A file is given to `charterc statement` in one of two ways:

- `--tickets CHARTER_ID=FILE`: the file measures that charter only (any file `charterc
  report` reads: CSV or Parquet, any profile);
- `--tickets FILE`: a CSV file with a `charter` column holding a charter id on each row;
  its rows are split by that column into one file per charter (rows naming a charter the
  statement was not given are left out and counted). A file without a `charter` column
  whose name starts with a charter's id and a dot (`hr-legal.tickets.csv`, as in
  `examples/usage/`) measures that charter; with a single charter, any file does.

Outages (`--outages`) are matched the same way.
"""
from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CharterError

__all__ = ["CHARTER_COLUMN", "Assigned", "UsageAssignment", "UsageFileError", "assign", "parse"]

CHARTER_COLUMN = "charter"


class UsageFileError(CharterError):
    """A usage file cannot be matched to a charter (a usage error, exit 2)."""


@dataclass(frozen=True)
class UsageAssignment:
    """One `--tickets` or `--outages` value: the charter it names (None: read the file's
    `charter` column) and the file."""

    charter: str | None
    path: Path


@dataclass
class Assigned:
    """charter id -> its file, and the rows left out (charter id -> count) per option."""

    files: dict[str, Path] = field(default_factory=dict)
    left_out: Counter[str] = field(default_factory=Counter)


def parse(value: str) -> UsageAssignment:
    """`CHARTER_ID=FILE` or `FILE` (a path holding `=` is read as a path when it exists)."""
    charter, sep, path = value.partition("=")
    if sep and charter and path and not Path(value).exists():
        return UsageAssignment(charter.strip(), Path(path))
    return UsageAssignment(None, Path(value))


def _header(path: Path) -> list[str]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageFileError(f"{path}: cannot be read ({exc})") from None


def _split(path: Path, charters: set[str], folder: Path, option: str,
           assigned: Assigned) -> None:
    """The rows of a file with a `charter` column, one file per charter in `folder`."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            column = header.index(CHARTER_COLUMN)
            rows: dict[str, list[list[str]]] = {}
            for row in reader:
                charter = row[column].strip() if column < len(row) else ""
                if charter in charters:
                    rows.setdefault(charter, []).append(row)
                elif any(cell.strip() for cell in row):
                    assigned.left_out[charter or "(none)"] += 1
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageFileError(f"{path}: cannot be read ({exc})") from None
    for charter in sorted(rows):
        if charter in assigned.files:
            raise UsageFileError(f"{option}: two files measure charter {charter!r}")
        target = folder / f"{option.strip('-')}-{charter}.csv"
        with target.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(rows[charter])
        assigned.files[charter] = target


def assign(values: list[UsageAssignment], charters: list[str], folder: Path,
           option: str) -> Assigned:
    """Each charter's file for `option` (`--tickets`, `--outages`); UsageFileError when a
    file names an unknown charter, has no `charter` column while several charters are given,
    or two files measure the same charter."""
    assigned = Assigned()
    known = set(charters)
    for value in values:
        if value.charter is not None:
            if value.charter not in known:
                raise UsageFileError(f"{option} {value.charter}={value.path}: no charter "
                                     f"{value.charter!r} was given (given: "
                                     f"{', '.join(charters)})")
            if value.charter in assigned.files:
                raise UsageFileError(f"{option}: two files measure charter {value.charter!r}")
            if not value.path.is_file():
                raise UsageFileError(f"{option}: no such file: {value.path}")
            assigned.files[value.charter] = value.path
    for value in values:
        if value.charter is not None:
            continue
        if not value.path.is_file():
            raise UsageFileError(f"{option}: no such file: {value.path}")
        named = value.path.name.split(".")[0]
        if CHARTER_COLUMN in _header(value.path):
            _split(value.path, known, folder, option, assigned)
        elif named in known and named not in assigned.files:
            assigned.files[named] = value.path   # examples/usage/<charter-id>.tickets.csv
        elif len(charters) == 1 and charters[0] not in assigned.files:
            assigned.files[charters[0]] = value.path
        else:
            raise UsageFileError(
                f"{option} {value.path}: the file has no {CHARTER_COLUMN!r} column; name the "
                f"charter it measures: {option} CHARTER_ID={value.path}")
    return assigned
