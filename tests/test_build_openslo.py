"""openslo.yaml against OpenSLO's published v1 JSON Schemas.

The schemas (third-party) and the small validator that wires them together are
kept with the tests, in tests/external-schemas (provenance in its SOURCES.txt).
"""
from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from charterc.export.openslo import _Dumper, rfc1123
from charterc.publish.build import build

ROOT = Path(__file__).parent.parent
TODAY = date(2026, 11, 27)
BASE = (ROOT / "charterc/checks/example_base.charter.yaml").read_text()
EXTERNAL = Path(__file__).parent / "external-schemas"


@pytest.fixture(scope="module")
def openslo():
    """validate(doc) -> errors, from OpenSLO's schemas."""
    spec = importlib.util.spec_from_file_location("validate_openslo",
                                                  EXTERNAL / "validate_openslo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    registry, schemas = module.load_registry(EXTERNAL / "openslo-v1")
    return lambda doc: module.validate_doc(doc, registry, schemas)[2]


class _JsonLikeLoader(yaml.SafeLoader):
    """Timestamps stay strings, as in validate_openslo.py and OpenSLO's own harness."""


_JsonLikeLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _documents(path: Path) -> list[dict]:
    return [d for d in yaml.load_all(path.read_text(), Loader=_JsonLikeLoader) if d]


def test_every_bundled_openslo_document_validates(openslo, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = build(["charters"], tmp_path / "dist", formats=["md"], today=TODAY)
    assert result.published and len(result.built) >= 3
    for charter_id in result.built:
        docs = _documents(tmp_path / "dist" / charter_id / "openslo.yaml")
        kinds = [d["kind"] for d in docs]
        assert kinds[0] == "Service" and kinds.count("SLO") == kinds.count("SLI") > 0
        for doc in docs:
            assert openslo(doc) == [], (charter_id, doc["metadata"]["name"])


def test_it_service_desk_slos(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    build(["charters/it-service-desk.charter.yaml"], tmp_path / "dist", formats=["md"],
          today=TODAY)
    docs = _documents(tmp_path / "dist/it-service-desk/openslo.yaml")
    slos = {d["metadata"]["name"]: d for d in docs if d["kind"] == "SLO"}
    # every client: availability + 2 x 4 priorities (Premium at 95%, Standard at 95% and
    # 90% since spec 8.2: no objective at 100% is left out)
    assert len(slos) == 4 * 9
    assert slos["it-service-desk-hr-resolution-p1"]["spec"]["objectives"][0]["target"] == 0.9
    p1 = slos["it-service-desk-finance-response-p1"]["spec"]
    assert p1["objectives"][0]["target"] == 0.95
    assert p1["timeWindow"][0] == {"duration": "1M", "isRolling": False, "calendar": {
        "startTime": "2026-01-01 00:00:00", "timeZone": "Europe/Paris"}}
    sli = next(d for d in docs if d["metadata"]["name"] == p1["indicatorRef"])
    assert sli["spec"]["ratioMetric"]["good"]["metricSource"]["type"] == "itsm"
    assert slos["it-service-desk-hr-availability"]["spec"]["objectives"][0]["target"] == 0.995


def test_edge_cases_still_validate(openslo, tmp_path):
    """UTC zones, a 100% availability, an objective without measured_by, a 63-char id."""
    long_id = "c" + "x" * 62
    text = (BASE.replace("timezone: Europe/Paris, holidays: none}",
                         "timezone: UTC, holidays: none}")
            .replace("      timezone: Europe/Paris\n      holidays: none",
                     "      timezone: UTC\n      holidays: none")
            .replace("target: 99.9%, window: monthly, measured_by: status-page",
                     "target: 100%, window: monthly")
            .replace("id: beta", f"id: {long_id}")
            .replace("P2: 8h, attainment: 95%, measured_by: itsm", "P2: 8h, attainment: 95%"))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "c.charter.yaml").write_text(text)
    result = build([folder], tmp_path / "dist", formats=["md"], today=TODAY)
    assert result.published, [d.message for d in result.check.diagnostics]
    assert any("at 100%" in line for line in result.log)
    assert any(f"left out {long_id}/availability" in line for line in result.details)
    docs = _documents(tmp_path / "dist/example/openslo.yaml")
    for doc in docs:
        assert openslo(doc) == [], doc["metadata"]["name"]
        assert len(doc["metadata"]["name"]) <= 63
    windows = [d["spec"]["timeWindow"][0]["calendar"]["timeZone"] for d in docs
               if d["kind"] == "SLO"]
    assert set(windows) == {"Etc/UTC"}
    sources = [d["spec"]["ratioMetric"]["good"]["metricSource"]["type"] for d in docs
               if d["kind"] == "SLI"]
    assert "unspecified" in sources


def test_rfc1123_names():
    assert rfc1123("it-service-desk", "finance", "response", "P1") == \
        "it-service-desk-finance-response-p1"
    long = rfc1123("a" * 63, "b" * 63)
    assert len(long) <= 63 and long != rfc1123("a" * 63, "b" * 62)
    assert rfc1123("x", "SEV_2") == "x-sev-2-" + rfc1123("x", "SEV_2")[-8:]


# what an OpenSLO document is made of, and what yaml gives a special meaning to
_SCALARS = (st.text(max_size=12) | st.sampled_from(["", "yes", "null", "1.5", "~", "- a", "#x",
                                                     "a: b", "2026-11-27", "0o17", "é\n"])
            | st.integers() | st.floats(allow_nan=False) | st.booleans() | st.none())
_DOCUMENTS = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4)
                          | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=30)
