"""The typed charter: frozen dataclasses built from a schema-valid canonical document.

`Charter` follows the schema's sections (`metadata`, `provider`, `period`,
`baseline`, `business`, `costs`, `features`, `priorities`, `tiers`, `clients`,
`governance`, `reporting`, `security`, `terms`); every element keeps the JSON pointer it
came from, so a check can place its finding at file:line:column. Once the model
is built nothing reads the document again: the values keep the text they were
written as (`Percent`, `Amount`, `Duration`, `Period`: charterc.model.values),
and every `hours` value is resolved once with its inherited zone and holidays
(`Hours`: charterc.model.hours). The canonical document stays attached as
`Charter.source` only to be hashed.

An optional field left out is None here, so "stated or not" is always known;
the spec's defaults (docs/model.md) are applied by the `*_or_default`
properties, never in the document (converting between syntaxes neither adds
nor drops a field):

  period.years 3 · cost, volume growth and price indexation 0% · price per_unit
  and fixed 0 · business.recovery target 100%, tolerance 5% · objective clock
  business, attainment 100%, availability window monthly · governance
  primary_threshold 50%, approval majority, change_notice 30d · baseline.every
  12mo · reporting.cadence monthly · a client's reporting cadence and recipients:
  the charter's · signatory party provider · holidays: none · terms (spec section 8):
  effective period.start, renewal none, termination_notice 3mo, credits claim_within
  30d, applied next-invoice, remedy sole, all four exclusions, no client obligations,
  no escalation, disputes steering-committee.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date, timedelta
from typing import Any, TypeVar

from ..records import record
from .hours import Hours
from .values import (
    Amount,
    Duration,
    Percent,
    Period,
    add_period,
    duration,
    iso_date,
    money,
    percent,
    period,
)

__all__ = [
    "CLASSIFICATIONS",
    "EXCLUSIONS",
    "ISOLATIONS",
    "OBJECTIVE_KEYS",
    "Band",
    "Baseline",
    "Business",
    "Cap",
    "Change",
    "Charter",
    "CharterPeriod",
    "Client",
    "ClientReporting",
    "Cost",
    "Credits",
    "Data",
    "Escalation",
    "Exit",
    "Feature",
    "Governance",
    "Metadata",
    "Needs",
    "Objective",
    "Objectives",
    "Price",
    "Provider",
    "Recovery",
    "Reporting",
    "Security",
    "Signatory",
    "Subprocessor",
    "Suppression",
    "Terms",
    "TermsCredits",
    "Text",
    "Tier",
    "Volume",
    "build_model",
    "status_key",
]

CLASSIFICATIONS = ("public", "internal", "confidential", "restricted")
ISOLATIONS = ("none", "logical", "physical")
EXCLUSIONS = ("maintenance", "client-caused", "force-majeure", "third-party")


# -- metadata, provider, period, baseline --------------------------------------------------

@record
class Suppression:
    """A rule silenced for this charter (`metadata.suppress`), with the reason given."""

    rule: str
    reason: str
    pointer: str


@record
class Change:
    """One entry of the change log (`metadata.changes`)."""

    version: str
    date: date
    summary: str
    pointer: str


@record
class Signatory:
    """A person who signs the charter (`metadata.signatories`)."""

    name: str
    role: str
    party: str | None              # charter signatories: provider | client (None: provider)
    pointer: str

    @property
    def party_or_default(self) -> str:
        return self.party or "provider"


@record
class Metadata:
    """`metadata`: identity, version, status and owner, suppressions, changes, signatories."""

    id: str
    title: str
    version: str
    status: str
    owner: str
    suppress: tuple[Suppression, ...]
    changes: tuple[Change, ...]
    signatories: tuple[Signatory, ...]
    pointer: str = "/metadata"


@record
class Provider:
    """`provider`: the shared service, its time zone and holiday calendar."""

    name: str
    timezone: str
    holidays: Any                  # a code, "none" or {country, extra, remove}; None: not stated
    pointer: str = "/provider"

    @property
    def holidays_or_default(self) -> Any:
        return "none" if self.holidays is None else self.holidays


@record
class CharterPeriod:
    """`period`: the term the charter runs for."""

    start: date
    years: int | None
    end: date | None
    pointer: str = "/period"

    @property
    def years_or_default(self) -> int:
        return 3 if self.years is None else self.years

    @property
    def term(self) -> tuple[date, date]:
        """The term as local dates [start, stop): to the day after `end` (its last day,
        inclusive), else `years` after the start."""
        stop = (self.end + timedelta(days=1) if self.end
                else add_period(self.start, Period(months=12 * self.years_or_default)))
        return self.start, max(stop, self.start)


@record
class Baseline:
    """`baseline`: when the charter was last reviewed and how often it is."""

    reviewed: date | None
    every: Period | None
    pointer: str = "/baseline"

    @property
    def every_or_default(self) -> Period:
        return self.every if self.every is not None else period("12mo")

    @property
    def next_review(self) -> date | None:
        """`reviewed` + `every`: when the baseline is due for review (None: never reviewed)."""
        return add_period(self.reviewed, self.every_or_default) if self.reviewed else None


# -- business, costs, features -------------------------------------------------------------

@record
class Cap:
    """`business.cap`: the most units or cost the provider takes on."""

    units: Amount | None
    cost: Amount | None
    pointer: str = "/business/cap"


@record
class Recovery:
    """`business.recovery`: the share of cost charges must recover, and the tolerance."""

    target: Percent | None
    tolerance: Percent | None
    pointer: str = "/business/recovery"

    @property
    def target_or_default(self) -> Percent:
        return self.target or percent("100%")

    @property
    def tolerance_or_default(self) -> Percent:
        return self.tolerance or percent("5%")


@record
class Business:
    """`business`: stance, charging model, unit, currency, cap and recovery."""

    stance: str
    cap: Cap | None
    charging: str
    unit: str
    currency: str
    recovery: Recovery | None
    pointer: str = "/business"

    @property
    def recovery_or_default(self) -> Recovery:
        return self.recovery or Recovery(None, None)


@record
class Feature:
    """One feature the provider offers (`features`)."""

    id: str
    name: str
    pointer: str
    aliases: tuple[str, ...] = ()   # other spellings in ITSM exports (spec section 9.2)


@record
class Cost:
    """One cost line of the provider (`costs`)."""

    id: str
    amount: Amount
    growth: Percent | None
    feature: str | None
    pointer: str

    @property
    def growth_or_default(self) -> Percent:
        return self.growth or percent("0%")


# -- tiers ---------------------------------------------------------------------------------

# The keys of a response or resolution objective that are not a priority's target.
OBJECTIVE_KEYS = frozenset({"clock", "attainment", "measured_by", "pause_on"})


def status_key(status: str) -> str:
    """A ticket status as `pause_on` compares it: case-insensitive, spaces and underscores
    read as hyphens (`Awaiting Customer`, `awaiting_customer` -> `awaiting-customer`)."""
    return "-".join(status.strip().lower().replace("_", " ").replace("-", " ").split())


@record
class Objective:
    """`availability`, or `response`/`resolution` with one target per priority."""

    kind: str                      # availability | response | resolution
    pointer: str
    target: Percent | None = None  # availability
    window: str | None = None      # availability
    clock: str | None = None       # response / resolution
    targets: Mapping[str, Duration] | None = None   # priority -> duration, as written
    attainment: Percent | None = None
    measured_by: str | None = None
    pause_on: tuple[str, ...] = ()  # statuses that stop this clock, normalised (status_key)

    @property
    def window_or_default(self) -> str:
        return self.window or "monthly"

    @property
    def clock_or_default(self) -> str:
        return self.clock or "business"

    @property
    def attainment_or_default(self) -> Percent:
        return self.attainment or percent("100%")

    @property
    def priority_targets(self) -> Mapping[str, Duration]:
        """priority -> target (empty for availability)."""
        return self.targets or {}


@record
class Objectives:
    """A tier's `objectives`: availability, response and resolution."""

    availability: Objective | None
    response: Objective | None
    resolution: Objective | None
    pointer: str

    def __iter__(self) -> Iterator[Objective]:
        return iter([o for o in (self.availability, self.response, self.resolution) if o])


