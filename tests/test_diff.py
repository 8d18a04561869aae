"""`charterc diff`: changes in commitments, their class, the bump they need, G706."""
from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from charterc.checks.examples import apply_overlay
from charterc.cli import main
from charterc.diff import diff_loaded
from charterc.diff.levels import compare_targets
from charterc.diff.semver import bump_made, parse_version
from charterc.loaders import Loaded, load_path
from charterc.model.values import duration

BASE = Path(__file__).parent / "diff" / "it-service-desk.charter.yaml"


def _base() -> Loaded:
    return load_path(BASE, display="charters/it-service-desk.charter.yaml")


def _variant(overlay: dict, version: str) -> Loaded:
    base = _base()
    document = apply_overlay(base.document, overlay)
    document["metadata"]["version"] = version
    return Loaded(base.file, document, base.sources)


def _diff(overlay: dict, version: str = "3.0.0"):
    result = diff_loaded([_base()], [_variant(overlay, version)])
    assert not result.problems, result.problems
    (charter,) = result.charters
    return result, charter


def _find(charter, subject: str, client=...):
    found = [c for c in charter.changes
             if c.subject == subject and (client is ... or c.client == client)]
    assert found, [(c.client, c.subject) for c in charter.changes]
    return found


LOOSER_P1 = {"tiers": [{"id": "premium", "objectives": {"response": {"P1": "30m"}}}]}
NO_WEEKEND = {"tiers": [{"id": "premium", "features": ["incident", "requests"]}]}
PRICE_RISE = {"tiers": [{"id": "standard", "price": {"indexation": "5%"}}]}
SATURDAY = [{"days": "mon-fri", "from": "08:00", "to": "18:00"}]
NEW_CLIENT = {"clients": [
    {"id": "finance", "share": "45%"}, {"id": "hr", "share": "17.5%"},
    {"id": "legal", "share": "10%"}, {"id": "procurement", "share": "7.5%"},
    {"id": "treasury", "name": "Group Treasury", "tier": "premium", "share": "20%",
     "volume": {"units": 7000, "growth": "3%"}, "regions": ["EU"],
     "needs": {"features": ["incident"]}}]}


def test_loosened_p1_response_is_a_weakening_for_its_client():
    _, charter = _diff(LOOSER_P1)
    (change,) = _find(charter, "response P1")
    assert (change.client, change.effect, change.bump) == ("finance", "weakening", "major")
    assert (change.before, change.after) == ("15m (calendar)", "30m (calendar)")
    assert change.pointer == "/tiers/1/objectives/response/P1"
    assert charter.required == "major" and charter.made == "major" and not charter.diagnostics


def test_removed_feature_is_a_weakening():
    _, charter = _diff(NO_WEEKEND)
    (change,) = _find(charter, "feature weekend")
    assert (change.client, change.effect, change.before, change.after) == \
        ("finance", "weakening", "offered", "not offered")


def test_reduced_saturday_hours_lose_needed_hours():
    needs = {"hours": {"schedule": [{"days": "mon-fri", "from": "09:00", "to": "17:00"},
                                    {"days": "sat", "from": "09:00", "to": "13:00"}],
                       "timezone": "Europe/Paris", "holidays": "FR"}}
    before = {"tiers": [{"id": "standard", "hours": {"schedule": [
        *SATURDAY, {"days": "sat", "from": "08:00", "to": "14:00"}]}}],
              "clients": [{"id": "hr", "needs": needs}]}
    after = apply_overlay(before, {"tiers": [{"id": "standard", "hours": {"schedule": [
        *SATURDAY, {"days": "sat", "from": "08:00", "to": "12:00"}]}}]})
    old, new = _variant(before, "2.4.0"), _variant(after, "2.4.1")
    (charter,) = diff_loaded([old], [new]).charters
    hours = {c.client: c for c in charter.changes if c.subject == "support hours"}
    assert set(hours) == {"hr", "legal", "procurement"}
    hr = hours["hr"]
    assert (hr.effect, hr.bump) == ("weakening", "major")
    assert (hr.before, hr.after) == ("54.1 h/week", "52.2 h/week")
    assert hr.note.startswith("needed hours no longer covered: 1 h/week; "
                              "first Sat 2026-01-03 12:00-13:00 Europe/Paris")
    # legal and procurement need no Saturday: the hours they lose are not needed
    assert hours["legal"].effect == "neutral" and hours["legal"].bump == "minor"
    (g706,) = charter.diagnostics
    assert g706.rule == "G706" and g706.severity.value == "error"
    assert (g706.file, g706.line, g706.column) == ("charters/it-service-desk.charter.yaml", 13, 12)
    assert "2.4.0 -> 2.4.1 is a patch bump; the changes require a major bump" in g706.message
    assert "support hours (hr): weakening" in g706.message, g706.message
    assert g706.hint.startswith("set metadata.version to 3.0.0")


