"""Zendesk Support: the API bodies of schedules, holidays and SLA policies (spec section 11).

One file, `zendesk.json`, in the shape of the API's own GET responses merged into one
object, which is also what `charterc drift --zendesk` reads:

    {"schedules": [{"name", "time_zone", "intervals": [{"start_time", "end_time"}],
                    "holidays": [{"name", "start_date", "end_date"}]}],
     "sla_policies": [{"title", "description", "position", "filter": {"all", "any"},
                       "policy_metrics": [{"priority", "metric", "target",
                                           "business_hours"}]}]}

- a schedule per tier whose hours are not 24x7: `time_zone` in Zendesk's own names
  (`zones.py`: "Paris", "Eastern Time (US & Canada)"), `intervals` in minutes from Sunday
  00:00, none spanning midnight (a range past midnight is cut in two), and the holidays of
  the calendar over the charter's term, one a day;
- an SLA policy per tier: `filter.any` on the tier's organizations (`--organization
  CLIENT=ID` gives their ids; else the client's name is written for the administrator to
  replace), `policy_metrics` per priority (the charter's first four: urgent, high, normal,
  low), `target` in minutes, `business_hours` for a business clock.

Zendesk's metrics are fixed; an objective with no exact metric is exported with the
nearest and a warning saying what differs: `response` is `first_reply_time` (which never
pauses); `resolution` is `requester_wait_time` (paused while pending) or, when the
charter also pauses on hold, `agent_work_time` (paused while pending or on hold).
"""
from __future__ import annotations

import json
from typing import Any

from . import Configuration, ItsmFormatError, OptionError, Options, Record, pauses
from . import field_text as _text
from .plan import Goal, Plan, TierHours
from .zones import equivalent, zendesk_zone

__all__ = ["DEFAULT_STATUS_MAP", "FILE", "PRIORITIES", "configuration", "intervals", "read",
           "write"]

FILE = "zendesk.json"
PRIORITIES = ("urgent", "high", "normal", "low")
DEFAULT_STATUS_MAP = {
    "awaiting-customer": "pending", "awaiting-caller": "pending", "pending": "pending",
    "on-hold": "hold", "hold": "hold", "awaiting-vendor": "hold", "awaiting-problem": "hold",
    "awaiting-change": "hold", "awaiting-third-party": "hold",
}


def intervals(hours: TierHours) -> list[tuple[int, int]]:
    """The weekly spans as Zendesk intervals: minutes from Sunday 00:00, cut at midnight."""
    out: list[tuple[int, int]] = []
    for span in hours.spans:
        for day in span.days:
            base = ((day + 1) % 7) * 1440   # weekday 0 (Monday) starts at minute 1440
            if span.end <= 1440:
                out.append((base + span.start, base + span.end))
            else:
                out.append((base + span.start, base + 1440))
                following = (base + 1440) % 10080
                out.append((following, following + span.end - 1440))
    return sorted(set(out))


def _zone(hours: TierHours, plan: Plan, warnings: list[str]) -> str:
    name = zendesk_zone(hours.zone)
    if name is not None:
        return name
    name = equivalent(hours.zone, plan.term[0].year, plan.term[1].year)
    if name is None:
        raise OptionError(f"{hours.tier}: the time zone {hours.zone} has no Zendesk name "
                          "and no Zendesk zone keeps its offsets over the term")
    warnings.append(f"{hours.tier}: {hours.zone} has no Zendesk name; written as {name!r}, "
                    "a zone with the same UTC offsets over the term")
    return name


def _schedule_name(plan: Plan, hours: TierHours) -> str:
    return f"{plan.charter} {hours.tier_name}"


