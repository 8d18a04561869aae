"""Loaders: bytes of a charter file -> (canonical document, SourceMap, diagnostics).

`*.charter.yaml` / `*.charter.yml` are YAML (`loaders/yaml.py`), `*.charter` is the
DSL (`loaders/dsl.py`). Both return a `Loaded`; everything after loading is shared.
Byte-level checks common to both syntaxes (size bound P104, UTF-8 P106) live here.
"""
from __future__ import annotations

import importlib
import re
import stat
from collections.abc import Iterable
from dataclasses import field
from pathlib import Path
from typing import Any, Protocol

from ..diagnostics import Diagnostic, Severity, SourceMap, escape_token
from ..diagnostics.rules import declare
from ..records import record

__all__ = [
    "DEFAULT_LIMITS",
    "LOADERS",
    "Limits",
    "Loaded",
    "Loader",
    "decode",
    "is_charter_file",
    "load_bytes",
    "load_path",
    "loader_for",
    "refuse_surrogates",
    "special_kind",
]


@record(eq=True)
class Limits:
    """Bounds on what a loader reads (P104)."""

    max_bytes: int = 1 << 20      # P104: larger files are not read
    max_depth: int = 64           # P104: deeper nesting is refused
    max_nodes: int = 200_000      # P105: bound on the document after alias expansion


@record(eq=True, frozen=False)
class Loaded:
    """A loaded file: its canonical document, source map and problems."""

    file: str
    document: Any
    sources: SourceMap
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.document is not None and not any(
            d.severity is Severity.ERROR for d in self.diagnostics)


DEFAULT_LIMITS = Limits()  # frozen, so one instance serves as every default


class Loader(Protocol):
    """A syntax's `load_text`: text and its display name -> `Loaded`, never an exception."""

    def __call__(self, text: str, file: str, *, limits: Limits = ...) -> Loaded: ...


# suffix -> "module:function"; imported on first use so `check` of YAML never loads lark.
LOADERS: dict[str, str] = {
    ".charter.yaml": "charterc.loaders.yaml:load_text",
    ".charter.yml": "charterc.loaders.yaml:load_text",
    ".charter": "charterc.loaders.dsl:load_text",
}


# P103 is reported by loaders/dsl.py and dsl_errors.py; it is declared here because
# those import lark, which reading the catalogue must not.
declare("P103", Severity.ERROR, """
    DSL syntax error, with the tokens that were expected.

    Fails:   tier standard "Standard" {
    Passes:  tier standard "Standard" { ... }
""")


def is_charter_file(path: str | Path) -> bool:
    name = Path(path).name
    return any(name.endswith(suffix) for suffix in LOADERS)


def loader_for(path: str | Path) -> Loader:
    name = Path(path).name
    for suffix in sorted(LOADERS, key=len, reverse=True):
        if name.endswith(suffix):
            module, func = LOADERS[suffix].split(":")
            loader: Loader = getattr(importlib.import_module(module), func)
            return loader
    # Not a charter suffix: YAML is the sensible default (e.g. a file given explicitly).
    from .yaml import load_text
    return load_text


def error(rule: str, message: str, file: str, line: int = 1, column: int = 1,
          hint: str = "", pointer: str = "",
          related: Iterable[tuple[str, int, int]] = ()) -> Diagnostic:
    return Diagnostic(rule=rule, severity=Severity.ERROR, message=message, file=file,
                      line=line, column=column, pointer=pointer, hint=hint,
                      related=tuple(related))


declare("P104", Severity.ERROR, """
    Input too large or nested too deep.

    Files over the size bound (default 1 MiB, `--max-bytes`) or nested deeper than
    the depth bound (default 64) are not read.
""")


def _too_large(size: int, file: str, limits: Limits) -> Diagnostic:
    return error("P104", f"file is {size:,} bytes, over the bound of {limits.max_bytes:,} bytes",
                 file, hint="split the charter, or raise the bound with --max-bytes")


