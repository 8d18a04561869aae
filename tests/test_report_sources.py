"""Where a report's inputs come from (spec section 9): the charter in force from git
(`--charter-rev`), and exports as ServiceNow and Jira write them (`--profile`,
`--input-timezone`).

The exports are written here from the documented header lines
(`charterc.report.profiles`, shown in docs/report-inputs.md) and the rows of the
report fixture (tests/report/tickets.csv), so that each must give the report that
the same tickets give as charterc's own CSV.
"""
from __future__ import annotations

import csv
import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from charterc.cli import main
from charterc.report.profiles import JIRA, SERVICENOW

HERE = Path(__file__).parent / "report"
CHARTER = HERE / "desk.charter.yaml"
TICKETS = HERE / "tickets.csv"
PARIS = ZoneInfo("Europe/Paris")

def report(tmp_path: Path, *args: str, name: str = "out") -> tuple[dict, str]:
    """Run `charterc report` (JSON and Markdown) and return the provider's document and
    the English Markdown; the command must succeed."""
    out = tmp_path / name
    result = CliRunner().invoke(main, ["report", *args, "-o", str(out), "--format", "json,md"])
    assert result.exit_code == 0, result.output
    (charter,) = list(out.iterdir())
    (folder,) = list(charter.iterdir())
    return (json.loads((folder / "provider.json").read_text(encoding="utf-8")),
            (folder / "provider.en.md").read_text(encoding="utf-8"))


def without_sources(document: dict) -> dict:
    """The document minus what names the input files (the figures are what must agree)."""
    copy = json.loads(json.dumps(document))
    copy.pop("skipped", None)
    return copy


# -- the charter in force: --charter-rev --------------------------------------------------

def _git(repo: Path, *args: str, when: str | None = None, author_only: bool = False) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Service Office", "GIT_AUTHOR_EMAIL": "so@example.org",
           "GIT_COMMITTER_NAME": "Service Office", "GIT_COMMITTER_EMAIL": "so@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    if when:
        env |= {"GIT_AUTHOR_DATE": when} if author_only else {
            "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    done = subprocess.run(["git", "-C", str(repo), *args], env=env, capture_output=True,
                          text=True, check=True)
    return done.stdout.strip()


# standard's P2 response target (legal's tier), tightened from 4h to 1h in the second commit
LOOSE = "response: {clock: business, P1: 1h, P2: 4h,"
TIGHT = "response: {clock: business, P1: 1h, P2: 1h,"


@pytest.fixture
def history(tmp_path: Path) -> dict:
    """A repository with two commits of the charter: 15 September 2026 (P2 response 4h)
    and 10 November 2026 (1h); the working file holds a third, uncommitted version
    (P2 response 1m) that `--charter-rev` must never read."""
    repo = tmp_path / "repo"
    (repo / "charters").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    text = CHARTER.read_text(encoding="utf-8")
    assert LOOSE in text
    path = repo / "charters" / "desk.charter.yaml"
    path.write_text(text, encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "desk charter", when="2026-09-15T10:00:00+02:00")
    first = _git(repo, "rev-parse", "HEAD")
    path.write_text(text.replace(LOOSE, TIGHT), encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "P2 response within the hour",
         when="2026-11-10T10:00:00+01:00")
    second = _git(repo, "rev-parse", "HEAD")
    path.write_text(text.replace(LOOSE, "response: {clock: business, P1: 1h, P2: 1m,"),
                    encoding="utf-8")
    return {"path": path, "first": first, "second": second, "text": text}


def _canonical_sha256(text: str) -> str:
    from charterc.loaders import load_bytes, loader_for
    from charterc.render.view import canonical_sha256
    loaded = load_bytes(text.encode(), "x.charter.yaml", loader=loader_for("x.charter.yaml"))
    return canonical_sha256(loaded.document)


