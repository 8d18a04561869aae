"""`charterc statement` (spec section 12): one client across charters, its charges, claims
and their deadlines, totals per currency, and the calendar (parsed with icalendar).

The usage files in tests/statement/ are hand-written for the second quarter of 2027: a
three-hour unplanned outage for Germany GmbH on 9 June in the finance-and-accounting
charter (99.58% against the Global tier's 99.8%: a 5% credit band), tickets for Germany
GmbH and another client in each charter (so that the statement can be seen to leave the
other client out). `uk-payroll.charter.yaml` is a charter in GBP with a client `germany`.
"""
from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from charterc.cli import main

ROOT = Path(__file__).parent.parent
CHARTERS = ROOT / "charters"
DATA = ROOT / "tests" / "statement"
FA, HR = "finance-accounting", "hr-legal"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def statement(tmp_path: Path, *args: str, period: str | None = "2027-Q2",
              client: str = "germany", formats: str = "json",
              charters: tuple[str, ...] = (str(CHARTERS),)):
    chosen = ["--period", period] if period else []
    return run("statement", client, *charters, *chosen, "-o", str(tmp_path),
               "--format", formats, "--today", "2027-07-15", *args)


def load(tmp_path: Path, period: str = "2027-Q2", client: str = "germany") -> dict:
    return json.loads((tmp_path / client / period / "statement.json").read_text())


def with_usage() -> list[str]:
    return ["--tickets", f"{FA}={DATA / 'finance-accounting.tickets.csv'}",
            "--tickets", f"{HR}={DATA / 'hr-legal.tickets.csv'}",
            "--outages", f"{FA}={DATA / 'finance-accounting.outages.csv'}"]


@pytest.fixture(scope="module")
def agreements(tmp_path_factory) -> dict[str, dict[str, Decimal]]:
    """The yearly charges Germany GmbH's two agreements print, by the year of their rows."""
    out = tmp_path_factory.mktemp("dist")
    result = run("build", str(CHARTERS), "-o", str(out), "--today", "2027-01-15",
                 "--format", "md")
    assert result.exit_code == 0, result.output
    figures: dict[str, dict[str, Decimal]] = {}
    for charter in (FA, HR):
        text = (out / charter / "agreements" / "germany.en.md").read_text()
        rows = re.findall(r"^\| (20\d\d) \|.*\| €([\d,]+\.\d\d) \|$", text, re.MULTILINE)
        figures[charter] = {year: Decimal(amount.replace(",", "")) for year, amount in rows}
    return figures


