"""Calendars: support hours as UTC intervals, coverage, and the business clock.

The pipeline inside: parse (`syntax`) -> type (`Schedule`, `HolidayCalendar`)
-> expand to UTC second intervals (`expand`, cached per schedule and term) ->
compare (`gaps`, `overlap`) or count (`add_business`, `business_elapsed`).
Semantics and every decision: docs/calendar.md.
"""
from __future__ import annotations

from .clock import (
    add_business,
    add_open_seconds,
    average_open_hours_per_open_day,
    business_elapsed,
    business_minimum_wallclock,
    is_open,
    open_seconds,
)
from .coverage import (
    REFERENCE_START,
    CoverageGap,
    LocalSpan,
    Overlap,
    TimeFinding,
    WeekHours,
    fmt_hours,
    gaps,
    hours_per_week,
    overlap,
    uncovered,
)
from .holiday import NO_HOLIDAYS, HolidayCalendar
from .intervals import Intervals, bucket_totals, clip, intersect, merge, subtract, total, union
from .schedule import TWENTY_FOUR_SEVEN, Range, Schedule, ScheduleError, expand
from .syntax import DAY_NAMES, format_days, format_time, parse_days, parse_time
from .zones import local_midnight, zone, zone_problem

__all__ = [
    "DAY_NAMES",
    "NO_HOLIDAYS",
    "REFERENCE_START",
    "TWENTY_FOUR_SEVEN",
    "CoverageGap",
    "HolidayCalendar",
    "Intervals",
    "LocalSpan",
    "Overlap",
    "Range",
    "Schedule",
    "ScheduleError",
    "TimeFinding",
    "WeekHours",
    "add_business",
    "add_open_seconds",
    "average_open_hours_per_open_day",
    "bucket_totals",
    "business_elapsed",
    "business_minimum_wallclock",
    "clip",
    "expand",
    "fmt_hours",
    "format_days",
    "format_time",
    "gaps",
    "hours_per_week",
    "intersect",
    "is_open",
    "local_midnight",
    "merge",
    "open_seconds",
    "overlap",
    "parse_days",
    "parse_time",
    "subtract",
    "total",
    "uncovered",
    "union",
    "zone",
    "zone_problem",
]
