"""`expand` shifts the weekly table between offset changes; it equals the day-by-day walk.

`reference_expand` is the expansion as charterc computed it before: every local day of
the term, each range converted time by time with `LocalTime.to_utc`. The property
compares the two over random schedules (overnight ranges, 24:00), zones (daylight
saving at 02:00, at midnight, by 30 minutes, none), holiday calendars and terms up to
three years.
"""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from charterc.calendar import Schedule, format_days, merge
from charterc.calendar.schedule import _clock, _expand, day_spans
from charterc.calendar.zones import wall_seconds

ZONES = ["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "America/Havana",
         "America/Santiago", "Asia/Kolkata", "Europe/London", "UTC"]
times = st.integers(0, 96).map(lambda q: f"{q * 15 // 60:02d}:{q * 15 % 60:02d}")
day_sets = st.sets(st.integers(0, 6), min_size=1).map(format_days)


def reference_expand(schedule: Schedule, start: date, end: date):
    """The day-by-day expansion (charterc's before the weekly table was shifted)."""
    if end <= start:
        return ()
    lt = _clock(schedule, start, end)
    lo, hi = lt.to_utc(wall_seconds(start)), lt.to_utc(wall_seconds(end))
    closed = schedule.holidays.dates(start.year - 1, end.year)
    pairs = []
    for ordinal in range(start.toordinal() - 1, end.toordinal()):
        for s, e in day_spans(schedule, ordinal, lt, closed):
            s, e = max(s, lo), min(e, hi)
            if s < e:
                pairs.append((s, e))
    return merge(pairs)


@st.composite
def schedules(draw):
    ranges = []
    for _ in range(draw(st.integers(1, 3))):
        a, b = draw(times), draw(times)
        if a == b or a == "24:00":
            a, b = "22:00", "06:00"
        ranges.append({"days": draw(day_sets), "from": a, "to": b})
    holidays = draw(st.sampled_from(["none", "FR", "US", "GB", "AU", {
        "country": "FR", "extra": ["2026-03-30", "2027-10-31"], "remove": ["2026-05-01"]}]))
    return Schedule.from_value({"schedule": ranges, "timezone": draw(st.sampled_from(ZONES)),
                                "holidays": holidays})


terms = st.tuples(st.dates(date(2025, 1, 1), date(2028, 12, 1)), st.integers(1, 3 * 366)).map(
    lambda t: (t[0], t[0] + timedelta(days=t[1])))


@settings(max_examples=300, deadline=None)
@given(schedules(), terms)
def test_the_weekly_table_shifted_between_changes_is_the_day_by_day_walk(schedule, term):
    assert _expand.__wrapped__(schedule, *term, None) == reference_expand(schedule, *term)


def test_a_daylight_saving_change_at_midnight_and_a_short_term():
    # Havana springs forward at 00:00 (the local midnight does not exist); Santiago too
    for zone in ("America/Havana", "America/Santiago", "Europe/Paris"):
        schedule = Schedule.from_value({"schedule": [
            {"days": "daily", "from": "00:00", "to": "24:00"},
            {"days": "sat", "from": "23:30", "to": "00:30"}], "timezone": zone})
        for start in (date(2026, 3, 7), date(2026, 3, 8), date(2026, 9, 5), date(2026, 10, 24)):
            for days in (1, 2, 9):
                term = (start, start + timedelta(days=days))
                assert _expand.__wrapped__(schedule, *term, None) == reference_expand(
                    schedule, *term)
