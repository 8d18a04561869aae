"""DSL syntax errors in words: a Lark `UnexpectedInput` -> one P103 diagnostic.

Lark says which terminals it expected; a person wants to hear "the `tier` block opened
at line 12 is not closed", "did you mean `growing`?" or "a name with spaces needs
quotes". `describe` tries those explanations, friendliest first, and falls back to
the expected words ("a percent such as 3%, `for` or the end of the line"). Imported
only when a `.charter` file fails to parse.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import cached_property

from ..diagnostics import Diagnostic
from . import error
from ._charter_parser import Token, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput
from .dsl import keywords, parser

__all__ = ["describe"]

_TERMINAL_WORDS = {"WORD": "a value", "STRING": "a quoted text", "DAYS": "days such as mon-fri",
                   "TIMERANGE": "a time range such as 08:00-18:00", "EMPTY": "`[]`",
                   "_NL": "the end of the line", "$END": "the end of the file"}

# What the value after a keyword looks like, for "expected ... after `growing`".
_VALUE_WORDS = {
    "growing": "a percent such as 3%", "indexed": "a percent such as 2%",
    "share": "a percent such as 62%", "attainment": "a percent such as 95%",
    "threshold": "a percent such as 50%", "cap": "a percent such as 50%",
    "below": "a percent such as 99.5%", "availability": "a percent such as 99.9%",
    "recovery": "a percent such as 100%", "+-": "a percent such as 5%",
    "every": "a period such as 12mo", "retention": "a period such as 90d",
    "return": "a period such as 30d", "delete": "a period such as 90d",
    "notice": "a duration such as 30d", "notification": "a duration such as 48h",
    "until": "a date such as 2026-12-31", "reviewed": "a date such as 2026-01-15",
    "timezone": "a time zone such as Europe/Paris",
    "holidays": "a holiday calendar such as FR or none",
    "budget": "an amount such as 700000", "fixed": "an amount such as 1000",
    "price": "a price such as 35", "volume": "a number of units such as 12000",
    "charter": "the charter id, such as it-service-desk",
    "owner": "an owner such as team@example.com",
    "tier": "a tier id such as premium", "cost": "a cost id such as staff",
    "feature": "a feature id such as incident", "client": "a client id such as finance",
    "features": "feature ids such as incident, requests", "regions": "regions such as EU",
    "priorities": "priorities such as P1 P2 P3", "days": "days such as mon-fri",
    "ceiling": "a yearly ceiling such as 20000 units",
}
_DURATION = "a duration such as 4h or 2d"
_STATEMENTS = frozenset({
    "charter", "apiVersion", "kind", "title", "version", "status", "owner", "suppress",
    "changes", "signatories", "costs", "features", "tiers", "clients", "change", "signatory",
    "provider", "period", "baseline", "business", "cost", "feature", "priorities", "tier",
    "client", "governance", "reporting", "security", "terms"})
_LETTER_START = re.compile(r"[^\W\d_]")


def _expected_keywords(expected: Collection[str]) -> list[str]:
    out = []
    for name in expected:
        if name in _TERMINAL_WORDS:
            continue
        try:
            terminal = parser().get_terminal(name)
        except KeyError:
            continue
        if terminal.pattern.type == "str":
            out.append(terminal.pattern.value)
    return sorted(out)


def _expected_words(expected: Collection[str], after: str, statement: str) -> str:
    """`{"WORD", "GROWING", "_NL"}` -> "a value, `growing` or the end of the line"."""
    values = [n for n in ("WORD", "STRING", "DAYS", "TIMERANGE", "EMPTY") if n in expected]
    phrases = []
    if "WORD" in values or "STRING" in values:
        phrase = _VALUE_WORDS.get(after)
        if phrase is None and statement in ("response", "resolution") and after not in keywords():
            phrase = _DURATION
        phrases.append(phrase or "a value")
        values = [n for n in values if n not in ("WORD", "STRING")]
    phrases += [_TERMINAL_WORDS[n] for n in values]
    words = _expected_keywords(expected)
    if len(words) > 10:
        phrases.append(f"a keyword such as {', '.join('`' + w + '`' for w in words[:6])}")
    else:
        phrases += [f"`{w}`" for w in words]
    phrases += [_TERMINAL_WORDS[n] for n in ("_NL", "$END") if n in expected]
    if not phrases:
        return "something else"
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " or " + phrases[-1]


def _open_blocks(lines: list[str], line: int, column: int) -> list[tuple[int, int, str]]:
    """Blocks opened and not closed before (line, column): [(line, column, keyword)]."""
    stack = []
    for number, text in enumerate(lines[:line], start=1):
        if number == line:
            text = text[:column - 1]
        text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text).split("#", 1)[0]
        for index, char in enumerate(text):
            if char == "{":
                words = text.split()
                stack.append((number, index + 1, words[0] if words else ""))
            elif char == "}" and stack:
                stack.pop()
    return stack


@dataclass(frozen=True)
class _Site:
    """Where the parser stopped, and what it saw and wanted there."""

    file: str
    lines: list[str]
    line: int
    column: int
    token: Token | None           # None when the input ended
    expected: frozenset[str]      # terminal names the parser would have accepted

    @cached_property
    def before(self) -> str:
        """The line's text before the error."""
        return self.lines[self.line - 1][:self.column - 1] if self.line <= len(self.lines) else ""

    @cached_property
    def statement(self) -> str:
        words = self.before.split()
        return words[0] if words else ""

    @cached_property
    def after(self) -> str:
        """The word just before the error (a keyword whose value is missing, a misspelling)."""
        words = self.before.split()
        return words[-1] if words else ""

    @cached_property
    def blocks(self) -> list[tuple[int, int, str]]:
        return _open_blocks(self.lines, self.line, self.column)

    def wanted(self) -> str:
        return _expected_words(self.expected, self.after, self.statement)

    def error(self, message: str, hint: str, *, column: int | None = None,
              related: Sequence[tuple[str, int, int]] = ()) -> Diagnostic:
        return error("P103", message, self.file, self.line,
                     self.column if column is None else column, hint=hint, related=related)


