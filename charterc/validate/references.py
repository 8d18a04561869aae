"""Reference resolution: R301 unknown ids, R302 duplicate ids (in a charter and a portfolio).

Runs before the typed model is built: a charter with dangling references stops
there, so the checks can trust every id they follow. It also runs on a document
that fails the schema, on the parts that have the shape it reads (a list of
mappings whose `id` is a text, a reference that is a text), so that a schema error
does not hide an unknown tier; it judges no reference among a list it cannot read
(`tiers: {}`, or `features` left out while the schema requires it).
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any

from ..diagnostics import Diagnostic, Fix, Severity, SourceMap, pointer_parts
from ..diagnostics.rules import RULES, declare
from ..records import record

__all__ = ["Reference", "closest", "did_you_mean", "duplicate_charters", "references",
           "resolve"]

_LISTS = ("features", "costs", "tiers", "clients")
_REQUIRED_LISTS = {"features", "priorities"}  # the schema's: left out, their ids are unknown
_OBJECTIVE_RESERVED = {"clock", "attainment", "measured_by", "pause_on"}

declare("R301", Severity.ERROR, """
    Unknown id referenced.

    A tier, feature, priority, client or cost id is used that is not defined in
    the charter. The hint suggests the closest defined id.

    Fails:   clients: [{id: hr, tier: premuim}]
    Passes:  clients: [{id: hr, tier: premium}]
""")
declare("R302", Severity.ERROR, """
    Duplicate id.

    Ids must be unique within their list (tiers, features, clients, costs,
    priorities) and charter ids unique within the portfolio.

    Fails:   features: [{id: incident}, {id: incident}]
    Passes:  features: [{id: incident}, {id: requests}]
