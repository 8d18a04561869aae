"""The documents list the first --max-listed breaches and pending tickets of each client;
every one is in clients/<client>.events.csv beside them (report/events.py)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from charterc.cli import main
from charterc.loaders import load_path
from charterc.model.charter import build_model
from charterc.report import build_report, month_period, write_reports
from charterc.report.events import COLUMNS

ROOT = Path(__file__).parent.parent
CHARTER = ROOT / "charters/it-service-desk.charter.yaml"
USAGE = ROOT / "examples/usage"


def _report(limit: int | None, history: bool = True):
    loaded = load_path(CHARTER)
    charter = build_model(loaded.document)
    span = month_period("2027-03", charter.provider.timezone)
    return build_report(charter, loaded, tickets=USAGE / "it-service-desk.tickets.csv",
                        outages=None, start=span.first, end=span.last,
                        history=USAGE / "it-service-desk.history.csv" if history else None,
                        max_listed=limit)


def _rows(entry: dict, kind: str) -> list[list[str]]:
    """A JSON listing as the CSV writes it."""
    return [[kind, e["id"], e["priority"], e["objective"], e["opened"], e["due"] or "",
             (e.get("at") or "") if kind == "breach" else "",
             "" if e.get("paused_minutes") is None else str(e["paused_minutes"])]
            for e in entry["breaches" if kind == "breach" else "pending"]]


def test_a_cut_listing_keeps_the_first_and_the_csv_beside_it_lists_every_one(tmp_path):
    whole, cut = _report(None), _report(2)
    assert whole.document is not None and cut.document is not None
    written = write_reports(cut, tmp_path, ["en"], ["json"])
    period = tmp_path / "it-service-desk" / "2027-03"
    for cid, full in whole.document["clients"].items():
        entry = cut.document["clients"][cid]
        # the figures are the same; only the listings are shorter
        assert {k: v for k, v in entry.items() if k not in ("breaches", "pending", "listing")} \
            == {k: v for k, v in full.items() if k not in ("breaches", "pending")}
        assert entry["breaches"] == full["breaches"][:2]
        assert entry["pending"] == full["pending"][:2]
        assert entry["listing"] == {"limit": 2, "breaches": len(full["breaches"]),
                                    "pending": len(full["pending"]),
                                    "file": f"clients/{cid}.events.csv"}
        text = (period / entry["listing"]["file"]).read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == list(COLUMNS)
        assert rows[1:] == _rows(full, "breach") + _rows(full, "pending")
        # the client's own document says the same
        own = json.loads((period / "clients" / f"{cid}.json").read_text(encoding="utf-8"))
        assert own["clients"][cid]["listing"] == entry["listing"]
    assert sorted(p.name for p in written if p.suffix == ".csv") == sorted(
        f"{cid}.events.csv" for cid in whole.document["clients"])


def test_paused_minutes_are_in_the_csv_when_clocks_pause(tmp_path):
    """A charter that pauses clocks, with its status history (tests/report/pauses.*)."""
    from datetime import date
    here = ROOT / "tests/report"
    loaded = load_path(here / "pauses.charter.yaml")
    model = build_model(loaded.document)

    def run(limit):
        return build_report(model, loaded, tickets=here / "pauses-tickets.csv", outages=None,
                            start=date(2026, 11, 1), end=date(2026, 11, 30),
                            history=here / "pauses-history.csv", max_listed=limit)

    whole, cut = run(None), run(0)
    assert whole.document is not None and cut.document is not None
    write_reports(cut, tmp_path, ["en"], ["json"])
    paused = [e for c in whole.document["clients"].values() for e in c["breaches"]
              if e.get("paused_minutes")]
    assert paused, "the fixture has breaches whose clocks paused"
    for cid, full in whole.document["clients"].items():
        if not full["breaches"] and not full["pending"]:
            assert "listing" not in cut.document["clients"][cid]
            continue
        file = tmp_path / cut.document["charter"]["id"] / cut.document["period"]["label"] / \
            cut.document["clients"][cid]["listing"]["file"]
        rows = list(csv.reader(io.StringIO(file.read_text(encoding="utf-8"))))
        assert rows[1:] == _rows(full, "breach") + _rows(full, "pending")


def test_nothing_is_cut_under_the_limit_and_no_csv_is_written(tmp_path):
    result = _report(10_000)
    assert result.document is not None
    written = write_reports(result, tmp_path, ["en"], ["json"])
    assert not [p for p in written if p.suffix == ".csv"]
    assert all("listing" not in e for e in result.document["clients"].values())
    assert result.document == _report(None).document


def test_the_documents_say_how_many_there_are_and_where_in_each_language(tmp_path):
    out = tmp_path / "out"
    done = CliRunner().invoke(main, [
        "report", str(CHARTER), "--tickets", str(USAGE / "it-service-desk.tickets.csv"),
        "--period", "2027-03", "-o", str(out), "--lang", "en,fr", "--format", "md,html,json",
        "--max-listed", "3"])
    assert done.exit_code == 0, done.output
    folder = out / "it-service-desk" / "2027-03"
    entry = json.loads((folder / "provider.json").read_text(encoding="utf-8"))["clients"][
        "finance"]
    listing = entry["listing"]
    assert len(entry["breaches"]) == 3
    english = (folder / "clients" / "finance.en.md").read_text(encoding="utf-8")
    assert (f"The documents list the first 3 breaches and the first 3 pending tickets, the "
            f"earliest opened first: there are {listing['breaches']} breaches and "
            f"{listing['pending']} pending tickets, every one listed in "
            "clients/finance.events.csv.") in english
    french = (folder / "clients" / "finance.fr.html").read_text(encoding="utf-8")
    assert "Les documents listent les 3 premiers manquements" in french
    assert "clients/finance.events.csv" in (folder / "provider.en.html").read_text("utf-8")


def test_max_listed_zero_lists_every_one(tmp_path):
    out = tmp_path / "out"
    done = CliRunner().invoke(main, [
        "report", str(CHARTER), "--tickets", str(USAGE / "it-service-desk.tickets.csv"),
        "--period", "2027-03", "-o", str(out), "--format", "json", "--max-listed", "0"])
    assert done.exit_code == 0, done.output
    assert not list(out.rglob("*.csv"))
    document = json.loads((out / "it-service-desk/2027-03/provider.json").read_text("utf-8"))
    assert document == json.loads(json.dumps(_report(None, history=False).document))
    bad = CliRunner().invoke(main, [
        "report", str(CHARTER), "--tickets", str(USAGE / "it-service-desk.tickets.csv"),
        "--period", "2027-03", "-o", str(out), "--max-listed", "-1"])
    assert bad.exit_code == 2 and "--max-listed" in bad.output


def test_the_csv_cells_read_back_as_written_and_are_quoted_as_the_csv_module_quotes():
    from hypothesis import given
    from hypothesis import strategies as st

    from charterc.report.events import _cells

    @given(st.lists(st.one_of(st.none(), st.text(st.sampled_from('ab,"\r\n é')))))
    def same(values):
        cells = _cells(values)
        text = "".join(f"{c},x\n" for c in cells)
        assert [row[0] for row in csv.reader(io.StringIO(text, newline=""))] == \
            ["" if v is None else v for v in values]
        # the csv module quotes as much when its line end holds both \r and \n
        written = io.StringIO()
        csv.writer(written, lineterminator="\r\n").writerows([[v, "x"] for v in values])
        assert "".join(f"{c},x\r\n" for c in cells) == written.getvalue()

    same()


def test_an_id_a_spreadsheet_would_run_as_a_formula_is_written_inert(tmp_path):
    """OWASP's CSV injection: a cell starting with = + - @ is written after a quote mark."""
    from datetime import date
    here = ROOT / "tests/report"
    lines = (here / "tickets.csv").read_text(encoding="utf-8").splitlines()
    hostile = ['=HYPERLINK("http://x.example","y")', "@SUM(A1)", "-1+1", "+1"]
    rows = [lines[0]] + [
        (f'"{hostile[n].replace(chr(34), chr(34) * 2)}"' if n < len(hostile) else
         line.split(",", 1)[0]) + "," + line.split(",", 1)[1]
        for n, line in enumerate(lines[1:])]
    tickets = tmp_path / "tickets.csv"
    tickets.write_text("\n".join(rows) + "\n", encoding="utf-8")
    loaded = load_path(here / "desk.charter.yaml")
    result = build_report(build_model(loaded.document), loaded, tickets=tickets, outages=None,
                          start=date(2026, 10, 1), end=date(2026, 10, 31), max_listed=0)
    assert result.document is not None
    write_reports(result, tmp_path / "out", ["en"], ["json"])
    written = {row[1] for file in (tmp_path / "out").rglob("*.events.csv")
               for row in csv.reader(io.StringIO(file.read_text(encoding="utf-8")))}
    listed = {e["id"] for c in result.document["clients"].values()
              for e in (*c["breaches"], *c["pending"])}
    full = _report_ids(result)
    assert full & set(hostile), "the fixture lists some of the hostile ids"
    for value in full & set(hostile):
        assert "'" + value in written and value not in written
    assert not listed   # --max-listed 0 at the API: the documents list none


def _report_ids(result) -> set[str]:
    measured = result.measured
    return {row[1] for usage in measured.measure.usage.values()
            for row in (*usage.breaches, *usage.pending)}


def test_a_later_run_that_lists_every_one_removes_the_earlier_csv(tmp_path):
    write_reports(_report(2, history=False), tmp_path, ["en"], ["json"])
    events = tmp_path / "it-service-desk/2027-03/clients/finance.events.csv"
    assert events.is_file()
    written = write_reports(_report(None, history=False), tmp_path, ["en"], ["json"])
    assert not events.exists() and events not in written
    assert (tmp_path / "it-service-desk/2027-03/clients/finance.json").is_file()
