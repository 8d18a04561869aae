"""Report rendering: the report document -> Markdown and HTML, en and fr, with charts.

Developed against a hand-written document (tests/report_render_sample.json: two
clients on both tiers, breaches, pending tickets, trend, weekly volumes) so that the
renderer is tested apart from the engine. Goldens in tests/golden/report/; after an
intended change run `CHARTERC_UPDATE_GOLDEN=1 pytest tests/test_report_render.py`
and review the diff.
"""
from __future__ import annotations

import copy
import difflib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charterc.render.report import charts, render_report, report_documents

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "tests" / "report_render_sample.json"
GOLDEN = ROOT / "tests" / "golden" / "report"
UPDATE = os.environ.get("CHARTERC_UPDATE_GOLDEN") == "1"
EVIL = "<script>alert(1)</script> | pipes |"


def sample() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def client_document(document: dict, client: str, skipped: int = 0) -> dict:
    """The per-client document the engine writes: that client only, its own skipped count."""
    return {"charter": document["charter"], "period": document["period"], "scope": client,
            "skipped": {"count": skipped}, "clients": {client: document["clients"][client]}}


def needs_matplotlib(fmt: str):
    if fmt == "html":
        pytest.importorskip("matplotlib", reason="charts need matplotlib (charterc[reports])")


CASES = [(scope, lang, fmt) for scope in ("provider", "finance") for lang in ("en", "fr")
         for fmt in ("md", "html")]


def render(scope: str, lang: str, fmt: str) -> str:
    document = sample()
    if scope != "provider":
        document = client_document(document, scope, skipped=1)
    return render_report(document, scope=scope, lang=lang, fmt=fmt)


# -- goldens ----------------------------------------------------------------------------

@pytest.mark.parametrize("scope, lang, fmt", CASES)
def test_golden(scope, lang, fmt):
    needs_matplotlib(fmt)
    text = render(scope, lang, fmt)
    golden = GOLDEN / f"{scope}.{lang}.{fmt}"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert golden.is_file(), f"no golden file {golden}: run with CHARTERC_UPDATE_GOLDEN=1"
    expected = golden.read_bytes().decode("utf-8")
    if text != expected:
        diff = "".join(list(difflib.unified_diff(
            expected.splitlines(True), text.splitlines(True), str(golden), "rendered"))[:80])
        pytest.fail(f"{golden.name} differs (CHARTERC_UPDATE_GOLDEN=1 regenerates):\n{diff}")


def test_the_figures_are_shown_in_each_language():
    en, fr = render("provider", "en", "md"), render("provider", "fr", "md")
    assert "| Group Finance | €3,120.00 | €312.00 | €2,808.00 |" in en
    assert "| Group Finance | 3\u202f120,00\xa0€ | 312,00\xa0€ | 2\u202f808,00\xa0€ |" in fr
    assert "| Group Finance | Resolution | 47 | 50 | 2 | 94% | 95% | **missed** |" in en
    assert ("| Group Finance | Résolution | 47 | 50 | 2 | 94\xa0% | 95\xa0% "
            "| **non respecté** |") in fr
    # business-clock deadlines read back as business days, calendar ones as days
    assert "| P3 | 10 | 9 | 0 | 1 business day | 100% (10 / 10) | 5 business days |" in en
    assert "| P4 | 15 | 14 | 1 | 1 day | 100% (14 / 14) | 5 days |" in en
    # a group without tickets has no median: a dash, not 0
    assert "| Out of hours | 0 | — | — |" in en
    # instants in the report's zone, across the DST change (10-26 is UTC+1)
    assert "| INC-2610-0031 | P3 | Resolution | 2026-10-24 18:15 | 2026-10-26 17:15 |" in en
    assert "| INC-2610-0021 | P3 | Resolution | 2026-10-21 09:30 | 2026-10-28 09:30 | " \
           "not done by the end of the period |" in en
    assert "| **October 2026** | 52 | 98.04% | 94% |" in en
    assert "| **octobre 2026** | 52 | 98,04\xa0% | 94\xa0% |" in fr
    assert "| tickets.csv | 42 | U101 |" in en


def test_french_reports_miss_no_translation():
    for fmt in ("md", "html"):
        needs_matplotlib(fmt)
        render("provider", "fr", fmt)
        render("finance", "fr", fmt)
    assert report_documents("EUR").language("fr").missing == set()


