"""The view of a charter that documents show: plain values, typed for formatting, no locale.

Templates receive dicts and lists built here. Amounts, percents, units,
durations and enum tokens are wrapped in small types (`Money`, `Pct`, ...) so
the language's formatter (`render.filters.fmt`) can render each the right way;
user text stays `str`, and the environment escapes it. Nothing here depends on
the output language or format, so one view serves every document of a charter.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic, SourceMap
from ..model.charter import Charter, Client, Data, Objective, Tier
from ..model.values import Duration, Percent, Period
from .hours import HoursView, hours_view, shifted

if TYPE_CHECKING:
    from ..model.projection import Facts

__all__ = [
    "N_",
    "Contract",
    "Dur",
    "Money",
    "Pct",
    "Per",
    "Rate",
    "Subject",
    "Target",
    "Token",
    "Units",
    "agreement_view",
    "canonical_json",
    "canonical_name",
    "canonical_sha256",
    "charter_view",
    "localise",
    "named",
]


def N_(message: str) -> str:
    """Mark a msgid for the catalogues without translating it here."""
    return message


@dataclass(frozen=True)
class Money:
    amount: Decimal


@dataclass(frozen=True)
class Pct:
    value: Decimal


@dataclass(frozen=True)
class Rate(Pct):
    """A share printed with every decimal it has (at least two): the share a `share` charge
    is recomputed from (`ClientYear.rate`), which two decimals would not give."""


class Name(str):
    """A feature's or tier's name written per language (spec 8.2): the English (else first)
    text as a `str`, and every text, so that a document in another language shows its own
    (`localise`, applied to a view before it is rendered in a language)."""

    texts: Mapping[str, str]

    def __new__(cls, default: str, texts: Mapping[str, str]) -> Name:
        made = super().__new__(cls, default)
        made.texts = texts
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (Name, (str(self), dict(self.texts)))

    def in_language(self, lang: str) -> str:
        return self.texts.get(lang, str(self))


def named(item: Any) -> str:
    """`item.name`, as a `Name` when the charter writes it per language."""
    label = getattr(item, "label", None)
    if label is not None and isinstance(label.value, Mapping):
        return Name(item.name, dict(label.value))
    return str(item.name)


def localise(value: Any, lang: str) -> Any:
    """`value` (a view or part of it) with every `Name` in `lang`: containers are copied
    only where they hold one (the others are returned as they are, not rebuilt)."""
    kind = type(value)
    if kind in _LEAVES:
        return value
    if isinstance(value, Name):
        return value.in_language(lang)
    is_dict = isinstance(value, dict)
    if not (is_dict or isinstance(value, list) or
            (isinstance(value, tuple) and not hasattr(value, "_fields"))):
        return value
    changed: Any = None   # a copy, made at the first item that changes
    for key, item in (value.items() if is_dict else enumerate(value)):
        if type(item) in _LEAVES:
            continue
        made = localise(item, lang)
        if made is not item:
            if changed is None:
                changed = dict(value) if is_dict else list(value)
            changed[key] = made
    if changed is None:
        return value
    return tuple(changed) if isinstance(value, tuple) else changed


def copied(value: Any) -> Any:
    """`value` with every dict, list and tuple in it copied (what they hold, shared)."""
    kind = type(value)
    if kind is dict:
        return {key: copied(item) for key, item in value.items()}
    if kind is list:
        return [copied(item) for item in value]
    if kind is tuple:
        return tuple(copied(item) for item in value)
    return value


# values that never hold a Name (a Name is a str, but not of type str)
_LEAVES = frozenset({str, int, float, bool, type(None), Decimal})


@dataclass(frozen=True)
class Units:
    value: Decimal


@dataclass(frozen=True)
class Dur:
    value: Duration
    clock: str = "calendar"


@dataclass(frozen=True)
class Target(Dur):
    """A service-level target, spelled on its clock in documents: `1 business hour`."""


@dataclass(frozen=True)
class Per:
    value: Period


@dataclass(frozen=True)
class Token:
    """A word of the charter language (`active`, `per-unit`, `monthly`): translated, not user text.

    `params` fill `%(name)s` placeholders of the translated text (user values, escaped later).
    """
    text: str
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Contract:
    """What the numbered clauses are written from (render/clauses.py): language-free, built
    with the view of an agreement (a client) or of the whole charter (no client)."""

    charter: Charter
    facts: Facts
    client: Client | None
    view: Mapping[str, Any] = field(repr=False, compare=False)


# the view's own values, which hold no Name either: `localise` leaves them without a call
_LEAVES = _LEAVES | {Money, Pct, Rate, Units, Dur, Target, Per, Token, Contract, HoursView,
                     date}


@dataclass
class Subject:
    """One checked charter, ready to compile: the model, where it came from, what checks said."""

    charter: Charter
    sources: SourceMap
    file: str
    notes: tuple[Diagnostic, ...] = ()     # unsuppressed warnings and infos, for document control
    today: date | None = None              # the date shown, when one is given
    _client_views: dict[str, dict[str, object]] = field(  # see `client_view`
        default_factory=dict, init=False, repr=False, compare=False)

    @cached_property
    def sha256(self) -> str:
        """sha256 of the canonical document: made where the charter is compiled (a build's
        worker), not where it is checked."""
        return canonical_sha256(self.charter.source)

    @cached_property
    def facts(self) -> Facts:
        from ..model.projection import derive
        return derive(self.charter)

    def client_view(self, client: Client) -> dict[str, object]:
        """A client's part of the views, made once: the charter's document and the client's
        agreement show the same (templates read a view, never change it)."""
        made = self._client_views.get(client.id)
        if made is None:
            made = self._client_views[client.id] = _client(self.charter, self.facts, client)
        return made


def canonical_json(document: Any) -> bytes:
    """The canonical document as compact JSON with sorted keys (UTF-8): the bytes its
    sha256 is taken of, and the charter a PDF carries (`<id>.charter.json`)."""
    return canonical_text(document).encode("utf-8")


def canonical_text(value: Any) -> str:
    """`value` as the canonical document writes it (compact JSON, keys sorted)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)


