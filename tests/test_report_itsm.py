"""`charterc report --itsm-sla`: the ITSM's own SLA verdicts compared ticket by ticket with
charterc's (spec section 9.2, docs/report.md "The ITSM's verdicts").

Fixtures (tests/report/itsm/), on the hand-checked charter tests/report/desk.charter.yaml:

- incident.csv and task_sla.csv: a ServiceNow incident list export and the `task_sla` list
  export of the same tickets (List view > Export > CSV, CRLF line ends; the task_sla
  columns task, sla, stage, has_breached, planned_end_time, business_percentage,
  start_time, end_time and the stages In progress, Cancelled, Paused, Completed are the
  ones ServiceNow documents for the Task SLA table, "Task SLA table", Service Level
  Management reference). Planted: INC0010001's resolution due on a Saturday (the ITSM's
  schedule opens at weekends), INC0010003's resolution on a shorter target, INC0010004's
  resolution two hours off (Paris's UTC offset), a cancelled record of INC0010002 that
  would disagree if it were compared, an SLA named neither response nor resolution, a
  record of a ticket the export lacks, and a pending response (not compared).
- itsm-sla.csv: the generic CSV against tests/report/tickets.csv, November 2026: L11's
  resolution without the 11 November holiday, L13's resolution and F16's response on
  other targets, L12 pending (not compared), and unreadable and unknown rows.
"""
from __future__ import annotations

import json
import os
import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from charterc.cli import main
from charterc.loaders import load_path
from charterc.model.charter import build_model
from charterc.render.report import render_report
from charterc.report import build_report
from charterc.report.profiles import profile

ROOT = Path(__file__).parent.parent
HERE = ROOT / "tests" / "report"
ITSM = HERE / "itsm"
CHARTER = HERE / "desk.charter.yaml"
GOLDEN = ROOT / "tests" / "golden" / "report" / "itsm"
UPDATE = os.environ.get("CHARTERC_UPDATE_GOLDEN") == "1"
OCTOBER, NOVEMBER = (date(2026, 10, 1), date(2026, 10, 31)), (date(2026, 11, 1), date(2026, 11, 30))


@cache
def charter():
    loaded = load_path(CHARTER, display="desk.charter.yaml")
    return build_model(loaded.document), loaded


def servicenow(task_sla: Path = ITSM / "task_sla.csv", **options):
    model, loaded = charter()
    return build_report(model, loaded, tickets=ITSM / "incident.csv", outages=None,
                        start=OCTOBER[0], end=OCTOBER[1], tickets_display="incident.csv",
                        profile=profile("servicenow"), input_timezone="Europe/Paris",
                        itsm_sla=task_sla, itsm_sla_display=task_sla.name, **options)


def generic(**options):
    model, loaded = charter()
    return build_report(model, loaded, tickets=HERE / "tickets.csv", outages=None,
                        start=NOVEMBER[0], end=NOVEMBER[1], tickets_display="tickets.csv",
                        itsm_sla=ITSM / "itsm-sla.csv", itsm_sla_display="itsm-sla.csv",
                        **options)


def brief(entry: dict) -> list[tuple]:
    return [(d["id"], d["objective"], d["charterc"], d["itsm"], d["reason"])
            for d in entry["disagreements"]]


# -- ServiceNow's task_sla export ---------------------------------------------------------

def test_task_sla_agreements_are_counted_per_client_and_for_the_provider():
    document = servicenow().document
    assert document is not None
    legal = document["clients"]["legal"]["itsm_agreement"]
    finance = document["clients"]["finance"]["itsm_agreement"]
    assert list(legal) == ["compared", "agree", "disagreements"]
    assert (legal["compared"], legal["agree"]) == (3, 1)
    assert (finance["compared"], finance["agree"]) == (3, 2)
    provider = document["provider"]["itsm_agreement"]
    assert (provider["compared"], provider["agree"]) == (6, 3)
    assert sorted(brief(provider)) == sorted(brief(legal) + brief(finance))


