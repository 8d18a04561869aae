"""Contracts as clauses (spec section 8): every bundled agreement, in English and French, has
the fourteen numbered clauses in order, a version history and a signature place per party;
free text of `terms` in a language it lacks is shown from its first entry, with a warning."""
from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

from charterc.loaders import load_path
from charterc.loaders.dsl import load_text
from charterc.model.charter import Text, build_model
from charterc.publish.build import build
from charterc.render.clauses import source_name

ROOT = Path(__file__).parent.parent
TODAY = date(2026, 11, 27)   # review dates are judged on a fixed day, so the tests pass in 2030
CHARTERS = sorted((ROOT / "charters").glob("*.charter.yaml"))

HEADINGS = {
    "en": ["Parties and term", "Definitions", "Services", "Service levels", "Exclusions",
           "Service credits", "Charges", "Client obligations", "Reporting",
           "Escalation and disputes", "Changes", "Data protection", "Termination and exit",
           "Order of precedence", "Invoicing and payment", "Liability",
           "Governing law and jurisdiction", "Notices", "Confidentiality", "Entire agreement",
           "Severability", "Counterparts and electronic signature", "Version history",
           "Signatures"],
    "fr": ["Parties et durée", "Définitions", "Services", "Niveaux de service", "Exclusions",
           "Crédits de service", "Redevances", "Obligations du client", "Rapports",
           "Escalade et différends", "Modifications", "Protection des données",
           "Résiliation et réversibilité", "Ordre de priorité", "Facturation et paiement",
           "Responsabilité", "Droit applicable et juridiction compétente", "Notifications",
           "Confidentialité", "Intégralité de l'accord", "Divisibilité",
           "Exemplaires et signature électronique", "Historique des versions", "Signatures"],
}
NUMBERED = 22   # clauses 1-14 (spec 8) and 15-22 (spec 8.2)
ANNEX = {"en": "Annex: processing of personal data (Article 28(3) of the GDPR)",
         "fr": "Annexe : traitement de données à caractère personnel (article 28, "
               "paragraphe 3, du RGPD)"}
LINES = {"en": ("Name", "Title", "Place", "Date", "Signature"),
         "fr": ("Nom", "Fonction", "Lieu", "Date", "Signature")}


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("clauses") / "dist"
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = build([str(p.relative_to(ROOT)) for p in CHARTERS], out, langs=["en", "fr"],
                       formats=["md"], today=TODAY)   # review dates judged on a fixed day
    finally:
        os.chdir(cwd)
    assert result.published, result.log
    assert not result.missing_translations
    return out


def _agreements():
    for path in CHARTERS:
        charter = build_model(load_path(path).document)
        for client in charter.clients:
            for lang in ("en", "fr"):
                yield charter, client, lang


@pytest.mark.parametrize("charter,client,lang", [
    pytest.param(c, cl, lang, id=f"{c.id}-{cl.id}-{lang}") for c, cl, lang in _agreements()])
def test_every_agreement_has_the_clauses_in_order_and_a_signature_per_party(
        dist, charter, client, lang):
    text = (dist / charter.id / "agreements" / f"{client.id}.{lang}.md").read_text()
    headings = re.findall(r"^## (.+)$", text, re.M)
    expected = [f"{n}. {title}" for n, title in enumerate(HEADINGS[lang][:NUMBERED], start=1)]
    expected += HEADINGS[lang][NUMBERED:]
    if client.personal:   # the Art. 28 annex exactly for clients with personal data
        expected.append(ANNEX[lang])
    assert headings == expected
    history = text.split(f"## {HEADINGS[lang][NUMBERED]}\n", 1)[1].split("## ", 1)[0]
    for change in charter.metadata.changes:
        assert f"| {change.version} |" in history
    signatures = text.split(f"## {HEADINGS[lang][NUMBERED + 1]}\n", 1)[1].split("\n## ")[0]
    blocks = re.findall(r"^\*\*(.+)\*\*\n\n((?:- .*\n)+)", signatures, re.M)
    providers = [s for s in charter.metadata.signatories if s.party_or_default == "provider"]
    assert len(blocks) == max(1, len(providers)) + 1
    for _, lines in blocks:
        labels = [line[2:].split("\u00a0:" if lang == "fr" else ":", 1)[0].strip()
                  for line in lines.splitlines()]
        assert labels == list(LINES[lang])
    assert client.name in blocks[-1][0] and charter.provider.name in blocks[0][0]
    if client.signatory:
        assert client.signatory.name in blocks[-1][1]