def canonical_joined(sections: Mapping[str, str]) -> bytes:
    """`canonical_json` of a mapping given each of its values' `canonical_text` (its keys
    sorted as json sorts them): a document whose sections are known already is written
    without encoding them again."""
    body = ",".join(f"{canonical_text(key)}:{sections[key]}" for key in sorted(sections))
    return ("{" + body + "}").encode("utf-8")


def canonical_name(charter_id: str) -> str:
    """The file name of the canonical document a PDF carries, printed beside its sha256."""
    return f"{charter_id}.charter.json"


def canonical_sha256(document: Any) -> str:
    """sha256 of the canonical document as compact JSON with sorted keys (UTF-8)."""
    return hashlib.sha256(canonical_json(document)).hexdigest()


# Enum values shown with a phrase rather than the bare token (the token alone would be
# ambiguous: `primary` is a role and an approval rule, `none` a transfer and an isolation).
PHRASES = {
    "approval": {"primary": N_("the primary client"), "all": N_("all clients"),
                 "majority": N_("a majority of clients"), "provider": N_("the provider")},
    "transfers": {"none": N_("no transfer"), "scc": N_("standard contractual clauses"),
                  "bcr": N_("binding corporate rules"), "adequacy": N_("adequacy decision")},
    "isolation": {"none": N_("no isolation"), "logical": N_("logical isolation"),
                  "physical": N_("physical isolation")},
    "charging": {"per-unit": N_("per unit"), "fixed": N_("fixed fee"),
                 "share": N_("share of costs")},
    "stance": {"grow": N_("grow"), "cap": N_("stay capped"), "shrink": N_("shrink")},
}
# The other tokens documents show, listed so that the catalogues carry them.
WORDS = (N_("A change concerning another client (not shown in this agreement)."),
         N_("draft"), N_("active"), N_("retired"), N_("public"), N_("internal"),
         N_("confidential"), N_("restricted"), N_("daily"), N_("weekly"), N_("monthly"),
         N_("quarterly"), N_("yearly"), N_("business"), N_("calendar"), N_("primary"),
         N_("secondary"), N_("needed"), N_("included"), N_("missing"), N_("provider"),
         N_("client"), N_("error"), N_("warning"), N_("info"), N_("volume"), N_("share"),
         N_("attainment"), N_("availability"), N_("response"), N_("resolution"), N_("cost"),
         N_("charge"), N_("credits"), N_("turnaround"), N_("trend"))


