"""The bundled portfolio (`charters/`) loads, validates, is clean, and shows what it claims.

docs/examples.md describes the three charters and tabulates their figures; the
figures asserted here are the ones printed there.
"""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from charterc.loaders import load_path

ROOT = Path(__file__).resolve().parents[1]
PORTFOLIO = ROOT / "charters"
SCHEMA_FILE = ROOT / "schemas" / "charter.schema.json"
EXAMPLES = sorted(PORTFOLIO.glob("*.charter.yaml"))
TODAY = date(2026, 11, 27)   # the examples were last re-baselined before this date


def _document(path: Path) -> dict:
    loaded = load_path(path)
    assert loaded.diagnostics == []
    return loaded.document


@pytest.fixture(scope="module")
def documents() -> dict[str, dict]:
    return {path.name: _document(path) for path in EXAMPLES}


def test_the_portfolio_holds_the_three_examples():
    assert [p.name for p in EXAMPLES] == ["finance-accounting.charter.yaml",
                                          "hr-legal.charter.yaml",
                                          "it-service-desk.charter.yaml"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_loads_without_diagnostics(path):
    loaded = load_path(path)
    assert loaded.diagnostics == []
    assert loaded.ok
    # one charter per file, named after its id, pointing editors at the schema
    assert path.name == f"{loaded.document['metadata']['id']}.charter.yaml"
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../schemas/charter.schema.json"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_validates_against_the_schema(path):
    if not SCHEMA_FILE.exists():
        pytest.skip(f"{SCHEMA_FILE.name} is not written yet")
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text("utf-8")))
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in validator.iter_errors(_document(path))]
    assert errors == []


def test_the_portfolio_is_clean():
    """No error and no warning from any registered rule (`check --strict` exits 0)."""
    from charterc.pipeline import CheckOptions, check_paths

    result = check_paths([PORTFOLIO], CheckOptions(today=TODAY))
    assert result.internal_errors == []
    assert [(d.file, d.rule, d.line, d.message) for d in result.diagnostics
            if d.severity.value in ("error", "warning")] == []
    assert result.exit_code(strict=True) == 0


