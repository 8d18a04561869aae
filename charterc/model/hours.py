"""A charter's support hours as `calendar.Schedule`s, read with the documented defaults.

The coverage rules (V501-V505), the service-level rules (T602-T604) and reports
read tier hours, maintenance windows and client needs; this module is the one
place that knows which zone and holidays each inherits (docs/schema.md), so
they cannot drift apart. Reading a value is memoised per process: a portfolio
of a thousand charters repeats the same few hours.

A value that cannot be read (an unknown zone or calendar: V505's; a range the
calendar refuses) reads as None, and the rules skip it.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..calendar import TWENTY_FOUR_SEVEN, Schedule, gaps, zone_problem
from .charter import Charter, Client, Tier

__all__ = ["Hours"]


class Hours:
    """The schedules of one charter, read with the documented defaults; None if unreadable.

    Defaults (docs/schema.md): tier hours take the provider's zone and holidays;
    maintenance windows the tier hours' zone, else the provider's, and no
    holidays; client needs the client's `timezone`, else the provider's, and the
    provider's holidays. A 24x7 value has no zone: it is read in the zone its
    owner would default to, which must then be usable.
    """

    def __init__(self, charter: Charter):
        self.charter = charter
        self.start, self.end = charter.term
        self._tiers: dict[int, Schedule | None] = {}
        self._maintenance: dict[int, Schedule | None] = {}
        self._needs: dict[str, Schedule | None] = {}

    @staticmethod
    def read(value: Any, zone: str, holidays: Any) -> Schedule | None:
        """The Schedule of `value` with these defaults; None when absent or unreadable.

        A 24x7 value is read in `zone`, so that zone must exist too.
        """
        if value is None:
            return None
        schedule = _read(value, zone, holidays)
        if schedule is not None and schedule.is_24x7 and zone_problem(zone):
            return None
        return schedule

    def tier_zone(self, tier: Tier) -> str:
        hours = tier.hours
        if isinstance(hours, Mapping) and isinstance(hours.get("timezone"), str):
            return hours["timezone"]
        return self.charter.timezone

    def maintenance_zone(self, tier: Tier) -> str:
        """The zone of a tier's maintenance windows (a mapping): theirs, else the tier hours'."""
        return tier.maintenance.get("timezone", self.tier_zone(tier))

    def client_zone(self, client: Client) -> str:
        return client.timezone

    def tier(self, tier: Tier) -> Schedule | None:
        if tier.index not in self._tiers:
            self._tiers[tier.index] = self.read(tier.hours, self.charter.timezone,
                                                 self.charter.holidays)
        return self._tiers[tier.index]

    def maintenance(self, tier: Tier) -> Schedule | None:
        if tier.index not in self._maintenance:
            windows = tier.maintenance
            value = None
            if isinstance(windows, Mapping):
                value = {"schedule": windows.get("schedule"), "timezone": self.maintenance_zone(tier)}
            self._maintenance[tier.index] = self.read(value, self.charter.timezone, "none")
        return self._maintenance[tier.index]

    def needs(self, client: Client) -> Schedule | None:
        if client.pointer not in self._needs:
            self._needs[client.pointer] = self.read(client.needs_hours, self.client_zone(client),
                                                    self.charter.holidays)
        return self._needs[client.pointer]

    def view_zone(self, client: Client, needed: Schedule) -> str | None:
        """The zone a 24x7 need is read in (None: the need's own zone)."""
        return self.client_zone(client) if needed.is_24x7 else None

    def covers_all(self, schedule: Schedule, zone: str) -> bool:
        """Open every instant of the term: 24x7, or e.g. `daily 00:00-24:00` with no holidays."""
        return schedule.is_24x7 or gaps(TWENTY_FOUR_SEVEN, schedule, self.start, self.end,
                                        zone) is None


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


_READ: dict = {}


def _read(value: Any, zone: str, holidays: Any) -> Schedule | None:
    """`Schedule.from_value`, memoised on the value: a portfolio repeats the same hours."""
    key = (_freeze(value), zone, _freeze(holidays))
    if key not in _READ:
        if len(_READ) > 4096:
            _READ.clear()
        try:
            _READ[key] = Schedule.from_value(value, zone, holidays)
        except (ValueError, TypeError):
            _READ[key] = None  # V505 (zone, calendar) or a malformed range: reported elsewhere
    return _READ[key]
