"""Support hours for people: a schedule as written, and the same hours in the reader's zone.

A client in London reads Paris hours more easily as London hours. The shift
between two zones is found from their UTC offsets through the first year of the
term; when the zones change clocks on different dates the shift is the one that
holds most of the year, and the text says so. The hours as written (with their
zone) are always shown as well: they are the contract.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

try:  # the calendar package parses the value syntaxes; keep working without it
    from ..calendar.syntax import parse_days, parse_time
except ImportError:  # pragma: no cover
    parse_days = parse_time = None

__all__ = ["Rule", "HoursView", "hours_view", "shifted"]

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Rule:
    days: frozenset[int]   # 0 = Monday
    start: int             # minutes since midnight
    end: int               # minutes since midnight; end <= start runs past midnight


@dataclass(frozen=True)
class HoursView:
    always: bool                     # 24x7
    rules: tuple[Rule, ...]
    zone: str
    holidays: object                 # a code, "none" or {country, extra, remove}
    approximate: bool = False        # the zones change clocks on different dates


def _days(text: str) -> frozenset[int]:
    if parse_days is not None:
        return parse_days(text)
    spec = text.strip().lower()
    if spec == "daily":
        return frozenset(range(7))
    out: set[int] = set()
    for item in spec.split(","):
        a, _, b = item.strip().partition("-")
        i, j = _DAYS.index(a), _DAYS.index(b or a)
        out.update((i + k) % 7 for k in range((j - i) % 7 + 1))
    return frozenset(out)


def _time(text: str) -> int:
    if parse_time is not None:
        return parse_time(text)
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def hours_view(value, *, zone: str, holidays="none") -> HoursView:
    """`"24x7"` or `{schedule, timezone, holidays}` -> HoursView, with the given defaults."""
    if value == "24x7" or value is None:
        return HoursView(True, (), zone, "none")
    rules = tuple(Rule(_days(r["days"]), _time(r["from"]), _time(r["to"]))
                  for r in value.get("schedule", ()))
    return HoursView(False, rules, value.get("timezone", zone), value.get("holidays", holidays))


@lru_cache(maxsize=1024)
def _shifts(source: str, target: str, year: int) -> tuple[int, bool]:
    """Minutes to add to `source` wall time to get `target` wall time, and whether it varies."""
    src, dst = ZoneInfo(source), ZoneInfo(target)
    seen = Counter()
    for month in range(1, 13):
        for day in (1, 8, 15, 22):
            instant = datetime(year, month, day, 12, tzinfo=timezone.utc)
            delta = instant.astimezone(dst).utcoffset() - instant.astimezone(src).utcoffset()
            seen[int(delta.total_seconds()) // 60] += 1
    shift, _ = max(seen.items(), key=lambda kv: (kv[1], -abs(kv[0])))
    return shift, len(seen) > 1


def shifted(view: HoursView, target: str, year: int) -> HoursView:
    """The same hours in zone `target` (unchanged when 24x7 or already there)."""
    if view.always or view.zone == target:
        return view
    try:
        shift, varies = _shifts(view.zone, target, year)
    except (KeyError, ValueError, OSError):  # unknown zone: V505 reports it; show as written
        return view
    rules = []
    for rule in view.rules:
        start = rule.start + shift
        day_shift, start = divmod(start, 1440)
        length = (rule.end - rule.start) % 1440 or 1440
        end = (start + length) % 1440
        days = frozenset((d + day_shift) % 7 for d in rule.days)
        rules.append(Rule(days, start, end))
    return HoursView(False, tuple(rules), target, view.holidays, approximate=varies)
