"""Ticket status history: when each ticket's clocks were paused (spec section 9).

`--history FILE` holds one row per status change (`id`, `at`, `status`); a
ticket's status before its first row is open. An objective that states
`pause_on: [awaiting-customer, ...]` stops its clock while the ticket is in
one of those statuses (compared as `status_key` does: case-insensitive, spaces
and underscores read as hyphens).

The history is read before the tickets (a ticket's row does not say whether it
has history) and kept as integer columns (`columnar.ColumnarHistory`): each status a
small code, the index of a status some objective pauses on (`History.codes`), or
OTHER.
"""
from __future__ import annotations

from collections.abc import Iterable

from ..model.charter import status_key

__all__ = ["OTHER", "History", "Pause"]

Pause = tuple[int, int]  # [start, end) UTC seconds
OTHER = 255   # the code of every status no clock pauses on


class History:
    """The statuses some clock pauses on, numbered (their codes in the history)."""

    def __init__(self, statuses: Iterable[str]) -> None:
        names = sorted({status_key(s) for s in statuses})
        if len(names) >= OTHER:
            raise ValueError(f"at most {OTHER - 1} distinct pause statuses are supported")
        self.codes = {name: i for i, name in enumerate(names)}

    def codes_of(self, statuses: Iterable[str]) -> frozenset[int]:
        """The codes of these statuses (an objective's `pause_on`)."""
        return frozenset(self.codes[status_key(s)] for s in statuses)
