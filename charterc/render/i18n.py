"""Languages: message catalogues for labels, babel for numbers, money and dates.

Headings and labels are English msgids translated through gettext catalogues in
`locale/<lang>/LC_MESSAGES/charterc.mo` (compiled from the `.po` beside it and
committed, so a build needs no compile step). English is the source language and
needs no catalogue. Adding a language is adding a catalogue: `languages()` lists
every folder under `locale/`.

Numbers, amounts and dates use babel's standard formats for the locale
(`€1,402,110.00` in English, `1 402 110,00 €` in French), so a charter reads the
way its readers write.
"""
from __future__ import annotations

import gettext
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, get_day_names
from babel.numbers import format_currency, format_decimal, format_percent

from ..model.projection import round_money
from ..model.values import quantize

if TYPE_CHECKING:
    from ..model.values import Duration

__all__ = ["DOMAIN", "LOCALE_DIR", "SOURCE_LANGUAGE", "Formatter", "languages", "translations"]

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "charterc"
SOURCE_LANGUAGE = "en"


def languages() -> tuple[str, ...]:
    """Every language a document can be written in: English plus each catalogue."""
    found = {p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")}
    return tuple(sorted(found | {SOURCE_LANGUAGE}))


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The gettext catalogue of `lang` (English: the msgids themselves)."""
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with open(path, "rb") as handle:
        return gettext.GNUTranslations(handle)


@cache
def locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as exc:
        raise ValueError(f"babel knows no locale {lang!r}: {exc}") from None


class Formatter:
    """Locale-correct text for numbers, money, percents, dates and durations."""

    def __init__(self, lang: str, currency: str = "EUR") -> None:
        self.lang = lang
        self.locale = locale(lang)
        self.currency = currency
        self.tr = translations(lang)
        self.day_names = get_day_names("abbreviated", locale=self.locale)
        self._money: dict[tuple[Decimal, str], str] = {}
        self._numbers: dict[tuple[Decimal, int], str] = {}
        self._percents: dict[Decimal, str] = {}
        self._dates: dict[date, str] = {}

    def gettext(self, message: str) -> str:
        return self.tr.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.tr.ngettext(singular, plural, n)

    # babel's formatting is exact but slow; a portfolio repeats the same figures (prices,
    # targets, years) many times, so each formatter remembers what it has written.
    def money(self, amount: Decimal, currency: str | None = None) -> str:
        key = (round_money(amount), currency or self.currency)
        text = self._money.get(key)
        if text is None:
            text = self._money[key] = format_currency(key[0], key[1], locale=self.locale)
        return text

    def number(self, value: Decimal, places: int = 1) -> str:
        """Units and counts: grouped, at most `places` decimals (half-even)."""
        key = (value, places)
        text = self._numbers.get(key)
        if text is None:
            pattern = "#,##0" + ("." + "#" * places if places else "")
            text = self._numbers[key] = format_decimal(value, format=pattern, locale=self.locale)
        return text

    def percent(self, value: Decimal, places: int = 2) -> str:
        """Decimal("99.95") -> "99.95%" / "99,95 %", trailing zeros dropped."""
        q = quantize(Decimal(value), places)
        text = self._percents.get(q)
        if text is None:
            fraction = (q / 100).normalize()
            text = self._percents[q] = format_percent(fraction, locale=self.locale,
                                                      decimal_quantization=False)
        return text

    def date(self, value: date) -> str:
        text = self._dates.get(value)
        if text is None:
            text = format_date(value, "long", locale=self.locale)
            if value.day == 1 and self.locale.language == "fr":
                text = "1er" + text[1:]   # French writes the first of a month 1er janvier
            self._dates[value] = text
        return text

    def duration(self, value: Duration, clock: str = "calendar") -> str:
        """`1d4h` -> "1 business day 4 h" / "1 jour ouvré 4 h"; `15m` -> "15 min"."""
        parts: list[str] = []
        if value.days:
            if clock == "business":
                parts.append(self.ngettext("%(n)s business day", "%(n)s business days",
                                           value.days) % {"n": value.days})
            else:
                parts.append(self.ngettext("%(n)s day", "%(n)s days", value.days)
                             % {"n": value.days})
        hours, minutes = divmod(value.minutes, 60)
        if hours:
            parts.append(self.gettext("%(n)s h") % {"n": hours})
        if minutes or not parts:
            parts.append(self.gettext("%(n)s min") % {"n": minutes})
        return " ".join(parts)

    def days(self, days: frozenset[int]) -> str:
        """{0,1,2,3,4} -> "Mon–Fri"; {0,2,4} -> "Mon, Wed, Fri"; all -> "every day"."""
        if len(days) == 7:
            return self.gettext("every day")
        runs: list[list[int]] = []
        for d in sorted(days):
            if runs and d == runs[-1][-1] + 1:
                runs[-1].append(d)
            else:
                runs.append([d])
        if len(runs) > 1 and runs[0][0] == 0 and runs[-1][-1] == 6:  # wraps round: sat-mon
            runs[0] = runs.pop() + runs[0]
        text: list[str] = []
        for run in runs:
            first, last = self.day_names[run[0]], self.day_names[run[-1]]
            text.append(first if len(run) == 1 else
                        f"{first}, {last}" if len(run) == 2 else f"{first}\u2013{last}")
        return ", ".join(text)
