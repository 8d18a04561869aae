"""Memos of what a run makes over and over (a text escaped, a schedule read, a clause
written), bounded: a memo that reaches its size is emptied, so a large portfolio's user
text cannot grow it without end. A caller looks its key up itself (`memo.get(key)`, the
hot path) and calls `remember` only for what it has just made."""
from __future__ import annotations

from typing import TypeVar

__all__ = ["remember"]

K = TypeVar("K")
V = TypeVar("V")


def remember(memo: dict[K, V], key: K, value: V, most: int = 1 << 16) -> V:
    """`value`, kept in `memo` under `key` (`memo` emptied first when it holds `most`)."""
    if len(memo) >= most:
        memo.clear()
    memo[key] = value
    return value