def test_money_is_in_the_charters_currency():
    document = sample()
    document["charter"]["currency"] = "CHF"
    text = render_report(document, scope="provider", lang="en", fmt="md")
    assert "| Group Finance | CHF3,120.00 | CHF312.00 | CHF2,808.00 |" in text


# -- a client sees itself only ------------------------------------------------------------

@pytest.mark.parametrize("lang, fmt", [("en", "md"), ("fr", "md"), ("en", "html")])
@pytest.mark.parametrize("whole", [False, True], ids=["client-document", "provider-document"])
def test_a_client_report_shows_no_other_client(lang, fmt, whole):
    needs_matplotlib(fmt)
    document = sample()
    if not whole:
        document = client_document(document, "finance")
    text = render_report(document, scope="finance", lang=lang, fmt=fmt)
    assert "Group Finance" in text and "INC-2610-0007" in text
    for other in ("Group Human Resources", "INC-2610-0012", "INC-2610-0049", "U102",
                  "marketing", "All clients", "Tous les clients", "3,994", "3\u202f994"):
        assert other not in text, other
    if whole:   # the provider's skipped rows are not the client's
        assert re.search(r"(Rows skipped|Lignes ignorées)( \| |</dt><dd>)0\b", text)


def test_a_provider_report_shows_every_client_and_the_totals():
    text = render("provider", "en", "md")
    assert "| Group Finance | premium | 52 |" in text
    assert "| Group Human Resources | standard | 23 |" in text
    assert "| **All clients** | €3,994.00 | €312.00 | €3,682.00 |" in text
    assert "## 10. Skipped rows" in text


# -- reproducible -----------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["md", "html"])
def test_rendering_twice_gives_the_same_bytes(fmt):
    needs_matplotlib(fmt)
    assert render("provider", "fr", fmt) == render("provider", "fr", fmt)


def test_the_same_bytes_under_other_hash_seeds():
    pytest.importorskip("matplotlib")
    code = ("import json,sys; from charterc.render.report import render_report; "
            f"d=json.load(open({str(SAMPLE)!r}, encoding='utf-8')); "
            "sys.stdout.buffer.write(render_report(d, scope='provider', lang='fr', "
            "fmt='html').encode())")
    outputs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                              capture_output=True, timeout=120)
        assert proc.returncode == 0, proc.stderr.decode()
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1] == render("provider", "fr", "html").encode()


# -- escaping ---------------------------------------------------------------------------

def evil_document() -> dict:
    document = sample()
    document["clients"]["finance"]["name"] = EVIL
    document["clients"]["finance"]["breaches"][0]["id"] = "INC-*7*_[x](y)"
    return document


def test_user_text_is_escaped_in_html():
    pytest.importorskip("matplotlib")
    text = render_report(evil_document(), scope="provider", lang="en", fmt="html")
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | pipes |" in text
    assert "<svg" in text   # the chart legends carry the name too, escaped


def test_user_text_is_escaped_in_markdown():
    text = render_report(evil_document(), scope="provider", lang="en", fmt="md")
    assert "<script>" not in text
    name = r"&lt;script&gt;alert(1)&lt;/script&gt; \| pipes \|"
    assert f"| {name} | premium | 52 |" in text
    assert r"| INC-\*7\*\_\[x\](y) | P1 |" in text
    for line in text.splitlines():   # every row of the volumes table keeps its 7 cells
        if line.startswith(f"| {name} | premium | 52 |"):
            assert len(re.findall(r"(?<!\\)\|", line)) == 8


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_any_client_name_keeps_markdown_tables_whole(name):
    document = sample()
    document["clients"]["hr"]["name"] = name
    text = render_report(document, scope="provider", lang="en", fmt="md")
    rows = [line for line in text.split("\n") if line.endswith("| standard | 23 | 30.67% | 22% "
                                                                 "| 21.51% | 509.6 |")]
    assert len(rows) == 1
    assert len(re.findall(r"(?<!\\)\|", rows[0])) == 8
    assert "\n#" not in text.split("## 2.")[1].split("## 3.")[0]   # no heading injected


# -- charts -----------------------------------------------------------------------------