def _site(exc: UnexpectedInput, lines: list[str], file: str) -> _Site:
    token = getattr(exc, "token", None)
    expected = frozenset(getattr(exc, "expected", ()) or ())
    if isinstance(exc, UnexpectedEOF) or token is None or token.type == "$END":
        line = len(lines) if lines[-1:] != [""] else max(1, len(lines) - 1)
        column = len(lines[line - 1]) + 1 if lines else 1
        return _Site(file, lines, line, column, None, expected)
    return _Site(file, lines, token.line, token.column, token, expected)


def _unexpected_character(exc: UnexpectedCharacters, lines: list[str], file: str) -> Diagnostic:
    line, column = exc.line, exc.column
    if exc.char == '"':
        return error("P103", "a quoted text is not closed on this line", file, line, column,
                     hint='add the closing `"` before the end of the line')
    before = lines[line - 1][:column - 1].split() if line <= len(lines) else []
    after = before[-1] if before else ""
    return error("P103", f"unexpected character `{exc.char}`; expected "
                 f"{_expected_words(exc.allowed, after, before[0] if before else '')}",
                 file, line, column, hint="quote text that holds this character")


# -- explanations, friendliest first: each says something, or None to let the next try --

def _unclosed_block(site: _Site) -> Diagnostic | None:
    if site.token is not None or not site.blocks:
        return None
    opened = site.blocks[-1]
    return site.error(f"missing `}}`: the `{opened[2]}` block opened at line {opened[0]} "
                      "is not closed",
                      "add `}` on its own line after the block's last statement",
                      related=[(site.file, opened[0], opened[1])])


def _early_end(site: _Site) -> Diagnostic | None:
    if site.token is not None:
        return None
    return site.error(f"the file ends too early; expected {site.wanted()}",
                      "complete the last statement")


