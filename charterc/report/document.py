"""The report document: JSON-compatible typed dicts (`types.py`), the one thing the
renderers read.

Shape and key order: docs/report.md (the contract with `render.py`). Numbers are
JSON numbers: money rounded half-even to cents; attainment and availability
percents rounded *down* to 2 decimals (a figure shown as meeting its target
does meet it); shares half-even; durations in minutes, 1 decimal, half-even.
Instants are ISO 8601 in the provider's zone.
"""
from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from ..calendar import zone
from ..calendar.zones import local_time
from ..model.projection import round_money
from ..render.view import canonical_sha256
from .listing import NO_EVENT, Listing, ListingColumns
from .measure import GROUPS, Tally, Usage, quantile
from .types import (
    OBJECTIVE_KEYS,
    AvailabilityEntry,
    BreachEntry,
    CharterHeader,
    ClientEntry,
    Counts,
    ObjectiveEntry,
    ObjectiveKey,
    PendingEntry,
    PriorityEntry,
    ProviderDocument,
    ProviderEntry,
    Quantiles,
    ReportDocument,
    ReportHead,
    TicketCounts,
    TrendMonth,
    TurnaroundEntry,
    UsageEntry,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pyarrow as pa

    from ..calendar.index import Ints
    from ..model.charter import Objective
    from .measured import MeasuredPeriod

__all__ = ["ProviderDocument", "ReportDocument", "client_document", "dumps", "provider_document"]

_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")
_HALF, _P90 = Fraction(1, 2), Fraction(9, 10)


def _decimal(value: Fraction | Decimal | int) -> Decimal:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value)


def attained(value: Fraction | None) -> float | None:
    """Percent rounded down to 2 decimals (99.999 shows as 99.99, never 100.00)."""
    if value is None:
        return None
    return float(_decimal(value).quantize(_CENT, rounding=ROUND_DOWN))


def percent(value: Fraction | Decimal | int | None) -> float | None:
    if value is None:
        return None
    return float(_decimal(value).quantize(_CENT, rounding=ROUND_HALF_EVEN))


def money(value: Decimal) -> float:
    return float(round_money(value))


def minutes(seconds: Fraction | Decimal | int | None) -> float | None:
    if seconds is None:
        return None
    return float((_decimal(seconds) / 60).quantize(_TENTH, rounding=ROUND_HALF_EVEN))


def instant(ts: int | None, tz: tzinfo) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, tz).isoformat(timespec="seconds")


