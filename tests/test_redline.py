"""`charterc diff OLD NEW --redline -o DIR` (spec 8.2): for the charter document and each
client agreement whose text changes, an HTML and a Markdown redline with `<del>` around
removed words and `<ins>` around added ones, headed by the version change and the semver
verdict; nothing for a document whose text is the same."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from charterc.cli import main
from charterc.diff.redline import mark_words

ROOT = Path(__file__).parent.parent
DESK = (ROOT / "charters/it-service-desk.charter.yaml").read_text(encoding="utf-8")


def _sides(tmp_path: Path, new: str) -> tuple[str, str]:
    old_file, new_file = tmp_path / "old.charter.yaml", tmp_path / "new.charter.yaml"
    old_file.write_text(DESK, encoding="utf-8")
    assert new != DESK
    new_file.write_text(new, encoding="utf-8")
    return str(old_file), str(new_file)


def _weaker(text: str) -> str:
    """Premium availability 99.9% -> 99.5% (a weakening for Group Finance), version 3.0.0."""
    text = text.replace("  version: 2.4.0\n", "  version: 3.0.0\n", 1)
    return text.replace("availability: {target: 99.9%, window: monthly, measured_by: "
                        "status-page}", "availability: {target: 99.5%, window: monthly, "
                        "measured_by: status-page}", 1)


def test_the_redline_of_each_changed_document(tmp_path):
    old, new = _sides(tmp_path, _weaker(DESK))
    out = tmp_path / "redlines"
    result = CliRunner().invoke(main, ["diff", old, new, "--redline", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "requires a major bump; made a major bump" in result.output   # the report, printed
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    documents = ["charter", "agreements/finance", "agreements/hr", "agreements/legal",
                 "agreements/procurement"]
    assert written == sorted(f"it-service-desk/{d}.en.{ext}" for d in documents
                             for ext in ("md", "html"))
    md = (out / "it-service-desk/agreements/finance.en.md").read_text(encoding="utf-8")
    assert md.startswith("# Redline: Service agreement: Group Finance\n")
    assert "**it-service-desk 2.4.0 -> 3.0.0**: requires a major bump; made a major bump." in md
    # the changed words, in the sentence and in the table; a marked table row stays a row
    assert ("4.1. The service is available at least <del>99.9%</del><ins>99.5%</ins> of the "
            "time") in md
    assert "| Availability | <del>99.9%</del><ins>99.5%</ins> |" in md
    assert "| Version | <del>2.4.0</del><ins>3.0.0</ins> |" in md
    # a clause without a change is left out
    assert "## 4. Service levels" in md and "## 2. Definitions" not in md
    html = (out / "it-service-desk/agreements/finance.en.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert "<td>Availability</td><td><del>99.9%</del><ins>99.5%</ins></td>" in html
    assert "<strong>it-service-desk 2.4.0 -&gt; 3.0.0</strong>: requires a major bump" in html
    # Group Human Resources is on Standard: only the version and the hash change for it
    hr = (out / "it-service-desk/agreements/hr.en.md").read_text(encoding="utf-8")
    assert "99.5%" not in hr and "<ins>3.0.0</ins>" in hr


def test_only_documents_whose_text_changes(tmp_path):
    """Group Finance's signatory changes title: its agreement and the charter change; the
    other agreements differ only by the canonical charter's sha256 and get no redline."""
    new = DESK.replace("signatory: {name: Amelia Hart, role: Group CFO}",
                       "signatory: {name: Amelia Hart, role: Chief Financial Officer}")
    old, new = _sides(tmp_path, new)
    out = tmp_path / "redlines"
    result = CliRunner().invoke(main, ["diff", old, new, "--redline", "-o", str(out),
                                       "--lang", "fr"])
    assert result.exit_code in (0, 1), result.output
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*.md"))
    assert written == ["it-service-desk/agreements/finance.fr.md",
                       "it-service-desk/charter.fr.md"]
    md = (out / "it-service-desk/agreements/finance.fr.md").read_text(encoding="utf-8")
    # the words changed together read as one removal and one addition
    assert "- Fonction\u00a0: <del>Group CFO</del><ins>Chief Financial Officer</ins>" in md
    assert (out / "it-service-desk/agreements/finance.fr.html").exists()


def test_a_client_added_is_all_inserted(tmp_path):
    added = ("  - id: audit\n    name: Group Audit\n    tier: standard\n    share: 0%\n"
             "    volume: {units: 100, growth: 0%}\n    regions: [EU]\n"
             "    data: {classification: internal, personal: false, regimes: []}\n"
             "    signatory: {name: Ines Duval, role: Chief Audit Executive}\n")
    new = DESK.replace("governance: {", added + "governance: {", 1)
    new = new.replace("  version: 2.4.0\n", "  version: 2.5.0\n", 1)
    old, new = _sides(tmp_path, new)
    out = tmp_path / "redlines"
    result = CliRunner().invoke(main, ["diff", old, new, "--redline", "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    md = (out / "it-service-desk/agreements/audit.en.md").read_text(encoding="utf-8")
    body = md.split("clauses without a change are not shown.\n", 1)[1]
    assert "<del>" not in body
    # every line added whole; headings, list items and table rows still what they were
    unmarked = re.sub(r"<ins>.*?</ins>", "", body)
    assert set(unmarked) <= set("#-|: \n"), unmarked[:200]
    assert "\n## <ins>1. Parties and term</ins>\n" in body
    assert "\n|---|---|\n" in body


def test_no_change_no_redline(tmp_path):
    same = tmp_path / "same.charter.yaml"
    same.write_text(DESK, encoding="utf-8")
    out = tmp_path / "redlines"
    result = CliRunner().invoke(main, ["diff", str(same), str(same), "--redline", "-o",
                                       str(out)])
    assert result.exit_code == 0, result.output
    assert not any(p.is_file() for p in out.rglob("*"))


@pytest.mark.parametrize("args, message", [
    (["--redline"], "--redline writes a folder: give it with -o DIR"),
    (["--redline", "-o", "{tmp}/out", "--lang", "xx"], "no catalogue for language 'xx'"),
    (["-o", "{tmp}"], "is a folder"),
])
def test_usage_errors(tmp_path, args, message):
    same = tmp_path / "same.charter.yaml"
    same.write_text(DESK, encoding="utf-8")
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = CliRunner().invoke(main, ["diff", str(same), str(same), *args])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_mark_words_marks_words_not_lines():
    lines = mark_words("| a | b c |\nkept\nold line here", "| a | b d |\nkept\nnew line here")
    assert lines[0] == [("=", "| a | b "), ("-", "c"), ("+", "d"), ("=", " |")]
    assert lines[1] == [("=", "kept")]
    assert lines[2] == [("-", "old"), ("+", "new"), ("=", " line here")]
    assert mark_words("x", "x\ny") == [[("=", "x")], [("+", "y")]]
