"""A change in commitments, and how it is classed.

Every change is judged from the client's side: a **weakening** promises the
client less (a slower target, fewer hours, a higher price) and needs a major
version; a **strengthening** promises more and needs a minor one; a
**neutral** change is new or different content that is neither (a new client,
a forecast, an undecided clock comparison: minor) or wording only (names,
titles, the change log: patch).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .types import ChangeJSON

__all__ = [
    "EFFECTS",
    "Change",
    "by_direction",
    "fmt_amount",
    "neutral",
    "strengthening",
    "weakening",
    "wording",
]

EFFECTS = ("weakening", "strengthening", "neutral")
_BUMP = {"weakening": "major", "strengthening": "minor"}


@dataclass(frozen=True)
class Change:
    client: str | None      # the client it concerns; None: every client of the charter
    subject: str            # what changed: "response P1", "support hours", "price per ticket"
    effect: str             # weakening | strengthening | neutral
    bump: str               # major | minor | patch
    before: str
    after: str
    note: str = ""          # why it is classed so, or the figures behind it
    pointer: str = ""       # where in the new document (the old one when removed)

    def to_dict(self) -> ChangeJSON:
        return {"client": self.client, "subject": self.subject, "effect": self.effect,
                "bump": self.bump, "before": self.before, "after": self.after,
                "note": self.note, "pointer": self.pointer}


def weakening(client: str | None, subject: str, before: object, after: object,
              note: str = "", pointer: str = "") -> Change:
    return Change(client, subject, "weakening", "major", str(before), str(after), note, pointer)


def strengthening(client: str | None, subject: str, before: object, after: object,
                  note: str = "", pointer: str = "") -> Change:
    return Change(client, subject, "strengthening", "minor", str(before), str(after), note,
                  pointer)


def neutral(client: str | None, subject: str, before: object, after: object,
            note: str = "", pointer: str = "") -> Change:
    return Change(client, subject, "neutral", "minor", str(before), str(after), note, pointer)


def wording(client: str | None, subject: str, before: object, after: object,
            note: str = "", pointer: str = "") -> Change:
    return Change(client, subject, "neutral", "patch", str(before), str(after), note, pointer)


def by_direction(client: str | None, subject: str, before: object, after: object,
                 better: bool | None, note: str = "", pointer: str = "") -> Change:
    """`better` True: a strengthening, False: a weakening, None: neutral (undecided)."""
    make = {True: strengthening, False: weakening, None: neutral}[better]
    return make(client, subject, before, after, note, pointer)


def fmt_amount(value: Decimal | None, currency: str, places: int = 2) -> str:
    """Decimal("36.75") -> "EUR 36.75"; whole amounts without decimals ("EUR 1,200")."""
    if value is None:
        return "-"
    q = value.quantize(Decimal(1).scaleb(-places))
    if q == q.to_integral_value():
        return f"{currency} {q.to_integral_value():,f}"
    return f"{currency} {q:,.{places}f}"
