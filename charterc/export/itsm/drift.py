"""`charterc drift`: the ITSM's configuration compared with the charter's (spec section 11).

The charter's side is what `export` would write (`configuration(plan(charter))`), the
ITSM's side what the tool exported (`read(file)`); both are `Record`s. Records are matched
by key (a sys_id, a name the tool keeps), then, for those left, by table and name (records
made by hand in the tool have their own ids). Each difference is one finding of the I
family, placed at the charter value it concerns and naming the record and the field:

- I101 the file is not in the tool's format;
- I102 / I103 an SLA the charter has and the ITSM lacks, or the reverse;
- I104 a target (duration, metric, business hours);
- I105 a priority or client condition;
- I106 a pause condition;
- I107 a schedule: a weekly span, the zone, the schedule an SLA counts in;
- I108 a holiday missing or extra;
- I109 any other setting the export writes (stop and cancel conditions, active, type).

Fields the tool adds (sys_created_on, ids, positions) are not compared: only those the
export writes.
"""
from __future__ import annotations

from collections.abc import Iterator

from ...diagnostics import Diagnostic, Severity
from ...diagnostics.rules import declare
from . import Configuration, Record

__all__ = ["Finding", "compare"]

declare("I101", Severity.ERROR, """
    The ITSM configuration file cannot be read

    `charterc drift` reads what the tool exports: a ServiceNow XML unload (`<unload>`), the
    Jira Service Management SLA configuration JSON, the Zendesk GET responses merged into
    one JSON object. A file that is not valid XML or JSON, or not in that shape, is one
    I101 finding and nothing else is compared (docs/itsm.md).
""")
declare("I102", Severity.ERROR, """
    An SLA of the charter is missing from the ITSM

    A tier, objective and priority the charter promises has no SLA record in the tool (a
    ServiceNow contract_sla, a JSM goal, a Zendesk policy metric): tickets of that priority
    run with no clock, or another SLA's. Import the export again (docs/itsm.md).
""")
declare("I103", Severity.ERROR, """
    The ITSM has an SLA the charter does not

    A record in the tool's SLA configuration that no objective of the charter asks for: a
    promise the agreement does not make, or one left over from an earlier version.
""")
declare("I104", Severity.ERROR, """
    An SLA's target in the ITSM differs from the charter's

    The duration (ServiceNow `duration`, JSM goal `duration` in milliseconds, Zendesk
    `target` in minutes), the metric or the business-hours flag differs from what the
    charter's objective compiles to.
""")
declare("I105", Severity.ERROR, """
    An SLA's priority or client condition in the ITSM differs from the charter's

    The tickets an SLA applies to (ServiceNow `start_condition`, a JSM goal's JQL, a Zendesk
    policy's organizations) are not the priority and the clients of the tier.
""")
declare("I106", Severity.ERROR, """
    An SLA's pause condition in the ITSM differs from the charter's `pause_on`

    The statuses that stop the clock (ServiceNow `pause_condition`, JSM pause conditions)
    are not those the charter's objective names, mapped by `--status-map`.
""")
declare("I107", Severity.ERROR, """
    A schedule in the ITSM differs from the tier's hours

    A weekly span added, removed or changed, the schedule's time zone, or the schedule an
    SLA counts in: the clock runs at other hours than the charter's.
""")
declare("I108", Severity.ERROR, """
    A holiday is missing from the ITSM, or the ITSM closes a day the charter does not

    The holidays of the tier's calendar over the charter's term, as the checks expand them,
    against the schedule's excluded days in the tool.
""")
declare("I109", Severity.ERROR, """
    Another setting of an ITSM record differs from what the charter compiles to

    A field the export writes and the tool holds otherwise: a stop or cancel condition, a
    record's active flag, its type, its description.
""")

_TARGET = {"duration", "duration_type", "target", "metric", "business_hours", "goal"}
_CONDITION = {"start_condition", "jql", "organizations", "priority"}
_PAUSE = {"pause_condition", "pauseConditions"}
_SCHEDULE = {"schedule", "calendar", "timezone", "timezone_source", "time_zone", "timezoneId"}


class Finding:
    """A difference: the rule, the charter pointer it concerns, the message."""

    __slots__ = ("message", "pointer", "rule")

    def __init__(self, rule: str, pointer: str, message: str) -> None:
        self.rule, self.pointer, self.message = rule, pointer, message

    def diagnostic(self, file: str, line: int, column: int) -> Diagnostic:
        return Diagnostic(self.rule, Severity.ERROR, self.message, file, line, column,
                          self.pointer, hint=_HINTS[self.rule])