def test_charts_are_inline_accessible_svg_with_unique_ids():
    pytest.importorskip("matplotlib")
    text = render("provider", "en", "html")
    svgs = re.findall(r"<svg\b[^>]*>", text)
    assert len(svgs) == 4
    for name in ("volume", "attainment", "turnaround", "usage"):
        assert f'aria-labelledby="chart-{name}-title chart-{name}-desc"' in text
    assert all('role="img"' in s for s in svgs)
    assert "<?xml" not in text and "<!DOCTYPE svg" not in text
    ids = re.findall(r'\bid="([^"]+)"', text)
    assert len(ids) == len(set(ids))
    assert '<desc id="chart-volume-desc">2026-W40: 11; 2026-W41: 17; 2026-W42: 17; ' \
           '2026-W43: 14; 2026-W44: 16</desc>' in text
    assert "<text" in text and "<image" not in text   # text stays text, no raster


def test_without_matplotlib_the_html_report_says_how_to_get_charts(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)   # import matplotlib -> ImportError
    assert charts.unavailable() == "charts need matplotlib: pip install 'charterc[reports]'"
    text = render_report(sample(), scope="provider", lang="en", fmt="html")
    assert "<svg" not in text
    assert ('<p class="warning">Charts are not included: charts need matplotlib: '
            "pip install &#39;charterc[reports]&#39;.</p>") in text
    assert "Service report: IT Service Desk" in text


def test_charts_are_available_here():
    pytest.importorskip("matplotlib")
    assert charts.unavailable() is None


# -- sparse documents and bad calls -------------------------------------------------------

def test_a_quiet_period_renders_with_dashes():
    document = client_document(sample(), "hr")
    hr = document["clients"]["hr"]
    hr.update(availability=None, breaches=[], pending=[], trend=[], weekly=[])
    for key in ("response", "resolution"):
        hr[key]["attainment"] = None
        for row in hr[key]["by_priority"].values():
            row["attainment"] = None
    text = render_report(document, scope="hr", lang="en", fmt="md")
    assert "| Group Human Resources | standard | no availability objective |" in text
    assert "| Group Human Resources | Response | 22 | 23 | 0 | — | 100% | — |" in text
    assert "No breach in the period." in text
    assert "Nothing is pending at the end of the period." in text


def test_a_quiet_period_has_charts_too():
    pytest.importorskip("matplotlib")
    document = client_document(sample(), "hr")
    hr = document["clients"]["hr"]
    hr.update(weekly=[], trend=[])
    hr["turnaround"] = {k: {"median": None, "p90": None, "count": 0} for k in hr["turnaround"]}
    text = render_report(document, scope="hr", lang="fr", fmt="html")
    assert text.count("<svg") == 4   # volume, attainment, turnaround, usage by feature
    assert '<desc id="chart-volume-desc">Aucun ticket sur la période.</desc>' in text


