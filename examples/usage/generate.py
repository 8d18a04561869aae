"""Writes a year of usage (2027) for each bundled charter, seeded: the same bytes every run.

    python examples/usage/generate.py          # from the repository's root

For each `charters/<name>.charter.yaml`, in the shapes docs/report-inputs.md describes:

- `<name>.tickets.csv`: `id, client, priority, opened, first_response, resolved, feature,
  channel, status`, one row per ticket, instants in UTC (`...Z`). Volumes follow each
  client's `volume` (its first-year units, grown to 2027, with a gentle seasonality);
  tickets come mostly inside the client's needed hours; about 1 in 100 is cancelled
  (`status` Canceled: out of every figure by default), the last days' tickets are
  partly still open. Response and resolution times are drawn against the tier's own
  deadlines (computed by charterc's clock), so that most tickets meet them and a few
  percent do not.
- `<name>.outages.csv`: the monthly planned maintenance inside the tiers' windows, a few
  unplanned incidents, and in March 2027 one long outage for a client present in two
  charters (`germany`: Finance & Accounting and HR & Legal), whose availability then falls
  into a service-credit band of Finance & Accounting's global tier, and one of the IT
  desk's premium tier (a credit for Group Finance).
- `<name>.history.csv`: the status changes of the tickets that waited for their client
  (In Progress, Awaiting Customer, In Progress, Resolved).

finance-accounting's unit is a transaction (400,000 a year): its tickets are a 1-in-50
sample of its volume, to keep the files small. `tests/test_examples_usage.py` checks
that the files are what this script writes.
"""
from __future__ import annotations

import csv
import io
import random
import zlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from charterc.loaders import load_path
from charterc.model.charter import Charter, Client, build_model
from charterc.report.clock import TierClock

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
YEAR = 2027
SCALE = {"finance-accounting": 50}   # one ticket in the file per SCALE units
CHANNELS = (("portal", 50), ("email", 25), ("phone", 20), ("chat", 5))
MIX = (3, 12, 45, 40)                # % of tickets per priority, most urgent first
# the outage that earns germany a service credit (Finance & Accounting's global tier)
CREDITED = ("germany", datetime(2027, 3, 10, 8, 0, tzinfo=UTC), timedelta(hours=3, minutes=30))
# and one that takes the IT desk's premium tier below its 99.9% in March (a credit for finance)
LONG = {"it-service-desk": ("premium", datetime(2027, 3, 17, 13, 10, tzinfo=UTC),
                            timedelta(hours=1, minutes=25))}


