"""`charterc build`: golden documents, reproducibility, atomicity, escaping, the sandbox.

Golden files live in tests/golden/build/; regenerate them after an intended
change with `CHARTERC_UPDATE_GOLDEN=1 pytest tests/test_build.py` and review the diff.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from charterc.cli import main
from charterc.publish.build import BuildProblem, build

ROOT = Path(__file__).parent.parent
GOLDEN = ROOT / "tests" / "golden" / "build"
CHARTER = "charters/it-service-desk.charter.yaml"
TODAY = date(2026, 11, 27)
UPDATE = os.environ.get("CHARTERC_UPDATE_GOLDEN") == "1"
BASE = (ROOT / "charterc/checks/example_base.charter.yaml").read_text()
GOLDEN_FILES = [
    "charter.en.md", "charter.fr.md", "charter.en.html", "charter.fr.html",
    "agreements/finance.en.md", "agreements/finance.fr.md",
    "agreements/finance.en.html", "agreements/finance.fr.html",
    "sla.json", "openslo.yaml",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """it-service-desk in en and fr, md and html, built from the repository root."""
    out = tmp_path_factory.mktemp("build") / "dist"
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = build([CHARTER], out, langs=["en", "fr"], formats=["md", "html"], today=TODAY)
    finally:
        os.chdir(cwd)
    assert result.published, result.log
    return result


@pytest.mark.parametrize("name", GOLDEN_FILES)
def test_golden(built, name):
    actual = (built.out / "it-service-desk" / name).read_bytes()
    golden = GOLDEN / "it-service-desk" / name
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual)
    assert golden.is_file(), f"no golden file {golden}: run with CHARTERC_UPDATE_GOLDEN=1"
    expected = golden.read_bytes()
    if actual != expected:
        diff = "".join(list(difflib.unified_diff(
            expected.decode().splitlines(True), actual.decode().splitlines(True),
            "golden", "built"))[:60])
        pytest.fail(f"{name} differs from its golden file "
                    f"(CHARTERC_UPDATE_GOLDEN=1 regenerates):\n{diff}")


def test_every_file_of_a_charter_is_written_and_in_the_manifest(built):
    files = sorted(p.relative_to(built.out).as_posix() for p in built.out.rglob("*")
                   if p.is_file() and p.name != ".charterc-build")  # the folder's marker
    manifest = json.loads((built.out / "manifest.json").read_text())
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert [*sorted(listed), "manifest.json"] == sorted(files)
    for path, digest in listed.items():
        assert hashlib.sha256((built.out / path).read_bytes()).hexdigest() == digest
    agreements = {p for p in listed if "/agreements/" in p}
    assert len(agreements) == 4 * 2 * 2   # four clients, two languages, two formats
    assert "index.html" in listed


def test_the_documents_carry_the_figures_in_each_language(built):
    en = (built.out / "it-service-desk/charter.en.md").read_text()
    fr = (built.out / "it-service-desk/charter.fr.md").read_text()
    assert "€1,412,200.00" in en and "1\u202f412\u202f200,00\xa0€" in fr   # charges in 2026
    assert "\\| Group Finance \\|" not in en and "| Group Finance | Premium |" in en
    assert "98.76%" in en and "98,76\xa0%" in fr                       # recovery in 2026
    assert "January 1, 2026 – December 31, 2028" in en
    assert "1er janvier 2026 – 31 décembre 2028" in fr   # 1er: the first of a month in French
    assert "## 14. Order of precedence" in en and "## 2. Définitions" in fr
    assert "## Signatures" in en
    sha = json.loads((built.out / "it-service-desk/sla.json").read_text())["sha256"]
    assert f"`{sha}`" in en


def test_agreement_shows_hours_in_the_clients_zone(built):
    hr = (built.out / "it-service-desk/agreements/hr.en.md").read_text()
    assert ("In the client's time zone (Europe/Paris) the support hours are: Mon–Fri "
            "08:00–18:00 (Europe/Paris)") in hr
    finance = (built.out / "it-service-desk/agreements/finance.en.md").read_text()
    assert ("The maintenance windows of the service level Premium are: Sun 01:00–03:00 "
            "(Europe/London)") in finance
    assert "| 2028 | 16,974 | €62.42 | €0.00 | €1,059,517.08 |" in finance   # ties out


def test_html_stands_alone_and_is_accessible(built):
    html = (built.out / "it-service-desk/charter.fr.html").read_text()
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"fr\">")
    assert "<style>" in html and "@media print" in html and "size: A4 portrait" in html
    # sections follow each other on a page: no forced break; running footer "Page N sur M"
    assert "break-before: page" not in html
    assert '"Page " counter(page) " sur " counter(pages)' in html
    for needle in ("<script", "<link", "src=", "@import", "url(", "http://", "https://"):
        assert needle not in html
    levels = [int(line[2]) for line in html.splitlines() if line.startswith("<h") and
              line[2].isdigit()]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in pairwise(levels))
    assert html.count('<th scope="col"') > 40


def test_sla_json_of_every_bundled_charter_matches_its_schema(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = build(["charters"], tmp_path / "dist", langs=["en"], formats=["md"], today=TODAY)
    assert result.published
    schema = json.loads((ROOT / "schemas/sla.schema.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    for charter_id in result.built:
        document = json.loads((tmp_path / "dist" / charter_id / "sla.json").read_text())
        jsonschema.Draft7Validator(schema).validate(document)
    sla = json.loads((tmp_path / "dist/it-service-desk/sla.json").read_text())
    assert len(sla["entries"]) == 4 * 9     # availability + 2 x 4 priorities per client
    first = sla["entries"][0]
    assert (first["id"], first["comparator"], first["target"]) == \
        ("finance/availability", ">=", {"percent": 99.9})
    assert first["source"] == {"file": CHARTER, "line": 72, "column": 30,
                               "pointer": "/tiers/1/objectives/availability/target"}
    p3 = next(e for e in sla["entries"] if e["id"] == "hr/response/P3")
    assert (p3["target"], p3["clock"], p3["attainment"]) == \
        ({"duration": "1d", "days": 1, "minutes": 0}, "business", 95)


def _subject(path: str = CHARTER):
    from charterc.pipeline import CheckOptions, check_paths
    from charterc.render.view import Subject
    checked = check_paths([ROOT / path], CheckOptions(today=TODAY)).files[0]
    return Subject(checked.charter, checked.loaded.sources, path, (), TODAY)


def test_sla_json_written_entry_by_entry_is_the_whole_document():
    from charterc.export import sla
    subject = _subject()
    assert json.loads(sla.export(subject).data) == json.loads(json.dumps(sla.sla_document(subject)))


def test_the_sla_schema_asks_nothing_of_entries_that_entry_by_entry_validation_misses():
    schema = json.loads((ROOT / "schemas/sla.schema.json").read_text())
    assert schema["properties"]["entries"] == {"type": "array",
                                               "items": {"$ref": "#/definitions/entry"}}

    def property_names(node):   # const is read as a one-value enum: no field may be named so
        if isinstance(node, dict):
            yield from node.get("properties", {})
            for value in node.values():
                yield from property_names(value)
        elif isinstance(node, list):
            for value in node:
                yield from property_names(value)

    assert "const" not in set(property_names(schema))


def test_an_sla_entry_off_its_schema_stops_the_build_and_is_named(monkeypatch):
    from charterc.export import sla
    entries = sla._entries

    def one_off(subject, client):
        for entry in entries(subject, client):
            yield {**entry, "comparator": "=="} if entry["id"] == "hr/response/P2" else entry

    monkeypatch.setattr(sla, "_entries", one_off)
    with pytest.raises(sla.SlaSchemaError) as raised:
        sla.export(_subject())
    assert str(raised.value).startswith(
        "it-service-desk hr/response/P2: sla.json does not match sla.schema.json: ")
    assert "comparator" in str(raised.value)


def test_building_twice_gives_identical_files(built, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    again = build([CHARTER], tmp_path / "dist", langs=["en", "fr"], formats=["md", "html"],
                  today=TODAY)
    assert again.files == built.files


def test_manifest_is_identical_under_different_hash_seeds(tmp_path):
    manifests = []
    for seed in ("1", "4242"):
        out = tmp_path / f"dist-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1795737600"}
        proc = subprocess.run([sys.executable, "-m", "charterc", "build", CHARTER, "-o", str(out),
                               "--lang", "en,fr"], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        manifests.append((out / "manifest.json").read_bytes())
    assert manifests[0] == manifests[1]
    # SOURCE_DATE_EPOCH 1795737600 is 2026-11-27: the date documents show
    assert "Issued on | November 27, 2026" in (tmp_path / "dist-1/it-service-desk/charter.en.md") \
        .read_text()


def test_without_today_or_source_date_epoch_the_issue_date_is_the_last_commit_date(
        tmp_path, monkeypatch):
    """One date (spec 8.2): SOURCE_DATE_EPOCH, else the charter file's last commit date,
    else today."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)

    class Today(date):
        @classmethod
        def today(cls):
            return TODAY

    monkeypatch.setattr("charterc.pipeline.today.date", Today)   # the checks still need a date
    assert build([CHARTER], tmp_path / "dist", langs=["en"], formats=["md"]).published
    import subprocess
    committed = subprocess.run(["git", "log", "-1", "--format=%cs", "--", CHARTER],
                               capture_output=True, text=True, check=False).stdout.strip()
    issued = date.fromisoformat(committed) if committed else date.today()
    assert f"Issued on | {issued:%B} {issued.day}, {issued.year} |" in \
        (tmp_path / "dist/it-service-desk/charter.en.md").read_text()
    # a charter outside any repository is issued today
    from charterc.publish.build import issue_date
    outside = tmp_path / "x.charter.yaml"
    outside.write_text("x")
    assert issue_date(outside) == date.today()


