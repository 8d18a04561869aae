"""Coverage rules V501-V506 beyond their fixtures: defaults, skips after V505, properties.

Documents are the example base charter with an overlay (charterc/checks/examples.py),
so each test shows only what it changes.
"""
from __future__ import annotations

from datetime import date

import pytest
from helpers import check_document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import charters

from charterc.checks import CheckContext, coverage
from charterc.checks.examples import apply_overlay, base_document
from charterc.model.charter import build_model

TODAY = date(2026, 6, 1)
RULES = (coverage.needed_hours_covered, coverage.needed_features_offered,
         coverage.calendar_clock_needs_24x7, coverage.maintenance_outside_needs,
         coverage.zones_and_calendars_exist, coverage.offer_in_use)


def found(overlay: dict, prefix: str = "V5"):
    document = apply_overlay(base_document(), overlay)
    return [d for d in check_document(document, TODAY) if d.rule.startswith(prefix)]


def run_rules(document: dict) -> list:
    """Every coverage rule on a document, called directly (no pipeline in between)."""
    ctx = CheckContext(build_model(document), TODAY)
    return [(check.rule_id, d) for check in RULES for d in check(ctx)]


def alpha_needs(hours) -> dict:
    return {"clients": [{"id": "alpha", "needs": {"hours": hours}}]}


# -- V501 -------------------------------------------------------------------------------

def test_round_the_clock_need_on_a_weekday_tier_is_shown_in_the_clients_zone():
    diags = found({"clients": [{"id": "alpha", "timezone": "Asia/Tokyo",
                                "needs": {"hours": "24x7"}}]}, "V501")
    assert [d.pointer for d in diags] == ["/clients/0/needs/hours"]
    message = diags[0].message
    # Tokyo 00:00-02:00 on 1 January is Paris 16:00-18:00 on 31 December: still open
    assert "Asia/Tokyo" in message and "first 2026-01-01 02:00-16:00" in message
    assert "118 h in the worst week" in message  # 168 h less the 50 h of Paris office hours


def test_needed_hours_inherit_the_clients_zone_then_the_providers():
    written = {"schedule": [{"days": "mon-fri", "from": "09:00", "to": "17:00"}]}
    assert not found(alpha_needs(written))  # Paris, like the tier
    moved = found({"clients": [{"id": "alpha", "timezone": "America/New_York",
                                "needs": {"hours": {"timezone": None}}}]})
    assert [d.rule for d in moved] == ["V501"]
    assert "America/New_York" in moved[0].message


def test_needed_hours_inherit_the_providers_holidays():
    tier_fr = {"tiers": [{"id": "standard", "hours": {"holidays": "FR"}}]}
    # the need states no holidays: it takes the provider's (none), so French holidays are gaps
    open_need = found({**tier_fr,
                       "clients": [{"id": "alpha", "needs": {"hours": {"holidays": None}}}]})
    assert [d.rule for d in open_need] == ["V501"]
    assert "only on tier standard's holidays, FR" in open_need[0].message
    assert "holidays: FR" in open_need[0].hint
    # with provider holidays FR the need closes on the same days
    closed = found({**tier_fr, "provider": {"holidays": "FR"},
                    "clients": [{"id": "alpha", "needs": {"hours": {"holidays": None}}}]})
    assert not closed


def test_gap_hint_names_the_tiers_that_cover_the_need():
    diags = found(alpha_needs({"schedule": [{"days": "sat", "from": "10:00", "to": "12:00"}]}))
    assert diags[0].hint.startswith("move client alpha to tier premium")


def test_a_24x7_tier_covers_everything():
    assert not found({"clients": [{"id": "alpha", "tier": "premium", "needs": {"hours": "24x7"}}]},
                     "V501")


# -- V502 / V503 / V506 -----------------------------------------------------------------

