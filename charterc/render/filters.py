"""Template filters: one `fmt` that renders any view value in the document's language.

The view wraps values in small types (`Money`, `Pct`, `Dur`, ...); `fmt`
dispatches on the type, so a template writes `{{ row.charge | fmt }}` and gets
`€1,402,110.00` in English and `1 402 110,00 €` in French. User text passes
through unchanged; the environment escapes it for HTML or Markdown.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from markupsafe import Markup
from markupsafe import escape as escape_html

from ..bounded import remember
from .hours import HoursView
from .i18n import Formatter
from .markdown import MdSafe, escape, md_filter, scrub
from .view import Dur, Money, Pct, Per, Rate, Target, Token, Units

if TYPE_CHECKING:
    from ..model.charter import Text
    from ..model.values import Duration, Period
    from .clauses import Clause, Contract

__all__ = ["Language", "html_finalize", "make_filters"]

DASH = "\u2014"


class Language(Formatter):
    """A formatter that also notes msgids missing from its catalogue (tests assert none)."""

    def __init__(self, lang: str) -> None:
        super().__init__(lang)
        self.missing: set[str] = set()
        catalogue = getattr(self.tr, "_catalog", None)
        self._known: set[object] | None = None if catalogue is None else {
            k[0] if isinstance(k, tuple) else k for k in catalogue}
        self._translated: dict[str, str] = {}
        self._memo: tuple[object, dict[object, Any]] = (None, {})
        # the clauses last written, with their contract: see `clauses`
        self._clauses: tuple[Contract, list[Clause]] | None = None
        self._annex: tuple[Contract, Clause | None] | None = None

    def gettext(self, message: str) -> str:
        # a document asks for the same few hundred messages thousands of times: each
        # known one is looked up once (a missing one is noted every time it is asked for)
        text = self._translated.get(message)
        if text is not None:
            return text
        if self._known is not None and message not in self._known:
            self.missing.add(message)
            return self.tr.gettext(message)
        # bounded: a token may come from a charter
        return remember(self._translated, message, self.tr.gettext(message), 1 << 14)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if self._known is not None and singular not in self._known:
            self.missing.add(singular)
        return self.tr.ngettext(singular, plural, n)

    # -- hours ---------------------------------------------------------------------
    def time(self, minutes: int, end: bool = False) -> str:
        if end and minutes == 0:
            minutes = 1440
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    def holidays(self, value: object) -> str:
        """A holiday calendar as the model holds it: a code, "none" (or None), or a mapping
        {country, subdivision, extra, remove}."""
        if value in (None, "none"):
            return self.gettext("no holiday closures")
        if isinstance(value, str):
            return self.gettext("closed on public holidays (%(code)s)") % {"code": value}
        if not isinstance(value, Mapping):
            raise TypeError(f"not a holiday calendar: {value!r}")
        code = "-".join(x for x in (value.get("country"), value.get("subdivision")) if x)
        parts = [self.gettext("closed on public holidays (%(code)s)") % {"code": code}
                 if code else self.gettext("no public holiday closures")]
        if value.get("extra"):
            parts.append(self.gettext("also closed on %(dates)s") % {
                "dates": ", ".join(self.date(date.fromisoformat(d)) for d in value["extra"])})
        if value.get("remove"):
            parts.append(self.gettext("open on %(dates)s") % {
                "dates": ", ".join(self.date(date.fromisoformat(d)) for d in value["remove"])})
        return "; ".join(parts)

    def hours(self, view: HoursView, holidays: bool = True) -> str:
        if view.always:
            return self.gettext("24 hours a day, 7 days a week")
        rules = "; ".join(f"{self.days(r.days)} {self.time(r.start)}\u2013{self.time(r.end, True)}"
                          for r in view.rules)
        text = f"{rules} ({view.zone})"
        if holidays:
            text += ", " + self.holidays(view.holidays)
        if view.weeks:
            runs = ", ".join(a if a == b else f"{a}\u2013{b}" for a, b in view.weeks)
            text += " " + self.gettext("(except weeks %(weeks)s: the two zones change clocks "
                                       "on different dates)") % {"weeks": runs}
        return text

    def spelled(self, value: Duration, clock: str = "calendar") -> str:
        """A duration in words on its clock, for sentences: `1h` -> "1 business hour" or
        "1 hour", `1d4h` -> "1 business day 4 business hours", `15m` -> "15 minutes"."""
        business = clock == "business"
        parts: list[str] = []
        if value.days:
            parts.append((self.ngettext("%(n)s business day", "%(n)s business days", value.days)
                          if business else
                          self.ngettext("%(n)s day", "%(n)s days", value.days))
                         % {"n": value.days})
        hours, minutes = divmod(value.minutes, 60)
        if hours:
            parts.append((self.ngettext("%(n)s business hour", "%(n)s business hours", hours)
                          if business else
                          self.ngettext("%(n)s hour", "%(n)s hours", hours)) % {"n": hours})
        if minutes or not parts:
            parts.append((self.ngettext("%(n)s business minute", "%(n)s business minutes",
                                        minutes)
                          if business else
                          self.ngettext("%(n)s minute", "%(n)s minutes", minutes))
                         % {"n": minutes})
        return " ".join(parts)

    def clauses(self, contract: Contract) -> list[Clause]:
        """The numbered clauses of an agreement or a charter, in this language.

        A build renders each view in Markdown then HTML, one after the other, with this
        same language: the clauses (plain text, escaped later by each environment) are
        written once for both. Only the last contract is kept, by identity, so nothing
        grows with the portfolio and a new view never sees another's clauses."""
        from .clauses import build
        if self._clauses is None or self._clauses[0] is not contract:
            self._clauses = (contract, build(contract, self))
        return self._clauses[1]

    def memo(self, charter: object) -> dict[object, Any]:
        """What the clause writers of `charter`'s documents share in this language
        (sentences that read nothing of a client): kept for the last charter only, by
        identity, so nothing grows with the portfolio."""
        if self._memo[0] is not charter:
            self._memo = (charter, {})
        return self._memo[1]

    def regimes(self, values: list[str]) -> str:
        """Regimes and regions as this language writes them (French: RGPD, UE); a dash for
        none."""
        from .clauses import REGIMES
        if not values:
            return self.fmt(None)
        return ", ".join(self.gettext(REGIMES[v]) if v in REGIMES else v for v in values)

    def annex(self, contract: Contract) -> Clause | None:
        """The data processing annex of an agreement (spec 8.2), in this language: written
        once for the document's formats, as `clauses` are."""
        from .clauses import annex
        if self._annex is None or self._annex[0] is not contract:
            self._annex = (contract, annex(contract, self))
        return self._annex[1]

    def free(self, value: Text) -> str:
        """Free text of `terms` in this language (a map without it: its first entry)."""
        return value.in_language(self.lang)[0]

    def period(self, value: Period) -> str:
        parts: list[str] = []
        if value.months:
            parts.append(self.ngettext("%(n)s month", "%(n)s months", value.months)
                         % {"n": value.months})
        if value.days or not parts:
            parts.append(self.ngettext("%(n)s day", "%(n)s days", value.days) % {"n": value.days})
        return " ".join(parts)

    # -- the one filter ------------------------------------------------------------
    def fmt(self, value: object) -> str:
        """Any view value -> text in this language (None -> an em dash)."""
        # a document prints thousands of values, most of them plain text or a view's own
        # types: those go straight to their formatter, the rest through the checks below
        direct = _DIRECT.get(type(value))
        return self._fmt(value) if direct is None else direct(self, value)

    def _fmt(self, value: object) -> str:
        if value is None:
            return DASH
        if isinstance(value, Money):
            return self.money(value.amount)
        if isinstance(value, Pct):
            return self.percent(value.value)
        if isinstance(value, Units):
            return self.number(value.value)
        if isinstance(value, Target):
            return self.spelled(value.value, value.clock)
        if isinstance(value, Dur):
            return self.duration(value.value, value.clock)
        if isinstance(value, Per):
            return self.period(value.value)
        if isinstance(value, Token):
            return self.token(value)
        if isinstance(value, HoursView):
            return self.hours(value)
        if isinstance(value, bool):
            return self.gettext("yes") if value else self.gettext("no")
        if isinstance(value, date):
            return self.date(value)
        if isinstance(value, Decimal):
            return self.number(value, 2)
        if isinstance(value, MdSafe):
            return value
        if isinstance(value, (list, tuple)):
            return self.listed(value)
        return str(value)

    def token(self, value: Token) -> str:
        """A word of the charter language, translated (with its parameters)."""
        text = self.gettext(value.text)
        return text % dict(value.params) if value.params else text

    def listed(self, values: list[object] | tuple[object, ...]) -> str:
        """Values separated by commas (none: an em dash)."""
        return ", ".join(self.fmt(v) for v in values) if values else DASH

    def colon(self, label: str) -> str:
        """"Provider" -> "Provider:" / "Prestataire :" (French puts a space before it)."""
        return self.gettext("%(label)s:") % {"label": label}

    # -- Markdown table rows -------------------------------------------------------
    def md_cells(self, values: Iterable[object]) -> MdSafe:
        """[a, b] -> " a | b |": each value formatted, then escaped (pipes cannot split a cell)."""
        return MdSafe("".join(f" {escape(self.fmt(v))} |" for v in values))