def test_each_disagreement_lists_both_verdicts_due_times_and_the_likely_reason():
    provider = servicenow().document["provider"]["itsm_agreement"]
    assert provider["disagreements"] == [
        {"id": "INC0010001", "objective": "resolution", "charterc": "met", "itsm": "breached",
         "charterc_due": "2026-10-05T18:00:00+02:00", "itsm_due": "2026-10-03T09:00:00+02:00",
         "reason": "weekend"},
        {"id": "INC0010003", "objective": "resolution", "charterc": "met", "itsm": "breached",
         "charterc_due": "2026-10-16T18:00:00+02:00", "itsm_due": "2026-10-13T18:00:00+02:00",
         "reason": "target"},
        {"id": "INC0010004", "objective": "resolution", "charterc": "breached", "itsm": "met",
         "charterc_due": "2026-10-20T17:00:00+02:00", "itsm_due": "2026-10-20T19:00:00+02:00",
         "reason": "timezone"},
    ]


def test_a_cancelled_stage_is_left_out(tmp_path):
    """INC0010002's cancelled resolution record says not breached; charterc and the active
    record say breached. Left out, they agree; read as completed, it is compared first
    (the later record is then a second one, U109) and disagrees."""
    provider = servicenow().document["provider"]["itsm_agreement"]
    assert "INC0010002" not in {d["id"] for d in provider["disagreements"]}
    text = (ITSM / "task_sla.csv").read_text(encoding="utf-8")
    assert ",Cancelled," in text
    changed = tmp_path / "task_sla.csv"
    changed.write_text(text.replace(",Cancelled,", ",Completed,"), encoding="utf-8")
    result = servicenow(changed)
    assert ("INC0010002", "resolution", "breached", "met", "event") in brief(
        result.document["provider"]["itsm_agreement"])
    assert any(d.rule == "U109" and "a second resolution SLA record for ticket INC0010002"
               in d.message for d in result.diagnostics)


def test_canceled_in_either_spelling_and_any_case_is_left_out(tmp_path):
    text = (ITSM / "task_sla.csv").read_text(encoding="utf-8")
    changed = tmp_path / "task_sla.csv"
    changed.write_text(text.replace(",Cancelled,", ",CANCELED,"), encoding="utf-8")
    assert brief(servicenow(changed).document["provider"]["itsm_agreement"]) == brief(
        servicenow().document["provider"]["itsm_agreement"])


def test_records_that_cannot_be_compared_are_u109_at_their_line():
    result = servicenow()
    found = [(d.file, d.line, d.column, d.rule) for d in result.diagnostics]
    assert found == [("task_sla.csv", 9, 2, "U109"), ("task_sla.csv", 11, 1, "U109")]
    assert "'Priority 2 first touch' of ticket INC0010004 says neither" in \
        result.diagnostics[0].message
    assert "INC0099999" in result.diagnostics[1].message
    assert result.skipped == 2
    assert result.document["skipped"]["count"] == 2


def test_a_pending_objective_is_not_compared():
    """INC0010005's response is due on 2 November: pending at October's end."""
    document = servicenow().document
    pending = [(p["id"], p["objective"]) for p in document["clients"]["legal"]["pending"]]
    assert ("INC0010005", "response") in pending
    assert "INC0010005" not in {d["id"] for d in
                                document["provider"]["itsm_agreement"]["disagreements"]}


# -- the generic CSV ----------------------------------------------------------------------

def test_generic_csv_holiday_and_target_mismatches():
    result = generic()
    provider = result.document["provider"]["itsm_agreement"]
    assert (provider["compared"], provider["agree"]) == (7, 4)
    assert brief(provider) == [
        ("L13", "resolution", "met", "breached", "target"),
        ("L11", "resolution", "met", "breached", "holiday"),
        ("F16", "response", "met", "breached", "target"),
    ]
    f16 = provider["disagreements"][2]
    assert (f16["charterc_due"], f16["itsm_due"]) == ("2026-11-21T08:15:00+01:00",
                                                     "2026-11-21T08:05:00+01:00")


def test_generic_csv_bad_rows_are_u101_and_u109():
    result = generic()
    found = sorted((d.line, d.column, d.rule) for d in result.diagnostics)
    assert found == [(10, 2, "U109"), (11, 3, "U101"), (12, 1, "U109"), (13, 1, "U109")]
    messages = {d.line: d.message for d in result.diagnostics}
    assert messages[11] == "breached: 'maybe' is not true or false"
    assert "ticket X99" in messages[12]
    assert messages[13].startswith("a second resolution SLA record for ticket F14 (first on "
                                   "line 6)")


def test_strict_makes_unreadable_sla_rows_fatal():
    result = generic(strict=True)
    assert result.document is None and result.skipped == 4


