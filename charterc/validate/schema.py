"""Schema stage: a canonical document -> S201 diagnostics placed at file:line:column.

Two validators read the same `schemas/charter.schema.json`:

- the fast path, fastjsonschema's generated code, answers "valid?" for the common
  case in a fraction of the time YAML parsing takes;
- only when it says no, `jsonschema` (imported then, not before) lists every error,
  and each is turned into a message a person reads: the field as
  `tiers[0].objectives.response.P1`, the value as written, what is expected;
- when the document is valid, one more pass over the schedule entries reports the
  ranges whose times are well-formed but which the calendar cannot read (`from:
  "24:00"`, `from` equal to `to`).

The schema keeps to the subset both libraries treat alike (no `prefixItems`,
`unevaluated*`, `dependentRequired`, `$dynamicRef`); `pattern` `$` means end of
text in both (fastjsonschema rewrites it to `\\Z`; we teach jsonschema the same).
"""
from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from ..diagnostics import Diagnostic, Fix, Severity, SourceMap, pointer_join, pointer_parts
from ..diagnostics.rules import declare

if TYPE_CHECKING:  # jsonschema is imported only when a document is invalid
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator

__all__ = ["SCHEMA_FILE", "is_valid", "load_schema", "schema_path", "validate"]

SCHEMA_FILE = "charter.schema.json"
RULE = "S201"
declare(RULE, Severity.ERROR, """
    JSON Schema violation.

    The document does not have the shape of a charter (schemas/charter.schema.json):
    a missing required field, an unexpected key, a value of the wrong type or format.

    Fails:   metadata: {version: 1.10}   (a number; quote it: "1.10")
    Passes:  metadata: {version: "1.10.0"}
""")

# What each `$defs` shape means, in words: "`4 hours` is not <EXPECTED>".
EXPECTED = {
    "id": "an id (a lower-case letter, then lower-case letters, digits or hyphens)",
    "priority-id": "a priority id such as P1 (starting with an upper-case letter)",
    "priority": "a priority id such as P1, or a map with its id, name and means",
    "text": "a non-empty text",
    "semver": "a semantic version such as 2.3.0",
    "date": "a date YYYY-MM-DD from 1900-01-01 to 2999-12-31 such as 2026-01-15",
    "time": "a time HH:MM such as 08:00 or 24:00",
    "days": "days such as mon-fri, sat, mon,wed,fri or daily",
    "percent": "a percentage from 0% to 1000% (at most 6 decimals) such as 5% or 100%",
    "percent-100": "a percentage from 0% to 100% (at most 6 decimals) such as 99.9%",
    "signed-percent": "a yearly rate from -100% to 1000% (at most 6 decimals) such as 3% or -2%",
    "duration": "a duration such as 15m, 4h, 2d, 1w or 1h30m (at most 4 digits per number)",
    "business-duration": "a business-clock duration such as 4h, 2d or 1h30m (no weeks, at most 4 "
                         "digits per number)",
    "period": "a period such as 90d, 12mo or 1y (at most 999y, 9999mo, 4 digits per number)",
    "money": "an amount (a number from 0 to 10^15)",
    "units": "a number of units (from 0 to 10^15)",
    "currency": "an ISO 4217 currency code such as EUR",
    "timezone": "a time zone such as Europe/Paris",
    "country": "a two-letter country code such as DE",
    "subdivision": "a subdivision code such as CA (for US-CA)",
    "unit": "one word such as ticket",
    "region": "a region: a country code such as FR, or EU, EEA, ADEQUATE",
    "token": "a name such as GDPR or ISO27001 (no spaces)",
    "rule-id": "a rule id such as V501",
    "holiday-country": "a country code such as FR, or with a subdivision such as US-CA",
    "holiday-code": "a holiday calendar code such as FR or US-CA, or none",
    "holidays": "a holiday calendar: a code such as FR or US-CA, none, "
                "or a mapping {country, extra, remove}",
    "hours": "24x7 or a mapping {schedule, timezone, holidays}",
    "recipients": "a list of recipients",
    "schedule": "a list of {days, from, to} entries",
    "lang": "a language code such as en, fr or pt-BR",
    "free-text": "a text, or a mapping from language code to text such as {en: ..., fr: ...}",
}

