"""`charterc build --format pdf`: every bundled charter and agreement, in English and French,
read back with pypdf: pages numbered "Page N of M" on every page, metadata, embedded
`sla.json` and charter, no near-empty page, the same bytes on a second build.

Each document is rendered once (module-scoped build); skips, saying why, when WeasyPrint
or its system libraries are missing.
"""
from __future__ import annotations

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
        assert f"sha256 {sla['sha256'][:16]}" in text, (name, n)
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
    (charter,) = attachments[f"{cid}.charter.yaml"]
    from charterc.loaders import load_bytes
    from charterc.render.view import canonical_sha256
    attached = load_bytes(charter, "attached.charter.yaml").document
    if "/agreements/" in name:
        # an agreement carries its client's slices only (spec 8.2)
        from charterc.export.sla import client_sla_bytes
        client = name.split("/")[-1].split(".")[0]
        assert attachments["sla.json"] == [client_sla_bytes(sla, client)]
        assert [c["id"] for c in attached["clients"]] == [client]
        return
    assert attachments["sla.json"] == [(dist / cid / "sla.json").read_bytes()]
    # the attached charter is the canonical document the PDF states the hash of
    assert canonical_sha256(attached) == sla["sha256"]


def test_wide_tables_are_on_landscape_pages(readers, tmp_path):
    """A four-year per-unit charter's prices per tier and year (10 columns) are printed
    across a landscape page; the four-year share charter, which prints no price table
    (spec 8.2: no table of zero prices), has none."""
    reader = readers["hr-legal/charter.en.pdf"]
    assert not any(float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages)
    from pypdf import PdfReader

    from charterc.publish.build import build
    text = (ROOT / "charters/it-service-desk.charter.yaml").read_text()
    source = tmp_path / "it-service-desk.charter.yaml"
    source.write_text(text.replace("period: {start: 2026-01-01, years: 3}",
                                   "period: {start: 2026-01-01, years: 4}"))
    assert build([source], tmp_path / "dist", langs=["en"], formats=["pdf"], today=TODAY,
                 jobs=1).published
    wide = PdfReader(tmp_path / "dist/it-service-desk/charter.en.pdf")
    landscape = [p.extract_text() for p in wide.pages
                 if float(p.mediabox.width) > float(p.mediabox.height)]
    assert any("Prices per tier and year" in text for text in landscape)


def test_two_builds_give_the_same_bytes(dist, tmp_path):
    from charterc.publish.build import build
    file = ROOT / "charters/it-service-desk.charter.yaml"
    again = tmp_path / "dist"
    result = build([file], again, langs=["en", "fr"], formats=["pdf"], today=TODAY, jobs=1)
    assert result.published
    names = [n for n in DOCUMENTS if n.startswith("it-service-desk/")]
    for name in names:
        assert (again / name).read_bytes() == (dist / name).read_bytes(), name


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
