"""The value syntaxes of schedules: days (`mon-fri`), times (`"08:00"`), and back.

Pure functions raising `ValueError` with a message fit for a diagnostic; the
caller adds the position. Days are numbered like `date.weekday()`: 0 = Monday.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["DAY_NAMES", "format_days", "format_time", "parse_days", "parse_time"]

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY = {name: i for i, name in enumerate(DAY_NAMES)}
_TIME = re.compile(r"(\d{1,2}):(\d{2})\Z")
_HINT = ("use mon, tue, wed, thu, fri, sat, sun, ranges like mon-fri, lists like mon,wed,fri, "
         "or daily")


def _day(token: str, text: str) -> int:
    try:
        return _DAY[token]
    except KeyError:
        raise ValueError(f"unknown day {token!r} in {text!r}: {_HINT}") from None


def parse_days(text: object) -> frozenset[int]:
    """`"mon-fri"` -> {0..4}; `"sat"`; `"mon,wed,fri"`; `"daily"`; `"fri-mon"` wraps round.

    Items are separated by commas and may be single days or ranges. A range runs
    forward through the week, so `fri-mon` is Friday to Monday (the week is a
    cycle, and a weekend rota is naturally written that way); `mon-mon` is Monday.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"days must be a string such as mon-fri, not {text!r}")
    spec = text.strip().lower()
    if spec == "daily":
        return frozenset(range(7))
    days: set[int] = set()
    for item in spec.split(","):
        item = item.strip()
        if not item:
            raise ValueError(f"empty item in days {text!r}: {_HINT}")
        first, sep, last = item.partition("-")
        a = _day(first.strip(), text)
        b = _day(last.strip(), text) if sep else a
        days.update((a + k) % 7 for k in range((b - a) % 7 + 1))
    return frozenset(days)


def parse_time(text: object) -> int:
    """`"08:00"` -> 480 minutes since midnight; `"24:00"` -> 1440 (end of day)."""
    if not isinstance(text, str):
        raise ValueError(f"a time must be a quoted string \"HH:MM\", not {text!r}")
    match = _TIME.match(text.strip())
    if not match:
        raise ValueError(f"not a time {text!r}: expected \"HH:MM\" such as \"08:00\"")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise ValueError(f"not a time of day {text!r}: from 00:00 to 23:59, "
                         f"or 24:00 for the end of day")
    return hours * 60 + minutes


def format_time(minutes: int) -> str:
    """480 -> `"08:00"`; 1440 -> `"24:00"`."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_days(days: Iterable[int]) -> str:
    """{0..4} -> `"mon-fri"`; all seven -> `"daily"`; runs joined by commas (`mon-wed,fri`).

    A run that wraps round the week is written as one range (`fri-mon`), so
    `parse_days(format_days(d)) == d` for every set.
    """
    present = frozenset(days)
    if len(present) == 7:
        return "daily"
    if not present:
        return ""
    # start runs after a gap so a run crossing Sunday -> Monday stays whole
    first = next(d for d in range(7) if d in present and (d - 1) % 7 not in present)
    parts: list[list[int]] = []
    run: list[int] = []
    for k in range(7):
        d = (first + k) % 7
        if d in present:
            run.append(d)
        elif run:
            parts.append(run)
            run = []
    if run:
        parts.append(run)
    parts.sort(key=lambda r: r[0])
    return ",".join(DAY_NAMES[r[0]] if len(r) == 1 else
                    f"{DAY_NAMES[r[0]]}-{DAY_NAMES[r[-1]]}" for r in parts)
