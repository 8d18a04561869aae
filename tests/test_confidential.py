"""Each client sees only its own agreement (spec section 8.2).

A client agreement, in every format (md, html, pdf: its text layer) and in the files the
PDF carries, names no other client and shows none of their figures (volume, charge,
budget); its `sla.json` holds only its own entries and validates against
schemas/sla.schema.json. The charter document keeps the whole portfolio.
"""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from charterc.export.confidential import WITHHELD, client_charter, names_other_client
from charterc.export.sla import SlaSchemaError, client_sla, client_sla_bytes, schema_path

ROOT = Path(__file__).parent.parent
CHARTERS = sorted((ROOT / "charters").glob("*.charter.yaml"))
TODAY = date(2026, 11, 27)


def _amounts(value: Decimal) -> set[str]:
    """How an amount may be printed: 2,100,000.00 (en), 2 100 000,00 (fr), 2100000."""
    q = value.quantize(Decimal("0.01"))
    en = f"{q:,.2f}"
    fr = en.replace(",", "\u202f").replace(".", ",")
    return {en, fr, fr.replace("\u202f", " "), fr.replace("\u202f", "\u00a0")}


def _portfolio(file: Path):
    from charterc.loaders import load_path
    from charterc.model.projection import derive
    from charterc.pipeline import CheckOptions, check_loaded
    loaded = load_path(file)
    result = check_loaded(loaded, CheckOptions(today=TODAY))
    assert result.charter is not None
    return loaded.document, result.charter, derive(result.charter)


def _secrets(charter, facts, client_id: str) -> tuple[list[str], set[str]]:
    """Other clients' names and ids, and their figures that this client's differ from."""
    own = facts.table[client_id]
    own_figures = {s for cy in own for v in (cy.charge, cy.units) for s in _amounts(v)}
    mine = next(c for c in charter.clients if c.id == client_id)
    if (budget := mine.budget) is not None:
        own_figures |= _amounts(budget.value)
    names, figures = [], set()
    for other in charter.clients:
        if other.id == client_id:
            continue
        names.append(other.name)
        figures |= {s for cy in facts.table[other.id] for s in _amounts(cy.charge)}
        if other.budget is not None:
            figures |= _amounts(other.budget.value)
    return names, figures - own_figures


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    from charterc.publish.build import build
    out = tmp_path_factory.mktemp("confidential") / "dist"
    result = build(CHARTERS, out, langs=["en", "fr"], formats=["md", "html"], today=TODAY)
    assert result.published, result.log
    try:
        from charterc.render.pdf import available
        available()
    except Exception:   # PdfProblem: the PDF test below skips
        return out
    # PDFs in one language (their text is the HTML's; what matters here are the attachments)
    pdf = out.parent / "pdf"
    assert build(CHARTERS, pdf, langs=["en"], formats=["pdf"], today=TODAY).published
    for path in pdf.rglob("*.pdf"):
        target = out / path.relative_to(pdf)
        target.write_bytes(path.read_bytes())
    return out


def _texts(path: Path) -> dict[str, str]:
    """The document's text, and each of its attachments (a PDF's), by name."""
    if path.suffix != ".pdf":
        return {path.name: path.read_text(encoding="utf-8")}
    from pypdf import PdfReader
    reader = PdfReader(path)
    texts = {path.name: "\n".join(page.extract_text() or "" for page in reader.pages)}
    for name, data in reader.attachments.items():
        texts[f"{path.name}:{name}"] = data[0].decode("utf-8")
    return texts


@pytest.mark.parametrize("file", CHARTERS, ids=lambda p: p.name.split(".")[0])
def test_an_agreement_names_no_other_client_and_shows_none_of_their_figures(dist, file):
    doc, charter, facts = _portfolio(file)
    cid = doc["metadata"]["id"]
    checked = 0
    for client in charter.clients:
        names, figures = _secrets(charter, facts, client.id)
        for path in sorted((dist / cid / "agreements").glob(f"{client.id}.*")):
            for where, text in _texts(path).items():
                flat = " ".join(text.split())
                for name in names:
                    assert name not in flat, (where, name)
                for figure in figures:
                    assert figure not in text, (where, figure)
                checked += 1
    assert checked >= len(charter.clients) * 4   # md and html, en and fr at least


@pytest.mark.parametrize("file", CHARTERS, ids=lambda p: p.name.split(".")[0])
def test_the_pdf_carries_its_clients_slices_only(dist, file):
    doc, _charter, _ = _portfolio(file)
    cid = doc["metadata"]["id"]
    pdfs = sorted((dist / cid / "agreements").glob("*.pdf"))
    if not pdfs:
        pytest.skip("PDF needs WeasyPrint and its system libraries")
    from pypdf import PdfReader
    whole = json.loads((dist / cid / "sla.json").read_text(encoding="utf-8"))
    for path in pdfs:
        client = path.name.split(".")[0]
        attached = PdfReader(path).attachments
        (sla,) = attached["sla.json"]
        assert sla == client_sla_bytes(whole, client)
        assert {e["client"] for e in json.loads(sla)["entries"]} == {client}
        (charter_bytes,) = attached[f"{cid}.charter.json"]   # canonical JSON: docs/outputs.md
        from charterc.loaders import load_bytes
        sliced = load_bytes(charter_bytes, "attached.charter.yaml").document
        assert [c["id"] for c in sliced["clients"]] == [client]


def test_the_charter_document_keeps_the_whole_portfolio(dist):
    _doc, charter, _ = _portfolio(ROOT / "charters/hr-legal.charter.yaml")
    text = (dist / "hr-legal" / "charter.en.md").read_text(encoding="utf-8")
    assert all(c.name in text for c in charter.clients)


