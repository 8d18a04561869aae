"""DSL loader: `.charter` text -> the same canonical document as its YAML twin, with positions.

The grammar (`charter.lark`, beside this module) is parsed by Lark's LALR parser with the
contextual lexer, loaded once from tables generated ahead of time (`_charter_parser`, in
Lark's standalone form: run `python -m charterc.loaders.dsl_generate` after editing the
grammar). Parsing is tree-less: the callbacks in `_Callbacks` build a light tree of tuples
as the parser reduces, and `_Builder` turns it into the document top-down, so that every
value gets its JSON pointer and its line and column:

    node         ("s", line, column, value, raw)    a scalar (raw: source of a non-string)
                 ("l", line, column, [node, ...])   a list
                 ("m", line, column, [instr, ...])  a mapping, built from instructions
                 ("e", line, column, message)       a value that could not be read (P103)
    instruction  (mode, path, key, line, column, node): put `node` under `key` of the
                 mapping at `path` (a tuple of keys, created on the way), where `line`
                 and `column` place the keyword that names the key (0 when positional).

Bare words resolve like YAML 1.2 plain scalars (`3` is an int, `3.5` a float, `true`
a boolean, `2026-01-15` and `99.5%` strings); quoted text is always a string. So a
DSL charter and its YAML twin load to equal documents, and whatever a later stage says
about a value points into the `.charter` file. A text that does not parse is explained
by `dsl_errors.describe`, imported only then.
"""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, TypeAlias, TypeGuard, cast

from ..diagnostics import Diagnostic, SourceMap, escape_token
from . import DEFAULT_LIMITS, Limits, Loaded, error, refuse_surrogates
from . import _charter_parser as _runtime
from ._charter_parser import (
    BasicLexer,
    ContextualLexer,
    Lark,
    LarkError,
    LexerState,
    ParserState,
    PatternStr,
    Scanner,
    Shift,
    Token,
    UnexpectedInput,
)
from .dsl_generate import GRAMMAR_PATH
from .scalars import resolve_plain

# Lark's run-time is partly untyped: what is called untyped goes through this name.
_untyped: Any = _runtime

__all__ = ["GRAMMAR_PATH", "keywords", "load_text", "parser", "rule_keywords"]


SET, APPEND, EMPTY, DEFAULT, UNIT = range(5)
# `priority` statements are gathered here, then merged into `priorities` (`_priorities`)
PRIORITY_DEFS = "\x00priority"
_NO_KEY = 0

# The light tree of the module docstring. Its shapes differ by their first item, which
# the code reads before indexing, so a node is typed as a tuple of any length.
Node: TypeAlias = tuple[Any, ...]
# (mode, path, key, line, column, node)
Instruction: TypeAlias = tuple[int, tuple[str, ...], str, int, int, Node]
# What a callback receives: its rule's tokens, nodes and instructions, in grammar order.
Children: TypeAlias = list[Any]
Instructions: TypeAlias = list[Instruction]  # (`list` is also a callback of `_Callbacks`)
Callback: TypeAlias = Callable[[Any, Children], Node | Instruction | Instructions]

# Clause rules that set one key: rule name -> canonical key (rules named after their key
# are listed with themselves).
_FIELDS = {
    "role": "role", "party": "party", "timezone": "timezone", "holidays": "holidays",
    "country": "country", "subdivision": "subdivision", "extra": "extra", "remove": "remove",
    "period_start": "start", "years": "years", "end": "end", "reviewed": "reviewed",
    "every": "every", "stance": "stance", "charging": "charging", "unit": "unit",
    "currency": "currency", "growth": "growth", "for_feature": "feature",
    "priorities": "priorities", "tier_features": "features", "hours": "hours",
    "maintenance": "maintenance", "schedule_empty": "schedule", "objectives": "objectives",
    "window": "window", "measured_by": "measured_by", "attainment": "attainment",
    "pause_on": "pause_on", "aliases": "aliases",
    "fixed": "fixed", "indexation": "indexation", "credit_cap": "cap",
    "client_tier": "tier", "share": "share", "budget": "budget", "needs_hours": "hours",
    "needs_features": "features", "regions": "regions", "classification": "classification",
    "regimes": "regimes", "cadence": "cadence", "metrics": "metrics", "to": "to",
    "primary_threshold": "primary_threshold", "approval": "approval",
    "change_notice": "change_notice", "isolation": "isolation", "residency": "residency",
    "controls": "controls", "breach_notification": "breach_notification",
    "transfers": "transfers", "retention": "retention", "exit_return": "return",
    "exit_delete": "delete", "effective": "effective", "renewal": "renewal",
    "termination_notice": "termination_notice", "claim_within": "claim_within",
    "applied": "applied", "remedy": "remedy", "exclusions": "exclusions",
    "contact": "contact", "within": "within", "disputes": "disputes",
    "priority_name": "name", "priority_means": "means", "claim_to": "claim_to",
    "answer_within": "answer_within", "payment_days": "payment_days", "true_up": "true_up",
    "law": "law", "jurisdiction": "jurisdiction", "notices_provider": "provider",
}