def test_charter_rev_auto_measures_each_period_against_the_charter_then_in_force(
        tmp_path, history):
    def legal_p2(document):
        return document["clients"]["legal"]["response"]["by_priority"]["P2"]

    common = [str(history["path"]), "--tickets", str(TICKETS), "--charter-rev", "auto"]
    october, october_md = report(tmp_path, *common, "--period", "2026-10", name="oct")
    november, november_md = report(tmp_path, *common, "--period", "2026-11", name="nov")

    # October ends on 1 November: the September commit (4h) is in force
    assert october["charter"]["revision"]["commit"] == history["first"]
    assert legal_p2(october)["target_minutes"] == 240
    # November ends on 1 December: the 10 November commit (1h) is in force
    assert november["charter"]["revision"]["commit"] == history["second"]
    assert legal_p2(november)["target_minutes"] == 60

    # the same period measured against the other version differs: the revision matters
    plain = tmp_path / "plain.charter.yaml"
    plain.write_text(history["text"], encoding="utf-8")
    loose_november, _ = report(tmp_path, str(plain), "--tickets", str(TICKETS),
                               "--period", "2026-11", name="loose")
    assert legal_p2(loose_november)["target_minutes"] == 240
    assert (legal_p2(november)["met"], legal_p2(november)["total"]) != \
        (legal_p2(loose_november)["met"], legal_p2(loose_november)["total"])
    assert legal_p2(november)["met"] < legal_p2(loose_november)["met"]

    # the header and the JSON name the commit and the canonical sha256 measured against
    assert november["charter"]["sha256"] == _canonical_sha256(
        history["text"].replace(LOOSE, TIGHT))
    assert october["charter"]["sha256"] == _canonical_sha256(history["text"])
    assert october["charter"]["sha256"] != november["charter"]["sha256"]
    assert november["charter"]["revision"]["path"] == "charters/desk.charter.yaml"
    assert history["second"][:12] in november_md and november["charter"]["sha256"] in november_md
    assert history["first"][:12] in october_md


def test_charter_rev_takes_a_named_revision(tmp_path, history):
    document, _ = report(tmp_path, str(history["path"]), "--tickets", str(TICKETS),
                         "--period", "2026-11", "--charter-rev", "HEAD~1")
    assert document["charter"]["revision"]["commit"] == history["first"]


@pytest.mark.parametrize("revision, text", [
    ("-p", "is not a revision"),
    ("--output=/tmp/x", "is not a revision"),
    ("", "is not a revision"),
    ("no-such-tag", "is not a revision of this repository"),
])
def test_charter_rev_refuses_options_and_unknown_revisions(tmp_path, history, revision, text):
    result = CliRunner().invoke(main, [
        "report", str(history["path"]), "--tickets", str(TICKETS), "--period", "2026-11",
        "-o", str(tmp_path / "out"), "--format", "json", f"--charter-rev={revision}"])
    assert result.exit_code == 2, result.output
    assert text in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_charter_rev_auto_before_the_first_commit_is_a_usage_error(tmp_path, history):
    result = CliRunner().invoke(main, [
        "report", str(history["path"]), "--tickets", str(TICKETS), "--period", "2026-08",
        "-o", str(tmp_path / "out"), "--format", "json", "--charter-rev", "auto"])
    assert result.exit_code == 2
    assert "has no commit dated before the period's end" in result.output


def test_charter_rev_outside_a_repository_is_a_usage_error(tmp_path):
    plain = tmp_path / "desk.charter.yaml"
    plain.write_text(CHARTER.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, [
        "report", str(plain), "--tickets", str(TICKETS), "--period", "2026-11",
        "-o", str(tmp_path / "out"), "--format", "json", "--charter-rev", "auto"])
    assert result.exit_code == 2
    assert "is not in a git repository" in result.output


# -- exports as the tools write them: --profile, --input-timezone -------------------------