def test_shifted_hours_are_both_a_weakening_and_a_strengthening():
    shifted = {"tiers": [{"id": "standard", "hours": {"schedule": [
        {"days": "mon-fri", "from": "09:00", "to": "19:00"}]}}]}
    _, charter = _diff(shifted)
    # legal needs 08:30-18:00: it loses 08:30-09:00 and gains 18:00-19:00
    effects = sorted(c.effect for c in _find(charter, "support hours", "legal"))
    assert effects == ["strengthening", "weakening"]
    # hr needs 09:00-17:00: the hour lost (08:00-09:00) is not one it needs
    effects = sorted(c.effect for c in _find(charter, "support hours", "hr"))
    assert effects == ["neutral", "strengthening"]


def test_price_rise_in_year_two():
    _, charter = _diff(PRICE_RISE)
    (price,) = _find(charter, "price per ticket", "hr")
    assert (price.effect, price.bump) == ("weakening", "major")
    assert price.before == "2027: EUR 38.76, 2028: EUR 39.54"
    assert price.after == "2027: EUR 39.90, 2028: EUR 41.90"
    assert price.note == "higher in 2027, 2028"
    (charge,) = _find(charter, "projected charge", "hr")
    assert charge.effect == "weakening"
    # 2028: 6,242 tickets (6,242.4 rounded) x EUR 41.90 (41.895 rounded half-even) = 261,539.80
    assert charge.after == "2027: EUR 244,188, 2028: EUR 261,540"
    assert not [c for c in charter.changes if c.client == "finance"]  # premium did not move


def test_new_client_takes_the_primary_role():
    _, charter = _diff(NEW_CLIENT)
    (added,) = _find(charter, "client", "treasury")
    assert (added.effect, added.bump) == ("neutral", "minor")
    (role,) = _find(charter, "role", "finance")
    assert (role.effect, role.bump, role.before, role.after) == \
        ("weakening", "major", "primary", "secondary")
    assert role.note == "no longer primary in 2026, 2027, 2028"
    assert {c.effect for c in _find(charter, "share", "finance")} == {"neutral"}


@pytest.mark.parametrize("version, fires", [("2.4.1", True), ("2.5.0", True), ("2.4.0", True),
                                            ("3.0.0", False), ("10.0.0", False)])
def test_g706_fires_when_the_bump_is_too_small(version, fires):
    result, charter = _diff(NO_WEEKEND, version)
    assert bool(charter.diagnostics) is fires
    assert result.exit_code == (1 if fires else 0)


def test_wording_needs_a_patch_and_nothing_needs_nothing():
    _, charter = _diff({"metadata": {"title": "IT Service Desk (Group)"}}, "2.4.0")
    (change,) = charter.changes
    assert (change.subject, change.effect, change.bump) == ("metadata.title", "neutral", "patch")
    assert charter.required == "patch" and charter.diagnostics
    _, same = _diff({}, "2.4.0")
    assert same.changes == [] and same.required == "none" and not same.diagnostics


def test_strengthenings_need_a_minor_bump():
    tighter = {"tiers": [{"id": "premium", "objectives": {"response": {"P1": "10m"}}}],
               "security": {"breach_notification": "24h"}}
    _, charter = _diff(tighter, "2.5.0")
    assert {(c.subject, c.effect) for c in charter.changes} == {
        ("response P1", "strengthening"), ("breach notification", "strengthening")}
    assert charter.required == "minor" and not charter.diagnostics