# Statements that build a mapping from positional values and clauses:
# rule -> (mode, path, key, names of the positional values in order).
_MAPS: dict[str, tuple[int | None, tuple[str, ...], str, tuple[str, ...]]] = {
    "suppress": (APPEND, ("metadata",), "suppress", ("rule", "reason")),
    "change": (APPEND, ("metadata",), "changes", ("version", "date", "summary")),
    "signatory": (APPEND, ("metadata",), "signatories", ("name",)),
    "client_signatory": (SET, (), "signatory", ("name",)),
    "provider": (SET, (), "provider", ("name",)),
    "period": (SET, (), "period", ()),
    "baseline": (SET, (), "baseline", ()),
    "business": (SET, (), "business", ("stance", "charging", "unit", "currency")),
    "cost": (APPEND, (), "costs", ("id", "amount")),
    "feature": (APPEND, (), "features", ("id", "name")),
    "tier": (APPEND, (), "tiers", ("id", "name")),
    "client": (APPEND, (), "clients", ("id", "name")),
    "availability": (SET, ("objectives",), "availability", ("target", "window")),
    "volume": (SET, (), "volume", ("units",)),
    "data": (SET, (), "data", ("classification",)),
    "reporting": (SET, (), "reporting", ("cadence",)),
    "governance": (SET, (), "governance", ()),
    "security": (SET, (), "security", ()),
    "subprocessor": (APPEND, (), "subprocessors", ("name", "country")),
    "exit": (SET, (), "exit", ()),
    "cap": (SET, (), "cap", ()),
    "band": (None, (), "", ("below", "credit")),
    "credit": (SET, (), "credits", ()),
    "terms": (SET, (), "terms", ()),
    "terms_credits": (SET, (), "credits", ()),
    "escalation": (APPEND, (), "escalation", ("level", "role")),
    "priority": (APPEND, (), PRIORITY_DEFS, ("id",)),
    "invoicing": (SET, (), "invoicing", ()),
    "liability": (SET, (), "liability", ()),
    "notices": (SET, (), "notices", ()),
}

# `meta` and `empty_list` statements: keyword -> (path, key).
_META = {"apiVersion": ((), "apiVersion"), "kind": ((), "kind"),
         "title": (("metadata",), "title"), "version": (("metadata",), "version"),
         "status": (("metadata",), "status"), "owner": (("metadata",), "owner")}
_LISTS = {"suppress": (("metadata",), "suppress"), "changes": (("metadata",), "changes"),
          "signatories": (("metadata",), "signatories"), "costs": ((), "costs"),
          "features": ((), "features"), "tiers": ((), "tiers"), "clients": ((), "clients"),
          "subprocessors": ((), "subprocessors"),
          "obligations": ((), "client_obligations"), "escalation": ((), "escalation")}

# Keys whose value is a percent string: a bare number there is a forgotten `%`.
_PERCENT_KEYS = frozenset({"growth", "indexation", "attainment", "share", "target",
                           "tolerance", "primary_threshold", "below", "credit", "cap"})

_JSON = json.JSONDecoder(strict=False)
_LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Z]{2})?$")   # the schema's language codes


def _string(token: Token) -> Node:
    text = token.value
    if "\\" not in text:
        return ("s", token.line, token.column, text[1:-1], None)
    try:
        return ("s", token.line, token.column, _JSON.decode(text), None)
    except ValueError:
        return ("e", token.line, token.column,
                "invalid escape in quoted text: use \\\" \\\\ \\n \\t or \\uXXXX")


def _scalar(token: Token) -> Node:
    if token.type == "STRING":
        return _string(token)
    text = token.value
    value = resolve_plain(text)
    if type(value) is str:
        return ("s", token.line, token.column, value, None)
    return ("s", token.line, token.column, value, text)


def _position(token: Token) -> tuple[int, int]:
    """A token's line and column, which the lexer sets on every token it makes."""
    assert token.line is not None and token.column is not None
    return token.line, token.column


def _is_node(item: object) -> TypeGuard[Node]:
    return type(item) is tuple and type(item[0]) is str


