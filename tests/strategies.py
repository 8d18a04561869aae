"""Hypothesis strategies for canonical charter documents (spec section 3).

`charters()` draws documents as the YAML loader would return them: plain dicts and
lists, strings for dates, times, percents and durations, ints or floats for money
and units. Every document is valid against `schemas/charter.schema.json` and its
references resolve (tiers name existing features, clients existing tiers and
features, objectives existing priorities, costs existing features, suppressions
rules of the catalogue), so a property test starts past S201/R301/R302. They are *not* meant
to be clean under the rule catalogue: budgets, shares and hours are drawn freely.

`per_unit_charters()` narrows to per-unit charging without fixed fees, every tier
priced and every client with a volume, for properties of the projection
(charges, recovery). The smaller strategies (`percents`, `durations`, `schedules`,
`ids`, ...) are exported for tests of one value syntax.

Sizes are bounded (1-4 tiers, 1-6 clients, short lists) so that an example takes
milliseconds to draw.
"""
from __future__ import annotations

from datetime import date
from functools import cache

from hypothesis import strategies as st

__all__ = [
    "HOLIDAY_CODES",
    "SPEC_RULES",
    "TIMEZONES",
    "charters",
    "dates",
    "days",
    "durations",
    "emails",
    "holidays",
    "hours",
    "ids",
    "money",
    "objectives",
    "per_unit_charters",
    "percents",
    "periods",
    "registered_rules",
    "schedule_entries",
    "schedules",
    "signed_percents",
    "texts",
    "times",
    "units",
]

# The rule catalogue of spec section 6 (what `metadata.suppress` may name).
SPEC_RULES = [
    "P101", "P102", "P103", "P104", "P105", "P106", "S201", "R301", "R302",
    "C401", "C402", "C403", "C404", "C405", "C406", "C407", "C408", "C409", "C410",
    "V501", "V502", "V503", "V504", "V505", "V506", "T601", "T602", "T603", "T604", "T605",
    "G701", "G702", "G703", "G704", "G705", "G706", "D801", "D802", "D803", "D804", "D805", "D806",
    "G707", "G708", "M901", "M902",
]



@cache
def registered_rules() -> tuple[str, ...]:
    """The spec rules charterc's catalogue knows (all of SPEC_RULES once every check
    is written): what a suppression may name without R301."""
    try:
        from charterc.diagnostics.rules import RULES
    except ImportError:
        return tuple(SPEC_RULES)
    return tuple(rule for rule in SPEC_RULES if rule in RULES) or tuple(SPEC_RULES)


# Real zones and calendars only, so V505 stays quiet on generated documents.
TIMEZONES = ("Europe/Paris", "Europe/London", "Europe/Berlin", "America/New_York",
             "America/Los_Angeles", "Asia/Tokyo", "Australia/Sydney", "UTC", "Asia/Kolkata")
HOLIDAY_CODES = ("FR", "DE", "GB", "US", "US-NY", "US-CA", "ES", "JP", "none")
COUNTRIES = ("FR", "DE", "GB", "US", "ES", "JP", "CH", "IE", "NL", "IN")
REGIONS = ("EU", "EEA", "ADEQUATE", *COUNTRIES)
TOKENS = ("GDPR", "UK-GDPR", "SOX", "HIPAA", "ISO27001", "SOC2", "PCI-DSS")
CLASSIFICATIONS = ("public", "internal", "confidential", "restricted")
CADENCES = ("weekly", "monthly", "quarterly", "yearly")
METRICS = ("volume", "share", "attainment", "availability", "response", "resolution",
           "cost", "charge", "credits", "turnaround", "trend")
WINDOWS = ("daily", "weekly", "monthly", "quarterly", "yearly")
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PRIORITY_SETS = (("P1", "P2", "P3", "P4"), ("P1", "P2", "P3"), ("P1",),
                 ("SEV1", "SEV2"), ("Critical", "High", "Normal", "Low"),
                 ("P1", "P2", "P3", "P4", "P5"))

_LOWER = "abcdefghijklmnopqrstuvwxyz"


# -- values ---------------------------------------------------------------------------

@cache
def ids(max_size: int = 12) -> st.SearchStrategy[str]:
    """`^[a-z][a-z0-9-]{0,62}$`, kept short (ids show up in every message)."""
    return st.builds(lambda head, tail: head + tail,
                     st.sampled_from(_LOWER),
                     st.text(_LOWER + "0123456789-", max_size=max_size - 1))