class _Instants:
    """`instant` for many instants of one zone: the offset is looked up once per UTC hour
    (when the zone keeps one offset through that hour, else `instant` itself) and the
    date once per local day; the text is the same."""

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self.hours: dict[int, tuple[int, str] | None] = {}
        self.days: dict[int, str] = {}

    def __call__(self, ts: int | None) -> str | None:
        if ts is None:
            return None
        known = self.offset_of(ts // 3600)
        if known is None:
            return instant(ts, self.tz)
        offset, suffix = known
        wall = ts + offset
        day, second = divmod(wall, 86400)
        text = self.days.get(day)
        if text is None:
            text = self.days[day] = datetime.fromtimestamp(day * 86400, UTC).date().isoformat()
        minutes, second = divmod(second, 60)
        return f"{text}T{minutes // 60:02d}:{minutes % 60:02d}:{second:02d}{suffix}"

    def offset_of(self, hour: int) -> tuple[int, str] | None:
        """(offset in seconds, its text) through the UTC hour, found once; None when the
        zone changes offset within it, or its offset is not whole minutes."""
        if hour not in self.hours:
            self.hours[hour] = self._offset(hour)
        return self.hours[hour]

    def _offset(self, hour: int) -> tuple[int, str] | None:
        first = datetime.fromtimestamp(hour * 3600, self.tz).utcoffset()
        last = datetime.fromtimestamp(hour * 3600 + 3599, self.tz).utcoffset()
        if first is None or first != last or first.total_seconds() % 60:
            return None
        seconds = int(first.total_seconds())
        return seconds, _offset_text(seconds // 60)


def _offset_text(minutes: int) -> str:
    """An offset of whole minutes as `isoformat` writes it: `+02:00`, `-03:30`."""
    hours, rest = divmod(abs(minutes), 60)
    return f"{'-' if minutes < 0 else '+'}{hours:02d}:{rest:02d}"


@lru_cache(maxsize=16)
def _instants(tz: tzinfo) -> _Instants:
    return _Instants(tz)


def _ratio(met: int, total: int) -> Fraction | None:
    return Fraction(met * 100, total) if total else None


def _tally(t: Tally) -> Counts:
    return {"met": t.met, "total": t.total, "pending": t.pending}


def _sum(tallies: Iterable[Tally]) -> Tally:
    out = Tally()
    for t in tallies:
        out.add(t)
    return out


def _tickets(by_priority: Mapping[str, Tally]) -> TicketCounts:
    return {**_tally(_sum(by_priority.values())),
            "by_priority": {p: _tally(t) for p, t in by_priority.items()}}


def _objective(by_priority: Mapping[str, Tally], objective: Objective | None,
               clock_of: str | None) -> ObjectiveEntry:
    """`response` or `resolution`; `objective` is the charter's (None for the provider)."""
    whole = _sum(by_priority.values())
    rows: dict[str, PriorityEntry] = {}
    for p, t in by_priority.items():
        target = objective.priority_targets.get(p) if objective is not None else None
        rows[p] = {**_tally(t), "attainment": attained(_ratio(t.met, t.total)),
                   "target_minutes": None if target is None else target.calendar_minutes,
                   "clock": None if target is None else clock_of}
    return {**_tally(whole), "attainment": attained(_ratio(whole.met, whole.total)),
            "target": None if objective is None else percent(objective.attainment_or_default.value),
            "by_priority": rows}


def _quantiles(values: Sequence[int]) -> Quantiles:
    ordered = _ranked(values, (_HALF, _P90))
    return {"median": minutes(quantile(ordered, _HALF)),
            "p90": minutes(quantile(ordered, _P90)), "count": len(ordered)}


def _ranked(values: Sequence[int], quantiles: Sequence[Fraction]) -> Sequence[int]:
    """The values with the ones `quantile` reads for `quantiles` where sorting would put
    them: by numpy's partition (linear) when they are an `array('q')` (the engine's, read
    without a copy), else sorted."""
    if isinstance(values, array) and values.typecode == "q" and len(values) > 64:
        import numpy as np
        n = len(values)
        ranks = sorted({min(int((n - 1) * q) + step, n - 1) for q in quantiles
                        for step in (0, 1)})
        ordered: Sequence[int] = np.partition(  # type: ignore[assignment]
            np.frombuffer(values, dtype=np.int64), ranks)
        return ordered
    return sorted(values)


def _turnaround(arrays: Sequence[Sequence[int]]) -> TurnaroundEntry:
    """`arrays`: the durations of each group, in the order of `measure.GROUPS`."""
    weekday, weekend, in_hours, out_of_hours = arrays
    return {"weekday": _quantiles(weekday), "weekend": _quantiles(weekend),
            "in_hours": _quantiles(in_hours), "out_of_hours": _quantiles(out_of_hours)}


def instant_texts(stamps: Ints, tz: tzinfo, missing: int | None = None) -> pa.Array:
    """`instant` of each stamp as a text column (null where it is `missing`).

    Each stamp's offset comes from the zone's offset changes (`_offsets`), and its text
    (`2026-10-05T09:15:00+02:00`, 25 bytes) is gathered from tables (`_iso_bytes`) into
    one buffer that becomes the column. A stamp whose offset is not whole minutes, or out of
    years 1000-9999, is written by `instant` itself; the texts are the same."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(stamps)
    if not n:
        return pa.array([], pa.string())
    absent = np.zeros(n, dtype=bool) if missing is None else stamps == missing
    known = stamps[~absent]
    # a missing stamp is written as one present (then made null): its year is one of theirs
    values = np.where(absent, known[0] if len(known) else 0, stamps).astype(np.int64)
    if len(known) and (int(known.min()) < -30610224000 or
                       int(known.max()) > 253402297199 - 86400):
        at = _instants(tz)
        return pa.array([None if a else at(v) for v, a in
                         zip(values.tolist(), absent.tolist(), strict=True)], pa.string())
    offset, exact = _offsets(tz, values)
    texts = pa.Array.from_buffers(
        pa.string(), n, [None if not bool(np.any(absent)) else
                         pa.py_buffer(np.packbits(~absent, bitorder="little")),
                         pa.py_buffer(np.arange(0, 25 * n + 1, 25, dtype=np.int32)),
                         pa.py_buffer(_iso_bytes(values + offset, offset))])
    odd = ~exact & ~absent
    if bool(np.any(odd)):   # an offset of seconds (a zone's old local mean time): as Python
        exact_texts = [instant(v, tz) if o else None
                       for v, o in zip(values.tolist(), odd.tolist(), strict=True)]
        texts = pc.if_else(pa.array(odd), pa.array(exact_texts, pa.string()), texts)
    return texts


def _offsets(tz: tzinfo, values: Ints) -> tuple[Ints, npt.NDArray[np.bool_]]:
    """(offset in seconds, whether whole minutes) of each stamp: from the zone's offset
    changes (`calendar.zones`) by one array search when the stamps span at most 20 years,
    else once per UTC hour (`_Instants`; an hour where the offset changes is not exact)."""
    import numpy as np

    name = getattr(tz, "key", None)
    first = datetime.fromtimestamp(int(values.min()), UTC).year
    last = datetime.fromtimestamp(int(values.max()), UTC).year
    if name is not None and last - first <= 20:
        local = local_time(name, first - 1, last + 1)
        changes = np.asarray(local.instants, dtype=np.int64)
        after = np.asarray([local.base, *local.after], dtype=np.int64)
        offset = after[np.searchsorted(changes, values, side="right")]
        return offset, offset % 60 == 0
    at = _instants(tz)
    hours, which = np.unique(values // 3600, return_inverse=True)
    known = [at.offset_of(hour) for hour in hours.tolist()]
    shift = np.array([0 if o is None else o[0] for o in known], dtype=np.int64)
    steady = np.array([o is not None for o in known], dtype=bool)
    return shift[which], steady[which]


def _iso_bytes(wall: Ints, offset: Ints) -> npt.NDArray[np.uint8]:
    """`YYYY-MM-DDTHH:MM:SS+HH:MM` of each wall time (seconds since 1970 on the local
    clock, years 1000-9999) and offset (whole minutes, under a day), 25 bytes each, end
    to end: the date from a table of the days the times span, the time of day and the
    offset from tables of every one (a gather each, no arithmetic per time)."""
    import numpy as np

    days, seconds = np.divmod(wall, 86400)
    first, last = int(days.min()), int(days.max())
    out = np.empty(len(wall), dtype=[("date", "S10"), ("t", "u1"), ("clock", "S8"),
                                     ("offset", "S6")])
    if last - first < 4 * len(wall) + 4096:   # a table of every day in the span
        out["date"] = _date_texts(np.arange(first, last + 1, dtype=np.int64))[days - first]
    else:   # times centuries apart: a table of the days present
        present, which = np.unique(days, return_inverse=True)
        out["date"] = _date_texts(present)[which]
    out["t"] = ord("T")
    out["clock"] = _clock_texts()[seconds]
    out["offset"] = _offset_texts()[offset // 60 + 1440]
    return out.view(np.uint8)


def _date_texts(days: Ints) -> npt.NDArray[np.bytes_]:
    """`YYYY-MM-DD` of each day (days since 1970-01-01, years 1000-9999), computed as one
    column (H. Hinnant's civil_from_days, proleptic Gregorian)."""
    import numpy as np

    count = len(days)
    z = days + 719468
    era = np.floor_divide(z, 146097)
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    pairs = _digit_pairs()
    out = np.empty(count, dtype=[("century", "S2"), ("year", "S2"), ("dash1", "S1"),
                                 ("month", "S2"), ("dash2", "S1"), ("day", "S2")])
    out["century"], out["year"] = pairs[year // 100], pairs[year % 100]
    out["month"], out["day"] = pairs[month], pairs[day]
    out["dash1"] = out["dash2"] = b"-"
    return out.view("S10")


@lru_cache(maxsize=1)
def _clock_texts() -> npt.NDArray[np.bytes_]:
    """`HH:MM:SS` of every second of a day."""
    import numpy as np

    second = np.arange(86400, dtype=np.int64)
    pairs = _digit_pairs()
    out = np.empty(86400, dtype=[("hour", "S2"), ("colon1", "S1"), ("minute", "S2"),
                                 ("colon2", "S1"), ("second", "S2")])
    out["hour"], out["minute"] = pairs[second // 3600], pairs[second // 60 % 60]
    out["second"] = pairs[second % 60]
    out["colon1"] = out["colon2"] = b":"
    return out.view("S8")


@lru_cache(maxsize=1)
def _offset_texts() -> npt.NDArray[np.bytes_]:
    """`+HH:MM` of every offset of whole minutes from -24:00 to +24:00 (index: minutes
    plus 1440), as `isoformat` writes it."""
    import numpy as np
    return np.array([_offset_text(m).encode("ascii") for m in range(-1440, 1441)],
                    dtype="S6")


@lru_cache(maxsize=1)
def _digit_pairs() -> npt.NDArray[np.bytes_]:
    """The two ASCII digits of 0-99."""
    import numpy as np
    return np.array([f"{n:02d}".encode("ascii") for n in range(100)], dtype="S2")


def _instant_column(stamps: Ints, tz: tzinfo, missing: int | None = None) -> list[str | None]:
    """`instant` of each stamp (None where it is `missing`), through `instant_texts` when
    there are many."""
    if len(stamps) < 512:   # a document's listing: the cached per-hour writer is quicker
        at = _instants(tz)
        return [None if ts == missing else at(ts) for ts in stamps.tolist()]
    texts: list[str | None] = instant_texts(stamps, tz, missing).to_pylist()
    return texts


def _first_entries(listing: Listing, tz: tzinfo,
                   limit: int | None) -> tuple[ListingColumns, list[dict[str, object]]]:
    """The listing's columns, and its first `limit` rows (None: all) in the listings'
    order (listing.py) as entries of the keys breaches and pending tickets share (id,
    priority, objective, opened, due), their instants formatted a column at a time."""
    c = listing.columns()
    n = len(c) if limit is None else min(limit, len(c))
    opened = _instant_column(c.opened[:n], tz)
    due = _instant_column(c.due[:n], tz)
    return c, [{"id": ident, "priority": c.priorities[p], "objective": OBJECTIVE_KEYS[k],
                "opened": o, "due": d}
               for ident, p, k, o, d in zip(c.ids.slice(0, n).to_pylist(),
                                            c.priority[:n].tolist(), c.objective[:n].tolist(),
                                            opened, due, strict=True)]


def _breaches(listing: Listing, tz: tzinfo, paused: bool,
              limit: int | None = None) -> list[BreachEntry]:
    """`paused`: clocks were paused from a status history, so each row says for how long;
    only the first `limit` rows (None: all) are listed."""
    if not listing:
        return []
    c, entries = _first_entries(listing, tz, limit)
    assert c.at is not None   # a listing of breaches has its events' instants
    at = _instant_column(c.at[:len(entries)], tz, NO_EVENT)
    waited = c.paused[:len(entries)].tolist()
    for entry, a, w in zip(entries, at, waited, strict=True):
        entry["at"] = a
        if paused:
            entry["paused_minutes"] = minutes(w)
    return cast(list[BreachEntry], entries)


def _pending(listing: Listing, tz: tzinfo, paused: bool,
             limit: int | None = None) -> list[PendingEntry]:
    if not listing:
        return []
    c, entries = _first_entries(listing, tz, limit)
    if paused:
        for entry, w in zip(entries, c.paused[:len(entries)].tolist(), strict=True):
            entry["paused_minutes"] = minutes(w)
    return cast(list[PendingEntry], entries)


def events_file(client_id: str) -> str:
    """Where every breach and pending ticket of a client is listed when its documents list
    only the first ones: relative to the period's folder."""
    return f"clients/{client_id}.events.csv"


def cut(report: MeasuredPeriod, client_id: str) -> bool:
    """Whether the documents list only some of the client's breaches or pending tickets."""
    usage, limit = report.measure.usage[client_id], report.max_listed
    return limit is not None and (len(usage.breaches) > limit or len(usage.pending) > limit)


def _usage(usage: Usage, tz: tzinfo, columns: Sequence[str]) -> UsageEntry:
    """Tickets per feature and per channel (as written in the export, most used first,
    then by name), and the tickets on features outside the client's tier (U108); only
    for the columns the tickets file has."""
    def counts(counter: Mapping[str, int]) -> dict[str, int]:
        return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
    out: UsageEntry = {}
    if "feature" in columns:
        out["features"] = counts(usage.features)
    if "channel" in columns:
        out["channels"] = counts(usage.channels)
    if "feature" in columns:
        out["outside_tier"] = [{"id": ident, "feature": feature, "opened": instant(opened, tz)}
                               for opened, ident, feature, _ in sorted(usage.unpaid)]
    return out


def _availability(report: MeasuredPeriod, cid: str) -> AvailabilityEntry | None:
    figures = report.available[cid]
    if figures is None:
        return None
    objective = report.tiers[cid].objectives.availability
    assert objective is not None and objective.target is not None  # measured only then
    return {"percent": attained(figures.fraction),
            "target": percent(objective.target.value),
            "credit_percent": percent(report.credit_percent(cid)),
            "downtime_minutes": minutes(figures.downtime),
            "window_minutes": minutes(figures.window),
            "excluded_minutes": minutes(figures.excluded)}


def client_entry(report: MeasuredPeriod, client_id: str) -> ClientEntry:
    """One client's figures (the value under `clients.<id>`)."""
    usage = report.measure.usage[client_id]
    client, tier = usage.client, report.tiers[client_id]
    tz = zone(report.period.zone)
    count, everyone = usage.count, report.ticket_count

    def objective(kind: ObjectiveKey) -> ObjectiveEntry:
        stated = getattr(tier.objectives, kind)
        return _objective(usage.objectives[OBJECTIVE_KEYS.index(kind)], stated,
                          stated.clock_or_default if stated is not None else None)

    charge = report.charges[client_id]
    paused = bool(report.pauses is not None and report.pauses["measured"])
    measure = report.measure
    trend: list[TrendMonth] = []
    for m in sorted(measure.trend_months):
        row = usage.trend.get(m, [0, 0, 0, 0, 0])
        trend.append({"period": measure.month_label(m), "tickets": row[0],
                      "response_attainment": attained(_ratio(row[1], row[2])),
                      "resolution_attainment": attained(_ratio(row[3], row[4]))})
    entry: ClientEntry = {
        "name": client.name, "tier": tier.id, "tickets": _tickets(usage.tickets),
        "response": objective("response"), "resolution": objective("resolution"),
        "availability": _availability(report, client_id),
        "share": {"actual": percent(_ratio(count, everyone)),
                  "stated": percent(client.share.value if client.share else None),
                  "forecast": percent(charge.share)},
        "volume": {"tickets": count, "forecast_units": percent(charge.forecast_units)},
        "charge": money(report.charge(client_id)),
        "credit": money(report.credit(client_id)),
        "turnaround": _turnaround(usage.turnaround),
        "breaches": _breaches(usage.breaches, tz, paused, report.max_listed),
        "pending": _pending(usage.pending, tz, paused, report.max_listed),
        "trend": trend,
        "weekly": [{"week": w, "tickets": usage.weekly.get(w, 0)} for w in measure.weeks()],
    }
    if report.usage_columns:
        entry["usage"] = _usage(usage, tz, report.usage_columns)
    if report.excluding:
        entry["excluded"] = usage.excluded
    if report.itsm is not None:
        entry["itsm_agreement"] = report.itsm.entry(client_id, _instants(tz))
    if report.max_listed is not None and cut(report, client_id):
        entry["listing"] = {"limit": report.max_listed, "breaches": len(usage.breaches),
                            "pending": len(usage.pending), "file": events_file(client_id)}
    return entry


def _header(report: MeasuredPeriod, scope: str) -> ReportHead:
    charter, period = report.charter, report.period
    head: CharterHeader = {"id": charter.id, "title": charter.metadata.title,
                           "version": charter.version, "currency": charter.business.currency,
                           "timezone": charter.provider.timezone,
                           "sha256": canonical_sha256(charter.source)}
    if report.revision:
        head["revision"] = report.revision.copy()
    out: ReportHead = {
        "charter": head,
        "period": {"label": period.label, "from": period.first.isoformat(),
                   "to": period.last.isoformat(), "timezone": period.zone},
        "scope": scope,
    }
    if report.reviews:
        out["reviews"] = list(report.reviews)
    if report.pauses:
        out["pauses"] = report.pauses.copy()
    return out


def provider_document(report: MeasuredPeriod) -> ProviderDocument:
    """Every client, the skipped rows, and the provider's aggregates."""
    clients = {cid: client_entry(report, cid) for cid in report.measure.usage}
    usages = list(report.measure.usage.values())
    priorities = report.charter.priorities

    def merged(parts: list[dict[str, Tally]]) -> dict[str, Tally]:
        return {p: _sum(part[p] for part in parts) for p in priorities}

    def objective(kind: ObjectiveKey) -> ObjectiveEntry:
        part = _objective(merged([u.objectives[OBJECTIVE_KEYS.index(kind)] for u in usages]),
                          None, None)
        targets = {entry[kind]["target"] for entry in clients.values()}
        part["target"] = targets.pop() if len(targets) == 1 else None  # one target for all
        return part

    provider: ProviderEntry = {
        "tickets": _tickets(merged([u.tickets for u in usages])),
        "response": objective("response"), "resolution": objective("resolution"),
        # the clients' charges and credits are rounded as invoiced: the totals are their sums
        "charge": money(sum((report.charge(c) for c in report.measure.usage), Decimal(0))),
        "credit": money(sum((report.credit(c) for c in report.measure.usage), Decimal(0))),
        "turnaround": _turnaround(
            [array("q", b"".join(u.turnaround[g].tobytes() for u in usages))
             for g in range(len(GROUPS))]),
    }
    if report.excluding:
        provider["excluded"] = sum(u.excluded for u in usages)
    if report.itsm is not None:
        provider["itsm_agreement"] = report.itsm.total(_instants(zone(report.period.zone)))
    return {**_header(report, "provider"),
            "skipped": {"count": report.skipped,
                        "rows": [{"file": d.file, "line": d.line, "rule": d.rule,
                                  "reason": d.message} for d in report.listed]},
            "clients": clients,
            "provider": provider}


def client_document(provider: ReportDocument, client_id: str, skipped: int) -> ReportDocument:
    """A client's own document: its entry only, its own skipped count, no aggregates."""
    head: ReportHead = {"charter": provider["charter"], "period": provider["period"],
                        "scope": client_id}
    if provider.get("reviews"):
        head["reviews"] = list(provider["reviews"])
    if provider.get("pauses"):
        head["pauses"] = provider["pauses"].copy()
    return {**head, "skipped": {"count": skipped},
            "clients": {client_id: provider["clients"][client_id]}}


def dumps(document: ReportDocument) -> str:
    """Canonical JSON text of a document: indented, key order kept, trailing newline (the
    `json` format's, `render.data.dumps`)."""
    from ..render.data import dumps as data_dumps
    return data_dumps(document)
