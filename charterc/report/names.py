"""Clients and features as exports write them: by id, name (in any language) or alias.

Spec section 9.2: a ticket's `client` matches a client's `id`, its `name` or one of its
`aliases`; its `feature` matches a feature's `id`, its `name` in any language (a name
written `{en: ..., fr: ...}` matches in each) or one of its `aliases`. Values are compared
case-insensitively (Unicode case folding) with surrounding white space dropped and each
run of white space read as one space: `GROUP  finance` is `Group Finance`.

A value that matches two clients (the name of one, the alias of another) is ambiguous:
`Ambiguous` names both, and the row is U102. A feature value that matches no feature, or
two, is kept as written (a label of the tool's own). Formats: docs/report-inputs.md.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from ..errors import CharterError

if TYPE_CHECKING:
    from ..model.charter import Charter

__all__ = ["Ambiguous", "Names", "client_names", "feature_names", "fold", "texts"]


def fold(text: str) -> str:
    """The form values are compared in: case folded, white space runs as one space."""
    return " ".join(text.split()).casefold()


def texts(value: object) -> list[str]:
    """Every text of a name: itself, or each language's text of a `{en: .., fr: ..}` map."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [v for v in value.values() if isinstance(v, str)]
    return []


class Ambiguous(CharterError):
    """A value that names two (or more) entries: `ids` in the charter's order."""

    def __init__(self, value: str, ids: tuple[str, ...]) -> None:
        super().__init__(f"{value!r} matches {', '.join(ids)}")
        self.value, self.ids = value, ids


class Names:
    """The ids of a list (clients or features) by every way an export may write them."""

    def __init__(self, entries: Iterable[tuple[str, Iterable[str]]], what: str = "client"):
        self.what = what
        self.ids: tuple[str, ...] = ()
        self.labels: dict[str, str] = {}   # id -> its display name, for messages
        self._by: dict[str, list[str]] = {}
        ids = []
        for ident, spellings in entries:
            ids.append(ident)
            names = [ident, *spellings]
            self.labels[ident] = next((s for s in spellings if s.strip()), ident)
            for written in names:
                found = self._by.setdefault(fold(written), [])
                if ident not in found:
                    found.append(ident)
        self.ids = tuple(ids)
        self._exact = {i: i for i in ids if len(self._by.get(fold(i), ())) == 1}

    @classmethod
    def of_ids(cls, ids: Iterable[str], what: str = "client") -> Names:
        """Ids alone (a caller without the charter's names)."""
        return cls(((i, ()) for i in ids), what)

    def __contains__(self, ident: object) -> bool:
        return ident in self.labels

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def match(self, value: str) -> str | None:
        """The id `value` names, None when it names none; `Ambiguous` when several."""
        exact = self._exact.get(value)
        if exact is not None:
            return exact
        found = self._by.get(fold(value))
        if not found:
            return None
        if len(found) > 1:
            raise Ambiguous(value, tuple(found))
        return found[0]

    def find(self, value: str) -> str | None:
        """The id `value` names; None when it names none, or several."""
        try:
            return self.match(value)
        except Ambiguous:
            return None

    def label(self, value: str) -> str | None:
        """A feature cell as counted: the feature's id when it names exactly one, else the
        cell as written (stripped); None for an empty cell."""
        text = value.strip()
        if not text:
            return None
        return self.find(text) or text


def client_names(charter: Charter) -> Names:
    """The charter's clients by id, name and aliases."""
    return Names(((c.id, [*texts(c.name), *c.aliases]) for c in charter.clients), "client")


def feature_names(charter: Charter) -> Names:
    """The charter's features by id, name in every language and aliases."""
    return Names(((f.id, [*texts(f.name), *texts(f.label.value if f.label else None),
                          *f.aliases]) for f in charter.features), "feature")
