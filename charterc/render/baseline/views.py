"""What the baseline templates read: the baseline document typed for display (`render.py`
builds it; `baseline.md.j2` and `baseline.html.j2` show it)."""
from __future__ import annotations

from datetime import date
from typing import TypedDict

from ...baseline.types import BaselineCharter
from ..view import Pct, Units

__all__ = ["BaselineView", "CheckView", "ClientSummary", "SummaryRow", "WindowView"]


class SummaryRow(TypedDict):
    """One figure of a client's summary: as the charter states it, as observed, as proposed
    (None: nothing to show; text for roles, features and the two medians)."""

    label: str
    stated: Units | Pct | str | None
    observed: Units | Pct | str | None
    proposed: Units | Pct | str | None


class ClientSummary(TypedDict):
    id: str
    name: str
    tier: str
    thin: bool
    tickets: Units | None
    rows: list[SummaryRow]


class WindowView(TypedDict):
    first: date
    last: date
    zone: str
    months: int


class CheckView(TypedDict):
    """The proposal checked like any charter, in sentences."""

    checked: bool
    reason: str | None              # why it could not be checked
    findings: list[str]             # what `charterc check` would report
    restore: list[str]              # the prices per unit that restore recovery


class BaselineView(TypedDict):
    """The templates' context."""

    lang: str
    charter: BaselineCharter
    window: WindowView
    tickets: Units | None
    skipped: Units | None
    reviewed: date
    clients: list[ClientSummary]
    judged: int                     # clients with enough tickets to judge
    findings: list[str]             # in sentences, the thin clients apart
    thin: list[str]
    check: CheckView | None         # the proposal checked (spec 10.2)
    stale: list[str]                # comments the proposal keeps beside changed values
    charts: list[str] | None        # inline SVG (Markup), HTML only
    charts_missing: str | None      # why there are no charts