def _metric(goal: Goal, options: Options, warnings: list[str]) -> str:
    statuses = set(pauses(goal.pause_on, options, DEFAULT_STATUS_MAP, "Zendesk"))
    where = f"{goal.tier} {goal.priority} {goal.kind}"
    if goal.kind == "response":
        if statuses:
            warnings.append(f"{where}: first_reply_time never pauses; the charter pauses on "
                            f"{', '.join(goal.pause_on)}")
        return "first_reply_time"
    if statuses == {"pending", "hold"}:
        return "agent_work_time"
    if statuses == {"hold"}:
        warnings.append(f"{where}: agent_work_time (nearest) also pauses while pending; the "
                        f"charter pauses on {', '.join(goal.pause_on)} only")
        return "agent_work_time"
    if not statuses:
        warnings.append(f"{where}: requester_wait_time (nearest) pauses while pending; the "
                        "charter's resolution clock does not pause")
    elif statuses != {"pending"}:
        warnings.append(f"{where}: requester_wait_time (nearest) pauses while pending only")
    return "requester_wait_time"


def _organizations(goal: Goal, options: Options) -> list[str]:
    """The tier's organizations: the ids `--organization` gives (by client id or name),
    else the clients' names."""
    return [options.organizations.get(ident, options.organizations.get(name, name))
            for ident, name in zip(goal.client_ids, goal.clients, strict=True)]


def configuration(plan: Plan, options: Options) -> tuple[Configuration, list[str]]:
    warnings: list[str] = []
    records: list[Record] = []
    for hours in plan.hours:
        if hours.always:
            continue
        name = _schedule_name(plan, hours)
        records.append(Record("schedule", name, name, "schedule",
                              {"name": name, "time_zone": _zone(hours, plan, warnings)},
                              hours.pointer))
        for n, (start, end) in enumerate(intervals(hours)):
            records.append(Record("interval", f"{name} intervals[{n}]", name, "span",
                                  {"start_time": str(start), "end_time": str(end),
                                   "@schedule": name}, f"{hours.pointer}/schedule",
                                  f'schedule "{name}" intervals[{n}]'))
        for day, holiday in hours.holidays:
            records.append(Record("holiday", f"{name}/{day.isoformat()}", holiday, "holiday",
                                  {"name": holiday, "start_date": day.isoformat(),
                                   "end_date": day.isoformat(), "@schedule": name},
                                  f"{hours.pointer}/holidays",
                                  f'schedule "{name}" holiday "{holiday}"'))
    by_tier: dict[str, list[Goal]] = {}
    for goal in plan.goals:
        by_tier.setdefault(goal.tier, []).append(goal)
    for position, (tier, goals) in enumerate(by_tier.items(), start=1):
        title = f"{plan.charter} {goals[0].tier_name}"
        orgs = _organizations(goals[0], options)
        records.append(Record("sla_policy", title, title, "sla", {
            "title": title, "description": f"{plan.title}: {tier} tier",
            "@position": str(position), "organizations": "; ".join(orgs)},
            goals[0].pointer.rsplit("/", 2)[0]))
        if not orgs:
            warnings.append(f"{tier}: no client is on the tier; its policy has no "
                            "organization filter")
        for goal in goals:
            if goal.rank >= len(PRIORITIES):
                warnings.append(f"{tier} {goal.priority} {goal.kind}: Zendesk has four "
                                "priorities; left out")
                continue
            metric = _metric(goal, options, warnings)
            if not goal.exact:
                warnings.append(f"{tier} {goal.priority} {goal.kind}: {goal.written} (by the "
                                f"close of an open day) is written as {goal.minutes} "
                                f"business minutes")
            priority = PRIORITIES[goal.rank]
            records.append(Record(
                "policy_metric", f"{title}/{priority}/{metric}", title, "sla",
                {"priority": priority, "metric": metric, "target": str(goal.minutes),
                 "business_hours": "true" if goal.business else "false", "@policy": title},
                goal.pointer, f'sla_policy "{title}" policy_metrics[{priority} {metric}]'))
    return Configuration(tuple(records)), warnings


def _value(text: str) -> int | str:
    return int(text) if text.isdigit() else text