class _Callbacks:
    """One callback per grammar rule: children in, node or instruction(s) out.

    Clause rules (`_FIELDS`) and mapping statements (`_MAPS`) share generic callbacks,
    attached below the class; the rest are written out here.
    """

    def start(self, children: Children) -> list[Instruction | Instructions]:
        return children

    def value(self, children: Children) -> Node:
        return _scalar(children[0])

    def key(self, children: Children) -> Node:
        token = children[0]
        if token.type == "STRING":
            return _string(token)
        return ("s", token.line, token.column, token.value, None)

    def list(self, children: Children) -> Node:
        first = children[0]
        if type(first) is Token:  # EMPTY
            return ("l", first.line, first.column, [])
        return ("l", first[1], first[2], children)

    def charter(self, children: Children) -> Instructions:
        head = children[0]
        values = [c for c in children if _is_node(c)]
        version = next((c for c in children[1:] if type(c) is Token), None)
        out: Instructions = [(SET, ("metadata",), "id", head.line, head.column, values[0])]
        if len(values) > 1:
            out.append((SET, ("metadata",), "title", _NO_KEY, 0, values[1]))
        if len(values) > 2:
            assert version is not None, "the grammar puts `version` before the third value"
            out.append((SET, ("metadata",), "version", *_position(version), values[2]))
        if len(values) > 3:
            out.append((SET, ("metadata",), "status", _NO_KEY, 0, values[3]))
        out.append((DEFAULT, (), "apiVersion", head.line, head.column,
                    ("s", head.line, head.column, "charterc/v1", None)))
        out.append((DEFAULT, (), "kind", head.line, head.column,
                    ("s", head.line, head.column, "Charter", None)))
        return out

    def meta(self, children: Children) -> Instruction:
        keyword, node = children
        path, key = _META[keyword.value]
        return (SET, path, key, keyword.line, keyword.column, node)

    def empty_list(self, children: Children) -> Instruction:
        keyword = children[0]
        path, key = _LISTS[keyword.value]
        return (EMPTY, path, key, keyword.line, keyword.column,
                ("l", children[1].line, children[1].column, []))

    subprocessors_empty = obligations_empty = escalation_empty = empty_list

    def text(self, children: Children) -> Node:
        """A free text: the value itself, or a mapping of language code -> text."""
        first = children[0]
        if _is_node(first):
            return first
        return ("m", first[3], first[4], children)

    def name_text(self, children: Children) -> Node:
        """A name: a value, or texts per language whose keys are language codes; words
        left unquoted (`feature incident Incident management`) are a P103 with a hint."""
        node = self.text(children)
        if node[0] != "m":
            return node
        for instr in node[3]:
            key, value = instr[2], instr[5]
            if not _LANG.match(key):
                words = f"{key} {value[4] if value[4] is not None else value[3]}"
                return ("e", instr[3], instr[4],
                        f"unexpected `{value[3]}`: a name with spaces needs quotes",
                        f'write "{words}"')
        return node

    def obligation(self, children: Children) -> Instruction:
        keyword, node = children
        return (APPEND, (), "client_obligations", keyword.line, keyword.column, node)

    def holidays_value(self, children: Children) -> Node:
        if len(children) == 1 and _is_node(children[0]):
            return children[0]
        first = children[0]
        return ("m", first[3], first[4], children)

    def hours_value(self, children: Children) -> Node:
        first = children[0]
        if type(first) is Token:  # `24x7` or quoted text
            if first.type == "STRING":
                return _string(first)
            return ("s", first.line, first.column, first.value, None)
        if first[0] == "l":  # ranges, then an optional positional time zone, then clauses
            instrs = [(SET, (), "schedule", _NO_KEY, 0, first)]
            for child in children[1:]:
                if _is_node(child):
                    instrs.append((SET, (), "timezone", _NO_KEY, 0, child))
                else:
                    instrs.append(child)
            return ("m", first[1], first[2], instrs)
        return ("m", first[3], first[4], children)

    def ranges(self, children: Children) -> Node:
        first = children[0]
        return ("l", first[1], first[2], children)

    def range(self, children: Children) -> Node:
        instrs: Instructions = []
        line = column = 0
        pending: Token | None = None  # keyword token waiting for its value
        for child in children:
            if type(child) is Token:
                kind = child.type
                if kind == "DAYS":
                    instrs.append((SET, (), "days", _NO_KEY, 0,
                                   ("s", child.line, child.column, child.value, None)))
                elif kind == "TIMERANGE":
                    start, _, end = child.value.partition("-")
                    instrs.append((SET, (), "from", _NO_KEY, 0,
                                   ("s", child.line, child.column, start, None)))
                    to_line, to_column = _position(child)
                    instrs.append((SET, (), "to", _NO_KEY, 0,
                                   ("s", to_line, to_column + len(start) + 1, end, None)))
                else:
                    pending = child
                if not line:
                    line, column = _position(child)
            else:
                assert pending is not None, "the grammar puts a keyword before each value"
                instrs.append((SET, (), pending.value, *_position(pending), child))
        return ("m", line, column, instrs)

    def ticket_objective(self, children: Children) -> Instruction:
        keyword = children[0]
        body = ("m", keyword.line, keyword.column, _instructions(children[1:]))
        return (SET, ("objectives",), keyword.value, keyword.line, keyword.column, body)

    def clock(self, children: Children) -> Instruction:
        token = children[0]
        if len(children) == 1:
            node = ("s", token.line, token.column, token.value, None)
            return (SET, (), "clock", token.line, token.column, node)
        return (SET, (), "clock", token.line, token.column, children[1])

    def target(self, children: Children) -> Instruction:
        key, node = children
        if key[0] == "e":
            return (SET, (), "", key[1], key[2], key)
        return (SET, (), key[3], key[1], key[2], node)

    lang_text = target

    def price(self, children: Children) -> Instruction:
        keyword = children[0]
        instrs = []
        rest = children[1:]
        if rest and _is_node(rest[0]):  # `price 35 per ticket`
            amount, per, unit = rest[0], rest[1], rest[2]
            instrs.append((SET, (), "per_unit", _NO_KEY, 0, amount))
            instrs.append((UNIT, (), "", per.line, per.column, unit))
            rest = rest[3:]
        instrs.extend(rest)
        return (SET, (), "price", keyword.line, keyword.column,
                ("m", keyword.line, keyword.column, instrs))

    def bands(self, children: Children) -> Node:
        first = children[0]
        if type(first) is Token:
            return ("l", first.line, first.column, [])
        return ("l", first[1], first[2], children)

    def cap_item(self, children: Children) -> Instruction:
        node, word = children
        return (SET, (), word.value, word.line, word.column, node)

    def recovery(self, children: Children) -> Instruction:
        keyword = children[0]
        instrs: Instructions = []
        name, line, column = "target", _NO_KEY, 0
        for child in children[1:]:
            if type(child) is Token:  # `+-`
                name, (line, column) = "tolerance", _position(child)
            else:
                instrs.append((SET, (), name, line, column, child))
        return (SET, (), "recovery", keyword.line, keyword.column,
                ("m", keyword.line, keyword.column, instrs))

    def personal(self, children: Children) -> Instructions:
        keyword = children[0]
        flag = ("s", keyword.line, keyword.column, keyword.value == "personal", None)
        out: Instructions = [(SET, (), "personal", keyword.line, keyword.column, flag)]
        if len(children) > 1:
            out.append((SET, (), "regimes", _NO_KEY, 0, children[1]))
        return out

    def needs(self, children: Children) -> Instruction:
        keyword = children[0]
        if len(children) == 1:
            return (SET, (), "needs", keyword.line, keyword.column,
                    ("m", keyword.line, keyword.column, []))
        _, _, key, line, column, node = children[1]
        return (SET, ("needs",), key, line, column, node)

    def tier_block(self, children: Children) -> Instructions:
        return _instructions(children)

    def credit_tickets(self, children: Children) -> Instruction:
        """`response below 95% 5%, ...` inside `credit`: that objective's bands."""
        keyword, bands = children[0], children[1]
        return (SET, (), keyword.value, keyword.line, keyword.column,
                ("m", keyword.line, keyword.column,
                 [(SET, (), "bands", _NO_KEY, 0, bands)]))

    client_block = security_block = terms_block = tier_block


