"""`charterc export --target servicenow|jsm|zendesk` and `charterc drift` (spec section 11).

The formats are checked against the samples of tests/itsm/samples/ (taken from each
tool's documentation, sources in its README), and drift against what export wrote.
"""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from charterc.calendar import HolidayCalendar
from charterc.cli import main
from charterc.export.itsm import Options, jsm, servicenow, stable_id, status_map, zendesk
from charterc.export.itsm.plan import plan
from charterc.export.itsm.zones import equivalent, iana_zone, zendesk_zone
from charterc.pipeline import CheckOptions, check_file

ROOT = Path(__file__).resolve().parent.parent
DESK = ROOT / "charters" / "it-service-desk.charter.yaml"
SAMPLES = Path(__file__).resolve().parent / "itsm" / "samples"
TODAY = "2026-11-27"
FILES = {"servicenow": "servicenow.xml", "jsm": "jsm.json", "zendesk": "zendesk.json"}


def _export(tmp_path: Path, target: str, charter: Path = DESK, *extra: str) -> Path:
    out = tmp_path / f"out-{target}"
    run = CliRunner().invoke(main, ["export", str(charter), "--target", target, "-o", str(out),
                                    "--today", TODAY, *extra])
    assert run.exit_code == 0, run.output
    return out / "it-service-desk" / target / FILES[target]   # every charter here is DESK's


def _drift(charter: Path, target: str, file: Path, *extra: str):
    return CliRunner().invoke(main, ["drift", str(charter), f"--{target}", str(file),
                                     "--today", TODAY, *extra])


def _findings(charter: Path, target: str, file: Path) -> tuple[int, list[dict]]:
    run = _drift(charter, target, file, "--format", "json")
    return run.exit_code, json.loads(run.stdout)


def _plan(path: Path = DESK):
    result = check_file(path, CheckOptions(today=date.fromisoformat(TODAY)))
    assert result.charter is not None
    return result.charter, plan(result.charter)


# -- ServiceNow ---------------------------------------------------------------------------

def test_servicenow_unload_has_one_sla_per_tier_objective_priority_and_the_terms_holidays(
        tmp_path):
    data = _export(tmp_path, "servicenow").read_bytes()
    root = ElementTree.fromstring(data)
    assert root.tag == "unload"
    assert all(r.attrib["action"] == "INSERT_OR_UPDATE" for r in root)
    slas = [r for r in root if r.tag == "contract_sla"]
    names = sorted(r.findtext("name") for r in slas)
    charter, _ = _plan()
    expected = sorted(f"it-service-desk {t.id} {p} {kind}" for t in charter.tiers
                      for kind in ("response", "resolution") for p in charter.priorities)
    assert names == expected and len(slas) == 16
    p1 = next(r for r in slas if r.findtext("name") == "it-service-desk standard P1 response")
    assert p1.findtext("duration") == "1970-01-01 01:00:00"
    assert p1.findtext("target") == "response" and p1.findtext("type") == "SLA"
    assert p1.findtext("collection") == "incident"
    assert p1.findtext("start_condition") == (
        "priority=1^company.nameINGroup Human Resources,Group Legal,Group Procurement")
    premium = next(r for r in slas if r.findtext("name") == "it-service-desk premium P1 response")
    assert premium.findtext("schedule") == "" and premium.findtext("duration") == \
        "1970-01-01 00:15:00"   # calendar clock: no schedule
    schedules = [r for r in root if r.tag == "cmn_schedule"]
    assert [s.findtext("time_zone") for s in schedules] == ["Europe/Paris"]  # 24x7 has none
    spans = [r for r in root if r.tag == "cmn_schedule_span"]
    weekly = [s for s in spans if s.findtext("type") != "exclude"]
    assert [(s.findtext("days_of_week"), s.findtext("start_date_time"),
             s.findtext("end_date_time"), s.findtext("repeat_type")) for s in weekly] == [
        ("12345", "20260101T080000", "20260101T180000", "weekly")]
    holidays = sorted(s.findtext("start_date_time")[:8] for s in spans
                      if s.findtext("type") == "exclude")
    closed = HolidayCalendar("FR").dates(2026, 2028)
    assert holidays == sorted(f"{d:%Y%m%d}" for d in closed)
    assert "20260501" in holidays and "20281225" in holidays and len(holidays) == 33


