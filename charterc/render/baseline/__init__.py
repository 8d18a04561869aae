"""The baseline document as one page a steering committee reads: Markdown or HTML.

First a summary table per client (stated, observed, proposed), then what to discuss
(the findings in sentences), then the charts (HTML only: volume, and the demand outside
each tier's hours as a heat map). The environments, formatting and catalogues are
`charterc build`'s (`charterc.render`), as the report's renderer uses them; the same
document gives the same bytes.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from ...baseline.types import BaselineDocument, ClientBaseline, Finding
from ..formats import templated
from ..i18n import languages
from ..report import report_documents
from ..view import N_, Pct, Units
from .views import BaselineView, CheckView, SummaryRow

if TYPE_CHECKING:
    from ..filters import Language

__all__ = ["charts_unavailable", "render_baseline"]


FINDINGS = {
    "volume": N_("%(client)s: %(annualised)s tickets a year against a forecast of "
                 "%(forecast)s; the data implies a growth of %(implied)s a year (90%% "
                 "interval %(low)s to %(high)s), the charter states %(stated)s."),
    "share": N_("%(client)s: an observed share of %(observed)s against %(stated)s."),
    "role": N_("%(client)s: %(projected)s in the projection, %(observed)s on the observed "
               "shares."),
    "needed-unused": N_("%(client)s needs %(feature)s and opened no ticket for it."),
    "used-not-needed": N_("%(client)s opened %(tickets)s tickets for %(feature)s, which its "
                          "needs do not list."),
    "outside-hours": N_("%(client)s opened %(tickets)s tickets (%(percent)s) outside its "
                        "tier's hours: %(weekday)s on weekdays, %(weekend)s at weekends."),
    "unvalued-cost": N_("Cost %(cost)s (%(amount)s a year) exists for %(feature)s, which no "
                        "client used."),
    "thin": N_("%(client)s: %(tickets)s tickets, fewer than %(thin)s: too few tickets to "
               "judge, left unchanged."),
}
ROLES = {"primary": N_("primary"), "secondary": N_("secondary")}


def charts_unavailable() -> str | None:
    """The warning to print when the HTML cannot carry charts (no matplotlib), else None."""
    from .charts import unavailable
    return unavailable()


def _n(value: float | int | None) -> Units | None:
    return None if value is None else Units(Decimal(str(value)))


def _p(value: float | None) -> Pct | None:
    return None if value is None else Pct(Decimal(str(value)))


def _features(items: list[str] | None) -> str | None:
    return None if items is None else (", ".join(items) or "—")


def _interval(interval: list[float] | None, language: Language) -> str | None:
    """The implied growth's 90% interval: `-0.4% to 6.7%`."""
    if interval is None:
        return None
    _ = language.gettext
    return str(_("%(low)s to %(high)s") % {"low": language.fmt(_p(interval[0])),
                                            "high": language.fmt(_p(interval[1]))})


def _rows(c: ClientBaseline, language: Language) -> list[SummaryRow]:
    """The summary rows of one client: figure, stated, observed, proposed (view values)."""
    _ = language.gettext
    volume, share, features, role = c["volume"], c["share"], c["features"], c["role"]
    used = [f"{f} ({language.number(Decimal(n), 0)})" for f, n in features["used"].items()]
    return [
        {"label": _("Tickets a year"), "stated": _n(volume["forecast"]),
         "observed": _n(volume["annualised"]), "proposed": _n(volume["proposed_units"])},
        {"label": _("Growth a year"), "stated": _p(volume["stated_growth"]),
         "observed": _p(volume["implied_growth"]), "proposed": _p(volume["proposed_growth"])},
        {"label": _("Growth, 90% interval"), "stated": None,
         "observed": _interval(volume["implied_growth_interval"], language), "proposed": None},
        {"label": _("Share"),
         "stated": _p(share["stated"] if share["stated"] is not None else share["projected"]),
         "observed": _p(share["observed"]), "proposed": _p(share["proposed"])},
        {"label": _("Role"), "stated": _(ROLES[role["projected"]]),
         "observed": _(ROLES[role["observed"]]),
         "proposed": _(ROLES[role["observed"]]) if share["proposed"] is not None else None},
        {"label": _("Features"), "stated": _features(features["needed"]),
         "observed": ", ".join(used) if features["measured"] else None,
         "proposed": _features(features["proposed"])},
        {"label": _("Outside the tier's hours"), "stated": None,
         "observed": _p(c["hours"]["outside_percent"]), "proposed": None},
        {"label": _("Median resolution, weekdays / weekends (h)"), "stated": None,
         "observed": " / ".join(language.fmt(_n(t["median_hours"]))
                                for t in (c["turnaround"]["weekday"],
                                          c["turnaround"]["weekend"])),
         "proposed": None},
    ]