def test_feature_offered_by_no_tier_is_said_so():
    diags = found({"features": [{"id": "reports", "name": "Reports"}],
                   "clients": [{"id": "alpha", "needs": {"features": ["incident", "reports"]}}]},
                  "V502")
    assert [d.pointer for d in diags] == ["/clients/0/needs/features/1"]
    assert "no tier does" in diags[0].message
    assert diags[0].hint == "add reports to tier standard's features"


def test_round_the_clock_schedule_with_holidays_is_not_24x7():
    overlay = {"tiers": [{"id": "standard",
                          "hours": {"schedule": [{"days": "daily", "from": "00:00", "to": "24:00"}],
                                    "holidays": "FR"},
                          "objectives": {"resolution": {"clock": "calendar"}}}]}
    diags = found(overlay, "V503")
    assert [d.pointer for d in diags] == ["/tiers/0/objectives/resolution/clock"]
    assert "daily 00:00-24:00 Europe/Paris holidays FR" in diags[0].message
    overlay["tiers"][0]["hours"]["holidays"] = "none"
    assert not found(overlay, "V503")


def test_a_draft_without_clients_is_not_told_its_tiers_are_unused():
    document = base_document()
    document["clients"] = []
    assert not [d for d in check_document(document, TODAY) if d.rule == "V506"]


# -- V504 -------------------------------------------------------------------------------

def test_maintenance_against_a_round_the_clock_need_in_the_clients_zone():
    diags = found({"tiers": [{"id": "premium",
                              "maintenance": {"schedule": [{"days": "sun", "from": "02:00",
                                                            "to": "04:00"}]}}],
                   "clients": [{"id": "beta", "timezone": "Europe/London"}]}, "V504")
    assert [d.pointer for d in diags] == ["/tiers/1/maintenance/schedule/0"]
    # Paris 02:00-04:00 is London 01:00-03:00; 1 h on spring-forward night, 3 h on fall-back
    assert "Sundays 01:00-03:00 Europe/London" in diags[0].message
    assert "up to 3 h a week (average 2 h)" in diags[0].message
    assert "first 2026-01-04 01:00-03:00" in diags[0].message


def test_maintenance_is_not_closed_by_holidays():
    """The provider's calendar (FR) closes tier hours, not maintenance: a need open on
    holidays overlaps Tuesday's window on 14 July too, so every Tuesday of the term counts."""
    tuesdays = sum(1 for n in range((date(2029, 1, 1) - date(2026, 1, 1)).days)
                   if date.fromordinal(date(2026, 1, 1).toordinal() + n).weekday() == 1)
    diags = found({"provider": {"holidays": "FR"},
                   "tiers": [{"id": "standard", "hours": {"holidays": None},
                              "maintenance": {"schedule": [{"days": "tue", "from": "12:00",
                                                            "to": "13:00"}]}}],
                   "clients": [{"id": "alpha", "needs": {"hours": {"holidays": "none"}}}]}, "V504")
    assert len(diags) == 1
    assert f"{tuesdays} weeks, {tuesdays} h in the term" in diags[0].message


# -- V505 and the skips it causes ---------------------------------------------------------

def test_unknown_provider_zone_is_reported_once_and_inheriting_hours_are_skipped():
    overlay = {"provider": {"timezone": "Europe/Pariss"},
               "tiers": [{"id": "standard", "hours": {"timezone": None},
                          "maintenance": {"timezone": None}}],
               "clients": [{"id": "alpha", "needs": {"hours": {
                   "timezone": None,
                   "schedule": [{"days": "daily", "from": "00:00", "to": "24:00"}]}}}]}
    diags = [d for d in check_document(apply_overlay(base_document(), overlay), TODAY)
             if d.severity.value != "info"]
    assert [(d.rule, d.pointer) for d in diags] == [("V505", "/provider/timezone")]
    assert "did you mean Europe/Paris?" in diags[0].hint