@cache
def texts() -> st.SearchStrategy[str]:
    """Free text with a visible character: names, titles, summaries, reasons."""
    words = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüß0123456789&'.-",
                    min_size=1, max_size=10)
    return st.lists(words, min_size=1, max_size=4).map(" ".join)


@cache
def emails() -> st.SearchStrategy[str]:
    return ids(8).map(lambda name: f"{name}@example.com")


def _number(value: float, places: int) -> str:
    text = f"{value:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@cache
def percents(min_value: float = 0, max_value: float = 100, places: int = 2
             ) -> st.SearchStrategy[str]:
    """`"99.95%"`: a non-negative percent string between the bounds (both inclusive)."""
    scale = 10 ** places
    return st.integers(round(min_value * scale), round(max_value * scale)).map(
        lambda n: _number(n / scale, places) + "%")


@cache
def signed_percents(bound: float = 20) -> st.SearchStrategy[str]:
    """`"3%"`, `"-2%"`, `"1.5%"`: a yearly rate for `growth` and `indexation`."""
    return st.integers(round(-bound * 10), round(bound * 10)).map(
        lambda n: _number(n / 10, 1) + "%")


@cache
def durations(business: bool = False, max_days: int = 30) -> st.SearchStrategy[str]:
    """`15m`, `4h`, `2d`, `1w`, `1h30m`: never zero; no weeks on a business clock."""
    weeks = st.just(0) if business else st.integers(0, 2)

    def fmt(parts):
        w, d, h, m = parts
        text = "".join(f"{n}{u}" for n, u in ((w, "w"), (d, "d"), (h, "h"), (m, "m")) if n)
        return text or "1h"
    return st.tuples(weeks, st.integers(0, max_days), st.integers(0, 23),
                     st.sampled_from((0, 0, 15, 30, 45, 5))).map(fmt)


@cache
def periods() -> st.SearchStrategy[str]:
    """Calendar periods for `baseline.every`, `retention`, `exit`: `12mo`, `1y`, `90d`."""
    return st.one_of(st.integers(1, 36).map(lambda n: f"{n}mo"),
                     st.integers(1, 10).map(lambda n: f"{n}y"),
                     st.integers(1, 400).map(lambda n: f"{n}d"),
                     st.integers(1, 8).map(lambda n: f"{n}w"))


@cache
def dates(min_value: date = date(2020, 1, 1), max_value: date = date(2032, 12, 31)
          ) -> st.SearchStrategy[str]:
    return st.dates(min_value, max_value).map(date.isoformat)


@cache
def times(allow_24: bool = True) -> st.SearchStrategy[str]:
    """`"HH:MM"`, mostly on the quarter hour, and `"24:00"`."""
    clock = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23),
                      st.one_of(st.sampled_from((0, 15, 30, 45)), st.integers(0, 59)))
    return st.one_of(clock, st.just("24:00")) if allow_24 else clock


@cache
def days() -> st.SearchStrategy[str]:
    """`mon-fri`, `sat`, `mon,wed,fri`, `fri-mon` (wrapping), `daily`."""
    day = st.sampled_from(DAY_NAMES)
    span = st.one_of(day, st.builds(lambda a, b: f"{a}-{b}", day, day).filter(
        lambda s: s[:3] != s[4:]))
    return st.one_of(st.just("daily"), st.just("mon-fri"), span,
                     st.lists(span, min_size=2, max_size=3).map(",".join))


@cache
def schedule_entries() -> st.SearchStrategy[dict]:
    """`{days, from, to}`; an end before the start runs past midnight."""
    return st.builds(lambda d, a, b: {"days": d, "from": a, "to": b},
                     days(), times(allow_24=False), times()).filter(
        lambda e: e["from"] != e["to"])


@cache
def schedules(max_size: int = 3) -> st.SearchStrategy[list]:
    return st.lists(schedule_entries(), min_size=1, max_size=max_size)


@cache
def holidays() -> st.SearchStrategy:
    """A code (`FR`, `US-NY`), `none`, or `{country, extra, remove}`."""
    some_dates = st.lists(dates(date(2025, 1, 1), date(2030, 12, 31)), max_size=3)
    calendar = st.fixed_dictionaries(
        {"country": st.sampled_from(COUNTRIES)},
        optional={"extra": some_dates, "remove": some_dates})
    return st.one_of(st.sampled_from(HOLIDAY_CODES), calendar)