@record
class Price:
    """A tier's `price`: per unit, fixed, yearly indexation."""

    per_unit: Amount | None
    fixed: Amount | None
    indexation: Percent | None
    pointer: str

    @property
    def per_unit_or_default(self) -> Amount:
        return self.per_unit or money(0)

    @property
    def fixed_or_default(self) -> Amount:
        return self.fixed or money(0)

    @property
    def indexation_or_default(self) -> Percent:
        return self.indexation or percent("0%")


@record
class Band:
    """A service-credit band: below this availability, this credit."""

    below: Percent
    credit: Percent
    pointer: str


@record
class Credits:
    """A tier's service `credits`: bands and cap."""

    bands: tuple[Band, ...]
    cap: Percent | None
    pointer: str


@record
class Tier:
    """A service level offered (`tiers`): features, hours, objectives, price, credits."""

    id: str
    name: str
    index: int                     # position in the list: higher index, higher level
    features: tuple[str, ...]
    hours: Hours                   # zone and holidays: written, else the provider's
    objectives: Objectives
    maintenance: Hours | None      # zone: written, else the tier hours', else the provider's
    price: Price | None            # None: no price block at all
    credits: Credits | None
    pointer: str

    @property
    def is_24x7(self) -> bool:
        return self.hours.is_24x7

    @property
    def price_or_default(self) -> Price:
        """The price block, or an empty one (every component 0) at the tier's pointer."""
        return self.price or Price(None, None, None, self.pointer)


