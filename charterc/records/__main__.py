"""`python -m charterc.records [--check]`: rewrite `_initializers.py`, or exit 1 if stale."""
from __future__ import annotations

import sys

from charterc.records import MODULE, module_source


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = module_source()
    current = MODULE.read_text(encoding="utf-8") if MODULE.exists() else None
    if "--check" in args:
        if current != text:
            print(f"{MODULE} is out of date: run python -m charterc.records", file=sys.stderr)
            return 1
        return 0
    if current != text:
        MODULE.write_text(text, encoding="utf-8")
        print(f"wrote {MODULE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
