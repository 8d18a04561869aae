"""The measured period: what `document.py` builds the report document from.

The engine fills it (`engine.build_report`): the period's `Measure` (per-client usage),
the availability and charge of each client, the skipped rows and the notes the header
carries (reviews, pauses, the revision measured against).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic
from ..model.charter import Charter, Tier
from ..model.projection import Facts
from .inputs import Outage
from .measure import (
    Availability,
    Measure,
    Period,
    PeriodCharge,
    availability,
    credit_percent,
    period_charge,
)
from .types import CharterRevision, Pauses

if TYPE_CHECKING:
    from .itsm import ItsmAgreement

__all__ = ["MeasuredPeriod", "Notes"]


@dataclass(frozen=True)
class Notes:
    """What the report's header says beside the figures."""

    skipped: int = 0                       # rows skipped, all counted
    listed: tuple[Diagnostic, ...] = ()    # the first of them, listed
    reviews: tuple[str, ...] = ()          # review findings judged at the period's end
    pauses: Pauses | None = None           # docs/report.md, `pauses`
    revision: CharterRevision | None = None  # the committed charter measured against
    usage_columns: tuple[str, ...] = ()    # feature, channel: the ones the file has
    excluding: bool = False                # some tickets of the period were excluded (cancelled)
    itsm: ItsmAgreement | None = None      # --itsm-sla: the ITSM's verdicts compared
    max_listed: int | None = None          # breaches and pending listed per client (None: all)


class MeasuredPeriod:
    """A charter's period as measured: per client its usage, tier, charge and availability
    (None when not measured: no outages file, or no availability objective)."""

    def __init__(self, charter: Charter, period: Period, measure: Measure,
                 outages: list[Outage] | None, notes: Notes) -> None:
        self.charter, self.period, self.measure = charter, period, measure
        self.facts: Facts = measure.facts
        self.tiers: dict[str, Tier] = {}
        for c in charter.clients:
            tier = charter.tier(c.tier)
            assert tier is not None, "the references (R301) checked that a client's tier exists"
            self.tiers[c.id] = tier
        self.ticket_count = sum(u.count for u in measure.usage.values())
        self.charges: dict[str, PeriodCharge] = {
            cid: period_charge(charter, self.facts, u.client, period, u.units)
            for cid, u in measure.usage.items()}
        self.available: dict[str, Availability | None] = {}
        for client in charter.clients:
            tier = self.tiers[client.id]
            figures = None
            if outages is not None and tier.objectives.availability is not None:
                maintenance = tier.maintenance.schedule if tier.maintenance else None
                figures = availability(client, tier, maintenance, outages, period)
            self.available[client.id] = figures
        self.skipped = notes.skipped
        self.listed = list(notes.listed)
        self.reviews = list(notes.reviews)
        self.pauses = notes.pauses
        self.revision = notes.revision
        self.usage_columns = notes.usage_columns
        self.excluding = notes.excluding
        self.itsm = notes.itsm
        self.max_listed = notes.max_listed

    def credit_percent(self, cid: str) -> Decimal:
        figures = self.available[cid]
        return Decimal(0) if figures is None else credit_percent(self.tiers[cid], figures.fraction)

    def charge(self, cid: str) -> Decimal:
        return self.charges[cid].charge

    def credit(self, cid: str) -> Decimal:
        """The band's percent of the period's charge as invoiced (rounded to cents)."""
        return self.facts.money(self.charge(cid) * self.credit_percent(cid) / 100)
