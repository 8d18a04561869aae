"""What a report keeps is bounded by the period's tickets (docs/report-inputs.md, "Duplicate
ids"; bench/report_memory.py measures it): duplicate ids (U104) are looked for among the
tickets opened in the period only, and the status history's rows from the period's end on
are not kept. Both engines (the columnar one and the row reader of irregular files) and the
tests' row oracle agree."""
from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import pytest
from oracle.report_rows import build_report_rows

from charterc.loaders import load_path
from charterc.model.charter import build_model
from charterc.report import build_report

ROOT = Path(__file__).parent.parent
CHARTER = ROOT / "tests" / "report" / "desk.charter.yaml"
PAUSES = ROOT / "tests" / "report" / "pauses.charter.yaml"
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
HEAD = "id,client,priority,opened,first_response,resolved\n"


@cache
def charter(path: Path = CHARTER):
    loaded = load_path(path)
    return build_model(loaded.document), loaded


def rows(*lines: str) -> str:
    return HEAD + "".join(line + "\n" for line in lines)


# A: twice in October (outside the period), B: once in October, once in November,
# C: twice in November (the period), D: twice in December (after it)
TICKETS = rows(
    "A,legal,P1,2026-10-05T09:00:00+02:00,2026-10-05T09:30:00+02:00,2026-10-05T12:00:00+02:00",
    "A,legal,P1,2026-10-06T09:00:00+02:00,2026-10-06T09:30:00+02:00,2026-10-06T12:00:00+02:00",
    "B,legal,P2,2026-10-07T09:00:00+02:00,2026-10-07T09:30:00+02:00,2026-10-07T12:00:00+02:00",
    "B,legal,P2,2026-11-03T09:00:00+01:00,2026-11-03T09:30:00+01:00,2026-11-03T12:00:00+01:00",
    "C,finance,P1,2026-11-04T09:00:00+01:00,2026-11-04T09:05:00+01:00,2026-11-04T10:00:00+01:00",
    "C,finance,P1,2026-11-05T09:00:00+01:00,2026-11-05T09:05:00+01:00,2026-11-05T10:00:00+01:00",
    "D,finance,P1,2026-12-04T09:00:00+01:00,,",
    "D,finance,P1,2026-12-05T09:00:00+01:00,,",
)


def _run(path: Path, engine=build_report, charter_path: Path = CHARTER, **options):
    model, loaded = charter(charter_path)
    return engine(model, loaded, tickets=path, outages=None, start=NOVEMBER[0],
                  end=NOVEMBER[1], tickets_display="t.csv", **options)


@pytest.mark.parametrize("quoted", [False, True])
def test_duplicates_are_looked_for_among_the_periods_tickets(tmp_path, quoted):
    """`quoted`: a quote anywhere sends the file to the row reader (`Irregular`)."""
    text = TICKETS.replace("C,finance", '"C",finance', 1) if quoted else TICKETS
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    result = _run(path)
    assert [(d.rule, d.line, d.message) for d in result.diagnostics] == [
        ("U104", 7, "duplicate id C (first on line 6)")]
    document = result.document
    assert document["clients"]["legal"]["tickets"]["total"] == 1     # B, November's
    assert document["clients"]["finance"]["tickets"]["total"] == 1   # C, the first
    assert [t["tickets"] for t in document["clients"]["legal"]["trend"]][-1] == 3  # October
    oracle = _run(path, build_report_rows)
    assert oracle.document == document
    assert [(d.rule, d.line) for d in oracle.diagnostics] == [("U104", 7)]


def test_the_ids_kept_are_the_periods(tmp_path, monkeypatch):
    """The ids remembered for U104 are those of the tickets opened in the period, however
    many rows the file holds around it."""
    from charterc.report import columnar

    kept: list[int] = []
    original, distinct = columnar._Seen.add, columnar._distinct

    def add(self, ids, lines):   # the careful read's
        kept.append(len(ids))
        original(self, ids, lines)

    def checked(window_ids):     # the optimistic read's, checked once
        kept.append(sum(len(ids) for ids in window_ids))
        return distinct(window_ids)

    monkeypatch.setattr(columnar._Seen, "add", add)
    monkeypatch.setattr(columnar, "_distinct", checked)
    lines = [f"T{n},legal,P3,2026-{10 + n % 3:02d}-{1 + n % 28:02d}T10:00:00+01:00,,"
             for n in range(600)]
    path = tmp_path / "t.csv"
    path.write_text(rows(*lines), encoding="utf-8")
    result = _run(path)
    assert result.diagnostics == []
    assert sum(kept) == result.document["clients"]["legal"]["tickets"]["total"] == 200


def test_history_after_the_period_changes_nothing(tmp_path):
    """Status changes from the period's end on are not kept: a pause they would start
    begins after every clock stops, one they end is clipped at the end anyway."""
    tickets = tmp_path / "t.csv"
    tickets.write_text(rows(
        "A,legal,P1,2026-11-30T16:00:00+01:00,,",
        "B,legal,P1,2026-11-30T16:00:00+01:00,2026-11-30T16:30:00+01:00,"), encoding="utf-8")
    short = tmp_path / "h1.csv"
    short.write_text("id,at,status\nA,2026-11-30T16:10:00+01:00,Awaiting Customer\n",
                     encoding="utf-8")
    long = tmp_path / "h2.csv"
    long.write_text("id,at,status\nA,2026-11-30T16:10:00+01:00,Awaiting Customer\n"
                    "A,2026-12-02T10:00:00+01:00,In Progress\n"
                    "B,2026-12-01T00:00:00+01:00,Awaiting Customer\n", encoding="utf-8")
    documents = []
    for history in (short, long):
        result = _run(tickets, charter_path=PAUSES, history=history, history_display="h.csv")
        oracle = _run(tickets, build_report_rows, charter_path=PAUSES, history=history,
                      history_display="h.csv")
        assert result.document == oracle.document
        documents.append(result.document)
    assert documents[0]["clients"] == documents[1]["clients"]
