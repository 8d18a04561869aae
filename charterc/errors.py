"""`CharterError`: the base of every error charterc raises on purpose.

Each failure charterc means to raise is a subclass, named for what went wrong (`UsageError`,
`BuildProblem`, `TemplateProblem`, `ScheduleError`, ...), that keeps its own meaning (a
`ValueError` subclass is a `ValueError` too): a library user catches `CharterError` to tell
them from a bug. A bad charter is never an exception: its problems are diagnostics.
"""
from __future__ import annotations

__all__ = ["CharterError"]


class CharterError(Exception):
    """The base of every error charterc raises on purpose."""