def _instructions(children: Children) -> list[Instruction]:
    """Flatten clause results (one instruction or a list of them) into instructions."""
    out: list[Instruction] = []
    for child in children:
        if type(child) is list:
            out.extend(child)
        elif type(child) is tuple and type(child[0]) is int:
            out.append(child)
    return out


def _field(key: str) -> Callback:
    def callback(self: _Callbacks, children: Children) -> Instruction:
        keyword = children[0]
        node: Node | None = None
        for child in children[1:]:
            if type(child) is tuple:
                node = child
            elif child.type == "EMPTY":
                node = ("l", child.line, child.column, [])
        if node is None:  # a keyword alone is an empty mapping: `governance`, `needs`
            node = ("m", keyword.line, keyword.column, [])
        return (SET, (), key, keyword.line, keyword.column, node)
    return callback


def _mapping(mode: int | None, path: tuple[str, ...], key: str,
             names: tuple[str, ...]) -> Callback:
    def callback(self: _Callbacks, children: Children) -> Node | Instruction:
        keyword = children[0]
        instrs: list[Instruction] = []
        position = 0
        for child in children[1:]:
            if type(child) is Token:
                continue
            if type(child) is list:
                instrs.extend(child)
            elif type(child[0]) is int:
                instrs.append(child)
            elif child[0] == "l" and key == "credits":  # the bands of `credit`
                instrs.append((SET, (), "bands", _NO_KEY, 0, child))
            else:
                instrs.append((SET, (), names[position], _NO_KEY, 0, child))
                position += 1
        node = ("m", keyword.line, keyword.column, instrs)
        if mode is None:
            return node
        return (mode, path, key, keyword.line, keyword.column, node)
    return callback


