"""The report document as types: what `document.py` builds, `engine.py` writes as JSON and
`render.py` shows.

Each part is a TypedDict because the document is written as is (`json.dumps`): the
JSON keys are these keys, in the order `document.py` puts them (docs/report.md). A
key marked `NotRequired` is left out of the JSON when it does not apply, as the page
says ("only when ...").
"""
from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

__all__ = [
    "GROUP_KEYS",
    "OBJECTIVE_KEYS",
    "AvailabilityEntry",
    "BreachEntry",
    "CharterHeader",
    "CharterRevision",
    "ClientEntry",
    "Counts",
    "GroupKey",
    "ItsmAgreementEntry",
    "ItsmDisagreement",
    "ListingEntry",
    "ObjectiveEntry",
    "ObjectiveKey",
    "OutsideTier",
    "Pauses",
    "PendingEntry",
    "PeriodHeader",
    "PriorityEntry",
    "ProviderDocument",
    "ProviderEntry",
    "Quantiles",
    "ReportDocument",
    "ReportHead",
    "ShareEntry",
    "SkippedEntry",
    "SkippedRow",
    "TicketCounts",
    "TrendMonth",
    "TurnaroundEntry",
    "UsageEntry",
    "VolumeEntry",
    "WeekTickets",
]

ObjectiveKey = Literal["response", "resolution"]
GroupKey = Literal["weekday", "weekend", "in_hours", "out_of_hours"]
OBJECTIVE_KEYS: tuple[ObjectiveKey, ...] = ("response", "resolution")
GROUP_KEYS: tuple[GroupKey, ...] = ("weekday", "weekend", "in_hours", "out_of_hours")


# -- the header ------------------------------------------------------------------------------

class CharterRevision(TypedDict):
    """The committed charter measured against (`--charter-rev`)."""

    commit: str
    date: str     # the commit's author date, ISO 8601
    path: str     # the file's path in the repository


class CharterHeader(TypedDict):
    id: str
    title: str
    version: str
    currency: str
    timezone: str
    sha256: str                            # of the canonical document
    revision: NotRequired[CharterRevision]   # with --charter-rev only


# "from" is a keyword: the functional form
PeriodHeader = TypedDict("PeriodHeader", {
    "label": str,       # "2026-10", or "2026-10-05--2026-11-04"
    "from": str,        # ISO dates, both inclusive
    "to": str,
    "timezone": str,
})


class Pauses(TypedDict):
    """The statuses that pause clocks, whether a status history measured them, and its file."""

    statuses: list[str]
    measured: bool
    history: str | None


class SkippedRow(TypedDict):
    file: str
    line: int
    rule: str
    reason: str


class SkippedEntry(TypedDict):
    count: int
    rows: NotRequired[list[SkippedRow]]   # the provider's document only


# -- one client's figures ----------------------------------------------------------------------

class Counts(TypedDict):
    met: int
    total: int      # met + breached
    pending: int


class TicketCounts(Counts):
    by_priority: dict[str, Counts]


class PriorityEntry(Counts):
    attainment: float | None
    target_minutes: int | None    # days x 1440 + minutes, read on `clock`
    clock: str | None


class ObjectiveEntry(Counts):
    """`response` or `resolution`: the counters, the attainment and its target."""

    attainment: float | None
    target: float | None
    by_priority: dict[str, PriorityEntry]


class AvailabilityEntry(TypedDict):
    percent: float | None
    target: float | None
    credit_percent: float | None
    downtime_minutes: float | None
    window_minutes: float | None
    excluded_minutes: float | None


class ShareEntry(TypedDict):
    actual: float | None
    stated: float | None
    forecast: float | None


class VolumeEntry(TypedDict):
    tickets: int
    forecast_units: float | None


class Quantiles(TypedDict):
    """Turnaround of one group, in calendar minutes."""

    median: float | None
    p90: float | None
    count: int


class TurnaroundEntry(TypedDict):
    weekday: Quantiles
    weekend: Quantiles
    in_hours: Quantiles
    out_of_hours: Quantiles


