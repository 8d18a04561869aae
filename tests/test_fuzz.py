"""Fuzz: hostile values in every field never make an internal error.

Documents drawn by `strategies.charters()` get one to three values replaced, anywhere
(a leaf, a list, a mapping), by values at or past the bounds of the schema: NaN,
infinities, numbers of 5,000 digits, percents of 10^23, dates past 9999, periods of
10^10 days, lone surrogates, terminal escapes, NUL, `localtime`, wrong types. The
document is written as YAML and as the DSL, then loaded, validated and checked in
process. Whatever happens, charterc answers with diagnostics (exit 0 or 1), every one
placed on a line; an exception is a failure of the test.

2,000 documents per syntax (`CHARTERC_FUZZ_EXAMPLES` changes it). Drawing whole charters
with `strategies.charters()` costs hypothesis more than checking them, so the documents
start from the portfolio's charters and the report fixture. Most stop at S201, and the
time goes there: `jsonschema` listing the errors of an invalid charter of this size takes
10-30 ms (the fastjsonschema fast path only answers "valid?"); the valid ones run every
rule (V501 and T604 dominate). The DSL writer cannot write every hostile value (a list
where its grammar has a word): those documents are counted, not loaded.
"""
from __future__ import annotations

import copy
import json
import os
import re
from datetime import date
from pathlib import Path

import yaml
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from charterc.authoring import Unrepresentable
from charterc.authoring import dsl as dsl_writer
from charterc.loaders import load_bytes
from charterc.loaders.yaml import load_text
from charterc.pipeline import CheckOptions, check_loaded

EXAMPLES = int(os.environ.get("CHARTERC_FUZZ_EXAMPLES", "2000"))
TODAY = date(2026, 6, 1)

# Written into the text after dumping: no dumper writes a 5,000-digit number for us.
_BIG = "@@BIG@@"
_BIG_TEXT = "9" * 5000
_BIG_WRITTEN = re.compile(r"""(['"]?)@@BIG@@\1""")

# At the bounds (valid: the arithmetic and calendars must cope) and past them.
HOSTILE = (
    # numbers
    float("nan"), float("inf"), float("-inf"), 1e308, -1, 1e15, 1e16, 5e-324, 0, 0.1,
    10 ** 15, 999_999_999_999_999, _BIG, True, None,
    # percents
    "1000%", "-100%", "-99.999999%", "0%", "100%", "1000.000001%", "1e999999%",
    "99999999999999999999999%", "NaN%", "-0%", "+1000%",
    # dates
    "1900-01-01", "2999-12-31", "3000-01-01", "9999-12-31", "0001-01-01", "2026-02-30",
    # durations and periods
    "9999w9999d9999h9999m", "9999d", "999y", "9999mo", "99999999999w", "9999999999d",
    "0m", "0d", "24:00", "00:00", "23:59",
    # names and zones
    "localtime", "posixrules", "Factory", "UTC", "Etc/GMT+14", "posix/Europe/Paris",
    "../../../etc/passwd", "America/Argentina/ComodRivadavia",
    # text that must never reach a terminal or a document raw
    "\x1b]0;PWNED\x07\x1b[2J", "a\x00b", "\ud800", "x\udfffy", "\u202eevil", "\r", "",
    " ", "x" * 3000, "24x7", "none", "mon-fri", "P1", "FR", "EU",
    # shapes
    [], {}, ["\ud800"], {"x": 1}, [[[]]],
)


def _leaves(value, path=()):
    """Every place a value can be put: (container path, key) pairs, depth first."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield path, key
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield path, index
            yield from _leaves(item, (*path, index))


def _at(document, path):
    for part in path:
        document = document[part]
    return document


# Drawing a whole charter costs hypothesis tens of milliseconds, more than checking it:
# the fuzz starts from the portfolio's charters, the report fixture and a few drawn
# documents, and spends its draws on where to put which hostile value.
_ROOT = Path(__file__).resolve().parent.parent
_BASES = tuple(load_text(p.read_text(encoding="utf-8"), p.name).document for p in (
    *sorted((_ROOT / "charters").glob("*.charter.yaml")), _ROOT / "tests/report/desk.charter.yaml"))


_SCALARS = tuple(v for v in HOSTILE if not isinstance(v, (list, dict)))


@st.composite
def hostile_documents(draw, scalars: bool = False):
    """A base charter with one to three values replaced; with `scalars`, only a scalar by a
    scalar (the DSL writer cannot put a list where its grammar has a word)."""
    document = copy.deepcopy(draw(st.sampled_from(_BASES)))
    places = [(path, key) for path, key in _leaves(document)
              if not scalars or not isinstance(_at(document, path)[key], (list, dict))]
    for _ in range(draw(st.integers(1, 3))):
        path, key = draw(st.sampled_from(places))
        try:
            container = _at(document, path)
            # a copy: a later replacement may land inside this value, and the shared
            # HOSTILE shapes must not be changed (nor made to contain themselves)
            container[key] = copy.deepcopy(draw(st.sampled_from(_SCALARS if scalars
                                                                else HOSTILE)))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier replacement removed the place
    return document


_SURROGATE = re.compile("[\ud800-\udfff]")


def _yaml(document) -> str:
    """YAML text; a string with a lone surrogate is written as its escapes (libyaml's
    emitter cannot encode it), which is how a person would write one."""
    escaped: list[str] = []

    def mark(value):
        if isinstance(value, dict):
            return {mark(k): mark(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v) for v in value]
        if isinstance(value, str) and _SURROGATE.search(value):
            escaped.append(json.dumps(value))  # "\ud800": a YAML double-quoted escape too
            return f"@@S{len(escaped) - 1}@@"
        return value

    text = yaml.dump(mark(document), Dumper=yaml.CSafeDumper, allow_unicode=False,
                     default_flow_style=None, width=100000)
    text = re.sub(r"""(['"]?)@@S(\d+)@@\1""", lambda m: escaped[int(m.group(2))], text)
    return _BIG_WRITTEN.sub(_BIG_TEXT, text)


def _dsl(document) -> str | None:
    try:
        text = dsl_writer.dump(document)
    except (Unrepresentable, ValueError, TypeError, KeyError, AttributeError):
        return None  # the DSL cannot say it: its writer refuses, the loader is not reached
    return _BIG_WRITTEN.sub(_BIG_TEXT, text)


def _check(text: str, file: str) -> None:
    loaded = load_bytes(text.encode("utf-8", "surrogatepass"), file)
    result = check_loaded(loaded, CheckOptions(today=TODAY))  # raises on an internal error
    assert result.diagnostics or result.charter is not None
    for d in result.diagnostics:
        assert d.line >= 1 and d.column >= 1, d
        assert d.rule and d.severity is not None, d
        d.message.encode("utf-8")  # no surrogate reaches an output
        d.hint.encode("utf-8")


# No shrinking: a failure prints its document as drawn, and the suite's time stays bounded.
_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                     phases=(Phase.explicit, Phase.generate),
                     suppress_health_check=list(HealthCheck))


@_SETTINGS
@given(hostile_documents())
def test_fuzz_yaml_never_raises(document):
    _check(_yaml(document), "fuzz.charter.yaml")


@_SETTINGS
@given(hostile_documents(scalars=True))
def test_fuzz_dsl_never_raises(document):
    text = _dsl(document)
    event("written as DSL" if text is not None else "the DSL writer refuses it")
    if text is not None:
        _check(text, "fuzz.charter")