# -- atomicity ---------------------------------------------------------------------------

def _write(folder: Path, text: str, name="c.charter.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def test_a_charter_with_errors_leaves_the_previous_dist_intact(tmp_path):
    out = tmp_path / "dist"
    good = _write(tmp_path / "in", BASE)
    assert build([good], out, today=TODAY).published
    before = (out / "manifest.json").read_bytes()
    _write(tmp_path / "in", BASE.replace("id: example", "id: other").replace(
        "tier: premium", "tier: premum"), "bad.charter.yaml")
    result = build([tmp_path / "in"], out, today=TODAY)
    assert not result.published and result.exit_code() == 1
    assert [d.rule for d in result.check.diagnostics if not d.suppressed] == ["R301"]
    assert (out / "manifest.json").read_bytes() == before
    assert not (out / "other").exists()
    partial = build([tmp_path / "in"], out, today=TODAY, partial=True)
    assert partial.published and partial.built == ["example"] and partial.exit_code() == 1
    assert partial.left_out == [str(tmp_path / "in" / "bad.charter.yaml")]


def test_an_interrupted_build_leaves_the_previous_dist_intact(tmp_path, monkeypatch):
    out = tmp_path / "dist"
    good = _write(tmp_path / "in", BASE)
    build([good], out, today=TODAY)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def interrupted(subject):
        raise KeyboardInterrupt

    import charterc.export.openslo
    monkeypatch.setattr(charterc.export.openslo, "export", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build([good], out, today=TODAY, langs=["en", "fr"])
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "in"]   # no temporary left


def test_a_folder_not_written_by_build_is_not_replaced(tmp_path):
    out = tmp_path / "dist"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(BuildProblem, match="not written by charterc build"):
        build([_write(tmp_path / "in", BASE)], out)
    assert (out / "notes.txt").read_text() == "mine"


# -- escaping and the sandbox ------------------------------------------------------------

HOSTILE = "<script>alert(1)</script> | pipes |"


def test_user_text_is_escaped_in_html_and_markdown(tmp_path):
    text = BASE.replace("name: Alpha", f'name: "{HOSTILE}"')
    out = tmp_path / "dist"
    assert build([_write(tmp_path / "in", text)], out, today=TODAY,
                 formats=["md", "html"]).published
    for doc in ("charter.en.html", "agreements/alpha.en.html"):
        html = (out / "example" / doc).read_text()
        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; | pipes |" in html
    md = (out / "example/charter.en.md").read_text()
    assert "<script>" not in md
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; \\| pipes \\|"
    row = next(line for line in md.splitlines() if line.startswith(f"| {escaped} |"))
    cells = row.replace("\\|", "").strip("|").split("|")
    assert len(cells) == 2 + 3      # client, tier, one role per year: pipes split nothing
    agreement = (out / "example/agreements/alpha.en.md").read_text()
    assert f"# Service agreement: {escaped}" in agreement


def test_markdown_escaping_rules():
    from charterc.render.markdown import escape
    assert escape("a|b *c* _d_ `e` [f](g) <h> & ~i~") == \
        "a\\|b \\*c\\* \\_d\\_ \\`e\\` \\[f\\](g) &lt;h&gt; &amp; \\~i\\~"
    assert escape("- item\nnext") == "\\- item next"
    assert escape("# title") == "\\# title" and escape("2.4.0") == "2.4.0"
    assert escape("1. first") == "1\\. first"


def test_html_autoescape_applies_to_html_j2_names():
    from charterc.render import Documents, _html_autoescape
    assert _html_autoescape("charter.html.j2") and _html_autoescape("index.html.j2")
    assert not _html_autoescape("charter.md.j2")
    env = Documents().environment("html", "en")
    assert env.from_string("{{ x }}").render(x="<b>") == "<b>"   # unnamed: not HTML
    assert env.get_template("_signature.html.j2").render(
        signer={"name": "<b>", "role": "r"}, party="p").count("&lt;b&gt;") == 1


def _override(tmp_path, body: str, name="charter.md.j2") -> Path:
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(body)
    return folder


def test_a_template_override_replaces_the_builtin_by_name(tmp_path):
    templates = _override(tmp_path, "# Custom {{ title }} {{ version }}\n")
    out = tmp_path / "dist"
    build([_write(tmp_path / "in", BASE)], out, templates=templates, formats=["md"], today=TODAY)
    assert (out / "example/charter.en.md").read_text() == "# Custom Example Service 1.0.0\n"
    assert (out / "example/agreements/alpha.en.md").read_text().startswith(
        "# Service agreement: Alpha")


@pytest.mark.parametrize("body, message", [
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
    ("{{ title.__class__ }}", "unsafe"),
    ("{{ no_such_field }}", "'no_such_field' is undefined"),
    ("{% if %}", "syntax error"),
    # an override's expression raising: once an internal error
    ("{{ 1 / 0 }}", r"line 1\): ZeroDivisionError: division by zero"),
    ("{{ 1 % 0 }}", "ZeroDivisionError"),
    ("{{ 1 + 'a' }}", "TypeError: unsupported operand"),
    ("{{ none | length }}", "TypeError: object of type 'NoneType' has no len"),
    ("{{ '%d' % 'a' }}", "TypeError: %d format"),
    ("{{ 'abc'.index('z') }}", "ValueError: substring not found"),
    ("{{ version ~ 1e999 }}", "NameError: name 'inf' is not defined"),
    # not UTF-8: once an internal error (UnicodeDecodeError)
    (b"\xff{{ title }}", r"not UTF-8 text \(byte 0xff at offset 0\)"),
])
def test_template_tricks_fail_with_a_clear_error(tmp_path, body, message):
    templates = _override(tmp_path, "")
    (templates / "charter.md.j2").write_bytes(body if isinstance(body, bytes) else body.encode())
    out = tmp_path / "dist"
    build([_write(tmp_path / "in", BASE)], out, formats=["md"], today=TODAY)
    before = (out / "manifest.json").read_bytes()
    with pytest.raises(BuildProblem, match=message):
        build([tmp_path / "in"], out, templates=templates, formats=["md"], today=TODAY)
    assert (out / "manifest.json").read_bytes() == before
    result = CliRunner().invoke(main, ["build", str(tmp_path / "in"), "-o", str(out),
                                       "--format", "md", "--templates", str(templates),
                                       "--today", TODAY.isoformat()])
    assert result.exit_code == 2
    assert result.output.startswith("charterc build: template charter.md.j2")
    assert ("Traceback" not in result.output and result.exception is None) or \
        isinstance(result.exception, SystemExit)


# -- command line and languages ----------------------------------------------------------

def test_cli_builds_and_reports(tmp_path):
    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["build", str(_write(tmp_path / "in", BASE)), "-o",
                                       str(out), "--lang", "en,fr", "--today", "2026-11-27"])
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings in 1 file" in result.output
    assert "built 1 charter(s): 16 files in" in result.output
    assert "example: openslo.yaml leaves out 4 objective(s) at 100%" in result.output
    # the build log counts, and lists only with --verbose: one short line per charter
    assert "left out example/" not in result.output
    assert max(len(line) for line in result.output.splitlines()) < 160
    assert (out / "example/charter.fr.html").is_file()
    verbose = CliRunner().invoke(main, ["build", str(tmp_path / "in"), "-o", str(out),
                                        "--today", "2026-11-27", "--verbose"])
    assert verbose.exit_code == 0, verbose.output
    assert "  example: openslo.yaml left out " in verbose.output


