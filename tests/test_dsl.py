"""The DSL loader (spec section 5): documents, positions, P102/P103/P104, robustness."""
from __future__ import annotations

import lark
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

from charterc.loaders import Limits
from charterc.loaders.dsl import GRAMMAR_PATH, load_text, parser

HEAD = 'charter desk "IT Desk" version 2.3.0 active\n'

SPEC_EXAMPLE = '''\
charter it-service-desk "IT Service Desk" version 2.3.0 active
owner it-shared-services@example.com
provider "Group IT Shared Services" timezone Europe/Paris holidays FR
period from 2026-01-01 for 3 years
baseline reviewed 2026-01-15 every 12mo
business grow per-unit ticket EUR recovery 100% +- 5%

cost staff 1200000 growing 3%
cost weekend-rota 80000 growing 2% for weekend

feature incident "Incident management"
feature weekend "Weekend support"
priorities P1 P2 P3 P4

tier standard "Standard" {
  features incident, requests
  hours mon-fri 08:00-18:00 Europe/Paris holidays FR
  availability 99.5% monthly
  response business P1 1h, P2 4h, P3 1d, P4 3d
  resolution business P1 8h, P2 2d, P3 5d, P4 10d
  price 35 per ticket indexed 2%
  credit below 99.5% 10%, below 99.0% 25% cap 50%
}

client finance "Group Finance" {
  tier premium
  share 62%
  volume 12000 growing 5%
  budget 700000
  needs hours mon-sat 07:00-20:00 Europe/London holidays GB
  needs features incident, weekend
  regions EU
  data confidential personal GDPR, SOX
}
'''


def load(text: str, **options):
    return load_text(text, "desk.charter", **options)


def only(loaded):
    (diagnostic,) = loaded.diagnostics
    return diagnostic.rule, diagnostic.line, diagnostic.column, diagnostic.message


def test_the_spec_example_loads_to_the_canonical_document():
    loaded = load(SPEC_EXAMPLE)
    assert loaded.diagnostics == []
    doc = loaded.document
    assert doc["apiVersion"] == "charterc/v1" and doc["kind"] == "Charter"
    assert doc["metadata"] == {"id": "it-service-desk", "title": "IT Service Desk",
                               "version": "2.3.0", "status": "active",
                               "owner": "it-shared-services@example.com"}
    assert doc["period"] == {"start": "2026-01-01", "years": 3}
    assert doc["business"] == {"stance": "grow", "charging": "per-unit", "unit": "ticket",
                               "currency": "EUR",
                               "recovery": {"target": "100%", "tolerance": "5%"}}
    assert doc["costs"][1] == {"id": "weekend-rota", "amount": 80000, "growth": "2%",
                               "feature": "weekend"}
    tier = doc["tiers"][0]
    assert tier["hours"] == {"schedule": [{"days": "mon-fri", "from": "08:00", "to": "18:00"}],
                             "timezone": "Europe/Paris", "holidays": "FR"}
    assert tier["objectives"]["response"] == {"clock": "business", "P1": "1h", "P2": "4h",
                                              "P3": "1d", "P4": "3d"}
    assert tier["price"] == {"per_unit": 35, "indexation": "2%"}
    assert tier["credits"] == {"bands": [{"below": "99.5%", "credit": "10%"},
                                         {"below": "99.0%", "credit": "25%"}], "cap": "50%"}
    client = doc["clients"][0]
    assert client["needs"]["features"] == ["incident", "weekend"]
    assert client["data"] == {"classification": "confidential", "personal": True,
                              "regimes": ["GDPR", "SOX"]}


def test_values_and_keywords_have_their_exact_positions():
    sources = load(SPEC_EXAMPLE).sources
    assert sources.values["/metadata/version"] == (1, 51)
    assert sources.keys["/metadata/version"] == (1, 43)
    assert sources.values["/costs/1"] == (9, 1)
    assert sources.values["/costs/1/growth"] == (9, 33)
    assert sources.keys["/costs/1/growth"] == (9, 25)
    assert sources.values["/costs/1/feature"] == (9, 40)
    assert sources.values["/tiers/0/hours/schedule/0/days"] == (17, 9)
    assert sources.values["/tiers/0/hours/schedule/0/from"] == (17, 17)
    assert sources.values["/tiers/0/hours/schedule/0/to"] == (17, 23)
    assert sources.values["/tiers/0/hours/timezone"] == (17, 29)
    assert sources.keys["/tiers/0/objectives/response/P3"] == (19, 35)
    assert sources.values["/tiers/0/objectives/response/P3"] == (19, 38)
    assert sources.values["/tiers/0/credits/bands/1/credit"] == (22, 39)
    assert sources.values["/clients/0/budget"] == (29, 10)
    assert sources.raw["/clients/0/budget"] == "700000"
    assert sources.values["/clients/0/data/regimes/1"] == (33, 36)
    assert sources.keys["/clients/0/data/personal"] == (33, 21)
    assert sources.lines[0].startswith("charter it-service-desk")
    # a pointer without its own position falls back to its parent's
    assert sources.locate("/clients/0/data/missing") == (33, 3)


