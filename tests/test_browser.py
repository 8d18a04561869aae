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
    # the print stylesheet's margin boxes: numbered pages, as in the PDF charterc writes
    pages = len(reader.pages)
    first = " ".join((reader.pages[0].extract_text() or "").split())
    assert ("Page 1 of" if ".en." in document or "index" in document else "Page 1 sur") \
        in first
    assert f"{pages}" in first


@pytest.mark.parametrize("scope, lang", [("provider", "en"), ("finance", "fr")])
def test_report_opens_cleanly_with_its_charts(browser, tmp_path, scope, lang):
    pytest.importorskip("matplotlib", reason="report charts need matplotlib (charterc[reports])")
    import json

    from charterc.render.report import render_report
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


# -- every bundled document at A4 and at 1280 px ----------------------------------------

# A4 less the print stylesheet's side margins (15 mm each), in CSS px (96 per inch)
PORTRAIT_PX = (210 - 30) / 25.4 * 96
LANDSCAPE_PX = (297 - 30) / 25.4 * 96
# elements wider than their box: the right edge of each, past the page's content box
OVERFLOW = """([portrait, landscape]) => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const wide = el.closest('table.wide');
    const limit = wide && wide.querySelector('thead th:nth-child(13)') ? landscape : portrait;
    // content wider than its element (a long word, a nowrap cell), unless it is a table
    // set on a landscape page
    const spills = el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0
      && getComputedStyle(el).overflowX === 'visible' && !el.querySelector('table.wide')
      && !['TABLE', 'TBODY', 'THEAD', 'TFOOT', 'TR'].includes(el.tagName);
    if (box.right > limit + 0.5 || box.left < -0.5 || spills) {
      out.push(`${el.tagName}.${el.className} ${Math.round(box.right)}px: `
               + (el.textContent || '').trim().slice(0, 50));
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    from charterc.publish.build import build
    out = tmp_path_factory.mktemp("bundled") / "dist"
    result = build(sorted((ROOT / "charters").glob("*.charter.yaml")), out,
                   langs=["en", "fr"], formats=["html"], today=date(2026, 11, 27))
    assert result.published
    return out


def _bundled_documents() -> list[str]:
    from charterc.loaders import load_path
    names = ["index.html"]
    for file in sorted((ROOT / "charters").glob("*.charter.yaml")):
        doc = load_path(file).document
        cid = doc["metadata"]["id"]
        for lang in ("en", "fr"):
            names.append(f"{cid}/charter.{lang}.html")
            names += [f"{cid}/agreements/{c['id']}.{lang}.html" for c in doc["clients"]]
    return names


def test_every_bundled_document_fits_the_page_and_the_screen(browser, bundled):
    """Printed at A4 (print media, the page's content box as the viewport), no element is
    wider than the content box: a portrait page's, or a landscape page's for a table set
    on one (class "wide" with thirteen columns or more). On a 1280 px screen no document
    scrolls sideways."""
    page = browser.new_page()
    overflowing: dict[str, list[str]] = {}
    scrolling = []
    for name in _bundled_documents():
        page.emulate_media(media="print")
        page.set_viewport_size({"width": int(PORTRAIT_PX), "height": 1123})
        page.goto((bundled / name).as_uri(), wait_until="load")
        found = page.evaluate(OVERFLOW, [PORTRAIT_PX, LANDSCAPE_PX])
        if found:
            overflowing[name] = found[:5]
        page.emulate_media(media="screen")
        page.set_viewport_size({"width": 1280, "height": 800})
        if not page.evaluate("document.documentElement.scrollWidth <= "
                             "document.documentElement.clientWidth"):
            scrolling.append(name)
    page.close()
    assert overflowing == {}
    assert scrolling == []


# Where the text of each id in the index's tables wraps: the characters a new line starts at.
ID_BREAKS = """() => [...document.querySelectorAll('#charters th code, #clients th code')]
.flatMap(code => {
  const text = code.firstChild, out = [];
  let top = null;
  for (let i = 0; i < text.length; i++) {
    const range = document.createRange();
    range.setStart(text, i);
    range.setEnd(text, i + 1);
    const y = range.getBoundingClientRect().top;
    if (top !== null && y > top + 1) out.push(text.data.slice(0, i) + '|' + text.data.slice(i));
    top = y;
  }
  return out;
})"""


def test_index_ids_break_only_at_a_hyphen(browser, bundled):
    """A client or charter id in the index wraps, if at all, after a hyphen: never
    `procureme|nt`, on a screen of any usual width or on the printed page."""
    page = browser.new_page()
    broken: dict[str, list[str]] = {}
    for media, width in (("screen", 1280), ("screen", 1024), ("screen", 768), ("screen", 600),
                         ("print", int(PORTRAIT_PX))):
        page.emulate_media(media=media)
        page.set_viewport_size({"width": width, "height": 900})
        page.goto((bundled / "index.html").as_uri(), wait_until="load")
        found = [cut for cut in page.evaluate(ID_BREAKS) if not cut.split("|")[0].endswith("-")]
        if found:
            broken[f"{media} {width}px"] = found
    page.close()
    assert broken == {}