@pytest.mark.parametrize("args, message", [
    (["--lang", "de"], "no catalogue for language 'de'"),
    (["--format", "docx"], "unknown format 'docx'"),
])
def test_cli_usage_errors_exit_2(tmp_path, args, message):
    result = CliRunner().invoke(main, ["build", str(_write(tmp_path / "in", BASE)), "-o",
                                       str(tmp_path / "dist"), *args])
    assert result.exit_code == 2 and message in result.output


def test_warnings_are_listed_in_document_control(tmp_path):
    text = BASE.replace("years: 3}", "years: 2}")   # C406: under three years
    out = tmp_path / "dist"
    result = build([_write(tmp_path / "in", text)], out, today=TODAY, formats=["md"])
    assert result.published
    md = (out / "example/charter.en.md").read_text()
    assert "- **warning C406** (line " in md


def test_check_does_not_import_the_renderers():
    code = ("import sys\nfrom charterc.cli import main\n"
            "try:\n    main(['check', 'charters'])\nexcept SystemExit:\n    pass\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'jinja2', 'babel'}))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stdout + proc.stderr


def test_locale_formats_follow_babel():
    from charterc.model.values import duration
    from charterc.render.i18n import Formatter
    fr, en = Formatter("fr"), Formatter("en")
    assert fr.money(Decimal("1402110")) == "1\u202f402\u202f110,00\xa0€"
    assert en.money(Decimal("1402110")) == "€1,402,110.00"
    assert (en.percent(Decimal("99.95")), fr.percent(Decimal("99.95"))) == ("99.95%", "99,95\xa0%")
    assert en.date(TODAY) == "November 27, 2026" and fr.date(TODAY) == "27 novembre 2026"
    assert fr.duration(duration("1d4h"), "business") == "1 jour ouvré 4 h"
    assert en.duration(duration("3d"), "calendar") == "3 days"
    assert (en.days(frozenset(range(5))), fr.days(frozenset({5, 6, 0}))) == \
        ("Mon–Fri", "sam.–lun.")


def test_compiled_catalogues_match_their_po_and_translate_every_msgid():
    from babel.messages.pofile import read_po

    from charterc.render.catalogues import compiled, extract, mo_path, po_path
    assert compiled("fr") == mo_path("fr").read_bytes(), \
        "run: python -m charterc.render.catalogues compile"
    with open(po_path("fr"), "rb") as handle:
        fr = read_po(handle, locale="fr")
    for message in extract():
        if not message.id:
            continue
        assert message.id in fr, f"{message.id!r} is not in the French catalogue"
        string = fr[message.id].string
        assert all(string) if isinstance(string, tuple) else string, message.id


def test_the_french_build_misses_no_translation(built):
    assert built.missing_translations == set()


# -- support hours in the reader's zone ---------------------------------------------------

PARIS_DESK = {"schedule": [{"days": "mon-fri", "from": "08:00", "to": "18:00"}],
              "timezone": "Europe/Paris", "holidays": "FR"}
TERM_2026 = (date(2026, 1, 1), date(2027, 1, 1))


def _rules(view):
    return [(sorted(r.days), r.start, r.end) for r in view.rules]


def _written(value):
    """The view of an `hours` value as written, read with UTC and no holidays by default."""
    from charterc.model.hours import Hours
    from charterc.render.hours import hours_view
    return hours_view(Hours(value, value.get("timezone", "UTC"), value.get("holidays", "none"),
                            "/hours"))


def test_hours_in_a_zone_that_changes_clocks_on_other_dates_name_the_weeks():
    from charterc.render.hours import shifted
    local = shifted(_written(PARIS_DESK), "America/New_York", TERM_2026)
    assert (local.zone, local.holidays) == ("America/New_York", "FR")
    assert _rules(local) == [([0, 1, 2, 3, 4], 2 * 60, 12 * 60)]   # 02:00-12:00 most weeks
    # New York moves on 8 March and 1 November, Paris on 29 March and 25 October
    assert local.approximate
    assert local.weeks == (("2026-W11", "2026-W13"), ("2026-W44", "2026-W44"))


def test_hours_in_a_zone_that_changes_clocks_at_the_same_instant_are_exact():
    from charterc.render.hours import shifted
    london = shifted(_written(PARIS_DESK), "Europe/London", TERM_2026)
    assert _rules(london) == [([0, 1, 2, 3, 4], 7 * 60, 17 * 60)] and not london.approximate
    # a Sunday night window across both changes of clocks still reads one hour earlier
    night = {"schedule": [{"days": "sun", "from": "02:00", "to": "04:00"}],
             "timezone": "Europe/Paris"}
    local = shifted(_written(night), "Europe/London", TERM_2026)
    assert _rules(local) == [([6], 60, 180)] and local.weeks == ()


def test_hours_in_a_zone_without_daylight_saving_hold_for_the_summer():
    from charterc.render.hours import shifted
    tokyo = shifted(_written(PARIS_DESK), "Asia/Tokyo", TERM_2026)
    assert _rules(tokyo) == [([0, 1, 2, 3, 4], 15 * 60, 60)]   # 15:00-01:00 (7 h ahead)
    assert tokyo.weeks == (("2026-W01", "2026-W13"), ("2026-W44", "2026-W53"))


def test_hours_moved_across_midnight_change_their_days():
    from charterc.render.hours import shifted
    early = {"schedule": [{"days": "mon", "from": "03:00", "to": "05:00"},
                          {"days": "fri", "from": "22:00", "to": "02:00"}],
             "timezone": "Europe/Paris"}
    local = shifted(_written(early), "America/New_York", TERM_2026)
    assert _rules(local) == [([6], 21 * 60, 23 * 60), ([4], 16 * 60, 20 * 60)]
    written = _written(early)
    assert shifted(written, "Nowhere/City", TERM_2026) == written   # V505's: as written


def test_agreement_zone_and_defaults_are_those_the_checks_read(tmp_path):
    # the client's own zone (no zone on its needs), the provider's holidays on its needs,
    # maintenance windows in the tier hours' zone
    text = (BASE.replace("Services, timezone: Europe/Paris, holidays: none}",
                         "Services, timezone: Europe/Paris, holidays: FR}")
            .replace("    tier: standard\n    volume",
                     "    tier: standard\n    timezone: America/New_York\n    volume")
            .replace('[{days: mon-fri, from: "09:00", to: "17:00"}], timezone: Europe/Paris, '
                     'holidays: none}', '[{days: mon-fri, from: "04:00", to: "11:00"}]}')
            .replace('"04:00"}], timezone: Europe/Paris}', '"04:00"}]}')
            .replace("      timezone: Europe/Paris\n      holidays: none",
                     "      timezone: Europe/London\n      holidays: none"))
    out = tmp_path / "dist"
    result = build([_write(tmp_path / "in", text)], out, today=TODAY, formats=["md"])
    assert result.published and not result.check.diagnostics
    alpha = (out / "example/agreements/alpha.en.md").read_text()
    assert "In the client's time zone (America/New\\_York) the support hours are: " \
           "Mon–Fri 03:00–13:00 (America/New\\_York), no holiday closures (except weeks " \
           "2026-W11–2026-W13, 2026-W44, 2027-W11–2027-W12, 2027-W44, " \
           "2028-W11–2028-W12, 2028-W44: the two zones change clocks on different dates)" in alpha
    assert "The client stated that it needs support during: Mon–Fri 04:00–11:00 " \
           "(America/New\\_York), closed on public holidays (FR).\n" in alpha
    assert "The maintenance windows of the service level Standard are: Sat 21:00–23:00 " \
           "(America/New\\_York) (except weeks 2026-W11" in alpha
    charter = (out / "example/charter.en.md").read_text()
    assert "| Sun 02:00–04:00 (Europe/London) |" in charter
    sla = json.loads((out / "example/sla.json").read_text())
    entry = next(e for e in sla["entries"] if e["id"] == "alpha/availability")
    assert entry["maintenance"] == {"schedule": [{"days": "sun", "from": "02:00", "to": "04:00"}],
                                    "timezone": "Europe/London", "holidays": "none"}


# -- on every core: --jobs -----------------------------------------------------------------

def _portfolio(folder: Path, count: int) -> Path:
    """`count` variants of the example charter (ids differ), plus the bundled charters."""
    folder.mkdir(parents=True)
    for n in range(count):
        (folder / f"c{n:02d}.charter.yaml").write_text(
            BASE.replace("id: example", f"id: example-{n:02d}", 1), encoding="utf-8")
    for bundled in sorted((ROOT / "charters").iterdir()):
        (folder / bundled.name).write_bytes(bundled.read_bytes())
    return folder


def test_a_build_on_several_processes_is_byte_identical_to_one(tmp_path, monkeypatch):
    assert BASE.count("id: example") >= 1
    source = _portfolio(tmp_path / "charters", 9)
    monkeypatch.chdir(tmp_path)
    trees = {}
    for jobs in (1, 3):
        out = tmp_path / f"dist-{jobs}"
        result = build([source], out, langs=["en", "fr"], formats=["md", "html"], today=TODAY,
                       jobs=jobs)
        assert result.published, result.log
        assert not result.missing_translations
        trees[jobs] = ({p.relative_to(out).as_posix(): p.read_bytes()
                        for p in sorted(out.rglob("*")) if p.is_file()}, result.log)
    (one, log_one), (three, log_three) = trees[1], trees[3]
    assert len(one) > 100 and list(one) == list(three)
    assert [name for name in one if one[name] != three[name]] == []
    assert log_one == log_three


def test_a_template_problem_in_a_worker_fails_the_build_and_keeps_dist(tmp_path):
    source = _portfolio(tmp_path / "charters", 6)
    out = tmp_path / "dist"
    build([source], out, formats=["md"], today=TODAY, jobs=2)
    before = (out / "manifest.json").read_bytes()
    # fails only on a charter the parent does not compile itself (not the first by id)
    templates = _override(tmp_path, "{% if id == 'example-04' %}{{ no_such_field }}"
                                     "{% endif %}{{ title }}\n")
    with pytest.raises(BuildProblem, match="'no_such_field' is undefined"):
        build([source], out, templates=templates, formats=["md"], today=TODAY, jobs=2)
    assert (out / "manifest.json").read_bytes() == before


def test_cli_jobs_must_be_positive(tmp_path):
    result = CliRunner().invoke(main, ["build", CHARTER, "-o", str(tmp_path / "d"), "--jobs", "0"])
    assert result.exit_code == 2 and "--jobs" in result.output


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()}


