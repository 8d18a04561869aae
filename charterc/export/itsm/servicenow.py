"""ServiceNow: an XML unload that System Import Sets > "Import XML" accepts (spec section 11).

One file, `servicenow.xml`: an `<unload>` root whose children are records, each an element
named after its table with `action="INSERT_OR_UPDATE"` and one child element per field,
in the order ServiceNow unloads them (alphabetical), a reference field carrying its
`display_value` attribute:

- `cmn_schedule` per tier whose hours are not 24x7 (`name`, `time_zone`);
- `cmn_schedule_span` per weekly range of those hours (`days_of_week` 1 = Monday ... 7 =
  Sunday, `repeat_type` weekly, `start_date_time`/`end_date_time` as
  `YYYYMMDDTHHMMSS` on the term's first day) and one excluded all-day span
  (`type` exclude) per holiday of the calendar over the charter's term;
- `contract_sla` per tier, objective and priority: `duration` as ServiceNow writes a
  duration (`1970-01-01 04:00:00`; days count from 1 January: `1970-01-03 00:00:00` is
  2 days), `schedule` (empty for a calendar clock), conditions as encoded queries.

sys_ids are a UUID5 of the charter id and the record's role (`stable_id`): a second
import updates the records of the first. `read` parses the same format (as the
contract_sla list's "Export > XML" writes it, with whatever other fields the instance
adds), and `write(read(x))` gives back the bytes of `x` for a file `export` wrote.
"""
from __future__ import annotations

from datetime import date, timedelta
from xml.sax.saxutils import escape, quoteattr

from ...calendar import format_days
from . import Configuration, ItsmFormatError, Options, Record, pauses, stable_id
from .plan import Goal, Plan, TierHours, WeeklySpan

__all__ = ["DEFAULT_STATUS_MAP", "FILE", "configuration", "duration", "read", "write"]

FILE = "servicenow.xml"

# The stock incident form: state 3 is On Hold, hold_reason 1 Awaiting Caller, 3 Awaiting
# Problem, 4 Awaiting Vendor, 5 Awaiting Change.
DEFAULT_STATUS_MAP = {
    "awaiting-customer": "state=3^hold_reason=1",
    "awaiting-caller": "state=3^hold_reason=1",
    "awaiting-problem": "state=3^hold_reason=3",
    "awaiting-vendor": "state=3^hold_reason=4",
    "awaiting-change": "state=3^hold_reason=5",
    "on-hold": "state=3",
}
# Response: the incident left New; resolution: Resolved or Closed; both cancelled with it.
STOP = {"response": "state!=1", "resolution": "stateIN6,7"}
CANCEL = "state=8"
_TABLES = ("cmn_schedule", "cmn_schedule_span", "contract_sla")


def duration(minutes: int) -> str:
    """ServiceNow's glide_duration text: `1970-01-01 04:00:00` is 4 hours."""
    days, rest = divmod(minutes, 1440)
    return f"{(date(1970, 1, 1) + timedelta(days=days)).isoformat()} " \
           f"{rest // 60:02d}:{rest % 60:02d}:00"