declare("P106", Severity.ERROR, """
    The file is not valid UTF-8, or its text is not valid Unicode.

    Charters are UTF-8 text; re-save the file as UTF-8. An escape in quoted text
    that names half of a UTF-16 surrogate pair (`"\\ud800"`) is not a character
    either: write the character itself.

    Fails:   title: "IT \\ud800 Desk"
    Passes:  title: "IT Service Desk"
""")


def decode(data: bytes, file: str, limits: Limits) -> tuple[str | None, list[Diagnostic]]:
    """Bytes -> text, refusing oversized input (P104) and invalid UTF-8 (P106)."""
    if len(data) > limits.max_bytes:
        return None, [_too_large(len(data), file, limits)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line = data.count(b"\n", 0, start) + 1
        line_start = data.rfind(b"\n", 0, start) + 1
        # column in characters: decode the valid prefix of the line
        column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
        return None, [error("P106", f"invalid UTF-8 byte 0x{data[start]:02x}", file, line, column,
                            hint="save the file as UTF-8")]
    return text, []


_SURROGATE = re.compile("[\ud800-\udfff]")


def refuse_surrogates(loaded: Loaded) -> Loaded:
    """P106 for every string holding a lone surrogate (`"\\ud800"` written as an escape).

    Half a UTF-16 pair is not a character: no UTF-8 output can hold it. Valid UTF-8
    bytes never decode to one, only escapes in quoted text do, so both loaders run
    this on their document; the document is then dropped, and no later stage sees it.
    """
    document = loaded.document
    if document is None:
        return loaded
    found: list[Diagnostic] = []

    def walk(value: object, pointer: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                here = f"{pointer}/{escape_token(key)}"
                if _SURROGATE.search(key):
                    found.append(_surrogate(key, here, loaded.sources, key=True))
                walk(item, here)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{pointer}/{index}")
        elif isinstance(value, str) and _SURROGATE.search(value):
            found.append(_surrogate(value, pointer, loaded.sources))

    walk(document, "")
    if not found:
        return loaded
    return Loaded(loaded.file, None, loaded.sources,
                  sorted(loaded.diagnostics + found, key=Diagnostic.sort_key))


def _surrogate(text: str, pointer: str, sources: SourceMap, key: bool = False) -> Diagnostic:
    match = _SURROGATE.search(text)
    assert match is not None, "only called on text holding a surrogate"
    code = ord(match.group())
    line, column = sources.locate(pointer, key=key)
    return error("P106", f"\\u{code:04x} is half of a UTF-16 surrogate pair, not a character: "
                 "the text is not valid Unicode", sources.file, line, column,
                 hint="write the character itself (the file is UTF-8), or drop the escape",
                 pointer=pointer)


def load_bytes(data: bytes, file: str, *, limits: Limits = DEFAULT_LIMITS,
               loader: Loader | None = None) -> Loaded:
    text, problems = decode(data, file, limits)
    if text is None:
        return Loaded(file, None, SourceMap(file), problems)
    return (loader or loader_for(file))(text, file, limits=limits)


_SPECIAL_FILES = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
                  (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def special_kind(mode: int) -> str | None:
    """What a file of `mode` is when it is neither a regular file nor a folder (a FIFO, a
    device, a socket): reading one may block for ever or never end, so it is refused
    before it is opened."""
    for test, kind in _SPECIAL_FILES:
        if test(mode):
            return kind
    return None


def load_path(path: str | Path, *, display: str | None = None,
              limits: Limits = DEFAULT_LIMITS) -> Loaded:
    file = display if display is not None else str(path)
    try:
        info = Path(path).stat()
        kind = special_kind(info.st_mode)
        if kind is not None:
            return Loaded(file, None, SourceMap(file), [error(
                "P101", f"cannot read file: it is {kind}, not a regular file", file,
                hint="give a charter file")])
        size = info.st_size
        if size > limits.max_bytes:  # refused before reading it
            return Loaded(file, None, SourceMap(file), [_too_large(size, file, limits)])
        data = Path(path).read_bytes()
    except OSError as exc:
        return Loaded(file, None, SourceMap(file), [error(
            "P101", f"cannot read file: {exc.strerror or exc}", file,
            hint="check the path and its permissions")])
    return load_bytes(data, file, limits=limits, loader=loader_for(path))