for _rule, _key in _FIELDS.items():
    setattr(_Callbacks, _rule, _field(_key))
for _rule, _spec in _MAPS.items():
    setattr(_Callbacks, _rule, _mapping(*_spec))
del _rule, _key, _spec


class _KeywordLexer(ContextualLexer):
    """The contextual lexer, made exact about keywords.

    After a value, LALR merges the states of every context a value appears in, so the
    contextual lexer would read `fixed` in `business grow fixed ...` as the keyword of
    `price ... fixed 100` (and `08:00-18:00` as a time range after any value). Where a
    plain word is also acceptable, a keyword or a time range stays one only if the
    parser, after the reductions it has pending, can shift it.
    """

    keyword_types: frozenset[str] = frozenset()
    word_states: frozenset[Any] = frozenset()

    def lex(self, lexer_state: LexerState, parser_state: ParserState[Token]
            ) -> Iterator[Token]:
        inner = super().lex(lexer_state, parser_state)
        keyword_types, word_states = self.keyword_types, self.word_states
        for token in inner:
            if token.type in keyword_types and parser_state.position in word_states \
                    and not _shiftable(parser_state, token.type):
                token = cast("Any", Token).new_borrow_pos("WORD", token.value, token)
            yield token


class _Keywords:
    """A regex terminal's callback that retypes a match spelling a keyword: Lark's
    `UnlessCallback`, with a dict where Lark compiles an alternation of the keywords."""

    __slots__ = ("types",)

    def __init__(self, types: dict[str, str]) -> None:
        self.types = types

    def __call__(self, token: Token) -> Token:
        found = self.types.get(token.value)
        if found is not None:
            token.type = found
        return token


@functools.cache
def _terminal_regex(name: str, pattern: str, flags: int) -> re.Pattern[str]:
    """One terminal's regex, compiled once (`name` keeps terminals of one pattern apart)."""
    return re.compile(pattern, flags)


class _OrderedScanner:
    """A state's scanner that tries its terminals one by one, in Lark's order.

    Lark's scanner is one alternation of the state's terminals, which matches its first
    alternative that matches: trying each terminal in that order finds the same terminal
    and text. A keyword is compared as text, and each other terminal's regex is compiled
    once for every state, where Lark compiled an alternation per state (for a one-file
    check, most of the parse). A charter has a few hundred tokens: the loop costs less.
    """

    def __init__(self, terminals: list[Any], flags: int, build: Callable[[], Scanner]) -> None:
        self.allowed_types = {t.name for t in terminals}
        self._build = build
        self._own: Scanner | None = None
        self._steps: list[tuple[str, str | None, tuple[str, str, int]]] = [
            (t.name, t.pattern.value, ("", "", 0))
            if isinstance(t.pattern, PatternStr) and not t.pattern.flags
            else (t.name, None, (t.name, t.pattern.to_regexp(), flags))
            for t in terminals]

    def match(self, text: Any, pos: int) -> tuple[str, str] | None:
        source, end = text.text, text.end
        for name, keyword, regex in self._steps:
            if keyword is not None:
                if source.startswith(keyword, pos, end):
                    return keyword, name
                continue
            found = _terminal_regex(*regex).match(source, pos, end)
            if found is not None:
                return found.group(0), name
        return None

    def fullmatch(self, text: str) -> str | None:
        if self._own is None:
            self._own = self._build()
        found: str | None = self._own.fullmatch(text)
        return found


class _SharedScanner:
    """A state's scanner that tries the scanner of all the terminals first.

    Both list their terminals in Lark's order (priority, then width, then name), and a
    regex alternation matches the first of its alternatives that matches. When every
    terminal of the state is in the shared list and the shared scanner's match is one of
    them, the state's own alternation would have matched the same terminal and text;
    when the shared scanner matches nothing, neither would it. Otherwise the state's
    own scanner decides (`_OrderedScanner`).
    """

    def __init__(self, shared: Scanner, own: _OrderedScanner) -> None:
        self.shared = shared
        self.allowed_types = own.allowed_types
        self._own = own

    def match(self, text: Any, pos: int) -> tuple[str, str] | None:
        found: tuple[str, str] | None = self.shared.match(text, pos)
        if found is None or found[1] in self.allowed_types:
            return found
        return self._own.match(text, pos)

    def fullmatch(self, text: str) -> str | None:
        return self._own.fullmatch(text)


