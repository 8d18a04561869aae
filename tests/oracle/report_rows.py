"""The report's row engine: every ticket a `Ticket`, measured one at a time on the scalar
business clock (`calendar/clock.py`), the status history as `History.pauses`.

The oracle of the columnar engine (charterc/report/columnar.py): a plain reading of
docs/report.md, ticket by ticket, that `tests/test_report_columnar.py` compares every
figure, diagnostic and warning with. `build_report_rows` takes the arguments of
`charterc.report.build_report` and shares its reading of outages and its result.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from charterc.calendar import Schedule, add_business, add_open_seconds, open_seconds, zone
from charterc.loaders import Loaded
from charterc.model.charter import Charter, Tier, status_key
from charterc.model.projection import Facts
from charterc.model.values import Duration
from charterc.report import engine
from charterc.report.history import OTHER, History, Pause
from charterc.report.inputs import (
    Excluded,
    Outage,
    Skipped,
    Ticket,
    UnreadableFile,
    excluded_statuses,
    read_history,
    read_tickets,
)
from charterc.report.measure import OBJECTIVES, Measure, Period, groups_of, range_period
from charterc.report.names import client_names, feature_names
from charterc.report.profiles import Instants, Profile

__all__ = ["RowHistory", "RowMeasure", "ScalarClock", "build_report_rows", "row_clocks"]

_FOREVER = 1 << 62


class RowHistory(History):
    """Status changes per ticket: per ticket, one integer per row, the instant shifted left
    by 8 bits with its status code. Rows are sorted per ticket when first asked for,
    stably, so two changes at the same second keep the file's order."""

    def __init__(self, statuses: Iterable[str]) -> None:
        super().__init__(statuses)
        self._rows: dict[str, list[int]] = {}
        self._sorted: set[str] = set()
        self.rows = 0

    def add(self, ticket: str, at: int, status: str) -> None:
        code = self.codes.get(status_key(status), OTHER)
        rows = self._rows.get(ticket)
        if rows is None:
            self._rows[ticket] = [at << 8 | code]
        else:
            rows.append(at << 8 | code)
        self.rows += 1

    def pauses(self, ticket: str, codes: frozenset[int], lo: int, hi: int) -> list[Pause]:
        """The intervals in [lo, hi) during which the ticket was in one of `codes`'
        statuses, in order. A pause with no later change lasts until `hi`."""
        if not codes:
            return []
        rows = self._rows.get(ticket)
        if not rows:
            return []
        if ticket not in self._sorted:
            rows.sort(key=lambda v: v >> 8)
            self._sorted.add(ticket)
        out: list[Pause] = []
        since: int | None = None
        for value in rows:
            at, paused = value >> 8, (value & 0xFF) in codes
            if paused and since is None:
                since = at
            elif not paused and since is not None:
                _clip(out, since, at, lo, hi)
                since = None
        if since is not None:
            _clip(out, since, _FOREVER, lo, hi)
        return out


def _clip(out: list[Pause], start: int, end: int, lo: int, hi: int) -> None:
    start, end = max(start, lo), min(end, hi)
    if start < end:
        out.append((start, end))


