"""Bad values become diagnostics with a position, never an internal error.

Each test names the input that used to crash charterc (or slip through) and asserts
what it reports now. The generated inputs are in `test_fuzz.py`.
"""
from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import check_document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import per_unit_charters

from charterc.loaders import load_bytes
from charterc.loaders.yaml import load_text
from charterc.pipeline import CheckOptions, check_loaded

ROOT = Path(__file__).resolve().parent.parent
YAML = (ROOT / "charters" / "it-service-desk.charter.yaml").read_text(encoding="utf-8")
DSL = (ROOT / "examples" / "dsl" / "it-service-desk.charter").read_text(encoding="utf-8")
TODAY = date(2026, 6, 1)


def check_text(text: str, syntax: str = "yaml"):
    file = "t.charter.yaml" if syntax == "yaml" else "t.charter"
    loaded = load_bytes(text.encode("utf-8"), file)
    return check_loaded(loaded, CheckOptions(today=TODAY)).diagnostics


def edited(old: str, new: str, syntax: str = "yaml") -> str:
    text = YAML if syntax == "yaml" else DSL
    assert old in text, old
    return text.replace(old, new, 1)


def only(diagnostics, rule: str = "S201"):
    found = [d for d in diagnostics if d.rule == rule]
    assert found, [(d.rule, d.message) for d in diagnostics]
    assert all(d.line > 0 and d.column > 0 for d in diagnostics)
    return found


# -- numbers the schema let through but arithmetic refused --------------------------------

@pytest.mark.parametrize("old, new, line, words", [
    # decimal.InvalidOperation on rounding 10^23 % for display
    ("price: {per_unit: 38, fixed: 0, indexation: 2%}",
     "price: {per_unit: 38, fixed: 0, indexation: 99999999999999999999999%}", 61,
     "from -100% to 1000%"),
    ("{id: staff, amount: 1200000, growth: 3%}", "{id: staff, amount: 1200000, growth: 1001%}",
     37, "from -100% to 1000%"),
    ("{id: staff, amount: 1200000, growth: 3%}", "{id: staff, amount: 1200000, growth: -101%}",
     37, "from -100% to 1000%"),
    # ValueError: Exceeds the limit (4300 digits) for integer string conversion
    ("{id: staff, amount: 1200000,", "{id: staff, amount: " + "9" * 5000 + ",", 37,
     "is too large a number"),
    ("{id: staff, amount: 1200000,", "{id: staff, amount: 0x" + "f" * 5000 + ",", 37,
     "is too large a number"),
    # NaN passes minimum and maximum
    ("{id: staff, amount: 1200000,", "{id: staff, amount: .nan,", 37, "is not a number"),
    ("{id: staff, amount: 1200000,", "{id: staff, amount: -.inf,", 37, "is not a finite number"),
    # ValueError: year 10001 is out of range
    ("period: {start: 2026-01-01", "period: {start: 9998-01-01", 27,
     "from 1900-01-01 to 2999-12-31"),
    # ValueError: year 102025 is out of range / OverflowError: ... C long / C int
    ("every: 12mo", "every: 99999y", 29, "at most 999y"),
    ("every: 12mo", "every: 999999999999999999999999mo", 29, "at most 999y"),
    ("every: 12mo", "every: 9999999999d", 29, "at most 999y"),
    ("P1: 15m", "P1: 99999999999999w", 74, "at most 4 digits"),
    ("retention: 90d", "retention: 99999999999999y", None, "at most 999y"),
])
def test_numbers_out_of_bounds_are_s201_at_their_value(old, new, line, words):
    found = only(check_text(edited(old, new)))
    assert any(words in d.message for d in found), [d.message for d in found]
    if line is not None:
        assert {d.line for d in found} == {line}


def test_a_five_thousand_digit_amount_is_clipped_in_the_message():
    found = only(check_text(edited("{id: staff, amount: 1200000,",
                                   "{id: staff, amount: " + "9" * 5000 + ",")))
    assert max(len(d.message) for d in found) < 200