def cents(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


# -- a client in two charters: charges equal the agreements' figures ------------------------

def test_statement_lists_both_services_with_the_agreements_charges(tmp_path, agreements):
    result = statement(tmp_path, formats="md,json")
    assert result.exit_code == 0, result.output
    document = load(tmp_path)
    services = {s["charter"]["id"]: s for s in document["services"]}
    assert set(services) == {FA, HR}
    # 2027-Q2 is three months of the FA agreement's 2027 row, and of the HR agreement's
    # first year (its 2026 row: 1 July 2026 to 30 June 2027)
    fa = agreements[FA]["2027"] * 3 / 12
    hr = agreements[HR]["2026"] * 3 / 12
    assert cents(services[FA]["projected"]["charge"]) == cents(fa)
    assert cents(services[HR]["projected"]["charge"]) == cents(hr)
    assert cents(document["totals"]["projected"]) == cents(fa) + cents(hr)
    text = (tmp_path / "germany" / "2027-Q2" / "statement.en.md").read_text()
    assert "Finance and Accounting Shared Services" in text and "Group Legal Services" in text
    assert "€207,800.00" in text


def test_a_projection_year_is_the_agreements_year_to_the_cent(tmp_path, agreements):
    result = statement(tmp_path, period="2027")
    assert result.exit_code == 0, result.output
    services = {s["charter"]["id"]: s for s in load(tmp_path, "2027")["services"]}
    # the FA term's first year is the calendar year 2027: its row exactly
    assert cents(services[FA]["projected"]["charge"]) == agreements[FA]["2027"]
    # HR's years run from July: its year 2027 (its row 2027) is 1 July 2027 - 30 June 2028
    assert cents(services[HR]["projected"]["charge"]) == agreements[HR]["2027"]
    assert services[HR]["period"] == {"from": "2027-07-01", "to": "2028-06-30"}
    assert cents(load(tmp_path, "2027")["totals"]["projected"]) == \
        agreements[FA]["2027"] + agreements[HR]["2027"]


def test_a_calendar_span_takes_twelfths_of_each_agreement_year(tmp_path, agreements):
    result = statement(tmp_path, "--from", "2027-01-01", "--to", "2027-12-31", period=None)
    assert result.exit_code == 0, result.output
    document = json.loads(next(tmp_path.rglob("statement.json")).read_text())
    services = {s["charter"]["id"]: s for s in document["services"]}
    # HR's years run from July: half of each of its 2026 and 2027 rows, rounded once
    expected = cents(agreements[HR]["2026"] / 2 + agreements[HR]["2027"] / 2)
    assert cents(services[HR]["projected"]["charge"]) == expected


def test_the_statement_shows_only_that_clients_figures(tmp_path):
    result = statement(tmp_path, *with_usage(), formats="md,html,json")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "germany" / "2027-Q2"
    for name in ("statement.en.md", "statement.en.html", "statement.json"):
        text = (folder / name).read_text()
        for other in ("Group Headquarters", "headquarters", "France SAS", "France Retail",
                      "Benelux", "United Kingdom Ltd"):
            assert other not in text, (name, other)


def test_a_client_found_by_its_name(tmp_path):
    result = statement(tmp_path, client="  germany   GMBH ")
    assert result.exit_code == 0, result.output
    document = json.loads(next(tmp_path.rglob("statement.json")).read_text())
    assert [s["charter"]["id"] for s in document["services"]] == [FA]


# -- claims and the calendar ---------------------------------------------------------------

def test_a_breach_that_earns_a_credit_is_a_claim_with_its_lapse_date(tmp_path):
    result = statement(tmp_path, *with_usage(), formats="md,json,ics")
    assert result.exit_code == 0, result.output
    document = load(tmp_path)
    [claim] = document["claims"]
    assert claim["charter"] == FA
    assert claim["window"] == {"from": "2027-06-01", "to": "2027-06-30"}
    # window end + terms.credits.claim_within (45d in the FA charter)
    assert claim["lapses"] == "2027-08-14"
    assert claim["claim_to"] == "fa-shared-services@example.com"   # metadata.owner
    assert claim["open"] is True
    fa = next(s for s in document["services"] if s["charter"]["id"] == FA)
    june = fa["measured"]["windows"][-1]
    assert june["credit_percent"] == 5.0
    # the credit is the band's percent of the window's charge, as the report computes it
    assert cents(claim["credit"]) == cents(Decimal(str(june["charge"])) * 5 / 100)
    assert claim["credit"] > 0
    assert cents(document["totals"]["credits"]) == cents(claim["credit"])
    text = (tmp_path / "germany" / "2027-Q2" / "statement.en.md").read_text()
    assert "August 14, 2027" in text and "fa-shared-services@example.com" in text
    assert "€252.00" in text


def test_the_ics_holds_the_claim_deadline_as_an_event(tmp_path):
    icalendar = pytest.importorskip("icalendar")
    assert statement(tmp_path, *with_usage(), formats="ics,json").exit_code == 0
    data = (tmp_path / "germany" / "2027-Q2" / "statement.ics").read_bytes()
    calendar = icalendar.Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    claims = [e for e in events if "claim" in str(e.get("summary")).lower()]
    assert len(claims) == 1
    assert claims[0].decoded("dtstart") == date(2027, 8, 14)
    assert "fa-shared-services@example.com" in str(claims[0].get("description"))
    starts = {(str(e.get("summary")).split(":")[0], e.decoded("dtstart")) for e in events}
    # the next reviews (baseline.reviewed + every) and the notice dates (termination_notice
    # before the end of the term)
    assert ("Charter review due", date(2027, 10, 15)) in starts
    assert ("Last day to give termination notice", date(2029, 7, 1)) in starts
    assert all(e.decoded("dtstamp").date() == date(2027, 7, 15) for e in events)
    assert len({str(e.get("uid")) for e in events}) == len(events)


def test_the_ics_bytes_are_reproducible(tmp_path):
    pytest.importorskip("icalendar")
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        assert statement(folder, *with_usage(), formats="ics").exit_code == 0
    name = Path("germany", "2027-Q2", "statement.ics")
    assert (first / name).read_bytes() == (second / name).read_bytes()


def test_a_claim_past_its_lapse_date_is_marked_lapsed(tmp_path):
    result = run("statement", "germany", str(CHARTERS), "--period", "2027-Q2", "-o",
                 str(tmp_path), "--format", "json", "--today", "2027-09-01", *with_usage())
    assert result.exit_code == 0, result.output
    [claim] = load(tmp_path)["claims"]
    assert claim["open"] is False
    assert load(tmp_path)["totals"]["claims_open"] == 0


def test_a_file_with_a_charter_column_is_split_by_it(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    assert statement(one, *with_usage()).exit_code == 0
    combined = ["--tickets", str(DATA / "usage.tickets.csv"),
                "--outages", f"{FA}={DATA / 'finance-accounting.outages.csv'}"]
    assert statement(two, *combined).exit_code == 0
    assert load(one)["services"] == load(two)["services"]


def test_a_file_without_charter_column_needs_its_charter_named(tmp_path):
    unnamed = tmp_path / "legal-tickets.csv"
    unnamed.write_bytes((DATA / "hr-legal.tickets.csv").read_bytes())
    result = statement(tmp_path / "out", "--tickets", str(unnamed))
    assert result.exit_code == 2
    assert "legal-tickets.csv" in result.output and "CHARTER_ID=" in result.output


def test_a_file_named_after_its_charter_measures_it(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    assert statement(one, *with_usage()).exit_code == 0
    named = ["--tickets", str(DATA / "finance-accounting.tickets.csv"),
             "--tickets", str(DATA / "hr-legal.tickets.csv"),
             "--outages", str(DATA / "finance-accounting.outages.csv")]
    assert statement(two, *named).exit_code == 0
    assert load(one)["services"] == load(two)["services"]


# -- unknown clients and other currencies ---------------------------------------------------

def test_a_client_in_no_charter_is_a_usage_error_listing_the_known_clients(tmp_path):
    result = statement(tmp_path, client="atlantis")
    assert result.exit_code == 2
    assert "'atlantis' is in none of the charters" in result.output
    for known in ("headquarters (Group Headquarters)", "france-retail", "benelux", "finance"):
        assert known in result.output
    assert not any(tmp_path.iterdir())


def test_a_charter_in_another_currency_is_listed_apart(tmp_path):
    result = statement(tmp_path, formats="md,json",
                       charters=(str(CHARTERS), str(DATA / "uk-payroll.charter.yaml")))
    assert result.exit_code == 0, result.output
    document = load(tmp_path)
    assert document["currency"] == "EUR"
    assert document["totals"]["charters"] == [FA, HR]
    [apart] = document["apart"]
    assert apart["currency"] == "GBP" and apart["charters"] == ["uk-payroll"]
    # never converted: the EUR total is the two euro services'
    assert cents(document["totals"]["projected"]) == cents(Decimal("207800"))
    text = (tmp_path / "germany" / "2027-Q2" / "statement.en.md").read_text()
    assert "Listed apart, in another currency (not converted)" in text
    assert "£7,300.00" in text


# -- formats and languages --------------------------------------------------------------------

def test_french_statement_has_every_wording_translated(tmp_path):
    from charterc.render.filters import Language
    from charterc.render.statement import statement_view
    result = statement(tmp_path, *with_usage(), formats="md,json")
    assert result.exit_code == 0
    document = load(tmp_path)
    from charterc.render.statement import _documents
    documents = _documents()
    language = documents.language("fr")
    assert isinstance(language, Language)
    text = documents.render("md", "fr", "statement", statement_view(document, language))
    assert "Réclamations ouvertes" in text and "14 août 2027" in text
    assert not language.missing


def test_pdf_statement(tmp_path):
    pytest.importorskip("weasyprint")
    from charterc.render.pdf import PdfProblem, available
    try:
        available()
    except PdfProblem:
        pytest.skip("WeasyPrint's system libraries are missing")
    result = statement(tmp_path, "--lang", "en,fr", formats="pdf")
    assert result.exit_code == 0, result.output
    for lang in ("en", "fr"):
        data = (tmp_path / "germany" / "2027-Q2" / f"statement.{lang}.pdf").read_bytes()
        assert data.startswith(b"%PDF")


def test_an_unknown_format_is_a_usage_error(tmp_path):
    result = statement(tmp_path, formats="docx")
    assert result.exit_code == 2
    assert "unknown format 'docx'" in result.output


def test_a_bad_period_is_a_usage_error(tmp_path):
    result = statement(tmp_path, period="2027-Q5")
    assert result.exit_code == 2
    assert "not a period" in result.output


def test_ics_without_icalendar_names_the_extra(tmp_path, monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "icalendar", None)
    result = statement(tmp_path, formats="ics")
    assert result.exit_code == 2
    assert "charterc[statement]" in result.output
    assert not any(tmp_path.iterdir())


def test_a_window_of_a_longer_period_has_the_figures_of_its_own_statement(tmp_path):
    """The June window of the quarter (credits are owed per availability window) has the
    figures of a statement for June alone."""
    quarter, june = tmp_path / "q", tmp_path / "m"
    assert statement(quarter, *with_usage()).exit_code == 0
    assert statement(june, *with_usage(), period="2027-06").exit_code == 0

    def fa(folder: Path, period: str) -> dict:
        document = load(folder, period)
        return next(s for s in document["services"] if s["charter"]["id"] == FA)

    from_quarter = fa(quarter, "2027-Q2")["measured"]["windows"][-1]
    [alone] = fa(june, "2027-06")["measured"]["windows"]
    assert from_quarter == alone
    # share charging: a window's charge counts no units, its window is measured without
    # the tickets; the same figures again (May: a day's outage, and no credit band)
    may = tmp_path / "may"
    extra = ["--outages", f"{HR}={DATA / 'hr-legal.outages.csv'}"]
    assert statement(quarter, *with_usage(), *extra).exit_code == 0
    assert statement(may, *with_usage(), *extra, period="2027-05").exit_code == 0

    def hr(folder: Path, period: str) -> list[dict]:
        document = load(folder, period)
        service = next(s for s in document["services"] if s["charter"]["id"] == HR)
        return service["measured"]["windows"]

    assert hr(quarter, "2027-Q2")[1] == hr(may, "2027-05")[0]
    assert hr(may, "2027-05")[0]["percent"] < 99.0 and hr(may, "2027-05")[0]["credit"] == 0
    assert load(quarter)["claims"][0]["credit"] == load(june, "2027-06")["claims"][0]["credit"]


def test_usage_of_a_charter_that_does_not_serve_the_client_is_left_out(tmp_path):
    # Group Finance is a client of the IT service desk only
    result = statement(tmp_path, "--tickets", f"{HR}={DATA / 'hr-legal.tickets.csv'}",
                       client="Group Finance")
    assert result.exit_code == 0, result.output
    assert "does not serve 'Group Finance'" in result.output
    document = json.loads(next(tmp_path.rglob("statement.json")).read_text())
    assert [s["charter"]["id"] for s in document["services"]] == ["it-service-desk"]
    assert document["services"][0]["measured"] is None


def test_usage_naming_a_charter_not_given_is_a_usage_error(tmp_path):
    result = statement(tmp_path, "--tickets", f"nowhere={DATA / 'hr-legal.tickets.csv'}")
    assert result.exit_code == 2
    assert "no charter 'nowhere' was given" in result.output


def test_the_documented_run_on_examples_usage(tmp_path):
    """docs/statement.md and the README: Germany GmbH in 2027-Q1 on examples/usage/."""
    usage = ROOT / "examples" / "usage"
    args = []
    for charter in (FA, HR):
        args += ["--tickets", f"{charter}={usage / f'{charter}.tickets.csv'}",
                 "--outages", f"{charter}={usage / f'{charter}.outages.csv'}"]
    result = run("statement", "germany", str(CHARTERS), "--period", "2027-Q1", "--today",
                 "2027-04-15", "-o", str(tmp_path), "--format", "md,json,ics", *args)
    assert result.exit_code == 0, result.output
    document = load(tmp_path, "2027-Q1")
    [claim] = document["claims"]
    assert (claim["charter"], claim["lapses"], claim["credit"]) == (FA, "2027-05-15", 292.4)
    text = (tmp_path / "germany" / "2027-Q1" / "statement.en.md").read_text()
    documented = (ROOT / "docs" / "statement.md").read_text()
    readme = (ROOT / "README.md").read_text()
    for row in ("| EUR | €207,800.00 | €90,048.00 | €292.40 | €292.40 |",
                "| Finance and Accounting Shared Services (finance-accounting 1.2.0) | Group "
                "Finance Shared Services | Global | €135,000.00 | €17,248.00 | €292.40 |"):
        assert row in text and row in documented
    assert "€17,248.00 | €292.40 |" in readme and "15 May 2027" in readme


def test_a_client_found_by_an_alias(tmp_path):
    """France Retail is a client of the finance charter by name, and of the legal one
    (client `france`, France SAS) by an alias."""
    legal = (CHARTERS / "hr-legal.charter.yaml").read_text()
    marked = legal.replace("    name: France SAS\n",
                           "    name: France SAS\n    aliases: [\"France  RETAIL\"]\n")
    assert marked != legal
    folder = tmp_path / "charters"
    folder.mkdir()
    (folder / "hr-legal.charter.yaml").write_text(marked)
    (folder / "finance-accounting.charter.yaml").write_text(
        (CHARTERS / "finance-accounting.charter.yaml").read_text())
    result = statement(tmp_path / "out", client="France Retail", charters=(str(folder),))
    assert result.exit_code == 0, result.output
    document = json.loads(next((tmp_path / "out").rglob("statement.json")).read_text())
    assert [(s["charter"]["id"], s["client"]["id"]) for s in document["services"]] == \
        [(FA, "france-retail"), (HR, "france")]


def test_a_charter_with_errors_stops_the_statement(tmp_path):
    broken = tmp_path / "broken.charter.yaml"
    broken.write_text((CHARTERS / "hr-legal.charter.yaml").read_text()
                      .replace("tier: advisory", "tier: advisroy", 1))
    result = statement(tmp_path / "out", charters=(str(CHARTERS / f"{FA}.charter.yaml"),
                                                   str(broken)))
    assert result.exit_code == 1
    assert "R301" in result.output and "no statement written" in result.output
    assert not (tmp_path / "out").exists()


def test_an_unreadable_usage_file_is_a_finding_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"id,client\n\xff\xfe\x00garbage\n")
    result = statement(tmp_path / "out", "--tickets", f"{FA}={bad}")
    assert result.exit_code in (1, 2)
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
    combined = tmp_path / "combined.csv"
    combined.write_bytes(b"charter,id\n\xff\xfe\n")
    result = statement(tmp_path / "out", "--tickets", str(combined))
    assert result.exit_code == 2 and "cannot be read" in result.output