class _StateLexer(BasicLexer):
    """The lexer of one parser state, built faster than Lark's (same tokens).

    Lark builds each state's scanner on first use: it tries every keyword against every
    regex terminal, compiles for each regex terminal an alternation of the keywords it
    matches (to retype a match spelling one), then an alternation of the state's
    terminals. The contextual lexer has a lexer per set of acceptable terminals, so a
    one-file parse compiled some ninety alternations, more than the parse itself costs.
    Here which keywords a regex terminal matches is worked out once for all states
    (`matches`), a match is retyped by a dict lookup, and a state whose terminals are all
    in the root lexer's scanner uses that one first (`_SharedScanner`). Keywords with
    flags (none in the grammar) keep Lark's way.
    """

    matches: ClassVar[dict[tuple[str, str], bool]] = {}
    shared: BasicLexer | None = None  # the root lexer, whose scanner has every terminal

    def _build_scanner(self) -> Scanner:
        strings = [t for t in self.terminals if isinstance(t.pattern, PatternStr)]
        if any(t.pattern.flags for t in strings):  # pragma: no cover - not in the grammar
            return super()._build_scanner()
        embedded = set()
        self.callback = {}
        for regex in self.terminals:
            if isinstance(regex.pattern, PatternStr):
                continue
            types = {}
            for string in strings:
                if string.priority == regex.priority and self._matches(regex, string):
                    types[string.pattern.value] = string.name
                    if frozenset(string.pattern.flags) <= frozenset(regex.pattern.flags):
                        embedded.add(string.name)
            if types:
                self.callback[regex.name] = _Keywords(types)
        for type_, f in self.user_callbacks.items():  # pragma: no cover - none given
            if type_ in self.callback:
                self.callback[type_] = _untyped.CallChain(self.callback[type_], f,
                                                 lambda t, type_=type_: t.type == type_)
            else:
                self.callback[type_] = f
        own = [t for t in self.terminals if t.name not in embedded]

        def build() -> Scanner:
            scanner: Scanner = _untyped.Scanner(own, self.g_regex_flags, self.re, self.use_bytes)
            return scanner

        if self.shared is None:   # the root lexer: every terminal, one alternation
            return build()
        ordered = _OrderedScanner(own, self.g_regex_flags, build)
        shared: Scanner = self.shared.scanner
        if ordered.allowed_types <= shared.allowed_types:
            return cast("Scanner", _SharedScanner(shared, ordered))
        return cast("Scanner", ordered)

    def _matches(self, regex: Any, string: Any) -> bool:
        """Whether `regex` matches all of `string`'s text (Lark's test, remembered)."""
        key = (regex.name, string.name)
        found = self.matches.get(key)
        if found is None:
            text = string.pattern.value
            match = self.re.match(regex.pattern.to_regexp(), text, self.g_regex_flags)
            found = self.matches[key] = match is not None and match.group(0) == text
        return found


def _shiftable(parser_state: ParserState[Token], terminal: str) -> bool:
    states = parser_state.parse_conf.parse_table.states
    stack = list(parser_state.state_stack)
    while True:
        action = states[stack[-1]].get(terminal)
        if action is None:
            return False
        kind, rule = action
        if kind is Shift:
            return True
        if rule.expansion:
            del stack[-len(rule.expansion):]
        stack.append(states[stack[-1]][rule.origin.name][1])


_PARSER: Lark | None = None

def parser() -> Lark:
    """The LALR parser with the callbacks attached, made on first use.

    `_charter_parser` is Lark's run-time with the grammar's tables, generated ahead of
    time (`python -m charterc.loaders.dsl_generate`); when the grammar file is no longer
    the one they were made from, Lark computes the tables from it here (slower).
    """
    global _PARSER
    if _PARSER is None:
        grammar = GRAMMAR_PATH.read_text(encoding="utf-8")
        data, memo = _runtime.DATA, _runtime.MEMO
        if grammar != _runtime.GRAMMAR:
            from .dsl_generate import tables
            data, memo = tables(grammar)
        _PARSER = make_parser(data, memo)
    return _PARSER


def make_parser(data: dict[str, Any], memo: dict[int, Any], *, fast: bool = True) -> Lark:
    """A parser from Lark's serialised tables, its lexer exact about keywords, and (`fast`)
    its state lexers built the quick way (`_StateLexer`); tests compare with Lark's."""
    lark: Lark = _untyped.Lark._load_from_dict(data, memo, transformer=_Callbacks())
    lexer = lark.parser.lexer
    root = lexer.root_lexer
    if fast and type(root) is BasicLexer and root._scanner is None:
        root.__class__ = _StateLexer
        for state_lexer in {id(x): x for x in lexer.lexers.values()}.values():
            if type(state_lexer) is BasicLexer and state_lexer._scanner is None:
                state_lexer.__class__ = _StateLexer
                cast("_StateLexer", state_lexer).shared = root
    word = re.compile(lark.get_terminal("WORD").pattern.to_regexp())
    lexer.__class__ = _KeywordLexer
    lexer.keyword_types = frozenset(
        [t.name for t in lark.terminals
         if t.pattern.type == "str" and word.fullmatch(t.pattern.value)] + ["TIMERANGE"])
    table = lark.parser.parser.parser.parse_table.states
    lexer.word_states = frozenset(state for state, row in table.items() if "WORD" in row)
    return lark