def test_nan_in_the_dsl_is_s201_at_its_value():
    # decimal.InvalidOperation comparing NaN with the recovery target
    found = only(check_text(edited("cost staff 1200000 growing 3%", "cost staff .nan growing 3%",
                                   "dsl"), "dsl"))
    assert [(d.line, d.column, d.pointer) for d in found] == [(14, 12, "/costs/0/amount")]


@pytest.mark.parametrize("value, ok", [
    ("1900-01-01", True), ("2999-12-31", True), ("2000-02-29", True), ("2400-02-29", True),
    ("1899-12-31", False), ("3000-01-01", False), ("2100-02-29", False), ("9999-12-31", False)])
def test_dates_are_bounded_to_1900_2999(value, ok):
    found = [d for d in check_text(edited("period: {start: 2026-01-01",
                                          f"period: {{start: {value}"))
             if d.rule == "S201"]
    assert not found if ok else found


EXTREME = st.fixed_dictionaries({
    "rate": st.sampled_from(["1000%", "-99.999999%", "-100%", "0%", "250.5%", "-50%"]),
    "amount": st.sampled_from([0, 5e-324, 0.01, 1, 1e15, 999_999_999_999_999]),
})


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(per_unit_charters(), st.lists(EXTREME, min_size=6, max_size=6),
       st.sampled_from(["per-unit", "fixed", "share"]), st.integers(1, 20))
def test_the_arithmetic_holds_at_the_bounds(document, extremes, charging, years):
    """Anything the schema admits computes: the extremes of every bound, every charging mode."""
    document = copy.deepcopy(document)
    pick = iter(extremes * 10)
    document["period"]["years"] = years
    document["business"]["charging"] = charging
    for cost in document["costs"]:
        e = next(pick)
        cost.update(amount=e["amount"], growth=e["rate"])
    for tier in document["tiers"]:
        e = next(pick)
        tier["price"] = {"per_unit": e["amount"], "fixed": e["amount"], "indexation": e["rate"]}
    for client in document["clients"]:
        e = next(pick)
        client["volume"] = {"units": e["amount"], "growth": e["rate"]}
        client["budget"] = e["amount"]
    # the money rules and the dates (coverage and levels do no money arithmetic)
    diagnostics = check_document(document, select=["S", "R", "C4", "G7"])
    assert not [d for d in diagnostics if d.rule in ("S201", "R301")]


def test_rounding_for_display_has_no_digit_limit():
    from charterc.model.values import fmt_money_plain, fmt_percent, quantize

    huge = Decimal("1.5e548")
    assert len(str(quantize(huge, 1))) == 551
    assert fmt_percent(huge).endswith("%")
    assert fmt_money_plain(huge, "EUR").startswith("EUR 15")


# -- lone surrogates ------------------------------------------------------------------------

def test_a_lone_surrogate_in_a_yaml_string_is_p106_at_its_value():
    for old, new, line in (("title: IT Service Desk", 'title: "IT \\ud800 Desk"', 12),
                           ("id: it-service-desk", 'id: "it\\udc00"', 11)):
        found = only(check_text(edited(old, new)), "P106")
        assert [d.line for d in found] == [line]


def test_the_pure_python_yaml_parser_is_covered_too(monkeypatch):
    import yaml

    import charterc.loaders.yaml as loader
    monkeypatch.setattr(loader, "_Loader", yaml.SafeLoader)  # it decodes "\ud800" as is
    loaded = load_text(edited("title: IT Service Desk", 'title: "IT \\ud800 Desk"'), "t.yaml")
    assert loaded.document is None
    assert [(d.rule, d.line, d.pointer) for d in loaded.diagnostics] == [
        ("P106", 12, "/metadata/title")]