HINTS = {
    "time": 'write two-digit hours and quote the time, e.g. "08:00"',
    "duration": "write whole numbers with units w, d, h, m, largest first, e.g. 1h30m",
    "business-duration": "a business clock counts open days: write 5d instead of 1w, "
                         "or set clock: calendar",
    "period": "write whole numbers with units y, mo, w, d, e.g. 12mo",
    "percent": "write a percent string, e.g. 62%",
    "percent-100": "write a percent string from 0% to 100%, e.g. 99.9%",
    "signed-percent": "write a percent string, e.g. 3% or -2%",
    "semver": "write three numbers, e.g. 1.0.0",
    "date": "write the date as YYYY-MM-DD",
    "days": "use mon tue wed thu fri sat sun, ranges (mon-fri), commas (mon,wed,fri) or daily",
    "region": "use ISO 3166 alpha-2 codes (FR, DE) or EU, EEA, ADEQUATE",
    "timezone": "use an IANA time zone name, e.g. Europe/Paris or UTC",
    "hours": 'write 24x7, or {schedule: [{days: mon-fri, from: "08:00", to: "18:00"}]}',
}

_TYPE_WORDS = {"string": "a text", "number": "a number", "integer": "a whole number",
               "boolean": "true or false", "object": "a mapping", "array": "a list",
               "null": "empty"}
_SCALAR_KEYWORDS = {"type", "pattern", "const", "enum", "minimum", "maximum", "minLength"}
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


# -- the schema file ---------------------------------------------------------------------

def schema_path(name: str = SCHEMA_FILE) -> Path:
    """The packaged copy (`charterc/schemas/`, wheels) first, else the repository's `schemas/`."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "schemas" / name
    if packaged.is_file():
        return packaged
    return here.parent / "schemas" / name


@functools.cache
def load_schema(name: str = SCHEMA_FILE) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return schema


# -- fast path -----------------------------------------------------------------------------

@functools.cache
def _schema_bytes() -> bytes:
    return schema_path().read_bytes()


@functools.cache
def _fast_validator() -> Callable[[Any], Any]:
    """fastjsonschema's validator: the module generated ahead of time, when it is current.

    `_compiled_charter_schema` (written by `python -m charterc.validate.generate`) is
    used when it was generated from the schema file as it is now (it records the file's
    bytes); otherwise the code is generated and compiled here, as it would be written.
    """
    try:
        from . import _compiled_charter_schema as compiled
        if _schema_bytes() == compiled.SCHEMA:
            shipped: Callable[[Any], Any] = compiled.validate_charter
            return shipped
    except (ImportError, AttributeError):  # no generated module, or one of an older shape
        pass
    import fastjsonschema

    from . import generate

    try:
        namespace: dict[str, Any] = {}
        exec(compile(generate.validator_source(load_schema()), "<charter-schema>", "exec"),
             namespace)
        validator: Callable[[Any], Any] = namespace[generate.ENTRY]
        return validator
    except Exception:  # a future fastjsonschema may generate other code: use it as is
        return fastjsonschema.compile(generate.definition(load_schema()),
                                      handlers=generate.NO_REMOTE, use_default=False,
                                      use_formats=False)


def is_valid(document: Any) -> bool:
    """True when the document matches the schema (fast; no error details)."""
    try:
        _fast_validator()(document)
        return True
    except Exception:  # JsonSchemaException, or anything odd: let the full validator judge
        return False


# -- slow path: every error, in words ----------------------------------------------------

@functools.cache
def _full_validator() -> Validator:
    import jsonschema
    from jsonschema import Draft202012Validator, ValidationError

    def pattern(validator: Validator, patrn: str, instance: Any,
                schema: Mapping[str, Any]) -> Iterator[ValidationError]:
        # `$` is end of text, as in ECMA-262 and fastjsonschema (Python's `$` allows a "\n")
        if validator.is_type(instance, "string") and not _regex(patrn).search(instance):
            yield ValidationError(f"{instance!r} does not match {patrn!r}")

    # jsonschema's `extend` is untyped: seen through a typed name
    extend: Callable[..., type[Validator]] = jsonschema.validators.extend
    cls = extend(Draft202012Validator, {"pattern": pattern})
    return cls(load_schema())


@functools.cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"(?<!\\)\$", r"\\Z", pattern))


@functools.cache
def _def_names() -> dict[int, str]:
    return {id(shape): name for name, shape in load_schema().get("$defs", {}).items()}


def validate(document: Any, sources: SourceMap) -> list[Diagnostic]:
    """Rule S201: every schema violation of `document`, placed with `sources`."""
    if not isinstance(document, dict):
        holds = "nothing" if document is None else _kind(document)
        return [Diagnostic(RULE, Severity.ERROR,
                           f"a charter is a mapping of fields (apiVersion, kind, metadata, ...); "
                           f"this file holds {holds} (schema: type)", sources.file, 1, 1, "",
                           "start from `charterc init`, or compare with a bundled example")]
    unreadable = _non_finite(document, sources)
    if not unreadable and is_valid(document):
        return _unreadable_ranges(document, sources)
    explainer = _Explainer(sources)
    for error in _full_validator().iter_errors(document):
        if error.absolute_path and pointer_join("", *error.absolute_path) in unreadable:
            continue  # NaN passes `minimum` and `maximum`: say what is wrong once
        explainer.explain(_as_error(error))
    return sorted(explainer.diagnostics() + list(unreadable.values()),
                  key=lambda d: (d.line, d.column, d.pointer, d.message))


def _non_finite(document: Any, sources: SourceMap) -> dict[str, Diagnostic]:
    """S201 for `.nan`, `.inf` and numbers too large to read, by pointer.

    JSON has no such numbers, so JSON Schema cannot refuse them: NaN even passes
    `minimum` and `maximum`. `json.dumps` finds out in C whether there is any.
    """
    try:
        json.dumps(document, allow_nan=False)
        return {}
    except (ValueError, TypeError):
        pass
    found: dict[str, Diagnostic] = {}

    def walk(value: Any, pointer: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, pointer_join(pointer, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{pointer}/{index}")
        elif isinstance(value, float) and not math.isfinite(value):
            raw = sources.raw.get(pointer) or repr(value)
            what = ("is not a number" if value != value else
                    "is not a finite number" if raw.lstrip("+-").startswith(".") else
                    "is too large a number")
            line, column = sources.locate(pointer)
            found[pointer] = Diagnostic(
                RULE, Severity.ERROR, f"{_field(pointer)}: {_clip(raw)} {what} (schema: type)",
                sources.file, line, column, pointer, "write a number such as 35 or 35.5")

    walk(document, "")
    return found


def _clip(text: str, width: int = 40) -> str:
    """A value as written, in backquotes, cut short when long (a 5,000-digit amount)."""
    return f"`{text[:width]}…`" if len(text) > width else f"`{text}`"


def _schedules(document: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(pointer, value) of every `hours` and `maintenance` value of a schema-valid document."""
    for t, tier in enumerate(document.get("tiers") or ()):
        yield f"/tiers/{t}/hours", tier.get("hours")
        yield f"/tiers/{t}/maintenance", tier.get("maintenance")
    for c, client in enumerate(document.get("clients") or ()):
        yield f"/clients/{c}/needs/hours", (client.get("needs") or {}).get("hours")


