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

`sla.json`'s slice is `export.sla.client_sla` (the same schema, that client's entries).
The charter document (for the provider and the steering committee) keeps the whole portfolio.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["WITHHELD", "client_charter", "client_words", "names_other_client"]

# The summary written in place of one that names another client (the English msgid; the
# documents translate it, the canonical slice keeps it in English, as the charter is written).
WITHHELD = "A change concerning another client (not shown in this agreement)."


def client_words(clients: Iterable[Mapping[str, Any]], client_id: str) -> list[str]:
    """Every word by which a client other than `client_id` may be named: name, aliases, id."""
    words: list[str] = []
    for other in clients:
        if not isinstance(other, Mapping) or other.get("id") == client_id:
            continue
        for value in (other.get("name"), other.get("id"), *(other.get("aliases") or ())):
            if isinstance(value, str) and value.strip():
                words.append(value.strip())
    return words


def names_other_client(text: str, others: Sequence[str]) -> bool:
    """Whether `text` names one of `others` (whole words, case ignored)."""
    for word in others:
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE):
            return True
    return False


def client_charter(document: Mapping[str, Any], client_id: str) -> dict[str, Any]:
    """The canonical charter as one client may read it (a valid charter: same schema).

    `clients` holds that client only; `metadata.signatories` keeps the provider's and, of the
    clients' side, only the person who signs for this client; a change summary naming another
    client is replaced by `WITHHELD`. Everything else (tiers, prices, the provider's costs,
    security, terms) is the portfolio's and stays: a `share` charge is computed from the
    provider's cost, which the client sees. KeyError when the charter has no such client.
    """
    clients = [c for c in document.get("clients") or () if isinstance(c, Mapping)]
    own = next((c for c in clients if c.get("id") == client_id), None)
    if own is None:
        raise KeyError(client_id)
    others = client_words(clients, client_id)
    sliced: dict[str, Any] = copy.deepcopy(dict(document))
    sliced["clients"] = [copy.deepcopy(dict(own))]
    metadata = sliced.get("metadata")
    if isinstance(metadata, dict):
        signer = own.get("signatory")
        signer_name = signer.get("name") if isinstance(signer, Mapping) else None
        signatories = metadata.get("signatories")
        if isinstance(signatories, list):
            metadata["signatories"] = [
                s for s in signatories if not isinstance(s, Mapping)
                or s.get("party", "provider") != "client"
                or (signer_name is not None and s.get("name") == signer_name)]
        changes = metadata.get("changes")
        if isinstance(changes, list):
            for change in changes:
                if isinstance(change, dict) and isinstance(change.get("summary"), str) \
                        and names_other_client(change["summary"], others):
                    change["summary"] = WITHHELD
    return sliced
