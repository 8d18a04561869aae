"""Support hours resolved once: the value as written, its zone and holiday calendar, its Schedule.

Tier hours, maintenance windows and client needs each inherit a zone and a
holiday calendar when they do not state one (docs/model.md); `build_model`
resolves them here, once, so that the checks, the renderers, `sla.json`,
`diff` and `report` cannot disagree about them:

- tier hours: their own `timezone` and `holidays`, else the provider's (holidays
  default to `none` when the provider names none);
- maintenance windows: their own `timezone`, else the tier hours' zone, else
  the provider's; never closed by holidays;
- client needs: their own `timezone`, else the client's `timezone`, else the
  provider's; their own `holidays`, else the provider's.

A 24x7 value has no zone of its own: it is read in the zone it inherits, which
must then be usable. The `Schedule` is read lazily (a charter whose hours no
rule asks for never looks a zone or a calendar up) and memoised per process on
the value: a portfolio of a thousand charters repeats the same few hours. A
value that cannot be read (an unknown zone or calendar: V505's; a range the
calendar refuses) has no schedule (None), and the rules skip it.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from functools import cached_property
from typing import Any

from ..bounded import remember
from ..calendar import TWENTY_FOUR_SEVEN, Schedule, gaps, zone_problem
from ..records import record

__all__ = ["Hours", "open_throughout"]


@record(eq=True)
class Hours:
    """One `hours` value with the defaults it inherits.

    `written` is the value as the charter holds it (`"24x7"` or a mapping with
    `schedule` and optionally `timezone`, `holidays`); `zone` and `holidays` are
    the ones it is read with, written or inherited.
    """

    written: Any
    zone: str
    holidays: Any
    pointer: str

    @property
    def is_24x7(self) -> bool:
        return bool(self.written == "24x7")

    @property
    def stated_zone(self) -> str | None:
        """The `timezone` written with the value (None: inherited)."""
        zone: str | None = _get(self.written, "timezone")
        return zone

    @property
    def stated_holidays(self) -> Any:
        """The `holidays` written with the value (None: inherited)."""
        return _get(self.written, "holidays")

    @property
    def entries(self) -> tuple[Mapping[str, Any], ...]:
        """The schedule entries as written (none for 24x7)."""
        return tuple(_get(self.written, "schedule") or ())

    @cached_property
    def schedule(self) -> Schedule | None:
        """The typed schedule; None when unreadable (V505). 24x7 needs a usable zone too."""
        schedule = _read(self.written, self.zone, self.holidays)
        if schedule is not None and schedule.is_24x7 and zone_problem(self.zone):
            return None
        return schedule

    @property
    def clock(self) -> Schedule | None:
        """The hours a business clock counts on: every minute for 24x7, whatever the zone
        (comparing targets needs no zone); else the schedule."""
        return TWENTY_FOUR_SEVEN if self.is_24x7 else self.schedule

    def entry(self, index: int) -> Hours:
        """The `index`-th schedule entry alone, with the same zone and holidays."""
        written = {"schedule": [self.entries[index]], "timezone": self.zone}
        return replace(self, written=written, pointer=f"{self.pointer}/schedule/{index}")


def open_throughout(hours: Hours, term: tuple[date, date]) -> bool:
    """Open every instant of the term: 24x7, or e.g. `daily 00:00-24:00` with no holidays."""
    schedule = hours.schedule
    if schedule is None:
        return False
    return schedule.is_24x7 or gaps(TWENTY_FOUR_SEVEN, schedule, *term, hours.zone) is None


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, Mapping) else None


def _freeze(value: Any) -> Any:
    """A hashable stand-in for a YAML value (mappings and lists, recursively)."""
    kind = type(value)  # documents hold plain dicts and lists: no ABC checks on the hot path
    if kind is dict:
        return ("{", *sorted((k, _freeze(v)) for k, v in value.items()))
    if kind is list or kind is tuple:
        return ("[", *map(_freeze, value))
    if isinstance(value, Mapping):
        return _freeze(dict(value))
    return value


_READ: dict[Any, Schedule | None] = {}


def _read(value: Any, zone: str, holidays: Any) -> Schedule | None:
    """`Schedule.from_value`, memoised on the value: a portfolio repeats the same hours."""
    key = (_freeze(value), zone, _freeze(holidays))
    if key in _READ:
        return _READ[key]
    try:
        schedule: Schedule | None = Schedule.from_value(value, zone, holidays)
    except (ValueError, TypeError):
        schedule = None  # V505 (zone, calendar) or a malformed range: reported elsewhere
    return remember(_READ, key, schedule, 4096)