# -- clients -------------------------------------------------------------------------------

@record
class Volume:
    """A client's `volume` in billable units, and its yearly growth."""

    units: Amount | None
    growth: Percent | None
    pointer: str

    @property
    def growth_or_default(self) -> Percent:
        return self.growth or percent("0%")


@record
class Needs:
    """What a client needs (`needs`): hours and features."""

    hours: Hours | None            # zone: written, else the client's, else the provider's
    features: tuple[str, ...] | None
    pointer: str


@record
class Data:
    """A client's `data`: classification, personal data, regimes."""

    classification: str | None
    personal: bool | None
    regimes: tuple[str, ...] | None
    pointer: str


@record
class ClientReporting:
    """A client's own `reporting` (default: the charter's)."""

    cadence: str | None
    to: tuple[str, ...] | None
    pointer: str


@record
class Client:
    """A client group served (`clients`): its tier, share, volume, budget, needs, data."""

    id: str
    name: str
    tier: str
    timezone: str | None           # as written; `zone` applies the provider's
    zone: str                      # the client's zone: its own, else the provider's
    share: Percent | None
    volume: Volume | None
    budget: Amount | None
    needs: Needs | None
    regions: tuple[str, ...] | None
    data: Data | None
    reporting: ClientReporting | None
    signatory: Signatory | None
    pointer: str
    aliases: tuple[str, ...] = ()   # other spellings in ITSM exports (spec section 9.2)

    # The views below read the optional blocks with their documented defaults.
    @property
    def units(self) -> Amount | None:
        return self.volume.units if self.volume else None

    @property
    def growth_or_default(self) -> Percent:
        return self.volume.growth_or_default if self.volume else percent("0%")

    @property
    def needs_hours(self) -> Hours | None:
        return self.needs.hours if self.needs else None

    @property
    def needs_features(self) -> tuple[str, ...]:
        """Needed features (none when not stated)."""
        return (self.needs.features or ()) if self.needs else ()

    @property
    def classification(self) -> str | None:
        return self.data.classification if self.data else None

    @property
    def personal(self) -> bool:
        return bool(self.data and self.data.personal)

    @property
    def regimes(self) -> tuple[str, ...]:
        return (self.data.regimes or ()) if self.data else ()


