"""Value syntaxes of the canonical document: percents, durations, calendar periods, amounts.

The schema has already checked the shape of these strings; these parsers turn
them into values the model computes with. Each value keeps the text it was
written as beside its number (`Percent("99.95%")`, `Duration("1h30m")`), so a
message can quote the charter exactly ("breach_notification 96h"). Amounts and
percents are `Decimal` (no float drift in contracts); durations are whole
minutes plus whole days, because under a business clock `Nd` means "by the
close of the N-th open day", not N x 24 hours.

Values compare and hash by their number only: `Percent("5%") == Percent("5.0%")`.
"""
from __future__ import annotations

import decimal
import re
from dataclasses import field
from datetime import date
from decimal import Decimal
from typing import Any, overload

from ..records import record

__all__ = [
    "Amount",
    "Duration",
    "Percent",
    "Period",
    "add_period",
    "duration",
    "fmt_money_plain",
    "fmt_percent",
    "iso_date",
    "money",
    "percent",
    "period",
    "quantize",
]

_DURATION = re.compile(r"(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?\Z")
_PERIOD = re.compile(r"(\d+)(mo|y|w|d)\Z")


class _Value:
    """A value compares and hashes by its number (`_key`), never by the text it was written as;
    a value of another class is not equal (as dataclasses' `eq` and `order` would have it)."""

    __slots__ = ()

    def _key(self) -> tuple[Any, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


class _Ordered(_Value):
    """A value with an order: its number's (`Percent`, `Amount`, `Duration`)."""

    __slots__ = ()

    def __lt__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() < other._key()

    def __le__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() <= other._key()

    def __gt__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() > other._key()

    def __ge__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() >= other._key()


@record
class Percent(_Ordered):
    """A percent as written (`"99.95%"`, `"-2%"`): `value` in percent points, `text` verbatim."""

    value: Decimal
    text: str = field(default="", compare=False)

    def _key(self) -> tuple[Any, ...]:
        return (self.value,)

    def __post_init__(self) -> None:
        if not self.text:
            object.__setattr__(self, "text", f"{self.value}%")

    def __str__(self) -> str:
        return self.text


@overload
def percent(text: str | int | float) -> Percent: ...
@overload
def percent(text: None) -> None: ...
@overload
def percent(text: str | int | float | None) -> Percent | None: ...
@overload
def percent(text: str | int | float | None, default: str) -> Percent: ...
def percent(text: str | int | float | None, default: str | None = None) -> Percent | None:
    """`"99.95%"` -> Percent(99.95, "99.95%").

    None (absent) -> the default (e.g. `"0%"`), if any.
    """
    if text is None:
        return None if default is None else percent(default)
    written = str(text).strip()
    return Percent(Decimal(written.rstrip("%").strip()), written)


@record
class Amount(_Ordered):
    """A plain number as written: money in `business.currency`, or units.

    `text` is the number as the document holds it (YAML `1200000`, `35.5`).
    """

    value: Decimal
    text: str = field(default="", compare=False)

    def _key(self) -> tuple[Any, ...]:
        return (self.value,)

    def __post_init__(self) -> None:
        if not self.text:
            object.__setattr__(self, "text", str(self.value))

    def __str__(self) -> str:
        return self.text


@overload
def money(value: int | float | str) -> Amount: ...
@overload
def money(value: None) -> None: ...
@overload
def money(value: int | float | str | None) -> Amount | None: ...
@overload
def money(value: int | float | str | None, default: int) -> Amount: ...
def money(value: int | float | str | None, default: int | None = None) -> Amount | None:
    """A YAML number -> Amount, through its shortest repr (0.1 stays 0.1)."""
    if value is None:
        return None if default is None else money(default)
    if isinstance(value, bool):
        raise ValueError("a boolean is not an amount")
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return Amount(number, str(value))


@record
class Duration(_Ordered):
    """`1d4h30m` -> days=1, minutes=270. Weeks are folded into days (calendar clocks only).

    `text` is the duration as written (`"1w"`, `"48h"`); `str()` is the normalised form
    (`"7d"`, `"2d"`) that exports write. A duration built in code is written as `str()`.
    """

    days: int = 0
    minutes: int = 0
    text: str = field(default="", compare=False)

    def _key(self) -> tuple[Any, ...]:
        return (self.days, self.minutes)

    def __post_init__(self) -> None:
        if not self.text:
            object.__setattr__(self, "text", self._normal())

    @property
    def calendar_minutes(self) -> int:
        """Length under a calendar clock (and the minimum wall-clock length of a business one)."""
        return self.days * 1440 + self.minutes

    def __str__(self) -> str:
        return self._normal()

    def _normal(self) -> str:
        parts = []
        if self.days:
            parts.append(f"{self.days}d")
        hours, minutes = divmod(self.minutes, 60)
        if hours:
            parts.append(f"{hours}h")
        if minutes or not parts:
            parts.append(f"{minutes}m")
        return "".join(parts)


def duration(text: str) -> Duration:
    """`"15m"`, `"4h"`, `"2d"`, `"1w"`, `"1h30m"` -> Duration."""
    match = _DURATION.match(str(text).strip())
    if not match or not any(match.groups()):
        raise ValueError(f"not a duration: {text!r}")
    weeks, days, hours, minutes = (int(g) if g else 0 for g in match.groups())
    return Duration(days=weeks * 7 + days, minutes=hours * 60 + minutes, text=str(text).strip())


@record
class Period(_Value):
    """A calendar period: `12mo`, `1y`, `90d`, `2w`. Months and days are kept apart.

    `text` is the period as written (`"1y"`, `"36mo"`); `str()` the normalised form (`"12mo"`).
    """

    months: int = 0
    days: int = 0
    text: str = field(default="", compare=False)

    def _key(self) -> tuple[Any, ...]:
        return (self.months, self.days)

    def __post_init__(self) -> None:
        if not self.text:
            object.__setattr__(self, "text", self._normal())

    @property
    def approx_months(self) -> float:
        return self.months + self.days / 30.4375

    def __str__(self) -> str:
        return self._normal()

    def _normal(self) -> str:
        if self.months and not self.days:
            return f"{self.months}mo"
        return f"{self.days}d" if not self.months else f"{self.months}mo{self.days}d"


def period(text: str) -> Period:
    written = str(text).strip()
    match = _PERIOD.match(written)
    if match:
        n, unit = int(match.group(1)), match.group(2)
        months, days = {"mo": (n, 0), "y": (12 * n, 0), "w": (0, 7 * n), "d": (0, n)}[unit]
        return Period(months=months, days=days, text=written)
    d = duration(written)  # e.g. "48h" where a period is meant: whole days only
    return Period(days=d.days + (1 if d.minutes else 0), text=written)


def iso_date(text: object) -> date:
    return date.fromisoformat(str(text))


def add_period(start: date, span: Period) -> date:
    """`start + span`, clamping the day of month (31 Jan + 1mo = 28/29 Feb)."""
    from calendar import monthrange
    from datetime import timedelta

    month_index = start.month - 1 + span.months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, monthrange(year, month)[1])
    return date(year, month, day) + timedelta(days=span.days)


# Twenty years of 1000% growth, or a recovery over a cost that fell by 99.999999% a year,
# have more digits than the default context's 28: rounding them must still work.
_WIDE = decimal.Context(prec=decimal.MAX_PREC, rounding=decimal.ROUND_HALF_EVEN)


def quantize(value: Decimal, places: int = 0, rounding: str = decimal.ROUND_HALF_EVEN
             ) -> Decimal:
    """`value` rounded to `places` decimals (half-even), however many digits it has."""
    quantum = _QUANTA.get(places)
    if quantum is None:
        quantum = Decimal(1).scaleb(-places)
    return value.quantize(quantum, rounding=rounding, context=_WIDE)


# 1, 0.1, 0.01, ...: the quantum of each number of places a document rounds to, made once
_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(-4, 13)}


def fmt_percent(value: Decimal, places: int = 1) -> str:
    """Decimal("91.4321") -> "91.4%" (half-even); whole numbers without decimals."""
    q = quantize(value, places)
    text = f"{q:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def fmt_money_plain(amount: Decimal, currency: str) -> str:
    """Decimal -> "EUR 1,402,110" for diagnostics (whole units, half-even)."""
    q = quantize(amount)
    return f"{currency} {q:,f}"
