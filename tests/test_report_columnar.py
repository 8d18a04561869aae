"""The columnar report engine against the row engine it replaces: the same documents, the same
diagnostics, to the second and the cent, on generated tickets and status histories.

The charter is the paused-clock fixture (tests/report/pauses.charter.yaml): `standard` on a
business clock (Paris mon-fri 08:00-18:00, French holidays, `Nd` targets), `premium` on a
calendar clock, pauses on both. The generated tickets are opened from September to the end
of November 2026 and the period runs over the end of daylight saving time (25 October
2026) and the holidays of 1 and 11 November; some rows are broken on purpose (bad instants,
unknown clients and priorities, times out of order, duplicate ids) so that the diagnostics
are compared too.
"""
from __future__ import annotations

import csv
import re
import tempfile
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle.report_rows import build_report_rows

from charterc.loaders import load_path
from charterc.model.charter import build_model
from charterc.report import build_report

ENGINES = {"rows": build_report_rows, "columnar": build_report}

HERE = Path(__file__).parent / "report"
CHARTER = HERE / "pauses.charter.yaml"
BASE = int(datetime(2026, 9, 1, tzinfo=UTC).timestamp())
SPAN = int(timedelta(days=95).total_seconds())
STATUSES = ("In Progress", "Awaiting Customer", "awaiting_customer", "Pending Vendor",
            "Resolved")
OFFSETS = ("+00:00", "Z", "+01:00", "+02:00", "-05:00")


@cache
def charter():
    loaded = load_path(CHARTER, display="pauses.charter.yaml")
    return build_model(loaded.document), loaded


def _iso(ts: int, offset: str) -> str:
    if offset == "Z":
        return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    sign = 1 if offset[0] == "+" else -1
    shift = sign * (int(offset[1:3]) * 3600 + int(offset[4:6]) * 60)
    return datetime.fromtimestamp(ts + shift, UTC).strftime("%Y-%m-%dT%H:%M:%S") + offset


# seconds: on a minute mostly (the ITSM exports), any second sometimes, and the edges of the
# business day (08:00 and 18:00 Paris, either side of the change of offset)
_instant = st.one_of(
    st.integers(0, SPAN // 60).map(lambda m: BASE + 60 * m),
    st.integers(0, SPAN).map(lambda s: BASE + s),
    st.sampled_from([int(datetime(2026, 10, d, h, 0, tzinfo=UTC).timestamp())
                     for d in (23, 24, 25, 26, 30, 31) for h in (6, 7, 16, 17)]),
)
_delay = st.one_of(st.integers(0, 3 * 86400), st.integers(0, 48).map(lambda h: 3600 * h),
                   st.just(0))


@st.composite
def _ticket(draw):
    opened = draw(_instant)
    response = opened + draw(_delay)
    resolved = response + draw(_delay)
    return {
        "id": draw(st.sampled_from([f"T{n}" for n in range(60)])),
        "client": draw(st.sampled_from(["legal", "legal", "finance", "nobody"])),
        "priority": draw(st.sampled_from(["P1", "P2", "P3", "P3", "P9"])),
        "opened": opened, "response": draw(st.one_of(st.just(response), st.none())),
        "resolved": draw(st.one_of(st.just(resolved), st.none())),
        "offset": draw(st.sampled_from(OFFSETS)),
        "feature": draw(st.sampled_from(["incident", "weekend", "", "billing"])),
        "channel": draw(st.sampled_from(["email", "phone", ""])),
        "broken": draw(st.sampled_from(["", "", "", "", "", "", "instant", "order", "width",
                                        "empty"])),
    }


def _row(t: dict) -> list[str]:
    def when(ts: int | None) -> str:
        return "" if ts is None else _iso(ts, t["offset"])
    row = [t["id"], t["client"], t["priority"], when(t["opened"]), when(t["response"]),
           when(t["resolved"]), t["feature"], t["channel"]]
    if t["broken"] == "instant":
        row[3] = row[3][:16]           # no offset: U101
    elif t["broken"] == "order" and t["resolved"] is not None:
        row[5] = _iso(t["opened"] - 60, t["offset"])   # resolved before opened: U103
    elif t["broken"] == "width":
        row.append("extra")
    elif t["broken"] == "empty":
        row[1] = ""
    return row


@st.composite
def _change(draw):
    return [draw(st.sampled_from([f"T{n}" for n in range(60)])),
            _iso(draw(_instant), draw(st.sampled_from(OFFSETS))),
            draw(st.sampled_from(STATUSES))]


def _write(folder: Path, tickets: list[dict], changes: list[list[str]]) -> tuple[Path, Path]:
    path, history = folder / "tickets.csv", folder / "history.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "client", "priority", "opened", "first_response", "resolved",
                      "feature", "channel"])
        out.writerows(_row(t) for t in tickets)
    with open(history, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "at", "status"])
        out.writerows(changes)
    return path, history


