"""Jira Service Management: the SLA configuration as JSON, and an administrator's sheet.

Jira offers no public import of SLA settings, so `export --target jsm` writes two files:
`jsm.json`, the configuration in the structure of JSM's SLA settings (what `drift --jsm`
reads back), and `jsm.md`, the same as the steps an administrator follows in Project
settings > SLAs and > Calendars.

    {"metrics": [{"name", "startConditions", "pauseConditions", "stopConditions",
                  "goals": [{"jql", "duration", "calendar"}]}],
     "calendars": [{"name", "timezoneId", "workingTimes": [{"weekday", "startTime",
                    "endTime"}], "holidays": [{"name", "date", "recurring"}]}]}

- a metric per tier and objective ("Time to first response (Standard)", "Time to
  resolution (Standard)"), started when the issue is created, paused on the statuses of
  `pause_on` (`--status-map`, default "Waiting for customer" for awaiting-customer), with
  one goal per priority: JQL `Organizations = "Group Finance" AND priority = Highest`
  (`in (...)` for several clients; the charter's priorities in order are Jira's stock
  Highest, High, Medium, Low, Lowest), `duration` in milliseconds, and the tier's calendar
  (null: JSM's 24/7, for a calendar clock);
- a calendar per tier whose hours are not 24x7: `timezoneId` (IANA), working times per
  weekday (a range past midnight cut in two), holidays over the charter's term.
"""
from __future__ import annotations

import json
from typing import Any

from . import Configuration, ItsmFormatError, Options, Record, pauses
from . import field_text as _text
from .plan import Goal, Plan, TierHours

__all__ = ["DEFAULT_STATUS_MAP", "FILE", "JIRA_PRIORITIES", "configuration", "read", "sheet",
           "write"]

FILE = "jsm.json"
SHEET = "jsm.md"
JIRA_PRIORITIES = ("Highest", "High", "Medium", "Low", "Lowest")
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
DEFAULT_STATUS_MAP = {
    "awaiting-customer": "Waiting for customer", "awaiting-caller": "Waiting for customer",
    "waiting-for-customer": "Waiting for customer", "pending": "Pending",
    "on-hold": "Pending", "awaiting-vendor": "Waiting for support",
}
START = "Issue Created"
STOP = {"response": "Comment: For Customers; Resolution: Set", "resolution": "Resolution: Set"}
METRIC = {"response": "Time to first response", "resolution": "Time to resolution"}


def _calendar_name(plan: Plan, hours: TierHours) -> str:
    return f"{plan.charter} {hours.tier_name} hours"


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _working_times(hours: TierHours) -> list[tuple[int, int, int]]:
    """(weekday, start, end) in minutes, none past midnight (24:00 ends a day)."""
    out = set()
    for span in hours.spans:
        for day in span.days:
            out.add((day, span.start, min(span.end, 1440)))
            if span.end > 1440:
                out.add(((day + 1) % 7, 0, span.end - 1440))
    return sorted(out)


def _jql(goal: Goal) -> str:
    priority = JIRA_PRIORITIES[goal.rank] if goal.rank < len(JIRA_PRIORITIES) else goal.priority
    quoted = [json.dumps(name, ensure_ascii=False) for name in goal.clients]
    if not quoted:
        return f"priority = {priority}"
    orgs = f"Organizations = {quoted[0]}" if len(quoted) == 1 else \
        f"Organizations in ({', '.join(quoted)})"
    return f"{orgs} AND priority = {priority}"


def configuration(plan: Plan, options: Options) -> tuple[Configuration, list[str]]:
    warnings: list[str] = []
    records: list[Record] = []
    metrics: dict[tuple[str, str], list[Goal]] = {}
    for goal in plan.goals:
        metrics.setdefault((goal.tier, goal.kind), []).append(goal)
    for (tier, kind), goals in metrics.items():
        name = f"{METRIC[kind]} ({goals[0].tier_name})"
        paused = pauses(goals[0].pause_on, options, DEFAULT_STATUS_MAP, "JSM")
        records.append(Record("metric", name, name, "sla", {
            "name": name, "startConditions": START,
            "pauseConditions": "; ".join(f"Status: {s}" for s in paused),
            "stopConditions": STOP[kind]}, goals[0].pointer.rsplit("/", 1)[0]))
        hours = plan.tier_hours(tier)
        for n, goal in enumerate(goals):
            calendar = _calendar_name(plan, hours) if goal.business and not hours.always else ""
            records.append(Record("goal", f"{name} goals[{n}]", name, "sla", {
                "jql": _jql(goal), "duration": str(goal.minutes * 60000), "calendar": calendar,
                "@metric": name}, goal.pointer, f'metric "{name}" goals[{n}]'))
            if not goal.exact:
                warnings.append(f"{tier} {goal.priority} {kind}: {goal.written} (by the close "
                                f"of an open day) is written as {goal.minutes} minutes of the "
                                f"calendar's working time")
            if goal.rank >= len(JIRA_PRIORITIES):
                warnings.append(f"{tier} {goal.priority} {kind}: Jira has five stock "
                                f"priorities; the goal names priority {goal.priority}")
    for hours in plan.hours:
        if hours.always:
            continue
        name = _calendar_name(plan, hours)
        records.append(Record("calendar", name, name, "schedule",
                              {"name": name, "timezoneId": hours.zone}, hours.pointer))
        for n, (day, start, end) in enumerate(_working_times(hours)):
            records.append(Record("workingTime", f"{name} workingTimes[{n}]", name, "span", {
                "weekday": WEEKDAYS[day], "startTime": _hhmm(start), "endTime": _hhmm(end),
                "@calendar": name}, f"{hours.pointer}/schedule",
                f'calendar "{name}" workingTimes[{n}]'))
        for day_, holiday in hours.holidays:
            records.append(Record("holiday", f"{name}/{day_.isoformat()}", holiday, "holiday", {
                "name": holiday, "date": day_.isoformat(), "recurring": "false",
                "@calendar": name}, f"{hours.pointer}/holidays",
                f'calendar "{name}" holiday "{holiday}"'))
    return Configuration(tuple(records)), warnings