def humanise(name: str) -> str:
    """An id with no name in the schema as a reader sees it: `weekend-rota` -> `Weekend rota`."""
    words = " ".join(w for w in name.replace("_", "-").split("-") if w)
    return words[:1].upper() + words[1:] if words else name


def _word(kind: str, value: str) -> Token:
    return Token(PHRASES.get(kind, {}).get(value, value))


def _pct(value: Decimal | Percent | None) -> Pct | None:
    if isinstance(value, Percent):
        value = value.value
    return None if value is None else Pct(value)


def _per(value: Period | None) -> Per | None:
    return Per(value) if value else None


def term_end(charter: Charter) -> date:
    """Last day of the term (`Charter.term` ends the day after it)."""
    return charter.term[1] - timedelta(days=1)


def next_review(charter: Charter) -> date | None:
    """When the baseline is due for review: `reviewed` + `every`, when both are known."""
    return charter.baseline.next_review if charter.baseline else None


def _tier(charter: Charter, facts: Facts, tier: Tier) -> dict[str, object]:
    names = {f.id: named(f) for f in charter.features}
    price = tier.price_or_default
    return {
        "id": tier.id, "name": named(tier),
        "features": [names.get(f, f) for f in tier.features],
        "hours": _tier_hours(charter, tier),
        "maintenance": _maintenance(charter, tier),
        "price": {"per_unit": Money(price.per_unit_or_default.value),
                  "fixed": Money(price.fixed_or_default.value),
                  "indexation": Pct(price.indexation_or_default.value),
                  "stated": tier.price is not None},
        "prices": [{"year": facts.label(y), "per_unit": Money(facts.price(tier.id, y)[0]),
                    "fixed": Money(facts.price(tier.id, y)[1])} for y in facts.years],
        "credits": None if tier.credits is None else {
            "bands": [{"below": Pct(b.below.value), "credit": Pct(b.credit.value)}
                      for b in tier.credits.bands],
            "cap": _pct(tier.credits.cap)},
        "clients": _clients_by_tier(charter).get(tier.id, []),
    }


_LAST_GROUPING: list[tuple[Charter, dict[str, list[str]]]] = []


def _clients_by_tier(charter: Charter) -> dict[str, list[str]]:
    """Tier id -> its clients' names, in charter order; grouped once per charter, not once per
    agreement (every agreement shows its tier, and a tier lists its clients)."""
    if _LAST_GROUPING and _LAST_GROUPING[0][0] is charter:
        return _LAST_GROUPING[0][1]
    grouped: dict[str, list[str]] = {}
    for client in charter.clients:
        grouped.setdefault(client.tier, []).append(client.name)
    _LAST_GROUPING[:] = [(charter, grouped)]
    return grouped


def _source(name: str | None) -> object:
    """A `measured_by` source as a reader sees it: a known name (translated) or humanised."""
    if name is None:
        return None
    from .clauses import SOURCES, source_name
    return Token(SOURCES[name.strip().lower()]) if name.strip().lower() in SOURCES \
        else source_name(name)


