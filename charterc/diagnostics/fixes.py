"""Fixes as edits of the source text, computed where a rule makes its finding.

A rule knows the value it refuses and its JSON pointer; the source map knows where the
value starts and the source lines where its text ends. The helpers here turn the two
into `Fix`es (1-based, end exclusive), so that every rule writes text the same way:

- `replace_scalar`: the scalar (or key) at a pointer becomes other text, offered only
  when the text there is what the rule expects (`1.10`, `premuim`);
- `append_entries`: entries added to a mapping after one of its keys, as the mapping
  is written: `, P4: 3d` in a flow mapping (`P4 3d` in the DSL), a line in a block.

`token_end` is where a scalar ends on its line, for these and the language server.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from . import Edit, Fix, SourceMap

__all__ = ["Token", "append_entries", "quoted_like", "replace_scalar", "token_at", "token_end"]

_PLAIN_END = re.compile(r"\s#|,|\]|\}|:\s|:$")
_DSL_WORD = re.compile(r"[^\s,{}]+")


def token_end(line: str, start: int, *, dsl: bool = False) -> int:
    """Where the scalar or key starting at `start` (0-based) ends on its line (exclusive)."""
    if start >= len(line):
        return start
    quote = line[start]
    if quote in "\"'":
        index = start + 1
        while index < len(line):
            char = line[index]
            if quote == '"' and char == "\\":
                index += 2
                continue
            if char == quote:
                if quote == "'" and line[index + 1:index + 2] == "'":
                    index += 2
                    continue
                return index + 1
            index += 1
        return len(line)
    if quote in "{[":
        return start + 1
    if dsl:
        match = _DSL_WORD.match(line, start)
        return match.end() if match else start + 1
    found = _PLAIN_END.search(line, start)
    end = found.start() if found else len(line)
    return start + len(line[start:end].rstrip()) or start + 1


class Token(NamedTuple):
    """The text of one scalar or key as written: 1-based line, column, end column (exclusive)."""

    line: int
    column: int
    end_column: int
    text: str


def token_at(sources: SourceMap, pointer: str, *, key: bool = False) -> Token | None:
    """The scalar written at `pointer`'s value (or key), or None when the source map has no
    position or no source line for it (a cached file, a document built in memory)."""
    found = (sources.keys if key else sources.values).get(pointer)
    if found is None:
        return None
    line, column = found
    text = sources.source_line(line)
    if text is None or not 1 <= column <= len(text):
        return None
    end = token_end(text, column - 1, dsl=sources.dsl)
    return Token(line, column, end + 1, text[column - 1:end])


def quoted_like(written: str, text: str) -> str:
    """`text` in the quotes `written` was in (none, '...' or "..."), so a replacement keeps
    a value a string (an id `null`, quoted, stays quoted)."""
    if written[:1] == '"':
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if written[:1] == "'":
        return "'" + text.replace("'", "''") + "'"
    return text


def replace_scalar(sources: SourceMap, pointer: str, title: str,
                   replacement: Callable[[str], str], *, expect: Callable[[str], bool],
                   key: bool = False) -> tuple[Fix, ...]:
    """One fix that replaces the scalar at `pointer` by `replacement(written)`; none when
    the text written there is not what the finding is about (`expect(written)` is false)."""
    token = token_at(sources, pointer, key=key)
    if token is None or not expect(token.text):
        return ()
    edit = Edit(token.line, token.column, token.line, token.end_column,
                replacement(token.text), token.text)
    return (Fix(title, (edit,)),)


def append_entries(sources: SourceMap, pointer: str, keys: Sequence[str],
                   entries: Sequence[tuple[str, str]], title: str) -> tuple[Fix, ...]:
    """One fix that writes `entries` (key, value as written) into the mapping at `pointer`,
    after the one of its `keys` written last: on the same line in a flow mapping (and
    always in the DSL), each on its own line, indented as that key, in a block mapping."""
    placed = [(sources.keys[f"{pointer}/{key}"], key) for key in keys
              if f"{pointer}/{key}" in sources.keys]
    if not placed or not entries:
        return ()
    after = max(placed)[1]
    value = token_at(sources, f"{pointer}/{after}")
    opening = sources.values.get(pointer)
    if value is None or opening is None:
        return ()
    if sources.dsl:
        written = [f"{name} {text}" for name, text in entries]
    else:
        written = [f"{name}: {text}" for name, text in entries]
    line = sources.source_line(value.line) or ""
    first = sources.source_line(opening[0]) or ""
    if sources.dsl or first[opening[1] - 1:opening[1]] == "{":
        text = "".join(f", {entry}" for entry in written)
        edit = Edit(value.line, value.end_column, value.line, value.end_column, text)
    else:
        key = token_at(sources, f"{pointer}/{after}", key=True)
        if key is None:
            return ()
        end = len(line) + 1
        text = "".join(f"\n{' ' * (key.column - 1)}{entry}" for entry in written)
        edit = Edit(value.line, end, value.line, end, text)
    return (Fix(title, (edit,)),)