def _stamp(day: date, minutes: int) -> str:
    day += timedelta(days=minutes // 1440)
    minutes %= 1440
    return f"{day:%Y%m%d}T{minutes // 60:02d}{minutes % 60:02d}00"


def _days(span: WeeklySpan) -> str:
    return "".join(str(d + 1) for d in span.days)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _schedule_name(plan: Plan, hours: TierHours) -> str:
    return f"{plan.charter} {hours.tier} hours"


def _schedule_records(plan: Plan, hours: TierHours) -> list[Record]:
    sid = stable_id(plan.charter, f"schedule/{hours.tier}")
    name = _schedule_name(plan, hours)
    records = [Record("cmn_schedule", sid, name, "schedule", {
        "description": f"Support hours of the {hours.tier_name} tier of {plan.title}",
        "name": name, "sys_id": sid, "time_zone": hours.zone, "type": ""}, hours.pointer)]
    first = plan.term[0]
    for n, span in enumerate(hours.spans):
        span_id = stable_id(plan.charter, f"span/{hours.tier}/{n}")
        label = f"{format_days(frozenset(span.days))} {_hhmm(span.start)}-" \
                f"{_hhmm(span.end % 1440 or 1440)}"
        records.append(Record("cmn_schedule_span", span_id, label, "span", {
            "all_day": "false", "days_of_week": _days(span),
            "end_date_time": _stamp(first, span.end), "name": label,
            "repeat_count": "1", "repeat_type": "weekly", "schedule": sid,
            "schedule@display_value": name, "show_as": "busy",
            "start_date_time": _stamp(first, span.start), "sys_id": span_id, "type": ""},
            f"{hours.pointer}/schedule"))
    for day, holiday in hours.holidays:
        span_id = stable_id(plan.charter, f"holiday/{hours.tier}/{day.isoformat()}")
        label = f"{holiday} {day.isoformat()}"
        records.append(Record("cmn_schedule_span", span_id, label, "holiday", {
            "all_day": "true", "days_of_week": "", "end_date_time": _stamp(day, 1440),
            "name": label, "repeat_count": "", "repeat_type": "", "schedule": sid,
            "schedule@display_value": name, "show_as": "busy",
            "start_date_time": _stamp(day, 0), "sys_id": span_id, "type": "exclude"},
            f"{hours.pointer}/holidays"))
    return records


def _condition(plan: Plan, goal: Goal) -> str:
    query = f"priority={goal.rank + 1}"
    if goal.clients:
        query += "^company.nameIN" + ",".join(goal.clients)
    return query


def _sla(plan: Plan, goal: Goal, options: Options) -> Record:
    sid = stable_id(plan.charter, f"sla/{goal.tier}/{goal.kind}/{goal.priority}")
    name = f"{plan.charter} {goal.tier} {goal.priority} {goal.kind}"
    hours = plan.tier_hours(goal.tier)
    schedule = "" if not goal.business or hours.always else \
        stable_id(plan.charter, f"schedule/{goal.tier}")
    fields = {
        "active": "true" if goal.clients else "false",
        "cancel_condition": CANCEL, "collection": "incident",
        "duration": duration(goal.minutes), "duration_type": "", "name": name,
        "pause_condition": "^NQ".join(pauses(goal.pause_on, options, DEFAULT_STATUS_MAP,
                                             "ServiceNow")),
        "schedule": schedule, "start_condition": _condition(plan, goal),
        "stop_condition": STOP[goal.kind], "sys_id": sid, "target": goal.kind,
        "timezone": hours.zone, "timezone_source": "sla.timezone", "type": "SLA"}
    if schedule:
        fields["schedule@display_value"] = _schedule_name(plan, hours)
    return Record("contract_sla", sid, name, "sla", fields, goal.pointer)


def configuration(plan: Plan, options: Options) -> tuple[Configuration, list[str]]:
    records: list[Record] = []
    warnings: list[str] = []
    for hours in plan.hours:
        if not hours.always:
            records += _schedule_records(plan, hours)
    for goal in plan.goals:
        records.append(_sla(plan, goal, options))
        if not goal.exact:
            warnings.append(f"{goal.tier} {goal.priority} {goal.kind}: {goal.written} "
                            f"(by the close of an open day) is written as "
                            f"{duration(goal.minutes)} of the schedule's open time")
        if not goal.clients:
            warnings.append(f"{goal.tier} {goal.priority} {goal.kind}: no client is on the "
                            f"tier; the SLA is exported inactive")
    for name in sorted({c for goal in plan.goals for c in goal.clients if "," in c}):
        warnings.append(f"client {name!r}: a comma in a name splits ServiceNow's "
                        "company.nameIN list; rename the company or edit start_condition")
    if len(plan.priorities) > 5:
        warnings.append(f"the charter has {len(plan.priorities)} priorities; a stock "
                        "instance has 5 (priority=6 and above match no incident)")
    return Configuration(tuple(records), {"unload_date": f"{plan.term[0]} 00:00:00"}), warnings


def _element(name: str, value: str, display: str | None) -> str:
    attribute = "" if display is None else f" display_value={quoteattr(display)}"
    if not value:
        return f"<{name}{attribute}/>"
    return f"<{name}{attribute}>{escape(value)}</{name}>"


def write(config: Configuration) -> dict[str, bytes]:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f"<unload unload_date={quoteattr(config.head.get('unload_date', ''))}>"]
    for record in config.records:
        lines.append(f'<{record.table} action="INSERT_OR_UPDATE">')
        for key in sorted(k for k in record.fields if "@" not in k):
            lines.append(_element(key, record.fields[key],
                                  record.fields.get(f"{key}@display_value")))
        lines.append(f"</{record.table}>")
    lines.append("</unload>")
    return {FILE: ("\n".join(lines) + "\n").encode("utf-8")}


def read(data: bytes) -> Configuration:
    """The records of an unload; fields of other tables are kept as they are."""
    from xml.etree import ElementTree

    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ItsmFormatError("a ServiceNow unload has no DTD or entity declarations")
    try:
        root = ElementTree.fromstring(data)  # a DTD is refused above
    except ElementTree.ParseError as exc:
        raise ItsmFormatError(f"not XML: {exc}") from None
    if root.tag != "unload":
        raise ItsmFormatError(f"not a ServiceNow unload: the root element is <{root.tag}>, "
                              "not <unload>")
    records = []
    for element in root:
        fields: dict[str, str] = {}
        for child in element:
            fields[child.tag] = child.text or ""
            if "display_value" in child.attrib:
                fields[f"{child.tag}@display_value"] = child.attrib["display_value"]
        key = fields.get("sys_id", "")
        kind = {"contract_sla": "sla", "cmn_schedule": "schedule"}.get(element.tag, "other")
        if element.tag == "cmn_schedule_span":
            kind = "holiday" if fields.get("type") == "exclude" else "span"
        records.append(Record(element.tag, key, fields.get("name", key), kind, fields))
    return Configuration(tuple(records), {"unload_date": root.attrib.get("unload_date", "")})