def test_a_party_without_signatory_signs_on_blank_lines(tmp_path):
    text = (ROOT / "charters/it-service-desk.charter.yaml").read_text()
    text = text.replace("    signatory: {name: Amelia Hart, role: Group CFO}\n", "")
    source = tmp_path / "it-service-desk.charter.yaml"
    source.write_text(text)
    result = build([str(source)], tmp_path / "dist", langs=["en"], formats=["md", "html"],
                   today=TODAY)
    assert result.published
    md = (tmp_path / "dist/it-service-desk/agreements/finance.en.md").read_text()
    block = md.split("**For Group Finance**\n\n", 1)[1]
    assert block.startswith("- Name: ________________________\n"
                            "- Title: ________________________\n")
    html = (tmp_path / "dist/it-service-desk/agreements/finance.en.html").read_text()
    assert html.count('<div class="signature">') == 3


def test_objectives_read_as_sentences_on_their_clock(dist):
    standard = (dist / "it-service-desk/agreements/hr.en.md").read_text()
    assert ("The provider responds to at least 95% of P1 tickets within 1 business hour, "
            "counted over each calendar month, as measured by the IT service management tool."
            ) in standard
    premium = (dist / "it-service-desk/agreements/finance.en.md").read_text()
    assert ("The provider responds to at least 95% of P1 tickets within 15 minutes, counted "
            "over each calendar month, as measured by the IT service management tool."
            ) in premium
    assert "| Response P1 | 15 minutes |" in premium
    french = (dist / "it-service-desk/agreements/hr.fr.md").read_text()
    assert "au moins 95\u00a0% des tickets P1 sous 1 heure ouvrée" in french


def test_share_charges_name_the_share_and_the_cost(dist):
    text = (dist / "hr-legal/agreements/france.en.md").read_text()
    assert "| Year | Share | Provider's cost | Charge |" in text
    assert "| 2026 | 12% | €2,240,000.00 | €268,800.00 |" in text


def test_names_not_ids(dist):
    charter = (dist / "it-service-desk/charter.en.md").read_text()
    assert "Weekend rota (for Weekend support)" in charter
    for token in ("status-page", "weekend-rota", "| itsm"):
        assert token not in charter
    assert source_name("erp-monitoring") == "ERP monitoring"
    assert source_name("service-now") == "ServiceNow"


def test_free_text_in_a_language_the_map_lacks_shows_its_first_entry_and_warns(tmp_path):
    text = (ROOT / "charters/finance-accounting.charter.yaml").read_text()
    text, count = re.subn(r'disputes: \{en: ("[^"]*"), fr: "[^"]*"\}', r"disputes: {en: \1}",
                          text)
    assert count == 1
    source = tmp_path / "finance-accounting.charter.yaml"
    source.write_text(text)
    result = build([str(source)], tmp_path / "dist", langs=["en", "fr"], formats=["md"],
                   today=TODAY)
    assert result.published
    assert ("finance-accounting: terms.disputes has no 'fr' text: the 'en' text is shown "
            "(documents in 'fr')") in result.log
    french = (tmp_path / "dist/finance-accounting/agreements/uk.fr.md").read_text()
    assert ("les parties conviennent de ce qui suit. The dispute is referred to the Group "
            "Audit Committee, which decides after hearing both parties.") in french


