"""How ITSM tools write their exports: column names, priority labels, date formats.

`--profile servicenow|jira` (spec section 9) reads an incident export as the tool
writes it, without a `--columns` mapping or a conversion script:

- columns: each canonical column (`id`, `client`, ...) has the header names the
  tool uses, tried in order; the first present wins. `--columns` still overrides.
- priorities: the tool's labels, in its own order, map onto the charter's
  `priorities` in order (`1 - Critical` and `Highest` are the first priority).
  A label beyond the charter's list is U105, as an unknown priority.
- instants: the tool's date formats, without a UTC offset; they are read in
  `--input-timezone ZONE`, required with a profile.

Also here: `Instants`, which reads an instant of any file the report reads
(tickets, outages, status history), ISO 8601 with an offset, or local wall-clock
time in the input zone, refusing a local time that the zone skips or repeats.
Formats and examples: docs/report-inputs.md.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from ..errors import CharterError

__all__ = ["PROFILES", "BadInstant", "Instants", "Profile", "profile"]


class BadInstant(CharterError, ValueError):
    """An instant that cannot be read: the message and a hint (U101)."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass(frozen=True)
class Profile:
    """One tool's export: header names per canonical column, priority labels, date formats."""

    name: str
    columns: dict[str, tuple[str, ...]]
    priorities: tuple[str, ...]   # the tool's labels, highest first
    formats: tuple[str, ...]      # strptime formats of its instants (no offset)
    numbered: bool = False        # labels are `N - Name`: N is the position
    example: str = ""             # a real header line, for the docs and the tests
    optional: frozenset[str] = field(default_factory=frozenset)  # columns it may lack
    # the names a tickets file uses where they differ from the other files' (the
    # incident's state in a tickets export, the new state in a status history)
    ticket_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def for_tickets(self) -> Profile:
        """The profile as a tickets file is read (`ticket_columns` override `columns`)."""
        if not self.ticket_columns:
            return self
        return replace(self, columns={**self.columns, **self.ticket_columns}, ticket_columns={})

    def header(self, name: str, present: Sequence[str]) -> str | None:
        """The header this export uses for canonical column `name` (None: absent)."""
        lowered = {h.strip().lower() for h in present}
        for candidate in self.columns.get(name, ()):
            if candidate.lower() in lowered:
                return candidate
        return None

    def priority(self, label: str, priorities: Sequence[str]) -> str | None:
        """The charter priority a label means, or None (U105)."""
        if label in priorities:
            return label
        position: int | None = None
        if self.numbered:
            match = re.match(r"\s*(\d+)\b", label)
            if match:
                position = int(match.group(1)) - 1
        else:
            folded = label.strip().lower()
            for i, known in enumerate(self.priorities):
                if known.lower() == folded:
                    position = i
        if position is None or not 0 <= position < len(priorities):
            return None
        return priorities[position]


SERVICENOW = Profile(
    name="servicenow",
    columns={
        "id": ("number",),
        "client": ("company", "u_client", "caller_id.company"),
        "priority": ("priority",),
        "opened": ("opened_at",),
        "first_response": ("u_first_response", "first_response", "u_responded_at"),
        "resolved": ("resolved_at",),
        "feature": ("service_offering", "business_service", "category"),
        "channel": ("contact_type",),
        # status history (metric_instance / sys_audit exports of the incident state)
        "at": ("sys_created_on", "start", "update_time"),
        "status": ("value", "state", "new_value"),
        "start": ("begin", "u_start", "start"),
        "end": ("end", "u_end"),
        "scope": ("u_scope", "cmdb_ci"),
        "planned": ("u_planned", "planned"),
    },
    priorities=("1 - Critical", "2 - High", "3 - Moderate", "4 - Low", "5 - Planning"),
    formats=("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M:%S", "%m-%d-%Y %H:%M:%S"),
    numbered=True,
    example="number,short_description,company,priority,state,contact_type,"
            "service_offering,opened_at,u_first_response,resolved_at",
    optional=frozenset({"first_response"}),
    ticket_columns={"status": ("state", "incident_state")},
)