def _objective_rows(charter: Charter, tiers: list[Tier]) -> list[dict[str, object]]:
    """Rows of the tiers x objectives table; one cell per tier (None: not promised). Targets
    are spelled on their clock (`1 business hour`, `15 minutes`); sources by name."""
    from .clauses import WINDOWS

    def row(label: str, cells: Sequence[object], detail: str | None = None) -> dict[str, object]:
        return {"label": Token(label), "detail": detail, "cells": cells}

    rows: list[dict[str, object]] = []
    avail = [t.objectives.availability for t in tiers]
    if any(avail):
        rows.append(row(N_("Availability"), [_pct(o.target) if o else None for o in avail]))
        rows.append(row(N_("Availability measured over"),
                        [Token(WINDOWS[o.window_or_default]) if o else None for o in avail]))
        rows.append(row(N_("Availability measured by"),
                        [_source(o.measured_by) if o else None for o in avail]))
    for kind, label in (("response", N_("Response")), ("resolution", N_("Resolution"))):
        objs: list[Objective | None] = [getattr(t.objectives, kind) for t in tiers]
        if not any(objs):
            continue
        for p in charter.priorities:
            rows.append(row(label, [Target(o.priority_targets[p], o.clock_or_default)
                                    if o and p in o.priority_targets else None
                                    for o in objs], detail=p))
        rows.append(row(N_("Tickets within target"),
                        [_pct(o.attainment_or_default) if o else None for o in objs]))
        rows[-1]["of"] = Token(label)
        rows.append(row(N_("Measured by"), [_source(o.measured_by) if o else None
                                            for o in objs]))
        rows[-1]["of"] = Token(label)
    for r in rows:
        r.setdefault("of", None)
    return rows


# Hours are shown as written, in the zone and with the holidays the model resolved for them.

def _tier_hours(charter: Charter, tier: Tier) -> HoursView:
    return hours_view(tier.hours)


def _maintenance(charter: Charter, tier: Tier) -> HoursView | None:
    return hours_view(tier.maintenance) if tier.maintenance else None


def _needs(charter: Charter, client: Client) -> HoursView | None:
    return hours_view(client.needs_hours) if client.needs_hours else None


def _client(charter: Charter, facts: Facts, client: Client) -> dict[str, object]:
    names = {f.id: named(f) for f in charter.features}
    tier = charter.tier_of(client)
    needs = _needs(charter, client)
    zone = needs.zone if needs else client.zone   # where the client reads its hours
    written = _tier_hours(charter, tier)
    maintenance = _maintenance(charter, tier)
    rows = []
    for y in facts.years:
        cy = facts.table[client.id][y - 1]
        primary = facts.primary[y - 1]
        rows.append({
            "year": facts.label(y), "units": Units(cy.units), "per_unit": Money(cy.per_unit),
            "fixed": Money(cy.fixed), "charge": Money(cy.charge),
            "share": Rate(cy.rate) if cy.rate is not None else _pct(cy.share),
            "cost": Money(facts.total_cost[y - 1]),
            "role": Token("primary" if primary == client.id else "secondary"),
            "over_budget": client.budget is not None and cy.charge > client.budget.value})
    own_reporting = client.reporting.to if client.reporting else None
    return {
        "id": client.id, "name": client.name, "tier_id": client.tier, "tier": named(tier),
        "share_stated": _pct(client.share), "share_derived": _pct(facts.derived_share[client.id]),
        "years": rows,
        "total": Money(sum((facts.table[client.id][y - 1].charge for y in facts.years),
                           Decimal(0))),
        "budget": Money(client.budget.value) if client.budget is not None else None,
        "zone": zone,
        "needs_hours": needs,
        "needs_features": [names.get(f, f) for f in client.needs_features],
        "features": [names.get(f, f) for f in tier.features],
        "hours_written": written, "hours_local": shifted(written, zone, charter.term),
        "maintenance_local": shifted(maintenance, zone, charter.term) if maintenance else None,
        "regions": list(client.regions or ()),
        "data": {"classification": Token(client.classification) if client.classification else None,
                 "personal": client.personal, "regimes": list(client.regimes),
                 "stated": client.data is not None and _stated(client.data)},
        "reporting": {"cadence": Token(charter.report_cadence(client)),
                      "to": list(charter.report_recipients(client)), "own": bool(own_reporting)},
        "signatory": {"name": client.signatory.name, "role": client.signatory.role}
        if client.signatory else None,
    }


