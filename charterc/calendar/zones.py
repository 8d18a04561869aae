"""Wall clock <-> UTC in integer seconds, for one IANA zone over a span of years.

Schedules are written in local wall-clock time; everything downstream works on
UTC epoch seconds. `zoneinfo` converts one datetime at a time and shifts a
nonexistent local time forward by the gap; the spec wants it skipped, so this
module finds the zone's offset changes once per (zone, year) and maps wall-clock
seconds itself:

- a wall time inside a spring-forward gap maps to the instant the clocks jump
  (so a range that starts or ends in the gap loses exactly the missing part);
- a repeated wall time (fall back) maps to its first occurrence, so each
  boundary names one instant and adjacent ranges tile without overlap.

"Wall seconds" are seconds since 1970-01-01 00:00 on the local wall clock.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["EPOCH_ORDINAL", "LocalTime", "local_midnight", "local_time", "wall_seconds", "zone",
           "zone_names", "zone_problem"]

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_PROBE = 86400  # offset changes are at least months apart; daily steps cannot miss one


def zone_problem(name: object) -> str | None:
    """Why `name` is not a usable IANA time zone, or None (for V505)."""
    if not isinstance(name, str) or not name.strip():
        return f"a time zone must be an IANA name such as Europe/Paris, not {name!r}"
    try:
        zone(name)
    except ValueError as exc:
        return str(exc)
    return None


# IANA zones are Area/Location names (`Europe/Paris`, `America/Argentina/Salta`,
# `Etc/GMT+2`), plus `UTC`. Without this, names that are files of the machine's zone
# folder but not zones would pass: `localtime` (the machine's own zone, so a charter
# would mean different hours on different machines), `posixrules`, `Factory`,
# `posix/Europe/Paris`, `right/...`.
_AREAS = ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia",
          "Europe", "Indian", "Pacific", "Etc")
_IANA_NAME = re.compile(rf"(?:(?:{'|'.join(_AREAS)})/[A-Za-z0-9_+-]+(?:/[A-Za-z0-9_+-]+)?|UTC)\Z")


@cache
def zone(name: str) -> ZoneInfo:
    """The `ZoneInfo` for an IANA name; ValueError (not a traceback) when unknown."""
    if not _IANA_NAME.match(name):
        raise ValueError(f"unknown time zone {name!r}: a time zone is an IANA Area/Location "
                         f"name such as Europe/Paris or America/New_York, or UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"unknown time zone {name!r} (expected an IANA name such as "
                         f"Europe/Paris or America/New_York)") from None


def zone_names() -> tuple[str, ...]:
    """Every zone `zone()` accepts that this machine knows, sorted (for "did you mean")."""
    from zoneinfo import available_timezones
    return tuple(sorted(n for n in available_timezones() if _IANA_NAME.match(n)))


def wall_seconds(day: date, minutes: int = 0) -> int:
    """Wall-clock seconds of `day` at `minutes` past local midnight."""
    return (day.toordinal() - EPOCH_ORDINAL) * 86400 + minutes * 60


def _offset(tz: ZoneInfo, ts: int) -> int:
    offset = datetime.fromtimestamp(ts, tz).utcoffset()
    assert offset is not None  # an aware datetime always has one
    return int(offset.total_seconds())


@lru_cache(maxsize=4096)
def _transitions(name: str, year: int) -> tuple[tuple[int, int, int], ...]:
    """Offset changes (utc instant, offset before, offset after) in (Jan 1, next Jan 1] UTC."""
    tz = zone(name)
    lo = int(datetime(year, 1, 1, tzinfo=UTC).timestamp())
    hi = int(datetime(year + 1, 1, 1, tzinfo=UTC).timestamp())
    probes = [*range(lo, hi, _PROBE), hi]
    # one comprehension over the year's probes (timedeltas compared as they come): the
    # per-probe conversion to seconds is left to the few probes that bracket a change
    fromtimestamp = datetime.fromtimestamp
    offsets = [fromtimestamp(t, tz).utcoffset() for t in probes]
    found = []
    for i in range(len(probes) - 1):
        if offsets[i] != offsets[i + 1]:
            off, nxt_off = _offset(tz, probes[i]), _offset(tz, probes[i + 1])
            a, b = probes[i], probes[i + 1]  # offset(a) == off, offset(b) != off: bisect
            while b - a > 1:
                mid = (a + b) // 2
                if _offset(tz, mid) == off:
                    a = mid
                else:
                    b = mid
            found.append((b, off, nxt_off))
    return tuple(found)


class LocalTime:
    """Conversions for one zone, exact for wall times in [first_year, last_year]."""

    __slots__ = ("after", "base", "hi", "instants", "lo", "name", "trans", "tz")

    def __init__(self, name: str, first_year: int, last_year: int) -> None:
        self.name = name
        self.tz = zone(name)
        start = int(datetime(first_year, 1, 1, tzinfo=UTC).timestamp())
        self.base = _offset(self.tz, start)
        self.trans = [t for y in range(first_year, last_year + 1) for t in _transitions(name, y)]
        self.instants = [t for t, _, _ in self.trans]
        self.after = [a for _, _, a in self.trans]
        # wall-clock span made ambiguous (fold) or missing (gap) by each change
        self.lo = [t + min(b, a) for t, b, a in self.trans]
        self.hi = [t + max(b, a) for t, b, a in self.trans]

    def to_utc(self, wall: int) -> int:
        """UTC seconds of a wall time: gap -> the jump instant, fold -> first occurrence."""
        i = bisect_right(self.lo, wall) - 1
        if i < 0:
            return wall - self.base
        t, before, after = self.trans[i]
        if wall < self.hi[i]:
            return t if after > before else wall - before
        return wall - after

    def offset(self, ts: int) -> int:
        i = bisect_right(self.instants, ts) - 1
        return self.base if i < 0 else self.after[i]

    def to_wall(self, ts: int) -> int:
        return ts + self.offset(ts)


@lru_cache(maxsize=1024)
def local_time(name: str, first_year: int, last_year: int) -> LocalTime:
    return LocalTime(name, first_year, last_year)


def local_midnight(name: str, day: date) -> int:
    """UTC seconds of `day`'s local midnight in zone `name` (a midnight skipped by daylight
    saving maps to the jump): where a report's period, month or projection year starts."""
    return local_time(name, day.year - 1, day.year + 1).to_utc(wall_seconds(day))
