"""YAML loader: text -> canonical document + SourceMap, with YAML 1.2 core-schema semantics.

PyYAML resolves scalars by YAML 1.1 (`18:00` is 1080, `NO` is false, dates become
`date` objects). We take PyYAML's (libyaml's when present) event stream and build
the document ourselves, so that:

- plain scalars resolve by the YAML 1.2 core schema (`true`/`false`, `null`/`~`,
  decimal/octal/hex ints, floats); everything else, dates included, is a string;
- every value and every key gets its 1-based line and column in the SourceMap;
- explicit tags are refused (P105), duplicate keys reported (P102), nesting
  bounded (P104), and alias expansion is *counted* rather than performed, so a
  "billion laughs" document fails fast and small (P105).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, TypeAlias

import yaml

from ..diagnostics import Diagnostic, Severity, SourceMap, escape_token
from ..diagnostics.rules import declare
from ..errors import CharterError
from . import DEFAULT_LIMITS, Limits, Loaded, error, refuse_surrogates
from .scalars import Scalar, resolve_plain

if TYPE_CHECKING:
    from yaml._yaml import Mark as _CMark

__all__ = ["load_text", "resolve_plain"]

declare("P101", Severity.ERROR, """
    YAML syntax error.

    The file is not well-formed YAML; the position is where the parser stopped.

    Fails:   tier: {id: standard
    Passes:  tier: {id: standard}
""")
declare("P102", Severity.ERROR, """
    Duplicate key in a mapping.

    YAML would silently keep the last value; charterc refuses to guess.
    The message names the position of the first occurrence.

    Fails:   metadata: {id: a, id: b}
    Passes:  metadata: {id: a}
""")
declare("P105", Severity.ERROR, """
    Forbidden YAML feature: an explicit tag, or aliases that expand past a bound.

    Tags (`!!python/object`, `!custom`, even `!!str`) are refused: quote the value
    instead. Aliases may be used, but the document they expand to is bounded
    (no "billion laughs").

    Fails:   version: !!str 1.10
    Passes:  version: "1.10"
""")

# libyaml's parser when available. The pure-Python one refuses some texts libyaml takes (a
# tab inside a plain scalar of a flow sequence), so whatever scans a charter again uses this.
_Loader: type[yaml.SafeLoader | yaml.CSafeLoader] = (
    yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)

# A position in the text (libyaml's parser has its own mark type).
_Mark: TypeAlias = "yaml.Mark | _CMark"
class _Stop(CharterError):
    """Raised inside the builder to abandon a document with one diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


class _Builder:
    def __init__(self, file: str, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.sources = SourceMap(file)
        self.anchors: dict[str, tuple[object, int]] = {}  # anchor -> (value, node count)
        self.nodes = 0
        self.diagnostics: list[Diagnostic] = []

    def stop(self, rule: str, message: str, mark: _Mark | None, hint: str = "") -> _Stop:
        return _Stop(error(rule, message, self.file, *_position(mark), hint))

    def count(self, n: int, mark: _Mark | None) -> None:
        self.nodes += n
        if self.nodes > self.limits.max_nodes:
            raise self.stop("P105", f"the document expands to more than {self.limits.max_nodes:,} "
                            "nodes (aliases expand past the bound)", mark,
                            "write the values out instead of repeating them through aliases")

    def check_tag(self, event: yaml.ScalarEvent | yaml.CollectionStartEvent) -> None:
        tag = event.tag
        if tag is None or tag == "!":  # "!" is YAML's non-specific tag: a quoted-like string
            return
        short = tag.replace("tag:yaml.org,2002:", "!!")
        raise self.stop("P105", f"explicit tag {short} is not allowed", event.start_mark,
                        "remove the tag; quote the value if it must be a string")

    def build(self, events: Iterator[yaml.Event]) -> object:
        """Build one node from the event iterator (positioned after its start event)."""
        return self.node(next(events), events, "", 1)

    def node(self, event: yaml.Event, events: Iterator[yaml.Event], pointer: str,
             depth: int) -> object:
        if depth > self.limits.max_depth:
            raise self.stop("P104", f"nesting deeper than {self.limits.max_depth} levels",
                            event.start_mark, "flatten the structure")
        self.sources.values[pointer] = _position(event.start_mark)
        if type(event) is yaml.ScalarEvent:
            return self.scalar(event, pointer)
        if type(event) is yaml.AliasEvent:
            return self.alias(event)
        if type(event) is yaml.SequenceStartEvent:
            return self.sequence(event, events, pointer, depth)
        if type(event) is yaml.MappingStartEvent:
            return self.mapping(event, events, pointer, depth)
        raise self.stop("P101", "unexpected YAML event", event.start_mark)  # pragma: no cover

    def scalar(self, event: yaml.ScalarEvent, pointer: str) -> Scalar:
        self.check_tag(event)
        self.count(1, event.start_mark)
        value: Scalar
        if event.style is None or event.style == "":
            value = resolve_plain(event.value)
            if value is not None and not isinstance(value, str):
                self.sources.raw[pointer] = event.value
        else:
            value = event.value
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)
        return value

    def alias(self, event: yaml.AliasEvent) -> object:
        anchor = event.anchor
        if anchor is None or anchor not in self.anchors:
            raise self.stop("P101", f"unknown alias *{anchor}", event.start_mark)
        value, size = self.anchors[anchor]
        self.count(size, event.start_mark)
        return value

    def sequence(self, event: yaml.SequenceStartEvent, events: Iterator[yaml.Event],
                 pointer: str, depth: int) -> list[object]:
        self.check_tag(event)
        start = self.nodes
        self.count(1, event.start_mark)
        items: list[object] = []
        for index, child in enumerate(events):
            if type(child) is yaml.SequenceEndEvent:
                break
            items.append(self.node(child, events, f"{pointer}/{index}", depth + 1))
        if event.anchor:  # registered after the children: a self-reference is unknown
            self.anchors[event.anchor] = (items, self.nodes - start)
        return items

    def mapping(self, event: yaml.MappingStartEvent, events: Iterator[yaml.Event],
                pointer: str, depth: int) -> dict[str, object]:
        self.check_tag(event)
        start = self.nodes
        self.count(1, event.start_mark)
        mapping: dict[str, object] = {}
        keys = self.sources.keys
        for key_event in events:
            if type(key_event) is yaml.MappingEndEvent:
                break
            key = self.key(key_event)
            key_line, key_column = _position(key_event.start_mark)
            child_pointer = f"{pointer}/{escape_token(key)}"
            if key in mapping:
                first = keys[child_pointer]
                self.diagnostics.append(error(
                    "P102", f"duplicate key '{key}' (first defined at line {first[0]}, "
                    f"column {first[1]})", self.file, key_line, key_column,
                    "remove one of the two entries", child_pointer,
                    related=[(self.file, first[0], first[1])]))
                # keep the first value's position; parse and drop the duplicate's value
                saved = dict(self.sources.values), dict(self.sources.raw)
                self.node(next(events), events, child_pointer, depth + 1)
                self.sources.values, self.sources.raw = saved
                continue
            keys[child_pointer] = (key_line, key_column)
            mapping[key] = self.node(next(events), events, child_pointer, depth + 1)
        if event.anchor:
            self.anchors[event.anchor] = (mapping, self.nodes - start)
        return mapping

    def key(self, event: yaml.Event) -> str:
        """Mapping keys are strings: a scalar key is taken as written."""
        if type(event) is yaml.ScalarEvent:
            self.check_tag(event)
            return event.value
        if type(event) is yaml.AliasEvent:
            anchor = event.anchor
            value = self.anchors[anchor][0] if anchor is not None and anchor in self.anchors \
                else None
            if isinstance(value, (str, int, float, bool)) or value is None:
                return "null" if value is None else str(value)
        raise self.stop("P101", "a mapping key must be a plain string", event.start_mark,
                        "use a simple word as the key")


def _position(mark: _Mark | None) -> tuple[int, int]:
    """1-based (line, column) of a mark; every event the parser emits carries one."""
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def load_text(text: str, file: str, *, limits: Limits = DEFAULT_LIMITS) -> Loaded:
    """Load one YAML charter: never raises for bad input."""
    lines = text.splitlines()
    builder = _Builder(file, limits)
    builder.sources.lines = lines
    document: object = None
    try:
        events = iter(yaml.parse(text, Loader=_Loader))
        next(events)  # StreamStart
        first = next(events)
        if type(first) is yaml.StreamEndEvent:
            return Loaded(file, None, builder.sources, [error(
                "S201", "this file holds nothing (it is empty): a charter is a mapping", file,
                hint="start from `charterc init`")])
        # DocumentStart
        document = builder.build(events)
        next(events)  # DocumentEnd
        extra = next(events)
        if type(extra) is not yaml.StreamEndEvent:
            raise _Stop(error("P101", "more than one YAML document in the file", file,
                              *_position(extra.start_mark),
                              "keep one charter per file; remove the `---` separator"))
    except _Stop as stop:
        return Loaded(file, None, builder.sources, [*builder.diagnostics, stop.diagnostic])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        line, column = _clamp(lines, line, column)
        message = exc.problem or "YAML syntax error"
        if message == "found invalid Unicode character escape code":
            return Loaded(file, None, builder.sources, [*builder.diagnostics, error(
                "P106", "invalid Unicode escape: a lone surrogate (\\ud800-\\udfff) or a code "
                "point past \\U0010ffff is not a character", file, line, column,
                hint="write the character itself (the file is UTF-8), or drop the escape")])
        if exc.context:
            message = f"{message} ({exc.context})"
        return Loaded(file, None, builder.sources, [*builder.diagnostics, error(
            "P101", message, file, line, column, hint=_syntax_hint(message))])
    except yaml.YAMLError as exc:  # e.g. reader errors on control characters
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "mark", None)
        position = getattr(exc, "position", None)
        if mark is not None:
            line, column = mark.line + 1, mark.column + 1
        elif position is not None:
            line = text.count("\n", 0, position) + 1
            column = position - (text.rfind("\n", 0, position) + 1) + 1
        else:
            line, column = 1, 1
        line, column = _clamp(lines, line, column)
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        return Loaded(file, None, builder.sources, [*builder.diagnostics, error(
            "P101", f"YAML syntax error: {reason}", file, line, column,
            hint="remove control characters from the file")])
    except RecursionError:
        return Loaded(file, None, builder.sources, [error(
            "P104", "nesting too deep", file, hint="flatten the structure")])
    if document is None and not builder.diagnostics:
        return Loaded(file, None, builder.sources, [error(
            "S201", "this file holds nothing (an empty document): a charter is a mapping",
            file, hint="start from `charterc init`")])
    # libyaml refuses `"\ud800"` itself; the pure-Python parser lets it through
    return refuse_surrogates(Loaded(file, document, builder.sources, builder.diagnostics))


def _clamp(lines: list[str], line: int, column: int) -> tuple[int, int]:
    """Keep a parser position inside the file (libyaml may point one past the end)."""
    if not lines:
        return 1, 1
    if line > len(lines):
        line = len(lines)
        column = len(lines[-1]) + 1
    column = max(1, min(column, len(lines[line - 1]) + 1))
    return line, column


def _syntax_hint(message: str) -> str:
    if "tab" in message:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in message:
        return "quote values that contain ': ' or add the missing indentation"
    if "could not find expected ':'" in message:
        return "a key needs a ':' after it"
    if "flow" in message:
        return "check the brackets and braces on this line"
    return "check the indentation and quoting around this position"
