"""The typed charter: frozen dataclasses built from a schema-valid canonical document.

Defaults of the spec are applied here, never in the document (so converting
between syntaxes neither adds nor drops a field). Every element keeps the JSON
pointer it came from, so a check can place its finding at file:line:column.

Defaults (docs/model.md):
  period.years 3 · growth / indexation 0% · price per_unit 0, fixed 0 ·
  business.recovery {target 100%, tolerance 5%} · objective attainment 100% ·
  governance {primary_threshold 50%, approval majority, change_notice 30d} ·
  baseline.every 12mo · reporting.cadence monthly · client timezone: the provider's · holidays: none
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Mapping

from .values import Duration, Period, add_period, duration, iso_date, money, percent, period

__all__ = ["Charter", "Tier", "Client", "Cost", "Feature", "Objective", "Objectives",
           "Credits", "Price", "Security", "build_model", "CLASSIFICATIONS", "ISOLATIONS"]

CLASSIFICATIONS = ("public", "internal", "confidential", "restricted")
ISOLATIONS = ("none", "logical", "physical")


@dataclass(frozen=True)
class Feature:
    id: str
    name: str
    pointer: str


@dataclass(frozen=True)
class Cost:
    id: str
    amount: Decimal
    growth: Decimal
    feature: str | None
    pointer: str


@dataclass(frozen=True)
class Objective:
    """`availability`, or `response`/`resolution` with one target per priority."""

    kind: str                      # availability | response | resolution
    pointer: str
    target: Decimal | None = None  # availability, percent
    window: str | None = None      # availability
    clock: str = "business"        # response / resolution
    targets: Mapping[str, Duration] = field(default_factory=dict)   # priority -> duration
    attainment: Decimal = Decimal(100)
    measured_by: str | None = None


@dataclass(frozen=True)
class Objectives:
    availability: Objective | None
    response: Objective | None
    resolution: Objective | None
    pointer: str

    def __iter__(self):
        return iter(o for o in (self.availability, self.response, self.resolution) if o)


@dataclass(frozen=True)
class Price:
    per_unit: Decimal
    fixed: Decimal
    indexation: Decimal
    pointer: str
    stated: bool  # False when the tier has no price block at all


@dataclass(frozen=True)
class Band:
    below: Decimal
    credit: Decimal
    pointer: str


@dataclass(frozen=True)
class Credits:
    bands: tuple[Band, ...]
    cap: Decimal | None
    pointer: str


@dataclass(frozen=True)
class Tier:
    id: str
    name: str
    index: int                     # position in the list: higher index, higher level
    features: tuple[str, ...]
    hours: Any                     # "24x7" or {schedule, timezone, holidays}, as written
    objectives: Objectives
    maintenance: Any | None
    price: Price
    credits: Credits | None
    pointer: str

    @property
    def is_24x7(self) -> bool:
        return self.hours == "24x7"


@dataclass(frozen=True)
class Client:
    id: str
    name: str
    tier: str
    timezone: str                  # the client's zone: as written, else the provider's
    share: Decimal | None
    units: Decimal | None
    growth: Decimal
    budget: Decimal | None
    needs_hours: Any | None
    needs_features: tuple[str, ...]
    regions: tuple[str, ...]
    classification: str | None
    personal: bool
    regimes: tuple[str, ...]
    reporting_to: tuple[str, ...]
    reporting_cadence: str | None
    signatory: Mapping[str, Any] | None
    raw: Mapping[str, Any]
    pointer: str


@dataclass(frozen=True)
class Security:
    classification: str
    isolation: str
    residency: tuple[str, ...]
    controls: tuple[str, ...]
    breach_notification: Duration | None
    subprocessors: tuple[Mapping[str, Any], ...] | None
    transfers: str
    retention: Period | None
    exit: Mapping[str, Any] | None
    pointer: str


@dataclass(frozen=True)
class Charter:
    document: Mapping[str, Any]    # the canonical document, as written
    id: str
    title: str
    version: str
    status: str
    owner: str
    suppress: tuple[Mapping[str, Any], ...]
    provider_name: str
    timezone: str
    holidays: Any
    start: date
    years: int
    end: date | None
    reviewed: date | None
    every: Period | None
    stance: str
    cap_units: Decimal | None
    cap_cost: Decimal | None
    charging: str
    unit: str
    currency: str
    recovery_target: Decimal
    recovery_tolerance: Decimal
    costs: tuple[Cost, ...]
    features: tuple[Feature, ...]
    priorities: tuple[str, ...]
    tiers: tuple[Tier, ...]
    clients: tuple[Client, ...]
    primary_threshold: Decimal
    approval: str
    change_notice: Duration
    reporting_to: tuple[str, ...]
    reporting_cadence: str
    reporting_metrics: tuple[str, ...]
    security: Security

    @property
    def term(self) -> tuple[date, date]:
        """The term as local dates [start, stop): to the day after `period.end` (its last
        day, inclusive), else `years` after the start."""
        stop = (self.end + timedelta(days=1) if self.end
                else add_period(self.start, Period(months=12 * self.years)))
        return self.start, max(stop, self.start)

    def tier(self, tier_id: str) -> Tier | None:
        return next((t for t in self.tiers if t.id == tier_id), None)


def _objective(kind: str, value: Mapping | None, pointer: str) -> Objective | None:
    if value is None:
        return None
    if kind == "availability":
        return Objective(kind, pointer, target=percent(value.get("target")),
                         window=value.get("window", "monthly"),
                         measured_by=value.get("measured_by"))
    reserved = {"clock", "attainment", "measured_by"}
    targets = {k: duration(v) for k, v in value.items() if k not in reserved}
    return Objective(kind, pointer, clock=value.get("clock", "business"), targets=targets,
                     attainment=percent(value.get("attainment"), "100"),
                     measured_by=value.get("measured_by"))


def _tier(value: Mapping, index: int) -> Tier:
    pointer = f"/tiers/{index}"
    objectives = value.get("objectives") or {}
    op = f"{pointer}/objectives"
    price = value.get("price")
    credits = value.get("credits")
    return Tier(
        id=value["id"], name=value.get("name", value["id"]), index=index,
        features=tuple(value.get("features", ())), hours=value.get("hours"),
        objectives=Objectives(
            availability=_objective("availability", objectives.get("availability"),
                                    f"{op}/availability"),
            response=_objective("response", objectives.get("response"), f"{op}/response"),
            resolution=_objective("resolution", objectives.get("resolution"), f"{op}/resolution"),
            pointer=op),
        maintenance=value.get("maintenance"),
        price=Price(per_unit=money((price or {}).get("per_unit"), 0),
                    fixed=money((price or {}).get("fixed"), 0),
                    indexation=percent((price or {}).get("indexation"), "0"),
                    pointer=f"{pointer}/price" if price is not None else pointer,
                    stated=price is not None),
        credits=None if credits is None else Credits(
            bands=tuple(Band(percent(b["below"]), percent(b["credit"]),
                             f"{pointer}/credits/bands/{i}")
                        for i, b in enumerate(credits.get("bands", ()))),
            cap=percent(credits.get("cap")), pointer=f"{pointer}/credits"),
        pointer=pointer)


def _client(value: Mapping, index: int, provider_zone: str) -> Client:
    volume = value.get("volume") or {}
    needs = value.get("needs") or {}
    data = value.get("data") or {}
    reporting = value.get("reporting") or {}
    return Client(
        id=value["id"], name=value.get("name", value["id"]), tier=value.get("tier"),
        timezone=value.get("timezone", provider_zone),
        share=percent(value.get("share")), units=money(volume.get("units")),
        growth=percent(volume.get("growth"), "0"), budget=money(value.get("budget")),
        needs_hours=needs.get("hours"), needs_features=tuple(needs.get("features", ())),
        regions=tuple(value.get("regions", ())), classification=data.get("classification"),
        personal=bool(data.get("personal", False)), regimes=tuple(data.get("regimes", ())),
        reporting_to=tuple(reporting.get("to", ())), reporting_cadence=reporting.get("cadence"),
        signatory=value.get("signatory"), raw=value, pointer=f"/clients/{index}")


def build_model(doc: Mapping[str, Any]) -> Charter:
    """Typed charter from a schema-valid document (references already resolved)."""
    meta = doc["metadata"]
    provider = doc["provider"]
    term = doc["period"]
    baseline = doc.get("baseline") or {}
    business = doc["business"]
    recovery = business.get("recovery") or {}
    cap = business.get("cap") or {}
    governance = doc.get("governance") or {}
    reporting = doc.get("reporting") or {}
    sec = doc["security"]
    return Charter(
        document=doc, id=meta["id"], title=meta["title"], version=str(meta["version"]),
        status=meta["status"], owner=meta["owner"], suppress=tuple(meta.get("suppress", ())),
        provider_name=provider["name"], timezone=provider["timezone"],
        holidays=provider.get("holidays", "none"),
        start=iso_date(term["start"]), years=int(term.get("years", 3)),
        end=iso_date(term["end"]) if term.get("end") else None,
        reviewed=iso_date(baseline["reviewed"]) if baseline.get("reviewed") else None,
        every=period(baseline.get("every", "12mo")) if baseline else None,
        stance=business["stance"], cap_units=money(cap.get("units")), cap_cost=money(cap.get("cost")),
        charging=business["charging"], unit=business["unit"], currency=business["currency"],
        recovery_target=percent(recovery.get("target"), "100"),
        recovery_tolerance=percent(recovery.get("tolerance"), "5"),
        costs=tuple(Cost(c["id"], money(c["amount"]), percent(c.get("growth"), "0"),
                         c.get("feature"), f"/costs/{i}")
                    for i, c in enumerate(doc.get("costs", ()))),
        features=tuple(Feature(f["id"], f.get("name", f["id"]), f"/features/{i}")
                       for i, f in enumerate(doc["features"])),
        priorities=tuple(doc["priorities"]),
        tiers=tuple(_tier(t, i) for i, t in enumerate(doc["tiers"])),
        clients=tuple(_client(c, i, provider["timezone"])
                      for i, c in enumerate(doc.get("clients", ()))),
        primary_threshold=percent(governance.get("primary_threshold"), "50"),
        approval=governance.get("approval", "majority"),
        change_notice=duration(governance.get("change_notice", "30d")),
        reporting_to=tuple(reporting.get("to", ())),
        reporting_cadence=reporting.get("cadence", "monthly"),
        reporting_metrics=tuple(reporting.get("metrics", ())),
        security=Security(
            classification=sec["classification"], isolation=sec["isolation"],
            residency=tuple(sec["residency"]), controls=tuple(sec["controls"]),
            breach_notification=duration(sec["breach_notification"])
            if sec.get("breach_notification") else None,
            subprocessors=tuple(sec["subprocessors"]) if "subprocessors" in sec else None,
            transfers=sec["transfers"],
            retention=period(sec["retention"]) if sec.get("retention") else None,
            exit=sec.get("exit"), pointer="/security"))