_HINTS = {
    "I101": "export the configuration again as docs/itsm.md shows",
    "I102": "import what `charterc export` writes, or change the charter",
    "I103": "remove the record from the tool, or add the objective to the charter",
    "I104": "set the target the charter states (or change the charter and export again)",
    "I105": "the SLA must apply to the tier's clients and this priority only",
    "I106": "the pause condition comes from the objective's pause_on and --status-map",
    "I107": "the schedule comes from the tier's hours",
    "I108": "holidays come from the tier's holiday calendar over the charter's term",
    "I109": "import what `charterc export` writes",
}


def _rule(record: Record, name: str) -> str:
    if record.kind == "holiday":
        return "I108"
    if record.kind in ("span", "schedule"):
        return "I107"
    if name in _TARGET:
        return "I104"
    if name in _CONDITION:
        return "I105"
    if name in _PAUSE:
        return "I106"
    if name in _SCHEDULE:
        return "I107"
    return "I109"


def _missing_rule(record: Record) -> tuple[str, str]:
    """(rule for a record of the charter the ITSM lacks, rule for the reverse)."""
    if record.kind == "holiday":
        return "I108", "I108"
    if record.kind in ("span", "schedule"):
        return "I107", "I107"
    return "I102", "I103"


def _show(value: str) -> str:
    return f'"{value}"' if value else "nothing"


def _match(expected: tuple[Record, ...], actual: tuple[Record, ...]
           ) -> tuple[list[tuple[Record, Record]], list[Record], list[Record]]:
    """(pairs, charter records the ITSM lacks, ITSM records the charter lacks)."""
    by_key = {(r.table, r.key): r for r in actual if r.key}
    pairs: list[tuple[Record, Record]] = []
    used: set[int] = set()
    left: list[Record] = []
    for record in expected:
        hit = by_key.get((record.table, record.key))
        if hit is not None and id(hit) not in used:
            pairs.append((record, hit))
            used.add(id(hit))
        else:
            left.append(record)
    missing: list[Record] = []
    for record in left:  # by name: records the tool made with its own ids (not holidays
        # and spans: their names repeat, every year's Labor Day, every day's span)
        hit = None if record.kind in ("holiday", "span") else next(
            (r for r in actual if id(r) not in used and r.table == record.table
             and r.name == record.name), None)
        if hit is None:
            missing.append(record)
        else:
            pairs.append((record, hit))
            used.add(id(hit))
    extra = [r for r in actual if id(r) not in used]
    return pairs, missing, extra


def _holiday_field(record: Record) -> str:
    return next((k for k in ("start_date_time", "start_date", "date") if k in record.fields),
                "date")


def compare(expected: Configuration, actual: Configuration,
            default_pointer: str = "/tiers") -> Iterator[Finding]:
    """Every difference between the charter's records and the ITSM's, in the charter's
    record order, then the ITSM's extra records in file order."""
    pairs, missing, extra = _match(expected.records, actual.records)
    missing_ids = {id(r) for r in missing}
    for record in expected.records:
        if id(record) in missing_ids:
            rule = _missing_rule(record)[0]
            if record.kind == "holiday":
                field = _holiday_field(record)
                yield Finding(rule, record.pointer,
                              f"{record.title} field {field}: the holiday "
                              f"{record.fields.get(field, '')} of the charter's calendar is "
                              f"missing from the ITSM")
            else:
                yield Finding(rule, record.pointer,
                              f"{record.title} (key {record.key}): in the charter, missing "
                              f"from the ITSM")
    for mine, theirs in pairs:
        for name in sorted(mine.fields):
            if "@" in name:
                continue
            want, have = mine.fields[name], theirs.fields.get(name, "")
            if want != have:
                yield Finding(_rule(mine, name), mine.pointer,
                              f"{mine.title} field {name}: the ITSM has {_show(have)}, "
                              f"the charter {_show(want)}")
    for record in extra:
        if record.kind == "other":
            continue
        rule = _missing_rule(record)[1]
        if record.kind == "holiday":
            field = _holiday_field(record)
            yield Finding(rule, default_pointer,
                          f"{record.title} field {field}: the ITSM closes "
                          f"{record.fields.get(field, '')}, which is no holiday of the "
                          f"charter's calendar")
        else:
            yield Finding(rule, default_pointer,
                          f"{record.title} (key {record.key}): in the ITSM, not in the charter")