def _stamp(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def _units(client: Client, charter: Charter) -> int:
    """The client's forecast units of 2027 (its first-year units grown to 2027)."""
    units = float(client.units.value) if client.units is not None else 0.0
    growth = float(client.growth_or_default.value) / 100
    years = max(0, YEAR - charter.period.start.year)
    return round(units * (1 + growth) ** years)


def _needed_hours(client: Client) -> tuple[ZoneInfo, int, int, bool]:
    """(zone, first hour, last hour, weekends) of the client's needed hours, roughly."""
    hours = client.needs_hours
    if hours is None or hours.is_24x7 or not hours.entries:
        return ZoneInfo(client.zone), 0, 24, True
    zone = ZoneInfo(hours.zone)
    entries = hours.entries
    first = min((int(e["from"][:2]) for e in entries), default=8)
    last = max((int(e["to"][:2]) for e in entries), default=18)
    weekends = any("sat" in e["days"] or "sun" in e["days"] or e["days"] == "daily"
                   for e in entries)
    return zone, first, last, weekends


def _openings(rng: random.Random, client: Client, count: int) -> list[int]:
    """`count` opening instants in 2027: weekdays (weekends too where needed), mostly in
    the needed hours, a few outside them; a little busier in spring and autumn."""
    zone, first, last, weekends = _needed_hours(client)
    days = [date(YEAR, 1, 1) + timedelta(days=i) for i in range(365)]
    weights = []
    for day in days:
        weight = 1.0 + 0.15 * np.cos((day.timetuple().tm_yday - 100) / 365 * 2 * np.pi) ** 2
        if day.weekday() >= 5:
            weight *= 0.5 if weekends else 0.03
        if day.month == 8:
            weight *= 0.7
        weights.append(weight)
    out = []
    for day in rng.choices(days, weights=weights, k=count):
        if rng.random() < 0.06:   # demand outside the needed hours
            hour = rng.choice([h for h in range(24) if not first <= h < last] or [12])
        else:
            hour = rng.randrange(first, max(first + 1, last))
        local = datetime(day.year, day.month, day.day, hour, rng.randrange(60),
                         rng.randrange(60), tzinfo=zone)
        out.append(int(local.timestamp()))
    out.sort()
    return out


def _tickets(charter: Charter, rng: random.Random) -> tuple[list[list[str]], list[list[str]]]:
    """The ticket rows and the status history rows of a charter's year."""
    scale = SCALE.get(charter.id, 1)
    end = int(datetime(YEAR + 1, 1, 1, tzinfo=UTC).timestamp())
    clocks = {t.id: TierClock(t, YEAR - 1, YEAR + 1) for t in charter.tiers}
    rows: list[tuple[int, list[str]]] = []
    history: list[list[str]] = []
    prefix = "".join(w[0] for w in charter.id.split("-")).upper()
    for client in charter.clients:
        tier = charter.tier(client.tier)
        assert tier is not None
        clock = clocks[tier.id]
        features = list(client.needs_features or tier.features or ()) or \
            [f.id for f in charter.features]
        features = [f for f in features if f in (tier.features or features)] or features
        opened_all = _openings(rng, client, max(1, _units(client, charter) // scale))
        for opened in opened_all:
            priority = rng.choices(charter.priorities[:len(MIX)], weights=MIX[:len(
                charter.priorities)])[0]
            stamp = np.asarray([opened], dtype=np.int64)
            due = [clock.due(k, priority, stamp) for k in (0, 1)]
            span = [int(d[0]) - opened if d is not None else 86400 for d in due]
            late = rng.random() < 0.04
            answer = opened + int(span[0] * (rng.uniform(1.1, 3.0) if late
                                             else rng.uniform(0.05, 0.9)))
            late = rng.random() < 0.05
            resolve = opened + int(span[1] * (rng.uniform(1.05, 2.5) if late
                                              else rng.uniform(0.2, 0.95)))
            resolve = max(resolve, answer + 300)
            status = "Closed"
            first_response, resolved = _stamp(answer), _stamp(resolve)
            if rng.random() < 0.01:
                status, first_response, resolved = "Canceled", "", ""
            elif resolve >= end or (end - opened < 14 * 86400 and rng.random() < 0.2):
                status, resolved = "In Progress", ""
                if answer >= end:
                    status, first_response = "New", ""
            rows.append((opened, [client.id, priority, _stamp(opened), first_response,
                                  resolved, rng.choice(features), _weighted(rng, CHANNELS),
                                  status]))
            if resolved and rng.random() < 0.05:   # the ticket waited for its client
                wait = answer + int((resolve - answer) * rng.uniform(0.1, 0.4))
                back = wait + int((resolve - wait) * rng.uniform(0.3, 0.8))
                history.append([str(opened), _stamp(answer), "In Progress", _stamp(wait),
                                "Awaiting Customer", _stamp(back), "In Progress",
                                resolved, "Resolved"])
    rows.sort(key=lambda r: (r[0], r[1][0]))
    ids = {}
    out = []
    for n, (opened, row) in enumerate(rows, 1):
        ident = f"{prefix}{YEAR % 100}{n:06d}"
        ids.setdefault(opened, []).append(ident)
        out.append([ident, *row])
    changes: list[list[str]] = []
    taken: dict[int, int] = {}
    for opened_text, *rest in history:
        opened = int(opened_text)
        ident = ids[opened][taken.get(opened, 0)]
        taken[opened] = taken.get(opened, 0) + 1
        for i in range(0, len(rest), 2):
            changes.append([ident, rest[i], rest[i + 1]])
    changes.sort(key=lambda c: (c[0], c[1]))
    return out, changes


def _outages(charter: Charter, rng: random.Random) -> list[list[str]]:
    """Planned maintenance inside the windows, a few unplanned incidents, the credited one."""
    rows: list[tuple[datetime, list[str]]] = []
    for tier in charter.tiers:
        if tier.maintenance is None:
            continue
        entry = (tier.maintenance.entries or ({},))[0]
        zone = ZoneInfo(tier.maintenance.zone)
        weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun").index(
            entry.get("days", "sun")[:3])
        start_hour = int(entry.get("from", "02:00")[:2])
        for month in range(1, 13):   # the first such day of each month, one hour
            day = date(YEAR, month, 1)
            day += timedelta(days=(weekday - day.weekday()) % 7)
            start = datetime(day.year, day.month, day.day, start_hour, 0, tzinfo=zone)
            rows.append((start, [start, start + timedelta(hours=1), tier.id, "true"]))
    for _ in range(6):   # unplanned: minutes to an hour, whole service or one tier
        day = date(YEAR, 1, 1) + timedelta(days=rng.randrange(365))
        start = datetime(day.year, day.month, day.day, rng.randrange(8, 18), rng.randrange(60),
                         tzinfo=ZoneInfo(charter.provider.timezone))
        scope = rng.choice(["all", *[t.id for t in charter.tiers]])
        rows.append((start, [start, start + timedelta(minutes=rng.randrange(5, 50)), scope,
                             "false"]))
    client, start, length = CREDITED
    if any(c.id == client for c in charter.clients):
        rows.append((start, [start, start + length, f"client:{client}", "false"]))
    if charter.id in LONG:
        tier, start, length = LONG[charter.id]
        rows.append((start, [start, start + length, f"tier:{tier}", "false"]))
    rows.sort(key=lambda r: (r[0], r[1][2]))
    return [[_stamp(int(s.timestamp())), _stamp(int(e.timestamp())), scope, planned]
            for _, (s, e, scope, planned) in rows]


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def files() -> dict[str, bytes]:
    """File name -> bytes, for every bundled charter."""
    out: dict[str, bytes] = {}
    for path in sorted((ROOT / "charters").glob("*.charter.yaml")):
        charter = build_model(load_path(path).document)
        name = path.name.removesuffix(".charter.yaml")
        rng = random.Random(zlib.crc32(name.encode()) ^ YEAR)
        tickets, history = _tickets(charter, rng)
        out[f"{name}.tickets.csv"] = _csv(["id", "client", "priority", "opened",
                                           "first_response", "resolved", "feature",
                                           "channel", "status"], tickets)
        out[f"{name}.outages.csv"] = _csv(["start", "end", "scope", "planned"],
                                          _outages(charter, rng))
        out[f"{name}.history.csv"] = _csv(["id", "at", "status"], history)
    return out


def main() -> None:
    for name, data in files().items():
        (HERE / name).write_bytes(data)
        print(f"wrote examples/usage/{name} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