def test_security_weakenings():
    looser = {"security": {"isolation": "none", "transfers": "scc",
                           "subprocessors": [{"name": "Acme Hosting", "country": "DE"},
                                             {"name": "Far Cloud", "country": "US"}]}}
    _, charter = _diff(looser)
    assert {(c.subject, c.effect) for c in charter.changes if c.client is None} == {
        ("isolation", "weakening"), ("transfers outside residency", "weakening"),
        ("sub-processor Far Cloud", "weakening")}


@pytest.mark.parametrize("old, old_clock, new, new_clock, expected", [
    ("8h", "business", "8h", "calendar", True),     # calendar never later than business
    ("2d", "business", "1d", "calendar", True),     # under the 48h minimum
    ("1d", "business", "2d", "calendar", None),     # undecided (spec section 6)
    # the business minimum only equals the calendar target: undecided, as T604 does not
    # call a higher tier's business 4h slower than a lower tier's calendar 4h
    ("4h", "calendar", "4h", "business", None),
    ("4h", "calendar", "5h", "business", False),
    ("5d", "calendar", "10d", "business", False),
    ("10d", "calendar", "5d", "business", None),    # undecided
    ("4h", "business", "2h", "business", True),
])
def test_targets_under_different_clocks(old, old_clock, new, new_clock, expected):
    from charterc.calendar import Schedule
    hours = Schedule.from_value({"schedule": SATURDAY, "timezone": "Europe/Paris"})
    assert compare_targets(duration(old), old_clock, hours, duration(new), new_clock,
                           hours) is expected


def test_undecided_pair_is_a_neutral_minor_change():
    mixed = {"tiers": [{"id": "standard", "objectives": {
        "resolution": {"clock": "calendar", "P4": "12d"}}}]}
    _, charter = _diff(mixed)
    p4 = _find(charter, "resolution P4", "hr")[0]
    assert (p4.effect, p4.bump) == ("neutral", "minor") and p4.note.startswith("undecided")


def test_semver_bumps():
    v = parse_version
    assert bump_made(v("2.4.0"), v("3.0.0")) == "major"
    assert bump_made(v("2.4.0"), v("2.5.0")) == "minor"
    assert bump_made(v("2.4.0"), v("2.4.1-rc.1")) == "patch"
    assert bump_made(v("2.4.0"), v("2.3.9")) == "none"
    assert parse_version("2.4") is None


def test_renderers():
    result, _ = _diff({"tiers": NO_WEEKEND["tiers"] + PRICE_RISE["tiers"]}, "2.4.1")
    from charterc.render.diff import render_json, render_markdown, render_text
    data = json.loads(render_json(result))
    assert data["exit_code"] == 1
    assert data["charters"][0]["required"] == "major"
    assert data["charters"][0]["diagnostics"][0]["rule"] == "G706"
    markdown = render_markdown(result)
    assert "### `it-service-desk` 2.4.0 -> 2.4.1: requires a major bump; made a patch bump ❌" \
        in markdown
    table = markdown.split("**hr**", 1)[1].split("\n\n")[1].splitlines()
    assert table[0] == "| Effect | Bump | Change | Before | After | Note |"
    effects = [row.split("|")[1].strip() for row in table[2:]]
    assert effects == sorted(effects, key=lambda e: ("weakening" not in e, e))
    text = render_text(result)
    assert "error[G706]" in text and "  finance:\n    weakening      major  feature weekend" in text


# -- the command, on files and on git revisions -------------------------------------------