def write(config: Configuration) -> dict[str, bytes]:
    schedules: list[dict[str, Any]] = []
    policies: list[dict[str, Any]] = []
    for record in config.records:
        f = record.fields
        if record.table == "schedule":
            schedules.append({"name": f["name"], "time_zone": f["time_zone"],
                              "intervals": [], "holidays": []})
        elif record.table == "interval":
            schedules[-1]["intervals"].append({"start_time": int(f["start_time"]),
                                               "end_time": int(f["end_time"])})
        elif record.table == "holiday":
            schedules[-1]["holidays"].append({"name": f["name"], "start_date": f["start_date"],
                                              "end_date": f["end_date"]})
        elif record.table == "sla_policy":
            orgs = [o for o in f["organizations"].split("; ") if o]
            policies.append({"title": f["title"], "description": f["description"],
                             "position": int(f["@position"] or 0),
                             "filter": {"all": [], "any": [
                                 {"field": "organization_id", "operator": "is",
                                  "value": _value(o)} for o in orgs]},
                             "policy_metrics": []})
        elif record.table == "policy_metric":
            policies[-1]["policy_metrics"].append({
                "priority": f["priority"], "metric": f["metric"], "target": int(f["target"]),
                "business_hours": f["business_hours"] == "true"})
    text = json.dumps({"schedules": schedules, "sla_policies": policies}, indent=2,
                      ensure_ascii=False)
    return {FILE: (text + "\n").encode("utf-8")}


def read(data: bytes) -> Configuration:
    """`{"schedules": [...], "sla_policies": [...]}`: the GET responses of
    /api/v2/business_hours/schedules (each schedule with its /holidays) and
    /api/v2/slas/policies, merged; ids, timestamps and other keys are not compared."""
    try:
        document = json.loads(data)
        records: list[Record] = []
        for schedule in document.get("schedules", []):
            name = str(schedule["name"])
            records.append(Record("schedule", name, name, "schedule",
                                  {"name": name, "time_zone": _text(schedule.get("time_zone"))}))
            for n, interval in enumerate(schedule.get("intervals") or []):
                records.append(Record("interval", f"{name} intervals[{n}]", name, "span",
                                      {"start_time": _text(interval["start_time"]),
                                       "end_time": _text(interval["end_time"]),
                                       "@schedule": name}, "",
                                      f'schedule "{name}" intervals[{n}]'))
            for holiday in schedule.get("holidays") or []:
                start = _text(holiday["start_date"])
                records.append(Record("holiday", f"{name}/{start}", _text(holiday.get("name")),
                                      "holiday", {"name": _text(holiday.get("name")),
                                                  "start_date": start,
                                                  "end_date": _text(holiday.get("end_date")),
                                                  "@schedule": name}, "",
                                      f'schedule "{name}" holiday "{holiday.get("name")}"'))
        for policy in document.get("sla_policies", []):
            title = str(policy["title"])
            conditions = (policy.get("filter") or {}).get("any") or []
            orgs = [_text(c.get("value")) for c in conditions
                    if c.get("field") == "organization_id"]
            records.append(Record("sla_policy", title, title, "sla", {
                "title": title, "description": _text(policy.get("description")),
                "@position": _text(policy.get("position")), "organizations": "; ".join(orgs)}))
            for metric in policy.get("policy_metrics") or []:
                priority, kind = _text(metric["priority"]), _text(metric["metric"])
                records.append(Record(
                    "policy_metric", f"{title}/{priority}/{kind}", title, "sla",
                    {"priority": priority, "metric": kind, "target": _text(metric["target"]),
                     "business_hours": _text(metric.get("business_hours")), "@policy": title},
                    "", f'sla_policy "{title}" policy_metrics[{priority} {kind}]'))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ItsmFormatError(f"not the Zendesk schedules and SLA policies JSON "
                              f"(docs/itsm.md): {type(exc).__name__}: {exc}") from None
    return Configuration(tuple(records))