# -- from tuples to the document ---------------------------------------------------------

class _Builder:
    """Apply instructions to build the document and its SourceMap, reporting duplicates."""

    def __init__(self, file: str, lines: list[str]) -> None:
        self.file = file
        self.lines = lines
        self.sources = SourceMap(file, lines=lines, dsl=True)
        self.diagnostics: list[Diagnostic] = []
        self.soft: set[str] = set()      # keys set by default (`apiVersion` from `charter`)
        self.empties: set[str] = set()   # lists written as `[]`
        self.units: list[Node] = []     # `per X` word nodes of prices, checked at the end
        self.anchors: dict[int, str] = {}  # statement line -> pointer (for `fmt`)

    def node(self, node: Node, pointer: str) -> object:
        kind = node[0]
        self.sources.values[pointer] = (node[1], node[2])
        if kind == "s":
            if node[4] is not None:
                self.sources.raw[pointer] = node[4]
            return node[3]
        if kind == "l":
            return [self.node(child, f"{pointer}/{index}") for index, child in enumerate(node[3])]
        if kind == "m":
            mapping: dict[str, object] = {}
            for instr in node[3]:
                self.apply(mapping, pointer, instr)
            return mapping
        self.diagnostics.append(error("P103", node[3], self.file, node[1], node[2],
                                      pointer=pointer, hint=node[4] if len(node) > 4 else ""))
        return None

    def apply(self, target: dict[str, Any], pointer: str, instr: Instruction) -> None:
        mode, path, key, line, column, node = instr
        values, keys = self.sources.values, self.sources.keys
        for part in path:
            pointer = f"{pointer}/{part}"
            inner = target.get(part)
            if type(inner) is not dict:
                inner = target[part] = {}
                where = (line, column) if line else (node[1], node[2])
                values.setdefault(pointer, where)
                keys.setdefault(pointer, where)
            target = inner
        if mode == UNIT:
            self.units.append(node)
            return
        here = f"{pointer}/{escape_token(key)}"
        if line and line not in self.anchors:
            self.anchors[line] = here
        if key in target and not (mode != APPEND and here in self.soft) and not (
                mode == APPEND and type(target[key]) is list and here not in self.empties):
            self.duplicate(here, line or node[1], column or node[2])
            return
        if line:
            keys[here] = (line, column)
        if mode == APPEND:
            items = target.get(key)
            if items is None:
                items = target[key] = []
                values[here] = (line, column)
            index = len(items)
            if line and self.anchors.get(line) == here:
                self.anchors[line] = f"{here}/{index}"
            items.append(self.node(node, f"{here}/{index}"))
            return
        self.soft.discard(here)
        if mode == DEFAULT:
            self.soft.add(here)
        elif mode == EMPTY:
            self.empties.add(here)
        if key in _PERCENT_KEYS and node[0] == "s" and type(node[3]) in (int, float) \
                and not here.endswith("/liability/cap"):   # a percent or an amount there
            raw = node[4]
            self.diagnostics.append(error(
                "P103", f"`{raw}` is a percent: write `{raw}%`", self.file, node[1], node[2],
                hint=f"percents carry their sign, e.g. `{raw}%`", pointer=here))
        target[key] = self.node(node, here)

    def duplicate(self, pointer: str, line: int, column: int) -> None:
        first = self.sources.keys.get(pointer) or self.sources.values.get(pointer) or (1, 1)
        word = _word_at(self.lines, line, column)
        label = ".".join(p for p in pointer.split("/")[1:] if not p.isdigit()) or pointer
        self.diagnostics.append(error(
            "P102", f"`{word}` is given twice: {label} is already set at line {first[0]}, "
            f"column {first[1]}", self.file, line, column,
            hint="keep one of the two statements", pointer=pointer,
            related=[(self.file, first[0], first[1])]))

    def check_units(self, document: dict[str, Any]) -> None:
        business = document.get("business")
        unit = business.get("unit") if type(business) is dict else None
        for node in self.units:
            word = node[3]
            if node[0] == "e":
                self.diagnostics.append(error("P103", word, self.file, node[1], node[2]))
            elif word != "unit" and word != unit:
                expected = f"`per {unit}` or `per unit`" if type(unit) is str else "`per unit`"
                self.diagnostics.append(error(
                    "P103", f"`per {word}` does not match the business unit"
                    + (f" `{unit}`" if type(unit) is str else ""), self.file,
                    node[1], node[2], hint=f"write {expected}"))


