"""Generate `_compiled_charter_schema.py`: the charter schema's fast validator, ahead of time.

fastjsonschema turns `schemas/charter.schema.json` into Python source; compiling that
source takes longer than checking a charter. The generated module is shipped in the
package instead, so a one-file check only imports it (its bytecode is cached like any
module's). The module records the schema file's bytes (and their SHA-256, for the
reader): `schema._fast_validator()` uses it only when the schema file still has those
bytes, and generates the code in memory otherwise. A test regenerates it and requires
the same bytes. The module needs neither fastjsonschema nor hashlib at run time.

    python -m charterc.validate.generate            # rewrite the module
    python -m charterc.validate.generate --check    # exit 1 when it is out of date
"""
from __future__ import annotations

import copy
import hashlib
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

__all__ = ["MODULE", "generate", "schema_sha256", "validator_source"]

MODULE = Path(__file__).resolve().parent / "_compiled_charter_schema.py"
ENTRY = "validate_charter"

# fastjsonschema names array items with `"...[{i}]".format(**locals())`, a third of its run
# time on a valid charter; the same text as an f-string is equivalent and cheap.
_FORMAT_LOCALS = re.compile(
    r'"((?:[^"\\{}]|\{[A-Za-z_][A-Za-z0-9_]*\})*)"\.format\(\*\*locals\(\)\)')


# fastjsonschema compiles every pattern of the schema when the module is imported (a fifth
# of the import); a charter uses some of them, and an invalid one stops at the first error.
# Each pattern is compiled the first time it is looked up instead.
_QUOTED = r"'(?:[^'\\]|\\.)*'"
_REGEX_ENTRY = re.compile(rf"^(    {_QUOTED}: )re\.compile\(({_QUOTED})\)(,?)$")
_LAZY_PATTERNS = '''

class _LazyPatterns(dict):
    """Pattern -> compiled regex, compiled on first use from the source given."""

    def __init__(self, sources):
        super().__init__()
        self._sources = sources

    def __missing__(self, key):
        compiled = self[key] = re.compile(self._sources[key])
        return compiled

'''


def _lazy_patterns(code: str) -> str:
    """`REGEX_PATTERNS = {p: re.compile(s)}` -> `_LazyPatterns({p: s})`, same lookups."""
    head, sep, rest = code.partition("\nREGEX_PATTERNS = {\n")
    if not sep:
        return code
    body, sep, tail = rest.partition("\n}\n")
    entries = body.split("\n")
    lazy = [_REGEX_ENTRY.sub(r"\1\2\3", line) for line in entries]
    if not sep or any(a == b for a, b in zip(entries, lazy, strict=True)):
        raise ValueError("unexpected REGEX_PATTERNS in the generated code")
    return (f"{head.rstrip()}\n\n\n{_LAZY_PATTERNS.strip()}\n\n\n"
            "REGEX_PATTERNS = _LazyPatterns({\n" + "\n".join(lazy) + f"\n}})\n{tail}")


# The generated code raises and catches fastjsonschema's two exceptions; importing them
# imports the whole library (its drafts and code generator). The module defines the same
# two classes instead: the fast path only asks whether a document is valid, and
# `schema.is_valid` catches any exception. They derive from charterc's own base, as every
# exception charterc defines does.
_IMPORT_EXCEPTIONS = ("from fastjsonschema import JsonSchemaValueException, "
                      "JsonSchemaValuesException\n")
_OWN_EXCEPTIONS = '''
from charterc.errors import CharterError


class JsonSchemaValueException(CharterError, ValueError):
    """fastjsonschema's exception for one invalid value (same arguments), without the library."""

    def __init__(self, message, value=None, name=None, definition=None, rule=None):
        super().__init__(message)
        self.message = message
        self.value = value
        self.name = name
        self.definition = definition
        self.rule = rule


class JsonSchemaValuesException(CharterError, ValueError):
    """fastjsonschema's exception for several invalid values, without the library."""

    def __init__(self, errors):
        self.message = "; ".join(error.message for error in errors)
        super().__init__(self.message)
        self.errors = errors
'''


def _own_exceptions(code: str) -> str:
    """The import of fastjsonschema's exceptions replaced by the same two classes."""
    if code.count(_IMPORT_EXCEPTIONS) != 1:
        raise ValueError("unexpected import of the exceptions in the generated code")
    return code.replace(_IMPORT_EXCEPTIONS, _OWN_EXCEPTIONS)


def _refuse_remote(uri: str) -> NoReturn:
    raise ValueError(f"remote $ref not allowed: {uri}")


NO_REMOTE: dict[str, Callable[[str], Any]] = {
    "http": _refuse_remote, "https": _refuse_remote, "file": _refuse_remote}


def schema_sha256(text: bytes) -> str:
    return hashlib.sha256(text).hexdigest()


def definition(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema as fastjsonschema is given it.

    fastjsonschema knows drafts up to 2019-09; the schema uses only keywords that
    draft-07 reads the same way, so it compiles a copy that says draft-07. (A deep
    copy: fastjsonschema rewrites `$ref`s inside the definition it is given.)
    """
    copied = copy.deepcopy(schema)
    copied["$schema"] = "http://json-schema.org/draft-07/schema#"
    return copied


def validator_source(schema: dict[str, Any]) -> str:
    """fastjsonschema's code for `schema`, with `ENTRY` naming its validate function.

    Raises ValueError when the generated code does not have the expected shape.
    """
    import fastjsonschema

    code: str = fastjsonschema.compile_to_code(definition(schema), handlers=NO_REMOTE,
                                               use_default=False, use_formats=False)
    found = re.search(r"^def (validate\w*)\(", code, re.M)
    if found is None:
        raise ValueError("no validate function in the generated code")
    code = _FORMAT_LOCALS.sub(r'f"\1"', code)
    code = _lazy_patterns(code)
    code = _own_exceptions(code)
    return f"{code.rstrip()}\n\n\n{ENTRY} = {found.group(1)}\n"


def generate(schema_file: Path) -> str:
    """The whole text of `_compiled_charter_schema.py` for `schema_file`."""
    import json

    import fastjsonschema

    raw = schema_file.read_bytes()
    body = validator_source(json.loads(raw))
    return (
        "# Generated by `python -m charterc.validate.generate` from schemas/charter.schema.json\n"
        f"# with fastjsonschema {fastjsonschema.VERSION}. Do not edit: regenerate.\n"
        "# ruff: noqa\n"
        "# mypy: ignore-errors\n"
        f'SCHEMA_SHA256 = "{schema_sha256(raw)}"\n'
        f"{_schema_constant(raw)}"
        f"{body}"
    )


def _schema_constant(raw: bytes) -> str:
    """`SCHEMA = (b"...")`: the schema file's bytes, one line of it per line.

    `schema._fast_validator` compares them with the file's bytes: exact, and cheaper
    than hashing (hashlib alone costs a one-file check 3 ms to import).
    """
    lines = "".join(f"    {line!r}\n" for line in raw.splitlines(keepends=True))
    return f"SCHEMA = (\n{lines})\n"


def main(argv: list[str] | None = None) -> int:
    from ..codegen import write_or_check
    from .schema import schema_path
    return write_or_check("charterc.validate.generate", MODULE,
                          lambda: generate(schema_path()), argv)


if __name__ == "__main__":
    sys.exit(main())
