"""The numbered clauses of a contract (spec section 8), written as sentences in one language.

A client agreement and the whole-charter document share these clauses: 1 Parties and term,
2 Definitions, 3 Services, 4 Service levels, 5 Exclusions, 6 Service credits, 7 Charges,
8 Client obligations, 9 Reporting, 10 Escalation and disputes, 11 Changes, 12 Data
protection, 13 Termination and exit, 14 Order of precedence. For an agreement they speak of
its client and its tier; for the charter (no client) of every client and every tier.

The sentences are composed here, once for Markdown and HTML, from translated pieces: each
`_()` is a msgid of the catalogues, filled with values the document's `Language` formats
(amounts, dates, durations on their clock, periods). The templates print each clause's
paragraphs and place the tables a reader compares figures in (service levels, credits,
charges) by the clause's `key`. Values are plain text here; the template's environment
escapes them for its format.

Names, not ids: features, tiers and clients are shown by name; a `measured_by` source,
which has no name in the schema, is shown by a known name (`itsm`, `status-page`, ...) or
humanised (hyphens and underscores read as spaces, words of at most four letters without
a vowel or known acronyms in capitals): docs/outputs.md.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..model.charter import Charter, Feature, Objective, Text, Tier
from ..model.values import Percent, quantize
from .view import N_, Contract, Dur, Money, Pct, Per, Units

if TYPE_CHECKING:
    from .filters import Language

__all__ = ["Clause", "Contract", "Para", "annex", "build", "missing_texts", "source_name"]


@dataclass
class Para:
    text: str
    items: list[str] = field(default_factory=list)
    # a table the paragraph introduces: header cells, then rows (plain text, escaped later)
    table: tuple[list[str], list[list[str]]] | None = None


@dataclass
class Clause:
    number: int
    key: str
    title: str
    paras: list[Para]


# A measurement source with a known name (spec: measured_by has no name of its own).
SOURCES = {
    "itsm": N_("the IT service management tool"),
    "status-page": N_("the status page"),
    "monitoring": N_("the monitoring system"),
}
BRANDS = {"service-now": "ServiceNow", "servicenow": "ServiceNow", "jira": "Jira"}
_ACRONYMS = frozenset({"erp", "crm", "itsm", "hr", "it", "apm", "sla", "api"})

WINDOWS = {"daily": N_("each day"), "weekly": N_("each week"),
           "monthly": N_("each calendar month"), "quarterly": N_("each calendar quarter"),
           "yearly": N_("each calendar year")}
CADENCES = {"weekly": N_("every week"), "monthly": N_("every month"),
            "quarterly": N_("every quarter"), "yearly": N_("every year")}
EXCLUSIONS = {
    "maintenance": N_("planned maintenance inside a maintenance window (clause 2);"),
    "client-caused": N_("an act or omission of the client or its users, or a breach of the "
                        "client's obligations (clause 8);"),
    "force-majeure": N_("an event beyond the provider's reasonable control (force majeure);"),
    "third-party": N_("a failure of a network, software or service of a third party that the "
                      "provider does not control, other than its sub-processors."),
}
TITLES = (
    ("parties", N_("Parties and term")), ("definitions", N_("Definitions")),
    ("services", N_("Services")), ("levels", N_("Service levels")),
    ("exclusions", N_("Exclusions")), ("credits", N_("Service credits")),
    ("charges", N_("Charges")), ("obligations", N_("Client obligations")),
    ("reporting", N_("Reporting")), ("escalation", N_("Escalation and disputes")),
    ("changes", N_("Changes")), ("data", N_("Data protection")),
    ("exit", N_("Termination and exit")), ("precedence", N_("Order of precedence")),
    # spec section 8.2: numbering continues after 14
    ("invoicing", N_("Invoicing and payment")), ("liability", N_("Liability")),
    ("law", N_("Governing law and jurisdiction")), ("notices", N_("Notices")),
    ("confidentiality", N_("Confidentiality")), ("entire", N_("Entire agreement")),
    ("severability", N_("Severability")),
    ("counterparts", N_("Counterparts and electronic signature")),
)
# Windows of a year: the divisor of the credit base (spec section 8.2).
WINDOWS_PER_YEAR = {"daily": 365, "weekly": 52, "monthly": 12, "quarterly": 4, "yearly": 1}
# Words of the data clauses that a language writes its own way (French: RGPD, UE).
REGIMES = {"GDPR": N_("GDPR"), "UK-GDPR": N_("UK GDPR"), "EU": N_("EU"), "EEA": N_("EEA"),
           "UK": N_("UK")}
INVOICED = {"monthly": N_("every month"), "quarterly": N_("every quarter"),
            "yearly": N_("once a year")}
TRUE_UP = {"quarterly": N_("at the end of each quarter"),
           "yearly": N_("at the end of each year")}
OBJECTIVE_NAMES = {"availability": N_("availability"), "response": N_("response"),
                   "resolution": N_("resolution")}
# The first cell of a credit table's head, by objective.
CREDIT_HEADS = {"availability": N_("Availability below"),
                "response": N_("Tickets responded to within target below"),
                "resolution": N_("Tickets resolved within target below")}


def source_name(source: str, gettext: Any = None) -> str:
    """A `measured_by` id as a reader sees it (`itsm` -> the IT service management tool)."""
    key = source.strip().lower()
    if key in BRANDS:
        return BRANDS[key]
    known = SOURCES.get(key)
    if known is not None:
        return gettext(known) if gettext else known
    words = re.split(r"[-_\s]+", source.strip())
    return " ".join(w.upper() if w.lower() in _ACRONYMS else w for w in words if w) or source


def _text(value: Text, lang: str) -> str:
    return value.in_language(lang)[0]


def _texts(charter: Charter) -> Iterator[Text]:
    terms = charter.terms
    if terms is None:
        return
    yield from terms.client_obligations or ()
    yield from (e.role for e in terms.escalation or ())
    if terms.disputes is not None:
        yield terms.disputes


def missing_texts(charter: Charter, lang: str) -> list[str]:
    """Build-log lines for free texts of `terms` that lack `lang` (the first entry is shown)."""
    out = []
    for text in _texts(charter):
        _, found = text.in_language(lang)
        if not found and isinstance(text.value, Mapping):
            first = next(iter(text.value))
            out.append(f"{text.pointer[1:].replace('/', '.')} has no {lang!r} text: "
                       f"the {first!r} text is shown")
    return out


# Forms of the party that `_Writer.party` and `to_party` translate.
PARTIES = (N_("the client"), N_("each client"), N_("to the client"), N_("to each client"))


class _Writer:
    def __init__(self, contract: Contract, language: Language) -> None:
        self.c = contract
        self.charter = contract.charter
        self.facts = contract.facts
        self.client = contract.client
        self.view = contract.view
        self.lang = language
        self.terms = self.charter.terms_or_default
        self.tiers: list[Tier] = ([self.charter.tier_of(self.client)] if self.client
                                  else list(self.charter.tiers))
        # who the sentences speak of: the client, or each client (and its dative form)
        self.party = language.gettext(PARTIES[0] if self.client else PARTIES[1])
        self.to_party = language.gettext(PARTIES[2] if self.client else PARTIES[3])
        self._parties = {"party": self.party, "to_party": self.to_party}

    # -- helpers -----------------------------------------------------------------------
    def _(self, message: str, **values: object) -> str:
        """`message` translated and filled. Every sentence may also name the party it speaks
        of as `%(party)s` or, in languages that decline it, `%(to_party)s` (French "au
        client"), so a translation can use the form its grammar needs."""
        text = self.lang.gettext(message)
        if "%" not in text:
            return text
        return text % ({**self._parties, **values} if values else self._parties)

    def f(self, value: object) -> str:
        return self.lang.fmt(value)

    def spelled(self, value: Dur) -> str:
        return self.lang.spelled(value.value, value.clock)

    def named(self, item: Feature | Tier) -> str:
        """A feature's or tier's name in this language: its text for the language when it is
        written per language (spec 8.2), else its name."""
        if item.label is not None:
            return item.label.in_language(self.lang.lang)[0]
        return item.name

    def regimes(self, values: Iterable[str]) -> str:
        """Regimes, regions and controls as the language writes them (French: RGPD, UE)."""
        return ", ".join(self._(REGIMES[v]) if v in REGIMES else v for v in values)

    def names(self, values: list[str]) -> str:
        return self.lang.fmt(values)

    # -- clauses -----------------------------------------------------------------------
    def clauses(self) -> list[Clause]:
        out = []
        for number, (key, title) in enumerate(TITLES, start=1):
            paras = [p if isinstance(p, Para) else Para(p) for p in getattr(self, key)()]
            out.append(Clause(number, key, self._(title), paras))
        return out

    def parties(self) -> Iterator[str | Para]:
        c, terms = self.charter, self.terms
        provider, title = c.provider.name, c.metadata.title
        if self.client:
            tier = self.tiers[0]
            yield self._("This agreement is made between %(provider)s (the provider) and "
                         "%(client)s (the client) for the service %(service)s, at the service "
                         "level %(tier)s.", provider=provider, client=self.client.name,
                         service=title, tier=self.named(tier))
        else:
            yield self._("This charter is made between %(provider)s (the provider) and each "
                         "client named in the table below (the clients) for the service "
                         "%(service)s; each client's agreement applies these clauses to it.",
                         provider=provider, service=title)
        start = terms.effective_or_default(c.period)
        yield self._("It takes effect on %(effective)s and runs until %(end)s.",
                     effective=self.f(start), end=self.f(self.view["period"]["end"]))
        if terms.renewal_or_default == "auto":
            yield self._("At the end of the term it is renewed for the same term, unless "
                         "either party has given notice of termination.")
        else:
            yield self._("It ends at the end of the term unless the parties sign a new "
                         "agreement.")
        yield self._("Either party may end it by written notice to the other given at least "
                     "%(notice)s in advance.",
                     notice=self.f(Per(terms.termination_notice_or_default)))

    def definitions(self) -> Iterator[str | Para]:
        for tier in self.tiers:
            hours = self.lang.hours(_hours(tier))
            prefix = self._("For the service level %(tier)s, ", tier=self.named(tier))
            if tier.is_24x7:
                yield prefix + self._("business hours and business days are every hour of "
                                      "every day: support runs 24 hours a day, 7 days a "
                                      "week.")
            else:
                yield prefix + self._("a business day is a day on which the support hours "
                                      "are open, and business hours are those hours: "
                                      "%(hours)s.", hours=hours)
        if self.client:
            local = self.view["client"]["hours_local"]
            yield self._("In the client's time zone (%(zone)s) the support hours are: "
                         "%(hours)s.", zone=self.view["client"]["zone"], hours=self.f(local))
        kinds = {o.kind for t in self.tiers for o in t.objectives}
        if "response" in kinds:
            yield self._("A response is the first reply of the provider's staff to a ticket, "
                         "other than an automatic acknowledgement; the response time runs "
                         "from the opening of the ticket.")
        if "resolution" in kinds:
            yield self._("A resolution is the restoration of the service or the fulfilment "
                         "of the request; the resolution time runs from the opening of the "
                         "ticket.")
        clocks = {o.clock_or_default for t in self.tiers for o in t.objectives
                  if o.kind != "availability"}
        if "business" in clocks:
            yield self._("A target in business hours or business days counts only time "
                         "inside business hours; N business days means by the close of the "
                         "N-th business day after the day the ticket is opened.")
        if "calendar" in clocks:
            yield self._("A target in hours or days without the word business counts all "
                         "time, nights, weekends and holidays included.")
        if "availability" in kinds:
            yield self._("Availability is the share of the minutes of the measurement window "
                         "during which the service is usable; downtime is any other minute, "
                         "except a minute of planned maintenance inside a maintenance "
                         "window.")
        for tier in self.tiers:
            windows = tier.maintenance
            name = self.named(tier)
            if windows is not None:
                local = self.view["client"]["maintenance_local"] if self.client else None
                text = self.lang.hours(local or _hours_of(windows), False)
                yield self._("The maintenance windows of the service level %(tier)s are: "
                             "%(windows)s.", tier=name, windows=text)
            elif "availability" in kinds:
                yield self._("The service level %(tier)s has no maintenance window: every "
                             "minute counts towards availability.", tier=name)
        if any(t.credits for t in self.tiers):
            yield self._("A service credit is a reduction of the charge for a measurement "
                         "window, owed when a service level in that window falls below a "
                         "threshold of clause 6.")
        defined = [p for p in self.charter.priority_defs if p.name or p.means]
        if defined:
            items = []
            for p in defined:
                label = p.id if p.name is None else f"{p.id} ({_text(p.name, self.lang.lang)})"
                items.append(f"{label}: {_text(p.means, self.lang.lang)}" if p.means
                             else label)
            yield Para(self._("The priorities of tickets, the most urgent first, are:"), items)

    def services(self) -> Iterator[str | Para]:
        names = {f.id: self.named(f) for f in self.charter.features}
        for tier in self.tiers:
            yield self._("The service level %(tier)s includes: %(features)s.",
                         tier=self.named(tier),
                         features=self.names([names.get(f, f) for f in tier.features]))
        if self.client:
            tier = self.tiers[0]
            missing = [names.get(f, f) for f in self.client.needs_features
                       if f not in tier.features]
            if missing:
                yield self._("The client stated that it needs %(features)s, which the service "
                             "level %(tier)s does not include: they are not part of this "
                             "agreement.", features=self.names(missing), tier=self.named(tier))
            elif self.client.needs_features:
                yield self._("Every feature the client stated that it needs is included.")
            needs = self.view["client"]["needs_hours"]
            if needs is not None:
                yield self._("The client stated that it needs support during: %(hours)s.",
                             hours=self.f(needs))
        yield self._("Tickets are classed by priority, the most urgent first: "
                     "%(priorities)s.", priorities=", ".join(self.charter.priorities))

    def levels(self) -> Iterator[str | Para]:
        cadence = (self.charter.report_cadence(self.client) if self.client
                   else self.charter.reporting_or_default.cadence_or_default)
        said = False
        for tier in self.tiers:
            sentences = self._sentences(tier, cadence)
            if not sentences:
                continue
            said = True
            if self.client:
                yield from sentences
            else:
                yield Para(self._("In the service level %(tier)s:", tier=self.named(tier)),
                           sentences)
        if said:
            yield self._("The table below sets out the same objectives.")
        else:
            yield self._("No service level objective is set.")

    def _sentences(self, tier: Tier, cadence: str) -> list[str]:
        """`_objective_sentences`, written once per tier and cadence for the agreements of
        a charter (they read nothing of the client but its cadence: clients of one tier
        share them)."""
        memo = self.lang.memo(self.charter)
        key = ("objectives", tier.id, cadence, self.party)
        sentences = memo.get(key)
        if sentences is None:
            sentences = memo[key] = list(self._objective_sentences(tier, cadence))
        return list(sentences)

    def _objective_sentences(self, tier: Tier, cadence: str) -> Iterator[str]:
        o = tier.objectives.availability
        if o is not None and o.target is not None:
            text = self._("The service is available at least %(target)s of the time in "
                          "%(window)s", target=self.f(Pct(o.target.value)),
                          window=self._(WINDOWS[o.window_or_default]))
            yield self._measured(text, o)
        for kind in ("response", "resolution"):
            objective: Objective | None = getattr(tier.objectives, kind)
            if objective is None:
                continue
            attainment = objective.attainment_or_default.value
            for priority in self.charter.priorities:
                target = objective.priority_targets.get(priority)
                if target is None:
                    continue
                if attainment >= 100:
                    tickets = self._("every %(priority)s ticket (100%%)", priority=priority)
                else:
                    tickets = self._("at least %(attainment)s of %(priority)s tickets",
                                     attainment=self.f(Pct(attainment)), priority=priority)
                verb = (N_("The provider responds to %(tickets)s within %(target)s")
                        if kind == "response" else
                        N_("The provider resolves %(tickets)s within %(target)s"))
                text = self._(verb, tickets=tickets,
                              target=self.spelled(Dur(target, objective.clock_or_default)))
                if attainment < 100:
                    text += self._(", counted over %(window)s", window=self._(WINDOWS[cadence]))
                yield self._measured(text, objective)

    def _measured(self, text: str, objective: Objective) -> str:
        if objective.measured_by:
            return self._("%(sentence)s, as measured by %(source)s.", sentence=text,
                          source=source_name(objective.measured_by, self.lang.gettext))
        return self._("%(sentence)s.", sentence=text)

    def exclusions(self) -> Iterator[str | Para]:
        chosen = self.terms.exclusions_or_default
        if not chosen:
            yield self._("No exclusion applies: the service levels apply at all times.")
            return
        yield Para(self._("The service levels do not apply to, and no service credit is owed "
                          "for, a failure caused by:"),
                   [self._(EXCLUSIONS[e]) for e in chosen if e in EXCLUSIONS])

    def credits(self) -> Iterator[str | Para]:
        terms = self.terms.credits_or_default
        owed = False
        for tier in self.tiers:
            kinds = self._credited(tier)
            if not kinds:
                yield self._("The service level %(tier)s owes no service credit.",
                             tier=self.named(tier))
                continue
            owed = True
            for kind in kinds:
                yield self._("%(sentence)s.", sentence=self._credit_sentence(tier, kind))
            cap = tier.credits.cap if tier.credits else None
            if cap is not None:
                yield self._("The credits of one window together are capped at %(cap)s of the "
                             "charge for that window.", cap=self.f(Pct(cap.value)))
        if not owed:
            return
        yield from self._credit_base()
        yield self._("To claim a credit, %(party)s writes to %(to)s within %(within)s after "
                     "the end of the window concerned, stating the window, the service level "
                     "missed and the tickets or the outage concerned; a later claim lapses.",
                     party=self.party, to=terms.claim_to or self.charter.metadata.owner,
                     within=self.f(Per(terms.claim_within_or_default)))
        yield self._("The provider answers a claim within %(within)s. A claim it refuses, in "
                     "whole or in part, may be taken through the escalation and dispute "
                     "procedure of clause 10.",
                     within=self.f(Per(terms.answer_within_or_default)))
        if terms.applied_or_default == "refund":
            yield self._("An accepted credit is refunded.")
        else:
            yield self._("An accepted credit is deducted from the next invoice.")
        if terms.remedy_or_default == "sole":
            yield self._("Service credits are the sole and exclusive remedy for a missed "
                         "service level.")
        else:
            yield self._("Service credits do not exclude any other remedy for a missed "
                         "service level.")

    def _credited(self, tier: Tier) -> list[str]:
        """The objectives of `tier` that owe credits: stated, with bands."""
        if tier.credits is None:
            return []
        return [o.kind for o in tier.objectives if tier.credits.bands_of(o.kind)]

    def _credit_sentence(self, tier: Tier, kind: str) -> str:
        if kind == "availability":
            return self._("When availability in a window of the service level %(tier)s falls "
                          "below a threshold of the table, the provider credits %(party)s with "
                          "the credit of the lowest threshold it falls below, as a percentage "
                          "of the charge for that window", tier=self.named(tier),
                          party=self.party)
        if kind == "response":
            return self._("When the share of tickets of the service level %(tier)s responded "
                          "to within target in a window falls below a threshold of the table, "
                          "the provider credits %(party)s with the credit of the lowest "
                          "threshold it falls below, as a percentage of the charge for that "
                          "window", tier=self.named(tier), party=self.party)
        return self._("When the share of tickets of the service level %(tier)s resolved "
                      "within target in a window falls below a threshold of the table, the "
                      "provider credits %(party)s with the credit of the lowest threshold it "
                      "falls below, as a percentage of the charge for that window",
                      tier=self.named(tier), party=self.party)

    def _window(self, tier: Tier) -> str:
        """The window credits of `tier` are counted over, for the worked figure: the
        availability window, else the reporting cadence."""
        avail = tier.objectives.availability
        if avail is not None and tier.credits is not None and tier.credits.bands:
            return avail.window_or_default
        return (self.charter.report_cadence(self.client) if self.client
                else self.charter.reporting_or_default.cadence_or_default)

    def _credit_base(self) -> Iterator[str | Para]:
        """What "the charge for that window" is (spec 8.2), with this client's figure and
        the credit tables computed on it."""
        business = self.charter.business
        if business.charging == "per-unit":
            yield self._("The charge for a window is the units measured in the window times "
                         "the price per unit in force, plus the fixed fee of the year divided "
                         "by the number of windows in the year (12 for a month, 4 for a "
                         "quarter).")
        else:
            yield self._("The charge for a window is the charge of the year divided by the "
                         "number of windows in the year (12 for a month, 4 for a quarter).")
        if self.client is None:
            for tier in self.tiers:
                for kind in self._credited(tier):
                    if kind != "availability":
                        yield Para(self._("Credits on %(objective)s in the service level "
                                          "%(tier)s:", objective=self._(OBJECTIVE_NAMES[kind]),
                                          tier=self.named(tier)),
                                   table=self._credit_table(tier, kind, None))
            return
        tier = self.tiers[0]
        window = self._window(tier)
        n = WINDOWS_PER_YEAR[window]
        first = self.facts.table[self.client.id][0]
        year = self.facts.label(1)
        if business.charging == "per-unit":
            units = quantize(first.units / n, 0)
            fixed = self.facts.money(first.fixed / n)
            charge = units * first.per_unit + fixed
            yield self._("For the client, a window of %(year)s (%(window)s) at its forecast "
                         "volume, %(units)s units (%(unit)s), is charged %(units)s × %(price)s "
                         "+ %(fixed)s ÷ %(n)s = %(charge)s.", year=year,
                         window=self._(WINDOWS[window]), units=self.f(Units(units)),
                         unit=business.unit, price=self.f(Money(first.per_unit)),
                         fixed=self.f(Money(first.fixed)), n=n, charge=self.f(Money(charge)))
            if fixed * n != first.fixed:
                yield self._("The fixed fee divided by the windows is rounded to the cent: "
                             "%(part)s.", part=self.f(Money(fixed)))
        else:
            charge = self.facts.money(first.charge / n)
            yield self._("For the client, a window of %(year)s (%(window)s) is charged "
                         "%(charge_year)s ÷ %(n)s = %(charge)s, rounded to the cent.",
                         year=year, window=self._(WINDOWS[window]),
                         charge_year=self.f(Money(first.charge)), n=n,
                         charge=self.f(Money(charge)))
        for kind in self._credited(tier):
            yield Para(self._("Credits on %(objective)s, and what they amount to on that "
                              "charge:", objective=self._(OBJECTIVE_NAMES[kind])),
                       table=self._credit_table(tier, kind, charge))

    def _credit_table(self, tier: Tier, kind: str,
                      charge: Decimal | None) -> tuple[list[str], list[list[str]]]:
        """A credit table: threshold, credit and, on a window's `charge`, its amount; the
        cap last."""
        assert tier.credits is not None
        head = [self._(CREDIT_HEADS[kind]), self._("Credit")]
        if charge is not None:
            head.append(self._("Credit on a charge of %(charge)s",
                               charge=self.f(Money(charge))))

        def row(label: str, credit: Decimal) -> list[str]:
            cells = [label, self.f(Pct(credit))]
            if charge is not None:
                cells.append(self.f(Money(self.facts.money(credit * charge / 100))))
            return cells

        rows = [row(self.f(Pct(b.below.value)), b.credit.value)
                for b in tier.credits.bands_of(kind)]
        if tier.credits.cap is not None:
            rows.append(row(self._("Cap"), tier.credits.cap.value))
        return head, rows

    def charges(self) -> Iterator[str | Para]:
        business = self.charter.business
        currency = business.currency
        if business.charging == "share":
            yield self._("For each year of the term, %(party)s pays its share of the "
                         "provider's cost for that year. Amounts are in %(currency)s.",
                         party=self.party, currency=currency)
            yield from self._share_basis()
            yield self._("The provider's cost of each year, rounded to the cent, is divided "
                         "among the clients by their shares: each charge is the share times "
                         "that cost rounded down to the cent, and the cents left over go one "
                         "each to the largest remainders, so that the charges add up to the "
                         "cost exactly. The table prints each share with as many decimals as "
                         "needed for the share times the cost, rounded to the nearest cent, to "
                         "give the charge.")
        elif business.charging == "fixed":
            yield self._("For each year of the term, %(party)s pays the fixed fee of its "
                         "service level for that year. Amounts are in %(currency)s.",
                         party=self.party, currency=currency)
        else:
            yield self._("For each year of the term, %(party)s pays the price per unit of that "
                         "year for each %(unit)s it uses, plus the fixed fee of that year. "
                         "Amounts are in %(currency)s.", party=self.party,
                         unit=business.unit, currency=currency)
            yield self._("The table shows the charge for the forecast units of each year; "
                         "each charge is the units times the price per unit plus the fixed "
                         "fee.")
        if business.charging != "share":
            for tier in self.tiers:
                price = tier.price_or_default
                if price.indexation_or_default.value:
                    yield self._("The prices of the service level %(tier)s are indexed by "
                                 "%(indexation)s a year.", tier=self.named(tier),
                                 indexation=self.f(Pct(price.indexation_or_default.value)))
        facts = self.facts
        first, last = facts.label(facts.years[0]), facts.label(facts.years[-1])
        if self.client:
            total = sum((r.charge for r in facts.table[self.client.id]), Decimal(0))
        else:
            total = sum(facts.total_charges, Decimal(0))
        yield self._("Over the term, from %(first)s to %(last)s, the charges amount to "
                     "%(total)s.", first=first, last=last, total=self.f(Money(total)))
        if self.client and self.client.budget is not None:
            yield self._("The client's yearly budget is %(budget)s.",
                         budget=self.f(Money(self.client.budget.value)))

    def _share_basis(self) -> Iterator[str | Para]:
        """Where a `share` client's share comes from (spec 8.2: the basis beside the share)."""
        facts, unit = self.facts, self.charter.business.unit
        first = facts.label(facts.years[0])
        later = self._("In later years each share follows the client's volume growth, and the "
                       "shares are taken again so that they add up to 100%%.")
        if self.client is None:
            yield self._("Each client's share is the share stated for it or, where none is "
                         "stated, its forecast units over the forecast units of all clients "
                         "in %(year)s.", year=first) + " " + later
            return
        if self.client.share is not None:
            yield self._("The client's share is the share stated for it: %(share)s in "
                         "%(year)s.", share=self.f(Pct(self.client.share.value)),
                         year=first) + " " + later
            return
        units = self.client.units
        if units is None:
            return
        total = sum((c.units.value for c in self.charter.clients if c.units is not None),
                    Decimal(0))
        yield self._("The client's share is its forecast units over the forecast units of all "
                     "clients: in %(year)s, %(units)s of %(total)s %(unit)s.", year=first,
                     units=self.f(Units(units.value)), total=self.f(Units(total)),
                     unit=unit) + " " + later

    def obligations(self) -> Iterator[str | Para]:
        items = [_text(t, self.lang.lang) for t in self.terms.client_obligations_or_default]
        if items:
            yield Para(self._("Beyond paying the charges of clause 7, %(party)s shall:",
                              party=self.party), items)
        else:
            yield self._("Beyond paying the charges of clause 7, %(party)s has no specific "
                         "obligation under this agreement.", party=self.party)

    def reporting(self) -> Iterator[str | Para]:
        metrics = [self.f(m) for m in self.view["reporting"]["metrics"]]
        if self.client:
            cadence = self.charter.report_cadence(self.client)
            to = list(self.charter.report_recipients(self.client))
        else:
            cadence = self.charter.reporting_or_default.cadence_or_default
            to = list(self.charter.reporting_or_default.to or ())
        text = self._("The provider sends %(party)s a service report %(cadence)s",
                      party=self.party, cadence=self._(CADENCES[cadence]))
        if to:
            text += self._(", addressed to %(recipients)s", recipients=", ".join(to))
        yield self._("%(sentence)s.", sentence=text)
        if metrics:
            yield self._("The report shows: %(metrics)s.", metrics=", ".join(metrics))
        if not self.client:
            yield self._("A client may name its own cadence and recipients (table below).")

    def escalation(self) -> Iterator[str | Para]:
        levels = self.terms.escalation_or_default
        if levels:
            items = []
            for e in levels:
                text = self._("Level %(level)s: %(role)s", level=e.level,
                              role=_text(e.role, self.lang.lang))
                if e.contact:
                    text += f" ({e.contact})"
                if e.within is not None:
                    text += self._(", who responds within %(within)s",
                                   within=self.spelled(Dur(e.within)))
                items.append(self._("%(sentence)s.", sentence=text))
            yield Para(self._("An issue that the support process does not settle is "
                              "escalated in this order:"), items)
        else:
            yield self._("An issue that the support process does not settle is escalated to "
                         "the owner of the charter, %(owner)s.", owner=self.charter.metadata.owner)
        disputes = self.terms.disputes_or_default
        if isinstance(disputes.value, str) and disputes.value == "steering-committee":
            yield self._("A dispute that escalation does not settle is referred to a steering "
                         "committee of the provider and its clients.")
        else:
            yield self._("Where escalation does not settle a dispute, the parties have agreed "
                         "the following. %(text)s", text=_text(disputes, self.lang.lang))

    def changes(self) -> Iterator[str | Para]:
        governance = self.charter.governance_or_default
        yield self._("The provider gives %(party)s written notice, at least %(notice)s in "
                     "advance, of a change that lowers a service level, removes a feature, "
                     "reduces the support hours or raises the charges.", party=self.party,
                     notice=self.spelled(Dur(governance.change_notice_or_default)))
        yield self._("Changes to the charter are approved by %(approval)s.",
                     approval=self.f(self.view["governance"]["approval"]))
        if self.client:
            years = [self.facts.label(y) for y in self.facts.years
                     if self.facts.primary[y - 1] == self.client.id]
            if years:
                yield self._("The client is the primary client, which steers the service, in "
                             "%(years)s.", years=", ".join(years))
            else:
                yield self._("The client is a secondary client in every year of the term.")

    def data(self) -> Iterator[str | Para]:
        sec, view = self.charter.security, self.view["security"]
        if self.client:
            data = self.view["client"]["data"]
            if data["classification"] is not None:
                yield self._("The client's data is classified %(classification)s.",
                             classification=self.f(data["classification"]))
            if data["personal"]:
                text = self._("It includes personal data")
                if data["regimes"]:
                    text += self._(", under %(regimes)s", regimes=self.regimes(data["regimes"]))
                yield self._("%(sentence)s.", sentence=text)
            elif data["stated"]:
                yield self._("It includes no personal data.")
        yield self._("The provider stores and processes client data only in these regions: "
                     "%(residency)s.", residency=self.regimes(sec.residency))
        if sec.isolation == "none":
            yield self._("The clients' data is not isolated from one another.")
        else:
            yield self._("The clients' data is kept apart by %(isolation)s.",
                         isolation=self.f(view["isolation"]))
        if sec.controls:
            yield self._("The provider applies %(controls)s.", controls=self.regimes(sec.controls))
        if sec.transfers == "none":
            yield self._("No client data leaves these regions.")
        else:
            yield self._("Client data leaves these regions only under %(transfers)s.",
                         transfers=self.f(view["transfers"]))
        if sec.breach_notification is not None:
            yield self._("The provider notifies %(party)s of a breach of its data within "
                         "%(within)s of becoming aware of it.", party=self.party,
                         within=self.spelled(Dur(sec.breach_notification)))
        if sec.retention is not None:
            yield self._("Client data is kept for %(retention)s after use.",
                         retention=self.f(Per(sec.retention)))
        if sec.subprocessors:
            yield self._("The provider uses the sub-processors of the table below.")
        elif sec.subprocessors is not None:
            yield self._("The provider uses no sub-processor.")

    def exit(self) -> Iterator[str | Para]:
        sec = self.charter.security.exit
        back = sec.return_within if sec else None
        gone = sec.delete_within if sec else None
        if back is not None:
            yield self._("On termination or expiry, the provider returns %(whose)s data within "
                         "%(within)s.", whose=self._("the client's") if self.client
                         else self._("each client's"), within=self.f(Per(back)))
        else:
            yield self._("On termination or expiry, the provider returns %(whose)s data on "
                         "request.", whose=self._("the client's") if self.client
                         else self._("each client's"))
        if gone is not None:
            yield self._("It deletes that data, with every copy, within %(within)s.",
                         within=self.f(Per(gone)))
        yield self._("Termination does not affect charges and credits owed for the time "
                     "before it.")

    def precedence(self) -> Iterator[str | Para]:
        m = self.charter.metadata
        yield self._("Each client agreement is made under the service charter %(title)s, "
                     "version %(version)s. Where they differ, the client agreement prevails, "
                     "then the charter.", title=m.title, version=m.version)

    # -- clauses 15 to 22 (spec section 8.2) ------------------------------------------------
    def invoicing(self) -> Iterator[str | Para]:
        invoicing = self.terms.invoicing_or_default
        yield self._("The provider invoices the charges of each year in equal parts, "
                     "%(every)s.", every=self._(INVOICED[invoicing.every_or_default]))
        yield self._("Each invoice is payable within %(days)s days of its date.",
                     days=invoicing.payment_days_or_default)
        if self.charter.business.charging != "per-unit":
            yield self._("The charges do not depend on the units measured: no true-up "
                         "applies.")
        elif invoicing.true_up_or_default == "none":
            yield self._("The invoices are based on the forecast units and no true-up is "
                         "made: the forecast units are charged whatever the units measured.")
        else:
            yield self._("The invoices are based on the forecast units; %(when)s, the provider "
                         "compares them with the units measured and invoices or credits the "
                         "difference at the price per unit in force.",
                         when=self._(TRUE_UP[invoicing.true_up_or_default]))

    def liability(self) -> Iterator[str | Para]:
        cap = self.terms.liability_cap
        if cap is None:
            yield self._("No cap on either party's liability under this agreement is agreed.")
        elif isinstance(cap, Percent):
            yield self._("Each party's total liability under this agreement in a year is "
                         "capped at %(cap)s of the charges of that year, save where the law "
                         "does not allow liability to be limited.",
                         cap=self.f(Pct(cap.value)))
        else:
            yield self._("Each party's total liability under this agreement in a year is "
                         "capped at %(cap)s, save where the law does not allow liability to "
                         "be limited.", cap=self.f(Money(cap.value)))
        if cap is not None:
            yield self._("Service credits count towards this cap.")

    def law(self) -> Iterator[str | Para]:
        law, courts = self.terms.law, self.terms.jurisdiction
        if law is None:
            yield self._("This agreement is an internal agreement between entities of the same "
                         "group. No governing law or court is agreed: a dispute ends with the "
                         "procedure of clause 10.")
            return
        yield self._("This agreement is governed by the law of %(law)s.",
                     law=_text(law, self.lang.lang))
        if courts is not None:
            yield self._("A dispute that the procedure of clause 10 does not settle is "
                         "submitted to the exclusive jurisdiction of %(courts)s.",
                         courts=_text(courts, self.lang.lang))
        else:
            yield self._("No court is agreed: a dispute that the procedure of clause 10 does "
                         "not settle goes to the courts competent under that law.")

    def notices(self) -> Iterator[str | Para]:
        provider = self.terms.notices_to or self.charter.metadata.owner
        yield self._("Notices under this agreement (termination, changes, claims, disputes) "
                     "are given in writing, by e-mail or by letter, and take effect on "
                     "receipt.")
        if self.client:
            to = list(self.charter.report_recipients(self.client))
            if to:
                yield self._("Notices to the provider are sent to %(provider)s; notices to "
                             "the client to %(client)s.", provider=provider,
                             client=", ".join(to))
                return
            yield self._("Notices to the provider are sent to %(provider)s; notices to the "
                         "client to the address of its signatory.", provider=provider)
            return
        yield self._("Notices to the provider are sent to %(provider)s; notices to a client to "
                     "the recipients of its reports.", provider=provider)

    def confidentiality(self) -> Iterator[str | Para]:
        yield self._("Each party keeps confidential the information it receives from the "
                     "other under this agreement, and uses it only to perform the agreement, "
                     "during its term and for five years after it ends. This does not apply "
                     "to information that is public, or that a party must disclose by law.")
        if self.client:
            yield self._("The provider does not disclose to the client the figures of its "
                         "other clients, nor the client's figures to them.")

    def entire(self) -> Iterator[str | Para]:
        yield self._("This agreement, with the charter it applies (clause 14) and its "
                     "annexes, is the entire agreement of the parties on its subject and "
                     "replaces any earlier agreement on it.")

    def severability(self) -> Iterator[str | Para]:
        yield self._("If a clause is held invalid or unenforceable, the other clauses remain "
                     "in force, and the parties replace it with a valid clause as close as "
                     "possible to its purpose.")

    def counterparts(self) -> Iterator[str | Para]:
        yield self._("This agreement is signed in two originals, one for each party. It may "
                     "also be signed electronically (an advanced or qualified electronic "
                     "signature within the meaning of Regulation (EU) No 910/2014); each "
                     "signed copy is an original, and together they form one agreement.")

    # -- the data processing annex (spec section 8.2) ---------------------------------------
    def annex(self) -> Clause | None:
        """GDPR Art. 28(3) annex of an agreement whose client has personal data."""
        client = self.client
        if client is None or not client.personal:
            return None
        sec, view = self.charter.security, self.view["security"]
        names = {f.id: self.named(f) for f in self.charter.features}
        tier = self.tiers[0]
        paras: list[str | Para] = [
            self._("Subject and duration. The provider processes personal data on behalf of "
                   "the client, as the client's processor, to provide the service %(service)s, "
                   "for the term of this agreement and until the data is returned or deleted "
                   "as set out below.", service=self.charter.metadata.title),
            self._("Nature and purpose. The processing consists of the operations the "
                   "service needs (%(features)s): collection, recording, storage, consultation, "
                   "use and transmission within the service; its sole purpose is to provide "
                   "the service to the client.",
                   features=self.names([names.get(f, f) for f in tier.features])),
        ]
        if client.regimes:
            paras.append(self._("Categories. Personal data of the client's staff, contacts and "
                                "other persons whose data the client entrusts to the service, "
                                "under %(regimes)s.", regimes=self.regimes(client.regimes)))
        else:
            paras.append(self._("Categories. Personal data of the client's staff, contacts and "
                                "other persons whose data the client entrusts to the "
                                "service."))
        paras += [
            self._("Instructions. The provider processes the data only on the client's "
                   "documented instructions, including as regards transfers, unless the law "
                   "requires otherwise, in which case it informs the client first."),
            self._("Confidentiality. The persons the provider authorises to process the data "
                   "are bound by confidentiality."),
        ]
        security = self._("Security. The provider takes the measures of Article 32 of the "
                          "GDPR")
        if sec.controls:
            security += self._(", including %(controls)s", controls=self.regimes(sec.controls))
        if sec.isolation != "none":
            security += self._("; the client's data is kept apart from other clients' data by "
                               "%(isolation)s", isolation=self.f(view["isolation"]))
        paras.append(self._("%(sentence)s.", sentence=security))
        if sec.subprocessors:
            subs = [f"{x.name} ({x.country})" for x in sec.subprocessors]
            paras.append(self._("Sub-processors. The client authorises the sub-processors "
                                "%(subprocessors)s; the provider engages no other without the "
                                "client's prior written authorisation and imposes on each the "
                                "obligations of this annex.", subprocessors=", ".join(subs)))
        else:
            paras.append(self._("Sub-processors. The provider engages no sub-processor without "
                                "the client's prior written authorisation."))
        if sec.transfers == "none":
            paras.append(self._("Transfers. No data is transferred outside the regions of "
                                "clause 12 (%(regions)s).",
                                regions=self.regimes(sec.residency)))
        else:
            paras.append(self._("Transfers. Data is transferred outside the regions of clause "
                                "12 (%(regions)s) only under %(transfers)s.",
                                regions=self.regimes(sec.residency),
                                transfers=self.f(view["transfers"])))
        paras.append(self._("Assistance. The provider assists the client in answering "
                            "requests from data subjects and in meeting its obligations under "
                            "Articles 32 to 36 of the GDPR."))
        if sec.breach_notification is not None:
            paras.append(self._("Breaches. The provider notifies the client of a personal data "
                                "breach without undue delay and at the latest %(within)s after "
                                "becoming aware of it.",
                                within=self.spelled(Dur(sec.breach_notification))))
        else:
            paras.append(self._("Breaches. The provider notifies the client of a personal data "
                                "breach without undue delay after becoming aware of it."))
        exit_ = sec.exit
        if exit_ is not None and (exit_.return_within or exit_.delete_within):
            paras.append(self._("End of the processing. At the end of the agreement the "
                                "provider returns the data within %(back)s and deletes it, "
                                "with every copy, within %(gone)s, unless the law requires it "
                                "to be kept.",
                                back=self.f(Per(exit_.return_within)) if exit_.return_within
                                else self._("a reasonable time"),
                                gone=self.f(Per(exit_.delete_within)) if exit_.delete_within
                                else self._("a reasonable time")))
        else:
            paras.append(self._("End of the processing. At the end of the agreement the "
                                "provider returns or deletes the data, at the client's choice, "
                                "unless the law requires it to be kept."))
        paras.append(self._("Audits. The provider makes available to the client the "
                            "information needed to demonstrate compliance with this annex, and "
                            "allows for and contributes to audits, including inspections, by "
                            "the client or an auditor it mandates."))
        return Clause(0, "annex", self._("Annex: processing of personal data (Article 28(3) "
                                         "of the GDPR)"),
                      [p if isinstance(p, Para) else Para(p) for p in paras])


def _hours(tier: Tier) -> Any:
    from .hours import hours_view
    return hours_view(tier.hours)


def _hours_of(hours: Any) -> Any:
    from .hours import hours_view
    return hours_view(hours)


def build(contract: Contract, language: Language) -> list[Clause]:
    """The clauses of `contract` in `language` (spec sections 8 and 8.2)."""
    return _Writer(contract, language).clauses()


def annex(contract: Contract, language: Language) -> Clause | None:
    """The data processing annex of an agreement whose client has personal data, else None."""
    return _Writer(contract, language).annex()
