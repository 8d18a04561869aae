"""A client's breaches or its pending tickets, kept as the engine finds them: a batch of
columns at a time (the columnar engine) or a row at a time (a row engine).

A month of a large desk breaches tens of thousands of times. The listing is put in the
listings' order once, as columns (opened, ticket, objective; rows alike keep the order
they were found in), and read either as columns (`events.py`, the CSV of every one) or
as its first rows (the documents). Rows are tuples, `measure.Breach` and
`measure.Pending`:

    (opened, id, objective index, priority, due, [at,] seconds paused)

`at` (breaches only) is None for a breach whose event did not come by the period's end.
numpy and pyarrow are imported where a listing is read or filled by columns: a listing
made and left empty costs neither.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

    from ..calendar.index import Ints

__all__ = ["NO_EVENT", "Listing", "ListingColumns"]

NO_EVENT = 1 << 62   # `at` of a breach whose event did not come by the period's end


@dataclass(frozen=True)
class ListingColumns:
    """A listing in the listings' order, a column each; `priority` codes `priorities`."""

    opened: Ints
    ids: pa.Array        # text
    objective: Ints      # index into OBJECTIVES
    priority: Ints
    priorities: list[str]
    due: Ints
    at: Ints | None      # breaches: NO_EVENT where none; pending tickets: None
    paused: Ints         # seconds

    def __len__(self) -> int:
        return len(self.opened)


class Listing:
    """Breaches (`events=True`: each has an `at`) or pending tickets of one client."""

    def __init__(self, events: bool) -> None:
        self.events = events
        self._chunks: list[tuple[Any, ...]] = []
        self._rows: list[tuple[Any, ...]] = []
        self._count = 0
        self._ordered: ListingColumns | None = None

    def add(self, opened: Ints, ids: pa.Array, objective: int, priority: str, due: Ints,
            at: Ints | None, paused: Ints) -> None:
        """Rows of one objective and priority, as columns (`at`: NO_EVENT where none)."""
        self._chunks.append((opened, ids, objective, priority, due, at, paused))
        self._count += len(opened)
        self._ordered = None

    def append(self, row: tuple[Any, ...]) -> None:
        """One row (`measure.Breach` or `measure.Pending`)."""
        self._rows.append(row)
        self._count += 1
        self._ordered = None

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.first(None))

    def columns(self) -> ListingColumns:
        """Every row, in the listings' order (sorted once, stable: Arrow's sort)."""
        if self._ordered is None:
            self._ordered = self._sorted()
        return self._ordered

    def first(self, limit: int | None) -> list[tuple[Any, ...]]:
        """The first `limit` rows (None: all) in the listings' order, as tuples."""
        if not self._count:
            return []
        c = self.columns()
        n = len(c) if limit is None else min(limit, len(c))
        if not n:
            return []
        names = [c.priorities[p] for p in c.priority[:n].tolist()]
        columns: list[list[Any]] = [c.opened[:n].tolist(), c.ids.slice(0, n).to_pylist(),
                                    c.objective[:n].tolist(), names, c.due[:n].tolist()]
        if c.at is not None:
            columns.append([None if v == NO_EVENT else v for v in c.at[:n].tolist()])
        columns.append(c.paused[:n].tolist())
        return list(zip(*columns, strict=True))

    def _sorted(self) -> ListingColumns:
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        priorities: dict[str, int] = {}
        pieces: list[tuple[Any, ...]] = []   # the chunks, then the rows: whole columns
        for opened, ids, k, p, due, at, paused in self._chunks:
            n = len(opened)
            pieces.append((opened, ids.cast(pa.string()), np.full(n, k, dtype=np.int64),
                           np.full(n, priorities.setdefault(p, len(priorities)),
                                   dtype=np.int64), due, at, paused))
        if self._rows:
            rows = self._rows

            def ints(values: list[int]) -> Ints:
                return np.asarray(values, dtype=np.int64)
            pieces.append((
                ints([r[0] for r in rows]), pa.array([r[1] for r in rows], pa.string()),
                ints([r[2] for r in rows]),
                ints([priorities.setdefault(r[3], len(priorities)) for r in rows]),
                ints([r[4] for r in rows]),
                ints([NO_EVENT if r[5] is None else r[5] for r in rows]) if self.events
                else None, ints([r[-1] for r in rows])))

        if not pieces:
            none = np.zeros(0, dtype=np.int64)
            return ListingColumns(none, pa.array([], pa.string()), none, none, [], none,
                                  none if self.events else None, none)

        def joined(i: int) -> Ints:
            return np.concatenate([np.asarray(piece[i], dtype=np.int64) for piece in pieces])

        opened, objective, priority, due, paused = (joined(i) for i in (0, 2, 3, 4, 6))
        ids = pa.concat_arrays([piece[1] for piece in pieces])
        at = joined(5) if self.events else None
        order = pc.sort_indices(
            pa.table({"opened": opened, "id": ids, "objective": objective}),
            sort_keys=[("opened", "ascending"), ("id", "ascending"),
                       ("objective", "ascending")]).to_numpy()
        return ListingColumns(opened[order], ids.take(order), objective[order],
                              priority[order], list(priorities), due[order],
                              None if at is None else at[order], paused[order])