def test_a_partial_build_with_a_repeated_id_is_the_same_on_several_processes(tmp_path):
    # the check passes the repeating file on its own; R302 (its error) comes once all are
    # checked: the parallel build, which compiles as the check goes, must not build it
    source = _portfolio(tmp_path / "charters", 4)
    (source / "z-copy.charter.yaml").write_bytes((source / "c01.charter.yaml").read_bytes())
    results, trees = {}, {}
    for jobs in (1, 2):
        out = tmp_path / f"dist-{jobs}"
        results[jobs] = build([source], out, formats=["md"], today=TODAY, jobs=jobs,
                              partial=True)
        assert results[jobs].published
        trees[jobs] = _tree(out)
    assert any("z-copy.charter.yaml" in file for file in results[2].left_out)
    assert trees[1] == trees[2] and results[1].log == results[2].log


def test_a_parallel_build_with_errors_leaves_the_output_as_it_was(tmp_path):
    source = _portfolio(tmp_path / "charters", 4)
    out = tmp_path / "dist"
    build([source], out, formats=["md"], today=TODAY, jobs=2)
    before = _tree(out)
    (source / "c02.charter.yaml").write_text(
        BASE.replace("id: example", "id: example-02", 1).replace("tier:", "tier: nowhere\n  x:",
                                                                  1), encoding="utf-8")
    result = build([source], out, formats=["md"], today=TODAY, jobs=2)
    assert not result.published and result.left_out and "left as it was" in result.log[-1]
    assert _tree(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".charterc-staging-")]


