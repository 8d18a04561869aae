"""The modules charterc generates from its own sources, and the command that keeps them.

`loaders/_charter_parser.py` (from the DSL grammar, `python -m charterc.loaders.dsl_generate`)
and `validate/_compiled_charter_schema.py` (from the JSON Schema,
`python -m charterc.validate.generate`) are committed, so that a check imports neither
Lark's grammar compiler nor a schema compiler. Each generator's command writes its module
when it differs, or with `--check` exits 1 when the module is not what would be written
(a test runs the check, so an edited grammar or schema cannot go stale unnoticed).
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

__all__ = ["write_or_check"]


def write_or_check(prog: str, module: Path, generate: Callable[[], str],
                   argv: list[str] | None = None) -> int:
    """`python -m PROG [--check]`: write `module` from `generate()`, or check it is current."""
    import argparse

    parser = argparse.ArgumentParser(prog=f"python -m {prog}",
                                     description=f"Generate {module.name}.")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when the module is not what would be generated")
    args = parser.parse_args(argv)
    text = generate()
    current = module.read_text(encoding="utf-8") if module.is_file() else None
    if current == text:
        return 0
    if args.check:
        print(f"{module.name} is out of date: run python -m {prog}", file=sys.stderr)
        return 1
    module.write_text(text, encoding="utf-8")
    print(f"wrote {module}")
    return 0