def test_a_bad_client_zone_does_not_hide_needs_that_state_their_own():
    diags = found({"clients": [{"id": "alpha", "timezone": "Europe/Pariss", "needs": {"hours": {
        "schedule": [{"days": "mon-sat", "from": "09:00", "to": "17:00"}]}}}]})
    assert sorted((d.rule, d.pointer) for d in diags) == [("V501", "/clients/0/needs/hours"),
                                                          ("V505", "/clients/0/timezone")]
    # a 24x7 need is read in the client's zone: unknown, so it is skipped
    assert [d.rule for d in found({"clients": [{"id": "alpha", "timezone": "Europe/Pariss",
                                                "needs": {"hours": "24x7"}}]})] == ["V505"]


def test_malformed_holiday_mapping_is_reported_at_the_part_at_fault():
    diags = found(alpha_needs({"holidays": {"country": "US-NY", "subdivision": "CA"}}))
    assert [(d.rule, d.pointer) for d in diags] == [
        ("V505", "/clients/0/needs/hours/holidays/subdivision")]
    assert "subdivision given twice" in diags[0].message


def test_unknown_country_points_at_the_country():
    diags = found({"tiers": [{"id": "standard", "hours": {"holidays": {"country": "QQ"}}}]})
    assert [(d.rule, d.pointer) for d in diags] == [("V505", "/tiers/0/hours/holidays/country")]
    assert "unknown holiday calendar 'QQ'" in diags[0].message


def test_a_range_the_schema_lets_through_but_the_calendar_refuses_is_skipped():
    """`from` == `to` is ambiguous (nothing or 24 hours): no coverage finding, no crash."""
    overlay = alpha_needs({"schedule": [{"days": "mon-sat", "from": "09:00", "to": "09:00"}]})
    assert not found(overlay)


# -- properties ---------------------------------------------------------------------------

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(charters())
def test_coverage_rules_never_raise(document):
    for rule_id, diagnostic in run_rules(document):
        assert diagnostic.pointer.startswith("/") and diagnostic.message
        assert rule_id != "V505"  # the strategy draws real zones and calendars only


_PLACES = ("provider", "tier", "maintenance", "client", "needs")


def _plant(document: dict, place: str, value: str) -> str | None:
    """Write an unknown zone at `place` (when the document has one); its pointer."""
    if place == "provider":
        document["provider"]["timezone"] = value
        return "/provider/timezone"
    items = document["tiers"] if place in ("tier", "maintenance") else document["clients"]
    for i, item in enumerate(items):
        if place == "tier" and isinstance(item["hours"], dict):
            item["hours"]["timezone"] = value
            return f"/tiers/{i}/hours/timezone"
        if place == "maintenance" and "maintenance" in item:
            item["maintenance"]["timezone"] = value
            return f"/tiers/{i}/maintenance/timezone"
        if place == "client":
            item["timezone"] = value
            return f"/clients/{i}/timezone"
        needs = item.get("needs") or {}
        if place == "needs" and isinstance(needs.get("hours"), dict):
            needs["hours"]["timezone"] = value
            return f"/clients/{i}/needs/hours/timezone"
    return None


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(charters(), st.sampled_from(_PLACES), st.sampled_from(("Mars/Olympus", "Europe/Pariss",
                                                               "America/NewYork")))
def test_an_unknown_zone_anywhere_is_v505_and_nothing_raises(document, place, zone):
    pointer = _plant(document, place, zone)
    results = run_rules(document)
    if pointer is not None:
        assert ("V505", pointer) in [(rule_id, d.pointer) for rule_id, d in results]
    assert all(d.pointer != pointer for rule_id, d in results if rule_id != "V505")


@pytest.mark.parametrize("rule_id", ["V501", "V502", "V503", "V504", "V505", "V506"])
def test_each_rule_is_registered_with_its_documented_severity(rule_id):
    from charterc.diagnostics.rules import RULES
    expected = "warning" if rule_id in ("V504", "V506") else "error"
    assert RULES[rule_id].severity.value == expected