def _split(text: str) -> list[str]:
    return [part for part in text.split("; ") if part]


def write(config: Configuration) -> dict[str, bytes]:
    metrics: list[dict[str, Any]] = []
    calendars: list[dict[str, Any]] = []
    for record in config.records:
        f = record.fields
        if record.table == "metric":
            metrics.append({"name": f["name"], "startConditions": _split(f["startConditions"]),
                            "pauseConditions": _split(f["pauseConditions"]),
                            "stopConditions": _split(f["stopConditions"]), "goals": []})
        elif record.table == "goal":
            metrics[-1]["goals"].append({"jql": f["jql"], "duration": int(f["duration"]),
                                         "calendar": f["calendar"] or None})
        elif record.table == "calendar":
            calendars.append({"name": f["name"], "timezoneId": f["timezoneId"],
                              "workingTimes": [], "holidays": []})
        elif record.table == "workingTime":
            calendars[-1]["workingTimes"].append({"weekday": f["weekday"],
                                                  "startTime": f["startTime"],
                                                  "endTime": f["endTime"]})
        elif record.table == "holiday":
            calendars[-1]["holidays"].append({"name": f["name"], "date": f["date"],
                                              "recurring": f["recurring"] == "true"})
    text = json.dumps({"metrics": metrics, "calendars": calendars}, indent=2,
                      ensure_ascii=False)
    return {FILE: (text + "\n").encode("utf-8")}


def read(data: bytes) -> Configuration:
    try:
        document = json.loads(data)
        records: list[Record] = []
        for metric in document["metrics"]:
            name = str(metric["name"])
            records.append(Record("metric", name, name, "sla", {
                "name": name,
                "startConditions": "; ".join(map(str, metric.get("startConditions") or [])),
                "pauseConditions": "; ".join(map(str, metric.get("pauseConditions") or [])),
                "stopConditions": "; ".join(map(str, metric.get("stopConditions") or []))}))
            for n, goal in enumerate(metric.get("goals") or []):
                records.append(Record("goal", f"{name} goals[{n}]", name, "sla", {
                    "jql": _text(goal["jql"]), "duration": _text(goal["duration"]),
                    "calendar": _text(goal.get("calendar")), "@metric": name}, "",
                    f'metric "{name}" goals[{n}]'))
        for calendar in document.get("calendars") or []:
            name = str(calendar["name"])
            records.append(Record("calendar", name, name, "schedule",
                                  {"name": name, "timezoneId": _text(calendar["timezoneId"])}))
            for n, times in enumerate(calendar.get("workingTimes") or []):
                records.append(Record("workingTime", f"{name} workingTimes[{n}]", name, "span", {
                    "weekday": _text(times["weekday"]), "startTime": _text(times["startTime"]),
                    "endTime": _text(times["endTime"]), "@calendar": name}, "",
                    f'calendar "{name}" workingTimes[{n}]'))
            for holiday in calendar.get("holidays") or []:
                day = _text(holiday["date"])
                records.append(Record("holiday", f"{name}/{day}", _text(holiday.get("name")),
                                      "holiday", {"name": _text(holiday.get("name")), "date": day,
                                                  "recurring": _text(holiday.get("recurring")),
                                                  "@calendar": name}, "",
                                      f'calendar "{name}" holiday "{holiday.get("name")}"'))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ItsmFormatError(f"not the JSM SLA configuration JSON (docs/itsm.md): "
                              f"{type(exc).__name__}: {exc}") from None
    return Configuration(tuple(records))


def sheet(plan: Plan, config: Configuration) -> dict[str, bytes]:
    """`jsm.md`: the configuration as the steps of JSM's settings pages."""
    out = [f"# {plan.title} {plan.version}: SLA settings for Jira Service Management", "",
           "Jira has no import of SLA settings: set them by hand in the project's settings,",
           "then keep `jsm.json` as the record of what was set and run `charterc drift",
           "--jsm` on the configuration you export from the project.", ""]
    for record in config.records:
        f = record.fields
        if record.table == "calendar":
            out += ["", f"## Calendar \"{f['name']}\" (Project settings > SLAs > Calendars)",
                    "", f"- Time zone: {f['timezoneId']}", "- Working days and hours:"]
        elif record.table == "workingTime":
            out.append(f"  - {f['weekday'].title()} {f['startTime']}-{f['endTime']}")
        elif record.table == "holiday":
            out.append(f"- Holiday {f['date']}: {f['name']} (not repeating)")
        elif record.table == "metric":
            out += ["", f"## SLA \"{f['name']}\" (Project settings > SLAs > Create SLA)", "",
                    f"- Start counting time when: {f['startConditions']}",
                    f"- Pause on: {f['pauseConditions'] or 'nothing'}",
                    f"- Stop counting time when: {f['stopConditions']}", "- Goals, in order:"]
        elif record.table == "goal":
            minutes = int(f["duration"]) // 60000
            calendar = f["calendar"] or "24/7 Calendar (default)"
            out.append(f"  - `{f['jql']}`: {minutes // 60}h {minutes % 60}m, "
                       f"calendar {calendar}")
    out.append("")
    return {SHEET: "\n".join(out).encode("utf-8")}