@cache
def hours() -> st.SearchStrategy:
    """`24x7` or `{schedule, timezone?, holidays?}`."""
    schedule = st.fixed_dictionaries(
        {"schedule": schedules()},
        optional={"timezone": st.sampled_from(TIMEZONES), "holidays": holidays()})
    return st.one_of(st.just("24x7"), schedule)


@cache
def money(max_value: int = 5_000_000, min_value: int = 0) -> st.SearchStrategy:
    """An amount: an int, or a float with cents (`35.5`), at least `min_value`."""
    return st.one_of(st.integers(min_value, max_value),
                     st.integers(min_value * 100, max_value * 100).map(lambda c: round(c / 100, 2)))


@cache
def units(min_value: int = 0, max_value: int = 200_000) -> st.SearchStrategy:
    return st.one_of(st.integers(min_value, max_value),
                     st.integers(min_value * 10, max_value * 10).map(lambda n: n / 10))


# Drawing helpers. Building a strategy costs far more than drawing from it, so the
# strategies used inside the composites below are built once and cached.

@cache
def _one_in(n: int) -> st.SearchStrategy[bool]:
    return st.integers(0, n - 1).map(lambda k: k == 0)


@cache
def _choice(options: tuple) -> st.SearchStrategy:
    return st.sampled_from(options)


def _chance(draw, n: int = 2) -> bool:
    """True one time in `n`."""
    return draw(_one_in(n))


def _pick(draw, options):
    return draw(_choice(tuple(options)))


def _subset(draw, options, min_size: int = 0) -> list:
    """A sub-list of `options` in their order (one integer draw: shrinks to the first ones)."""
    options = tuple(options)
    low = (1 << min_size) - 1 if min_size else 0
    mask = draw(st.integers(low, (1 << len(options)) - 1)) if options else 0
    chosen = [o for i, o in enumerate(options) if mask >> i & 1]
    return chosen if len(chosen) >= min_size else list(options[:min_size])


# Most names and ids come from small pools of realistic words (two choices to draw
# instead of one per character); the free-form strategies still appear, one in four.
_NAME_POOL = ("Group Finance", "Human Resources", "Standard", "Premium", "Gold", "Legal",
              "Incident management", "Service requests", "Weekend support", "Acme Hosting",
              "Jane Doe", "Head of IT", "Month-end close", "Zürich Büro", "Jean-Luc O'Neil",
              "R&D", "yes", "null", "Service 24/7", "Payables: invoices")
_ID_POOL = ("incident", "requests", "weekend", "standard", "premium", "gold", "finance",
            "hr", "legal", "staff", "tooling", "weekend-rota", "payables", "close", "p1",
            "eu-west", "a", "x-1", "team-42", "no", "on", "null")


@cache
def _names() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(_NAME_POOL), st.sampled_from(_NAME_POOL),
                     st.sampled_from(_NAME_POOL), texts())


@cache
def _id_lists(min_size: int, max_size: int) -> st.SearchStrategy[list]:
    element = st.one_of(st.sampled_from(_ID_POOL), st.sampled_from(_ID_POOL),
                        st.sampled_from(_ID_POOL), ids())
    return st.lists(element, unique=True, min_size=min_size, max_size=max_size)


def _maybe(draw, target: dict, key: str, strategy, present: bool | None = None) -> None:
    """Set `target[key]` from `strategy` when `present`, or when a coin says so (None)."""
    if _chance(draw) if present is None else present:
        target[key] = draw(strategy)


# -- blocks ---------------------------------------------------------------------------

@st.composite
def objectives(draw, priorities=("P1", "P2", "P3", "P4"), twenty_four_seven: bool = True):
    """`{availability?, response?, resolution?}`; targets keyed by the given priorities.

    A `calendar` clock is drawn only when the tier's hours are 24x7 (as V503 wants);
    under a business clock durations have no weeks (the schema's rule). Now and then
    an objective or a priority key is missing: T601 judges that, the schema does not.
    """
    result: dict = {}
    if not _chance(draw, 10):
        availability = {"target": draw(percents(90, 100, 3))}
        _maybe(draw, availability, "window", _choice(WINDOWS))
        _maybe(draw, availability, "measured_by", ids())
        result["availability"] = availability
    for kind in ("response", "resolution"):
        if _chance(draw, 8):
            continue
        clock = _pick(draw, ("calendar", "business")) if twenty_four_seven else "business"
        objective: dict = {}
        if clock == "calendar" or _chance(draw):
            objective["clock"] = clock
        keys = _subset(draw, priorities) if _chance(draw, 6) else priorities
        for priority in keys:
            objective[priority] = draw(durations(business=clock == "business"))
        _maybe(draw, objective, "attainment", percents(50, 100, 1))
        _maybe(draw, objective, "measured_by", ids())
        result[kind] = objective
    return result


