"""Ticket status history: when each ticket's clocks were paused (spec section 9).

`--history FILE` holds one row per status change (`id`, `at`, `status`); a
ticket's status before its first row is open. An objective that states
`pause_on: [awaiting-customer, ...]` stops its clock while the ticket is in
one of those statuses (compared as `status_key` does: case-insensitive, spaces
and underscores read as hyphens).

The history is read before the tickets (a ticket's row does not say whether it
has history) and kept compactly: per ticket, one integer per row, the instant
shifted left by 8 bits with a small status code (the index of a status some
objective pauses on, or OTHER). Rows are sorted per ticket when first asked
for, stably, so two changes at the same second keep the file's order.
"""
from __future__ import annotations

from collections.abc import Iterable

from ..model.charter import status_key

__all__ = ["History", "Pause"]

Pause = tuple[int, int]  # [start, end) UTC seconds
_OTHER = 255
_FOREVER = 1 << 62


class History:
    """Status changes per ticket, reduced to the statuses some clock pauses on."""

    def __init__(self, statuses: Iterable[str]) -> None:
        names = sorted({status_key(s) for s in statuses})
        if len(names) >= _OTHER:
            raise ValueError(f"at most {_OTHER - 1} distinct pause statuses are supported")
        self.codes = {name: i for i, name in enumerate(names)}
        self._rows: dict[str, list[int]] = {}
        self._sorted: set[str] = set()
        self.rows = 0

    def codes_of(self, statuses: Iterable[str]) -> frozenset[int]:
        """The codes of these statuses (an objective's `pause_on`)."""
        return frozenset(self.codes[status_key(s)] for s in statuses)

    def add(self, ticket: str, at: int, status: str) -> None:
        code = self.codes.get(status_key(status), _OTHER)
        rows = self._rows.get(ticket)
        if rows is None:
            self._rows[ticket] = [at << 8 | code]
        else:
            rows.append(at << 8 | code)
        self.rows += 1

    def pauses(self, ticket: str, codes: frozenset[int], lo: int, hi: int) -> list[Pause]:
        """The intervals in [lo, hi) during which the ticket was in one of `codes`'
        statuses, in order. A pause with no later change lasts until `hi`."""
        if not codes:
            return []
        rows = self._rows.get(ticket)
        if not rows:
            return []
        if ticket not in self._sorted:
            rows.sort(key=lambda v: v >> 8)
            self._sorted.add(ticket)
        out: list[Pause] = []
        since: int | None = None
        for value in rows:
            at, paused = value >> 8, (value & 0xFF) in codes
            if paused and since is None:
                since = at
            elif not paused and since is not None:
                _clip(out, since, at, lo, hi)
                since = None
        if since is not None:
            _clip(out, since, _FOREVER, lo, hi)
        return out


def _clip(out: list[Pause], start: int, end: int, lo: int, hi: int) -> None:
    start, end = max(start, lo), min(end, hi)
    if start < end:
        out.append((start, end))