def _both(tickets: Path, history: Path | None, start: date, end: date):
    model, loaded = charter()
    results = [ENGINES[engine](model, loaded, tickets=tickets, outages=None, start=start, end=end,
                            tickets_display="tickets.csv", history=history,
                            history_display=history and "history.csv")
               for engine in ("rows", "columnar")]
    return results


def _same(rows, columnar) -> None:
    assert columnar.document == rows.document
    assert columnar.diagnostics == rows.diagnostics
    assert columnar.warnings == rows.warnings
    assert (columnar.skipped, columnar.client_skipped) == (rows.skipped, rows.client_skipped)


_periods = st.sampled_from([(date(2026, 10, 1), date(2026, 10, 31)),
                            (date(2026, 10, 20), date(2026, 11, 12)),
                            (date(2026, 11, 1), date(2026, 11, 30))])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ticket(), max_size=40), st.lists(_change(), max_size=60), _periods,
       st.booleans(), st.sampled_from([300, 1 << 21]), st.sampled_from([0, 1 << 26]))
def test_the_columnar_engine_gives_the_figures_of_the_row_engine(tickets, changes, period,
                                                                 with_history, block, whole):
    """`block`: the bytes of CSV a batch holds (300: a few rows a batch); `whole`: the
    longest file read at once (0: every file streamed)."""
    from unittest import mock

    from charterc.report import columnar as engine

    with tempfile.TemporaryDirectory() as tmp, mock.patch.object(engine, "BLOCK_BYTES", block), \
            mock.patch.object(engine, "WHOLE_BYTES", whole):
        path, history = _write(Path(tmp), tickets, changes)
        rows, columnar = _both(path, history if with_history else None, *period)
        _same(rows, columnar)