class PendingEntry(TypedDict):
    """A ticket pending on an objective at the period's end."""

    id: str
    priority: str
    objective: ObjectiveKey
    opened: str | None
    due: str | None
    paused_minutes: NotRequired[float | None]   # with --history only


class BreachEntry(TypedDict):
    """A ticket that breached an objective; `at` is the event (None: not happened by the end)."""

    id: str
    priority: str
    objective: ObjectiveKey
    opened: str | None
    due: str | None
    at: str | None
    paused_minutes: NotRequired[float | None]   # with --history only


class TrendMonth(TypedDict):
    period: str
    tickets: int
    response_attainment: float | None
    resolution_attainment: float | None


class WeekTickets(TypedDict):
    """Tickets opened in one ISO week."""

    week: str       # "2026-W40"
    tickets: int


class OutsideTier(TypedDict):
    """A ticket on a feature outside the client's tier (U108)."""

    id: str
    feature: str
    opened: str | None


class UsageEntry(TypedDict, total=False):
    """Each key only when the tickets file has its column (feature, channel)."""

    features: dict[str, int]
    channels: dict[str, int]
    outside_tier: list[OutsideTier]


class ItsmDisagreement(TypedDict):
    """A ticket and objective the ITSM judged otherwise (`--itsm-sla`): both verdicts
    (`met` | `breached`), both due times, and the likely reason (`pause`, `timezone`,
    `holiday`, `weekend`, `target`, `event`; None when charterc cannot tell)."""

    id: str
    objective: ObjectiveKey
    charterc: str
    itsm: str
    charterc_due: str | None
    itsm_due: str | None
    reason: str | None


class ItsmAgreementEntry(TypedDict):
    """charterc's verdicts against the ITSM's own SLA records (`--itsm-sla`)."""

    compared: int
    agree: int
    disagreements: list[ItsmDisagreement]


class ClientEntry(TypedDict):
    """The value under `clients.<id>`."""

    name: str
    tier: str
    tickets: TicketCounts
    response: ObjectiveEntry
    resolution: ObjectiveEntry
    availability: AvailabilityEntry | None
    share: ShareEntry
    volume: VolumeEntry
    charge: float
    credit: float
    turnaround: TurnaroundEntry
    breaches: list[BreachEntry]
    pending: list[PendingEntry]
    trend: list[TrendMonth]
    weekly: list[WeekTickets]
    usage: NotRequired[UsageEntry]
    excluded: NotRequired[int]   # only when the period has excluded tickets (--exclude-status)
    itsm_agreement: NotRequired[ItsmAgreementEntry]   # with --itsm-sla only
    listing: NotRequired[ListingEntry]   # only when `breaches` or `pending` is cut


class ListingEntry(TypedDict):
    """How many breaches and pending tickets there are when the document lists only the
    first `limit` of each (`--max-listed`), and the CSV beside it that lists every one."""

    limit: int
    breaches: int
    pending: int
    file: str   # relative to the period's folder: clients/<client>.events.csv


class ProviderEntry(TypedDict):
    """The provider's aggregates (the provider's document only)."""

    tickets: TicketCounts
    response: ObjectiveEntry
    resolution: ObjectiveEntry
    charge: float
    credit: float
    turnaround: TurnaroundEntry
    excluded: NotRequired[int]   # only when the period has excluded tickets: the clients' sum
    itsm_agreement: NotRequired[ItsmAgreementEntry]   # with --itsm-sla only


# -- the document ----------------------------------------------------------------------------

class ReportHead(TypedDict):
    """What every report starts with."""

    charter: CharterHeader
    period: PeriodHeader
    scope: str                        # "provider" or the client's id
    reviews: NotRequired[list[str]]   # only when a review is overdue at the period's end
    pauses: NotRequired[Pauses]       # only when the charter pauses clocks


class ReportDocument(ReportHead):
    """A report: a client's holds its own entry only (and its own count of skipped rows)."""

    skipped: SkippedEntry
    clients: dict[str, ClientEntry]


class ProviderDocument(ReportDocument):
    """The provider's report: every client, the skipped rows, and the aggregates."""

    provider: ProviderEntry