def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
                        "HOME": str(repo), "PATH": "/usr/bin:/bin:/usr/local/bin"})


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_of_two_git_revisions(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    charters = repo / "charters"
    charters.mkdir(parents=True)
    text = BASE.read_text(encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    (charters / "desk.charter.yaml").write_text(text, encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    looser = text.replace("P1: 15m, P2: 1h", "P1: 30m, P2: 1h").replace("version: 2.4.0\n",
                                                                        "version: 2.5.0\n")
    assert looser != text
    (charters / "desk.charter.yaml").write_text(looser, encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "looser P1")
    # the working tree goes back to the base: the diff must read the revisions, not the files
    (charters / "desk.charter.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(repo)
    run = CliRunner().invoke(main, ["diff", "HEAD~1", "HEAD", "charters/", "--format", "json"])
    assert run.exit_code == 1, run.output
    data = json.loads(run.output)
    (charter,) = data["charters"]
    assert charter["old"] == {"file": "charters/desk.charter.yaml", "version": "2.4.0"}
    assert charter["new"]["version"] == "2.5.0"
    assert [c["subject"] for c in charter["changes"]] == ["response P1"]
    assert charter["diagnostics"][0]["line"] == 13
    run = CliRunner().invoke(main, ["diff", "HEAD~1", "charters"])  # revision vs working tree
    assert run.exit_code == 0 and "no change in content" in run.output
    run = CliRunner().invoke(main, ["diff", "no-such-branch", "HEAD"])
    assert run.exit_code == 2 and "neither a file, a folder nor a git revision" in run.output


def test_diff_of_two_files_with_markdown(tmp_path):
    new = tmp_path / "new.charter.yaml"
    new.write_text(BASE.read_text(encoding="utf-8").replace("breach_notification: 48h",
                                                            "breach_notification: 72h"),
                   encoding="utf-8")
    run = CliRunner().invoke(main, ["diff", str(BASE), str(new), "--format", "markdown"])
    assert run.exit_code == 1
    assert "| **weakening** | major | breach notification | 48h | 72h |" in run.output


def test_broken_new_charter_is_not_compared(tmp_path):
    new = tmp_path / "new.charter.yaml"
    new.write_text("apiVersion: charterc/v1\nkind: Charter\n", encoding="utf-8")
    run = CliRunner().invoke(main, ["diff", str(BASE), str(new)])
    assert run.exit_code == 1
    assert "not compared" in run.output and "S201" in run.output


# -- hours read with the checks' defaults (charterc.model.hours) ---------------------------------

def test_hours_changes_speak_in_the_clients_own_zone():
    ny = {"clients": [{"id": "hr", "timezone": "America/New_York", "needs": {"hours": {
        "schedule": [{"days": "mon-fri", "from": "03:00", "to": "11:00"}], "timezone": None}}}]}
    later = apply_overlay(ny, {"tiers": [{"id": "standard", "hours": {"schedule": [
        {"days": "mon-fri", "from": "09:00", "to": "19:00"}]}}]})
    (charter,) = diff_loaded([_variant(ny, "2.4.0")], [_variant(later, "3.0.0")]).charters
    hr = {c.effect: c for c in _find(charter, "support hours", "hr")}
    # 03:00 in New York is 08:00 in Paris only while the zones' clocks disagree
    assert hr["weakening"].note == ("needed hours no longer covered: 0.3 h/week; "
                                    "first Mon 2026-03-09 03:00-04:00 America/New_York")
    assert hr["strengthening"].note.endswith("first Fri 2026-01-02 12:00-13:00 America/New_York")


def test_maintenance_without_a_zone_is_in_the_tier_hours_zone():
    implicit = {"tiers": [{"id": "standard", "hours": {"timezone": "Europe/London"},
                           "maintenance": {"timezone": None}}]}
    explicit = apply_overlay(implicit, {"tiers": [{"id": "standard",
                                                   "maintenance": {"timezone": "Europe/London"}}]})
    (charter,) = diff_loaded([_variant(implicit, "2.4.0")], [_variant(explicit, "2.4.0")]).charters
    assert not [c for c in charter.changes if c.subject == "maintenance windows"]


def test_the_term_ends_after_period_end():
    from charterc.diff.levels import term_of
    from charterc.model.charter import build_model
    document = apply_overlay(_base().document, {"period": {"years": None, "end": "2028-12-31"}})
    assert term_of(build_model(document)) == (date(2026, 1, 1), date(2029, 1, 1))


def test_a_longer_term_is_a_strengthening_shown_to_its_last_day():
    _, charter = _diff({"period": {"years": 4}}, "2.5.0")
    (term,) = _find(charter, "term")
    assert (term.effect, term.before, term.after) == \
        ("strengthening", "2026-01-01 to 2028-12-31", "2026-01-01 to 2029-12-31")
    _, charter = _diff({"period": {"years": None, "end": "2028-12-31"}}, "2.4.1")
    (term,) = _find(charter, "term")   # the same three years, written another way
    assert (term.effect, term.bump, term.note) == ("neutral", "patch", "same term")
    assert charter.required == "patch" and not charter.diagnostics