def test_a_lone_surrogate_in_a_dsl_string_is_p106_and_nothing_downstream_sees_it():
    # UnicodeEncodeError while writing output: the escape decoded to "\ud800"
    text = edited('"IT Service Desk"', '"IT \\ud800 Desk"', "dsl")
    loaded = load_bytes(text.encode(), "t.charter")
    assert loaded.document is None
    assert [(d.rule, d.line, d.column) for d in loaded.diagnostics] == [("P106", 1, 25)]
    # a surrogate pair is one character, not two halves
    pair = load_bytes(edited('"IT Service Desk"', '"IT \\ud83d\\ude00 Desk"', "dsl").encode(),
                      "t.charter")
    assert pair.document["metadata"]["title"] == "IT \U0001F600 Desk"


# -- terminal escapes -----------------------------------------------------------------------

def _run_check(tmp_path, name: str, text: str, fmt: str, *extra):
    from click.testing import CliRunner

    from charterc.cli import main
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["check", "--format", fmt, "--today", "2026-06-01",
                                     str(path), *extra])


@pytest.mark.parametrize("fmt", ["text", "github", "parsable", "json", "sarif"])
def test_control_characters_from_the_data_are_shown_escaped(tmp_path, fmt):
    text = edited("status: active", 'status: "\\e]0;PWNED\\a\\e[2J"')
    result = _run_check(tmp_path, "t.charter.yaml", text, fmt)
    assert result.exit_code == 1, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "PWNED" in result.output
    if fmt in ("text", "github", "parsable"):
        assert "\\x1b]0;PWNED\\x07" in result.output


def test_dsl_strings_are_escaped_in_messages(tmp_path):
    text = edited("cost staff 1200000 growing 3%",
                  'cost "staff\\u001b[2J" 1200000 growing 3%', "dsl")
    result = _run_check(tmp_path, "t.charter", text, "text")
    assert result.exit_code == 1, result.output
    assert "\x1b" not in result.output and "\\x1b[2J" in result.output


def test_usage_rows_are_escaped_in_u103_and_u104_messages(tmp_path):
    from click.testing import CliRunner

    from charterc.cli import main
    head = "id,client,priority,opened,first_response,resolved\n"
    rows = ("\x1b]0;PWNED\x07,legal,P1,2026-10-01T09:00:00+02:00,,2026-10-01T08:00:00+02:00\n"
            "\x1b[2J,legal,P1,2026-10-01T09:00:00+02:00,,\n"
            "\x1b[2J,legal,P1,2026-10-01T09:00:00+02:00,,\n")
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(head + rows, encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(ROOT / "tests/report/desk.charter.yaml"),
                                       "--tickets", str(tickets), "--period", "2026-10",
                                       "-o", str(tmp_path / "out")])
    assert "U103" in result.output and "U104" in result.output, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\\x1b]0;PWNED\\x07" in result.output and "\\x1b[2J" in result.output


def test_no_control_character_reaches_html_or_markdown():
    from charterc.render.filters import html_finalize
    from charterc.render.markdown import escape

    assert "\x00" not in escape("a\x00b") and "\x1b" not in escape("a\x1b[2Jb")
    assert html_finalize("a\x00b") == "a\ufffdb"
    assert escape("tab\tand | pipe") == "tab\tand \\| pipe"


def test_build_writes_no_nul_into_documents(tmp_path):
    from click.testing import CliRunner

    from charterc.cli import main
    text = edited("title: IT Service Desk", 'title: "IT \\0 Service \\e[2J Desk"')
    text = text.replace("name: Group Finance", 'name: "Group\\0Finance"', 1)
    (tmp_path / "t.charter.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "t.charter.yaml"),
                                       "-o", str(tmp_path / "out"), "--format", "md,html",
                                       "--today", "2026-11-29"])
    assert result.exit_code == 0, result.output
    written = [p for p in (tmp_path / "out").rglob("*") if p.suffix in (".md", ".html")]
    assert written
    for path in written:
        data = path.read_bytes()
        assert b"\x00" not in data and b"\x1b" not in data, path