def _example_ticket(rng, n: int) -> dict:
    opened = BASE + 60 * rng.randrange(SPAN // 60)
    response = opened + 60 * rng.randrange(600)
    resolved = response + 60 * rng.randrange(6000)
    return {"id": f"I{n}", "client": rng.choice(["legal", "finance"]),
            "priority": rng.choice(["P1", "P2", "P3"]), "opened": opened,
            "response": response if rng.random() < 0.95 else None,
            "resolved": resolved if rng.random() < 0.9 else None,
            "offset": rng.choice(OFFSETS), "feature": "incident",
            "channel": "email", "broken": ""}


def test_many_tickets_in_batches_give_the_same_figures(tmp_path, monkeypatch):
    """Several batches (a small batch size), tickets across DST and the holidays."""
    from charterc.report import columnar as engine

    monkeypatch.setattr(engine, "BATCH_ROWS", 97)
    monkeypatch.setattr(engine, "BLOCK_BYTES", 4096)
    rng = __import__("random").Random(7)
    tickets, changes = [], []
    for n in range(3000):
        tickets.append(_example_ticket(rng, n))
        at = tickets[-1]["opened"] + 60 * rng.randrange(600)
        for status in ("In Progress", "Awaiting Customer", "In Progress")[:rng.randrange(4)]:
            changes.append([f"I{n}", _iso(at, "+00:00"), status])
            at += 60 * rng.randrange(3000)
    tickets.append(dict(tickets[5], broken=""))   # a duplicate id: U104
    path, history = _write(tmp_path, tickets, changes)
    for period in ((date(2026, 10, 1), date(2026, 10, 31)), (date(2026, 11, 1),
                                                             date(2026, 11, 30))):
        rows, columnar = _both(path, history, *period)
        assert rows.document is not None and rows.document["clients"]["legal"]["breaches"]
        _same(rows, columnar)


@pytest.mark.parametrize("case", ["bad-row-then-copy", "copy-then-bad-row", "copy-only",
                                  "odd-id-then-copy"])
def test_an_optimistic_read_that_meets_a_row_it_does_not_take_reads_carefully(
        tmp_path, monkeypatch, case):
    """Many batches: good rows first, then a row for the row reader (a bad instant, or an
    id with a space) and a copy of an id of the first batch, in either order; the figures,
    the U104 and the skipped rows are the row engine's."""
    from charterc.report import columnar as engine

    monkeypatch.setattr(engine, "BLOCK_BYTES", 4096)
    monkeypatch.setattr(engine, "WHOLE_BYTES", 0)
    rng = __import__("random").Random(11)
    def at(ticket: dict, opened: int) -> dict:   # the ticket moved to open then
        shift = opened - ticket["opened"]
        return {**ticket, **{k: ticket[k] + shift for k in ("opened", "response", "resolved")
                             if ticket[k] is not None}}
    tickets = [at(_example_ticket(rng, n), BASE + 86400 * 40 + 60 * n) for n in range(1500)]
    copy = dict(tickets[3], broken="")
    odd = dict(at(_example_ticket(rng, 9000), BASE + 86400 * 40), id="I 9000")
    bad = dict(at(_example_ticket(rng, 9001), BASE + 86400 * 40), broken="instant")
    extra = {"bad-row-then-copy": [bad, copy], "copy-then-bad-row": [copy, bad],
             "copy-only": [copy], "odd-id-then-copy": [odd, copy]}[case]
    tickets[900:900] = extra
    path, _ = _write(tmp_path, tickets, [])
    period = (date.fromtimestamp(BASE + 86400 * 40), date.fromtimestamp(BASE + 86400 * 41))
    rows, columnar = _both(path, None, *period)
    assert [d.rule for d in rows.diagnostics].count("U104") == 1
    _same(rows, columnar)


def _parquet(path: Path) -> Path:
    """The CSV as Parquet, every column text (as the export tools write it)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    names = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    table = pcsv.read_csv(path, convert_options=pcsv.ConvertOptions(
        column_types={n: pa.string() for n in names}, strings_can_be_null=False))
    out = path.with_suffix(".parquet")
    pq.write_table(table, out, row_group_size=500)
    return out


def test_parquet_exports_give_the_figures_and_lines_of_the_csv(tmp_path, monkeypatch):
    """Tickets and history as Parquet: the documents and diagnostics of the CSVs (a row's
    line is its number plus one, as in a CSV with a header line), on both engines."""
    from charterc.report import columnar as engine

    monkeypatch.setattr(engine, "BATCH_ROWS", 211)
    rng = __import__("random").Random(3)
    tickets = [dict(_example_ticket(rng, n), broken=rng.choice(["", "", "", "instant", "order"]))
               for n in range(800)]
    tickets.append(dict(tickets[7], broken=""))
    changes = [[f"I{n}", _iso(BASE + 60 * rng.randrange(SPAN // 60), "+01:00"),
                rng.choice(STATUSES)] for n in rng.choices(range(800), k=900)]
    changes.append(["I3", "yesterday", "Awaiting Customer"])
    path, history = _write(tmp_path, tickets, changes)
    model, loaded = charter()
    november = (date(2026, 11, 1), date(2026, 11, 30))
    want = ENGINES["rows"](model, loaded, tickets=path, outages=None, start=november[0],
                        end=november[1], tickets_display="t", history=history,
                        history_display="h")
    assert want.diagnostics and want.document is not None
    for engine_name in ("rows", "columnar"):
        got = ENGINES[engine_name](model, loaded, tickets=_parquet(path), outages=None,
                           start=november[0], end=november[1], tickets_display="t",
                           history=_parquet(history), history_display="h")
        _same(want, got)


def test_parquet_timestamps_are_read_to_the_second(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    moment = datetime(2026, 11, 2, 8, 0, 0, 500000, tzinfo=UTC)
    table = pa.table({"id": ["A"], "client": ["legal"], "priority": ["P1"],
                      "opened": pa.array([moment], pa.timestamp("us", "Europe/Paris")),
                      "first_response": pa.array([None], pa.timestamp("us", "UTC")),
                      "resolved": pa.array([moment + timedelta(hours=2)],
                                           pa.timestamp("ms", "UTC"))})
    pq.write_table(table, tmp_path / "t.parquet")
    csv_path = tmp_path / "t.csv"
    csv_path.write_text("id,client,priority,opened,first_response,resolved\n"
                        "A,legal,P1,2026-11-02T08:00:00Z,,2026-11-02T10:00:00Z\n",
                        encoding="utf-8")
    for engine_name in ("rows", "columnar"):
        model, loaded = charter()
        got = ENGINES[engine_name](model, loaded, tickets=tmp_path / "t.parquet", outages=None,
                           start=date(2026, 11, 1), end=date(2026, 11, 30),
                           tickets_display="tickets.csv")
        want = ENGINES["rows"](model, loaded, tickets=csv_path, outages=None,
                            start=date(2026, 11, 1), end=date(2026, 11, 30),
                            tickets_display="tickets.csv")
        _same(want, got)


@pytest.mark.parametrize("collide", [False, True])
def test_a_pause_that_starts_at_the_deadline_moves_nothing(tmp_path, monkeypatch, collide):
    """legal, P1: response 1h on the business clock. Opened Mon 2 Nov 2026 09:00 Paris,
    due 10:00; paused from 10:00 exactly (the deadline) to 13:00, answered 12:00: breached
    on both engines; paused from 09:59: due 13:01, met. `collide`: every id hashes alike,
    so ids are told apart by their bytes only (duplicates, the history's tickets)."""
    if collide:
        import numpy as np

        from charterc.report import columnar
        monkeypatch.setattr(columnar, "_FNV_PRIME", np.uint64(0))
    rows = ("id,client,priority,opened,first_response,resolved\n"
            "A,legal,P1,2026-11-02T09:00:00+01:00,2026-11-02T12:00:00+01:00,\n"
            "B,legal,P1,2026-11-02T09:00:00+01:00,2026-11-02T12:00:00+01:00,\n"
            "A,legal,P2,2026-11-03T09:00:00+01:00,,\n")
    changes = ("id,at,status\nA,2026-11-02T10:00:00+01:00,Awaiting Customer\n"
               "A,2026-11-02T13:00:00+01:00,In Progress\n"
               "B,2026-11-02T09:59:00+01:00,Awaiting Customer\n"
               "B,2026-11-02T13:00:00+01:00,In Progress\n")
    (tmp_path / "t.csv").write_text(rows, encoding="utf-8")
    (tmp_path / "h.csv").write_text(changes, encoding="utf-8")
    both = _both(tmp_path / "t.csv", tmp_path / "h.csv", date(2026, 11, 1), date(2026, 11, 30))
    _same(*both)
    assert [d.rule for d in both[1].diagnostics] == ["U104"]
    breaches = both[1].document["clients"]["legal"]["breaches"]
    assert [(b["id"], b["objective"], b["due"]) for b in breaches
            if b["objective"] == "response"] == [
        ("A", "response", "2026-11-02T10:00:00+01:00")]


@pytest.mark.parametrize("text", [
    'id,client,priority,opened,first_response,resolved\n"A",legal,P1,'
    '2026-11-02T09:00:00+01:00,,\n',                                   # quoted: read by rows
    "id,client,priority,opened,first_response,resolved\n\nA,legal,P1,"
    "2026-11-02T09:00:00+01:00,,\nB,legal,P1,bad,,\n",                  # a blank line
    "id;client;priority;opened;first_response;resolved\r\nA;legal;P1;"
    "2026-11-02T09:00:00+01:00;;\r\nB;legal;P1;2026-11-02T09:00:00;;\r\n",  # ; and CRLF
    "\ufeffid,client,priority,opened,first_response,resolved\nA,legal,P1,"
    "2026-11-02T09:00:00.5+01:00,,\nB,legal,P1,2026-02-30T09:00:00+01:00,,\n",
    "id,client,priority,opened,first_response,resolved\n,,,,,\nA,legal,P1,"
    "2026-11-02T09:00:00+01:00,,\n\n",                                 # empty fields, blank end
    "id,client,priority,opened,first_response,resolved\rA,legal,P1,"
    "2026-11-02T09:00:00+01:00,,\r \rB,legal,P1,x,,\r",              # bare CR, a space line
    "id,client,priority,opened,first_response,resolved,note\nA,legal,P1,"
    '2026-11-02T09:00:00+01:00,,,"a note"\nB,legal,P1,2026-11-02T09:00:00+01:00,,,\n',
    "id,client,priority,opened,first_response,resolved\nA,legal,P1,"
    "2026-11-02T09:00:00+01:00,,\nB, legal ,P1 ,2026-11-02T09:00:00+01:00 ,,\n",  # spaces
    "id,client,priority,opened,first_response,resolved\n" + "L" * 3000 + ",legal,P1,"
    "2026-11-02T09:00:00+01:00,,\n" + "L" * 3000 + ",legal,P2,2026-11-02T09:00:00Z,,\n",
])
def test_irregular_files_give_the_same_diagnostics(tmp_path, text):
    path = tmp_path / "tickets.csv"
    path.write_text(text, encoding="utf-8", newline="")
    rows, columnar = _both(path, None, date(2026, 11, 1), date(2026, 11, 30))
    _same(rows, columnar)
    path.write_bytes(text.encode("utf-8") + b"C,legal,P1,\xff,,\n")   # not UTF-8: U106
    rows, columnar = _both(path, None, date(2026, 11, 1), date(2026, 11, 30))
    _same(rows, columnar)


def test_instants_of_a_zone_are_written_as_isoformat_writes_them():
    """The report's fast instant writer against `datetime.isoformat`, in zones with DST,
    half-hour, quarter-hour and historical (seconds) offsets, before and after 1970."""
    import random
    from zoneinfo import ZoneInfo

    import numpy as np

    from charterc.calendar.zones import local_time
    from charterc.report.document import _Instants, instant, instant_texts

    rng = random.Random(5)
    for name in ("Europe/Paris", "America/St_Johns", "Asia/Kathmandu", "UTC",
                 "Australia/Lord_Howe", "Africa/Monrovia", "America/Sao_Paulo"):
        tz = ZoneInfo(name)
        write = _Instants(tz)
        wide = [rng.randrange(-2_500_000_000, 4_000_000_000) for _ in range(3000)]
        # a few years around now, every DST change among them, as a report's columns are
        near = [rng.randrange(1_700_000_000, 1_900_000_000) for _ in range(3000)]
        changes = [1792890000 + s for s in range(-7200, 7200, 599)]
        # around every offset change of those years (St John's changes at half past)
        near += [t + s for t in local_time(name, 2023, 2030).instants
                 for s in range(-3700, 3700, 433)]
        for ts in wide + near + changes:
            assert write(ts) == instant(ts, tz)
        assert write(None) is None
        # 1960-1971, within 20 years: Monrovia's offset was then -0:44:30
        old = [rng.randrange(-315_619_200, 63_072_000) for _ in range(500)]
        for stamps in (wide, near + changes, changes, old):
            column = np.array([*stamps, -1], dtype=np.int64)
            assert instant_texts(column, tz, -1).to_pylist() == [
                *(instant(ts, tz) for ts in stamps), None], name


@pytest.mark.parametrize("in_history", [True, False])
def test_a_long_ticket_id_and_its_history(tmp_path, in_history):
    """Ids longer than the columns hold (256 bytes) are read by the row reader, and the
    history finds them by their text (or, when it holds none, finds nothing)."""
    long = "X" * 300
    other = long if in_history else "Y"   # the history's paused ticket
    (tmp_path / "t.csv").write_text(
        "id,client,priority,opened,first_response,resolved\n"
        f"{long},legal,P1,2026-11-02T09:00:00+01:00,2026-11-02T12:00:00+01:00,\n"
        "S,legal,P1,2026-11-02T09:00:00+01:00,2026-11-02T12:00:00+01:00,\n", encoding="utf-8")
    (tmp_path / "h.csv").write_text(
        f"id,at,status\n{other},2026-11-02T09:30:00+01:00,Awaiting Customer\n"
        f"{other},2026-11-02T13:00:00+01:00,In Progress\n"
        "S,2026-11-02T09:30:00+01:00,Awaiting Customer\nS,2026-11-02T10:00:00+01:00,Open\n",
        encoding="utf-8")
    rows, columnar = _both(tmp_path / "t.csv", tmp_path / "h.csv", date(2026, 11, 1),
                           date(2026, 11, 30))
    _same(rows, columnar)
    paused = {b["id"]: b["paused_minutes"] for b in columnar.document["clients"]["legal"]
              ["breaches"] if b["objective"] == "response"}
    # the long one met its deadline thanks to its pause, or breached without one
    assert paused == ({"S": 30.0} if in_history else {"S": 30.0, long: 0.0})


_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})")


