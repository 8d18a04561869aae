"""The ITSM's own SLA verdicts, compared ticket by ticket with charterc's (spec section 9.2).

    --itsm-sla FILE -> `read_itsm_sla` (one record per ticket and objective: breached or
    not, the ITSM's due time) -> `ItsmAgreement.add_batch`, called by the columnar engine
    for every batch of tickets (charterc's verdict on the same ticket and objective) ->
    per client `compared`, `agree` and the disagreements, with the likely reason.

Two shapes of file: the generic CSV (`id`, `objective` response|resolution, `breached`
true|false, optional `due`) and, with `--profile servicenow`, the `task_sla` list export
(`task`, `sla`: the definition's name, whose word response or resolution is the
objective, `has_breached`, `planned_end_time`, `stage`). A record whose stage is
cancelled is left out. Only the tickets of the period that charterc judged (met or
breached; not pending) are compared. Semantics: docs/report.md, "The ITSM's verdicts".
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..diagnostics import Diagnostic, Severity
from ..diagnostics.rules import declare
from .inputs import (
    BadRow,
    Skipped,
    UnreadableFile,
    _bad,
    _instant,
    _Record,
    _required,
    _stream,
    _Table,
    _width,
    diagnostic,
)
from .types import OBJECTIVE_KEYS, ItsmAgreementEntry, ItsmDisagreement

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pyarrow as pa

    from ..calendar import Schedule
    from ..calendar.index import Ints
    from ..model.charter import Charter
    from .columnar import ColumnarMeasure, TicketBatch
    from .profiles import Instants, Profile

__all__ = ["GENERIC_COLUMNS", "SERVICENOW_COLUMNS", "ItsmAgreement", "ItsmRecord",
           "read_itsm_sla"]

declare("U109", Severity.WARNING, """
    An ITSM SLA record that cannot be compared: skipped.

    A row of `--itsm-sla FILE` names a ticket that is not among the tickets measured
    (not in the tickets file, or its row was skipped), an SLA whose name says neither
    `response` nor `resolution` (ServiceNow's `sla` column: the definition's name), or
    a ticket and objective that an earlier row already gave (the first is compared).
    Rows that cannot be read (an empty value, a `breached` that is not true/false, an
    unreadable due time) are U101; a file that cannot be read is U106.

    Example:
        task,sla,stage,has_breached,planned_end_time
        INC0010001,P1 first touch (1 hour),Completed,false,2026-10-05 10:00:00
        # -> U109: the SLA's name says neither response nor resolution
