"""Go to definition, find references and document symbols of tier, feature, client ids.

Definitions are the `id` of each entry of `tiers`, `features`, `clients` and `costs`,
and each item of `priorities`; references are the ones R301 resolves
(`validate.references.references`: a client's tier, a tier's features, a client's
needed features, a cost's feature, the priorities of an objective). Both syntaxes
work alike: the loaders give both the same pointers.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..diagnostics import pointer_parts
from .analysis import Analysis, Spot

__all__ = ["LISTS", "Symbol", "Target", "definition", "definitions", "references_to",
           "symbols", "target_at"]

# lists whose entries have an id, with the word for one entry
LISTS = {"tiers": "tier", "features": "feature", "clients": "client", "costs": "cost"}


@dataclass(frozen=True)
class Target:
    """An id and the list it belongs to (`tiers`, `features`, ..., `priorities`)."""

    among: str
    id: str


def definitions(analysis: Analysis) -> dict[Target, str]:
    """Every defined id -> the pointer of its definition."""
    document = analysis.document
    found: dict[Target, str] = {}
    if not isinstance(document, dict):
        return found
    for name in LISTS:
        entries = document.get(name)
        for index, entry in enumerate(entries if isinstance(entries, list) else ()):
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                found.setdefault(Target(name, entry["id"]), f"/{name}/{index}/id")
    priorities = document.get("priorities")
    for index, priority in enumerate(priorities if isinstance(priorities, list) else ()):
        if isinstance(priority, str):
            found.setdefault(Target("priorities", priority), f"/priorities/{index}")
    return found


def _references(analysis: Analysis) -> list[tuple[Target, str, bool]]:
    """(what, pointer, written as a key) of every id reference of the document."""
    from ..validate.references import references

    if not isinstance(analysis.document, dict):
        return []
    try:
        return [(Target(ref.among, ref.value), ref.pointer, ref.key)
                for ref in references(analysis.document) if isinstance(ref.value, str)]
    except (AttributeError, TypeError):  # a shape the schema refuses: no references yet
        return []


def target_at(analysis: Analysis, line: int, character: int) -> tuple[Target, Spot] | None:
    """The id defined or referenced at the position, and where it is written."""
    spot = analysis.spot_at(line, character)
    if spot is None:
        return None
    parts = pointer_parts(spot.pointer)
    if not spot.key and len(parts) == 3 and parts[0] in LISTS and parts[2] == "id":
        value = analysis.value(spot.pointer)
        return (Target(parts[0], value), spot) if isinstance(value, str) else None
    if not spot.key and len(parts) == 2 and parts[0] == "priorities":
        value = analysis.value(spot.pointer)
        return (Target("priorities", value), spot) if isinstance(value, str) else None
    for target, pointer, key in _references(analysis):
        if pointer == spot.pointer and key == spot.key:
            return target, spot
    return None


def definition(analysis: Analysis, target: Target) -> Spot | None:
    pointer = definitions(analysis).get(target)
    return analysis.locate(pointer) if pointer is not None else None


def references_to(analysis: Analysis, target: Target, *, declaration: bool) -> list[Spot]:
    """Where the id is referenced (and defined, with `declaration`), in document order."""
    found: list[Spot] = []
    if declaration and (spot := definition(analysis, target)) is not None:
        found.append(spot)
    for other, pointer, key in _references(analysis):
        if other == target and (spot := analysis.locate(pointer, key=key)) is not None:
            found.append(spot)
    return sorted(found, key=lambda s: (s.line, s.start))


@dataclass(frozen=True)
class Symbol:
    kind: str          # tier, feature, client
    id: str
    name: str
    first_line: int
    last_line: int
    selection: Spot


def symbols(analysis: Analysis) -> list[Symbol]:
    """Tiers, clients and features of the document, each with the lines it spans."""
    document = analysis.document
    sources = analysis.sources
    found: list[Symbol] = []
    if not isinstance(document, dict) or sources is None:
        return found
    lines_of: dict[str, list[int]] = {}
    for pointer, (line, _) in sources.values.items():
        parts = pointer_parts(pointer)
        if len(parts) >= 2 and parts[0] in ("tiers", "clients", "features"):
            lines_of.setdefault(f"/{parts[0]}/{parts[1]}", []).append(line - 1)
    for name in ("tiers", "clients", "features"):
        entries: Any = document.get(name)
        for index, entry in enumerate(entries if isinstance(entries, list) else ()):
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                continue
            spot = analysis.locate(f"/{name}/{index}/id")
            lines = lines_of.get(f"/{name}/{index}")
            if spot is None or not lines:
                continue
            label = entry.get("name")
            found.append(Symbol(LISTS[name], entry["id"], label if isinstance(label, str) else "",
                                min(lines), max(lines), spot))
    return found
