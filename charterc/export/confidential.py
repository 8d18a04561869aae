"""What one client may see of a charter (spec section 8.2): its own slice, nothing of the others.

A client agreement, in every format and in the files it carries, names no other client and
shows none of their figures. This module makes the slices the agreement and its attachments
are written from:

- `client_charter(document, client_id)`: the canonical charter with `clients` reduced to
  that client (so no other client's name, volume, share, budget or data), the charter-level
  client signatories reduced to that client's own, and every change summary that names
  another client replaced by a neutral sentence (`WITHHELD`);
- `names_other_client(text, others)`: whether a free text names another client, by its
  name, one of its `aliases` or its id, as whole words, ignoring case. A summary that does
  is withheld whole: a lawyer would rather read "a change concerning another client" than
  half a sentence.

Both rest on `Portfolio(document)`, made once per charter (`portfolio(document)` keeps the
last one): which clients each text names is found once, not once per client, and a slice
shares the charter's values, copying only what it changes. A build writes one agreement
per client, so work per client that grows with the clients would make a build quadratic
in them.

`sla.json`'s slice is `export.sla.client_sla` (the same schema, that client's entries).
The charter document (for the provider and the steering committee) keeps the whole portfolio.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

__all__ = ["WITHHELD", "Portfolio", "client_charter", "names_other_client", "portfolio"]

# The summary written in place of one that names another client (the English msgid; the
# documents translate it, the canonical slice keeps it in English, as the charter is written).
WITHHELD = "A change concerning another client (not shown in this agreement)."


def _words(client: Mapping[str, Any]) -> list[str]:
    """The words naming one client: its name, its id and its aliases, stripped."""
    return [value.strip() for value in (client.get("name"), client.get("id"),
                                        *(client.get("aliases") or ()))
            if isinstance(value, str) and value.strip()]


def names_other_client(text: str, others: Sequence[str]) -> bool:
    """Whether `text` names one of `others` (whole words, case ignored)."""
    return any(_word(word).search(text) for word in others)


@lru_cache(maxsize=1 << 14)
def _word(word: str) -> re.Pattern[str]:
    """`word` as a whole word, case ignored letter by letter (`re.IGNORECASE`: "İstanbul"
    is named by "ISTANBUL", which lower-casing both texts would miss), compiled once: a
    portfolio has more words than `re`'s own cache holds."""
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)


class Portfolio:
    """One charter's clients, as the confidential slices need them (made once per charter)."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.clients = [c for c in document.get("clients") or () if isinstance(c, Mapping)]
        # each client's words once, with the id they name
        self._words = [(word, client.get("id")) for client in self.clients
                       for word in _words(client)]
        self._named: dict[str, frozenset[Any]] = {}
        self._sections: dict[str, str] | None = None   # canonical text of each top-level value

    def named(self, text: str) -> frozenset[Any]:
        """The ids of the clients `text` names (by name, id or alias; whole words, any case)."""
        found = self._named.get(text)
        if found is None:
            found = frozenset(cid for word, cid in self._words if _word(word).search(text))
            self._named[text] = found
        return found

    def names_other(self, text: str, client_id: str) -> bool:
        """Whether `text` names a client other than `client_id`."""
        return bool(self.named(text) - {client_id})

    def charter(self, client_id: str) -> dict[str, Any]:
        """The canonical charter as one client may read it (a valid charter: same schema).

        `clients` holds that client only; `metadata.signatories` keeps the provider's and,
        of the clients' side, only the person who signs for this client; a change summary
        naming another client is replaced by `WITHHELD`. Everything else (tiers, prices,
        the provider's costs, security, terms) is the portfolio's and stays: a `share`
        charge is computed from the provider's cost, which the client sees. KeyError when
        the charter has no such client. The slice shares its values with the document
        (nothing is copied but what it changes): read it, do not change it.
        """
        own = next((c for c in self.clients if c.get("id") == client_id), None)
        if own is None:
            raise KeyError(client_id)
        sliced: dict[str, Any] = {}
        for key, value in self.document.items():
            if key == "clients":
                value = [dict(own)]
            elif key == "metadata" and isinstance(value, Mapping):
                value = self._metadata(value, own, client_id)
            sliced[key] = value
        return sliced

    def canonical_json(self, client_id: str) -> bytes:
        """`view.canonical_json(self.charter(client_id))`: the slice's bytes, from the text
        of the document's sections, each written once per charter; only the sections the
        slice changes (its client, its metadata) are written again."""
        from ..render.view import canonical_joined, canonical_json, canonical_text
        sliced = self.charter(client_id)
        if not all(isinstance(key, str) for key in self.document):
            return canonical_json(sliced)  # json sorts keys before making them text
        if self._sections is None:
            self._sections = {key: canonical_text(value) for key, value in self.document.items()}
        return canonical_joined({
            key: self._sections[key] if value is self.document[key] else canonical_text(value)
            for key, value in sliced.items()})

    def _metadata(self, metadata: Mapping[str, Any], own: Mapping[str, Any],
                  client_id: str) -> dict[str, Any]:
        """The charter's metadata with only this client's signatory and no summary naming
        another client."""
        signer = own.get("signatory")
        signer_name = signer.get("name") if isinstance(signer, Mapping) else None
        kept = dict(metadata)
        signatories = kept.get("signatories")
        if isinstance(signatories, list):
            kept["signatories"] = [
                s for s in signatories if not isinstance(s, Mapping)
                or s.get("party", "provider") != "client"
                or (signer_name is not None and s.get("name") == signer_name)]
        changes = kept.get("changes")
        if isinstance(changes, list):
            kept["changes"] = [
                {**change, "summary": WITHHELD}
                if isinstance(change, Mapping) and isinstance(change.get("summary"), str)
                and self.names_other(change["summary"], client_id) else change
                for change in changes]
        return kept


_last: list[Portfolio] = []


def portfolio(document: Mapping[str, Any]) -> Portfolio:
    """The `Portfolio` of `document`, made once for as long as the same document is asked
    for (a build asks for it for each client's agreement, then for each client's PDF)."""
    if not _last or _last[0].document is not document:
        _last[:] = [Portfolio(document)]
    return _last[0]


def client_charter(document: Mapping[str, Any], client_id: str) -> dict[str, Any]:
    """The canonical charter as one client may read it: `Portfolio.charter`."""
    return portfolio(document).charter(client_id)