def test_check_strict_exits_0_on_the_portfolio():
    from click.testing import CliRunner

    from charterc.cli import main

    result = CliRunner().invoke(main, ["check", str(PORTFOLIO), "--strict",
                                       "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings in 3 files" in result.output


# -- every field of spec section 3 -----------------------------------------------------

SECTION_3_FIELDS = [
    "apiVersion", "kind",
    "metadata.id", "metadata.title", "metadata.version", "metadata.status", "metadata.owner",
    "metadata.suppress",
    "metadata.changes[].version", "metadata.changes[].date", "metadata.changes[].summary",
    "metadata.signatories[].name", "metadata.signatories[].role", "metadata.signatories[].party",
    "provider.name", "provider.timezone", "provider.holidays",
    "period.start", "period.years", "period.end", "baseline.reviewed", "baseline.every",
    "business.stance", "business.cap.units", "business.charging", "business.unit",
    "business.currency",
    "business.recovery.target", "business.recovery.tolerance",
    "costs[].id", "costs[].amount", "costs[].growth", "costs[].feature",
    "features[].id", "features[].name", "priorities[]",
    "tiers[].id", "tiers[].name", "tiers[].features[]",
    "tiers[].hours.schedule[].days", "tiers[].hours.schedule[].from", "tiers[].hours.schedule[].to",
    "tiers[].hours.timezone", "tiers[].hours.holidays",
    "tiers[].hours.holidays.country", "tiers[].hours.holidays.remove[]",
    "tiers[].objectives.availability.target", "tiers[].objectives.availability.window",
    "tiers[].objectives.availability.measured_by",
    "tiers[].objectives.response.clock", "tiers[].objectives.response.P1",
    "tiers[].objectives.response.attainment", "tiers[].objectives.response.measured_by",
    "tiers[].objectives.resolution.clock", "tiers[].objectives.resolution.P4",
    "tiers[].objectives.resolution.attainment", "tiers[].objectives.resolution.measured_by",
    "tiers[].maintenance.schedule[].days", "tiers[].maintenance.timezone",
    "tiers[].price.per_unit", "tiers[].price.fixed", "tiers[].price.indexation",
    "tiers[].credits.bands[].below", "tiers[].credits.bands[].credit", "tiers[].credits.cap",
    "clients[].id", "clients[].name", "clients[].tier", "clients[].share",
    "clients[].volume.units", "clients[].volume.growth", "clients[].budget",
    "clients[].needs.hours.schedule[].days", "clients[].needs.hours.timezone",
    "clients[].needs.hours.holidays",
    "clients[].needs.hours.holidays.extra[]", "clients[].needs.features[]",
    "clients[].regions[]", "clients[].data.classification", "clients[].data.personal",
    "clients[].data.regimes[]",
    "clients[].reporting.cadence", "clients[].reporting.to[]", "clients[].signatory.name",
    "clients[].signatory.role",
    "governance.primary_threshold", "governance.approval", "governance.change_notice",
    "reporting.cadence", "reporting.metrics[]", "reporting.to[]",
    "security.classification", "security.isolation", "security.residency[]", "security.controls[]",
    "security.breach_notification", "security.subprocessors[].name",
    "security.subprocessors[].country",
    "security.transfers", "security.retention", "security.exit.return", "security.exit.delete",
]


def _paths(value, prefix: str = ""):
    """Dotted paths of every value in a document; list items as `[]`."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list):
        for item in value:
            yield from _paths(item, f"{prefix}[]")


def test_the_portfolio_uses_every_field_of_section_3(documents):
    used = {path for document in documents.values() for path in _paths(document)}
    assert [field for field in SECTION_3_FIELDS if field not in used] == []


def test_the_portfolio_exercises_each_situation(documents):
    it = documents["it-service-desk.charter.yaml"]
    fa = documents["finance-accounting.charter.yaml"]
    legal = documents["hr-legal.charter.yaml"]
    assert it["tiers"][1]["hours"] == "24x7"
    assert fa["governance"]["approval"] == "primary"
    assert legal["governance"]["approval"] == "majority"
    assert legal["business"]["stance"] == "cap" and legal["business"]["charging"] == "share"
    assert 8 <= len(legal["clients"]) <= 12
    zones = {c["needs"]["hours"]["timezone"] for c in fa["clients"]}
    assert zones == {"Europe/Paris", "Europe/Berlin", "Europe/London", "America/New_York"}
    assert any(c["needs"]["hours"]["holidays"] == "US-NY" for c in fa["clients"])
    assert all("budget" in c for c in fa["clients"][:2])
    for document in documents.values():
        assert document["metadata"]["suppress"] == []
        for tier in document["tiers"]:
            assert all("measured_by" in objective for objective in tier["objectives"].values())
        personal_gdpr = [c for c in document["clients"]
                         if c["data"].get("personal") and "GDPR" in c["data"]["regimes"]]
        assert personal_gdpr, document["metadata"]["id"]


# -- the figures of docs/examples.md ------------------------------------------------------

FIGURES = {
    # file: (recovery % per year to 2 places, primary client per year)
    "it-service-desk.charter.yaml": (
        ("98.76", "100.21", "101.69"), ("finance", "finance", "finance")),
    "finance-accounting.charter.yaml": (
        ("99.27", "100.39", "101.48"), ("headquarters",) * 3),
    "hr-legal.charter.yaml": (
        ("100.00", "100.00", "100.00", "100.00"), (None,) * 4),
}

SHARES = {
    # projected share % in the last year, to 2 places
    "it-service-desk.charter.yaml": {"finance": "57.71", "hr": "21.84", "legal": "12.17",
                                     "procurement": "8.28"},
    "finance-accounting.charter.yaml": {"headquarters": "53.62", "france-retail": "12.67",
                                        "germany": "15.51", "uk": "10.14", "us": "8.05"},
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_example_figures_match_docs(documents, name):
    from charterc.model.charter import build_model
    from charterc.model.projection import derive

    facts = derive(build_model(documents[name]))
    recovery, primary = FIGURES[name]
    cent = Decimal("0.01")
    assert tuple(str(r.quantize(cent)) for r in facts.recovery) == recovery
    assert facts.primary == primary
    for client, share in SHARES.get(name, {}).items():
        assert str(facts.projected_share[client][-1].quantize(cent)) == share


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_round_trips_through_the_dsl(path):
    """YAML -> DSL -> canonical gives back the same document (spec section 5)."""
    writer = pytest.importorskip("charterc.authoring.dsl")
    from charterc.loaders import load_bytes

    document = _document(path)
    back = load_bytes(writer.dump(document).encode("utf-8"), path.name[:-len(".yaml")])
    assert back.diagnostics == []
    assert back.document == document