def test_text_in_language():
    assert Text("Same", "/x").in_language("fr") == ("Same", True)
    both = Text({"en": "Hello", "fr": "Bonjour"}, "/x")
    assert both.in_language("fr") == ("Bonjour", True)
    assert both.in_language("de") == ("Hello", False)


def test_terms_defaults_in_the_model():
    charter = build_model(load_path(ROOT / "charterc/checks/example_base.charter.yaml").document)
    terms = charter.terms_or_default
    assert terms.effective_or_default(charter.period) == charter.period.start
    assert terms.renewal_or_default == "none"
    assert terms.termination_notice_or_default.text == "3mo"
    assert terms.credits_or_default.claim_within_or_default.text == "30d"
    assert terms.credits_or_default.applied_or_default == "next-invoice"
    assert terms.credits_or_default.remedy_or_default == "sole"
    assert terms.exclusions_or_default == ("maintenance", "client-caused", "force-majeure",
                                           "third-party")
    assert terms.disputes_or_default.value == "steering-committee"


def test_dsl_terms_place_their_values():
    loaded = load_text('charter x "X"\nterms {\n  obligation en "Report" fr "Signaler"\n'
                       '  escalation 1 "Desk lead" within 4h\n}\n', "x.charter")
    assert loaded.document["terms"] == {
        "client_obligations": [{"en": "Report", "fr": "Signaler"}],
        "escalation": [{"level": 1, "role": "Desk lead", "within": "4h"}]}
    assert loaded.sources.values["/terms/client_obligations/0/fr"] == (3, 29)
    assert loaded.sources.values["/terms/escalation/0/within"] == (4, 35)


def test_diff_lists_terms_changes_as_written_fields():
    from charterc.checks.examples import apply_overlay
    from charterc.diff import diff_loaded
    from charterc.loaders import Loaded

    base = load_path(ROOT / "charters/it-service-desk.charter.yaml")
    document = apply_overlay(base.document, {"terms": {
        "renewal": "none", "client_obligations": [{"en": "Call us", "fr": "Appelez-nous"}],
        "credits": {"claim_within": "60d"}}})
    result = diff_loaded([base], [Loaded(base.file, document, base.sources)])
    assert not result.problems
    (charter,) = result.charters
    subjects = {c.subject for c in charter.changes}
    assert {"terms.renewal", "terms.client_obligations", "terms.credits.claim_within"} <= subjects


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("path", CHARTERS, ids=[p.name.split(".")[0] for p in CHARTERS])
def test_the_charter_document_has_the_same_clauses_and_every_signature(dist, path, lang):
    charter = build_model(load_path(path).document)
    text = (dist / charter.id / f"charter.{lang}.md").read_text()
    headings = [h for h in re.findall(r"^## (.+)$", text, re.M) if h[0].isdigit()]
    assert headings == [f"{n}. {t}" for n, t in enumerate(HEADINGS[lang][:NUMBERED], start=1)]
    signatures = text.split(f"## {HEADINGS[lang][NUMBERED + 1]}\n", 1)[1].split("\n## ")[0]
    for client in charter.clients:
        assert f"**{'For' if lang == 'en' else 'Pour'} {client.name}**" in signatures


def test_a_clause_block_is_written_from_its_content_and_the_types_of_its_values():
    """clause_blocks keeps each distinct clause's block: the same content gives the same
    block, and a value of another type (text escaped already) is not taken for plain text."""
    from charterc.render.clause_blocks import html, markdown
    from charterc.render.clauses import Clause, Para
    from charterc.render.markdown import MdSafe

    def clause(text):
        return Clause(3, "services", "Services", [Para(text, ["a|b"], (["x"], [["1"]]))])

    assert markdown(clause("*bold*")) is markdown(clause("*bold*"))
    assert "\\*bold\\*" in markdown(clause("*bold*"))
    assert "*bold*" in markdown(clause(MdSafe("*bold*")))
    assert "\\*bold\\*" not in markdown(clause(MdSafe("*bold*")))
    assert "&lt;b&gt;" in html(clause("<b>"))
    assert html(clause("<b>")) is html(clause("<b>"))