def _instant_as_python_reads_it(text: str) -> int | None:
    """UTC seconds of a cell the columnar reader reads (`YYYY-MM-DDTHH:MM:SS`, then `Z` or
    `+HH:MM`, as `datetime.fromisoformat` reads it, year 1000 or later); None otherwise."""
    if not _ISO.fullmatch(text):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return int(moment.timestamp()) if moment.year >= 1000 else None


_CELL = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 30),
                 timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5)),
                                            timezone(timedelta(hours=13, minutes=45))]))
    .map(lambda d: d.replace(microsecond=0).isoformat().replace("+00:00", "Z")),
    st.text(st.sampled_from("0123456789-T:Z+ 9"), max_size=26),
    st.builds(lambda y, mo, d, h, mi, s, z: f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{z}",
              st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32), st.integers(0, 25),
              st.integers(0, 61), st.integers(0, 61),
              st.sampled_from(["Z", "+02:00", "-23:59", "+24:00", "+05:60", "z", "+0200", ""])))


@settings(max_examples=300, deadline=None)
@given(st.lists(_CELL, max_size=40))
def test_a_column_of_instants_is_read_as_python_reads_each(cells):
    import pyarrow as pa

    from charterc.report.columnar import _instants
    seconds, read, empty = _instants(pa.array(cells, type=pa.string()))
    for i, cell in enumerate(cells):
        expected = _instant_as_python_reads_it(cell)
        assert bool(empty[i]) == (cell == ""), cell
        if read[i]:  # what it reads, it reads as Python does
            assert expected is not None and int(seconds[i]) == expected, cell
        elif expected is not None:  # what it leaves to the row reader: an offset of 60 min
            assert not _PLAIN_OFFSET.search(cell), cell


