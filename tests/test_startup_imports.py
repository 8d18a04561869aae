"""A one-file check imports only what a valid charter needs (bench/startup.py).

Each module below is imported where it is used: suggestions (difflib), the generator
and its hashing (when the shipped validator is stale), the full validator (an invalid
charter), the renderers, and the holiday calendars of countries the charter does not
name. The cyclic collector, off while the CLI imports, is on for the command.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHARTER = ROOT / "charters" / "it-service-desk.charter.yaml"

NOT_NEEDED = ("difflib", "hashlib", "fastjsonschema", "charterc.validate.generate", "jsonschema",
              "jinja2", "babel", "lark", "holidays.calendars.islamic", "holidays.groups.hindu",
              "importlib.metadata")

PROGRAM = f"""
import gc, sys
from charterc.cli import main
collecting = gc.isenabled()
try:
    main(["check", "--no-cache", "--today", "2026-11-27", {str(CHARTER)!r}])
except SystemExit as exit:
    code = exit.code
print(code, collecting, sorted(m for m in {NOT_NEEDED!r} if m in sys.modules))
"""


def test_a_one_file_check_imports_only_what_a_valid_charter_needs():
    run = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert run.stdout.strip().splitlines()[-1] == "0 True []"
