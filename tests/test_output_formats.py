"""The output formats' registry (`charterc/render/formats.py`): it drives every command's
`--format`, the check of a request and the writers, so that a format is added with one
module and one entry."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from charterc.cli import main
from charterc.publish.build import BuildProblem, build
from charterc.render.formats import (
    FORMATS,
    Format,
    OutputRequestError,
    check_request,
    formats_of,
    render_set,
)

ROOT = Path(__file__).parent.parent
CHARTER = "charters/it-service-desk.charter.yaml"
TODAY = date(2026, 11, 27)


@pytest.fixture
def plaintext(monkeypatch):
    """`txt`, registered as docs/architecture.md says: its module, and one entry."""
    monkeypatch.syspath_prepend(str(ROOT / "tests" / "plugins"))
    monkeypatch.setitem(FORMATS, "txt", Format(
        "txt", ".txt", "Plain text", ("charter", "agreement"),
        convert="plaintext:convert", from_format="md"))


def test_documents_have_the_formats_their_commands_accept():
    assert formats_of("charter") == ("md", "html", "pdf")
    assert formats_of("agreement") == ("md", "html", "pdf")
    assert formats_of("report") == ("json", "md", "html", "pdf")
    assert formats_of("baseline") == ("json", "md", "html")
    assert formats_of("diff") == ("json", "text", "markdown")
    assert formats_of("statement") == ("json", "md", "html", "pdf", "ics")


@pytest.mark.parametrize(("document", "formats", "langs", "message"), [
    ("baseline", ["pdf"], ["en"], "unknown format 'pdf' (expected json, md, html)"),
    ("charter", ["json"], ["en"], "unknown format 'json' (expected md, html, pdf)"),
    ("report", [], ["en"], "no format given"),
    ("report", ["md"], ["xx"], "no catalogue for language 'xx': known languages are en, fr"),
    ("report", ["md"], [], "no language given"),
])
def test_a_request_is_checked_against_the_registry(document, formats, langs, message):
    with pytest.raises(OutputRequestError, match=re.escape(message)):
        check_request(document, formats, langs)


def test_data_needs_no_language():
    check_request("report", ["json"], [])


def test_a_made_format_reuses_its_source_rendered_once():
    calls = []

    def template(fmt, lang):
        calls.append((fmt, lang))
        return f"<p>{lang}</p>"

    files = render_set(["html", "json"], ["en", "fr"], template=template, result={"a": 1})
    assert files == {".json": b'{\n  "a": 1\n}\n', ".en.html": b"<p>en</p>",
                     ".fr.html": b"<p>fr</p>"}
    assert calls == [("html", "en"), ("html", "fr")]


def test_a_format_added_by_one_module_and_one_entry_builds(plaintext, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = build([CHARTER], tmp_path / "dist", langs=["en"], formats=["md", "txt"],
                   today=TODAY)
    assert result.published, result.log
    folder = tmp_path / "dist" / "it-service-desk"
    markdown = (folder / "charter.en.md").read_text()
    text = (folder / "charter.en.txt").read_text()
    assert markdown.startswith("# ") and not text.startswith("#")
    assert (folder / "agreements" / "finance.en.txt").is_file()
    index = (tmp_path / "dist" / "index.html").read_text()
    assert "charter.en.txt" in index and "Plain text (en)" in index


def test_the_cli_offers_a_registered_format(plaintext, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["build", CHARTER, "-o", str(out), "--format", "txt",
                                       "--today", "2026-11-27"])
    assert result.exit_code == 0, result.output
    assert (out / "it-service-desk" / "charter.en.txt").is_file()


def test_an_unknown_format_is_a_usage_error_naming_the_known_ones(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    message = re.escape("unknown format 'txt' (expected md, html, pdf)")
    with pytest.raises(BuildProblem, match=message):
        build([CHARTER], tmp_path / "dist", langs=["en"], formats=["txt"], today=TODAY)


def test_help_lists_the_registry():
    for command, document in (("build", "charter"), ("report", "report"),
                              ("baseline", "baseline"), ("statement", "statement")):
        result = CliRunner().invoke(main, [command, "--help"])
        assert f"comma-separated: {', '.join(formats_of(document))}." in \
            " ".join(result.output.split())


def test_diff_json_is_the_data_format(tmp_path):
    old = ROOT / CHARTER
    result = CliRunner().invoke(main, ["diff", str(old), str(old), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["exit_code"] == 0 and data["charters"]