# The offending value of a refused range -> (what is wrong with it, what to write).
_REFUSED_RANGE = {
    "from": ("is the end of a day: a range cannot start there",
             'start at "00:00" of the next day (move the entry to that day in `days`)'),
    "to": ("is also its `from`: the range is empty",
           'write from "00:00" to "24:00" for a whole day, or another closing time'),
}


def _unreadable_ranges(document: dict[str, Any], sources: SourceMap) -> list[Diagnostic]:
    """S201 for the ranges the `time` shape lets through but the calendar refuses.

    `from: "24:00"` and `from` equal to `to` are well-formed times, yet no week can
    hold the range; without this the coverage rules would skip the hours silently.
    """
    from ..calendar.syntax import parse_time  # the coverage rules import it anyway

    found: list[Diagnostic] = []
    for base, value in _schedules(document):
        if type(value) is not dict:
            continue
        for index, entry in enumerate(value.get("schedule") or ()):
            start, end = parse_time(entry["from"]), parse_time(entry["to"])
            if start == 1440:
                key = "from"
            elif start == end:
                key = "to"
            else:
                continue
            message, hint = _REFUSED_RANGE[key]
            pointer = f"{base}/schedule/{index}/{key}"
            line, column = sources.locate(pointer)
            found.append(Diagnostic(RULE, Severity.ERROR,
                                    f"{_field(pointer)}: `{entry[key]}` {message}",
                                    sources.file, line, column, pointer, hint))
    return found


