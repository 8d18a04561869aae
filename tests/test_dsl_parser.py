"""The DSL's parser generated ahead of time (charterc/loaders/_charter_parser.py): current,
reproducible, the same parses as Lark's own lexers, and a one-file check without Lark."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charterc.loaders import _charter_parser as runtime
from charterc.loaders import dsl, dsl_generate
from charterc.loaders.dsl import GRAMMAR_PATH, load_text, make_parser

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples" / "dsl").glob("*.charter"))


def test_the_shipped_parser_is_generated_from_the_grammar_as_it_is():
    shipped = dsl_generate.MODULE.read_text(encoding="utf-8")
    assert dsl_generate.generate(GRAMMAR_PATH) == shipped, \
        "charter.lark changed: run python -m charterc.loaders.dsl_generate"


def test_the_generator_check_mode_says_when_the_module_is_stale(tmp_path, monkeypatch):
    assert dsl_generate.main(["--check"]) == 0
    stale = tmp_path / "_charter_parser.py"
    stale.write_text(dsl_generate.MODULE.read_text(encoding="utf-8").replace(
        "GRAMMAR = (\n", "GRAMMAR = (\n    '// edited\\n'\n", 1), encoding="utf-8")
    monkeypatch.setattr(dsl_generate, "MODULE", stale)
    assert dsl_generate.main(["--check"]) == 1


def test_the_tables_are_the_same_in_every_process():
    # Lark numbers terminals and states in the order of sets, which hashing seeds change
    program = ("from charterc.loaders.dsl_generate import GRAMMAR_PATH, tables\n"
               "print(repr(tables(GRAMMAR_PATH.read_text(encoding='utf-8'))))")
    outputs = {subprocess.run([sys.executable, "-c", program], capture_output=True,
                              text=True, check=True, cwd=ROOT,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2", "3")}
    assert len(outputs) == 1


def test_a_grammar_edited_since_generation_is_built_from_the_file(tmp_path, monkeypatch):
    edited = tmp_path / "charter.lark"
    edited.write_text(GRAMMAR_PATH.read_text(encoding="utf-8") + "// edited\n",
                      encoding="utf-8")
    text = EXAMPLES[0].read_text(encoding="utf-8")
    expected = load_text(text, "x.charter").document
    built = []
    real_tables = dsl_generate.tables
    monkeypatch.setattr(dsl_generate, "tables", lambda g: built.append(g) or real_tables(g))
    monkeypatch.setattr(dsl, "GRAMMAR_PATH", edited)
    monkeypatch.setattr(dsl, "_PARSER", None)
    assert load_text(text, "x.charter").document == expected
    assert built and built[0].endswith("// edited\n")
    monkeypatch.setattr(dsl, "_PARSER", None)


# -- the quick state lexers tokenise as Lark's do -----------------------------------------

_LARKS = make_parser(runtime.DATA, runtime.MEMO, fast=False)


def _outcome(parser, text: str) -> object:
    try:
        return ("parsed", parser.parse(text))
    except runtime.UnexpectedInput as exc:
        return (type(exc).__name__, exc.line, exc.column,
                sorted(getattr(exc, "expected", None) or getattr(exc, "allowed", None) or ()))


def test_the_quick_state_lexers_are_used():
    parser = dsl.parser()
    assert all(type(x) is dsl._StateLexer for x in parser.parser.lexer.lexers.values())
    assert type(_LARKS.parser.lexer.root_lexer) is runtime.BasicLexer


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_examples_parse_as_with_larks_own_lexers(path):
    text = path.read_text(encoding="utf-8")
    assert _outcome(dsl.parser(), text) == _outcome(_LARKS, text)


_WORDS = ["charter", "a", '"b c"', "{", "}", "\n", "tier", "hours", "mon-fri", "08:00-18:00",
          ",", "[]", "#", "99%", "per", "below", "personal", "for", "growing", "from", "to",
          "days", "sat", "daily", "24x7", "+-", "fixed", "price", "client", "timezone",
          "format", "tiers", "schedule", "holidays", "FR", "version", "2.0", '"x\\"y"']


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(_WORDS), max_size=40).map(" ".join)
       | st.text(alphabet="charte {}[],#\"\n:-0189%+x", max_size=80))
def test_any_text_parses_or_fails_as_with_larks_own_lexers(words):
    text = 'charter a "b" version 1 active\n' + words + "\n"
    assert _outcome(dsl.parser(), text) == _outcome(_LARKS, text)


def test_a_dsl_check_imports_neither_lark_nor_logging():
    program = f"""
import sys
from charterc.__main__ import run
try:
    run(["check", "--no-cache", "--today", "2026-11-27", {str(EXAMPLES[0])!r}])
except SystemExit as exit:
    code = exit.code
print(code, sorted(m for m in ("lark", "logging") if m in sys.modules))
"""
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert run.stdout.strip().splitlines()[-1] == "0 []"