def test_what_the_parallel_build_compiled_is_dropped_when_the_list_differs(tmp_path,
                                                                           monkeypatch):
    # `_Compiler.finish` compiles the list again, here, when it is not what the check's
    # per-file results let it start (a case they cannot foresee): simulated by passing
    # one charter fewer than was compiled
    from charterc.publish import build as build_module

    source = _portfolio(tmp_path / "charters", 4)
    finish = build_module._Compiler.finish

    def one_fewer(self, subjects):
        return finish(self, [s for s in subjects if s.charter.id != "example-01"])

    monkeypatch.setattr(build_module._Compiler, "finish", one_fewer)
    out = tmp_path / "dist"
    result = build([source], out, formats=["md"], today=TODAY, jobs=2)
    assert result.published
    assert not (out / "example-01").exists() and (out / "example-02").is_dir()
    listed = json.loads((out / "manifest.json").read_text())["files"]
    assert not [f for f in listed if f["path"].startswith("example-01/")]


# -- the built-in templates' environment -----------------------------------------------------

def test_a_literal_message_is_translated_when_a_built_in_template_compiles():
    from charterc.render import Documents

    documents = Documents()
    html = documents.environment("html", "fr")
    source = '{{ _("Signatures") }}|{{ _("Service agreement")|colon }}|{{ _("%(n)s day", n=2) }}'
    assert "l_0__" not in html.compile(source.split("|")[0], raw=True)  # no call of `_`
    assert html.from_string(source).render() == "Signatures|Convention de service\xa0:|2 jour"
    markdown = documents.environment("md", "fr")
    assert markdown.from_string('{{ _("Document control") }}').render() == "Gestion du document"
    # overrides are compiled as written (the sandbox calls `_` at render time)
    override = Documents(ROOT / "charters").environment("html", "fr")
    assert "l_0__" in override.compile('{{ _("Signatures") }}', raw=True)


