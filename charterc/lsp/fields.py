"""The charter JSON Schema read by path: what a field means, its default, its values.

Hover shows a field's description (the schema states defaults in it, "default
`30d`"); completion lists a mapping's fields and a value's enum. A path is a list of
keys, with `*` (or any digits) for list items; `$ref`, `anyOf`, `oneOf` and
`patternProperties` are followed, so `tiers/*/objectives/response/P1` reaches the
priority target's schema.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

__all__ = ["Field", "default_of", "field_at", "fields_of", "values_of"]

Schema = dict[str, Any]


@cache
def _root() -> Schema:
    from ..validate.schema import load_schema
    return load_schema()


def _resolve(node: Schema) -> Schema:
    ref = node.get("$ref")
    if not isinstance(ref, str) or "#/$defs/" not in ref:
        return node
    target = _root()["$defs"].get(ref.rsplit("/", 1)[-1], {})
    return _resolve(target) if isinstance(target, dict) else {}


def _branches(node: Schema) -> Iterator[Schema]:
    """The node and the alternatives it allows, references followed."""
    node = _resolve(node)
    yield node
    for word in ("anyOf", "oneOf", "allOf"):
        for branch in node.get(word) or ():
            if isinstance(branch, dict):
                yield from _branches(branch)


@dataclass(frozen=True)
class Field:
    """A field's schema as written at its place (description first, then its type's)."""

    name: str
    nodes: tuple[Schema, ...]   # the field's own node first, then its branches

    @property
    def description(self) -> str:
        for node in self.nodes:
            text = node.get("description")
            if isinstance(text, str):
                return text
        return ""


def _children(nodes: Sequence[Schema], part: str) -> list[Schema]:
    found: list[Schema] = []
    for node in nodes:
        for branch in _branches(node):
            properties = branch.get("properties") or {}
            if part in properties:
                found.append(properties[part])
                continue
            matched = False
            for pattern, child in (branch.get("patternProperties") or {}).items():
                if re.search(pattern, part):
                    found.append(child)
                    matched = True
                    break
            if not matched and (part == "*" or part.isdigit()) and isinstance(
                    branch.get("items"), dict):
                found.append(branch["items"])
    return found


def field_at(path: Sequence[str]) -> Field | None:
    """The schema of the value at `path` (keys, `*` or indices for items), if any."""
    nodes: list[Schema] = [_root()]
    for part in path:
        nodes = _children(nodes, part)
        if not nodes:
            return None
    expanded: list[Schema] = []
    for node in nodes:
        expanded.append(node)
        expanded.extend(b for b in _branches(node) if b is not node)
    return Field(path[-1] if path else "", tuple(expanded))


def fields_of(path: Sequence[str]) -> dict[str, str]:
    """Field name -> description of the mapping at `path`."""
    found = field_at(path)
    names: dict[str, str] = {}
    for node in found.nodes if found else ():
        for name, child in (node.get("properties") or {}).items():
            if name not in names and isinstance(child, dict):
                names[name] = Field(name, (child, *_branches(child))).description
    return names


def values_of(path: Sequence[str]) -> list[str]:
    """The values the schema allows at `path` when it lists them (enum, const)."""
    found = field_at(path)
    values: list[str] = []
    for node in found.nodes if found else ():
        for value in [*(node.get("enum") or ()), *([node["const"]] if "const" in node else [])]:
            if isinstance(value, str) and value not in values:
                values.append(value)
    return values


_DEFAULT = re.compile(r"\(default:? ([^);]*)|default (`[^`]*`)")


def default_of(description: str) -> str | None:
    """The default the description states, e.g. "`30d`", or None."""
    match = _DEFAULT.search(description)
    if match is None:
        return None
    return (match.group(1) or match.group(2)).strip()