""")

# canonical name -> required
_SPEC = {"id": True, "objective": True, "breached": True, "due": False, "stage": False}
GENERIC_COLUMNS = {name: name for name in _SPEC}
SERVICENOW_COLUMNS = {"id": "task", "objective": "sla", "breached": "has_breached",
                      "due": "planned_end_time", "stage": "stage"}
_BOOLEANS = {"true": True, "false": False, "yes": True, "no": False, "1": True, "0": False}
_CANCELLED = frozenset({"cancelled", "canceled"})
_WORDS = tuple(re.compile(rf"\b{word}\b", re.IGNORECASE) for word in OBJECTIVE_KEYS)


class ItsmRecord(NamedTuple):
    """One SLA record the ITSM computed: ticket `id`, objective index (0 response,
    1 resolution), whether it breached, its due time (UTC seconds, None if not given)."""

    line: int
    id: str
    objective: int
    breached: bool
    due: int | None


def _u109(display: str, line: int, column: int, message: str, hint: str) -> Diagnostic:
    return Diagnostic("U109", Severity.WARNING, message, display, line, column, "", hint)


def _open(path: Path, display: str, servicenow: bool) -> tuple[bool, _Table, Iterator[_Record]]:
    """(whether the file is a task_sla export, its table, its records)."""
    try:
        return servicenow, *_stream(path, display, _SPEC,
                                    SERVICENOW_COLUMNS if servicenow else GENERIC_COLUMNS, None)
    except UnreadableFile as exc:
        if servicenow:
            raise
        try:   # a task_sla export without --profile: its own header says so
            return True, *_stream(path, display, _SPEC, SERVICENOW_COLUMNS, None)
        except UnreadableFile:
            raise exc from None


def read_itsm_sla(path: Path, display: str, *, profile: Profile | None,
                  instants: Instants) -> Iterator[ItsmRecord | Skipped]:
    """Every SLA record of the file, or a `Skipped` row (U101, U109); a cancelled stage
    yields nothing. `UnreadableFile` (U106) when the header is unusable. The `task_sla`
    columns are read with `--profile servicenow`, and without it when the header has them
    and not the generic ones."""
    servicenow, table, rows = _open(path, display,
                                    profile is not None and profile.name == "servicenow")
    i_due, i_stage = table.index.get("due"), table.index.get("stage")
    c_objective = table.index["objective"] + 1
    seen: dict[tuple[str, int], int] = {}

    def record(line: int, fields: list[str]) -> ItsmRecord | None:
        _width(fields, table)
        if i_stage is not None and fields[i_stage].strip().lower() in _CANCELLED:
            return None
        ident, _ = _required(fields, table, "id")
        written, _ = _required(fields, table, "objective")
        if servicenow:
            found = [k for k, word in enumerate(_WORDS) if word.search(written)]
        else:
            found = [k for k, word in enumerate(OBJECTIVE_KEYS) if written.lower() == word]
        if len(found) != 1 and servicenow:
            what = "both response and resolution" if found else "neither response nor resolution"
            raise BadRow("U109", c_objective, f"the SLA {written!r} of ticket {ident} says {what}",
                         "name each SLA definition with the word response or resolution")
        if len(found) != 1:
            raise BadRow("U109", c_objective, f"objective {written!r} of ticket {ident} is "
                         "neither response nor resolution", "write response or resolution")
        value, c_breached = _required(fields, table, "breached")
        if value.lower() not in _BOOLEANS:
            raise BadRow("U101", c_breached, f"breached: {value!r} is not true or false")
        due = None
        if i_due is not None and (text := fields[i_due].strip()):
            due = _instant(text, "due", i_due + 1, instants)
        key = (ident, found[0])
        if key in seen:
            raise BadRow("U109", table.index["id"] + 1,
                         f"a second {OBJECTIVE_KEYS[found[0]]} SLA record for ticket {ident} "
                         f"(first on line {seen[key]})", "the first record is compared")
        seen[key] = line
        return ItsmRecord(line, ident, found[0], _BOOLEANS[value.lower()], due)

    for line, fields, error in rows:
        if fields is None:
            yield Skipped(diagnostic("U101", display, line, 1,
                                     f"the row cannot be read as CSV: {error}"))
            continue
        try:
            read = record(line, fields)
        except BadRow as exc:
            if exc.rule == "U109":
                yield Skipped(_u109(display, line, exc.column, exc.message, exc.hint))
            else:
                yield Skipped(_bad(table, line, exc))
            continue
        if read is not None:
            yield read


# -- comparing ------------------------------------------------------------------------------

# A disagreement as measured: (opened, id, objective, charterc breached, itsm breached,
# charterc due, itsm due, reason)
_Found = tuple[int, str, int, bool, bool, int, int | None, str | None]


@dataclass
class _Tally:
    compared: int = 0
    agree: int = 0
    disagreements: list[_Found] = field(default_factory=list)


class ItsmAgreement:
    """The ITSM's records by ticket and objective, and per client what the comparison
    found. Filled batch by batch (`add_batch`); `unknown` lists the records of tickets
    the tickets file never measured."""

    def __init__(self, charter: Charter, records: list[ItsmRecord], display: str) -> None:
        import pyarrow as pa

        self.charter, self.display = charter, display
        self.records = {(r.id, r.objective): r for r in records}
        self.ids: pa.Array = pa.array(sorted({r.id for r in records}), pa.string())
        self.seen: set[str] = set()
        self.clients = {c.id: _Tally() for c in charter.clients}

    def add_batch(self, measure: ColumnarMeasure, b: TicketBatch,
                  inside: npt.NDArray[np.bool_],
                  hkeys: Ints | None) -> None:
        """Compare the batch's tickets of the period that the ITSM has records of."""
        import numpy as np
        import pyarrow.compute as pc

        if not len(self.ids):
            return
        hit = np.asarray(pc.is_in(b.ident, value_set=self.ids).to_numpy(zero_copy_only=False),
                         dtype=bool)
        rows = np.flatnonzero(hit)
        if not len(rows):
            return
        self.seen.update(b.id_of(int(r)) for r in rows)
        rows = rows[inside[rows]]
        for c, cid in enumerate(measure.clients):
            for pi, p in enumerate(measure.priorities):
                sub = rows[(b.client[rows] == c) & (b.priority[rows] == pi)]
                if len(sub):
                    self._compare(measure, b, c, cid, p, sub, hkeys)

    def _compare(self, measure: ColumnarMeasure, b: TicketBatch, c: int, cid: str, p: str,
                 sub: Ints, hkeys: Ints | None) -> None:
        import numpy as np

        end = np.full(len(sub), measure.period.end, dtype=np.int64)
        tally = self.clients[cid]
        for k in (0, 1):
            wanted = [(i, record) for i, r in enumerate(sub.tolist())
                      if (record := self.records.get((b.id_of(r), k))) is not None]
            if not wanted:
                continue
            verdicts = measure.verdicts(b, c, k, p, sub, end, hkeys)
            if verdicts is None:   # no target for this priority: nothing to compare
                continue
            due, status, _event, paused = verdicts
            for i, record in wanted:
                if int(status[i]) == 2:   # pending at the end: no verdict yet
                    continue
                tally.compared += 1
                breached = int(status[i]) == 1
                if breached == record.breached:
                    tally.agree += 1
                    continue
                r = int(sub[i])
                opened = int(b.opened[r])
                reason = self._reason(measure, c, k, p, opened, int(due[i]), record.due,
                                      int(paused[i]))
                tally.disagreements.append((opened, record.id, k, breached, record.breached,
                                            int(due[i]), record.due, reason))

    def _reason(self, measure: ColumnarMeasure, c: int, k: int, p: str, opened: int,
                due: int, itsm: int | None, paused: int) -> str | None:
        """The likely reason the ITSM's due time differs from charterc's (docs/report.md),
        the first that fits: `event` (the same due time: the ITSM stopped its clock at
        another time), `pause` (the ITSM's due is charterc's without the pauses, or later
        on an objective that pauses), `timezone` (off by the zone's UTC offset), `holiday`
        (a holiday of the tier's calendar between the two), `weekend` (the ITSM's due on a
        day the tier's hours never open), else `target`."""
        import numpy as np

        if itsm is None:
            return None
        if itsm == due:
            return "event"
        clock = measure.vclocks[c]
        if paused:
            plain = clock.due(k, p, np.asarray([opened], dtype=np.int64))
            if plain is not None and int(plain[0]) == itsm:
                return "pause"
        elif clock.pause_on[k] and itsm > due:
            return "pause"
        tz = clock.zone
        offsets = {_offset(tz, due), _offset(tz, itsm)} - {0}
        if abs(itsm - due) in {abs(o) for o in offsets}:
            return "timezone"
        schedule = clock.schedule
        if clock.targets[k][1] == "business" and schedule is not None and not schedule.always:
            days = _days(tz, min(due, itsm), max(due, itsm))
            if len(days) > 400:   # a year apart: not a day of the calendar
                return "target"
            if days & schedule.holidays.dates(min(days).year, max(days).year):
                return "holiday"
            local = datetime.fromtimestamp(itsm, tz).date()
            if not _open_weekday(schedule, local.weekday()):   # the ITSM's due on a closed day
                return "weekend"
        return "target"

    def unknown(self) -> list[Skipped]:
        """U109 for each record of a ticket that no row of the tickets file measured."""
        out = [Skipped(_u109(self.display, record.line, 1,
                             f"ticket {record.id} of the SLA records is not among the tickets "
                             "measured",
                             "it is not in the tickets file, or its row was skipped"))
               for record in self.records.values() if record.id not in self.seen]
        out.sort(key=lambda s: s.diagnostic.line)
        return out

    def entry(self, cid: str, at: Callable[[int | None], str | None]) -> ItsmAgreementEntry:
        return _entry(self.clients[cid], at)

    def total(self, at: Callable[[int | None], str | None]) -> ItsmAgreementEntry:
        whole = _Tally()
        for tally in self.clients.values():
            whole.compared += tally.compared
            whole.agree += tally.agree
            whole.disagreements.extend(tally.disagreements)
        return _entry(whole, at)


def _entry(tally: _Tally, at: Callable[[int | None], str | None]) -> ItsmAgreementEntry:
    rows: list[ItsmDisagreement] = [
        {"id": ident, "objective": OBJECTIVE_KEYS[k],
         "charterc": "breached" if ours else "met", "itsm": "breached" if theirs else "met",
         "charterc_due": at(due), "itsm_due": at(itsm_due), "reason": reason}
        for _opened, ident, k, ours, theirs, due, itsm_due, reason
        in sorted(tally.disagreements, key=lambda d: (d[0], d[1], d[2]))]
    return {"compared": tally.compared, "agree": tally.agree, "disagreements": rows}


def _offset(tz: tzinfo, ts: int) -> int:
    offset = datetime.fromtimestamp(ts, tz).utcoffset()
    return 0 if offset is None else int(offset.total_seconds())


def _days(tz: tzinfo, lo: int, hi: int) -> set[date]:
    """The local days from the one of `lo` to the one of `hi`, both included."""
    first, last = datetime.fromtimestamp(lo, tz).date(), datetime.fromtimestamp(hi, tz).date()
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}


def _open_weekday(schedule: Schedule, weekday: int) -> bool:
    return any(weekday in days for days, _start, _end in schedule.ranges)