def _cells_of_one_form(zulu: bool):
    """Cells an export writes (one form for the column, some empty), and among them at
    times one of the same width that is not an instant the reader reads as it is."""
    offsets = ["Z"] if zulu else ["+02:00", "-05:30", "+13:45", "-00:00", "+23:59"]
    good = st.builds(
        lambda d, z: d.strftime("%Y-%m-%dT%H:%M:%S") + z,
        st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 30)),
        st.sampled_from(offsets))
    near = st.sampled_from(
        ["2026-10-05 09:00:00", "2026-10-05t09:00:00", "0999-10-05T09:00:00",
         "2026-02-29T09:00:00", "2026-10-05T23:59:60", "2026-10-05T24:00:00",
         "2026-13-05T09:00:00", "2026-1a-05T09:00:00"]).flatmap(
        lambda text: st.sampled_from(["Z", "z", "+0200Z"] if zulu
                                     else ["+24:00", "+02:60", "+02-00", "*02:00", "+02:00"])
        .map(lambda z: (text + z)[:20 if zulu else 25].ljust(20 if zulu else 25, "0")))
    return st.lists(st.one_of(good, good, good, st.just(""), near), min_size=1, max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.booleans().flatmap(_cells_of_one_form))
def test_a_column_of_one_form_is_read_as_python_reads_each(cells):
    """Columns of one form take the Arrow cast (`_arrow_instants`); a cell it must not read
    sends the column to the arithmetic, and both read what Python reads."""
    import pyarrow as pa

    from charterc.report.columnar import _instants
    seconds, read, empty = _instants(pa.array(cells, type=pa.string()))
    for i, cell in enumerate(cells):
        expected = _instant_as_python_reads_it(cell)
        assert bool(empty[i]) == (cell == ""), cell
        plain = expected is not None and _PLAIN_OFFSET.search(cell) is not None
        assert bool(read[i]) == plain, cell
        if read[i]:
            assert int(seconds[i]) == expected, cell