def test_servicenow_xml_parses_and_re_exports_byte_identically(tmp_path):
    data = _export(tmp_path, "servicenow").read_bytes()
    assert servicenow.write(servicenow.read(data))[servicenow.FILE] == data


def test_servicenow_sys_ids_are_stable_uuid5_hex(tmp_path):
    first = _export(tmp_path / "a", "servicenow").read_bytes()
    second = _export(tmp_path / "b", "servicenow").read_bytes()
    assert first == second
    ids = re.findall(rb"<sys_id>([^<]*)</sys_id>", first)
    assert ids and all(re.fullmatch(rb"[0-9a-f]{32}", i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert stable_id("it-service-desk", "sla/standard/response/P1").encode() in ids


def test_servicenow_durations_as_servicenow_writes_them():
    assert servicenow.duration(15) == "1970-01-01 00:15:00"
    assert servicenow.duration(4 * 60) == "1970-01-01 04:00:00"
    assert servicenow.duration(2 * 1440 + 90) == "1970-01-03 01:30:00"


def test_servicenow_sample_from_the_documentation_reads_and_its_fields_compare():
    config = servicenow.read((SAMPLES / "servicenow_unload.xml").read_bytes())
    (record,) = config.records
    assert record.table == "contract_sla" and record.kind == "sla"
    assert record.fields["duration"] == "1970-01-01 04:00:00"
    assert record.fields["schedule"] == "b1992362eb601100fcfb858ad106fe16"
    assert record.fields["schedule@display_value"] == "8-5 weekdays excluding holidays"
    assert config.head["unload_date"] == "2025-03-03 10:15:42"


def _with_pause(tmp_path: Path, statuses: str = "[awaiting-customer]") -> Path:
    text = DESK.read_text(encoding="utf-8").replace(
        "response: {clock: business, P1: 1h,",
        f"response: {{clock: business, pause_on: {statuses}, P1: 1h,")
    path = tmp_path / "paused.charter.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_pause_on_becomes_the_pause_condition_through_the_status_map(tmp_path):
    charter = _with_pause(tmp_path)
    data = _export(tmp_path, "servicenow", charter).read_text(encoding="utf-8")
    assert "<pause_condition>state=3^hold_reason=1</pause_condition>" in data
    mapped = _export(tmp_path / "m", "servicenow", charter, "--status-map",
                     "awaiting-customer=state=3^hold_reason=7,on-hold=state=3")
    assert "<pause_condition>state=3^hold_reason=7</pause_condition>" in mapped.read_text()
    # drift reads with the same map: the default instance's condition is a drift
    run = _drift(charter, "servicenow", mapped)
    assert run.exit_code == 1 and "I106" in run.output and "pause_condition" in run.output


def test_a_status_without_a_mapping_is_a_usage_error(tmp_path):
    charter = _with_pause(tmp_path, "[waiting-on-legal]")
    run = CliRunner().invoke(main, ["export", str(charter), "--target", "servicenow", "-o",
                                    str(tmp_path / "o"), "--today", TODAY])
    assert run.exit_code == 2 and "waiting-on-legal" in run.output and "--status-map" in run.output


def test_status_map_option_parses_values_holding_equals_and_commas():
    assert status_map(["Awaiting Customer=state=3^hold_reason=1,on-hold=stateIN3,4"]) == {
        "awaiting-customer": "state=3^hold_reason=1", "on-hold": "stateIN3,4"}


# -- drift on what export wrote -----------------------------------------------------------

@pytest.mark.parametrize("target", sorted(FILES))
def test_drift_on_its_own_export_finds_nothing(tmp_path, target):
    file = _export(tmp_path, target)
    run = _drift(DESK, target, file)
    assert run.exit_code == 0, run.output


def _edit_servicenow(text: str) -> str:
    text = text.replace("<duration>1970-01-01 01:00:00</duration>",
                        "<duration>1970-01-01 02:00:00</duration>", 1)
    text = text.replace("<end_date_time>20260101T180000</end_date_time>",
                        "<end_date_time>20260101T170000</end_date_time>", 1)
    return re.sub(r"<cmn_schedule_span action=\"INSERT_OR_UPDATE\">(?:(?!</cmn_schedule_span>)"
                  r".)*?<name>Labor Day 2026-05-01</name>.*?</cmn_schedule_span>\n", "", text,
                  count=1, flags=re.S)


def _edit_json(target: str, text: str) -> str:
    document = json.loads(text)
    if target == "zendesk":
        schedule = document["schedules"][0]
        schedule["intervals"][0]["end_time"] -= 60
        schedule["holidays"] = [h for h in schedule["holidays"] if h["start_date"] != "2026-05-01"]
        document["sla_policies"][0]["policy_metrics"][0]["target"] = 120
    else:
        calendar = document["calendars"][0]
        calendar["workingTimes"][0]["endTime"] = "17:00"
        calendar["holidays"] = [h for h in calendar["holidays"] if h["date"] != "2026-05-01"]
        document["metrics"][0]["goals"][0]["duration"] = 7200000
    return json.dumps(document, indent=2)


EXPECTED_EDITS = {
    "servicenow": [("I104", 'contract_sla "it-service-desk standard P1 response" field duration'),
                   ("I107", 'cmn_schedule_span "mon-fri 08:00-18:00" field end_date_time'),
                   ("I108", 'cmn_schedule_span "Labor Day 2026-05-01" field start_date_time')],
    "zendesk": [("I104", 'sla_policy "it-service-desk Standard" '
                         'policy_metrics[urgent first_reply_time] field target'),
                ("I107", 'schedule "it-service-desk Standard" intervals[0] field end_time'),
                ("I108", 'schedule "it-service-desk Standard" holiday "Labor Day" '
                         'field start_date')],
    "jsm": [("I104", 'metric "Time to first response (Standard)" goals[0] field duration'),
            ("I107", 'calendar "it-service-desk Standard hours" workingTimes[0] field endTime'),
            ("I108", 'calendar "it-service-desk Standard hours" holiday "Labor Day" field date')],
}


@pytest.mark.parametrize("target", sorted(FILES))
def test_drift_after_editing_a_duration_a_span_and_removing_a_holiday(tmp_path, target):
    file = _export(tmp_path, target)
    text = file.read_text(encoding="utf-8")
    edited = _edit_servicenow(text) if target == "servicenow" else _edit_json(target, text)
    file.write_text(edited, encoding="utf-8")
    code, found = _findings(DESK, target, file)
    assert code == 1
    assert sorted((d["rule"], d["message"].split(": ", 1)[0]) for d in found) == \
        EXPECTED_EDITS[target], found
    assert all(d["file"].endswith("it-service-desk.charter.yaml") and d["line"] > 1
               for d in found)


def test_drift_formats_are_those_of_check(tmp_path):
    file = _export(tmp_path, "servicenow")
    file.write_text(_edit_servicenow(file.read_text(encoding="utf-8")), encoding="utf-8")
    sarif = json.loads(_drift(DESK, "servicenow", file, "--format", "sarif").stdout)
    results = sarif["runs"][0]["results"]
    assert sorted(r["ruleId"] for r in results) == ["I104", "I107", "I108"]
    rules = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert {"I101", "I109"} <= rules
    github = _drift(DESK, "servicenow", file, "--format", "github")
    assert github.exit_code == 1
    assert github.stdout.count("::error file=") == 3 and "title=I104 (charterc)" in github.stdout


def test_an_unreadable_file_is_I101(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<record_update/>", encoding="utf-8")
    code, found = _findings(DESK, "servicenow", bad)
    assert code == 1 and [d["rule"] for d in found] == ["I101"]
    assert "<unload>" in found[0]["message"]
    broken = tmp_path / "bad.json"
    broken.write_text("{", encoding="utf-8")
    for target in ("jsm", "zendesk"):
        code, found = _findings(DESK, target, broken)
        assert code == 1 and [d["rule"] for d in found] == ["I101"]


def test_drift_needs_exactly_one_tool(tmp_path):
    run = CliRunner().invoke(main, ["drift", str(DESK)])
    assert run.exit_code == 2 and "exactly one" in run.output


def test_an_sla_missing_and_an_extra_one_are_I102_and_I103(tmp_path):
    file = _export(tmp_path, "servicenow")
    text = file.read_text(encoding="utf-8").replace(
        "<name>it-service-desk premium P4 resolution</name>",
        "<name>it-service-desk premium P5 resolution</name>")
    text = re.sub(r"<sys_id>[0-9a-f]+</sys_id>(\n<target>resolution</target>\n<timezone>Europe/"
                  r"Paris</timezone>\n<timezone_source>sla.timezone</timezone_source>\n<type>SLA"
                  r"</type>\n</contract_sla>\n</unload>)", r"<sys_id>0</sys_id>\1", text)
    file.write_text(text, encoding="utf-8")
    code, found = _findings(DESK, "servicenow", file)
    assert code == 1
    assert sorted(d["rule"] for d in found) == ["I102", "I103"], found


# -- Zendesk ------------------------------------------------------------------------------

def test_zendesk_intervals_and_zone_match_the_documented_schedule(tmp_path):
    """The documentation's "North America" schedule: Monday and Tuesday 09:00-17:00, Pacific."""
    text = DESK.read_text(encoding="utf-8").replace(
        'schedule: [{days: mon-fri, from: "08:00", to: "18:00"}]\n      timezone: Europe/Paris',
        'schedule: [{days: mon-tue, from: "09:00", to: "17:00"}]\n'
        '      timezone: America/Los_Angeles')
    charter = tmp_path / "pacific.charter.yaml"
    charter.write_text(text, encoding="utf-8")
    result = check_file(charter, CheckOptions(today=date.fromisoformat(TODAY)))
    assert result.charter is not None
    config, _ = zendesk.configuration(plan(result.charter), Options())
    mine = json.loads(zendesk.write(config)[zendesk.FILE])["schedules"][0]
    sample = json.loads((SAMPLES / "zendesk_schedule.json").read_text())["schedules"][0]
    assert mine["intervals"] == sorted(sample["intervals"], key=lambda i: i["start_time"])
    assert mine["time_zone"] == sample["time_zone"] == "Pacific Time (US & Canada)"
    assert set(mine["holidays"][0]) == set(sample["holidays"][0]) - {"id"}


def test_zendesk_intervals_are_cut_at_midnight_and_wrap_to_sunday():
    from charterc.export.itsm.plan import TierHours, WeeklySpan
    hours = TierHours("night", "Night", "Europe/Paris", False,
                      (WeeklySpan((5,), 22 * 60, 30 * 60),), (), "/tiers/0/hours")
    # Saturday 22:00 - Sunday 06:00: Saturday ends at 10080, Sunday starts at 0
    assert zendesk.intervals(hours) == [(0, 360), (9960, 10080)]


def test_zendesk_zone_names_map_from_iana():
    assert zendesk_zone("Europe/Paris") == "Paris"
    assert zendesk_zone("Europe/London") == "London"   # not Edinburgh: the zone's own city
    assert zendesk_zone("America/New_York") == "Eastern Time (US & Canada)"
    assert iana_zone("Eastern Time (US & Canada)") == "America/New_York"
    assert zendesk_zone("Europe/Monaco") is None
    found = equivalent("Europe/Monaco", 2026, 2028)
    assert found is not None and iana_zone(found) is not None


def test_zendesk_policy_metrics_are_those_the_documentation_names(tmp_path):
    documented = json.loads((SAMPLES / "zendesk_sla_policies.json").read_text())
    sample_metric = documented["sla_policies"][0]["policy_metrics"][0]
    data = json.loads(_export(tmp_path, "zendesk").read_text(encoding="utf-8"))
    policies = data["sla_policies"]
    assert [p["title"] for p in policies] == ["it-service-desk Standard",
                                              "it-service-desk Premium"]
    metrics = [m for p in policies for m in p["policy_metrics"]]
    assert all(set(m) == set(sample_metric) for m in metrics)
    assert {m["priority"] for m in metrics} == {"urgent", "high", "normal", "low"}
    assert {m["metric"] for m in metrics} <= {"first_reply_time", "next_reply_time",
                                              "periodic_update", "requester_wait_time",
                                              "agent_work_time", "pausable_update"}
    standard = policies[0]["policy_metrics"]
    assert {"priority": "urgent", "metric": "first_reply_time", "target": 60,
            "business_hours": True} in standard
    premium = policies[1]["policy_metrics"]
    assert {"priority": "urgent", "metric": "first_reply_time", "target": 15,
            "business_hours": False} in premium
    assert policies[1]["filter"]["any"] == [
        {"field": "organization_id", "operator": "is", "value": "Group Finance"}]
    # the documented response reads as records drift compares
    config = zendesk.read((SAMPLES / "zendesk_sla_policies.json").read_bytes())
    assert [r.fields.get("target") for r in config.records if r.table == "policy_metric"] == \
        ["60", "10", "180", "160"]
    schedule = zendesk.read((SAMPLES / "zendesk_schedule.json").read_bytes())
    assert [r.kind for r in schedule.records] == ["schedule", "span", "span", "holiday"]


def test_zendesk_warns_where_an_objective_has_no_exact_metric(tmp_path):
    run = CliRunner().invoke(main, ["export", str(DESK), "--target", "zendesk", "-o",
                                    str(tmp_path / "o"), "--today", TODAY])
    assert run.exit_code == 0
    assert "requester_wait_time (nearest) pauses while pending" in run.output
    charter = _with_pause(tmp_path)
    run = CliRunner().invoke(main, ["export", str(charter), "--target", "zendesk", "-o",
                                    str(tmp_path / "p"), "--today", TODAY])
    assert "first_reply_time never pauses" in run.output


def test_zendesk_organization_ids(tmp_path):
    file = _export(tmp_path, "zendesk", DESK, "--organization", "Group Finance=360001")
    data = json.loads(file.read_text(encoding="utf-8"))
    assert data["sla_policies"][1]["filter"]["any"][0]["value"] == 360001
    run = _drift(DESK, "zendesk", file, "--organization", "Group Finance=360001")
    assert run.exit_code == 0, run.output
    assert _drift(DESK, "zendesk", file).exit_code == 1   # ids compared with names


# -- JSM ----------------------------------------------------------------------------------

def test_jsm_calendars_and_goals(tmp_path):
    file = _export(tmp_path, "jsm")
    data = json.loads(file.read_text(encoding="utf-8"))
    sample = json.loads((SAMPLES / "jsm_sla.json").read_text())
    (calendar,) = data["calendars"]
    assert set(calendar) == set(sample["calendars"][0])
    assert calendar["timezoneId"] == "Europe/Paris"
    assert [(w["weekday"], w["startTime"], w["endTime"]) for w in calendar["workingTimes"]] == [
        (d, "08:00", "18:00") for d in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")]
    assert {"name": "Labor Day", "date": "2026-05-01", "recurring": False} in calendar["holidays"]
    assert len(calendar["holidays"]) == 33
    metrics = {m["name"]: m for m in data["metrics"]}
    first = metrics["Time to first response (Premium)"]
    assert first["startConditions"] == sample["metrics"][0]["startConditions"]
    assert first["stopConditions"] == sample["metrics"][0]["stopConditions"]
    assert first["goals"][0] == {"jql": 'Organizations = "Group Finance" AND priority = Highest',
                                 "duration": 15 * 60000, "calendar": None}
    standard = metrics["Time to resolution (Standard)"]["goals"][1]
    assert standard["jql"] == ('Organizations in ("Group Human Resources", "Group Legal", '
                               '"Group Procurement") AND priority = High')
    assert standard["calendar"] == "it-service-desk Standard hours"
    assert standard["duration"] == 2 * 10 * 3600000   # 2d: two business days of 10 hours
    sheet = (file.parent / "jsm.md").read_text(encoding="utf-8")
    assert "Time to first response (Premium)" in sheet and "Europe/Paris" in sheet
    documented = jsm.read((SAMPLES / "jsm_sla.json").read_bytes())
    assert [r.table for r in documented.records] == [
        "metric", "goal", "goal", "calendar", "workingTime", "holiday"]


def test_jsm_pause_conditions_come_from_pause_on(tmp_path):
    file = _export(tmp_path, "jsm", _with_pause(tmp_path))
    data = json.loads(file.read_text(encoding="utf-8"))
    metric = next(m for m in data["metrics"] if m["name"] == "Time to first response (Standard)")
    assert metric["pauseConditions"] == ["Status: Waiting for customer"]


def test_a_drift_finding_the_charter_accepts_is_suppressed(tmp_path):
    file = _export(tmp_path, "servicenow")
    file.write_text(file.read_text(encoding="utf-8").replace(
        "<active>true</active>", "<active>false</active>", 1), encoding="utf-8")
    text = DESK.read_text(encoding="utf-8").replace(
        "  suppress: []",
        '  suppress: [{rule: I109, reason: "P1 response switched off during the migration"}]')
    charter = tmp_path / "accepting.charter.yaml"
    charter.write_text(text, encoding="utf-8")
    code, found = _findings(charter, "servicenow", file)
    assert code == 0 and [(d["rule"], d["suppressed"]) for d in found] == [("I109", True)]


def test_drift_compares_a_charter_whose_review_is_overdue(tmp_path):
    """The consistency rules are check's: an overdue review (G703) still has SLAs."""
    file = _export(tmp_path, "jsm")
    run = CliRunner().invoke(main, ["drift", str(DESK), "--jsm", str(file),
                                    "--today", "2031-01-01"])
    assert run.exit_code == 0, run.output


def test_drift_on_a_charter_that_does_not_load_reports_its_findings(tmp_path):
    broken = tmp_path / "broken.charter.yaml"
    broken.write_text("apiVersion: [\n", encoding="utf-8")
    file = _export(tmp_path, "jsm")
    code, found = _findings(broken, "jsm", file)
    assert code == 1 and [d["rule"] for d in found] == ["P101"]


def test_zendesk_organization_by_client_id(tmp_path):
    file = _export(tmp_path, "zendesk", DESK, "--organization", "finance=42")
    data = json.loads(file.read_text(encoding="utf-8"))
    assert data["sla_policies"][1]["filter"]["any"][0]["value"] == 42


def test_holidays_are_the_calendars_with_its_extra_and_removed_dates(tmp_path):
    text = DESK.read_text(encoding="utf-8").replace(
        "      timezone: Europe/Paris\n      holidays: FR\n",
        "      timezone: Europe/Paris\n"
        "      holidays: {country: FR, extra: [2026-12-26], remove: [2026-05-08]}\n", 1)
    charter = tmp_path / "adjusted.charter.yaml"
    charter.write_text(text, encoding="utf-8")
    data = _export(tmp_path, "servicenow", charter).read_text(encoding="utf-8")
    assert "<name>extra closing day 2026-12-26</name>" in data
    assert "<start_date_time>20261226T000000</start_date_time>" in data
    assert "20260508T000000" not in data and "20270508T000000" in data
    assert _drift(charter, "servicenow", _export(tmp_path / "d", "servicenow", charter)
                  ).exit_code == 0


def test_a_missing_itsm_file_is_a_usage_error(tmp_path):
    run = _drift(DESK, "zendesk", tmp_path / "nowhere.json")
    assert run.exit_code == 2 and "nowhere.json" in run.output
