"""Reports on exports as ServiceNow and Jira write them (spec section 9.2): clients and
features by name or alias, cancelled tickets left out, the same figures as charterc's CSV.

The fixtures in tests/report/exports/ (their source: README.md there) hold the same 31
tickets three times: charterc's own CSV with ids, a ServiceNow incident export with
display values and local times, and a Jira Service Management "all fields" export in UTC.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from charterc.cli import main
from charterc.loaders import load_bytes
from charterc.model.charter import build_model
from charterc.report.names import Ambiguous, Names, client_names, feature_names, fold

HERE = Path(__file__).parent / "report" / "exports"
CHARTER = HERE / "desk.charter.yaml"
OURS = HERE / "tickets.csv"
SERVICENOW = HERE / "servicenow-incident.csv"
JIRA = HERE / "jira-all-fields.csv"


def run(tmp_path: Path, tickets: Path, period: str, *args: str, name: str = "out",
        charter: Path = CHARTER) -> tuple[dict, str]:
    out = tmp_path / name
    result = CliRunner().invoke(main, ["report", str(charter), "--tickets", str(tickets),
                                       "--period", period, "-o", str(out),
                                       "--format", "json", *args])
    assert result.exit_code == 0, result.output
    (folder,) = list((out / "report-desk").iterdir())
    return json.loads((folder / "provider.json").read_text(encoding="utf-8")), result.output


def figures(document: dict, ids: dict[str, str] | None = None) -> dict:
    """The document minus the skipped rows (they name the file), ids renamed by `ids`."""
    copy = dict(document)
    copy.pop("skipped")
    text = json.dumps(copy)
    for theirs, ours in (ids or {}).items():
        text = text.replace(f'"{theirs}"', f'"{ours}"')
    return dict(json.loads(text))


def jira_keys() -> dict[str, str]:
    """Jira's issue keys (SD-1...) -> the ids of the same tickets in charterc's CSV."""
    lines = JIRA.read_text(encoding="utf-8")
    keys = re.findall(r",(SD-\d+),", lines)
    return {key: f"INC00{10000 + int(key[3:])}" for key in keys}


def test_the_fixtures_are_shaped_as_the_tools_write_them():
    raw = SERVICENOW.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                      # a byte-order mark
    assert raw.count(b"\r\n") >= 32                              # CRLF line ends
    assert b'"Reported by the caller.\nSteps' in raw              # a quoted multi-line cell
    assert b'"company"' in raw and b'"Legal Affairs"' in raw      # display values
    assert b'"service_offering"' in raw and b'"Incident management"' in raw
    assert b'"2026-10-01 09:00:00"' in raw                       # local times, no offset
    header = JIRA.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header.count("Labels") == header.count("Watchers") == header.count("Comment") == 2
    text = JIRA.read_text(encoding="utf-8")
    assert "ACME Group Finance SAS" in text and "Report an incident" in text
    assert re.search(r",\d\d/[A-Z][a-z]{2}/\d\d \d{1,2}:\d\d [AP]M,", text)  # dd/MMM/yy h:mm a


@pytest.mark.parametrize("period", ["2026-10", "2026-11"])
def test_servicenow_and_jira_exports_give_the_figures_of_charterc_csv(tmp_path, period):
    ours, printed = run(tmp_path, OURS, period, name="ours")
    assert "skipped" not in printed
    servicenow, printed = run(tmp_path, SERVICENOW, period, "--profile", "servicenow",
                              "--input-timezone", "Europe/Paris", name="servicenow")
    assert "skipped" not in printed and "U108" not in printed
    jira, printed = run(tmp_path, JIRA, period, "--profile", "jira", "--input-timezone", "UTC",
                        name="jira")
    assert "skipped" not in printed and "U108" not in printed
    assert figures(servicenow) == figures(ours)
    assert figures(jira, jira_keys()) == figures(ours)
    assert ours["provider"]["tickets"]["total"] > 10
    # features are counted under the charter's ids, whatever the export called them
    features = ours["clients"]["finance"]["usage"]["features"]
    assert set(features) <= {"incident", "weekend"} and features


def test_cancelled_tickets_are_left_out_and_counted_per_client(tmp_path):
    october, _ = run(tmp_path, OURS, "2026-10", name="oct")
    assert october["clients"]["finance"]["excluded"] == 1   # state Canceled
    assert october["clients"]["legal"]["excluded"] == 0
    assert october["provider"]["excluded"] == 1
    november, _ = run(tmp_path, OURS, "2026-11", name="nov")
    assert november["clients"]["legal"]["excluded"] == 1    # Cancelled, the British spelling
    kept, _ = run(tmp_path, OURS, "2026-10", "--exclude-status", "", name="kept")
    assert "excluded" not in kept["provider"]
    assert kept["provider"]["tickets"]["total"] == october["provider"]["tickets"]["total"] + 1
    assert kept["clients"]["finance"]["volume"]["tickets"] == \
        october["clients"]["finance"]["volume"]["tickets"] + 1
    other, _ = run(tmp_path, OURS, "2026-10", "--exclude-status", " RESOLVED ,in progress",
                   name="other")
    assert other["provider"]["excluded"] > 0
    assert other["provider"]["tickets"]["total"] < kept["provider"]["tickets"]["total"]


def test_the_client_column_takes_ids_names_and_aliases_in_any_case_and_spacing(tmp_path):
    text = OURS.read_text(encoding="utf-8")
    text = text.replace(",finance,", ",  acme GROUP   finance sas ,", 3)
    text = text.replace(",legal,", ",LEGAL AFFAIRS,", 3).replace(",legal,", ",Legal,", 2)
    text = text.replace(",incident,", ",report  an INCIDENT,", 4)
    text = text.replace(",weekend,", ",Weekend Support,", 2)
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(text, encoding="utf-8")
    for period in ("2026-10", "2026-11"):
        ours, _ = run(tmp_path, OURS, period, name=f"ours-{period}")
        theirs, printed = run(tmp_path, mixed, period, name=f"mixed-{period}")
        assert "skipped" not in printed
        assert figures(theirs) == figures(ours)


def test_a_value_that_names_two_clients_is_u102_naming_both(tmp_path):
    charter = tmp_path / "desk.charter.yaml"
    charter.write_text(CHARTER.read_text(encoding="utf-8").replace(
        "aliases: [ACME Group Finance SAS]", "aliases: [ACME Group Finance SAS, Legal Affairs]"),
        encoding="utf-8")
    document, printed = run(tmp_path, OURS, "2026-10", charter=charter)
    # by id the tickets still match: only the ambiguous spelling is refused
    assert "ambiguous" not in printed and document["skipped"]["count"] == 0
    named = tmp_path / "named.csv"
    named.write_text(OURS.read_text(encoding="utf-8").replace(",legal,", ",legal affairs,", 1),
                     encoding="utf-8")
    document, printed = run(tmp_path, named, "2026-10", charter=charter, name="named")
    assert "warning[U102]: client 'legal affairs' is ambiguous: it matches finance " \
           "(Group Finance) and legal (Legal Affairs)" in printed
    assert document["skipped"]["count"] == 1


def test_names_fold_case_and_white_space_and_read_every_language():
    assert fold("  Group\t FINANCE \n") == "group finance"
    names = Names([("finance", ["Group Finance", "GRPFIN"]), ("legal", ["Legal Affairs"])])
    assert names.match("grpfin") == "finance"
    assert names.match("Legal  affairs") == "legal"
    assert names.match("FINANCE") == "finance"
    assert names.match("marketing") is None
    twice = Names([("a", ["Shared"]), ("b", ["shared"])])
    with pytest.raises(Ambiguous) as caught:
        twice.match("SHARED")
    assert caught.value.ids == ("a", "b")
    assert twice.find("shared") is None
    # a feature's name in several languages ({en: ..., fr: ...}) matches in each
    loaded = load_bytes(CHARTER.read_bytes(), "desk.charter.yaml")
    document = json.loads(json.dumps(loaded.document))
    document["features"][0]["name"] = {"en": "Incident management",
                                       "fr": "Gestion des incidents"}
    charter = build_model(document)
    features = feature_names(charter)
    assert features.label("gestion des  incidents") == "incident"
    assert features.label("Incident Management") == "incident"
    assert features.label("Report an incident") == "incident"
    assert features.label("Printing") == "Printing"
    assert client_names(charter).match("acme group finance sas") == "finance"


def test_the_status_column_comes_from_each_profile():
    from charterc.report.profiles import JIRA as JIRA_PROFILE
    from charterc.report.profiles import SERVICENOW as SN_PROFILE
    assert SN_PROFILE.for_tickets().header("status", ["number", "incident_state"]) == \
        "incident_state"
    assert SN_PROFILE.for_tickets().header("status", ["state", "incident_state"]) == "state"
    assert JIRA_PROFILE.for_tickets().header("status", ["Issue key", "Status"]) == "Status"
    # the status history keeps its own names (the state entered)
    assert SN_PROFILE.header("status", ["number", "value"]) == "value"


def test_markdown_and_html_say_how_many_cancelled_tickets_were_left_out(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["report", str(CHARTER), "--tickets", str(OURS),
                                       "--period", "2026-10", "-o", str(out),
                                       "--format", "md,html", "--lang", "en,fr"])
    assert result.exit_code == 0, result.output
    folder = out / "report-desk" / "2026-10"
    assert "| Cancelled tickets left out | 1 |" in \
        (folder / "provider.en.md").read_text(encoding="utf-8")
    assert "| Tickets annulés écartés | 1 |" in \
        (folder / "clients" / "finance.fr.md").read_text(encoding="utf-8")
    assert "| Cancelled tickets left out | 0 |" in \
        (folder / "clients" / "legal.en.md").read_text(encoding="utf-8")
    assert "<dt>Cancelled tickets left out</dt><dd>1</dd>" in \
        (folder / "provider.en.html").read_text(encoding="utf-8")
    plain = tmp_path / "plain"
    result = CliRunner().invoke(main, ["report", str(CHARTER), "--tickets", str(OURS),
                                       "--period", "2026-10", "-o", str(plain),
                                       "--format", "md", "--exclude-status", ""])
    assert "Cancelled tickets" not in \
        (plain / "report-desk" / "2026-10" / "provider.en.md").read_text(encoding="utf-8")


def test_baseline_leaves_cancelled_tickets_out_too(tmp_path):
    def finance_tickets(*args: str) -> int:
        out = tmp_path / str(len(args))
        result = CliRunner().invoke(main, ["baseline", str(CHARTER), "--tickets", str(OURS),
                                           "--from", "2026-10", "--to", "2026-11", "-o",
                                           str(out), "--format", "json", *args])
        assert result.exit_code == 0, result.output
        (folder,) = list((out / "report-desk").iterdir())
        document = json.loads((folder / "baseline.json").read_text(encoding="utf-8"))
        return int(document["clients"]["finance"]["tickets"])
    assert finance_tickets("--exclude-status", "") == finance_tickets() + 1