# -- usage CSV with bare CR line endings ----------------------------------------------------

def test_a_usage_csv_with_bare_cr_line_endings_is_read_row_by_row(tmp_path):
    from charterc.report.inputs import Skipped, read_tickets

    # internal error: new-line character seen in unquoted field
    original = (ROOT / "tests/report/tickets.csv").read_text(encoding="utf-8")
    path = tmp_path / "tickets.csv"
    path.write_bytes(original.replace("\n", "\r").encode())
    rows = list(read_tickets(path, "tickets.csv", clients=["legal", "finance"],
                             priorities=["P1", "P2", "P3"]))
    expected = list(read_tickets(ROOT / "tests/report/tickets.csv", "tickets.csv",
                                 clients=["legal", "finance"], priorities=["P1", "P2", "P3"]))
    assert len(rows) == len(expected) == original.count("\n") - 1
    assert [getattr(r, "line", None) for r in rows] == [getattr(r, "line", None) for r in expected]
    assert not [r for r in rows if isinstance(r, Skipped)]


def test_mixed_line_endings_keep_crlf_as_one_break(tmp_path):
    from charterc.report.inputs import read_tickets

    head = "id,client,priority,opened,first_response,resolved\r\n"
    row = "T{},legal,P1,2026-10-01T09:00:00+02:00,,\r"
    path = tmp_path / "t.csv"
    path.write_bytes((head + row.format(1) + "\n" + row.format(2) + row.format(3)).encode())
    rows = list(read_tickets(path, "t.csv", clients=["legal"], priorities=["P1"]))
    assert [(r.line, r.id) for r in rows] == [(2, "T1"), (3, "T2"), (4, "T3")]


# -- time zones -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["localtime", "posixrules", "Factory", "posix/Europe/Paris",
                                  "right/Europe/Paris", "GMT"])
def test_only_iana_area_location_names_are_zones(name):
    found = only(check_text(edited("timezone: Europe/Paris\n  holidays: FR\nperiod",
                                   f"timezone: {name}\n  holidays: FR\nperiod")), "V505")
    assert {d.line for d in found} == {25}


@pytest.mark.parametrize("name", ["Europe/Paris", "America/Argentina/Salta", "Etc/UTC", "UTC",
                                  "Etc/GMT+2"])
def test_iana_names_stay_zones(name):
    from charterc.calendar.zones import zone, zone_names
    assert zone(name).key == name
    assert "localtime" not in zone_names() and "posixrules" not in zone_names()


# -- a file that could not be checked -------------------------------------------------------

@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "parsable"])
def test_a_file_that_aborts_is_a_finding_in_every_format(tmp_path, monkeypatch, fmt):
    import json

    monkeypatch.setattr("charterc.model.charter.build_model",
                        lambda document: (_ for _ in ()).throw(RuntimeError("boom")))
    result = _run_check(tmp_path, "t.charter.yaml", YAML, fmt)
    assert result.exit_code == 2
    out = result.stdout
    assert "X001" in out and "boom" in out
    if fmt == "json":
        assert [d["rule"] for d in json.loads(out)] == ["X001"]
    if fmt == "sarif":
        sarif = json.loads(out)
        assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["X001"]
    if fmt == "text":
        assert "1 error" in out and "0 errors" not in out


def test_internal_error_lines_escape_control_characters(monkeypatch, tmp_path):
    """A file that aborts is named on stderr; escapes in its name or message stay inert."""
    from click.testing import CliRunner

    import charterc.pipeline as pipeline
    from charterc.cli import main

    def boom(*args, **kwargs):
        raise RuntimeError("bad \x1b]0;PWNED\x07 value")

    path = tmp_path / "t.charter.yaml"
    path.write_text(Path("charters/it-service-desk.charter.yaml").read_text())
    monkeypatch.setattr(pipeline, "check_loaded", boom)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert "\x1b" not in result.output and "\\x1b" in result.output