def _finding(f: Finding, names: dict[str, str], document: BaselineDocument,
             language: Language) -> str:
    _ = language.gettext
    params: dict[str, str] = {}
    for key, value in f.items():
        if key == "kind":
            continue
        if key == "implied_growth_interval":
            low, high = value if isinstance(value, list) else (None, None)
            params["low"], params["high"] = (language.fmt(_p(low)), language.fmt(_p(high)))
            continue
        if key == "client":
            params[key] = names[str(value)]
        elif key in ("percent", "stated", "observed", "implied_growth", "stated_growth"):
            params[key] = _(ROLES[value]) if isinstance(value, str) else \
                language.fmt(_p(value if isinstance(value, (int, float)) else None))
        elif key == "amount":
            params[key] = language.money(Decimal(str(value)))
        elif isinstance(value, (int, float)):
            params[key] = language.fmt(_n(value))
        else:
            params[key] = str(value)
    if f["kind"] == "volume":
        params["implied"], params["stated"] = params.pop("implied_growth"), \
            params.pop("stated_growth")
    if f["kind"] == "role":
        params["projected"], params["observed"] = _(ROLES[f["projected"]]), \
            _(ROLES[f["observed"]])
    params["thin"] = str(document["thin_below"])
    return str(_(FINDINGS[f["kind"]]) % params)


def _view(document: BaselineDocument, language: Language) -> BaselineView:
    names = {cid: c["name"] for cid, c in document["clients"].items()}
    window = document["window"]
    return {
        "lang": language.lang,
        "charter": document["charter"],
        "window": {"first": date.fromisoformat(window["first"]),
                   "last": date.fromisoformat(window["last"]), "zone": window["zone"],
                   "months": window["months"]},
        "tickets": _n(document["tickets"]), "skipped": _n(document["skipped"]),
        "reviewed": date.fromisoformat(document["proposal"]["reviewed"]),
        "clients": [{"id": cid, "name": c["name"], "tier": c["tier"], "thin": c["thin"],
                     "tickets": _n(c["tickets"]), "rows": _rows(c, language)}
                    for cid, c in document["clients"].items()],
        "judged": sum(1 for c in document["clients"].values() if not c["thin"]),
        "findings": [_finding(f, names, document, language) for f in document["findings"]
                     if f["kind"] != "thin"],
        "thin": [_finding(f, names, document, language) for f in document["findings"]
                 if f["kind"] == "thin"],
        "check": _check(document, language),
        "stale": [str(language.gettext("line %(line)s: %(comment)s") % {
            "line": c["line"], "comment": c["comment"]})
            for c in document["proposal"].get("stale_comments", [])],
        "charts": None, "charts_missing": None,
    }


def _check(document: BaselineDocument, language: Language) -> CheckView | None:
    """The proposal's check in sentences: the findings as `charterc check` words them
    (rule, line, message), and the prices per unit that would restore recovery."""
    check = document["proposal"].get("check")
    if check is None:
        return None
    _ = language.gettext
    currency = document["charter"]["currency"]
    return {
        "checked": check["checked"], "reason": check["reason"],
        "findings": [str(_("%(rule)s (line %(line)s): %(message)s") % {
            "rule": f["rule"], "line": f["line"], "message": f["message"]})
            for f in check["findings"]],
        "restore": [str(_("%(tier)s, %(year)s: a price per unit of %(restores)s instead of "
                          "%(per_unit)s brings recovery from %(recovery)s back to "
                          "%(target)s.") % {
            "tier": r["tier"], "year": r["year"],
            "restores": language.money(Decimal(str(r["restores"])), currency),
            "per_unit": language.money(Decimal(str(r["per_unit"])), currency),
            "recovery": language.fmt(_p(r["recovery"])),
            "target": language.fmt(_p(r["target"]))}) for r in check["restore"]],
    }


def _charts(document: BaselineDocument, language: Language) -> tuple[list[str] | None,
                                                                    str | None]:
    from markupsafe import Markup

    from . import charts
    rows = [(c["name"], _dec(c["volume"]["forecast"]), Decimal(str(c["volume"]["annualised"])),
             _dec(c["volume"]["proposed_units"])) for c in document["clients"].values()]
    try:
        drawn: list[str] = [Markup(charts.volume_chart(rows, language))]
        for cid, c in document["clients"].items():
            if c["hours"]["outside"]:
                drawn.append(Markup(charts.heat_chart(c["name"], cid, c["hours"]["by_hour"],
                                                      c["hours"]["zone"], language)))
        return drawn, None
    except charts.ChartsUnavailable as exc:
        return None, str(exc)


def _dec(value: float | int | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def render_baseline(document: BaselineDocument, *, lang: str, fmt: str) -> str:
    """The baseline page in `lang` as `fmt` ("md" | "html"); ValueError for an unknown one."""
    if fmt not in templated("baseline"):
        raise ValueError(f"unknown format {fmt!r} (one of: {', '.join(templated('baseline'))})")
    if lang not in languages():
        raise ValueError(f"no catalogue for language {lang!r} (one of: {', '.join(languages())})")
    documents = report_documents(document["charter"]["currency"])
    language = documents.language(lang)
    view = _view(document, language)
    if fmt == "html":
        view["charts"], view["charts_missing"] = _charts(document, language)
    return documents.render(fmt, lang, "baseline", view)
