"""A one-file check imports only what a valid charter needs (bench/startup.py).

Each module below is imported where it is used: suggestions (difflib), the generator
and its hashing (when the shipped validator is stale), the full validator (an invalid
charter), the renderers, and the holiday calendars of countries the charter does not
name, and dateutil's parser (holidays reads free-form date strings with it; charterc gives
it dates). The cyclic collector, off while the CLI imports, is on for the command.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHARTER = ROOT / "charters" / "it-service-desk.charter.yaml"

NOT_NEEDED = ("difflib", "hashlib", "fastjsonschema", "charterc.validate.generate", "jsonschema",
              "jinja2", "babel", "lark", "holidays.calendars.islamic", "holidays.groups.hindu",
              "importlib.metadata", "dateutil.parser._parser", "dateutil.tz", "six")

PROGRAM = f"""
import gc, sys
from charterc.__main__ import run
try:
    run(["check", "--no-cache", "--today", "2026-11-27", {str(CHARTER)!r}])
except SystemExit as exit:
    code = exit.code
print(code, gc.isenabled(), sorted(m for m in {NOT_NEEDED!r} if m in sys.modules))
"""


def test_a_one_file_check_imports_only_what_a_valid_charter_needs():
    run = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert run.stdout.strip().splitlines()[-1] == "0 True []"


def test_the_deferred_date_parser_still_reads_free_form_dates():
    program = """
import sys
from charterc.calendar.holiday import HolidayCalendar
assert len(HolidayCalendar("FR").dates(2026, 2026)) == 11
assert "six" not in sys.modules
import holidays
from dateutil.parser import isoparse
calendar = holidays.country_holidays("FR", years=2026)
print("July 14, 2026" in calendar, "2026-07-15" in calendar, isoparse("2026-07-14").day)
"""
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert run.stdout.split() == ["True", "False", "14"]


def test_importing_the_cli_leaves_the_collector_alone():
    program = ("import gc\nthreshold = gc.get_threshold()\nimport charterc.cli\n"
               "print(gc.isenabled(), gc.get_freeze_count() == 0, gc.get_threshold() == threshold)")
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert run.stdout.split() == ["True", "True", "True"]


def test_the_program_tunes_the_collector_once_its_modules_are_imported():
    program = ("import gc\nfrom charterc.__main__ import THRESHOLDS, run\n"
               "try:\n    run(['explain', 'C401'])\nexcept SystemExit:\n    pass\n"
               "print(gc.isenabled(), gc.get_freeze_count() > 0, gc.get_threshold() == THRESHOLDS)")
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert run.stdout.split()[-3:] == ["True", "True", "True"]
