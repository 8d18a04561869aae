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

from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

from ..diagnostics import Diagnostic
from . import error
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
    "client", "governance", "reporting", "security"})
_LETTER_START = re.compile(r"[^\W\d_]")


def _expected_keywords(expected) -> list[str]:
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


def _expected_words(expected, after: str, statement: str) -> str:
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


def describe(exc: UnexpectedInput, text: str, file: str) -> Diagnostic:
    """A lark error -> one P103 diagnostic in words, with the friendliest explanation found."""
    lines = [line.rstrip("\r") for line in text.split("\n")]
    if isinstance(exc, UnexpectedCharacters):
        line, column = exc.line, exc.column
        if exc.char == '"':
            return error("P103", "a quoted text is not closed on this line", file, line, column,
                         hint='add the closing `"` before the end of the line')
        before = lines[line - 1][:column - 1].split() if line <= len(lines) else []
        after = before[-1] if before else ""
        return error("P103", f"unexpected character `{exc.char}`; expected "
                     f"{_expected_words(exc.allowed, after, before[0] if before else '')}",
                     file, line, column, hint="quote text that holds this character")
    token = getattr(exc, "token", None)
    expected = set(getattr(exc, "expected", ()) or ())
    at_end = isinstance(exc, UnexpectedEOF) or token is None or token.type == "$END"
    if at_end:
        line = len(lines) if lines[-1:] != [""] else max(1, len(lines) - 1)
        column = len(lines[line - 1]) + 1 if lines else 1
    else:
        line, column = token.line, token.column
    before = lines[line - 1][:column - 1] if line <= len(lines) else ""
    words = before.split()
    statement = words[0] if words else ""
    after = words[-1] if words else ""
    blocks = _open_blocks(lines, line, column)
    if at_end and blocks:
        opened = blocks[-1]
        return error("P103", f"missing `}}`: the `{opened[2]}` block opened at line {opened[0]} "
                     "is not closed", file, line, column,
                     hint="add `}` on its own line after the block's last statement",
                     related=[(file, opened[0], opened[1])])
    if at_end:
        return error("P103", f"the file ends too early; expected "
                     f"{_expected_words(expected, after, statement)}", file, line, column,
                     hint="complete the last statement")
    word = token.value
    if word in _STATEMENTS and blocks and "RBRACE" in expected and not before.strip():
        opened = blocks[-1]
        return error("P103", f"`{word}` cannot appear inside the `{opened[2]}` block opened at "
                     f"line {opened[0]}: is a `}}` missing?", file, line, column,
                     hint=f"close the `{opened[2]}` block with `}}` before this line",
                     related=[(file, opened[0], opened[1])])
    candidates = _expected_keywords(expected)
    by_lower = {c.lower(): c for c in candidates}
    if token.type not in ("_NL", "STRING") and candidates:
        close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.7)
        if close:
            return error("P103", f"unknown keyword `{word}`; did you mean `{by_lower[close[0]]}`?",
                         file, line, column, hint=f"write `{by_lower[close[0]]}`")
        if after and not after.endswith('"'):
            close = difflib.get_close_matches(after.lower(), list(by_lower), n=1, cutoff=0.7)
            if close and after not in keywords():
                start = before.rstrip().rfind(after) + 1
                return error("P103", f"unknown keyword `{after}`; did you mean "
                             f"`{by_lower[close[0]]}`?", file, line, start,
                             hint=f"write `{by_lower[close[0]]}`")
    if (token.type in ("WORD", "DAYS") and "WORD" not in expected and "STRING" not in expected
            and after and after not in keywords() and _LETTER_START.match(word)
            and _LETTER_START.match(after) and not after.endswith('"')):
        start = before.rstrip().rfind(after)
        name = re.split(r"\s[{#]|\s*\{\s*$", lines[line - 1][start:])[0].strip()
        return error("P103", f"unexpected `{word}`: a name with spaces needs quotes", file, line,
                     start + 1, hint=f'write "{name}"')
    if "CHARTER" in expected:
        return error("P103", f"a charter starts with its `charter` line, not `{word}`", file,
                     line, column, hint='begin with `charter <id> "<title>" version '
                     '<x.y.z> <status>`')
    wanted = _expected_words(expected, after, statement)
    if token.type == "_NL":
        message = f"the line ends too early; expected {wanted}"
    elif token.type == "STRING":
        message = f"unexpected quoted text {word}; expected {wanted}"
    else:
        message = f"unexpected `{word}`; expected {wanted}"
    return error("P103", message, file, line, column,
                 hint="see docs/dsl.md for the statements and their order of words")