def _stated(data: Data) -> bool:
    """Whether a client's `data` block says anything (an empty block states nothing)."""
    return any(v is not None for v in (data.classification, data.personal, data.regimes))


def _matrix(charter: Charter) -> dict[str, object]:
    """Client x feature: included by the tier and/or needed by the client."""
    rows = []
    for client in charter.clients:
        tier = charter.tier_of(client)
        cells = []
        for feature in charter.features:
            included = feature.id in tier.features
            needed = feature.id in client.needs_features
            cells.append(Token("needed") if included and needed else
                         Token("included") if included else
                         Token("missing") if needed else None)
        rows.append({"client": client.name, "tier": named(tier), "cells": cells})
    return {"features": [named(f) for f in charter.features], "rows": rows}


def _security(charter: Charter) -> dict[str, object]:
    sec = charter.security
    return {
        "classification": Token(sec.classification), "isolation": _word("isolation", sec.isolation),
        "residency": list(sec.residency), "controls": list(sec.controls),
        "breach_notification": Dur(sec.breach_notification) if sec.breach_notification else None,
        "subprocessors": None if sec.subprocessors is None else
        [{"name": s.name, "country": s.country} for s in sec.subprocessors],
        "transfers": _word("transfers", sec.transfers),
        "retention": Per(sec.retention) if sec.retention else None,
        "exit_return": _per(sec.exit.return_within) if sec.exit else None,
        "exit_delete": _per(sec.exit.delete_within) if sec.exit else None,
    }


def _common(s: Subject) -> dict[str, object]:
    c, f = s.charter, s.facts
    meta, business = c.metadata, c.business
    cap, recovery = business.cap, business.recovery_or_default
    governance, reporting = c.governance_or_default, c.reporting_or_default
    signatories = [{"name": x.name, "role": x.role, "party": Token(x.party_or_default)}
                   for x in meta.signatories]
    return {
        "id": meta.id, "title": meta.title, "version": meta.version, "status": Token(meta.status),
        "owner": meta.owner, "sha256": s.sha256,
        "canonical_file": canonical_name(meta.id), "today": s.today, "file": s.file,
        "provider": {"name": c.provider.name, "timezone": c.provider.timezone,
                     "holidays": c.provider.holidays_or_default},
        "period": {"start": c.period.start, "end": term_end(c),
                   "years": c.period.years_or_default, "labels": [f.label(y) for y in f.years]},
        "baseline": {"reviewed": c.baseline.reviewed if c.baseline else None,
                     "every": Per(c.baseline.every_or_default) if c.baseline else None,
                     "next": next_review(c)},
        "business": {"stance": _word("stance", business.stance),
                     "charging": _word("charging", business.charging),
                     "unit": business.unit,
                     "currency": business.currency,
                     "cap_units": Units(cap.units.value) if cap and cap.units else None,
                     "cap_cost": Money(cap.cost.value) if cap and cap.cost else None,
                     "recovery_target": Pct(recovery.target_or_default.value),
                     "recovery_tolerance": Pct(recovery.tolerance_or_default.value)},
        "priorities": list(c.priorities),
        "governance": {"threshold": Pct(governance.primary_threshold_or_default.value),
                       "approval": _word("approval", governance.approval_or_default),
                       "notice": Dur(governance.change_notice_or_default)},
        "reporting": {"cadence": Token(reporting.cadence_or_default),
                      "metrics": [Token(m) for m in reporting.metrics or ()],
                      "to": list(reporting.to or ())},
        "security": _security(c),
        "signatories": signatories,
        "notes": [{"rule": d.rule, "severity": Token(d.severity.value) if d.severity else None,
                   "message": d.message,
                   "line": d.line, "column": d.column} for d in s.notes],
    }


