"""`charterc build --format pdf`: every bundled charter and agreement, in English and French,
read back with pypdf: pages numbered "Page N of M" on every page, metadata, embedded
`sla.json` and charter, PDF/A-3b (XMP, output intent, /AF with AFRelationship, fonts
embedded), fonts from charterc only, no page under a third full but the last, no signature
block alone on a page, the same bytes on a second build.

Each document is rendered once (module-scoped build); skips, saying why, when WeasyPrint
or its system libraries are missing.
"""
from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).parent.parent
CHARTERS = sorted((ROOT / "charters").glob("*.charter.yaml"))
TODAY = date(2026, 11, 27)
PAGE_OF = {"en": "Page {n} of {m}", "fr": "Page {n} sur {m}"}
MIN_LINES = 8    # of body text on any page but the last (header and footer not counted)
# What a page holds (docs/build.md, "How full a page is"): the lines of body text (9.5 pt at
# a line height of 1.35) between the top and bottom page margins (20 mm and 18 mm).
LINE_PT = 9.5 * 1.35
MARGINS_PT = (20 + 18) * 72 / 25.4


def _weasyprint_or_skip() -> None:
    from charterc.render.pdf import PdfProblem, available
    try:
        available()
    except PdfProblem as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    _weasyprint_or_skip()
    from charterc.publish.build import build
    out = tmp_path_factory.mktemp("pdf") / "dist"
    result = build(CHARTERS, out, langs=["en", "fr"], formats=["html", "pdf"], today=TODAY)
    assert result.published, result.log
    return out


def _pdfs(out: Path) -> list[Path]:
    return sorted(out.rglob("*.pdf"))


def _documents() -> list[str]:
    """Every PDF the bundled charters give: charter and agreements, en and fr."""
    from charterc.loaders import load_path
    names = []
    for file in CHARTERS:
        doc = load_path(file).document
        cid = doc["metadata"]["id"]
        for lang in ("en", "fr"):
            names.append(f"{cid}/charter.{lang}.pdf")
            names += [f"{cid}/agreements/{c['id']}.{lang}.pdf" for c in doc["clients"]]
    return names


DOCUMENTS = _documents()


@pytest.fixture(scope="module")
def readers(dist):
    from pypdf import PdfReader
    return {str(p.relative_to(dist)): PdfReader(p) for p in _pdfs(dist)}


