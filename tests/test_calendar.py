"""Calendars: parsing, expansion to UTC intervals, coverage, overlap, business clock.

Expectations are worked out by hand in the comments. Key 2026 dates:
US DST starts Sun 8 March, EU Sun 29 March; EU ends Sun 25 October, US Sun 1 November.
Between those dates New York is 5 h behind Paris instead of 6 h.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charterc.calendar import (
    TWENTY_FOUR_SEVEN,
    HolidayCalendar,
    Schedule,
    ScheduleError,
    add_business,
    average_open_hours_per_open_day,
    business_elapsed,
    business_minimum_wallclock,
    expand,
    format_days,
    gaps,
    hours_per_week,
    intersect,
    is_open,
    merge,
    overlap,
    parse_days,
    parse_time,
    subtract,
    total,
    uncovered,
    zone_problem,
)
from charterc.calendar.intervals import bucket_totals

PARIS, NEW_YORK, LONDON = (ZoneInfo("Europe/Paris"), ZoneInfo("America/New_York"),
                           ZoneInfo("Europe/London"))
H = 3600


def hours(days="mon-fri", start="08:00", end="18:00", tz="Europe/Paris", holidays="none", *more):
    ranges = [{"days": days, "from": start, "to": end}]
    ranges += [{"days": d, "from": a, "to": b} for d, a, b in more]
    return Schedule.from_value({"schedule": ranges, "timezone": tz, "holidays": holidays})


def utc(*args) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp())


def local(tz, *args) -> datetime:
    return datetime(*args, tzinfo=tz)


# --- value syntax -------------------------------------------------------------------------

@pytest.mark.parametrize("text, days", [
    ("mon-fri", {0, 1, 2, 3, 4}), ("sat", {5}), ("mon,wed,fri", {0, 2, 4}),
    ("daily", set(range(7))), ("fri-mon", {4, 5, 6, 0}), ("sat-mon", {5, 6, 0}),
    ("mon-mon", {0}), ("Mon-Wed, fri", {0, 1, 2, 4}),
])
def test_parse_days(text, days):
    assert parse_days(text) == frozenset(days)


@pytest.mark.parametrize("text", ["mo-fr", "", "mon,", "monday", None, "mon-", 5])
def test_parse_days_rejects(text):
    with pytest.raises(ValueError):
        parse_days(text)


def test_format_days_round_trips_every_set():
    for mask in range(1, 128):
        days = frozenset(d for d in range(7) if mask >> d & 1)
        assert parse_days(format_days(days)) == days
    assert format_days({0, 1, 2, 3, 4}) == "mon-fri"
    assert format_days({4, 5, 6, 0}) == "fri-mon"
    assert format_days({0, 2, 4}) == "mon,wed,fri"


@pytest.mark.parametrize("text, minutes", [("08:00", 480), ("24:00", 1440), ("00:00", 0),
                                           ("8:30", 510), ("23:59", 1439)])
def test_parse_time(text, minutes):
    assert parse_time(text) == minutes


@pytest.mark.parametrize("text", ["24:30", "12:60", "0800", "25:00", 480, "8h"])
def test_parse_time_rejects(text):
    with pytest.raises(ValueError):
        parse_time(text)


# --- holiday calendars --------------------------------------------------------------------

def test_holiday_calendar_forms():
    assert HolidayCalendar.from_value("FR") == HolidayCalendar("FR")
    assert HolidayCalendar.from_value("us-ca") == HolidayCalendar("US", "CA")
    assert (HolidayCalendar.from_value("none") == HolidayCalendar.from_value(None)
            == HolidayCalendar())
    cal = HolidayCalendar.from_value({"country": "US-NY", "extra": ["2026-12-24"],
                                      "remove": ["2026-11-11"]})
    assert cal == HolidayCalendar("US", "NY", (date(2026, 12, 24),), (date(2026, 11, 11),))
    assert HolidayCalendar.from_value({"country": "DE", "subdivision": "by"}).subdivision == "BY"


def test_holiday_dates_from_the_library():
    fr = HolidayCalendar.from_value("FR").dates(2026, 2026)
    assert date(2026, 5, 1) in fr and date(2026, 7, 14) in fr and date(2026, 5, 4) not in fr
    us = HolidayCalendar.from_value("US").dates(2026, 2026)
    # 4 July 2026 is a Saturday: the observed holiday is Friday 3 July
    assert {date(2026, 7, 3), date(2026, 7, 4)} <= us
    cal = HolidayCalendar.from_value({"country": "US", "extra": ["2026-12-24"],
                                      "remove": ["2026-11-11"]})
    assert (date(2026, 12, 24) in cal.dates(2026, 2026)
            and date(2026, 11, 11) not in cal.dates(2026, 2026))


def test_holiday_codes_are_those_the_library_lists():
    import holidays

    from charterc.calendar import holiday

    listed = holidays.list_supported_countries()
    assert set(holiday._modules()) == set(listed)
    for code in ("FR", "US", "GB", "UK", "DEU", "CH"):
        assert holiday._subdivisions(code) == tuple(s.upper() for s in listed[code])
    assert holiday._subdivisions("XX") is None


def test_a_check_imports_only_the_calendars_a_charter_names(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    charter = Path(__file__).resolve().parent.parent / "charters" / "it-service-desk.charter.yaml"
    text = charter.read_text(encoding="utf-8")
    assert "holidays: FR" in text and "holidays: GB" in text
    program = (
        "import sys\n"
        "from charterc.cli import main\n"
        "try:\n"
        f"    main(['check', '--today', '2026-11-27', {str(charter)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('holidays.countries.')))\n"
        # the package still reads as a whole when asked for a name
        "from holidays.countries import Germany\n"
        "print(Germany.__name__, len([m for m in sys.modules if m.startswith('holidays.')]))\n")
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True, cwd=tmp_path)
    lines = run.stdout.strip().splitlines()
    assert eval(lines[-2]) == ["holidays.countries.france", "holidays.countries.united_kingdom"]
    name, count = lines[-1].split()
    assert name == "Germany" and int(count) > 250


def test_holiday_problems_for_v505():
    assert HolidayCalendar.from_value("FR").problem() is None
    assert "unknown holiday calendar 'XX'" in HolidayCalendar.from_value("XX").problem()
    assert "unknown subdivision 'ZZ' of US" in HolidayCalendar.from_value("US-ZZ").problem()
    assert zone_problem("Europe/Paris") is None
    assert "unknown time zone 'Europe/Pariss'" in zone_problem("Europe/Pariss")
    with pytest.raises(ValueError, match="holidays: unknown key 'country_code'"):
        HolidayCalendar.from_value({"country_code": "FR"})


# --- schedules ----------------------------------------------------------------------------

def test_schedule_forms_and_defaults():
    assert Schedule.from_value("24x7") is TWENTY_FOUR_SEVEN and TWENTY_FOUR_SEVEN.is_24x7
    s = Schedule.from_value({"schedule": [{"days": "mon-fri", "from": "08:00", "to": "18:00"}]},
                            default_timezone="Europe/Paris", default_holidays="FR")
    assert (s.timezone, s.holidays, s.ranges) == ("Europe/Paris", HolidayCalendar("FR"),
                                                  ((frozenset(range(5)), 480, 1080),))
    assert str(s) == "mon-fri 08:00-18:00 Europe/Paris holidays FR"
    assert hash(s) == hash(hours(holidays="FR"))  # hashable, equal by value: a cache key


@pytest.mark.parametrize("value, path, message", [
    ({"schedule": [{"days": "mon-fri", "from": "08:00", "to": "18:00"}]},
     ("timezone",), "need a timezone"),
    ({"schedule": [{"days": "mo-fr", "from": "08:00", "to": "18:00"}], "timezone": "UTC"},
     ("schedule", 0, "days"), "unknown day 'mo'"),
    ({"schedule": [{"days": "sat", "from": "08:00", "to": "08:00"}], "timezone": "UTC"},
     ("schedule", 0, "to"), "empty range"),
    ({"schedule": [{"days": "sat", "from": "24:00", "to": "08:00"}], "timezone": "UTC"},
     ("schedule", 0, "from"), "cannot start at 24:00"),
    ({"schedule": [{"days": "sat", "from": "08:00", "to": "18:00"}], "timezone": "Mars/Olympus"},
     ("timezone",), "unknown time zone"),
    ({"schedule": [{"days": "sat", "from": "08:00", "to": "18:00"}], "timezone": "UTC",
      "holidays": "XX"},
     ("holidays",), "unknown holiday calendar"),
    ({"schedule": []}, ("schedule",), "non-empty schedule"),
    ("8x5", (), "24x7 or a mapping"),
])
def test_schedule_errors_carry_a_path(value, path, message):
    with pytest.raises(ScheduleError, match=message) as err:
        Schedule.from_value(value)
    assert err.value.path == path


def test_expand_weekday_hours_in_utc():
    # Mon 5 Jan 2026, Paris in winter is UTC+1: 08:00-18:00 local is 07:00-17:00 UTC
    got = expand(hours(), date(2026, 1, 5), date(2026, 1, 12))
    assert got[0] == (utc(2026, 1, 5, 7), utc(2026, 1, 5, 17))
    assert len(got) == 5 and total(got) == 50 * H
    # in summer (UTC+2) the same wall clock is 06:00-16:00 UTC
    assert expand(hours(), date(2026, 7, 6), date(2026, 7, 7)) == (
        (utc(2026, 7, 6, 6), utc(2026, 7, 6, 16)),)


def test_public_holidays_close_the_schedule():
    # Fri 1 May 2026 (FR Labour Day): Mon-Thu open, 4 x 10 h
    week = (date(2026, 4, 27), date(2026, 5, 4))
    assert total(expand(hours(holidays="FR"), *week)) == 40 * H
    assert total(expand(hours(holidays="none"), *week)) == 50 * H
    # New York, week of 4 July 2026 (a Saturday): Friday 3 July is the observed holiday
    ny = hours(start="09:00", end="17:00", tz="America/New_York", holidays="US")
    assert total(expand(ny, date(2026, 6, 29), date(2026, 7, 6))) == 4 * 8 * H


def test_past_midnight_range_belongs_to_its_start_day():
    night = hours(start="22:00", end="06:00")
    # Mon 22:00 -> Tue 06:00 ... Fri 22:00 -> Sat 06:00: five 8-hour nights
    week = expand(night, date(2026, 1, 5), date(2026, 1, 12))
    assert len(week) == 5 and total(week) == 40 * H
    assert week[-1] == (utc(2026, 1, 9, 21), utc(2026, 1, 10, 5))  # Fri 22:00 - Sat 06:00 CET
    # Tuesday alone: Monday's night until 06:00, then Tuesday's from 22:00 to midnight
    assert total(expand(night, date(2026, 1, 6), date(2026, 1, 7))) == 8 * H
    # FR holiday Fri 1 May: Thursday's night runs on to Fri 06:00; Friday's night is closed
    may = expand(hours(start="22:00", end="06:00", holidays="FR"),
                 date(2026, 4, 27), date(2026, 5, 4))
    assert may[-1] == (utc(2026, 4, 30, 20), utc(2026, 5, 1, 4)) and total(may) == 32 * H


def test_local_times_across_dst():
    # Paris springs forward Sun 29 Mar 2026 02:00 -> 03:00 (01:00 UTC)
    spring = date(2026, 3, 29), date(2026, 3, 30)
    assert total(expand(hours("sun", "01:00", "04:00"), *spring)) == 2 * H      # 01-02 and 03-04
    assert expand(hours("sun", "02:00", "02:30"), *spring) == ()                # never exists
    assert expand(hours("sun", "02:30", "05:00"), *spring) == (
        (utc(2026, 3, 29, 1), utc(2026, 3, 29, 3)),)
    # falls back Sun 25 Oct 2026 03:00 -> 02:00 (01:00 UTC): a repeated time is its first occurrence
    autumn = date(2026, 10, 25), date(2026, 10, 26)
    assert total(expand(hours("sun", "01:00", "04:00"), *autumn)) == 4 * H  # the clock shows 01-04
    assert expand(hours("sun", "00:00", "02:30"), *autumn) == (
        (utc(2026, 10, 24, 22), utc(2026, 10, 25, 0, 30)),)
    # so whole days tile exactly: a daily 00:00-24:00 schedule is 24x7
    year = date(2026, 1, 1), date(2027, 1, 1)
    assert (expand(hours("daily", "00:00", "24:00"), *year)
            == expand(TWENTY_FOUR_SEVEN, *year, "Europe/Paris"))
    assert total(expand(TWENTY_FOUR_SEVEN, *year, "Europe/Paris")) == 365 * 24 * H


# --- coverage -----------------------------------------------------------------------------

TERM = date(2026, 1, 1), date(2029, 1, 1)


def test_saturday_gap_is_described_as_the_spec_shows():
    need = hours("sat", "07:00", "20:00", "Europe/London")
    gap = gaps(need, hours(holidays="FR"), *TERM)
    # 157 Saturdays from 3 Jan 2026 to 30 Dec 2028 (52 + 52 + 53), 13 h each
    assert (gap.weeks_affected, gap.total_hours, gap.worst_week_hours) == (157, 2041, 13)
    assert str(gap.first) == "2026-01-03 07:00-20:00" and gap.first.start.tzinfo == LONDON
    assert gap.describe() == (
        "Saturdays 07:00-20:00 Europe/London are not covered: 13 h in the worst week, "
        "157 weeks, 2,041 h in the term; first 2026-01-03 07:00-20:00")


def test_new_york_need_uncovered_only_while_clocks_disagree():
    # Paris 14:00-23:00 is exactly New York 08:00-17:00 while the offset is 6 h. From 8 to 29
    # March and from 25 October to 1 November it is 5 h: New York 08:00 is Paris 13:00, so
    # 08:00-09:00 New York is uncovered on Mon 9 - Fri 27 March (15 days, ISO weeks 11-13)
    # and Mon 26 - Fri 30 October (5 days, week 44): 20 h in 4 weeks.
    ny = hours("mon-fri", "08:00", "17:00", "America/New_York")
    paris = hours("mon-fri", "14:00", "23:00", "Europe/Paris")
    gap = gaps(ny, paris, date(2026, 1, 1), date(2027, 1, 1))
    assert gap.total_hours == 20 and gap.weeks_affected == 4
    assert [w.label for w in gap.weeks] == ["2026-W11", "2026-W12", "2026-W13", "2026-W44"]
    assert [w.hours for w in gap.weeks] == [5, 5, 5, 5]
    assert gap.worst_week.label == "2026-W11" and gap.worst_week.monday == date(2026, 3, 9)
    assert (gap.first.start == local(NEW_YORK, 2026, 3, 9, 8)
            and gap.first.end == local(NEW_YORK, 2026, 3, 9, 9))
    assert [(a.monday, b.monday) for a, b in gap.week_runs()] == [
        (date(2026, 3, 9), date(2026, 3, 23)), (date(2026, 10, 26), date(2026, 10, 26))]
    assert gap.describe() == (
        "Mon-Fri 08:00-09:00 America/New_York are not covered: 5 h in the worst week, "
        "4 weeks (2026-W11 to 2026-W13, 2026-W44), 20 h in the term; first 2026-03-09 08:00-09:00")


def test_new_york_need_covered_only_while_clocks_disagree():
    # The mirror case: Paris closes at 23:00, New York needs until 18:00 (= Paris 24:00 at 6 h):
    # 17:00-18:00 New York is uncovered on every 2026 weekday except the 20 above.
    # 2026 has 261 weekdays -> 241 h; ISO weeks 2026-W01..W53 all hold weekdays -> 53 - 4 = 49.
    ny = hours("mon-fri", "08:00", "18:00", "America/New_York")
    gap = gaps(ny, hours("mon-fri", "08:00", "23:00"), date(2026, 1, 1), date(2027, 1, 1))
    assert (gap.total_hours, gap.weeks_affected, gap.worst_week_hours) == (241, 49, 5)
    assert str(gap.first) == "2026-01-01 17:00-18:00"
    assert not gap.is_occasional


def test_coverage_with_24x7_on_either_side():
    assert gaps(hours(), TWENTY_FOUR_SEVEN, *TERM) is None
    # a 24x7 need against weekday hours, seen in the zone given (the provider's)
    gap = gaps(TWENTY_FOUR_SEVEN, hours(), date(2026, 1, 5), date(2026, 1, 12), "Europe/Paris")
    assert gap.total_hours == 168 - 50 and gap.zone == "Europe/Paris"
    assert str(gap.first) == "2026-01-05 00:00-08:00"


def test_term_edges_do_not_make_false_gaps():
    # New York Thursday 31 Dec 2026 19:00-20:00 is Paris Fri 1 Jan 2027 01:00-02:00: outside the
    # term in Paris, but the offered hours are expanded a day wider, so it is covered.
    ny = hours("thu", "19:00", "20:00", "America/New_York")
    assert gaps(ny, hours("fri", "00:00", "03:00"), date(2026, 12, 31), date(2027, 1, 1)) is None


def test_maintenance_overlap_in_the_client_zone():
    # Paris Sun 02:00-04:00 is London 01:00-03:00 (both zones change together at 01:00 UTC).
    # 2026 has 52 Sundays; 29 Mar: 02:00 Paris does not exist -> 01:00-02:00 UTC, 1 h;
    # 25 Oct: first 02:00 Paris (00:00 UTC) to 04:00 (03:00 UTC), 3 h: 50 x 2 + 1 + 3 = 104 h.
    need = hours("sun", "00:00", "08:00", "Europe/London")
    found = overlap(need, hours("sun", "02:00", "04:00"), date(2026, 1, 1), date(2027, 1, 1))
    assert found.total_hours == 104 and found.weeks_affected == 52
    assert found.worst_week.label == "2026-W43" and found.worst_week_hours == 3
    assert found.average_week_hours == pytest.approx(104 / 53)
    assert str(found.first) == "2026-01-04 01:00-03:00"
    assert found.describe() == (
        "Sundays 01:00-03:00 Europe/London (and other times): up to 3 h a week (average 2 h), "
        "52 weeks, 104 h in the term; first 2026-01-04 01:00-03:00")
    assert overlap(need, hours("sat", "02:00", "04:00"), *TERM) is None


def test_hours_per_week():
    assert hours_per_week(hours()) == 50
    # reference year 2025-12-29 + 52 weeks: 9 FR holidays fall on weekdays -> 2510 h / 52
    assert hours_per_week(hours(holidays="FR")) == pytest.approx(2510 / 52)
    assert hours_per_week(TWENTY_FOUR_SEVEN) == 168
    assert average_open_hours_per_open_day(hours(holidays="FR")) == 10
    assert average_open_hours_per_open_day(TWENTY_FOUR_SEVEN) == 24


# --- business clock -----------------------------------------------------------------------

DESK = hours(holidays="FR")  # Paris, Mon-Fri 08:00-18:00, French public holidays


def test_friday_afternoon_plus_four_business_hours_is_monday_morning():
    # Fri 16:30 -> 18:00 is 1.5 h, the remaining 2.5 h run from Monday 08:00
    start = local(PARIS, 2026, 1, 16, 16, 30)
    assert add_business(DESK, start, minutes=240) == local(PARIS, 2026, 1, 19, 10, 30)
    assert business_elapsed(DESK, start, local(PARIS, 2026, 1, 19, 10, 30)) == timedelta(hours=4)


def test_business_hours_across_a_holiday_and_a_dst_change():
    # Thu 30 Apr 17:00 + 3 h: 1 h on Thursday, Fri 1 May closed, 2 h from Mon 4 May 08:00
    assert (add_business(DESK, local(PARIS, 2026, 4, 30, 17), minutes=180)
            == local(PARIS, 2026, 5, 4, 10))
    # Fri 27 Mar 17:00 CET + 2 h -> Mon 30 Mar 09:00 CEST: only 63 h of wall time, the
    # weekend lost one
    due = add_business(DESK, local(PARIS, 2026, 3, 27, 17), minutes=120)
    assert due == local(PARIS, 2026, 3, 30, 9)
    # (timestamps: a same-zone `-` is wall time)
    assert due.timestamp() - local(PARIS, 2026, 3, 27, 17).timestamp() == 63 * H
    # open time is real time: on a whole-day schedule 24 business hours are 24 real hours
    always_open = hours("daily", "00:00", "24:00")
    assert (add_business(always_open, local(PARIS, 2026, 3, 28, 12), minutes=1440)
            == local(PARIS, 2026, 3, 29, 13))


def test_clock_started_outside_hours_starts_at_next_opening():
    assert (add_business(DESK, local(PARIS, 2026, 1, 10, 11), minutes=60)
            == local(PARIS, 2026, 1, 12, 9))
    assert (add_business(DESK, local(PARIS, 2026, 1, 5, 7), minutes=60)
            == local(PARIS, 2026, 1, 5, 9))
    # result in the start's own zone
    assert add_business(DESK, local(NEW_YORK, 2026, 1, 5, 3), minutes=60).tzinfo == NEW_YORK


def test_days_are_closes_of_open_days():
    # Nd: by the close of the N-th open day after the day the clock starts
    assert add_business(DESK, local(PARIS, 2026, 1, 5, 9), days=1) == local(PARIS, 2026, 1, 6, 18)
    assert add_business(DESK, local(PARIS, 2026, 1, 5, 7), days=1) == local(PARIS, 2026, 1, 6, 18)
    # after Friday's close the clock starts on Monday: the close of Tuesday
    assert add_business(DESK, local(PARIS, 2026, 1, 9, 19), days=1) == local(PARIS, 2026, 1, 13, 18)
    # Wed + 3d: Thu, Fri, Mon
    assert add_business(DESK, local(PARIS, 2026, 1, 7, 10), days=3) == local(PARIS, 2026, 1, 12, 18)
    # Thu 30 Apr + 1d: Fri 1 May is a holiday, so Monday 4 May
    assert add_business(DESK, local(PARIS, 2026, 4, 30, 10), days=1) == local(PARIS, 2026, 5, 4, 18)
    # 1d4h: Tuesday's close, then 4 business hours from Wednesday's opening
    assert (add_business(DESK, local(PARIS, 2026, 1, 5, 9), days=1, minutes=240)
            == local(PARIS, 2026, 1, 7, 12))


def test_days_on_a_past_midnight_schedule():
    night = hours(start="22:00", end="06:00")
    # Tue 02:00 is inside Monday's night: the next open day is Tuesday, which closes Wed 06:00
    assert add_business(night, local(PARIS, 2026, 1, 6, 2), days=1) == local(PARIS, 2026, 1, 7, 6)
    assert (is_open(night, local(PARIS, 2026, 1, 6, 2))
            and not is_open(night, local(PARIS, 2026, 1, 6, 12)))


def test_calendar_arithmetic_for_24x7_and_minimum_wallclock():
    start = local(PARIS, 2026, 3, 28, 12)
    assert (add_business(TWENTY_FOUR_SEVEN, start, days=1, minutes=30)
            == start + timedelta(days=1, minutes=30))
    assert (business_elapsed(TWENTY_FOUR_SEVEN, start, start + timedelta(hours=5))
            == timedelta(hours=5))
    assert business_minimum_wallclock(minutes=240, days=1) == timedelta(hours=28)


def test_business_clock_errors():
    with pytest.raises(ValueError, match="aware datetime"):
        add_business(DESK, datetime(2026, 1, 5, 9), minutes=60)
    with pytest.raises(ValueError, match="negative"):
        add_business(DESK, local(PARIS, 2026, 1, 5, 9), minutes=-1)
    assert business_elapsed(DESK, local(PARIS, 2026, 1, 19, 10, 30),
                            local(PARIS, 2026, 1, 16, 16, 30)) == -timedelta(hours=4)


# --- properties ---------------------------------------------------------------------------

ZONES = ["Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]
times = st.integers(0, 96).map(lambda q: f"{q * 15 // 60:02d}:{q * 15 % 60:02d}")
day_sets = st.sets(st.integers(0, 6), min_size=1).map(format_days)


@st.composite
def schedules(draw):
    ranges = []
    for _ in range(draw(st.integers(1, 3))):
        a, b = draw(times), draw(times)
        if a == b or a == "24:00":
            a, b = "08:00", "18:00"
        ranges.append({"days": draw(day_sets), "from": a, "to": b})
    return Schedule.from_value({"schedule": ranges, "timezone": draw(st.sampled_from(ZONES)),
                                "holidays": draw(st.sampled_from(["none", "FR", "US"]))})


terms = st.tuples(st.dates(date(2026, 1, 1), date(2027, 12, 1)), st.integers(1, 60)).map(
    lambda t: (t[0], t[0] + timedelta(days=t[1])))

FAST = settings(max_examples=60, deadline=None)


@FAST
@given(schedules(), terms)
def test_a_schedule_covers_itself_and_24x7_covers_all(s, term):
    assert gaps(s, s, *term) is None
    assert gaps(s, TWENTY_FOUR_SEVEN, *term) is None


@FAST
@given(schedules(), schedules(), terms)
def test_uncovered_never_exceeds_needed(a, b, term):
    need = expand(a, *term)
    missing = uncovered(a, b, *term)
    assert total(missing) <= total(need)
    assert subtract(missing, need) == ()  # every uncovered instant was needed
    gap = gaps(a, b, *term)
    assert (gap is None) == (not missing)
    if gap:
        assert sum(w.seconds for w in gap.weeks) == total(missing)


@FAST
@given(schedules(), st.dates(date(2026, 1, 1), date(2027, 12, 1)), st.floats(0, 1),
       st.integers(1, 5000))
def test_add_then_elapsed_gives_back_the_duration(s, day, where, minutes):
    opened = expand(s, day, day + timedelta(days=14))
    if not opened:
        return
    a, b = opened[int(where * (len(opened) - 1))]
    start = datetime.fromtimestamp(a + int((b - a - 1) * where), UTC)  # inside open hours
    due = add_business(s, start, minutes=minutes)
    assert business_elapsed(s, start, due) == timedelta(minutes=minutes)
    assert is_open(s, start)


@FAST
@given(st.sampled_from(ZONES), terms)
def test_whole_days_tile_like_24x7(name, term):
    assert (expand(hours("daily", "00:00", "24:00", name), *term)
            == expand(TWENTY_FOUR_SEVEN, *term, name))


pairs = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=8)


@settings(max_examples=100, deadline=None)
@given(pairs, pairs, st.lists(st.integers(0, 70), min_size=2, max_size=6))
def test_interval_operations_match_sets_of_seconds(x, y, cuts):
    def points(iv):
        return {t for s, e in iv for t in range(s, e)}

    a, b = merge(x), merge(y)
    assert points(a) == points(merge(x)) == {t for s, e in x for t in range(s, e)}
    assert points(subtract(a, b)) == points(a) - points(b)
    assert points(intersect(a, b)) == points(a) & points(b)
    assert all(p[1] < q[0] for p, q in pairwise(subtract(a, b)))
    bounds = sorted(set(cuts))
    assert bucket_totals(a, bounds) == [len({t for t in points(a) if lo <= t < hi})
                                        for lo, hi in pairwise(bounds)]


@FAST
@given(schedules(),
       st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 1), timezones=st.just(UTC)),
       st.integers(1, 6))
def test_day_deadlines_are_closes_and_grow_with_n(s, start, n):
    due = add_business(s, start, days=n)
    later = add_business(s, start, days=n + 1)
    assert start <= due <= later  # equal when overlapping ranges close together
    assert is_open(s, due - timedelta(seconds=1))  # a close: open until that instant



def test_the_holiday_library_is_imported_without_importlib_metadata():
    # A one-file check imports the library; its version comes from the .dist-info name,
    # the same as importlib.metadata says, without importing it (email, zipfile, a scan).
    import subprocess
    import sys
    code = ("import sys; from charterc.calendar.holiday import _library; _library(); "
            "import holidays; print(holidays.__version__, 'importlib.metadata' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    from importlib.metadata import version
    assert out == [version("holidays"), "False"]
