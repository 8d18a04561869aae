"""Canonical document -> `.charter.yaml` text: stable layout, spec section 3 field order.

Layout: block mappings for the document and its big blocks (metadata, provider,
business, objectives, security, each tier and client); lists of records (costs,
features, tiers, clients, changes, ...) as block sequences; everything smaller in flow
style (`{target: 99.5%, window: monthly}`, `[P1, P2]`) when the line stays within 100
columns, in block style otherwise. Keys follow section 3's order; keys it does not name
(priority names) keep their order in the document.

Quoting: a string is written plain only when every YAML reader takes it back as the same
string - YAML 1.2 core (our loader) and YAML 1.1 (PyYAML, many editors). So `"18:00"`
(sexagesimal in 1.1), `"NO"`, `"on"` (booleans in 1.1), `"1.10"` (a float) and
`"null"` are quoted. Calendar dates `YYYY-MM-DD` stay plain as section 3 writes them: a
YAML 1.1 reader makes them dates, but of the same day, and our loader keeps them strings.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml as pyyaml

from ..diagnostics import pointer_join
from ..loaders.scalars import resolve_plain
from . import Document, Unrepresentable, literal

__all__ = ["SCHEMA", "dump"]

SCHEMA = "../schemas/charter.schema.json"  # as the bundled charters/*.charter.yaml say it
WIDTH = 100

_ORDER = {
    "": ("apiVersion", "kind", "metadata", "provider", "period", "baseline", "business",
         "costs", "features", "priorities", "tiers", "clients", "governance", "reporting",
         "security", "terms"),
    "metadata": ("id", "title", "version", "status", "owner", "suppress", "changes",
                 "signatories"),
    "suppress": ("rule", "reason"),
    "changes": ("version", "date", "summary"),
    "signatories": ("name", "role", "party"),
    "signatory": ("name", "role", "party"),
    "provider": ("name", "timezone", "holidays"),
    "holidays": ("country", "subdivision", "extra", "remove"),
    "period": ("start", "years", "end"),
    "baseline": ("reviewed", "every"),
    "business": ("stance", "cap", "charging", "unit", "currency", "recovery"),
    "cap": ("units", "cost"),
    "recovery": ("target", "tolerance"),
    "costs": ("id", "amount", "growth", "feature"),
    "features": ("id", "name", "aliases"),
    "tiers": ("id", "name", "features", "hours", "objectives", "maintenance", "price",
              "credits"),
    "hours": ("schedule", "timezone", "holidays"),
    "maintenance": ("schedule", "timezone"),
    "schedule": ("days", "from", "to"),
    "objectives": ("availability", "response", "resolution"),
    "availability": ("target", "window", "measured_by"),
    "response": ("clock", "*", "attainment", "measured_by", "pause_on"),
    "resolution": ("clock", "*", "attainment", "measured_by", "pause_on"),
    "price": ("per_unit", "fixed", "indexation"),
    "credits": ("bands", "cap", "claim_within", "applied", "remedy"),
    "bands": ("below", "credit"),
    "clients": ("id", "name", "aliases", "tier", "share", "volume", "budget", "needs",
                "regions", "data", "reporting", "signatory", "timezone"),
    "volume": ("units", "growth"),
    "needs": ("hours", "features"),
    "data": ("classification", "personal", "regimes"),
    "reporting": ("cadence", "metrics", "to"),
    "governance": ("primary_threshold", "approval", "change_notice"),
    "security": ("classification", "isolation", "residency", "controls", "breach_notification",
                 "subprocessors", "transfers", "retention", "exit"),
    "subprocessors": ("name", "country"),
    "exit": ("return", "delete"),
    "terms": ("effective", "renewal", "termination_notice", "credits", "exclusions",
              "client_obligations", "escalation", "disputes"),
    "escalation": ("level", "role", "contact", "within"),
}
# Mappings always written as blocks, and lists of records always written as block sequences.
_BLOCK = frozenset({"", "metadata", "provider", "business", "tiers", "clients", "objectives",
                    "credits", "needs", "security", "terms"})
_BLOCK_LISTS = frozenset({"suppress", "changes", "signatories", "costs", "features", "tiers",
                          "clients", "subprocessors", "client_obligations", "escalation"})

_PLAIN = re.compile(r"[\w./+(~][\w .@/+%()'&~;!?*=-]*\Z|-[\w./+(~][\w .@/+%()'&~;!?*=-]*\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_RESOLVER = pyyaml.resolver.Resolver()
# PyYAML's resolver is untyped: its tag for a plain scalar, seen through a typed name
_resolve_tag: Callable[[type[pyyaml.nodes.Node], str, tuple[bool, bool]], str] = \
    _RESOLVER.resolve
_STR = "tag:yaml.org,2002:str"
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def dump(document: Document, *, schema: str | None = SCHEMA) -> str:
    """The document as YAML text, starting with the `yaml-language-server` schema line."""
    out = [f"# yaml-language-server: $schema={schema}"] if schema else []
    if type(document) is not dict:
        raise Unrepresentable("", "a charter is a mapping")
    out += _block_mapping(document, "", 0, "") if document else ["{}"]
    return "\n".join(out) + "\n"


def plain_ok(text: str) -> bool:
    """Whether `text` reads back as itself, unquoted, under YAML 1.2 and YAML 1.1."""
    if not _PLAIN.match(text) or text.endswith(" ") or not text.isprintable():
        return False
    if type(resolve_plain(text)) is not str:
        return False
    tag = _resolve_tag(pyyaml.nodes.ScalarNode, text, (True, False))
    return tag == _STR or (tag == "tag:yaml.org,2002:timestamp" and bool(_DATE.match(text)))


def quote(text: str, pointer: str = "") -> str:
    out: list[str] = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        elif 0xD800 <= ord(ch) <= 0xDFFF:
            raise Unrepresentable(pointer, "a lone surrogate cannot be written in YAML")
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def scalar(value: object, pointer: str = "") -> str:
    if (written := literal(value)) is not None:
        return written
    if type(value) is str:
        return value if plain_ok(value) else quote(value, pointer)
    raise Unrepresentable(pointer, f"cannot write a {type(value).__name__}")


def _key(key: object, pointer: str) -> str:
    if type(key) is not str:
        raise Unrepresentable(pointer, "mapping keys must be strings")
    return key if plain_ok(key) else quote(key, pointer)


def _is_scalar(value: object) -> bool:
    return type(value) not in (dict, list)


def _ordered(mapping: dict[Any, Any], context: str) -> list[Any]:
    order = _ORDER.get(context, ())
    rest = order.index("*") if "*" in order else len(order)
    return sorted(mapping, key=lambda k: order.index(k) if k in order else rest)


def _flow(value: object, context: str, pointer: str) -> str:
    if type(value) is dict:
        return "{" + ", ".join(
            f"{_key(k, pointer)}: {_flow(value[k], k, pointer_join(pointer, k))}"
            for k in _ordered(value, context)) + "}"
    if type(value) is list:
        return "[" + ", ".join(_flow(item, context, pointer_join(pointer, i))
                               for i, item in enumerate(value)) + "]"
    return scalar(value, pointer)


def _records(value: object) -> bool:
    return type(value) is list and any(type(item) is not str and not _is_scalar(item)
                                       for item in value)


def _block_mapping(mapping: dict[Any, Any], context: str, indent: int,
                   pointer: str) -> list[str]:
    lines: list[str] = []
    pad = " " * indent
    for key in _ordered(mapping, context):
        value = mapping[key]
        here = pointer_join(pointer, key)
        head = f"{pad}{_key(key, here)}:"
        if _is_scalar(value):
            lines.append(f"{head} {scalar(value, here)}")
            continue
        if value and (key in _BLOCK or (key in _BLOCK_LISTS and _records(value))):
            flow = None
        else:
            flow = _flow(value, key, here)
        if flow is not None and (len(head) + 1 + len(flow) <= WIDTH or not value):
            lines.append(f"{head} {flow}")
        elif type(value) is dict:
            lines.append(head)
            lines += _block_mapping(value, key, indent + 2, here)
        else:
            lines.append(head)
            lines += _block_sequence(value, key, indent + 2, here)
    return lines


def _block_sequence(items: list[Any], context: str, indent: int, pointer: str) -> list[str]:
    lines: list[str] = []
    pad = " " * indent
    for index, item in enumerate(items):
        here = pointer_join(pointer, index)
        if _is_scalar(item):
            lines.append(f"{pad}- {scalar(item, here)}")
            continue
        flow = None if (item and context in _BLOCK) else _flow(item, context, here)
        if flow is not None and (indent + 2 + len(flow) <= WIDTH or not item):
            lines.append(f"{pad}- {flow}")
        elif type(item) is dict:
            inner = _block_mapping(item, context, indent + 2, here)
            inner[0] = f"{pad}- {inner[0][indent + 2:]}"
            lines += inner
        else:
            lines.append(f"{pad}-")
            lines += _block_sequence(item, context, indent + 2, here)
    return lines
