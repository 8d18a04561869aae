"""What the report templates read: the report document's figures typed for display
(`render.py` builds it; `report.md.j2` and `report.html.j2` show it).

Values are the build's view types (`Units`, `Pct`, `Dur`, `Money`, `Token`), which the
templates' `fmt` filter formats in the page's language.
"""
from __future__ import annotations

from datetime import date
from typing import TypedDict

from ...report.types import CharterHeader, CharterRevision, Pauses, SkippedRow, WeekTickets
from ..view import Dur, Money, Pct, Token, Units

__all__ = [
    "AvailabilityView",
    "ChannelView",
    "ClientView",
    "CountsView",
    "EventView",
    "FeatureView",
    "ItsmRowView",
    "ItsmView",
    "ListingView",
    "ObjectiveView",
    "OutsideView",
    "PeriodView",
    "PrioritiesView",
    "PriorityTicketsView",
    "PriorityView",
    "ReportView",
    "ShareView",
    "SkippedView",
    "TotalsView",
    "TrendView",
    "TurnaroundView",
    "UsageView",
    "VolumeView",
    "WeekView",
]


class CountsView(TypedDict):
    met: Units
    total: Units
    pending: Units


class PriorityView(CountsView):
    """One priority of an objective."""

    priority: str
    attainment: Pct | None
    target: Dur | None


class ObjectiveView(CountsView):
    key: str                 # "response" | "resolution"
    name: Token
    attainment: Pct | None
    target: Pct | None
    missed: bool | None      # attainment under target (None: one of them unknown)
    rows: list[PriorityView]


class PriorityTicketsView(CountsView):
    """One priority: its tickets, and each objective's row (None: no target for it)."""

    priority: str
    objectives: list[PriorityView | None]


class PrioritiesView(TypedDict):
    rows: list[PriorityTicketsView]
    targets: bool


class TurnaroundView(TypedDict):
    key: str
    name: Token
    median: Dur | None
    p90: Dur | None
    count: Units


class EventView(TypedDict):
    """A breach or a pending ticket; times as "2026-10-03 22:41" in the report's zone."""

    id: str
    priority: str
    objective: Token
    opened: str | None
    due: str | None
    at: str | None           # a breach's event (None for a pending ticket)
    paused: Dur | None


class FeatureView(TypedDict):
    feature: str
    tickets: Units
    in_tier: bool


class ChannelView(TypedDict):
    channel: str
    tickets: Units


class OutsideView(TypedDict):
    id: str
    feature: str


class UsageView(TypedDict):
    features: list[FeatureView] | None    # None: the file has no feature column
    channels: list[ChannelView] | None    # None: the file has no channel column
    outside: list[OutsideView]


class ItsmRowView(TypedDict):
    """A ticket and objective on which the ITSM's verdict differs from charterc's."""

    id: str
    objective: Token
    charterc: Token              # met | breached
    charterc_due: str | None
    itsm: Token
    itsm_due: str | None
    reason: Token                # the likely reason, or "cannot tell"


class ItsmView(TypedDict):
    """charterc's verdicts against the ITSM's own SLA records (`--itsm-sla`)."""

    compared: Units
    agree: Units
    disagree: Units
    rows: list[ItsmRowView]


class AvailabilityView(TypedDict):
    percent: Pct | None
    target: Pct | None
    credit_percent: Pct | None
    downtime: Dur | None
    window: Dur | None
    excluded: Dur | None
    missed: bool


class ShareView(TypedDict):
    actual: Pct | None
    stated: Pct | None
    forecast: Pct | None


class VolumeView(TypedDict):
    tickets: Units
    forecast_units: Units


class TrendView(TypedDict):
    period: str
    tickets: Units
    response: Pct | None
    resolution: Pct | None


class ClientView(TypedDict):
    id: str
    name: str
    tier: str
    tickets: CountsView
    objectives: list[ObjectiveView]
    priorities: PrioritiesView
    availability: AvailabilityView | None
    share: ShareView
    volume: VolumeView
    charge: Money
    credit: Money
    net: Money
    turnaround: list[TurnaroundView]
    breaches: list[EventView]
    pending: list[EventView]
    trend: list[TrendView]
    weekly: list[WeekTickets]
    usage: UsageView | None
    itsm: ItsmView | None        # with --itsm-sla only
    listing: ListingView | None  # only when the listings are cut (--max-listed)


class ListingView(TypedDict):
    """How many breaches and pending tickets there are, when only the first are listed."""

    limit: Units
    breaches: Units
    pending: Units
    file: str


class WeekView(TypedDict):
    """Tickets of one ISO week: per client (in the order of the clients), and their total."""

    week: str
    counts: list[Units]
    total: Units


class TotalsView(TypedDict):
    """The provider's aggregates, and the sums of the per-client columns."""

    tickets: CountsView
    objectives: list[ObjectiveView]
    priorities: PrioritiesView
    charge: Money
    credit: Money
    net: Money
    turnaround: list[TurnaroundView]
    forecast_units: Units
    itsm: ItsmView | None        # with --itsm-sla only (its rows: every client's)


# "from" is a keyword: the functional form
PeriodView = TypedDict("PeriodView", {"label": str, "from": date, "to": date, "timezone": str})


class SkippedView(TypedDict):
    count: Units
    rows: list[SkippedRow]


class ReportView(TypedDict):
    """The templates' context."""

    charter: CharterHeader
    provider: bool                  # the provider's report (else one client's)
    scope_name: str | None          # the client's name, in a client's report
    period: PeriodView
    skipped: SkippedView
    excluded: Units | None          # tickets left out (--exclude-status); None: none was
    reviews: list[str]
    pauses: Pauses | None
    paused: bool
    revision: CharterRevision | None
    sha256: str | None
    usage: bool                     # some client has usage figures
    itsm: bool                      # the ITSM's SLA records were compared (--itsm-sla)
    clients: list[ClientView]
    totals: TotalsView | None       # the provider's report only
    weeks: list[WeekView]
    charts: dict[str, str] | None   # name -> inline SVG (Markup), HTML only
    charts_missing: str | None      # why there are no charts