def charter_view(s: Subject) -> dict[str, object]:
    """Everything the whole-charter document shows."""
    c, f = s.charter, s.facts
    view = _common(s)
    clients = [s.client_view(client) for client in c.clients]
    view.update({
        "features": [{"id": x.id, "name": named(x),
                      "tiers": [named(t) for t in c.tiers if x.id in t.features]}
                     for x in c.features],
        "tiers": [_tier(c, f, t) for t in c.tiers],
        "objective_rows": _objective_rows(c, list(c.tiers)),
        "clients": clients,
        "matrix": _matrix(c),
        "costs": [{"id": x.id, "name": humanise(x.id),
                   "feature": next((named(f) for f in c.features if f.id == x.feature),
                                   x.feature),
                   "growth": Pct(x.growth_or_default.value),
                   "amounts": [Money(a) for a in f.cost_items[x.id]]} for x in c.costs],
        "years": [{"year": f.label(y), "units": Units(f.total_units[y - 1]),
                   "charges": Money(f.total_charges[y - 1]), "costs": Money(f.total_cost[y - 1]),
                   "recovery": _pct(f.recovery[y - 1]),
                   "primary": next((x.name for x in c.clients if x.id == f.primary[y - 1]), None)}
                  for y in f.years],
        "term_charges": Money(sum(f.total_charges, Decimal(0))),
        "changes": [{"version": x.version, "date": x.date, "summary": x.summary}
                    for x in c.metadata.changes],
        "client_signatories": [{"client": x["name"], "signatory": x["signatory"]}
                               for x in clients],
    })
    view["localised_names"] = _any_label(c)
    view["contract"] = _contract(c, f, None, view)
    return view


def agreement_view(s: Subject, client: Client) -> dict[str, object]:
    """What one client's agreement shows: its tier, hours, objectives, charges, terms."""
    c, f = s.charter, s.facts
    view = _common(s)
    tier = c.tier_of(client)
    from ..export.confidential import WITHHELD, portfolio
    clients = portfolio(c.source)
    # the agreement's PDF carries the charter as this client reads it: the hash printed is
    # of that file (render/pdf.py), which names no other client
    view["sha256"] = hashlib.sha256(clients.canonical_json(client.id)).hexdigest()
    own_tier = _tier(c, f, tier)
    own_tier["clients"] = [client.name]   # a client sees no other client (spec 8.2)
    view.update({
        "client": s.client_view(client),
        "tier": own_tier,
        "objective_rows": _objective_rows(c, [tier]),
        "changes": [{"version": x.version, "date": x.date,
                     "summary": Token(WITHHELD) if clients.names_other(x.summary, client.id)
                     else x.summary}
                    for x in c.metadata.changes],
        "signatories": [x for x in view["signatories"]  # type: ignore[attr-defined]
                        if x["party"].text == "provider"],
    })
    view["localised_names"] = _any_label(c)
    view["contract"] = _contract(c, f, client, view)
    return view


def _contract(charter: Charter, facts: Facts, client: Client | None,
              view: dict[str, object]) -> Contract:
    """The contract the clauses of `view` are written from. It holds a copy of the view
    (its values shared), not the view itself: a view holding its contract holding the view
    is a cycle, which only the collector frees, walking every container of every view."""
    return Contract(charter, facts, client, dict(view))


def _any_label(charter: Charter) -> bool:
    """Whether a feature or tier name is written per language (the view is then localised
    for each language it is rendered in)."""
    return any(f.label is not None for f in charter.features) or \
        any(t.label is not None for t in charter.tiers)
