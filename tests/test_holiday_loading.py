"""The `holidays` library loaded piecemeal gives the dates it gives when imported as usual.

`calendar/holiday.py` imports only the calendars and groups a country's rules use
(`_lazy_reexports`). Each side runs in a fresh process: the library as its users import
it, and as charterc loads it; the dates of countries built on every kind of calendar
(Gregorian, Julian, Islamic, Hindu, Hebrew, Chinese, Buddhist, Persian, Ethiopian...)
must be the same.
"""
from __future__ import annotations

import json
import subprocess
import sys

COUNTRIES = ["FR", "GB", "US", "DE", "IN", "SA", "IL", "CN", "TH", "KR", "ID", "LK", "MN",
             "ET", "IR", "MM", "VN", "EG", "RU", "GR", "NP", "BT", "MY", "SG", "BR", "AU"]
YEARS = "range(2024, 2031)"

PLAIN = f"""
import json, holidays
print(json.dumps({{c: sorted(str(d) for d in holidays.country_holidays(c, years={YEARS}))
                  for c in {COUNTRIES!r}}}))
"""

CHARTERC = f"""
import json
from charterc.calendar.holiday import HolidayCalendar
print(json.dumps({{c: sorted(str(d) for d in HolidayCalendar.from_value(c).dates(2024, 2030))
                  for c in {COUNTRIES!r}}}))
"""

ONLY_NEEDED = """
import sys
from charterc.calendar.holiday import HolidayCalendar
HolidayCalendar.from_value("FR").dates(2026, 2026)
print(sorted(m for m in sys.modules if m.startswith(("holidays.calendars.", "holidays.groups."))))
"""


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return done.stdout


def test_piecemeal_loading_gives_the_same_dates_as_the_library():
    assert json.loads(_run(CHARTERC)) == json.loads(_run(PLAIN))


def test_a_country_loads_only_the_calendars_and_groups_it_uses():
    loaded = _run(ONLY_NEEDED)
    assert "holidays.groups.christian" in loaded
    assert "holidays.calendars.islamic" not in loaded
    assert "holidays.groups.hindu" not in loaded