class _Error(Protocol):
    """A jsonschema error as `iter_errors` reports it, every field set (the stubs declare
    them `Unset` too, for an error made by hand)."""

    @property
    def message(self) -> str: ...
    @property
    def validator(self) -> str: ...
    @property
    def validator_value(self) -> Any: ...
    @property
    def instance(self) -> Any: ...
    @property
    def schema(self) -> Mapping[str, Any]: ...
    @property
    def path(self) -> Sequence[str | int]: ...
    @property
    def absolute_path(self) -> Sequence[str | int]: ...
    @property
    def schema_path(self) -> Sequence[str | int]: ...
    @property
    def relative_schema_path(self) -> Sequence[str | int]: ...
    @property
    def context(self) -> Sequence[ValidationError]: ...


def _as_error(error: ValidationError) -> _Error:
    return cast("_Error", error)


class _Explainer:
    """Turns jsonschema errors into positioned, deduplicated diagnostics."""

    def __init__(self, sources: SourceMap) -> None:
        self.sources = sources
        self.found: dict[tuple[str, str], tuple[int, Diagnostic]] = {}
        self.value_errors: dict[str, tuple[int, tuple[str, str]]] = {}
        self.keyword = ""  # the schema keyword of the error being explained

    def diagnostics(self) -> list[Diagnostic]:
        kept = [d for _, d in self.found.values()]
        return sorted(kept, key=lambda d: (d.line, d.column, d.pointer, d.message))

    def add(self, pointer: str, message: str, hint: str = "", *, key: bool = False,
            scalar_depth: int | None = None, fixes: tuple[Fix, ...] = ()) -> None:
        line, column = self.sources.locate(pointer, key=key)
        message = f"{message} (schema: {self.keyword})"
        diagnostic = Diagnostic(RULE, Severity.ERROR, message, self.sources.file, line, column,
                                pointer, hint, fixes=fixes)
        ident = (pointer, message)
        if scalar_depth is not None:
            # One complaint per value: keep the one from the most specific schema
            # (a business-clock target fails both `duration` and `business-duration`).
            previous = self.value_errors.get(pointer)
            if previous is not None:
                if previous[0] >= scalar_depth:
                    return
                self.found.pop(previous[1], None)
            self.value_errors[pointer] = (scalar_depth, ident)
        self.found.setdefault(ident, (len(self.found), diagnostic))

    # -- dispatch ------------------------------------------------------------------------
    def explain(self, error: _Error) -> None:
        pointer = pointer_join("", *error.absolute_path)
        self.keyword = error.validator
        handler = getattr(self, "on_" + error.validator, None)
        try:
            if handler is not None:
                handler(error, pointer)
                return
        except Exception:  # an unforeseen error shape: say it plainly rather than crash
            pass
        self.keyword = error.validator
        self.add(pointer, f"{_field(pointer)}: {error.message[:160]}")

    def on_additionalProperties(self, error: _Error, pointer: str) -> None:
        schema, instance = error.schema, error.instance
        allowed = list(schema.get("properties", {}))
        patterns = [_regex(p) for p in schema.get("patternProperties", {})]
        for key in instance:
            if key in allowed or any(p.search(key) for p in patterns):
                continue
            import difflib  # only for a suggestion: a valid charter never needs it
            guess = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            if not guess and patterns and any(p.search(key.upper()) for p in patterns):
                guess = [key.upper()]
            hint = (f"did you mean '{guess[0]}'?" if guess
                    else "allowed fields: " + ", ".join(allowed) if allowed else "")
            self.add(pointer_join(pointer, key), f"{_field(pointer)} has an unexpected field "
                     f"'{key}'", hint, key=True)

    def on_required(self, error: _Error, pointer: str) -> None:
        instance = error.instance
        for name in error.validator_value:
            if name in instance:
                continue
            hint = ""
            if "then" in error.schema_path and error.schema.get("description"):
                hint = error.schema["description"]
            else:
                described = error.schema.get("properties", {}).get(name, {}).get("description")
                if described:
                    hint = f"add `{name}`: {described[0].lower()}{described[1:]}"
            self.add(pointer, f"{_field(pointer)} lacks required field '{name}'", hint, key=True)

    def on_type(self, error: _Error, pointer: str) -> None:
        value = error.instance
        expected = self.expected(error.schema)
        hint = self.hint_for(error.schema, value, pointer)
        if value is None:
            message = f"{_field(pointer)} is empty; expected {expected}"
            hint = hint or "give a value, or remove the field"
        else:
            message = (f"{_field(pointer)}: {self.show(value, pointer)} is {_kind(value)}; "
                       f"expected {expected}")
        self.add(pointer, message, hint, scalar_depth=len(error.schema_path),
                 fixes=self.fixes_for(error.schema, value, pointer))

    def on_pattern(self, error: _Error, pointer: str) -> None:
        self.add(pointer, f"{_field(pointer)}: {self.show(error.instance, pointer)} is not "
                 f"{self.expected(error.schema)}", self.hint_for(error.schema, error.instance,
                                                                  pointer),
                 scalar_depth=len(error.schema_path),
                 fixes=self.fixes_for(error.schema, error.instance, pointer))

    def on_enum(self, error: _Error, pointer: str) -> None:
        choices = [str(c) for c in error.validator_value]
        import difflib  # only for a suggestion: a valid charter never needs it
        guess = difflib.get_close_matches(str(error.instance).lower(), choices, n=1, cutoff=0.5)
        self.add(pointer, f"{_field(pointer)}: {self.show(error.instance, pointer)} is not one "
                 f"of {', '.join(choices)}", f"did you mean '{guess[0]}'?" if guess else "",
                 scalar_depth=len(error.schema_path))

    def on_const(self, error: _Error, pointer: str) -> None:
        self.add(pointer, f"{_field(pointer)}: {self.show(error.instance, pointer)} is not "
                 f"`{error.validator_value}`", f"write {error.validator_value}",
                 scalar_depth=len(error.schema_path))

    def on_minItems(self, error: _Error, pointer: str) -> None:
        self.add(pointer, f"{_field(pointer)} is empty; expected at least "
                 f"{error.validator_value} item{'s' if error.validator_value != 1 else ''}")

    def on_minimum(self, error: _Error, pointer: str) -> None:
        self.add(pointer, f"{_field(pointer)}: {self.show(error.instance, pointer)} is below the "
                 f"minimum {error.validator_value:g}", scalar_depth=len(error.schema_path))

    def on_maximum(self, error: _Error, pointer: str) -> None:
        self.add(pointer, f"{_field(pointer)}: {self.show(error.instance, pointer)} is above the "
                 f"maximum {error.validator_value:g}", scalar_depth=len(error.schema_path))

    def on_anyOf(self, error: _Error, pointer: str) -> None:
        branches = error.validator_value
        if all(set(b) == {"required"} for b in branches):
            return self.exactly_one(error, pointer)
        kind = _json_type(error.instance)
        fits = [i for i, b in enumerate(branches) if not self.types(b) or kind & self.types(b)]
        words = self.expected(error.schema)
        if not fits:
            value = error.instance
            what = " is empty" if value is None else \
                f": {self.show(value, pointer)} is {_kind(value)}"
            return self.add(pointer, f"{_field(pointer)}{what}; expected {words}",
                            self.hint_for(error.schema, value, pointer),
                            scalar_depth=len(error.schema_path),
                            fixes=self.fixes_for(error.schema, value, pointer))
        by_branch = {i: [_as_error(e) for e in error.context if e.relative_schema_path[0] == i]
                     for i in fits}
        # the branch that got furthest into the value, then the one with fewest complaints
        best = max(fits, key=lambda i: (max((len(e.path) for e in by_branch[i]), default=0),
                                        -len(by_branch[i])))
        errors = by_branch[best]
        same_place = all(not e.path and e.validator in _SCALAR_KEYWORDS for e in errors)
        if same_place and words:
            hint = (self.hint_for(errors[0].schema, error.instance, pointer) if errors else "")
            schema = errors[0].schema if hint else error.schema  # the one the hint is of
            self.add(pointer, f"{_field(pointer)}: {self.show(error.instance, pointer)} is not "
                     f"{words}", hint or self.hint_for(error.schema, error.instance, pointer),
                     scalar_depth=len(error.schema_path),
                     fixes=self.fixes_for(schema, error.instance, pointer))
        else:
            for sub in errors:
                self.explain(sub)

    on_oneOf = on_anyOf

    def exactly_one(self, error: _Error, pointer: str) -> None:
        names = [b["required"][0] for b in error.validator_value]
        present = [n for n in names if isinstance(error.instance, dict) and n in error.instance]
        listed = " or ".join(f"'{n}'" for n in names)
        if present:
            self.add(pointer, f"{_field(pointer)} has {' and '.join(map(repr, present))}; "
                     f"give only one of {listed}", key=True)
        else:
            self.add(pointer, f"{_field(pointer)} needs one of {listed}", key=True)

    # -- words ---------------------------------------------------------------------------
    def expected(self, schema: Mapping[str, Any]) -> str:
        name = _def_names().get(id(schema))
        if name in EXPECTED:
            return EXPECTED[name]
        if "enum" in schema:
            return "one of " + ", ".join(map(str, schema["enum"]))
        if "const" in schema:
            return f"`{schema['const']}`"
        kind = schema.get("type")
        if isinstance(kind, str):
            return _TYPE_WORDS.get(kind, kind)
        described: str = schema.get("description", "another value")
        return described.rstrip(".")

    def unquoted(self, schema: Mapping[str, Any], value: Any, pointer: str) -> str | None:
        """The text of a number or boolean written where the schema wants a text, which
        quotes make one (`version: 1.10`); None otherwise."""
        raw = self.sources.raw.get(pointer)
        if schema.get("type") == "string" and raw is not None and not isinstance(value, str):
            return raw
        return None

    def fixes_for(self, schema: Mapping[str, Any], value: Any, pointer: str) -> tuple[Fix, ...]:
        """The quotes that make a value text, when they are the edit (YAML only: in the DSL
        a quoted value may need more than quotes, and is left to the author)."""
        raw = self.unquoted(schema, value, pointer)
        if raw is None or self.sources.dsl or '"' in raw or "\\" in raw:
            return ()
        from ..diagnostics.fixes import replace_scalar  # only when a fix is made
        return replace_scalar(self.sources, pointer, f'Quote it: "{raw}"',
                              lambda written: f'"{written}"', expect=lambda written: written == raw)

    def hint_for(self, schema: Mapping[str, Any], value: Any, pointer: str) -> str:
        name = _def_names().get(id(schema))
        raw = self.unquoted(schema, value, pointer)
        if raw is not None:
            hint = f'quote it: "{raw}"'
            if "pattern" in schema and not _regex(schema["pattern"]).search(raw):
                hint += f"; it must also be {EXPECTED.get(name or '', 'in the expected form')}"
            return hint
        if name == "id" and isinstance(value, str):
            slug = re.sub(r"[^a-z0-9-]+", "-", value.lower()).strip("-")
            if slug and _regex(schema["pattern"]).search(slug):
                return f"for example `{slug}`"
        if schema.get("type") == "boolean" and isinstance(value, str):
            return "write true or false (yes, no, on, off are text in YAML 1.2)"
        if isinstance(value, str) and "pattern" in schema:
            for variant in (value.strip(), value.upper(), value.lower()):
                if variant != value and _regex(schema["pattern"]).search(variant):
                    return f"write `{variant}`"
        if name == "business-duration" and not re.search(r"[0-9]w", str(value)):
            return "write whole numbers with units d, h, m, largest first, e.g. 1h30m"
        return HINTS.get(name or "", "")

    def types(self, schema: Mapping[str, Any]) -> set[str]:
        """The JSON types a (sub)schema can accept; empty when it does not say."""
        ref = schema.get("$ref", "")
        if ref.startswith("#/$defs/"):
            schema = load_schema()["$defs"].get(ref[len("#/$defs/"):], {})
        if "type" in schema:
            kind = schema["type"]
            kinds = {kind} if isinstance(kind, str) else set(kind)
            return kinds | ({"integer"} if "number" in kinds else set())
        if "const" in schema:
            return _json_type(schema["const"])
        if "enum" in schema:
            return set().union(*map(_json_type, schema["enum"]))
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return set().union(*map(self.types, schema[key]))
        return set()

    def show(self, value: Any, pointer: str) -> str:
        raw = self.sources.raw.get(pointer)
        if raw is not None:
            return _clip(raw)
        if isinstance(value, bool):
            return "`true`" if value else "`false`"
        if isinstance(value, dict):
            return "a mapping"
        if isinstance(value, list):
            return "a list"
        if isinstance(value, int) and value.bit_length() > 1024:
            return "a very large number"
        return _clip(str(value))


def _json_type(value: Any) -> set[str]:
    if isinstance(value, bool):
        return {"boolean"}
    if isinstance(value, int):
        return {"integer", "number"}
    if isinstance(value, float):
        return {"number"}
    if isinstance(value, str):
        return {"string"}
    if isinstance(value, dict):
        return {"object"}
    if isinstance(value, list):
        return {"array"}
    return {"null"}


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _field(pointer: str) -> str:
    """`/tiers/0/objectives/response/P1` -> `tiers[0].objectives.response.P1`."""
    out = ""
    for part in pointer_parts(pointer):
        if part.isdigit():
            out += f"[{part}]"
        elif _WORD.match(part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part)}]"
    return out or "the charter"
