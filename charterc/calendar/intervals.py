"""Sets of instants as sorted, merged, half-open (start, end) pairs of UTC seconds.

Every operation is one linear sweep over its inputs: a three-year term of a
weekday schedule is ~800 pairs, so coverage is a few hundred steps, never a
set of minutes.
"""
from __future__ import annotations

from collections.abc import Iterable

__all__ = ["Intervals", "bucket_totals", "clip", "intersect", "merge", "subtract", "total", "union"]

Intervals = tuple[tuple[int, int], ...]
"""Sorted, disjoint, non-touching, non-empty half-open [start, end) pairs."""


def merge(pairs: Iterable[tuple[int, int]]) -> Intervals:
    """Normalise any pairs: drop empty ones, sort, and join overlapping or touching ones."""
    out: list[tuple[int, int]] = []
    start = end = None  # the interval being extended
    for s, e in sorted(pairs):
        if s >= e:
            continue
        if end is not None and s <= end:
            if e > end:
                end = e
            continue
        if start is not None and end is not None:
            out.append((start, end))
        start, end = s, e
    if start is not None and end is not None:
        out.append((start, end))
    return tuple(out)


def union(a: Intervals, b: Intervals) -> Intervals:
    return merge(a + b)


def intersect(a: Intervals, b: Intervals) -> Intervals:
    out = []
    i = j = 0
    na, nb = len(a), len(b)
    while i < na and j < nb:  # hot: a term's hours against its maintenance windows
        a_start, a_end = a[i]
        b_start, b_end = b[j]
        s = a_start if a_start > b_start else b_start
        e = a_end if a_end < b_end else b_end
        if s < e:
            out.append((s, e))
        if a_end < b_end:
            i += 1
        else:
            j += 1
    return tuple(out)


def subtract(a: Intervals, b: Intervals) -> Intervals:
    """The instants of `a` not in `b`."""
    out = []
    j, nb = 0, len(b)
    for s, e in a:
        while j < nb and b[j][1] <= s:
            j += 1
        k = j
        while k < nb and b[k][0] < e:
            bs, be = b[k]
            if bs > s:
                out.append((s, bs))
            if be >= e:
                s = e
                break
            s = be
            k += 1
        if s < e:
            out.append((s, e))
    return tuple(out)


def total(a: Intervals) -> int:
    """Seconds in the set."""
    return sum(e - s for s, e in a)


def clip(a: Intervals, lo: int, hi: int) -> Intervals:
    """The part of `a` in [lo, hi).

    `a` is sorted and disjoint, so only its ends are looked at: the intervals wholly
    outside are dropped from each end, and only the first and the last can be cut.
    """
    i, j = 0, len(a)
    while i < j and a[i][1] <= lo:
        i += 1
    while j > i and a[j - 1][0] >= hi:
        j -= 1
    if i == j:
        return ()
    (s, e), (s_last, e_last) = a[i], a[j - 1]
    if s >= lo and e_last <= hi:
        return a[i:j]
    if i + 1 == j:
        return ((max(s, lo), min(e, hi)),)
    return ((max(s, lo), e), *a[i + 1:j - 1], (s_last, min(e_last, hi)))


def bucket_totals(a: Intervals, bounds: list[int]) -> list[int]:
    """Seconds of `a` in each bucket [bounds[i], bounds[i+1]); bounds sorted."""
    n = len(bounds) - 1
    totals = [0] * max(n, 0)
    if n <= 0:
        return totals
    first, last, k = bounds[0], bounds[-1], 0
    for s, e in a:
        if e <= first or s >= last:
            continue
        if s < first:
            s = first
        if e > last:
            e = last
        while bounds[k + 1] <= s:
            k += 1
        while e > bounds[k + 1]:  # an interval across bucket edges
            totals[k] += bounds[k + 1] - s
            s = bounds[k + 1]
            k += 1
        totals[k] += e - s
    return totals