def _tier(draw, tier_id, feature_ids, priorities, fixed_fees: bool, priced: bool) -> dict:
    tier_hours = draw(hours())
    tier = {
        "id": tier_id,
        "name": draw(_names()),
        "features": _subset(draw, feature_ids, min_size=1),
        "hours": tier_hours,
        "objectives": draw(objectives(tuple(priorities), tier_hours == "24x7")),
    }
    if _chance(draw, 4):
        maintenance = {"schedule": draw(schedules(2))}
        _maybe(draw, maintenance, "timezone", _choice(TIMEZONES))
        tier["maintenance"] = maintenance
    if priced or not _chance(draw, 5):
        price: dict = {}
        _maybe(draw, price, "per_unit", money(500, min_value=1 if priced else 0),
               present=True if priced else None)
        if fixed_fees:
            _maybe(draw, price, "fixed", money(200_000))
        _maybe(draw, price, "indexation", signed_percents(5))
        tier["price"] = price
    if _chance(draw):
        bands = draw(_BANDS)
        credits: dict = {"bands": [{"below": b, "credit": c} for b, c in bands]}
        _maybe(draw, credits, "cap", percents(0, 100, 0))
        tier["credits"] = credits
    return tier


_BANDS = st.lists(st.tuples(percents(80, 100, 2), percents(0, 100, 0)), min_size=1, max_size=3)
_EMAILS = st.lists(emails(), min_size=1, max_size=2)


def _feature(draw, feature_id: str) -> dict:
    feature: dict = {"id": feature_id}
    _maybe(draw, feature, "name", _names())
    if _chance(draw, 4):   # other spellings in ITSM exports (spec section 9.2)
        feature["aliases"] = draw(st.lists(_names(), max_size=3))
    return feature


def _client(draw, client_id, tier_ids, feature_ids, share, volume_required: bool) -> dict:
    client = {"id": client_id, "name": draw(_names()), "tier": _pick(draw, tier_ids)}
    if _chance(draw, 4):   # other spellings in ITSM exports (spec section 9.2)
        client["aliases"] = draw(st.lists(_names(), max_size=3))
    if share is not None:
        client["share"] = share
    if volume_required or not _chance(draw, 5):
        volume = {"units": draw(units(1 if volume_required else 0))}
        _maybe(draw, volume, "growth", signed_percents(15))
        client["volume"] = volume
    _maybe(draw, client, "budget", money())
    if _chance(draw):
        needs: dict = {}
        _maybe(draw, needs, "hours", hours())
        if _chance(draw):
            needs["features"] = _subset(draw, feature_ids)
        client["needs"] = needs
    if _chance(draw):
        client["regions"] = _subset(draw, REGIONS, min_size=1)[:3]
    if _chance(draw):
        data: dict = {}
        _maybe(draw, data, "classification", _choice(CLASSIFICATIONS))
        _maybe(draw, data, "personal", st.booleans())
        if _chance(draw):
            data["regimes"] = _subset(draw, TOKENS)[:3]
        client["data"] = data
    if _chance(draw, 3):
        reporting: dict = {}
        _maybe(draw, reporting, "cadence", _choice(CADENCES))
        _maybe(draw, reporting, "to", _EMAILS)
        client["reporting"] = reporting
    if _chance(draw, 4):
        client["signatory"] = {"name": draw(_names()), "role": draw(_names())}
    if _chance(draw, 4):
        client["timezone"] = _pick(draw, TIMEZONES)
    return client