# -- governance, reporting, security -------------------------------------------------------

@record
class Governance:
    """`governance`: primary threshold, approval, change notice."""

    primary_threshold: Percent | None
    approval: str | None
    change_notice: Duration | None
    pointer: str = "/governance"

    @property
    def primary_threshold_or_default(self) -> Percent:
        return self.primary_threshold or percent("50%")

    @property
    def approval_or_default(self) -> str:
        return self.approval or "majority"

    @property
    def change_notice_or_default(self) -> Duration:
        return self.change_notice or duration("30d")


@record
class Reporting:
    """`reporting`: cadence, metrics and recipients of the charter's reports."""

    cadence: str | None
    metrics: tuple[str, ...] | None
    to: tuple[str, ...] | None
    pointer: str = "/reporting"

    @property
    def cadence_or_default(self) -> str:
        return self.cadence or "monthly"


@record
class Subprocessor:
    """A third party that processes data (`security.subprocessors`)."""

    name: str
    country: str
    pointer: str


@record
class Exit:
    """`security.exit`: when data is returned and deleted after the charter ends."""

    return_within: Period | None   # `exit.return`
    delete_within: Period | None   # `exit.delete`
    pointer: str = "/security/exit"


@record
class Security:
    """`security`: classification, isolation, residency, controls, transfers, retention, exit."""

    classification: str
    isolation: str
    residency: tuple[str, ...]
    controls: tuple[str, ...]
    breach_notification: Duration | None
    subprocessors: tuple[Subprocessor, ...] | None   # None: no list; (): none are used
    transfers: str
    retention: Period | None
    exit: Exit | None
    pointer: str = "/security"


# -- terms (spec section 8) ---------------------------------------------------------------

@record
class Text:
    """Free text of `terms`: as written (a string, the same in every language) or one text
    per language code, in the order written."""

    value: str | Mapping[str, str]
    pointer: str

    def in_language(self, lang: str) -> tuple[str, bool]:
        """The text for `lang`, and whether it is there: a map that lacks `lang` gives its
        first entry (the caller warns) and False."""
        if isinstance(self.value, str):
            return self.value, True
        if lang in self.value:
            return self.value[lang], True
        return next(iter(self.value.values())), False


@record
class TermsCredits:
    """`terms.credits`: how service credits are claimed and applied."""

    claim_within: Period | None
    applied: str | None
    remedy: str | None
    pointer: str = "/terms/credits"

    @property
    def claim_within_or_default(self) -> Period:
        return self.claim_within or period("30d")

    @property
    def applied_or_default(self) -> str:
        return self.applied or "next-invoice"

    @property
    def remedy_or_default(self) -> str:
        return self.remedy or "sole"


@record
class Escalation:
    """One escalation level of `terms.escalation`."""

    level: int
    role: Text
    contact: str | None
    within: Duration | None
    pointer: str


@record
class Terms:
    """`terms` (spec section 8): effective date, renewal, notice, credits, escalation."""

    effective: date | None
    renewal: str | None
    termination_notice: Period | None
    credits: TermsCredits | None
    exclusions: tuple[str, ...] | None
    client_obligations: tuple[Text, ...] | None
    escalation: tuple[Escalation, ...] | None
    disputes: Text | None
    pointer: str = "/terms"

    def effective_or_default(self, period_: CharterPeriod) -> date:
        return self.effective or period_.start

    @property
    def renewal_or_default(self) -> str:
        return self.renewal or "none"

    @property
    def termination_notice_or_default(self) -> Period:
        return self.termination_notice or period("3mo")

    @property
    def credits_or_default(self) -> TermsCredits:
        return self.credits or TermsCredits(None, None, None)

    @property
    def exclusions_or_default(self) -> tuple[str, ...]:
        return EXCLUSIONS if self.exclusions is None else self.exclusions

    @property
    def client_obligations_or_default(self) -> tuple[Text, ...]:
        return self.client_obligations or ()

    @property
    def escalation_or_default(self) -> tuple[Escalation, ...]:
        return self.escalation or ()

    @property
    def disputes_or_default(self) -> Text:
        return self.disputes or Text("steering-committee", f"{self.pointer}/disputes")