@pytest.mark.parametrize("text, value", [
    ("700000", 700000), ("700000.5", 700000.5), ('"700000"', "700000"), ("7e5", 700000.0),
    ("true", True), ("null", None), ("2026-01-15", "2026-01-15"), ("1.10", 1.1),
    ('"1.10"', "1.10"), ("-2%", "-2%"), ('"a \\"b\\" \\u00e9"', 'a "b" é'),
])
def test_bare_words_resolve_like_yaml_plain_scalars(text, value):
    loaded = load(HEAD + f"client c C {{\n  budget {text}\n}}\n")
    assert loaded.document["clients"][0]["budget"] == value
    assert type(loaded.document["clients"][0]["budget"]) is type(value)


def test_every_section_three_field_has_a_statement():
    text = HEAD + '''\
owner team@example.com
suppress V501 "accepted: night shifts"
change 2.3.0 2026-01-15 "Weekend support"
signatory "Jane Doe" role "Head of IT" party provider
provider P timezone UTC holidays country FR subdivision 75 extra 2026-12-24 remove []
period from 2026-01-01 for 1 year until 2026-12-31
business cap fixed ticket EUR ceiling 20000 units, 900000 cost recovery +- 5%
tier t T {
  hours schedule [] timezone UTC holidays none
  objectives
  maintenance days "mon, wed" from "02:00" to "04:00"
  credit [] cap 50%
  price fixed 1000
}
client c C {
  needs
  data non-personal regimes []
  reporting cadence weekly metrics [] to []
  signatory "Amelia Hart" role CFO
  timezone Europe/London
}
governance threshold 50% approval all notice 30d
security {
  subprocessors []
  breach notification 48h
  exit return 30d
}
'''
    loaded = load(text)
    assert loaded.diagnostics == []
    doc = loaded.document
    assert doc["metadata"]["suppress"] == [{"rule": "V501", "reason": "accepted: night shifts"}]
    assert doc["metadata"]["signatories"] == [{"name": "Jane Doe", "role": "Head of IT",
                                               "party": "provider"}]
    assert doc["provider"]["holidays"] == {"country": "FR", "subdivision": 75,
                                           "extra": ["2026-12-24"], "remove": []}
    assert doc["period"] == {"start": "2026-01-01", "years": 1, "end": "2026-12-31"}
    assert doc["business"]["cap"] == {"units": 20000, "cost": 900000}
    assert doc["business"]["recovery"] == {"tolerance": "5%"}
    tier = doc["tiers"][0]
    assert tier["hours"] == {"schedule": [], "timezone": "UTC", "holidays": "none"}
    assert tier["objectives"] == {}
    assert tier["maintenance"] == {"schedule": [{"days": "mon, wed", "from": "02:00",
                                                 "to": "04:00"}]}
    assert tier["credits"] == {"bands": [], "cap": "50%"}
    client = doc["clients"][0]
    assert client["needs"] == {} and client["data"] == {"personal": False, "regimes": []}
    assert client["reporting"] == {"cadence": "weekly", "metrics": [], "to": []}
    assert doc["governance"] == {"primary_threshold": "50%", "approval": "all",
                                 "change_notice": "30d"}
    assert doc["security"] == {"subprocessors": [], "breach_notification": "48h",
                               "exit": {"return": "30d"}}


def test_a_keyword_is_a_plain_word_where_no_keyword_fits():
    # `fixed` is a price keyword; as a charging value it is a word, `unit` a keyword
    doc = load(HEAD + "business grow fixed ticket EUR\ncost a 08:00-18:00\n").document
    assert doc["business"]["charging"] == "fixed"
    assert doc["costs"][0]["amount"] == "08:00-18:00"