# Exact types `Language.fmt` formats without its chain of isinstance checks (the same result).
_DIRECT: dict[type, Callable[[Language, Any], str]] = {
    str: lambda language, value: value,
    MdSafe: lambda language, value: value,
    type(None): lambda language, value: DASH,
    Money: lambda language, value: language.money(value.amount),
    Pct: lambda language, value: language.percent(value.value),
    Rate: lambda language, value: language.percent(
        value.value, max(2, -int(value.value.as_tuple().exponent))),
    Units: lambda language, value: language.number(value.value),
    Target: lambda language, value: language.spelled(value.value, value.clock),
    Dur: lambda language, value: language.duration(value.value, value.clock),
    Per: lambda language, value: language.period(value.value),
    date: lambda language, value: language.date(value),
    Token: Language.token,
    HoursView: Language.hours,
    list: Language.listed,
    tuple: Language.listed,
    bool: lambda language, value: language.gettext("yes") if value else language.gettext("no"),
}


def md_rule(values: Iterable[object]) -> MdSafe:
    """The `|---|` separator cells for a list of columns."""
    return MdSafe("---|" * len(list(values)))


def html_finalize(value: object) -> object:
    """Environment `finalize` for HTML templates: None prints nothing; control characters
    (NUL first) never reach the page. Autoescaping happens after this."""
    if value is None:
        return ""
    if isinstance(value, str):
        cleaned = scrub(value)
        if cleaned is not value:  # Markup stays Markup: scrubbing adds no markup
            return type(value)(cleaned) if hasattr(value, "__html__") else cleaned
    return value