def test_an_override_changing_its_view_changes_no_other_document(tmp_path):
    """The views of a charter share parts (a client's, in the charter's document and in its
    agreement): an override that changes what it is given changes its own copy only."""
    templates = _override(tmp_path, "")
    (templates / "charter.md.j2").write_text(
        "{% for c in clients %}{% set _ = c.update({'name': 'CHANGED'}) %}{% endfor %}"
        "{{ clients[0].name }}\n", encoding="utf-8")
    (templates / "agreement.md.j2").write_text("{{ client.name }}\n", encoding="utf-8")
    out = tmp_path / "dist"
    result = build([_write(tmp_path / "in", BASE)], out, templates=templates, formats=["md"],
                   today=TODAY)
    assert result.published
    assert (out / "example/charter.en.md").read_text(encoding="utf-8") == "CHANGED\n"
    names = {p.read_text(encoding="utf-8") for p in (out / "example/agreements").glob("*.md")}
    assert names and "CHANGED\n" not in names


def test_a_warm_process_forks_its_workers_at_once_and_builds_the_same_bytes(tmp_path,
                                                                            monkeypatch):
    """Once a process has compiled a charter in some languages and formats, a parallel
    build in them forks its workers before compiling anything (nothing is left to warm):
    the same files, byte for byte, as a build that compiles the first charter first."""
    from charterc.publish import build as build_module
    from charterc.render import Documents

    monkeypatch.setattr(build_module, "default_jobs", lambda: 2)  # a worker, any machine
    source = tmp_path / "in"
    source.mkdir()
    for n in range(3):
        (source / f"c{n}.charter.yaml").write_text(
            BASE.replace("id: example", f"id: example-{n}"), encoding="utf-8")
    events: list[str] = []
    compile_here, fork = build_module._compile, build_module._Compiler._fork

    def compiled(*args, **kwargs):
        events.append("compile")
        return compile_here(*args, **kwargs)

    def forked(self):
        events.append("fork")
        return fork(self)

    monkeypatch.setattr(build_module, "_compile", compiled)
    monkeypatch.setattr(build_module._Compiler, "_fork", forked)
    documents = Documents.for_templates(None)
    documents.warmed.discard((("en",), ("md", "html")))
    cold = build([source], tmp_path / "cold", today=TODAY, jobs=2)
    assert events[:2] == ["compile", "fork"]
    assert (("en",), ("md", "html")) in documents.warmed
    events.clear()
    warm = build([source], tmp_path / "warm", today=TODAY, jobs=2)
    assert events[0] == "fork"
    assert cold.published and warm.published
    assert warm.files == cold.files
    for path in cold.files:
        assert (tmp_path / "warm" / path).read_bytes() == (tmp_path / "cold" / path).read_bytes()


