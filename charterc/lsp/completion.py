"""Completion: field names and enum values from the schema; tier, feature, client and
priority ids from the document; IANA zones and holiday codes.

What is being written at the cursor is read from the text itself, not from the
loaded document, since a line being typed rarely parses: the keys above the cursor
by indentation (block YAML) and the open `{`/`[` on its line (flow YAML) give the
path; a `key:` before the cursor says a value is wanted. In the DSL the word before
the cursor decides (`tier`, `features`, `timezone`, `holidays`); after a feature's name,
and at the start of a statement in a client's block, `aliases` is offered (the other
spellings ITSM exports use, spec section 9.2). A client's or feature's id shows its name
and its aliases.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from .analysis import Analysis
from .fields import fields_of, values_of
from .navigation import definitions

__all__ = ["Context", "Item", "complete", "yaml_context"]

_WORD = re.compile(r"[\w./+-]*$")
_KEY = re.compile(r"([^\s:#{\[,\"'][^:#]*?)\s*:(?:\s|$)")
_INDENT = re.compile(r"^(\s*)((?:-(?:\s+|$))*)")


@dataclass(frozen=True)
class Context:
    """Where the cursor is: the path of the mapping or list written into, and the key
    whose value is being written (`*` for a list item; None when a key is typed)."""

    path: tuple[str, ...]
    key: str | None


@dataclass(frozen=True)
class Item:
    label: str
    kind: str          # field, value, id, zone, holiday
    detail: str = ""
    insert: str | None = None


def _dashes(text: str) -> tuple[list[int], int]:
    """Columns of the leading `- ` markers and the column after them."""
    match = _INDENT.match(text)
    assert match is not None  # the pattern matches the empty string
    columns = [match.start(2) + i for i, ch in enumerate(match.group(2)) if ch == "-"]
    return columns, match.end()


def _block_path(lines: Sequence[str], line: int, need: int, in_item: bool) -> list[str]:
    """Keys (and `*` for items) of the block mappings that hold column `need` at `line`."""
    path: list[str] = []
    for number in range(line - 1, -1, -1):
        if need == 0 and not in_item:
            break
        text = lines[number].split(" #")[0].rstrip()
        if not text.strip() or text.lstrip().startswith(("#", "---")):
            continue
        dashes, column = _dashes(text)
        key = _KEY.match(text, column)
        if key is not None and (column < need or (in_item and column <= need and not dashes)):
            path[:0] = ["*"] * len(dashes) + [key.group(1).strip()]
            need, in_item = (dashes[0], True) if dashes else (column, False)
        elif dashes and dashes[0] < need:
            path[:0] = ["*"] * len(dashes)
            need, in_item = dashes[0], True
        elif column < need and not in_item:
            break
    return path


def _flow(text: str) -> tuple[list[str], str | None, str] | None:
    """In an open flow collection: (path inside it, key being written, text before it)."""
    stack: list[list[str | None]] = []   # [kind, key] of each open collection
    path: list[str] = []
    token = ""
    quote = ""
    outer = -1
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
            token += char
        elif char in "\"'":
            quote = char
            token += char
        elif char in "{[":
            if stack:
                path.append((stack[-1][1] or "") if stack[-1][0] == "map" else "*")
            else:
                outer = index
            stack.append(["map" if char == "{" else "seq", None])
            token = ""
        elif char in "}]":
            if stack:
                stack.pop()
                if path:
                    path.pop()
            token = ""
        elif char == ",":
            if stack and stack[-1][0] == "map":
                stack[-1][1] = None
            token = ""
        elif char == ":" and text[index + 1:index + 2] in (" ", "") and stack \
                and stack[-1][0] == "map":
            stack[-1][1] = token.strip()
            token = ""
        else:
            token += char
    if not stack:
        return None
    kind, key = stack[-1]
    return path, (key if kind == "map" else "*"), text[:outer]


def yaml_context(lines: Sequence[str], line: int, character: int) -> Context:
    before = lines[line][:character] if line < len(lines) else ""
    flow = _flow(before)
    head = flow[2] if flow is not None else before
    dashes, column = _dashes(head)
    need, in_item = (dashes[0], True) if dashes else (column, False)
    path = _block_path(lines, line, need, in_item) + ["*"] * len(dashes)
    key = _KEY.match(head, column)
    if flow is not None:
        inner, flow_key, _ = flow
        if key is not None:
            path.append(key.group(1).strip())
        return Context(tuple(path + inner), flow_key)
    if key is not None:
        return Context(tuple(path), key.group(1).strip())
    if dashes and not fields_of([*path]):
        return Context(tuple(path[:-1]), "*")   # an item of a list of values
    return Context(tuple(path), None)


@cache
def zones() -> tuple[str, ...]:
    import zoneinfo
    return tuple(sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC"))


@cache
def holiday_codes() -> tuple[str, ...]:
    from holidays.registry import COUNTRIES

    codes = {code.upper() for names in COUNTRIES.values() for code in names[1:]
             if 2 <= len(code) <= 3}
    return ("none", *sorted(codes))


def _ids(analysis: Analysis, among: str) -> list[Item]:
    found = definitions(analysis)
    items: list[Item] = []
    for target, pointer in found.items():
        if target.among != among:
            continue
        entry = analysis.value(pointer.rsplit("/", 1)[0]) if among != "priorities" else None
        name = entry.get("name") if isinstance(entry, dict) else None
        detail = name if isinstance(name, str) else among[:-1]
        aliases = entry.get("aliases") if isinstance(entry, dict) else None
        if isinstance(aliases, list) and aliases:
            detail += " (also " + ", ".join(str(a) for a in aliases) + ")"
        items.append(Item(target.id, "id", detail))
    return items


_ALIASES = Item("aliases", "field", "Other spellings in ITSM exports (spec section 9.2)",
                "aliases ")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[^\s,"]+')
_OPEN_BLOCK = re.compile(r"^\s*(\w+)\b[^#]*\{\s*(?:#.*)?$")


def _block_of(lines: Sequence[str], line: int) -> str | None:
    """The keyword of the DSL block (`client`, `tier`, ...) that holds `line`, if any."""
    depth = 0
    for number in range(min(line, len(lines)) - 1, -1, -1):
        text = lines[number].split("#")[0].strip()
        if text.endswith("}") and not text.endswith("{"):
            depth += 1
            continue
        match = _OPEN_BLOCK.match(text)
        if match:
            if depth == 0:
                return match.group(1)
            depth -= 1
    return None


_REFERENCES = {
    ("clients", "*", "tier"): "tiers",
    ("tiers", "*", "features", "*"): "features",
    ("clients", "*", "needs", "features", "*"): "features",
    ("costs", "*", "feature"): "features",
}


def _values(analysis: Analysis, path: tuple[str, ...]) -> list[Item]:
    normal = tuple("*" if p.isdigit() else p for p in path)
    items = [Item(v, "value", "") for v in values_of(list(normal))]
    among = _REFERENCES.get(normal)
    if among is not None:
        items.extend(_ids(analysis, among))
    last = normal[-1] if normal else ""
    if last == "timezone":
        items.extend(Item(z, "zone") for z in zones())
    if last in ("holidays", "country") or normal[-2:] == ("holidays", "country"):
        listed = values_of(list(normal))
        items.extend(Item(c, "holiday") for c in holiday_codes() if c not in listed)
    if normal[-3:] == ("suppress", "*", "rule"):
        from ..diagnostics.rules import RULES
        items.extend(Item(r.id, "value", r.title) for r in RULES.values())
    return items


def _yaml(analysis: Analysis, context: Context) -> list[Item]:
    if context.key is not None:
        return _values(analysis, (*context.path, context.key))
    items = [Item(name, "field", text, f"{name}: ")
             for name, text in fields_of(list(context.path)).items()]
    if context.path[-2:] in (("objectives", "response"), ("objectives", "resolution")):
        items.extend(Item(i.label, "id", i.detail, f"{i.label}: ")
                     for i in _ids(analysis, "priorities"))
    return items


def _dsl(analysis: Analysis, before: str, line: int = 0) -> list[Item]:
    words = before.replace(",", " , ").split()
    last = words[-1] if words else ""
    if not words and _block_of(analysis.text_lines, line) == "client":
        return [_ALIASES]
    if words[:1] == ["feature"]:
        values = _TOKEN.findall(before)
        if len(values) in (2, 3) and "aliases" not in values:
            return [_ALIASES]
    if last == "tier" and before.startswith((" ", "\t")):
        return _ids(analysis, "tiers")
    if last in ("features", "for") or (last == "," and "features" in words):
        return _ids(analysis, "features")
    if last == "timezone" or re.fullmatch(r"[\w,-]*\d\d:\d\d-\d\d:\d\d", last):
        return [Item(z, "zone") for z in zones()]
    if last == "holidays":
        return [Item(c, "holiday") for c in holiday_codes()]
    return [item for among in ("tiers", "features", "clients", "priorities")
            for item in _ids(analysis, among)]


def complete(analysis: Analysis, line: int, character: int) -> tuple[list[Item], int]:
    """The candidates at the position and the column where the word being typed starts."""
    lines = analysis.text_lines
    text = lines[line] if line < len(lines) else ""
    before = text[:character]
    match = _WORD.search(before)
    prefix = match.group() if match else ""
    start = character - len(prefix)
    if analysis.dsl:
        items = _dsl(analysis, before[:start], line)
    else:
        items = _yaml(analysis, yaml_context(lines, line, start))
    folded = prefix.lower()
    seen: set[str] = set()
    chosen: list[Item] = []
    for item in items:
        if item.label not in seen and item.label.lower().startswith(folded):
            seen.add(item.label)
            chosen.append(item)
    return chosen, start