JIRA = Profile(
    name="jira",
    columns={
        "id": ("Issue key",),
        "client": ("Custom field (Organizations)", "Organizations", "Organization",
                   "Custom field (Customer)"),
        "priority": ("Priority",),
        "opened": ("Created",),
        "first_response": ("Custom field (First response date)", "First response date",
                           "Custom field (First response)"),
        "resolved": ("Resolved",),
        "feature": ("Custom field (Request Type)", "Request Type", "Component/s"),
        "channel": ("Custom field (Source)", "Custom field (Request channel)", "Channel"),
        "at": ("Date", "Changed", "Created"),
        "status": ("To Status", "Status", "New value"),
        "start": ("Start", "Outage start"),
        "end": ("End", "Outage end"),
        "scope": ("Scope", "Component/s"),
        "planned": ("Planned",),
    },
    priorities=("Highest", "High", "Medium", "Low", "Lowest"),
    formats=("%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%d/%b/%y %H:%M", "%d/%b/%Y %H:%M",
             "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"),
    example="Summary,Issue key,Issue id,Issue Type,Status,Priority,"
            "Custom field (Organizations),Custom field (Request Type),"
            "Custom field (Source),Created,Custom field (First response date),Resolved",
    optional=frozenset({"first_response"}),
    ticket_columns={"status": ("Status",)},
)

PROFILES = {p.name: p for p in (SERVICENOW, JIRA)}


def profile(name: str | None) -> Profile | None:
    """The profile called `name` (None for charterc's own CSV); KeyError if unknown."""
    return None if name is None else PROFILES[name]


_MONTHS = {m.lower(): i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


class Instants:
    """Reads instants: ISO 8601 with an offset, or local time in `zone` (the input zone).

    Without a zone a time without an offset is refused: `2026-10-05T09:00` is
    ambiguous. With one, it is that zone's wall-clock time, except where the zone
    skips it (spring forward) or repeats it (fall back): those are refused too.
    """

    def __init__(self, zone: str | None = None, formats: Sequence[str] = ()) -> None:
        self.zone_name = zone
        self.zone = ZoneInfo(zone) if zone else None
        self.formats = tuple(formats)

    def __call__(self, text: str) -> int:
        """UTC epoch seconds (fractions of a second dropped); BadInstant if unreadable."""
        moment = self._parse(text)
        if moment.tzinfo is not None and moment.utcoffset() is not None:
            return int(moment.timestamp() // 1)
        if self.zone is None:
            raise BadInstant(f"{text!r} has no UTC offset",
                             "an instant needs its offset, e.g. 2026-10-05T09:00:00+02:00 "
                             "(or give the zone the export is written in: --input-timezone "
                             "Europe/Paris)")
        return self._local(moment, text)

    def _parse(self, text: str) -> datetime:
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass
        for fmt in self.formats:
            try:
                return datetime.strptime(_english_month(text) if "%b" in fmt else text, fmt)
            except ValueError:
                continue
        if not self.formats:
            raise BadInstant(f"{text!r} is not an ISO 8601 instant",
                             "write e.g. 2026-10-05T09:00:00+02:00 or 2026-10-05T07:00:00Z")
        examples = ", ".join(_example(f) for f in self.formats[:2])
        raise BadInstant(f"{text!r} is not an instant",
                         f"write e.g. {examples}, or ISO 8601 as 2026-10-05T09:00:00+02:00")

    def _local(self, naive: datetime, text: str) -> int:
        assert self.zone is not None
        early = naive.replace(tzinfo=self.zone, fold=0)
        late = naive.replace(tzinfo=self.zone, fold=1)
        back = early.astimezone(UTC).astimezone(self.zone).replace(tzinfo=None)
        if back != naive:
            raise BadInstant(f"{text!r} does not exist in {self.zone_name} (the clocks "
                             "skip it when daylight saving time starts)",
                             "the export is not in this zone, or the time is mistyped; "
                             "export in UTC where the tool allows it")
        if early.utcoffset() != late.utcoffset():
            raise BadInstant(f"{text!r} occurs twice in {self.zone_name} (the clocks go "
                             "back when daylight saving time ends): which one is meant "
                             "cannot be told", "export in UTC, or with the UTC offset, "
                             "where the tool allows it")
        return int(early.timestamp() // 1)


def _english_month(text: str) -> str:
    """strptime's %b depends on the locale; Jira writes English month names."""
    def month(match: re.Match[str]) -> str:
        number = _MONTHS.get(match.group(0).lower())
        return f"{datetime(2000, number, 1):%b}" if number else match.group(0)
    return re.sub(r"[A-Za-z]{3}", month, text, count=1)


def _example(fmt: str) -> str:
    return datetime(2026, 10, 5, 9, 0).strftime(fmt)