def test_client_sla_holds_only_its_entries_and_validates(dist):
    import jsonschema
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    whole = json.loads((dist / "finance-accounting" / "sla.json").read_text(encoding="utf-8"))
    clients = {e["client"] for e in whole["entries"]}
    assert len(clients) > 1
    total = 0
    for client in clients:
        sliced = client_sla(whole, client)
        jsonschema.validate(sliced, schema)
        assert sliced["entries"] and {e["client"] for e in sliced["entries"]} == {client}
        assert {k: v for k, v in sliced.items() if k != "entries"} == \
            {k: v for k, v in whole.items() if k != "entries"}
        assert json.loads(client_sla_bytes(whole, client)) == sliced
        total += len(sliced["entries"])
    assert total == len(whole["entries"])
    assert client_sla(whole, "nobody")["entries"] == []
    broken = {**whole, "entries": [{**whole["entries"][0], "metric": "speed"}]}
    with pytest.raises(SlaSchemaError):
        client_sla(broken, whole["entries"][0]["client"])


def test_client_charter_keeps_one_client_and_withholds_summaries_naming_others():
    doc, _, _ = _portfolio(ROOT / "charters/it-service-desk.charter.yaml")
    sliced = client_charter(doc, "finance")
    assert [c["id"] for c in sliced["clients"]] == ["finance"]
    summaries = [c["summary"] for c in sliced["metadata"]["changes"]]
    assert WITHHELD in summaries                # "Procurement joins on Standard"
    assert not any("Procurement" in s for s in summaries)
    own = client_charter(doc, "procurement")    # its own arrival is its business
    assert any("Procurement" in c["summary"] for c in own["metadata"]["changes"])
    assert doc["clients"][1]["id"] != "finance" and len(doc["clients"]) > 1  # input untouched
    with pytest.raises(KeyError):
        client_charter(doc, "nobody")
    # the slice is a valid charter
    from tests.helpers import check_document
    assert not [d for d in check_document(sliced) if d.rule.startswith(("S", "R"))]


def test_names_other_client_matches_whole_words_ignoring_case():
    assert names_other_client("US entity moves", ["us"])
    assert not names_other_client("business", ["us"])
    assert names_other_client("the nordics reports", ["Nordics"])


def test_the_portfolio_finds_each_client_a_text_names_once_for_all_agreements():
    from charterc.export.confidential import Portfolio
    clients = Portfolio({"clients": [
        {"id": "fin", "name": "Group Finance", "aliases": ["GF"]},
        {"id": "legal", "name": "Group Legal", "aliases": ["Juridique"]}]})
    # by alias, as the agreement's change history and its attached slice both withhold
    assert clients.named("Juridique joins on Standard") == {"legal"}
    assert clients.names_other("Juridique joins on Standard", "fin")
    assert not clients.names_other("Juridique joins on Standard", "legal")
    assert clients.named("gf and group legal") == {"fin", "legal"}
    assert clients.named("GFX") == frozenset()


def test_a_slice_copies_nothing_of_the_other_clients_and_leaves_the_document_alone():
    from charterc.export.confidential import Portfolio
    document = {"metadata": {"id": "c", "changes": [{"version": "1.0.0", "summary": "B joins"}]},
                "clients": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
                "tiers": [{"id": "t"}]}
    sliced = Portfolio(document).charter("a")
    assert sliced["clients"] == [{"id": "a", "name": "A"}]
    assert sliced["metadata"]["changes"][0]["summary"] == WITHHELD
    assert document["metadata"]["changes"][0]["summary"] == "B joins"
    assert list(sliced) == list(document)


def test_case_is_ignored_letter_by_letter_as_a_regular_expression_ignores_it():
    """Lower-casing both texts would miss these: "İ" lower-cases to two characters."""
    from charterc.export.confidential import Portfolio
    clients = Portfolio({"clients": [{"id": "fin", "name": "Finance"},
                                     {"id": "ist", "name": "İstanbul Branch"}]})
    assert clients.names_other("Istanbul Branch joins on Standard", "fin")
    assert names_other_client("ISTANBUL office", ["İstanbul"])
    assert not names_other_client("xİacme", ["acme"])


@pytest.mark.parametrize("file", sorted((ROOT / "charters").glob("*.charter.yaml"))
                         + sorted((ROOT / "examples" / "dsl").glob("*.charter")),
                         ids=lambda p: p.name)
def test_a_slices_bytes_are_its_canonical_json(file):
    """`Portfolio.canonical_json` writes each client's slice from the charter's sections
    written once: the bytes are `canonical_json` of the slice, withheld summaries and all."""
    from charterc.export.confidential import Portfolio
    from charterc.loaders import load_path
    from charterc.render.view import canonical_json
    document = load_path(file).document
    portfolio = Portfolio(document)
    ids = [client["id"] for client in document["clients"]]
    assert ids
    for cid in ids:
        assert portfolio.canonical_json(cid) == canonical_json(portfolio.charter(cid))


def test_a_slice_that_withholds_a_summary_is_written_again_where_it_changed():
    from charterc.export.confidential import Portfolio
    from charterc.render.view import canonical_json
    document = {"metadata": {"id": "x", "changes": [{"summary": "Raised Acme's credit"}]},
                "clients": [{"id": "acme", "name": "Acme"}, {"id": "beta", "name": "Beta"}],
                "tiers": [{"id": "t", "name": "Tier é", "price": Decimal("1.50")}]}
    portfolio = Portfolio(document)
    beta = portfolio.canonical_json("beta")
    assert beta == canonical_json(portfolio.charter("beta"))
    assert WITHHELD.encode() in beta and b"Acme" not in beta
    assert b"Raised Acme" in portfolio.canonical_json("acme")