class ScalarClock:
    """Deadlines of one tier's response and resolution targets, one ticket at a time."""

    def __init__(self, tier: Tier) -> None:
        self.tier = tier
        self.schedule = tier.hours.schedule
        self.zone = zone(tier.hours.zone)
        self.targets: list[tuple[dict[str, Duration], str]] = []
        self.pause_on: list[tuple[str, ...]] = []
        for kind in OBJECTIVES:
            objective = getattr(tier.objectives, kind)
            self.targets.append(({} if objective is None else dict(objective.priority_targets),
                                 "calendar" if objective is None else objective.clock_or_default))
            self.pause_on.append(() if objective is None else objective.pause_on)
        self.features = frozenset(tier.features or ())

    def due(self, k: int, priority: str, opened: int) -> int | None:
        """Deadline (UTC seconds) of objective k for a ticket opened at `opened`, or None."""
        targets, clock = self.targets[k]
        target = targets.get(priority)
        if target is None:
            return None
        if clock == "calendar" or self._hours().is_24x7:
            return opened + target.calendar_minutes * 60
        start = datetime.fromtimestamp(opened, UTC)
        due = add_business(self._hours(), start, minutes=target.minutes, days=target.days)
        return int(due.timestamp())

    def extend(self, k: int, due: int, pauses: Sequence[Pause]) -> tuple[int, int]:
        """The deadline of objective k moved by the pauses that start before it, and the
        time paused on that objective's clock (open time under a business clock)."""
        paused = 0
        calendar_clock = self.targets[k][1] == "calendar"
        for start, end in pauses:
            if start >= due:
                break
            if calendar_clock:
                length = end - start
                due += length
            else:
                length = open_seconds(self._hours(), start, end)
                due = add_open_seconds(self._hours(), due, length)
            paused += length
        return due, paused

    def groups(self, opened: int) -> tuple[int, int]:
        return groups_of(self._hours(), self.zone, opened)

    def _hours(self) -> Schedule:
        if self.schedule is None:
            raise ValueError(f"tier {self.tier.id}: its hours cannot be read (V505)")
        return self.schedule


def row_clocks(charter: Charter) -> dict[str, ScalarClock]:
    return {t.id: ScalarClock(t) for t in charter.tiers}


class RowMeasure(Measure):
    """Feeds tickets one at a time into per-client `Usage`; keeps nothing else per row."""

    def __init__(self, charter: Charter, facts: Facts, period: Period,
                 clocks: dict[str, ScalarClock], history: RowHistory | None = None):
        super().__init__(charter, facts, period)
        self.history = history
        # per tier, per objective: the history's codes of its pause_on statuses
        self.pause_codes = {
            tid: tuple(history.codes_of(statuses) if history else frozenset()
                       for statuses in clock.pause_on) for tid, clock in clocks.items()}
        self.client_codes = {c.id: self.pause_codes[c.tier] for c in charter.clients}
        self.clocks = {c.id: clocks[c.tier] for c in charter.clients}

    def add(self, t: Ticket) -> None:
        period = self.period
        if t.opened >= period.end:
            return
        if t.opened >= period.start:
            self._in_period(t)
        elif t.opened >= self.months[0] and t.opened < self.months[-1]:
            m = bisect_right(self.months, t.opened) - 1
            self._in_trend(t, m)

    def _status(self, t: Ticket, k: int, end: int,
                clock: ScalarClock) -> tuple[int, str, int | None, int] | None:
        """(due, status, at, paused) with status 'met' | 'breached' | 'pending'; None: no
        target. `paused`: seconds the clock stood still (the deadline moved by as much)."""
        due = clock.due(k, t.priority, t.opened)
        if due is None:
            return None
        event = t.response if k == 0 else t.resolved
        happened = event is not None and event < end
        paused = 0
        codes = self.client_codes[t.client][k]
        if codes and self.history is not None:
            stop = event if happened and event is not None else end
            pauses = self.history.pauses(t.id, codes, t.opened, stop)
            if pauses:
                due, paused = clock.extend(k, due, pauses)
        if happened:
            assert event is not None
            return due, ("met" if event <= due else "breached"), event, paused
        return due, ("breached" if due < end else "pending"), None, paused

    def _in_period(self, t: Ticket) -> None:
        usage, clock, end = self.usage[t.client], self.clocks[t.client], self.period.end
        ok, waiting = True, False
        for k in (0, 1):
            result = self._status(t, k, end, clock)
            if result is None:
                continue
            due, status, at, paused = result
            tally = usage.objectives[k][t.priority]
            if status == "pending":
                tally.pending += 1
                waiting = True
                usage.pending.append((t.opened, t.id, k, t.priority, due, paused))
                continue
            tally.total += 1
            if status == "met":
                tally.met += 1
            else:
                ok = False
                usage.breaches.append((t.opened, t.id, k, t.priority, due, at, paused))
        tally = usage.tickets[t.priority]
        tally.total += 1
        tally.met += ok and not waiting
        tally.pending += waiting
        if t.resolved is not None and t.resolved < end:
            day, hours = clock.groups(t.opened)
            usage.turnaround[day].append(t.resolved - t.opened)
            usage.turnaround[hours].append(t.resolved - t.opened)
        iso = datetime.fromtimestamp(t.opened, self.provider_zone).isocalendar()
        usage.weekly[f"{iso.year}-W{iso.week:02d}"] += 1
        usage.units[max(1, bisect_right(self.years, t.opened))] += 1
        if t.feature is not None:
            usage.features[t.feature] += 1
            if t.feature not in clock.features:
                usage.unpaid.append((t.opened, t.id, t.feature, t.line))
        if t.channel is not None:
            usage.channels[t.channel] += 1

    def _in_trend(self, t: Ticket, m: int) -> None:
        usage, clock, end = self.usage[t.client], self.clocks[t.client], self.months[m + 1]
        self.trend_months.add(m)
        row = usage.trend.setdefault(m, [0, 0, 0, 0, 0])
        row[0] += 1
        for k in (0, 1):
            result = self._status(t, k, end, clock)
            if result is None or result[1] == "pending":
                continue
            row[2 + 2 * k] += 1
            row[1 + 2 * k] += result[1] == "met"