# -- the charter ---------------------------------------------------------------------------

@record
class Charter:
    """A checked charter: every section typed, each element with its JSON pointer."""

    source: Mapping[str, Any]      # the canonical document, as written: hashed, never read
    metadata: Metadata
    provider: Provider
    period: CharterPeriod
    baseline: Baseline | None
    business: Business
    costs: tuple[Cost, ...]
    features: tuple[Feature, ...]
    priorities: tuple[str, ...]
    tiers: tuple[Tier, ...]
    clients: tuple[Client, ...]
    governance: Governance | None
    reporting: Reporting | None
    security: Security
    terms: Terms | None = None

    @property
    def id(self) -> str:
        return self.metadata.id

    @property
    def version(self) -> str:
        return self.metadata.version

    @property
    def term(self) -> tuple[date, date]:
        return self.period.term

    @property
    def governance_or_default(self) -> Governance:
        return self.governance or Governance(None, None, None)

    @property
    def reporting_or_default(self) -> Reporting:
        return self.reporting or Reporting(None, None, None)

    @property
    def terms_or_default(self) -> Terms:
        return self.terms or Terms(None, None, None, None, None, None, None, None)

    def tier(self, tier_id: str) -> Tier | None:
        return next((t for t in self.tiers if t.id == tier_id), None)

    def tier_of(self, client: Client) -> Tier:
        """The tier a client is on: references (R3xx) are checked before the model is used."""
        tier = self.tier(client.tier)
        if tier is None:
            raise KeyError(f"{client.pointer}/tier: no tier {client.tier!r}")
        return tier

    def report_cadence(self, client: Client) -> str:
        """How often a client gets its reports: its own cadence, else the charter's."""
        own = client.reporting.cadence if client.reporting else None
        return own or self.reporting_or_default.cadence_or_default

    def report_recipients(self, client: Client) -> tuple[str, ...]:
        """Who gets a client's reports: its own recipients, else the charter's."""
        own = client.reporting.to if client.reporting else None
        return own or self.reporting_or_default.to or ()


# -- building ------------------------------------------------------------------------------

_T = TypeVar("_T")


def _opt(value: Any, read: Callable[[Any], _T]) -> _T | None:
    return None if value is None else read(value)


def _tuple(value: Any) -> tuple[Any, ...] | None:
    return None if value is None else tuple(value)


def _objective(kind: str, value: Mapping[str, Any] | None, pointer: str) -> Objective | None:
    if value is None:
        return None
    if kind == "availability":
        return Objective(kind, pointer, target=percent(value.get("target")),
                         window=value.get("window"), measured_by=value.get("measured_by"))
    targets = {k: duration(v) for k, v in value.items() if k not in OBJECTIVE_KEYS}
    return Objective(kind, pointer, clock=value.get("clock"), targets=targets,
                     attainment=percent(value.get("attainment")),
                     measured_by=value.get("measured_by"),
                     pause_on=tuple(dict.fromkeys(status_key(s)
                                                  for s in value.get("pause_on") or ())))