_OPTIONS = {"sort_keys": False, "allow_unicode": True, "default_flow_style": False,
            "width": 100, "explicit_start": True}


@settings(max_examples=300, deadline=None)
@given(st.lists(_DOCUMENTS, max_size=3))
def test_the_fast_dumper_writes_what_yamls_safe_dumper_writes(documents):
    plain = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    assert yaml.dump_all(documents, Dumper=_Dumper, **_OPTIONS) == \
        yaml.dump_all(documents, Dumper=plain, **_OPTIONS)


def test_the_fast_dumper_keeps_anchors_for_a_container_met_twice():
    shared = {"a": [1, 2]}
    document = {"x": shared, "y": shared, "z": [shared["a"]]}
    written = yaml.dump(document, Dumper=_Dumper, sort_keys=False, default_flow_style=False)
    assert written == yaml.dump(document, Dumper=yaml.SafeDumper, sort_keys=False,
                                default_flow_style=False)
    assert "&id001" in written and "*id001" in written


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=120)
_SCALAR = st.one_of(
    _TEXT, st.booleans(), st.integers(), st.floats(allow_nan=False), st.none(),
    # values yaml quotes, folds or reads as another type
    st.sampled_from(["yes", "1M", "2027-01-01 00:00:00", "a: b", "# x", "- y", "'q'", "",
                     " lead", "é" * 130, "x " * 70, "0.0", "-0.0", "~", "null"]))
_TREE = st.recursive(_SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(_TEXT, inner, max_size=4)), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(_TEXT, _TREE, max_size=5), min_size=1, max_size=3))
def test_the_writer_writes_what_yaml_dump_all_writes(documents):
    """openslo.dump_all makes the events itself: the text is yaml's, byte for byte."""
    import yaml

    from charterc.export import openslo
    assert openslo.dump_all(documents) == yaml.dump_all(
        documents, Dumper=openslo._Dumper, sort_keys=False, allow_unicode=True,
        default_flow_style=False, width=100, explicit_start=True)


def test_a_container_met_twice_is_written_by_yaml_with_an_anchor():
    from charterc.export import openslo
    shared = {"a": 1}
    assert "&id001" in openslo.dump_all([{"x": shared, "y": shared}])


def test_a_value_not_of_jsons_types_is_written_by_yaml():
    from datetime import date as day

    from charterc.export import openslo
    for documents in ([{"a": (1, 2)}], [{"d": day(2027, 1, 1)}], [{"b": b"\x00"}]):
        assert openslo.dump_all(documents) == yaml.dump_all(
            documents, Dumper=openslo._Dumper, sort_keys=False, allow_unicode=True,
            default_flow_style=False, width=100, explicit_start=True)


# Texts the direct writer keeps (printable, no line break), made to meet what decides
# libyaml's choices: indicators where they act or not, quotes, leading and trailing
# spaces, runs of spaces, words long enough to pass the width, wide characters.
_PRINTED = st.text(st.sampled_from("ab é漢-:#?'\",.[]{}&*!|>%@`~012"), max_size=140) | \
    st.sampled_from(["", "---x", "...", "- a", "a: b", "a:", "a #b", "true", "null", "1.5",
                     "2026-11-27", "0o17", "x " * 70, "'" * 120, ("word " * 30).strip()])
_PRINTED_SCALAR = _PRINTED | st.integers() | st.floats(allow_nan=False) | st.booleans() \
    | st.none()
_PRINTED_TREE = st.recursive(_PRINTED_SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(_PRINTED, inner, max_size=4)), max_leaves=40)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.dictionaries(_PRINTED, _PRINTED_TREE, min_size=1, max_size=5),
                min_size=1, max_size=3))
def test_the_direct_writer_writes_libyamls_bytes(documents):
    """block_yaml writes what libyaml's emitter writes, for the documents it takes (all
    of these, but for a key over 128 bytes): plain or quoted, folded where it folds."""
    from charterc.export import block_yaml, openslo
    if not hasattr(yaml, "CSafeDumper"):
        pytest.skip("without libyaml, openslo.yaml is written by yaml's own emitter")
    expected = yaml.dump_all(documents, Dumper=yaml.CSafeDumper, sort_keys=False,
                             allow_unicode=True, default_flow_style=False, width=100,
                             explicit_start=True)
    try:
        written = block_yaml.documents_text(documents, openslo._scalar_text)
    except block_yaml.Unusual:
        assert any(len(key.encode()) > 128 for key in _keys(documents))
        return
    assert written == expected


def _keys(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def test_the_direct_writer_leaves_what_it_cannot_be_sure_of_to_libyaml():
    from charterc.export import block_yaml, openslo
    for documents in ([{"a": "tab\there"}], [{"a": "line\nbreak"}], [{"k" * 129: 1}],
                      [{"a": (1, 2)}], [[1]], [{}], [{"a": "\U0001F600"}]):
        with pytest.raises(block_yaml.Unusual):
            block_yaml.documents_text(documents, openslo._scalar_text)
    shared = {"x": 1}
    with pytest.raises(block_yaml.Unusual):
        block_yaml.documents_text([{"a": shared, "b": shared}], openslo._scalar_text)