def _read_history(log: RowHistory, path: Path, display: str, columns: dict[str, str] | None,
                  profile: Profile | None, instants: Instants,
                  skip: Callable[[Skipped], None]) -> None:
    remember = log.add
    for change in read_history(path, display, mapping=columns, profile=profile,
                               instants=instants):
        if isinstance(change, Skipped):
            skip(change)
        else:
            remember(change.id, change.at, change.status)


def _rows(charter: Charter, period: Period, tickets: Path, display: str,
          history: Path | None, history_display: str | None, statuses: list[str],
          columns: dict[str, str] | None, profile: Profile | None, instants: Instants,
          shape: dict[str, int], skip: Callable[[Skipped], None]) -> RowMeasure:
    log = RowHistory(statuses) if history is not None and statuses else None
    measure = RowMeasure(charter, Facts(charter), period, row_clocks(charter), log)
    if log is not None and history is not None:
        _read_history(log, history, history_display or str(history), columns, profile,
                      instants, skip)
    add = measure.add
    for ticket in read_tickets(tickets, display, clients=client_names(charter),
                               priorities=charter.priorities, mapping=columns,
                               profile=profile, instants=instants, shape=shape,
                               features=feature_names(charter),
                               exclude=excluded_statuses(None),
                               window=(period.start, period.end)):
        if isinstance(ticket, Skipped):
            skip(ticket)
        elif isinstance(ticket, Excluded):
            measure.exclude(ticket.client, ticket.opened)
        else:
            add(ticket)
    return measure


def build_report_rows(charter: Charter, loaded: Loaded | None = None, *, tickets: Path,
                      outages: Path | None, start: date, end: date,
                      columns: dict[str, str] | None = None, strict: bool = False,
                      tickets_display: str | None = None,
                      outages_display: str | None = None, reviews: Sequence[str] = (),
                      history: Path | None = None, history_display: str | None = None,
                      profile: Profile | None = None, input_timezone: str | None = None,
                      revision: dict[str, object] | None = None,
                      max_listed: int | None = engine.LISTED) -> engine.ReportResult:
    """`charterc.report.build_report`, measured by the row engine."""
    period = range_period(start, end, charter.provider.timezone)
    statuses = engine.pause_statuses(charter)
    instants = Instants(input_timezone, profile.formats if profile is not None else ())
    display = tickets_display or str(tickets)
    skips = engine._Skips(charter)
    kept: list[Outage] | None = None
    shape: dict[str, int] = {}
    try:
        if outages is not None:
            kept = engine._read_outages(charter, outages, outages_display or str(outages),
                                        period, columns, instants, skips)
        measure = _rows(charter, period, tickets, display, history, history_display,
                        statuses, columns, profile, instants, shape, skips)
    except UnreadableFile as exc:
        return engine.ReportResult(None, [*skips.listed, exc.diagnostic], skips.count,
                                   skips.per_client, strict)
    return engine._result(charter, loaded, period, measure, kept, skips, shape, strict=strict,
                          display=display, reviews=reviews, history=history,
                          history_display=history_display, revision=revision,
                          max_listed=max_listed)