def _shares(draw, count: int) -> list[str | None]:
    """No shares, shares summing to exactly 100%, or a free-for-all (some stated)."""
    mode = _pick(draw, ("none", "exact", "free"))
    if mode == "none":
        return [None] * count
    if mode == "exact":
        weights = [draw(_WEIGHT) for _ in range(count)]
        cents = [w * 10000 // sum(weights) for w in weights]
        cents[0] += 10000 - sum(cents)   # hundredths of a percent, summing to 100.00
        return [_number(c / 100, 2) + "%" for c in cents]
    return [draw(percents(0, 100, 1)) if _chance(draw) else None for _ in range(count)]


_WEIGHT = st.integers(1, 100)
_VERSION = st.tuples(st.integers(0, 12), st.integers(0, 12), st.integers(0, 12)).map(
    lambda v: "{}.{}.{}".format(*v))


def _ids(draw, max_size: int, min_size: int = 1) -> list[str]:
    return draw(_id_lists(min_size, max_size))


@st.composite
def charters(draw, *, charging: str | None = None, fixed_fees: bool = True,
             priced: bool = False, require_volumes: bool = False,
             require_costs: bool = False, rule_ids=None, max_tiers: int = 4,
             max_clients: int = 6) -> dict:
    """A schema-valid canonical charter document with resolvable references.

    Keyword arguments narrow the draw: `charging` fixes `business.charging`;
    `fixed_fees=False` leaves `price.fixed` out; `priced` gives every tier a
    positive `per_unit` price; `require_volumes` gives every client units >= 1;
    `require_costs` makes the first cost positive; `rule_ids` are the rules
    `metadata.suppress` may name (default: `registered_rules()`).
    """
    rule_ids = tuple(rule_ids or registered_rules())
    feature_ids = _ids(draw, 5)
    tier_ids = _ids(draw, max_tiers)
    client_ids = _ids(draw, max_clients)
    priorities = list(_pick(draw, PRIORITY_SETS))
    start = draw(st.dates(date(2022, 1, 1), date(2030, 12, 31)))

    metadata: dict = {"id": draw(ids(20)), "title": draw(_names()), "version": draw(_VERSION),
                      "status": _pick(draw, ("draft", "active", "retired")),
                      "owner": draw(emails())}
    if _chance(draw):
        metadata["suppress"] = [{"rule": _pick(draw, rule_ids), "reason": draw(_names())}
                                for _ in range(_pick(draw, (0, 1, 2)))]
    if _chance(draw):
        metadata["changes"] = [{"version": draw(_VERSION), "date": draw(dates()),
                                "summary": draw(_names())} for _ in range(_pick(draw, (1, 2, 3)))]
    if _chance(draw):
        signatories = []
        for _ in range(_pick(draw, (1, 2))):
            signatory = {"name": draw(_names()), "role": draw(_names())}
            _maybe(draw, signatory, "party", _choice(("provider", "client")))
            signatories.append(signatory)
        metadata["signatories"] = signatories

    provider = {"name": draw(_names()), "timezone": _pick(draw, TIMEZONES)}
    _maybe(draw, provider, "holidays", holidays())
    period: dict = {"start": start.isoformat()}
    _maybe(draw, period, "years", _choice((1, 2, 3, 3, 4, 5)))
    if _chance(draw, 4):
        period["end"] = draw(dates(start, date(2040, 12, 31)))
    baseline: dict = {}
    _maybe(draw, baseline, "reviewed", dates())
    _maybe(draw, baseline, "every", periods())

    stance = _pick(draw, ("grow", "cap", "shrink"))
    business: dict = {
        "stance": stance,
        "charging": charging or _pick(draw, ("per-unit", "fixed", "share")),
        "unit": _pick(draw, ("ticket", "transaction", "matter", "request", "hour")),
        "currency": _pick(draw, ("EUR", "GBP", "USD", "CHF", "JPY")),
    }
    if stance == "cap" or _chance(draw, 5):
        business["cap"] = ({"units": draw(units(0, 1_000_000))} if _chance(draw)
                           else {"cost": draw(money(20_000_000))})
    if _chance(draw):
        recovery: dict = {}
        _maybe(draw, recovery, "target", percents(50, 150, 1))
        _maybe(draw, recovery, "tolerance", percents(0, 20, 1))
        business["recovery"] = recovery

    costs = []
    for index, cost_id in enumerate(_ids(draw, 4, min_size=1 if require_costs else 0)):
        positive = require_costs and index == 0
        cost: dict = {"id": cost_id, "amount": draw(money(min_value=1000 if positive else 0))}
        _maybe(draw, cost, "growth", signed_percents(10))
        _maybe(draw, cost, "feature", _choice(tuple(feature_ids)))
        costs.append(cost)
    features = [_feature(draw, feature_id) for feature_id in feature_ids]
    tiers = [_tier(draw, tier_id, feature_ids, priorities, fixed_fees, priced)
             for tier_id in tier_ids]
    shares = _shares(draw, len(client_ids))
    clients = [_client(draw, client_id, tuple(tier_ids), feature_ids, share, require_volumes)
               for client_id, share in zip(client_ids, shares, strict=True)]

    document: dict = {"apiVersion": "charterc/v1", "kind": "Charter", "metadata": metadata,
                      "provider": provider, "period": period}
    if baseline or _chance(draw):
        document["baseline"] = baseline
    document.update({"business": business, "costs": costs, "features": features,
                     "priorities": priorities, "tiers": tiers, "clients": clients})
    if _chance(draw):
        governance: dict = {}
        _maybe(draw, governance, "primary_threshold", percents(30, 100, 0))
        _maybe(draw, governance, "approval", _choice(("primary", "all", "majority", "provider")))
        _maybe(draw, governance, "change_notice", durations())
        document["governance"] = governance
    if _chance(draw):
        reporting: dict = {}
        _maybe(draw, reporting, "cadence", _choice(CADENCES))
        if _chance(draw):
            reporting["metrics"] = _subset(draw, METRICS)[:4]
        _maybe(draw, reporting, "to", _EMAILS)
        document["reporting"] = reporting
    document["security"] = _security(draw)
    if _chance(draw):
        document["terms"] = _terms(draw)
    return document


_LANGS = ("en", "fr", "de", "pt-BR")


def _free_text(draw):
    """A free text of `terms`: a string, or a map of one to three languages."""
    if _chance(draw):
        return draw(texts())
    langs = _subset(draw, _LANGS, min_size=1)[:3]
    return {lang: draw(texts()) for lang in langs}


def _terms(draw) -> dict:
    terms: dict = {}
    _maybe(draw, terms, "effective", dates())
    _maybe(draw, terms, "renewal", _choice(("none", "auto")))
    _maybe(draw, terms, "termination_notice", periods())
    if _chance(draw):
        credits: dict = {}
        _maybe(draw, credits, "claim_within", periods())
        _maybe(draw, credits, "applied", _choice(("next-invoice", "refund")))
        _maybe(draw, credits, "remedy", _choice(("sole", "non-exclusive")))
        terms["credits"] = credits
    if _chance(draw):
        terms["exclusions"] = _subset(
            draw, ("maintenance", "client-caused", "force-majeure", "third-party"))
    if _chance(draw):
        terms["client_obligations"] = [_free_text(draw) for _ in range(_pick(draw, (0, 1, 2)))]
    if _chance(draw):
        levels = []
        for level in range(1, _pick(draw, (1, 2, 3)) + 1):
            entry: dict = {"level": level, "role": _free_text(draw)}
            _maybe(draw, entry, "contact", emails())
            _maybe(draw, entry, "within", durations())
            levels.append(entry)
        terms["escalation"] = levels
    if _chance(draw):
        terms["disputes"] = (_free_text(draw) if _chance(draw) else "steering-committee")
    return terms


def _security(draw) -> dict:
    security: dict = {
        "classification": _pick(draw, CLASSIFICATIONS),
        "isolation": _pick(draw, ("none", "logical", "physical")),
        "residency": _subset(draw, REGIONS, min_size=1)[:3],
        "controls": _subset(draw, TOKENS),
        "transfers": _pick(draw, ("none", "scc", "bcr", "adequacy")),
    }
    _maybe(draw, security, "breach_notification", durations())
    if _chance(draw):
        security["subprocessors"] = [{"name": draw(_names()), "country": _pick(draw, COUNTRIES)}
                                     for _ in range(_pick(draw, (0, 1, 2, 3)))]
    _maybe(draw, security, "retention", periods())
    if _chance(draw):
        exit_terms: dict = {}
        _maybe(draw, exit_terms, "return", periods())
        _maybe(draw, exit_terms, "delete", periods())
        security["exit"] = exit_terms
    return security


def per_unit_charters(**options) -> st.SearchStrategy[dict]:
    """Per-unit charging, no fixed fees, every tier priced, every client with a volume,
    and a positive cost base: charges are units x price and recovery is defined."""
    return charters(charging="per-unit", fixed_fees=False, priced=True,
                    require_volumes=True, require_costs=True, **options)