""")


def closest(name: str, known: Iterable[str]) -> str | None:
    """The defined id `name` was most likely meant to be, if one is close enough."""
    import difflib  # only for a suggestion: a valid charter never needs it

    close = difflib.get_close_matches(name, sorted(set(known)), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(name: str, known: Iterable[str]) -> str:
    known = sorted(set(known))
    meant = closest(name, known)
    if meant is not None:
        return f"did you mean '{meant}'?"
    return f"defined: {', '.join(known)}" if known else "none is defined"


def _rename(doc: Mapping[str, Any], ref: Reference, meant: str | None,
            sources: SourceMap) -> tuple[Fix, ...]:
    """The unknown id written as the one it was most likely meant to be; none when that id
    is beside it already (the edit would write it twice)."""
    if meant is None or not isinstance(ref.value, str):
        return ()
    beside = _at(doc, ref.pointer.rsplit("/", 1)[0])
    if isinstance(beside, dict | list) and meant in beside:
        return ()
    from ..diagnostics.fixes import quoted_like, replace_scalar  # only when a fix is made
    return replace_scalar(sources, ref.pointer, f"Change to '{meant}'",
                          lambda written: quoted_like(written, meant), key=ref.key,
                          expect=lambda written: written.strip("\"'") == ref.value)


def _at(doc: Any, pointer: str) -> Any:
    for part in pointer_parts(pointer):
        if isinstance(doc, dict):
            doc = doc.get(part)
        elif isinstance(doc, list) and part.isdigit() and int(part) < len(doc):
            doc = doc[int(part)]
        else:
            return None
    return doc


def _diag(rule: str, message: str, pointer: str, sources: SourceMap, hint: str,
          *, key: bool = False, related: Iterable[tuple[str, int, int]] = (),
          fixes: tuple[Fix, ...] = ()) -> Diagnostic:
    line, column = sources.locate(pointer, key=key)
    return Diagnostic(rule, Severity.ERROR, message, sources.file, line, column, pointer, hint,
                      related=tuple(related), fixes=fixes)


_ABSENT = object()


def _items(doc: Mapping[str, Any], name: str) -> list[Any] | None:
    """The list `name` of the document; [] when an optional one is left out; None when it
    cannot be read (another type, or a required one left out: the schema says so)."""
    value = doc.get(name, _ABSENT)
    if type(value) is list:
        return value
    return [] if value is _ABSENT and name not in _REQUIRED_LISTS else None


def _ids(doc: Mapping[str, Any], name: str, sources: SourceMap,
         found: list[Diagnostic]) -> set[str] | None:
    """Ids of one list, reporting duplicates (R302) at the second occurrence; None when
    the list cannot be read."""
    items = _items(doc, name)
    if items is None:
        return None
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        ident = item.get("id") if type(item) is dict else None
        if type(ident) is not str:
            continue  # no id, or one of another type: the schema says so
        if ident in seen:
            first = sources.locate(f"/{name}/{seen[ident]}/id")
            found.append(_diag(
                "R302", f"duplicate {name[:-1]} id '{ident}' (first defined at line {first[0]})",
                f"/{name}/{index}/id", sources, "give each entry its own id",
                related=[(sources.file, *first)]))
        else:
            seen[ident] = index
    return set(seen)


def _priorities(doc: Mapping[str, Any], sources: SourceMap,
                found: list[Diagnostic]) -> dict[str, int] | None:
    """Priority -> its first index, reporting repeats (R302); None when the list cannot
    be read."""
    items = _items(doc, "priorities")
    if items is None:
        return None
    priorities: dict[str, int] = {}
    for index, item in enumerate(items):
        # a priority is its id, or a map with its id (spec section 8.2)
        priority = item.get("id") if type(item) is dict else item
        if type(priority) is not str:
            continue
        if priority in priorities:
            found.append(_diag("R302", f"duplicate priority '{priority}'", f"/priorities/{index}",
                               sources, "list each priority once"))
        priorities.setdefault(priority, index)
    return priorities


def _mapping(value: Any) -> Mapping[str, Any]:
    """The value when it is a mapping, else an empty one (a shape the schema refuses)."""
    return value if type(value) is dict else {}


def _list(value: Any) -> list[Any]:
    """The value when it is a list, else an empty one (a shape the schema refuses)."""
    return value if type(value) is list else []


@record(eq=True)
class Reference:
    """One value that names an id: what it names, which ids it must be one of, where."""

    kind: str           # in the message: "unknown <kind> '<value>'"
    among: str          # the known ids: a list of `_LISTS`, "priorities" or "rules"
    pointer: str
    value: Any
    key: bool = False   # the id is a mapping key (an objective's priority)


def _tier_references(t: int, tier: Mapping[str, Any]) -> Iterator[Reference]:
    for f, feature in enumerate(_list(tier.get("features"))):
        yield Reference("feature", "features", f"/tiers/{t}/features/{f}", feature)
    objectives = _mapping(tier.get("objectives"))
    for kind in ("response", "resolution"):
        for key in _mapping(objectives.get(kind)):
            if key not in _OBJECTIVE_RESERVED:
                yield Reference("priority", "priorities", f"/tiers/{t}/objectives/{kind}/{key}",
                                 key, key=True)


def _client_references(c: int, client: Mapping[str, Any]) -> Iterator[Reference]:
    yield Reference("tier", "tiers", f"/clients/{c}/tier", client.get("tier"))
    for f, feature in enumerate(_list(_mapping(client.get("needs")).get("features"))):
        yield Reference("feature", "features", f"/clients/{c}/needs/features/{f}", feature)


def _entries(doc: Mapping[str, Any], name: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """(index, entry) of the mappings of one list of the document."""
    for index, entry in enumerate(_list(doc.get(name))):
        if type(entry) is dict:
            yield index, entry


def references(doc: Mapping[str, Any]) -> Iterator[Reference]:
    """Every id reference of a document, in document order of its sections (R301 here;
    definitions and references in `charterc lsp`). Parts of a shape the schema refuses
    are passed by; a reference's value is as written (not always a text)."""
    for t, tier in _entries(doc, "tiers"):
        yield from _tier_references(t, tier)
    for c, client in _entries(doc, "clients"):
        yield from _client_references(c, client)
    for c, cost in _entries(doc, "costs"):
        if "feature" in cost:
            yield Reference("feature", "features", f"/costs/{c}/feature", cost["feature"])
    for s, entry in enumerate(_list(_mapping(doc.get("metadata")).get("suppress"))):
        if type(entry) is dict:
            yield Reference("rule", "rules", f"/metadata/suppress/{s}/rule", entry.get("rule"))


def resolve(doc: Mapping[str, Any], sources: SourceMap) -> list[Diagnostic]:
    """All R301/R302 findings of one charter document: every one of a schema-valid
    document; of one that fails the schema, those among the parts it can read."""
    found: list[Diagnostic] = []
    known: dict[str, Collection[str] | None] = {name: _ids(doc, name, sources, found)
                                                for name in _LISTS}
    known["priorities"] = _priorities(doc, sources, found)
    known["rules"] = RULES  # the catalogue: suppressions must name a real rule
    for ref in references(doc):
        among = known[ref.among]
        if among is None or type(ref.value) is not str:
            continue  # a list that cannot be read, or a value of another type (S201)
        if ref.value not in among:
            meant = closest(ref.value, among) if isinstance(ref.value, str) else None
            found.append(_diag("R301", f"unknown {ref.kind} '{ref.value}'", ref.pointer, sources,
                               did_you_mean(ref.value, among), key=ref.key,
                               fixes=_rename(doc, ref, meant, sources)))
    return found


def duplicate_charters(charters: Iterable[tuple[str, SourceMap]]) -> Iterator[Diagnostic]:
    """R302 across a portfolio: two files declaring the same `metadata.id`."""
    first: dict[str, SourceMap] = {}
    for charter_id, sources in charters:
        if charter_id in first:
            other = first[charter_id]
            line, column = other.locate("/metadata/id")
            yield _diag("R302", f"duplicate charter id '{charter_id}' (also declared in "
                        f"{other.file}:{line}:{column})", "/metadata/id", sources,
                        "charter ids must be unique in the portfolio",
                        related=[(other.file, line, column)])
        else:
            first[charter_id] = sources