@pytest.mark.parametrize("text, expected", [
    (HEAD + 'tier t "T" {\n  features f\n  hours 24x7\n',
     ("P103", 4, 13, "missing `}`: the `tier` block opened at line 2 is not closed")),
    (HEAD + 'tier t "T" {\n  features f\nclient c "C" {\n  tier t\n}\n',
     ("P103", 4, 1, "`client` cannot appear inside the `tier` block opened at line 2: "
                    "is a `}` missing?")),
    (HEAD + "cost staff 5 growng 3%\n",
     ("P103", 2, 14, "unknown keyword `growng`; did you mean `growing`?")),
    (HEAD + "provder X\n", ("P103", 2, 1, "unknown keyword `provder`; did you mean `provider`?")),
    (HEAD + "feature incident Incident management\n",
     ("P103", 2, 18, "unexpected `management`: a name with spaces needs quotes")),
    (HEAD + 'tier t "T" {\n  availability 99.5 monthly\n}\n',
     ("P103", 3, 16, "`99.5` is a percent: write `99.5%`")),
    (HEAD + 'owner "abc\n', ("P103", 2, 7, "a quoted text is not closed on this line")),
    (HEAD + "cost staff 5 growing\n",
     ("P103", 2, 21, "the line ends too early; expected a percent such as 3%")),
    (HEAD + 'tier t "T" {\n  response business P1 , P2 4h\n}\n',
     ("P103", 3, 24, "unexpected `,`; expected a duration such as 4h or 2d, `}` or the end "
                     "of the line")),
    ("owner a\n", ("P103", 1, 1, "a charter starts with its `charter` line, not `owner`")),
    (HEAD + "business grow per-unit ticket EUR\ntier t T {\n  price 35 per hour\n}\n",
     ("P103", 4, 16, "`per hour` does not match the business unit `ticket`")),
    (HEAD + 'owner "\\q"\n',
     ("P103", 2, 7, 'invalid escape in quoted text: use \\" \\\\ \\n \\t or \\uXXXX')),
])
def test_syntax_errors_are_p103_in_words(text, expected):
    loaded = load(text)
    assert loaded.document is None
    assert only(loaded) == expected


def test_a_syntax_error_has_a_hint():
    (diagnostic,) = load(HEAD + "feature incident Incident management\n").diagnostics
    assert diagnostic.hint == 'write "Incident management"'
    (diagnostic,) = load(HEAD + "cost staff 5 growng 3%\n").diagnostics
    assert diagnostic.hint == "write `growing`"


def test_a_statement_given_twice_is_p102_and_keeps_the_first():
    loaded = load(HEAD + "owner a\nowner b\n")
    assert only(loaded) == ("P102", 3, 1, "`owner` is given twice: metadata.owner is already "
                                          "set at line 2, column 1")
    assert loaded.document["metadata"]["owner"] == "a"
    assert loaded.diagnostics[0].related == (("desk.charter", 2, 1),)
    loaded = load(HEAD + "costs []\ncost a 1\n")
    assert only(loaded)[:3] == ("P102", 3, 1)


def test_empty_and_comment_only_files_are_not_charters():
    for text in ("", "# only a comment\n", "\n\n"):
        (diagnostic,) = load(text).diagnostics
        assert diagnostic.rule == "S201"


def test_nesting_bound_is_p104():
    loaded = load(SPEC_EXAMPLE, limits=Limits(max_depth=3))
    assert loaded.document is None
    assert [d.rule for d in loaded.diagnostics] == ["P104"]


def test_windows_line_ends_comments_and_a_byte_order_mark():
    text = "\ufeff# head\r\n" + HEAD.replace("\n", "  # tail\r\n") + "owner x # note\r\n"
    loaded = load(text)
    assert loaded.diagnostics == []
    assert loaded.document["metadata"]["owner"] == "x"
    assert loaded.sources.values["/metadata/owner"] == (3, 7)


def test_the_parser_is_built_once():
    assert parser() is parser()


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=200) | st.lists(st.sampled_from(
    ["charter", "a", '"b c"', "{", "}", "\n", "tier", "hours", "mon-fri", "08:00-18:00", ",",
     "[]", "#", "99%", "per", "below", "personal", '"', "\\"]), max_size=40).map(" ".join))
def test_arbitrary_text_gives_a_document_or_diagnostics_never_an_exception(text):
    loaded = load(text)
    assert loaded.document is not None or loaded.diagnostics
    assert all(d.rule in ("P102", "P103", "S201") and d.line >= 1 and d.column >= 1
               for d in loaded.diagnostics)


_GRAMMAR = lark.Lark(GRAMMAR_PATH.read_text(encoding="utf-8"), parser="lalr",
                     lexer="contextual")
_TOKENS = {
    "DAYS": st.sampled_from(["mon-fri", "sat", "mon,wed,fri", "daily"]),
    "TIMERANGE": st.sampled_from(["08:00-18:00", "22:00-06:00", "9:30-24:00"]),
    "_NL": st.sampled_from(["\n", "\n\n", "\n# note\n  "]),
    "WORD": st.from_regex(r"[A-Za-z0-9%.:@/+-]{1,6}", fullmatch=True),
    "STRING": st.from_regex(r'"[a-z \\]{0,5}"', fullmatch=True),
    "COMMENT": st.just(""),
}


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(from_lark(_GRAMMAR, explicit=_TOKENS))
def test_texts_of_the_grammar_never_crash_the_loader(text):
    loaded = load(text)
    assert loaded.document is not None or all(
        d.rule in ("P102", "P103") for d in loaded.diagnostics)
