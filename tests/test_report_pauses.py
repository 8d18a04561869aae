"""Paused clocks (`pause_on` + `report --history`, spec section 9): the hand-checked fixture,
U107, and two properties.

The fixture (tests/report/): pauses.charter.yaml is the report fixture's charter with
`pause_on` on both objectives of `standard` (business clock, Paris mon-fri 08:00-18:00,
FR holidays: 11 November 2026 is a Wednesday) and on the resolution of `premium`
(calendar clock). pauses-tickets.csv and pauses-history.csv hold November 2026 (UTC+1 in
Paris all month). Every figure below was worked out by hand before the engine ran:

A, legal, P2, opened Tue 10 Nov 16:00; resolution 2d (business): the close of the 2nd
  open day after Tue 10: Wed 11 is a holiday, so Thu 12 (1st), Fri 13 (2nd) -> due
  Fri 13 Nov 18:00. Paused `Awaiting Customer` Tue 10 17:00 -> Mon 16 10:00, across the
  holiday and the weekend. Open time in the pause: Tue 17:00-18:00 1h + Thu 10h + Fri 10h
  + Mon 08:00-10:00 2h = 23h = 1,380 business minutes. The deadline moves by 23 open
  hours after Fri 13 18:00: Mon 16 10h (13h left), Tue 17 10h (3h left), Wed 18 08:00 + 3h
  -> due Wed 18 Nov 11:00. Resolved Wed 18 10:30: met (breached without the history).
A2, the same ticket resolved at 11:30: breached, due Wed 18 Nov 11:00, paused 1,380 min
  (its status is written `awaiting customer`).
B, finance, P2, opened Mon 2 Nov 09:00; resolution 8h (calendar) -> due 17:00. Paused
  twice, written `awaiting_customer` (10:00-11:30, 90 min) and `Awaiting Customer`
  (13:00-14:00, 60 min): 150 min, due 19:30. Resolved 19:00: met (breached without).
C, legal, P1, opened Mon 30 Nov 09:00; resolution 8h (business) -> due Mon 30 17:00.
  Paused `Awaiting-Customer` from 12:00 until Tue 1 Dec 10:00, after the period: as at the
  end of the period (Tue 1 Dec 00:00) the pause has lasted 12:00-18:00 = 6h of open time
  (360 min), so the deadline is 6 open hours after Mon 17:00: Mon 1h, then Tue 1 Dec
  08:00 + 5h -> due Tue 1 Dec 13:00, after the end: pending (breached without the
  history: due 17:00 and not resolved within the period).
D, legal, P2, opened Mon 2 Nov 09:00; response 4h (business) -> due 13:00; answered
  15:00: breached. Its pause `AWAITING CUSTOMER` 14:00-14:30 starts after the deadline:
  nothing moves, 0 min paused. Resolution 2d -> due Wed 4 Nov 18:00, resolved Mon 16:00:
  met. D is for `weekend`, a feature its tier lacks: U108 on its line (6), column 7.
X has history but no ticket: ignored. Responses of A, A2, B and C come before any pause.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle.report_rows import RowHistory, RowMeasure, row_clocks

from charterc.cli import main
from charterc.loaders import load_path
from charterc.model.charter import build_model
from charterc.model.projection import Facts
from charterc.report import build_report
from charterc.report.inputs import Ticket
from charterc.report.measure import range_period

HERE = Path(__file__).parent / "report"
CHARTER = HERE / "pauses.charter.yaml"
TICKETS = HERE / "pauses-tickets.csv"
HISTORY = HERE / "pauses-history.csv"
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


@cache
def charter():
    loaded = load_path(CHARTER, display="pauses.charter.yaml")
    return build_model(loaded.document), loaded


def run(history=HISTORY, **options):
    model, loaded = charter()
    return build_report(model, loaded, tickets=TICKETS, outages=None, start=NOVEMBER[0],
                        end=NOVEMBER[1], tickets_display="pauses-tickets.csv",
                        history=history, history_display=history and history.name, **options)


def figures(part):
    return part["met"], part["total"], part["pending"]


def test_the_hand_checked_pauses():
    result = run()
    assert result.diagnostics == [] and result.skipped == 0
    legal = result.document["clients"]["legal"]
    finance = result.document["clients"]["finance"]
    # response: A, A2, C met; D breached (its pause comes after its deadline)
    assert figures(legal["response"]) == (3, 4, 0)
    # resolution: A and D met, A2 breached, C pending
    assert figures(legal["resolution"]) == (2, 3, 1)
    assert figures(finance["resolution"]) == (1, 1, 0)   # B met thanks to 150 min paused
    assert legal["breaches"] == [
        {"id": "D", "priority": "P2", "objective": "response",
         "opened": "2026-11-02T09:00:00+01:00", "due": "2026-11-02T13:00:00+01:00",
         "at": "2026-11-02T15:00:00+01:00", "paused_minutes": 0.0},
        {"id": "A2", "priority": "P2", "objective": "resolution",
         "opened": "2026-11-10T16:00:00+01:00", "due": "2026-11-18T11:00:00+01:00",
         "at": "2026-11-18T11:30:00+01:00", "paused_minutes": 1380.0},
    ]
    assert legal["pending"] == [
        {"id": "C", "priority": "P1", "objective": "resolution",
         "opened": "2026-11-30T09:00:00+01:00", "due": "2026-12-01T13:00:00+01:00",
         "paused_minutes": 360.0}]
    assert finance["breaches"] == [] and finance["pending"] == []
    assert result.document["pauses"] == {"statuses": ["awaiting-customer", "pending-vendor"],
                                         "measured": True, "history": "pauses-history.csv"}


def test_without_the_history_the_same_tickets_breach_and_u107_says_why():
    result = run(history=None)
    legal = result.document["clients"]["legal"]
    assert figures(legal["resolution"]) == (1, 4, 0)   # A, A2 and C breached, D met
    assert figures(result.document["clients"]["finance"]["resolution"]) == (0, 1, 0)
    due = {(b["id"], b["objective"]): b["due"] for b in legal["breaches"]}
    assert due[("A", "resolution")] == "2026-11-13T18:00:00+01:00"
    assert due[("C", "resolution")] == "2026-11-30T17:00:00+01:00"
    assert "paused_minutes" not in legal["breaches"][0]
    u107 = [d for d in result.warnings if d.rule == "U107"]
    assert len(u107) == 1
    # the first pause_on of the charter: the standard tier's response, line 42, column 28
    assert (u107[0].file, u107[0].line, u107[0].pointer) == (
        "pauses.charter.yaml", 42, "/tiers/0/objectives/response/pause_on")
    assert result.document["pauses"]["measured"] is False


def test_u108_names_the_ticket_on_a_feature_outside_the_tier():
    result = run()
    u108 = [d for d in result.warnings if d.rule == "U108"]
    assert [(d.file, d.line, d.column) for d in u108] == [("pauses-tickets.csv", 6, 7)]
    assert "ticket D of client legal" in u108[0].message and "standard" in u108[0].message
    usage = result.document["clients"]["legal"]["usage"]
    assert usage["features"] == {"incident": 3, "weekend": 1}
    assert usage["channels"] == {"email": 2, "phone": 1, "portal": 1}
    assert usage["outside_tier"] == [
        {"id": "D", "feature": "weekend", "opened": "2026-11-02T09:00:00+01:00"}]


def test_a_bad_history_row_is_u101_at_its_line(tmp_path):
    history = tmp_path / "history.csv"
    history.write_text("id,at,status\nA,2026-11-10T17:00:00+01:00,Awaiting Customer\n"
                       "A,16/11/2026,In Progress\n", encoding="utf-8")
    result = run(history=history)
    assert [(d.rule, d.line, d.column) for d in result.diagnostics] == [("U101", 3, 2)]
    assert result.skipped == 1


def test_cli_report_with_history_shows_paused_time(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [
        "report", str(CHARTER), "--tickets", str(TICKETS), "--history", str(HISTORY),
        "--period", "2026-11", "-o", str(out), "--format", "md,json"])
    assert result.exit_code == 0, result.output
    assert "U108" in result.output and "U107" not in result.output
    md = (out / "pause-desk" / "2026-11" / "provider.en.md").read_text(encoding="utf-8")
    assert "| A2 | P2 | Resolution | 2026-11-10 16:00 | 2026-11-18 11:00 | 2026-11-18 11:30 | " \
           "23 h |" in md
    without = CliRunner().invoke(main, [
        "report", str(CHARTER), "--tickets", str(TICKETS), "--period", "2026-11",
        "-o", str(tmp_path / "plain"), "--format", "json"])
    assert without.exit_code == 0 and "warning[U107]" in without.output


# -- properties ---------------------------------------------------------------------------

_START = int(datetime(2026, 11, 1, tzinfo=UTC).timestamp())
_DAY = 86400


@st.composite
def _tickets(draw):
    """A ticket of November (any client, priority), its events, and pauses in its life."""
    model, _ = charter()
    opened = _START + draw(st.integers(0, 29 * _DAY))
    response = opened + draw(st.integers(0, 5 * _DAY))
    resolved = response + draw(st.integers(0, 10 * _DAY))
    if draw(st.booleans()):
        resolved = None
    client = draw(st.sampled_from([c.id for c in model.clients]))
    priority = draw(st.sampled_from(list(model.priorities)))
    changes = draw(st.lists(st.tuples(st.integers(0, 12 * _DAY),
                                      st.sampled_from(["Awaiting Customer", "In Progress",
                                                       "pending_vendor", "Resolved"])),
                            max_size=6))
    return Ticket(2, "T", client, priority, opened, response, resolved), \
        [(opened + offset, status) for offset, status in changes]


def _measure(history):
    model, _ = charter()
    period = range_period(*NOVEMBER, model.provider.timezone)
    return RowMeasure(model, Facts(model), period, row_clocks(model), history), period


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_tickets())
def test_no_history_gives_todays_figures_and_a_pause_never_breaks_a_met_ticket(case):
    ticket, changes = case
    today, period = _measure(None)
    empty, _ = _measure(RowHistory(["awaiting-customer", "pending-vendor"]))
    log = RowHistory(["awaiting-customer", "pending-vendor"])
    for at, status in changes:
        log.add(ticket.id, at, status)
    paused, _ = _measure(log)
    for k in (0, 1):
        clock = today.clocks[ticket.client]
        before = today._status(ticket, k, period.end, clock)
        assert empty._status(ticket, k, period.end, clock) == before
        after = paused._status(ticket, k, period.end, clock)
        if before is None:
            assert after is None
            continue
        assert after[0] >= before[0]                      # a deadline only moves later
        if before[1] == "met":
            assert after[1] == "met"
        if after[3] == 0:
            assert after == before


def test_without_history_every_figure_is_that_of_the_charter_without_pauses():
    import copy

    from charterc.report.engine import build_report as report
    _model, loaded = charter()
    document = copy.deepcopy(loaded.document)
    for tier in document["tiers"]:
        for objective in tier["objectives"].values():
            objective.pop("pause_on", None)
    plain = build_model(document)
    expected = report(plain, None, tickets=TICKETS, outages=None, start=NOVEMBER[0],
                      end=NOVEMBER[1], tickets_display="pauses-tickets.csv").document
    got = run(history=None).document
    assert got["clients"] == expected["clients"]
    assert got["provider"] == expected["provider"]