def test_a_missing_column_is_u106(tmp_path):
    bad = tmp_path / "sla.csv"
    bad.write_text("id,breached\nL11,true\n", encoding="utf-8")
    model, loaded = charter()
    result = build_report(model, loaded, tickets=HERE / "tickets.csv", outages=None,
                          start=NOVEMBER[0], end=NOVEMBER[1], itsm_sla=bad,
                          itsm_sla_display="sla.csv")
    assert result.document is None
    assert [(d.rule, d.file) for d in result.diagnostics] == [("U106", "sla.csv")]
    assert "objective" in result.diagnostics[0].message


def test_without_itsm_sla_the_documents_have_no_agreement():
    model, loaded = charter()
    document = build_report(model, loaded, tickets=HERE / "tickets.csv", outages=None,
                            start=NOVEMBER[0], end=NOVEMBER[1]).document
    assert "itsm_agreement" not in document["provider"]
    assert all("itsm_agreement" not in c for c in document["clients"].values())


def test_a_client_document_holds_its_own_agreement_only():
    documents = servicenow().documents()
    legal = documents["legal"]
    assert list(legal["clients"]) == ["legal"]
    assert {d["id"] for d in legal["clients"]["legal"]["itsm_agreement"]["disagreements"]} \
        == {"INC0010001", "INC0010003"}
    assert "provider" not in legal


# -- the command, Markdown and HTML --------------------------------------------------------

def test_the_command_writes_the_section(tmp_path):
    out = tmp_path / "reports"
    result = CliRunner().invoke(main, [
        "report", str(CHARTER), "--tickets", str(ITSM / "incident.csv"), "--itsm-sla",
        str(ITSM / "task_sla.csv"), "--profile", "servicenow", "--input-timezone",
        "Europe/Paris", "--period", "2026-10", "-o", str(out), "--format", "json,md",
        "--lang", "en,fr"])
    assert result.exit_code == 0, result.output
    folder = out / "report-desk" / "2026-10"
    provider = json.loads((folder / "provider.json").read_text(encoding="utf-8"))
    assert provider["provider"]["itsm_agreement"]["compared"] == 6
    text = (folder / "provider.en.md").read_text(encoding="utf-8")
    assert "## 10. Agreement with the ITSM's SLA records" in text
    assert "## 11. Skipped rows" in text
    assert "| INC0010004 | Resolution | breached | 2026-10-20 17:00 | met | 2026-10-20 19:00 " \
           "| a time-zone offset |" in text
    french = (folder / "clients" / "legal.fr.md").read_text(encoding="utf-8")
    assert "Concordance avec les SLA de l’outil ITSM" in french
    assert "| INC0010001 | Résolution | respecté | 2026-10-05 18:00 | dépassé |" in french


def _section(text: str, fmt: str) -> str:
    """The ITSM section of a rendered report."""
    if fmt == "md":
        match = re.search(r"^## 10\. .*?(?=^## 11\. |\Z)", text, re.S | re.M)
    else:
        match = re.search(r'<section id="itsm">.*?</section>', text, re.S)
    assert match is not None
    return match.group(0)


@pytest.mark.parametrize("scope", ["provider", "legal"])
@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_section_golden(scope, lang, fmt):
    document = servicenow().documents()[scope]
    text = _section(render_report(document, scope=scope, lang=lang, fmt=fmt), fmt)
    golden = GOLDEN / f"{scope}.{lang}.{fmt}"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden}: run with CHARTERC_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")


def test_agreement_everywhere_says_so():
    document = json.loads(json.dumps(servicenow().document))
    for entry in (document["provider"]["itsm_agreement"],
                  *(c["itsm_agreement"] for c in document["clients"].values())):
        entry["agree"] = entry["compared"]
        entry["disagreements"] = []
    text = render_report(document, scope="provider", lang="en", fmt="md")
    assert text.count("The ITSM agrees on every ticket compared.") == 2


def test_an_itsm_that_does_not_pause_is_told_by_its_due_time(tmp_path):
    """tests/report/pauses*: B (finance, P2, resolution 8h on the calendar clock, paused on
    awaiting-customer 10:00-11:30 and 13:00-14:00) is due 19:30 and met at 19:00; an ITSM
    that does not pause has it due at 17:00, breached."""
    sla = tmp_path / "sla.csv"
    sla.write_text("id,objective,breached,due\nB,resolution,true,2026-11-02T17:00:00+01:00\n",
                   encoding="utf-8")
    loaded = load_path(HERE / "pauses.charter.yaml")
    result = build_report(build_model(loaded.document), loaded,
                          tickets=HERE / "pauses-tickets.csv", outages=None,
                          start=NOVEMBER[0], end=NOVEMBER[1],
                          history=HERE / "pauses-history.csv", itsm_sla=sla)
    finance = result.document["clients"]["finance"]["itsm_agreement"]
    assert finance["disagreements"] == [
        {"id": "B", "objective": "resolution", "charterc": "met", "itsm": "breached",
         "charterc_due": "2026-11-02T19:30:00+01:00", "itsm_due": "2026-11-02T17:00:00+01:00",
         "reason": "pause"}]