# The built-in HTML templates print the same texts over and over (labels, names, each
# agreement's shared sentences): each text is scrubbed once and escaped once (bounded).
_SCRUBBED: dict[str, str] = {}
_ESCAPED: dict[str, Markup] = {}


def builtin_html_finalize(value: object) -> object:
    """`html_finalize`, each distinct text scrubbed once: the built-in HTML environment's."""
    if type(value) is str:
        return _SCRUBBED.get(value) or remember(_SCRUBBED, value, scrub(value))
    return html_finalize(value)


def html_escape(value: object) -> Markup:
    """markupsafe's `escape`, as the built-in HTML templates call it (`render._escaping_once`):
    the same text, each distinct text escaped once, and escaped text (Markup) returned as
    it is rather than copied."""
    kind = type(value)
    if kind is Markup:
        return value  # type: ignore[return-value]
    if kind is str:
        text = cast(str, value)
        return _ESCAPED.get(text) or remember(_ESCAPED, text, escape_html(text))
    return escape_html(value)


def html_text(value: object) -> Markup:
    """What a built-in HTML template prints for `{{ value }}`: finalized, then escaped."""
    return html_escape(builtin_html_finalize(value))


_COUNTERS = {"[page]": '" counter(page) "', "[pages]": '" counter(pages) "'}


def css_string(value: object) -> str:
    """`value` as a CSS string, quotes included, for `content:` in the stylesheet (which
    sits in a `<style>` element: `<` is escaped too, so no value can close it).
    `[page]` and `[pages]` become the page counters (`counter(page)`, `counter(pages)`).

    >>> print(css_string('Page [page] of [pages] · "A" </style>'))
    "Page " counter(page) " of " counter(pages) " · \\"A\\" \\3c /style\\3e "
    """
    out = []
    for ch in scrub(str(value)):
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in "<>&" or not ch.isprintable():
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    text = "".join(out)
    for marker, counter in _COUNTERS.items():
        text = text.replace(marker, counter)
    return f'"{text}"'


def make_filters(language: Language) -> dict[str, Callable[..., Any]]:
    return {
        "css_string": css_string,
        "fmt": language.fmt,
        "colon": language.colon,
        "md": md_filter,
        "md_cells": language.md_cells,
        "md_rule": md_rule,
        "hours": language.hours,
        "clauses": language.clauses,
        "annex": language.annex,
        "regimes": language.regimes,
        "spelled": language.spelled,
        "holidays": language.holidays,
        "money": language.money,
        "percent": language.percent,
        "date": language.date,
    }
