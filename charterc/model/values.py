"""Value syntaxes of the canonical document: percents, durations, calendar periods, money.

The schema has already checked the shape of these strings; these parsers turn
them into numbers the model computes with. Money and percents are `Decimal`
(no float drift in contracts); durations are whole minutes plus whole days,
because under a business clock `Nd` means "by the close of the N-th open day",
not N x 24 hours.
"""
from __future__ import annotations

import decimal
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

__all__ = ["percent", "money", "Duration", "duration", "Period", "period", "iso_date",
           "add_period", "quantize", "fmt_percent", "fmt_money_plain"]

_DURATION = re.compile(r"(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?\Z")
_PERIOD = re.compile(r"(\d+)(mo|y|w|d)\Z")


def percent(text: str | None, default: str | None = None) -> Decimal | None:
    """`"99.95%"` -> Decimal("99.95"); None (absent) -> the default, if any."""
    if text is None:
        return None if default is None else Decimal(default)
    return Decimal(str(text).strip().rstrip("%").strip())


def money(value, default: int | None = None) -> Decimal | None:
    """A YAML number -> Decimal, through its shortest repr (0.1 stays 0.1)."""
    if value is None:
        return None if default is None else Decimal(default)
    if isinstance(value, bool):
        raise ValueError("a boolean is not an amount")
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


@dataclass(frozen=True, order=True)
class Duration:
    """`1d4h30m` -> days=1, minutes=270. Weeks are folded into days (calendar clocks only)."""

    days: int = 0
    minutes: int = 0

    @property
    def calendar_minutes(self) -> int:
        """Length under a calendar clock (and the minimum wall-clock length of a business one)."""
        return self.days * 1440 + self.minutes

    def __str__(self) -> str:
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
    return Duration(days=weeks * 7 + days, minutes=hours * 60 + minutes)


@dataclass(frozen=True)
class Period:
    """A calendar period: `12mo`, `1y`, `90d`, `2w`. Months and days are kept apart."""

    months: int = 0
    days: int = 0

    @property
    def approx_months(self) -> float:
        return self.months + self.days / 30.4375

    def __str__(self) -> str:
        if self.months and not self.days:
            return f"{self.months}mo"
        return f"{self.days}d" if not self.months else f"{self.months}mo{self.days}d"


def period(text: str) -> Period:
    match = _PERIOD.match(str(text).strip())
    if match:
        n, unit = int(match.group(1)), match.group(2)
        return {"mo": Period(months=n), "y": Period(months=12 * n),
                "w": Period(days=7 * n), "d": Period(days=n)}[unit]
    d = duration(text)  # e.g. "48h" where a period is meant: whole days only
    return Period(days=d.days + (1 if d.minutes else 0))


def iso_date(text) -> date:
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
    return value.quantize(Decimal(1).scaleb(-places), rounding=rounding, context=_WIDE)


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