def test_the_parent_compiles_what_no_worker_has_started_once_the_check_is_over(
        tmp_path, monkeypatch):
    """With the check over, the build's own process compiles the charters no worker has
    started, from the last one sent (a worker goes on from the first): every charter is
    compiled once, and the files are those of a build in one process."""
    import time as clock

    from charterc.publish import build as build_module

    monkeypatch.setattr(build_module, "default_jobs", lambda: 2)
    source = tmp_path / "in"
    source.mkdir()
    for n in range(6):
        (source / f"c{n}.charter.yaml").write_text(
            BASE.replace("id: example", f"id: example-{n}"), encoding="utf-8")
    serial = build([source], tmp_path / "serial", today=TODAY, jobs=1)
    here: list[str] = []
    compile_here, received = build_module._compile, build_module._received

    def compiled(subject, *args, **kwargs):
        here.append(subject.charter.id)
        return compile_here(subject, *args, **kwargs)

    def slowly(sent):  # forked with the patch: the worker takes its time over each charter
        clock.sleep(0.3)
        return received(sent)

    monkeypatch.setattr(build_module, "_compile", compiled)
    monkeypatch.setattr(build_module, "_received", slowly)
    told: list[str] = []
    parallel = build([source], tmp_path / "parallel", today=TODAY, jobs=2, progress=told.append)
    assert parallel.published
    taken = [cid for cid in here if cid != "example-0"]  # the first: compiled before the fork
    assert taken and taken[0] == "example-5" and taken == sorted(taken, reverse=True)
    assert sorted(told) == sorted(f"compiled example-{n}" for n in range(6))
    assert parallel.files == serial.files
    for path in serial.files:
        assert (tmp_path / "parallel" / path).read_bytes() == \
            (tmp_path / "serial" / path).read_bytes()


def _build_in_a_daemon(source: str, out: str, answer) -> None:
    result = build([source], out, today=TODAY)
    answer.send((result.published, sorted(result.built)))


def test_a_build_in_a_daemonic_process_compiles_in_that_process(tmp_path):
    """A multiprocessing pool's worker (a daemonic process) may not have children: a build
    there compiles every charter itself, where it would otherwise fork its workers."""
    import multiprocessing

    source = tmp_path / "in"
    source.mkdir()
    for n in range(3):
        (source / f"c{n}.charter.yaml").write_text(
            BASE.replace("id: example", f"id: example-{n}"), encoding="utf-8")
    context = multiprocessing.get_context("fork")
    receive, answer = context.Pipe(duplex=False)
    process = context.Process(target=_build_in_a_daemon,
                              args=(str(source), str(tmp_path / "dist"), answer), daemon=True)
    process.start()
    answer.close()  # the daemon's end only: a daemon that dies is an EOF here, not a wait
    assert receive.poll(120)
    assert receive.recv() == (True, ["example-0", "example-1", "example-2"])
    process.join(10)
    assert process.exitcode == 0