def test_a_cancelled_tickets_sla_records_are_left_out_with_it(tmp_path):
    """A ticket whose state is cancelled (--exclude-status) is out of every figure; its
    SLA records are left out too, not reported as unknown (U109)."""
    incident = tmp_path / "incident.csv"
    incident.write_bytes((ITSM / "incident.csv").read_bytes() + (
        b"INC0010006,Duplicate call,legal,3 - Moderate,Canceled,2026-10-21 09:00:00,,\r\n"
    ))
    task_sla = tmp_path / "task_sla.csv"
    task_sla.write_bytes((ITSM / "task_sla.csv").read_bytes() + (
        b"INC0010006,Priority 3 response (1 business day),Completed,true,"
        b"2026-10-22 18:00:00,100,2026-10-21 09:00:00,\r\n"))
    model, loaded = charter()
    result = build_report(model, loaded, tickets=incident, outages=None, start=OCTOBER[0],
                          end=OCTOBER[1], profile=profile("servicenow"),
                          input_timezone="Europe/Paris", itsm_sla=task_sla,
                          itsm_sla_display="task_sla.csv")
    assert [d.line for d in result.diagnostics if d.rule == "U109"] == [9, 11]
    assert result.document["clients"]["legal"]["excluded"] == 1
    assert result.document["provider"]["itsm_agreement"] == \
        servicenow().document["provider"]["itsm_agreement"]


def test_the_generic_rows_validate_against_their_schema():
    """schemas/itsm-sla.csv.schema.json: the fixture's readable rows pass, its U101 and
    U109 rows of a bad value fail (an unknown ticket and a second record are charterc's
    to find)."""
    import csv

    import jsonschema
    schema = json.loads((ROOT / "schemas" / "itsm-sla.csv.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    with open(ITSM / "itsm-sla.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    valid = [validator.is_valid(row) for row in rows]
    assert [n + 2 for n, ok in enumerate(valid) if not ok] == [10, 11]   # lines
    for example in schema["examples"]:
        validator.validate(example)
    assert not validator.is_valid({**rows[0], "due": "2026-11-11T18:00"})   # no offset


def test_a_task_sla_export_is_read_by_its_header_without_the_profile(tmp_path):
    """charterc's own tickets CSV (ids) with ServiceNow's task_sla export: the header tells
    the shape; its times without an offset are placed by --input-timezone."""
    sla = tmp_path / "task_sla.csv"
    sla.write_text("task,sla,stage,has_breached,planned_end_time\n"
                   "L11,Priority 1 resolution (8 business hours),Completed,true,"
                   "2026-11-11 18:00:00\n"
                   "L13,Priority 3 resolution (5 business days),Cancelled,true,"
                   "2026-11-06 18:00:00\n", encoding="utf-8")
    model, loaded = charter()
    result = build_report(model, loaded, tickets=HERE / "tickets.csv", outages=None,
                          start=NOVEMBER[0], end=NOVEMBER[1], itsm_sla=sla,
                          input_timezone="Europe/Paris")
    assert result.diagnostics == []
    provider = result.document["provider"]["itsm_agreement"]
    assert (provider["compared"], provider["agree"]) == (1, 0)
    assert brief(provider) == [("L11", "resolution", "met", "breached", "holiday")]


def test_a_client_without_records_says_none_was_compared():
    document = json.loads(json.dumps(servicenow().document))
    document["clients"]["finance"]["itsm_agreement"] = {"compared": 0, "agree": 0,
                                                        "disagreements": []}
    for lang, text in (("en", "No SLA record of the ITSM was compared."),
                       ("fr", "Aucun enregistrement SLA de l’outil ITSM n’a été comparé.")):
        for fmt in ("md", "html"):
            shown = render_report(document, scope="finance", lang=lang, fmt=fmt)
            assert text in shown
