"""Generate `_charter_parser.py`: the DSL's parser, ahead of time (Lark's standalone form).

Building the LALR parser from `charter.lark` (reading the grammar, computing the tables)
and importing Lark itself cost a one-file check of a `.charter` more than the check.
The module generated here is what Lark's own standalone tool writes: Lark's run-time
(lexers, LALR parser, exceptions, under the Mozilla Public License 2.0, as the tool's
output is) and the serialised tables of the grammar, which `dsl.parser()` loads. Two
changes to what the tool writes: the tables are numbered the same way on every run
(`canonical`), so the module is a function of the grammar, and Lark's logger (which
logs nothing a parse does) is a no-op object, so that parsing does not import logging.

The module records the grammar's text: when `charter.lark` no longer has it, the loader
builds the tables from the grammar with Lark (slower, same parses) and a test fails
until the module is regenerated. After editing `charter.lark`:

    python -m charterc.loaders.dsl_generate            # rewrite the module
    python -m charterc.loaders.dsl_generate --check    # exit 1 when it is out of date
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

__all__ = ["GRAMMAR_PATH", "MODULE", "OPTIONS", "generate", "tables"]

MODULE = Path(__file__).resolve().parent / "_charter_parser.py"
GRAMMAR_PATH = Path(__file__).with_name("charter.lark")
# How Lark builds the grammar: an LALR parser with the contextual lexer (dsl.py).
OPTIONS: dict[str, Any] = {"parser": "lalr", "lexer": "contextual", "maybe_placeholders": False}


def tables(grammar: str) -> tuple[dict[str, Any], dict[int, Any]]:
    """Lark's serialised parser for `grammar` (data, memo), without the callbacks."""
    from lark import Lark
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    built = Lark(grammar, **OPTIONS, cache=False)
    data, memo = built.memo_serialize([TerminalDef, Rule])
    # the callbacks are given when the tables are loaded, never stored
    data["options"] = {k: v for k, v in data["options"].items() if k != "transformer"}
    data["parser"]["parser"] = canonical(data["parser"]["parser"])
    return data, memo


def canonical(table: dict[str, Any]) -> dict[str, Any]:
    """Lark's serialised LALR table, numbered the same way on every run.

    Lark numbers terminals and states in the order it meets them in sets, which differs
    from one process to the next. Here terminals are numbered in the order of their names,
    and states in the order a walk from the start states meets them, taking each state's
    transitions in the order of the terminals' and rules' names. The tables are the same
    automaton; only its numbers change.
    """
    names: dict[int, str] = table["tokens"]
    order = sorted(names.values())
    terminal = {name: index for index, name in enumerate(order)}
    rows = {state: sorted((names[token], action) for token, action in row.items())
            for state, row in table["states"].items()}
    number: dict[int, int] = {}
    queue = [table["start_states"][start] for start in sorted(table["start_states"])]
    while queue:
        state = queue.pop(0)
        if state in number:
            continue
        number[state] = len(number)
        queue.extend(arg for _, (kind, arg) in rows[state] if kind == 0 and arg not in number)
    if len(number) != len(rows):
        raise ValueError("a state of the LALR table is not reachable from a start state")
    return {
        **table,
        "tokens": dict(enumerate(order)),
        "states": {number[state]: {terminal[name]: (kind, number[arg] if kind == 0 else arg)
                                   for name, (kind, arg) in rows[state]}
                   for state in sorted(rows, key=number.__getitem__)},
        "start_states": {k: number[v] for k, v in table["start_states"].items()},
        "end_states": {k: number[v] for k, v in table["end_states"].items()},
    }


_LOGGING = (
    'import logging\n',
    'logger: logging.Logger = logging.getLogger("lark")\n'
    'logger.addHandler(logging.StreamHandler())\n',
    'logger.setLevel(logging.CRITICAL)\n',
)
_NULL_LOGGER = '''
class _NullLogger:
    """Lark's logger, which is set to CRITICAL and never logs at that level: a no-op."""

    def _ignore(self, *args, **kwargs):
        pass

    debug = info = warning = error = exception = _ignore


logger = _NullLogger()
'''


def runtime() -> str:
    """Lark's run-time, as its standalone tool writes it, without the logging module."""
    from functools import partial

    import lark
    from lark.tools import standalone as tool

    standalone: Any = tool  # untyped
    parts = []
    for index, name in enumerate(standalone.EXTRACT_STANDALONE_FILES):
        source = Path(lark.__file__).parent / name
        with source.open(encoding="utf-8") as f:
            code = standalone.extract_sections(f)["standalone"]
        if index:  # the tool keeps its own file's comments (the licence) and strips the others'
            code = standalone.strip_docstrings(partial(next, iter(code.splitlines(True))))
        parts.append(code)
    code = "\n".join(parts)
    for line in _LOGGING:
        if code.count(line) != 1:
            raise ValueError(f"unexpected logging set-up in Lark's run-time: {line!r}")
    code = code.replace(_LOGGING[0], "").replace(_LOGGING[1], _NULL_LOGGER)
    return code.replace(_LOGGING[2], "")


def generate(grammar_file: Path) -> str:
    """The whole text of `_charter_parser.py` for `grammar_file`."""
    import pprint

    import lark

    grammar = grammar_file.read_text(encoding="utf-8")
    data, memo = tables(grammar)
    lines = "".join(f"    {line!r}\n" for line in grammar.splitlines(keepends=True))
    return (
        "# Generated by `python -m charterc.loaders.dsl_generate` from charterc/loaders/\n"
        f"# charter.lark with Lark {lark.__version__}'s standalone tool. Do not edit: "
        "regenerate.\n"
        "# ruff: noqa\n"
        "# mypy: ignore-errors\n"
        f"{runtime().rstrip()}\n\n\n"
        f"LARK_VERSION = {lark.__version__!r}\n"
        f"GRAMMAR = (\n{lines})\n"
        f"DATA = {pprint.pformat(data, width=100, sort_dicts=False)}\n"
        f"MEMO = {pprint.pformat(memo, width=100, sort_dicts=False)}\n"
        "Shift = 0\n"
        "Reduce = 1\n"
    )


def main(argv: list[str] | None = None) -> int:
    from ..codegen import write_or_check
    return write_or_check("charterc.loaders.dsl_generate", MODULE,
                          lambda: generate(GRAMMAR_PATH), argv)


if __name__ == "__main__":
    sys.exit(main())