def _priorities(document: dict[str, Any], sources: SourceMap) -> None:
    """`priority P1 name ... means ...` statements merged into `priorities`: each defined
    id becomes its map, in place (appended when the list does not name it), with the
    positions of its statement."""
    defs = document.pop(PRIORITY_DEFS, None)
    if type(defs) is not list:
        return
    listed = document.get("priorities")
    if type(listed) is not list:
        listed = document["priorities"] = []
    old = f"/{escape_token(PRIORITY_DEFS)}"
    sources.values.pop(old, None)
    sources.keys.pop(old, None)
    for index, item in enumerate(defs):
        if type(item) is not dict:
            continue
        at = next((i for i, p in enumerate(listed) if p == item.get("id")), None)
        if at is None:
            at = len(listed)
            listed.append(item)
        else:
            listed[at] = item
        for table in (sources.values, sources.keys):
            prefix = f"{old}/{index}"
            for pointer in [p for p in table if p == prefix or p.startswith(prefix + "/")]:
                table[f"/priorities/{at}{pointer[len(prefix):]}"] = table.pop(pointer)


def _word_at(lines: list[str], line: int, column: int) -> str:
    if not 1 <= line <= len(lines):
        return ""
    match = re.match(r"[^\s{}\[\],#]+", lines[line - 1][column - 1:])
    return match.group(0) if match else ""


def _depth(value: object) -> int:
    if type(value) is dict:
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if type(value) is list:
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


def load_text(text: str, file: str, *, limits: Limits = DEFAULT_LIMITS) -> Loaded:
    """Load one `.charter` text: a document or P102/P103/P104 diagnostics, never an exception."""
    return load_with_anchors(text, file, limits=limits)[0]


def load_with_anchors(text: str, file: str, *, limits: Limits = DEFAULT_LIMITS
                      ) -> tuple[Loaded, dict[int, str]]:
    """`load_text`, plus the JSON pointer of the statement on each line (for `fmt`)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = [line.rstrip("\r") for line in text.split("\n")]
    builder = _Builder(file, lines)
    sources = builder.sources
    if not text.strip() or not any(
            line.strip() and not line.lstrip().startswith("#") for line in lines):
        return Loaded(file, None, sources, [error(
            "S201", "the file is empty: a charter starts with `charter <id> \"<title>\"`",
            file, hint="start from `charterc init`")]), {}
    try:
        # With the callbacks attached, `parse` returns what `start` does, not a Tree.
        instructions = cast("list[Instruction | Instructions]",
                            parser().parse(text if text.endswith("\n") else text + "\n"))
    except UnexpectedInput as exc:
        from .dsl_errors import describe
        return Loaded(file, None, sources, [describe(exc, text, file)]), {}
    except (LarkError, RecursionError) as exc:  # pragma: no cover - defensive
        return Loaded(file, None, sources, [error("P103", f"cannot parse: {exc}", file)]), {}
    document: dict[str, Any] = {}
    # `start` begins with the instructions of the `charter` statement
    head = cast("Instructions", instructions[0])[0]
    sources.values[""] = (head[3], head[4])
    for item in instructions:
        for instr in (item if isinstance(item, list) else (item,)):
            builder.apply(document, "", instr)
    builder.check_units(document)
    _priorities(document, sources)
    if limits.max_depth < 16 and _depth(document) > limits.max_depth:
        builder.diagnostics.append(error("P104", f"nesting deeper than {limits.max_depth} "
                                         "levels", file, hint="flatten the structure"))
    failed = any(d.rule in ("P103", "P104") for d in builder.diagnostics)
    builder.diagnostics.sort(key=Diagnostic.sort_key)
    return refuse_surrogates(Loaded(file, None if failed else document, sources,
                                    builder.diagnostics)), builder.anchors


# -- keyword tables for error messages and writers ----------------------------------------

def keywords() -> frozenset[str]:
    """Every keyword of the grammar."""
    return frozenset().union(*rule_keywords().values())


_RULE_KEYWORDS: dict[str, frozenset[str]] | None = None


def rule_keywords() -> dict[str, frozenset[str]]:
    """Rule name -> the keywords reachable from it: the words a plain value must avoid
    inside that statement (the contextual lexer reads them as keywords there)."""
    global _RULE_KEYWORDS
    if _RULE_KEYWORDS is None:
        lark = parser()
        strings = {t.name: t.pattern.value for t in lark.terminals
                   if t.pattern.type == "str"}
        direct: dict[str, set[str]] = {}
        for rule in lark.rules:
            entry = direct.setdefault(rule.origin.name, set())
            for symbol in rule.expansion:
                entry.add(symbol.name)
        table: dict[str, frozenset[str]] = {}
        for name in direct:
            seen: set[str] = set()
            words: set[str] = set()
            stack = [name]
            while stack:
                current = stack.pop()
                if current in seen:
                    continue
                seen.add(current)
                for child in direct.get(current, ()):
                    if child in strings:
                        words.add(strings[child])
                    elif child in direct:
                        stack.append(child)
            table[str(name)] = frozenset(words)
        _RULE_KEYWORDS = table
    return _RULE_KEYWORDS