def _rows() -> list[dict[str, str]]:
    with TICKETS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _instant(text: str) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _whole_minutes(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows with every instant cut to the minute (Jira's export has no seconds)."""
    out = []
    for row in rows:
        row = dict(row)
        for key in ("opened", "first_response", "resolved"):
            moment = _instant(row[key])
            row[key] = moment.replace(second=0).isoformat() if moment else ""
        out.append(row)
    return out


def _unambiguous_in(zone: ZoneInfo, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows whose instants all have a single wall-clock reading in `zone` (not in the
    hour the clocks repeat when summer time ends)."""
    def single(text: str) -> bool:
        moment = _instant(text)
        if moment is None:
            return True
        wall = moment.astimezone(zone).replace(tzinfo=None)
        return wall.replace(tzinfo=zone, fold=0).utcoffset() == \
            wall.replace(tzinfo=zone, fold=1).utcoffset()
    return [r for r in rows if all(single(r[k]) for k in ("opened", "first_response",
                                                            "resolved"))]


def _write_charterc(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _local(text: str, zone: ZoneInfo, fmt: str) -> str:
    moment = _instant(text)
    return "" if moment is None else moment.astimezone(zone).strftime(fmt)


def _servicenow(path: Path, rows: list[dict[str, str]], zone: ZoneInfo) -> Path:
    """ServiceNow's incident export: display values, times in the exporting user's zone."""
    labels = dict(zip(("P1", "P2", "P3"), SERVICENOW.priorities, strict=False))
    header = SERVICENOW.example.split(",")
    fmt = "%Y-%m-%d %H:%M:%S"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row["id"], f"Ticket {row['id']}, raised by phone", row["client"],
                             labels[row["priority"]], "Resolved" if row["resolved"] else "New",
                             row["channel"], row["feature"], _local(row["opened"], zone, fmt),
                             _local(row["first_response"], zone, fmt),
                             _local(row["resolved"], zone, fmt)])
    return path


def _jira(path: Path, rows: list[dict[str, str]], zone: ZoneInfo) -> Path:
    """Jira Service Management's CSV export: `05/Oct/26 9:00 AM`, English month names."""
    labels = dict(zip(("P1", "P2", "P3"), JIRA.priorities, strict=False))
    header = JIRA.example.split(",")

    def when(text: str) -> str:
        moment = _instant(text)
        if moment is None:
            return ""
        local = moment.astimezone(zone)
        month = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                 "Dec")[local.month - 1]
        hour = local.hour % 12 or 12
        return f"{local.day:02d}/{month}/{local:%y} {hour}:{local:%M} " \
               f"{'AM' if local.hour < 12 else 'PM'}"

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for number, row in enumerate(rows, 10001):
            writer.writerow([f"Request {row['id']}", row["id"], number, "Service Request",
                             "Resolved" if row["resolved"] else "Waiting for support",
                             labels[row["priority"]], row["client"], row["feature"],
                             row["channel"], when(row["opened"]), when(row["first_response"]),
                             when(row["resolved"])])
    return path


def test_the_documented_header_lines_are_those_the_tools_write():
    assert SERVICENOW.example.split(",")[:4] == ["number", "short_description", "company",
                                                  "priority"]
    assert "opened_at" in SERVICENOW.example and "resolved_at" in SERVICENOW.example
    assert JIRA.example.split(",")[:2] == ["Summary", "Issue key"]
    assert "Created" in JIRA.example.split(",") and "Resolved" in JIRA.example.split(",")
    docs = (Path(__file__).parent.parent / "docs" / "report-inputs.md").read_text("utf-8")
    assert SERVICENOW.example in docs and JIRA.example in docs


@pytest.mark.parametrize("period", ["2026-10", "2026-11"])
def test_a_servicenow_export_gives_the_report_of_the_same_tickets(tmp_path, period):
    # exported by a user whose zone is UTC, as ServiceNow allows: every instant has one
    # reading, so the whole fixture (across the end of summer time) travels unchanged
    rows = _rows()
    exported = _servicenow(tmp_path / "incident.csv", rows, ZoneInfo("UTC"))
    assert exported.read_text(encoding="utf-8").splitlines()[0] == SERVICENOW.example
    ours, _ = report(tmp_path, str(CHARTER), "--tickets", str(TICKETS), "--period", period,
                     name="ours")
    theirs, _ = report(tmp_path, str(CHARTER), "--tickets", str(exported), "--period", period,
                       "--profile", "servicenow", "--input-timezone", "UTC", name="theirs")
    assert without_sources(theirs) == without_sources(ours)
    assert theirs["skipped"]["count"] == 0


@pytest.mark.parametrize("period", ["2026-10", "2026-11"])
def test_a_servicenow_export_in_paris_time_gives_the_report_of_the_same_tickets(
        tmp_path, period):
    rows = _unambiguous_in(PARIS, _rows())
    assert 0 < len(rows) < len(_rows())  # the repeated hour of 25 October is left out
    ours, _ = report(tmp_path, str(CHARTER), "--tickets",
                     str(_write_charterc(tmp_path / "ours.csv", rows)), "--period", period,
                     name="ours")
    theirs, _ = report(tmp_path, str(CHARTER), "--tickets",
                       str(_servicenow(tmp_path / "incident.csv", rows, PARIS)),
                       "--period", period, "--profile", "servicenow",
                       "--input-timezone", "Europe/Paris", name="theirs")
    assert without_sources(theirs) == without_sources(ours)


@pytest.mark.parametrize("period", ["2026-10", "2026-11"])
def test_a_jira_export_gives_the_report_of_the_same_tickets(tmp_path, period):
    rows = _whole_minutes(_unambiguous_in(PARIS, _rows()))
    exported = _jira(tmp_path / "jira.csv", rows, PARIS)
    assert exported.read_text(encoding="utf-8").splitlines()[0] == JIRA.example
    assert "/Oct/26 " in exported.read_text(encoding="utf-8")
    ours, _ = report(tmp_path, str(CHARTER), "--tickets",
                     str(_write_charterc(tmp_path / "ours.csv", rows)), "--period", period,
                     name="ours")
    theirs, _ = report(tmp_path, str(CHARTER), "--tickets", str(exported), "--period", period,
                       "--profile", "jira", "--input-timezone", "Europe/Paris", name="theirs")
    assert without_sources(theirs) == without_sources(ours)
    assert theirs["clients"]["legal"]["tickets"]["total"] > 0


def _invoke(tmp_path: Path, tickets: Path, *args: str):
    return CliRunner().invoke(main, [
        "report", str(CHARTER), "--tickets", str(tickets), "--period", "2026-03",
        "-o", str(tmp_path / "out"), "--format", "json", *args])


def test_a_local_time_the_clocks_skip_is_u101_at_its_line(tmp_path):
    exported = tmp_path / "incident.csv"
    exported.write_text(
        SERVICENOW.example + "\n"
        "INC0010001,Printer,legal,2 - High,Resolved,phone,incident,2026-03-27 09:00:00,"
        "2026-03-27 09:30:00,2026-03-27 11:00:00\n"
        # 29 March 2026, Paris: 02:00 becomes 03:00, so 02:30 never happens
        "INC0010002,VPN,finance,1 - Critical,Resolved,phone,incident,2026-03-29 02:30:00,"
        "2026-03-29 03:10:00,2026-03-29 05:00:00\n", encoding="utf-8")
    result = _invoke(tmp_path, exported, "--profile", "servicenow",
                     "--input-timezone", "Europe/Paris")
    assert result.exit_code == 0, result.output
    assert "incident.csv:3:8: warning[U101]: opened: '2026-03-29 02:30:00' does not exist " \
           "in Europe/Paris" in result.output
    assert "1 row skipped" in result.output


def test_a_repeated_local_time_is_u101_at_its_line(tmp_path):
    exported = tmp_path / "jira.csv"
    exported.write_text(
        JIRA.example + "\n"
        # 25 October 2026, Paris: 02:30 happens twice (summer time, then winter time)
        '"VPN down",SD-7,10007,Incident,Resolved,Highest,finance,incident,phone,'
        "25/Oct/26 2:30 AM,25/Oct/26 3:10 AM,25/Oct/26 5:00 AM\n", encoding="utf-8")
    result = CliRunner().invoke(main, [
        "report", str(CHARTER), "--tickets", str(exported), "--period", "2026-10",
        "-o", str(tmp_path / "out"), "--format", "json", "--profile", "jira",
        "--input-timezone", "Europe/Paris"])
    assert result.exit_code == 0, result.output
    assert "jira.csv:2:10: warning[U101]: opened: '25/Oct/26 2:30 AM' occurs twice in " \
           "Europe/Paris" in result.output


def test_a_profile_needs_the_input_timezone(tmp_path):
    result = _invoke(tmp_path, TICKETS, "--profile", "servicenow")
    assert result.exit_code == 2
    assert "--input-timezone" in result.output and "Traceback" not in result.output


def test_a_priority_label_beyond_the_charters_priorities_is_u105(tmp_path):
    exported = tmp_path / "incident.csv"
    exported.write_text(
        SERVICENOW.example + "\n"
        "INC0010003,Desk move,legal,5 - Planning,New,portal,incident,2026-03-27 09:00:00,,\n",
        encoding="utf-8")
    result = _invoke(tmp_path, exported, "--profile", "servicenow",
                     "--input-timezone", "Europe/Paris")
    assert "incident.csv:2:4: warning[U105]" in result.output, result.output


def test_an_instant_with_its_offset_needs_no_input_timezone():
    from charterc.report.profiles import Instants
    read = Instants()
    assert read("2026-10-25T02:30:00+01:00") == int(
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC).timestamp())


def test_charter_rev_auto_goes_by_the_date_a_commit_was_written(tmp_path):
    # `git commit --date` sets the author date only; the committer date is the clock's. A
    # version is dated by when it was written, and one dated at the period's end exactly
    # is not before it.
    repo = tmp_path / "repo"
    (repo / "charters").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    text = (HERE / "desk.charter.yaml").read_text(encoding="utf-8")
    path = repo / "charters" / "desk.charter.yaml"
    path.write_text(text, encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "desk", when="2026-09-15T10:00:00+02:00", author_only=True)
    first = _git(repo, "rev-parse", "HEAD")
    path.write_text(text.replace(LOOSE, TIGHT), encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "tighter", when="2026-11-01T00:00:00+01:00",
         author_only=True)
    common = [str(path), "--tickets", str(TICKETS), "--charter-rev", "auto"]
    october, _ = report(tmp_path, *common, "--period", "2026-10", name="oct")
    assert october["charter"]["revision"]["commit"] == first
    assert october["charter"]["revision"]["date"] == "2026-09-15T10:00:00+02:00"