def test_every_charter_and_agreement_has_its_pdf(dist):
    assert sorted(str(p.relative_to(dist)) for p in _pdfs(dist)) == sorted(DOCUMENTS)
    manifest = json.loads((dist / "manifest.json").read_text())
    assert {f["path"] for f in manifest["files"]} >= set(DOCUMENTS)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_pdf_pages_metadata_and_attachments(dist, readers, name):
    reader = readers[name]
    lang = name.rsplit(".", 2)[1]
    cid = name.split("/")[0]
    sla = json.loads((dist / cid / "sla.json").read_text())
    pages = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
    count = len(pages)
    assert count >= 1
    for n, text in enumerate(pages, 1):
        assert PAGE_OF[lang].format(n=n, m=count) in text, (name, n)
        assert sla["title"] in text and sla["version"] in text, (name, n)   # running header
    # no section left alone on a near-empty page: every page but the last is well filled
    for n, page in enumerate(reader.pages[:-1], 1):
        lines = [line for line in (page.extract_text() or "").splitlines() if line.strip()]
        assert len(lines) - 2 >= MIN_LINES, (name, n, lines)   # minus header and footer

    html = (dist / name).with_suffix(".html").read_text()
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None
    meta = reader.metadata
    assert meta is not None
    assert meta.title == title.group(1).replace("&amp;", "&")
    assert meta.author == sla["provider"]
    # one date (spec 8.2): the issue date, --today here, as "Issued on" shows it
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20261127000000Z"
    assert reader.trailer["/Root"]["/Lang"] == lang

    attachments = reader.attachments
    (charter,) = attachments[f"{cid}.charter.json"]
    from charterc.loaders import load_bytes
    from charterc.render.view import canonical_sha256
    attached = load_bytes(charter, "attached.charter.yaml").document
    digest = hashlib.sha256(charter).hexdigest()
    # the attached charter is the file whose sha256 every page prints beside its name, and
    # document control in full: its canonical form, byte for byte
    assert canonical_sha256(attached) == digest
    for n, text in enumerate(pages, 1):
        assert f"{cid}.charter.json sha256 {digest[:16]}" in text, (name, n)
    assert digest in html
    if "/agreements/" in name:
        # an agreement carries its client's slices only (spec 8.2)
        from charterc.export.sla import client_sla_bytes
        client = name.split("/")[-1].split(".")[0]
        assert attachments["sla.json"] == [client_sla_bytes(sla, client)]
        assert [c["id"] for c in attached["clients"]] == [client]
        return
    assert attachments["sla.json"] == [(dist / cid / "sla.json").read_bytes()]
    assert digest == sla["sha256"]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_pdf_is_pdf_a_3b(readers, name):
    """PDF/A-3b as spec 8.2 asks: the XMP metadata declares part 3 conformance B, an sRGB
    output intent, each embedded file in the catalogue's /AF with its AFRelationship
    (Data for sla.json, Source for the charter), and every font embedded."""
    reader = readers[name]
    cid = name.split("/")[0]
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert reader.pdf_header == "%PDF-1.7"
    (intent,) = root["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3 and profile.get_data()[36:40] == b"acsp"   # an RGB ICC profile
    listed = [spec.get_object() for spec in root["/AF"]]
    relationships = {str(spec["/F"]): spec["/AFRelationship"] for spec in listed}
    assert relationships == {"sla.json": "/Data", f"{cid}.charter.json": "/Source"}
    for spec in listed:
        stream = spec["/EF"]["/F"].get_object()
        assert stream["/Subtype"] == "/application#2Fjson" or \
            stream["/Subtype"] == "/application/json"
        assert "/ModDate" in stream["/Params"]
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            described = (descendant[0].get_object() if descendant else font)
            descriptor = described["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    # only the fonts charterc ships (render/fonts/)
    assert {base.split("+", 1)[1] for base in fonts} <= \
        {"Liberation-Sans", "Liberation-Sans-Bold", "Liberation-Mono"}, fonts


def _body_lines(page) -> list[str]:
    """The page's lines of text, less the running header and footer."""
    lines = [line for line in (page.extract_text() or "").splitlines() if line.strip()]
    return lines[1:-1] if len(lines) >= 2 else []


def _capacity(page) -> float:
    """The lines of body text the page holds: its height within the margins."""
    return (float(page.mediabox.height) - MARGINS_PT) / LINE_PT


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_page_under_a_third_full_but_the_last(readers, name):
    """No section or table starts a page of its own that it leaves mostly empty: every
    page but the last holds at least a third of the lines a page holds; and no prose is set
    on a landscape page (the bundled charters' tables all fit a portrait page)."""
    reader = readers[name]
    for n, page in enumerate(reader.pages[:-1], 1):
        lines = _body_lines(page)
        assert len(lines) >= _capacity(page) / 3, (name, n, len(lines), round(_capacity(page)))
    for n, page in enumerate(reader.pages, 1):
        assert float(page.mediabox.width) < float(page.mediabox.height), (name, n)


_SIGNATURE_LINE = re.compile(r"^(For|Pour|Name|Nom|Title|Fonction|Date|Signature|Place|Lieu)\b"
                             r"|^_+$")


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_signature_block_alone_on_a_page(readers, name):
    """A signature block keeps with what it signs: the page holding the "Signatures"
    heading holds text before it, and no page holds a single signature block and nothing
    else (read from the text layer: a block's lines are its party, name, title, date and
    signature lines)."""
    reader = readers[name]
    heading = "Signatures"
    for n, page in enumerate(reader.pages, 1):
        lines = _body_lines(page)
        if heading in lines:
            assert lines.index(heading) > 0, (name, n, "the signatures start the page")
        if lines and all(_SIGNATURE_LINE.search(line.strip()) for line in lines):
            blocks = sum(len(re.findall(r"\b(?:For|Pour) ", line)) for line in lines)
            assert blocks > 1, (name, n, "a signature block alone on a page", lines)


@pytest.mark.parametrize("years, landscape", [(4, False), (6, True)])
def test_wide_tables_fit_or_go_landscape(tmp_path, years, landscape):
    """The prices per tier and year over four years (10 columns) fit a portrait page in a
    smaller size; over six years (14 columns) the table is set alone on a landscape page,
    the prose around it staying portrait."""
    _weasyprint_or_skip()
    from pypdf import PdfReader

    from charterc.publish.build import build
    text = (ROOT / "charters/it-service-desk.charter.yaml").read_text(encoding="utf-8")
    longer = text.replace("period: {start: 2026-01-01, years: 3}",
                          f"period: {{start: 2026-01-01, years: {years}}}")
    assert longer != text
    # six years of indexed prices outgrow the costs' growth: the recovery rule says so
    longer = longer.replace("  suppress: []\n",
                            '  suppress: [{rule: C403, reason: "a long term"}]\n')
    (tmp_path / "src").mkdir()
    (tmp_path / "src/it-service-desk.charter.yaml").write_text(longer, encoding="utf-8")
    result = build([tmp_path / "src"], tmp_path / "dist", langs=["en"], formats=["html", "pdf"],
                   today=TODAY, jobs=1)
    assert result.published, [d.message for d in result.check.diagnostics]
    html = (tmp_path / "dist/it-service-desk/charter.en.html").read_text(encoding="utf-8")
    assert '<table class="wide">' in html
    reader = PdfReader(tmp_path / "dist/it-service-desk/charter.en.pdf")
    texts = [p.extract_text() or "" for p in reader.pages]
    wide = [t for p, t in zip(reader.pages, texts, strict=True)
            if float(p.mediabox.width) > float(p.mediabox.height)]
    assert any("Prices per tier and year" in t for t in texts)
    if not landscape:
        assert wide == []
        return
    assert len(wide) == 1 and "Prices per tier and year" in wide[0]
    assert "Charges" not in wide[0] and "Projection per client and year" not in wide[0]


def test_two_builds_give_the_same_bytes(dist, tmp_path):
    from charterc.publish.build import build
    file = ROOT / "charters/it-service-desk.charter.yaml"
    again = tmp_path / "dist"
    result = build([file], again, langs=["en", "fr"], formats=["pdf"], today=TODAY, jobs=1)
    assert result.published
    names = [n for n in DOCUMENTS if n.startswith("it-service-desk/")]
    for name in names:
        assert (again / name).read_bytes() == (dist / name).read_bytes(), name


def test_no_font_of_the_machine_is_used(dist, tmp_path, monkeypatch):
    """The fonts come with charterc: with fontconfig pointed at an empty configuration (no
    font of the machine reachable) the PDFs are the same bytes."""
    from charterc.publish.build import build
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n', encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(empty))
    again = tmp_path / "dist"
    result = build([ROOT / "charters/it-service-desk.charter.yaml"], again,
                   langs=["en", "fr"], formats=["pdf"], today=TODAY, jobs=1)
    assert result.published
    names = [n for n in DOCUMENTS if n.startswith("it-service-desk/")]
    assert names
    for name in names:
        assert (again / name).read_bytes() == (dist / name).read_bytes(), name


def test_the_fonts_are_package_data_with_their_licence():
    """The faces the stylesheet names are in the package, with the licence that allows
    shipping them, and nothing more (regular, bold, mono)."""
    from charterc.render.pdf import FONTS
    folder = ROOT / "charterc/render/fonts"
    assert sorted(p.name for p in folder.glob("*.ttf")) == sorted(f for _, _, f in FONTS)
    licence = (folder / "LICENSE").read_text(encoding="utf-8")
    assert "SIL Open Font License" in licence and "Liberation" in licence


def test_one_date_issued_on_and_the_pdf_dates(tmp_path, monkeypatch):
    """One date (spec 8.2): "Issued on" and the PDF's creation and modification dates are
    SOURCE_DATE_EPOCH, else the charter file's last commit date, else today; the terms'
    effective date does not date the document."""
    _weasyprint_or_skip()
    from datetime import date as day

    from pypdf import PdfReader

    from charterc.publish.build import build
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    text = (ROOT / "charters/it-service-desk.charter.yaml").read_text()
    file = tmp_path / "src" / "it-service-desk.charter.yaml"
    file.parent.mkdir()
    # no clock in the verdict either: the review-date rules judge by the clock without --today
    clockless = ('  suppress: [{rule: G703, reason: "dated by the clock"},'
                 ' {rule: G704, reason: "dated by the clock"}]\n')
    text = text.replace("  suppress: []\n", clockless)
    file.write_text(text)

    def dates() -> tuple[str, str, str]:
        result = build([file], tmp_path / "dist", langs=["en"], formats=["html", "pdf"],
                       jobs=1)
        assert result.published, result.log
        meta = PdfReader(tmp_path / "dist/it-service-desk/agreements/finance.en.pdf").metadata
        assert meta is not None
        html = (tmp_path / "dist/it-service-desk/agreements/finance.en.html").read_text()
        issued = html.split("Issued on</dt><dd>", 1)[1].split("<", 1)[0]
        return meta["/CreationDate"], meta["/ModDate"], issued

    today = day.today()   # outside a repository, never committed: today
    assert dates() == (today.strftime("D:%Y%m%d000000Z"),) * 2 + (
        f"{today:%B} {today.day}, {today.year}",)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795824000")   # 2026-11-28 00:00 UTC
    assert dates() == ("D:20261128000000Z", "D:20261128000000Z", "November 28, 2026")


def test_without_weasyprint_the_build_is_a_usage_error(tmp_path, monkeypatch):
    """WeasyPrint or pango missing: one line naming what to install, exit 2, nothing
    written, no traceback."""
    import charterc.render.pdf as pdf
    from charterc.cli import main

    def missing():
        raise pdf.PdfProblem("--format pdf needs WeasyPrint's system libraries (cannot load "
                             f"library 'libpango-1.0-0'): install {pdf.SYSTEM_LIBRARIES}")

    monkeypatch.setattr(pdf, "_weasyprint", missing)
    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["build", str(ROOT / "charters/it-service-desk.charter.yaml"),
                                       "-o", str(out), "--format", "html,pdf"])
    assert result.exit_code == 2, result.output
    assert "charterc build: --format pdf needs WeasyPrint's system libraries" in result.output
    assert "libpango-1.0-0" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_report_as_pdf(tmp_path, monkeypatch):
    """`charterc report --format pdf`: numbered pages in the report's language, the report
    document attached as JSON, dated the last day of the period."""
    _weasyprint_or_skip()
    from pypdf import PdfReader

    from charterc.cli import main
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    here = ROOT / "tests/report"
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [
        "report", str(here / "desk.charter.yaml"), "--tickets", str(here / "tickets.csv"),
        "--outages", str(here / "outages.csv"), "--period", "2026-11", "-o", str(out),
        "--format", "pdf,json", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    folder = out / "report-desk" / "2026-11"
    reader = PdfReader(folder / "provider.fr.pdf")
    count = len(reader.pages)
    for n, page in enumerate(reader.pages, 1):
        assert f"Page {n} sur {count}" in " ".join((page.extract_text() or "").split())
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert reader.attachments["provider.json"] == [(folder / "provider.json").read_bytes()]
    meta = reader.metadata
    assert meta is not None and meta["/CreationDate"] == "D:20261130000000Z"


def test_only_a_pdf_loads_weasyprint(tmp_path):
    """WeasyPrint (and pango) are loaded for `--format pdf` only: a check or an HTML build
    starts as lean as before."""
    import subprocess
    import sys
    code = ("import sys\nfrom charterc.cli import main\n"
            "for args in (['check', 'charters'], ['build', 'charters/it-service-desk.charter.yaml',"
            " '-o', sys.argv[1], '--format', 'md,html', '--today', '2026-11-27']):\n"
            "    try:\n        main(args)\n    except SystemExit:\n        pass\n"
            "print('weasyprint' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "dist")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip().splitlines()[-1] == "False", proc.stdout + proc.stderr


def test_a_title_cannot_break_out_of_the_running_header(tmp_path):
    """The running header is CSS text made from the charter's title: quotes, backslashes and
    `</style>` in it stay text, in the HTML and on every page of the PDF."""
    _weasyprint_or_skip()
    from pypdf import PdfReader

    from charterc.publish.build import build
    title = 'Desk "A\\B" </style><b>x</b>'
    text = (ROOT / "charters/it-service-desk.charter.yaml").read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "desk.charter.yaml").write_text(
        text.replace("  title: IT Service Desk", "  title: 'Desk \"A\\B\" </style><b>x</b>'"),
        encoding="utf-8")
    result = build([folder], tmp_path / "dist", langs=["en"], formats=["html", "pdf"],
                   today=TODAY, jobs=1)
    assert result.published, [d.message for d in result.check.diagnostics]
    html = (tmp_path / "dist/it-service-desk/charter.en.html").read_text()
    style = html[html.index("<style>"):html.index("</style>")]
    assert "<b>" not in style and '@top-left { content: "Desk \\"A\\\\B\\" \\3c /style' in style
    reader = PdfReader(tmp_path / "dist/it-service-desk/charter.en.pdf")
    for page in reader.pages:
        assert title in (page.extract_text() or "")


def test_the_same_bytes_when_fonttools_subsets_the_fonts(monkeypatch):
    """Without HarfBuzz-Subset, WeasyPrint subsets the fonts with fontTools, which stamps
    each subset with the clock's time unless SOURCE_DATE_EPOCH is set: two conversions at
    two times give the same bytes, and a SOURCE_DATE_EPOCH of the user's is left alone."""
    _weasyprint_or_skip()
    import os
    import time

    import weasyprint.pdf.fonts

    from charterc.render.pdf import Pdf, html_to_pdf
    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    html = "<!DOCTYPE html><html><body><p>Service agreement · 99.9%</p></body></html>"
    facts = Pdf(author="Provider", created=TODAY, attachments=())
    clock = iter([1.9e9, 2.1e9])
    real = time.time
    first = None
    for _ in range(2):
        moment = next(clock)
        monkeypatch.setattr(time, "time", lambda moment=moment: moment)
        data = html_to_pdf(html, facts)
        monkeypatch.setattr(time, "time", real)
        assert first is None or data == first
        first = data
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    html_to_pdf(html, facts)
    assert os.environ["SOURCE_DATE_EPOCH"] == "1700000000"
