"""The HTML documents in a real browser: no console error, no network request, prints to PDF.

Uses Debian's Chromium (`apt-get install -y chromium`) driven by Playwright, with
no browser download. Skips, saying why, when either is missing.
"""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists()
                                        else None)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                       "(apt-get install -y chromium)"),
]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed (pip install playwright)")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    from charterc.publish.build import build
    out = tmp_path_factory.mktemp("browser") / "dist"
    result = build([ROOT / "charters/it-service-desk.charter.yaml"], out, langs=["en", "fr"],
                   formats=["html"], today=date(2026, 11, 27))
    assert result.published
    return out


@pytest.mark.parametrize("document, title", [
    ("it-service-desk/charter.en.html", "IT Service Desk"),
    ("it-service-desk/charter.fr.html", "Charte de service"),
    ("it-service-desk/agreements/finance.en.html", "Service agreement: Group Finance"),
    ("index.html", "Charter portfolio"),
])
def test_document_opens_cleanly_and_prints(browser, dist, tmp_path, document, title):
    from pypdf import PdfReader
    page = browser.new_page()
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    url = (dist / document).as_uri()
    page.goto(url, wait_until="load")
    assert page.locator("h1").count() == 1
    assert errors == []
    assert [r for r in requests if r != url] == []   # nothing but the document itself
    pdf = tmp_path / "out.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    page.close()
    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 1
    text = " ".join(p.extract_text() or "" for p in reader.pages)
    assert title in " ".join(text.split())
    if document.endswith("charter.en.html"):
        assert len(reader.pages) >= 10      # a page break before each of the 14 sections


@pytest.mark.parametrize("scope, lang", [("provider", "en"), ("finance", "fr")])
def test_report_opens_cleanly_with_its_charts(browser, tmp_path, scope, lang):
    pytest.importorskip("matplotlib", reason="report charts need matplotlib (charterc[reports])")
    import json

    from charterc.report.render import render_report
    document = json.loads((ROOT / "tests/report_render_sample.json").read_text(encoding="utf-8"))
    path = tmp_path / f"{scope}.{lang}.html"
    path.write_text(render_report(document, scope=scope, lang=lang, fmt="html"), encoding="utf-8")
    page = browser.new_page()
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri(), wait_until="load")
    assert page.locator("h1").count() == 1
    assert page.locator("svg[role=img]").count() == 4
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    page.close()
    assert errors == []
    assert [r for r in requests if r != path.as_uri()] == []
    from pypdf import PdfReader
    text = " ".join(p.extract_text() or "" for p in PdfReader(str(pdf)).pages)
    assert ("Service report" if lang == "en" else "Rapport de service") in text
