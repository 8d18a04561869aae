"""The client statement (`charterc statement`, spec section 12) as Markdown and HTML.

The statement's document (`charterc.statement.run.build_document`, docs/statement.md) holds
one client's figures only; this module shows it with `charterc build`'s environments
(escaping, catalogues, babel formatting). Amounts are printed each in its own currency:
a service in another currency than the statement's is listed apart, never converted.
`render_statement` is pure: the same document gives the same text.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from . import Documents
from .filters import Language
from .view import N_

__all__ = ["dumps", "render_statement", "statement_view"]

KINDS = {"claim": N_("Service credit claim lapses"), "review": N_("Charter review due"),
         "notice": N_("Last day to give termination notice")}
OBJECTIVES = {"availability": N_("Availability"), "response": N_("Response"),
              "resolution": N_("Resolution")}

_DOCUMENTS: Documents | None = None


def _documents() -> Documents:
    global _DOCUMENTS
    if _DOCUMENTS is None:
        _DOCUMENTS = Documents()
    return _DOCUMENTS


def dumps(document: dict[str, Any]) -> str:
    from .data import dumps as data_dumps
    return data_dumps(document)


def render_statement(document: dict[str, Any], *, lang: str, fmt: str) -> str:
    """The statement in `lang` as `fmt` ("md" | "html")."""
    documents = _documents()
    language = documents.language(lang)
    return documents.render(fmt, lang, "statement", statement_view(document, language))


def _money(language: Language, value: float | None, currency: str) -> str | None:
    return None if value is None else language.money(Decimal(str(value)), currency)


def _pct(language: Language, value: float | None) -> str | None:
    return None if value is None else language.percent(Decimal(str(value)), 3)


def _day(language: Language, value: str) -> str:
    return language.date(date.fromisoformat(value))


def _months(value: float) -> str:
    """3.0 -> "3/12"; a part of a month -> its fraction of twelve, e.g. "1.5/12"."""
    fraction = Fraction(value).limit_denominator(10000)
    whole = f"{fraction.numerator}" if fraction.denominator == 1 else f"{value:g}"
    return f"{whole}/12"


def _objective(language: Language, key: str, entry: dict[str, Any]) -> dict[str, Any]:
    return {"name": language.gettext(OBJECTIVES[key]),
            "met": language.number(Decimal(entry["met"]), 0),
            "total": language.number(Decimal(entry["total"]), 0),
            "pending": language.number(Decimal(entry["pending"]), 0),
            "attainment": _pct(language, entry.get("attainment")),
            "target": _pct(language, entry.get("target"))}


def _service(language: Language, s: dict[str, Any]) -> dict[str, Any]:
    cur = s["currency"]
    projected = s["projected"]
    basis = [language.gettext("%(first)s – %(last)s: %(charge)s × %(months)s") % {
        "first": _day(language, r["from"]), "last": _day(language, r["to"]),
        "charge": language.money(Decimal(str(r["year_charge"])), cur),
        "months": _months(r["months"])} for r in projected["years"]]
    measured = s["measured"]
    view: dict[str, Any] = {
        "id": s["charter"]["id"], "title": s["charter"]["title"],
        "version": s["charter"]["version"], "provider": s["provider"],
        "client": s["client"]["name"], "tier": s["tier"]["name"], "currency": cur,
        "projected": _money(language, projected["charge"], cur), "basis": basis,
        "outside": projected["days_outside_term"],
        "measured": None if measured is None else _money(language, measured["charge"], cur),
        "credit": None if measured is None else _money(language, measured["credit"], cur),
        "reviews": s.get("reviews", []),
        "objectives": [], "windows": [], "tickets": None,
    }
    if measured is not None:
        if measured["tickets"] is not None:
            view["tickets"] = language.number(Decimal(measured["tickets"]), 0)
            view["objectives"] = [_objective(language, k, measured[k])
                                  for k in ("response", "resolution")]
        view["windows"] = [{
            "from": _day(language, w["from"]), "to": _day(language, w["to"]),
            "percent": _pct(language, w["percent"]), "target": _pct(language, w["target"]),
            "credit_percent": _pct(language, w["credit_percent"]),
            "credit": _money(language, w["credit"], cur)} for w in measured["windows"]]
    return view


def _totals(language: Language, t: dict[str, Any]) -> dict[str, Any]:
    cur = t["currency"]
    return {"currency": cur, "charters": t["charters"],
            "projected": _money(language, t["projected"], cur),
            "measured": _money(language, t["measured"], cur),
            "credits": _money(language, t["credits"], cur),
            "claims_open": _money(language, t["claims_open"], cur)}


def statement_view(document: dict[str, Any], language: Language) -> dict[str, Any]:
    """What the templates show, every figure already written in `language`."""
    claims = [{
        "service": c["service"], "charter": c["charter"],
        "objective": language.gettext(OBJECTIVES[c["objective"]]),
        "from": _day(language, c["window"]["from"]), "to": _day(language, c["window"]["to"]),
        "measured": _pct(language, c["measured"]), "target": _pct(language, c["target"]),
        "credit": _money(language, c["credit"], c["currency"]),
        "lapses": _day(language, c["lapses"]), "lapses_iso": c["lapses"],
        "claim_to": c["claim_to"],
        "claim_within": c["claim_within"], "open": c["open"]} for c in document["claims"]]
    events = [{"date": _day(language, e["date"]), "what": language.gettext(KINDS[e["kind"]]),
               "service": e["service"]} for e in document["calendar"]]
    return {
        "client": ", ".join(document["client"]["names"]),
        "period": document["period"]["label"],
        "agreement_year": bool(document["period"].get("agreement_year")),
        "from": _day(language, document["period"]["from"]),
        "to": _day(language, document["period"]["to"]),
        "issued": _day(language, document["issued"]),
        "currency": document["currency"],
        "services": (services := [_service(language, s) for s in document["services"]]),
        "main": [s for s in services if s["currency"] == document["currency"]],
        "apart_services": [s for s in services if s["currency"] != document["currency"]],
        "claims": claims,
        "totals": _totals(language, document["totals"]),
        "apart": [_totals(language, t) for t in document["apart"]],
        "events": events,
    }