def _tier(value: Mapping[str, Any], index: int, provider: Provider) -> Tier:
    pointer = f"/tiers/{index}"
    objectives = value.get("objectives") or {}
    op = f"{pointer}/objectives"
    price = value.get("price")
    credits = value.get("credits")
    written = value.get("hours")
    hours = Hours(written, _get(written, "timezone") or provider.timezone,
                  _with(written, "holidays", provider.holidays_or_default), f"{pointer}/hours")
    windows = value.get("maintenance")
    return Tier(
        id=value["id"], name=value.get("name", value["id"]), index=index,
        features=tuple(value.get("features", ())), hours=hours,
        objectives=Objectives(
            availability=_objective("availability", objectives.get("availability"),
                                    f"{op}/availability"),
            response=_objective("response", objectives.get("response"), f"{op}/response"),
            resolution=_objective("resolution", objectives.get("resolution"), f"{op}/resolution"),
            pointer=op),
        maintenance=None if windows is None else Hours(
            windows, _get(windows, "timezone") or hours.zone, "none", f"{pointer}/maintenance"),
        price=None if price is None else Price(
            per_unit=money(price.get("per_unit")), fixed=money(price.get("fixed")),
            indexation=percent(price.get("indexation")), pointer=f"{pointer}/price"),
        credits=None if credits is None else Credits(
            bands=tuple(Band(percent(b["below"]), percent(b["credit"]),
                             f"{pointer}/credits/bands/{i}")
                        for i, b in enumerate(credits.get("bands", ()))),
            cap=percent(credits.get("cap")), pointer=f"{pointer}/credits"),
        pointer=pointer)


def _client(value: Mapping[str, Any], index: int, provider: Provider) -> Client:
    pointer = f"/clients/{index}"
    zone = value.get("timezone") or provider.timezone
    volume, needs, data = value.get("volume"), value.get("needs"), value.get("data")
    reporting, signatory = value.get("reporting"), value.get("signatory")
    hours = None if needs is None else needs.get("hours")
    return Client(
        id=value["id"], name=value.get("name", value["id"]), tier=value["tier"],
        timezone=value.get("timezone"), zone=zone, share=percent(value.get("share")),
        volume=None if volume is None else Volume(
            money(volume.get("units")), percent(volume.get("growth")), f"{pointer}/volume"),
        budget=money(value.get("budget")),
        needs=None if needs is None else Needs(
            hours=None if hours is None else Hours(
                hours, _get(hours, "timezone") or zone,
                _with(hours, "holidays", provider.holidays_or_default),
                f"{pointer}/needs/hours"),
            features=_tuple(needs.get("features")), pointer=f"{pointer}/needs"),
        regions=_tuple(value.get("regions")),
        data=None if data is None else Data(
            data.get("classification"), data.get("personal"), _tuple(data.get("regimes")),
            f"{pointer}/data"),
        reporting=None if reporting is None else ClientReporting(
            reporting.get("cadence"), _tuple(reporting.get("to")), f"{pointer}/reporting"),
        signatory=None if signatory is None else Signatory(
            signatory["name"], signatory["role"], None, f"{pointer}/signatory"),
        pointer=pointer, aliases=tuple(value.get("aliases", ())))


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, Mapping) else None


def _with(value: Any, key: str, default: Any) -> Any:
    """`value[key]` when `value` is a mapping that states it, else `default`."""
    return value[key] if isinstance(value, Mapping) and key in value else default


def _metadata(meta: Mapping[str, Any]) -> Metadata:
    p = "/metadata"
    return Metadata(
        id=meta["id"], title=meta["title"], version=str(meta["version"]), status=meta["status"],
        owner=meta["owner"],
        suppress=tuple(Suppression(s["rule"], s.get("reason", ""), f"{p}/suppress/{i}")
                       for i, s in enumerate(meta.get("suppress", ()))),
        changes=tuple(Change(str(c["version"]), iso_date(c["date"]), c["summary"],
                             f"{p}/changes/{i}")
                      for i, c in enumerate(meta.get("changes", ()))),
        signatories=tuple(Signatory(s["name"], s["role"], s.get("party"),
                                    f"{p}/signatories/{i}")
                          for i, s in enumerate(meta.get("signatories", ()))))


def _business(business: Mapping[str, Any]) -> Business:
    cap, recovery = business.get("cap"), business.get("recovery")
    return Business(
        stance=business["stance"],
        cap=None if cap is None else Cap(money(cap.get("units")), money(cap.get("cost"))),
        charging=business["charging"], unit=business["unit"], currency=business["currency"],
        recovery=None if recovery is None else Recovery(
            percent(recovery.get("target")), percent(recovery.get("tolerance"))))