def test_the_arrow_cast_reads_only_columns_of_one_plain_form():
    import pyarrow as pa

    from charterc.report.columnar import _arrow_instants, _bytes

    def fast(cells: list[str]) -> list[int] | None:
        column = pa.array(cells, type=pa.string())
        _, _, length = data = _bytes(column)
        got = _arrow_instants(column, *data, (length == 20) | (length == 25), length == 0)
        return None if got is None else got.tolist()
    assert fast(["2026-10-05T09:00:00+02:00", "", "2026-10-05T07:00:00-00:00"]) == \
        [1791183600, 0, 1791183600]
    assert fast(["2026-10-05T07:00:00Z"]) == [1791183600]
    assert fast(["2026-10-05T07:00:00Z", "2026-10-05T09:00:00+02:00"]) is None  # two forms
    assert fast(["2026-10-05 07:00:00Z"]) is None       # Arrow reads it, Python too: the row reader
    assert fast(["2026-02-30T07:00:00Z"]) is None       # Arrow refuses it
    assert fast(["0999-10-05T07:00:00Z"]) is None
    assert fast(["", ""]) is None


# The offsets the columnar reader reads (Python also reads `+00:60` as an hour)
_PLAIN_OFFSET = re.compile(r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])\Z")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 10**7), max_size=400)
       | st.lists(st.integers(0, 10**7), min_size=65, max_size=2000),
       st.lists(st.fractions(0, 1), min_size=1, max_size=3))
def test_the_ranks_a_quantile_reads_are_those_of_the_sorted_values(values, quantiles):
    """Turnaround quantiles read a partition of the engine's array('q'), not a sort."""
    from array import array

    from charterc.report.document import _ranked
    from charterc.report.measure import quantile

    ranked = _ranked(array("q", values), quantiles)
    for q in quantiles:
        assert quantile(ranked, q) == quantile(sorted(values), q)