@pytest.mark.parametrize("kwargs, message", [
    ({"scope": "provider", "lang": "en", "fmt": "pdf"}, "unknown report format 'pdf'"),
    ({"scope": "provider", "lang": "de", "fmt": "md"}, "no catalogue for language 'de'"),
    ({"scope": "legal", "lang": "en", "fmt": "md"}, "holds no client 'legal'"),
])
def test_bad_calls_say_what_is_wrong(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        render_report(sample(), **kwargs)


def test_rendering_does_not_change_the_document():
    document = sample()
    before = copy.deepcopy(document)
    render_report(document, scope="provider", lang="en", fmt="md")
    assert document == before


@pytest.mark.parametrize("label, lang, shown", [
    ("2026-10", "en", "October 2026"),
    ("2026-10", "fr", "octobre 2026"),
    ("2026-10-01--2026-11-30", "en", "October 1, 2026 \u2013 November 30, 2026"),
    ("2026-10-01--2026-11-30", "fr", "1er octobre 2026 \u2013 30 novembre 2026"),
    ("2026-13", "en", "2026-13"),
    ("Q4 <b>", "en", "Q4 &lt;b&gt;"),
])
def test_period_labels_read_as_dates(label, lang, shown):
    document = sample()
    document["period"]["label"] = label
    text = render_report(document, scope="provider", lang=lang, fmt="md")
    assert text.split("\n")[2].startswith(f"{shown} · ")


# -- the engine's real output for the hand-checked fixture (tests/report/) ----------------

ENGINE = GOLDEN / "engine" / "report-desk"   # the engine's JSON goldens (test_report_engine.py)
FIXTURE_CASES = [(period, scope, lang, fmt) for period in ("2026-10", "2026-11")
                 for scope in ("provider", "clients/legal") for lang in ("en", "fr")
                 for fmt in ("md", "html")]


def engine_document(period: str, scope: str) -> dict:
    path = ENGINE / period / f"{scope}.json"
    if not path.is_file():
        pytest.skip(f"no engine golden {path}")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("period, scope, lang, fmt", FIXTURE_CASES,
                         ids=["-".join(c).replace("clients/", "") for c in FIXTURE_CASES])
def test_fixture_golden(period, scope, lang, fmt):
    needs_matplotlib(fmt)
    document = engine_document(period, scope)
    text = render_report(document, scope=document["scope"], lang=lang, fmt=fmt)
    golden = GOLDEN / "fixture" / period / f"{scope.replace('clients/', '')}.{lang}.{fmt}"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert golden.is_file(), f"no golden file {golden}: run with CHARTERC_UPDATE_GOLDEN=1"
    assert text == golden.read_bytes().decode("utf-8"), \
        f"{golden} differs (CHARTERC_UPDATE_GOLDEN=1 regenerates)"


@pytest.mark.parametrize("client", ["finance", "legal"])
def test_a_client_report_is_the_same_from_its_document_or_the_providers(client):
    """Nothing of the other clients or of the totals leaks into what a client sees."""
    whole = engine_document("2026-10", "provider")
    own = engine_document("2026-10", f"clients/{client}")
    assert whole["skipped"]["count"] == own["skipped"]["count"] == 0
    for fmt in ("md", "html") if charts.unavailable() is None else ("md",):
        assert render_report(whole, scope=client, lang="fr", fmt=fmt) == \
            render_report(own, scope=client, lang="fr", fmt=fmt)


def test_fixture_figures_reach_the_page():
    text = render_report(engine_document("2026-10", "provider"), scope="provider", lang="en",
                         fmt="md")
    assert "| Legal Affairs | standard | 99.39% (missed) | 99.5% | 4 h 30 min | 3 h | 10% | " \
           "€38.76 |" in text
    assert "| **All clients** | €1,346.40 | €134.64 | €1,211.76 |" in text
    assert "| P3 | 2 | 1 | 1 | 1 business day | 50% (1 / 2) | 5 business days | 100% (1 / 1) |" \
        in text


# -- paused clocks, the charter in force, usage by feature and channel ------------------

def test_the_header_names_the_commit_and_the_canonical_sha256():
    text = render("provider", "en", "md")
    assert "| As committed | 4b825dc642cb (2026-09-30T17:45:00+02:00) |" in text
    sha = "0f3c2a9d6b1e4f5a8c7d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d"
    assert f"| Canonical sha256 | {sha} |" in text
    fr = render("provider", "fr", "html")
    assert "<dt>Version validée</dt><dd><code>4b825dc642cb</code>" in fr


def test_breach_and_pending_lists_show_the_paused_time_when_clocks_paused():
    text = render("provider", "en", "md")
    assert "| Ticket | Priority | Objective | Opened | Due | Done at | Paused |" in text
    assert "1 h 35 min |" in text or "1h 35m |" in text or "1 h 35 m |" in text
    document = sample()
    document.pop("pauses")
    for c in document["clients"].values():
        for row in c["breaches"] + c["pending"]:
            row.pop("paused_minutes")
    plain = render_report(document, scope="provider", lang="en", fmt="md")
    assert "Paused" not in plain


def test_usage_by_feature_and_channel_per_client():
    text = render("hr", "en", "md")
    assert "## 9. Usage by feature and channel" in text
    assert "| weekend | 2 | **no** |" in text
    assert "| email | 25 |" in text
    assert "(unpaid work, U108): INC-2610-0031, INC-2610-0077" in text
    assert "payroll-support" not in text   # another client's usage never shows
    fr = render("hr", "fr", "html")
    assert "Utilisation par fonctionnalité et par canal" in fr
    assert 'aria-labelledby="chart-usage-title chart-usage-desc"' in fr


def test_without_a_paused_history_the_report_says_it_measured_without_pauses():
    document = sample()
    document["pauses"] = {"statuses": ["awaiting-customer"], "measured": False, "history": None}
    text = render_report(document, scope="provider", lang="fr", fmt="md")
    assert "**Mesuré sans pauses :**" in text or "**Mesuré sans pauses:**" in text
    assert "(U107)" in text