def _statement_in_block(site: _Site) -> Diagnostic | None:
    word = site.token.value if site.token is not None else ""
    if not (word in _STATEMENTS and site.blocks and "RBRACE" in site.expected
            and not site.before.strip()):
        return None
    opened = site.blocks[-1]
    return site.error(f"`{word}` cannot appear inside the `{opened[2]}` block opened at "
                      f"line {opened[0]}: is a `}}` missing?",
                      f"close the `{opened[2]}` block with `}}` before this line",
                      related=[(site.file, opened[0], opened[1])])


def _keyword_like(site: _Site, word: str) -> str | None:
    """The expected keyword `word` is a misspelling of, if any."""
    if site.token is None or site.token.type in ("_NL", "STRING"):
        return None
    by_lower = {c.lower(): c for c in _expected_keywords(site.expected)}
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.7)
    return by_lower[close[0]] if close else None


def _misspelled_keyword(site: _Site) -> Diagnostic | None:
    word = site.token.value if site.token is not None else ""
    meant = _keyword_like(site, word)
    if meant is None:
        return None
    return site.error(f"unknown keyword `{word}`; did you mean `{meant}`?", f"write `{meant}`")


def _misspelled_previous(site: _Site) -> Diagnostic | None:
    """The word before the error was meant as a keyword (`grwoing 3%`)."""
    after = site.after
    if not after or after.endswith('"') or after in keywords():
        return None
    meant = _keyword_like(site, after)
    if meant is None:
        return None
    return site.error(f"unknown keyword `{after}`; did you mean `{meant}`?", f"write `{meant}`",
                      column=site.before.rstrip().rfind(after) + 1)


def _unquoted_name(site: _Site) -> Diagnostic | None:
    """Two words where one value was expected: a name with spaces, unquoted."""
    token, after = site.token, site.after
    if (token is None or token.type not in ("WORD", "DAYS") or "WORD" in site.expected
            or "STRING" in site.expected or not after or after in keywords()
            or not _LETTER_START.match(token.value) or not _LETTER_START.match(after)
            or after.endswith('"')):
        return None
    start = site.before.rstrip().rfind(after)
    name = re.split(r"\s[{#]|\s*\{\s*$", site.lines[site.line - 1][start:])[0].strip()
    return site.error(f"unexpected `{token.value}`: a name with spaces needs quotes",
                      f'write "{name}"', column=start + 1)


def _not_charter_line(site: _Site) -> Diagnostic | None:
    if "CHARTER" not in site.expected or site.token is None:
        return None
    return site.error(f"a charter starts with its `charter` line, not `{site.token.value}`",
                      'begin with `charter <id> "<title>" version <x.y.z> <status>`')


_EXPLANATIONS: tuple[Callable[[_Site], Diagnostic | None], ...] = (
    _unclosed_block, _early_end, _statement_in_block, _misspelled_keyword,
    _misspelled_previous, _unquoted_name, _not_charter_line)

# What was found instead, by token type, for the last resort: "<found>; expected ...".
_FOUND = {"_NL": "the line ends too early", "STRING": "unexpected quoted text {}"}


def _expected_instead(site: _Site) -> Diagnostic:
    token = site.token
    assert token is not None  # the input's end is explained by _early_end
    found = _FOUND.get(token.type, "unexpected `{}`").format(token.value)
    return site.error(f"{found}; expected {site.wanted()}",
                      "see docs/dsl.md for the statements and their order of words")


def describe(exc: UnexpectedInput, text: str, file: str) -> Diagnostic:
    """A lark error -> one P103 diagnostic in words, with the friendliest explanation found."""
    lines = [line.rstrip("\r") for line in text.split("\n")]
    if isinstance(exc, UnexpectedCharacters):
        return _unexpected_character(exc, lines, file)
    site = _site(exc, lines, file)
    for explain in _EXPLANATIONS:
        found = explain(site)
        if found is not None:
            return found
    return _expected_instead(site)