def _security(sec: Mapping[str, Any]) -> Security:
    exit_terms, subs = sec.get("exit"), sec.get("subprocessors")
    return Security(
        classification=sec["classification"], isolation=sec["isolation"],
        residency=tuple(sec["residency"]), controls=tuple(sec["controls"]),
        breach_notification=_opt(sec.get("breach_notification"), duration),
        subprocessors=None if subs is None else tuple(
            Subprocessor(s["name"], s["country"], f"/security/subprocessors/{i}")
            for i, s in enumerate(subs)),
        transfers=sec["transfers"], retention=_opt(sec.get("retention"), period),
        exit=None if exit_terms is None else Exit(_opt(exit_terms.get("return"), period),
                                                  _opt(exit_terms.get("delete"), period)))


def _terms(terms: Mapping[str, Any]) -> Terms:
    p = "/terms"
    credits, obligations, levels = (terms.get("credits"), terms.get("client_obligations"),
                                    terms.get("escalation"))
    disputes = terms.get("disputes")
    return Terms(
        effective=_opt(terms.get("effective"), iso_date), renewal=terms.get("renewal"),
        termination_notice=_opt(terms.get("termination_notice"), period),
        credits=None if credits is None else TermsCredits(
            _opt(credits.get("claim_within"), period), credits.get("applied"),
            credits.get("remedy")),
        exclusions=_tuple(terms.get("exclusions")),
        client_obligations=None if obligations is None else tuple(
            Text(o, f"{p}/client_obligations/{i}") for i, o in enumerate(obligations)),
        escalation=None if levels is None else tuple(
            Escalation(e["level"], Text(e["role"], f"{p}/escalation/{i}/role"),
                       e.get("contact"), _opt(e.get("within"), duration),
                       f"{p}/escalation/{i}")
            for i, e in enumerate(levels)),
        disputes=None if disputes is None else Text(disputes, f"{p}/disputes"))


def build_model(doc: Mapping[str, Any]) -> Charter:
    """Typed charter from a schema-valid document (references already resolved)."""
    provider_doc = doc["provider"]
    provider = Provider(provider_doc["name"], provider_doc["timezone"],
                        provider_doc.get("holidays"))
    term = doc["period"]
    baseline = doc.get("baseline")
    governance, reporting = doc.get("governance"), doc.get("reporting")
    return Charter(
        source=doc, metadata=_metadata(doc["metadata"]), provider=provider,
        period=CharterPeriod(iso_date(term["start"]), _opt(term.get("years"), int),
                             _opt(term.get("end"), iso_date)),
        baseline=None if baseline is None else Baseline(
            _opt(baseline.get("reviewed"), iso_date), _opt(baseline.get("every"), period)),
        business=_business(doc["business"]),
        costs=tuple(Cost(c["id"], money(c["amount"]), percent(c.get("growth")),
                         c.get("feature"), f"/costs/{i}")
                    for i, c in enumerate(doc.get("costs", ()))),
        features=tuple(Feature(f["id"], f.get("name", f["id"]), f"/features/{i}",
                               tuple(f.get("aliases", ())))
                       for i, f in enumerate(doc["features"])),
        priorities=tuple(doc["priorities"]),
        tiers=tuple(_tier(t, i, provider) for i, t in enumerate(doc["tiers"])),
        clients=tuple(_client(c, i, provider) for i, c in enumerate(doc.get("clients", ()))),
        governance=None if governance is None else Governance(
            percent(governance.get("primary_threshold")), governance.get("approval"),
            _opt(governance.get("change_notice"), duration)),
        reporting=None if reporting is None else Reporting(
            reporting.get("cadence"), _tuple(reporting.get("metrics")),
            _tuple(reporting.get("to"))),
        security=_security(doc["security"]),
        terms=_opt(doc.get("terms"), _terms))
