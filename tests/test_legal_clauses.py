"""The clauses a legal department looks for (spec section 8.2), and legal French.

- clauses 15-22 appear in every agreement with what their `terms` keys say, or with their
  defaults and an explicit "not agreed" sentence;
- clause 6 defines the charge for a window, works it out for the client, and says how to
  claim; clause 2 defines the priorities; clause 4 says "every ticket (100%)";
- the GDPR Art. 28(3) annex ends exactly the agreements of clients with personal data;
- French documents: no "GDPR", no "EU", no English feature or tier name where an `fr` text
  exists; "1er janvier"; a "Fait à" line.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from charterc.loaders import load_path
from charterc.model.charter import build_model
from charterc.publish.build import build

ROOT = Path(__file__).parent.parent
CHARTERS = sorted((ROOT / "charters").glob("*.charter.yaml"))
TODAY = date(2026, 11, 27)
ANNEX = {"en": "## Annex: processing of personal data (Article 28(3) of the GDPR)",
         "fr": "## Annexe : traitement de données à caractère personnel (article 28, "
               "paragraphe 3, du RGPD)"}


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("legal") / "dist"
    result = build(CHARTERS, out, langs=["en", "fr"], formats=["md", "html"], today=TODAY)
    assert result.published, result.log
    return out


def _clause(text: str, number: int) -> str:
    return text.split(f"\n## {number}. ", 1)[1].split("\n## ", 1)[0]


def _built(tmp_path: Path, edit, lang: str = "en") -> str:
    text = (ROOT / "charters/it-service-desk.charter.yaml").read_text(encoding="utf-8")
    source = tmp_path / "it-service-desk.charter.yaml"
    source.write_text(edit(text), encoding="utf-8")
    result = build([source], tmp_path / "dist", langs=[lang], formats=["md"], today=TODAY)
    assert result.published, result.log
    return (tmp_path / f"dist/it-service-desk/agreements/finance.{lang}.md").read_text()


def test_the_new_clauses_say_their_defaults_and_what_is_not_agreed(dist):
    text = (dist / "it-service-desk/agreements/finance.en.md").read_text()
    assert "15.1. The provider invoices the charges of each year in equal parts, every " \
           "month." in text
    assert "payable within 30 days" in _clause(text, 15)
    assert "at the end of each year, the provider compares them with the units measured" \
        in _clause(text, 15)
    assert "No cap on either party's liability under this agreement is agreed." in \
        _clause(text, 16)
    assert "internal agreement between entities of the same group" in _clause(text, 17)
    assert "Notices to the provider are sent to it-shared-services@example.com" in \
        _clause(text, 18)
    for number, words in ((19, "keeps confidential"), (20, "entire agreement"),
                          (21, "invalid or unenforceable"), (22, "signed electronically")):
        assert words in _clause(text, number)


def test_the_new_clauses_follow_their_keys(tmp_path):
    def edit(text: str) -> str:
        return text.replace("terms:\n", "terms:\n"
                            "  invoicing: {every: quarterly, payment_days: 45, true_up: none}\n"
                            "  liability: {cap: 100%}\n"
                            "  law: France\n"
                            '  jurisdiction: {en: "the courts of Paris", fr: "les tribunaux '
                            'de Paris"}\n'
                            "  notices: {provider: legal-notices@example.com}\n", 1).replace(
            "credits: {claim_within: 90d,",
            "credits: {claim_to: sla-claims@example.com, answer_within: 10d, "
            "claim_within: 90d,", 1)

    text = _built(tmp_path, edit)
    assert "in equal parts, every quarter." in _clause(text, 15)
    assert "payable within 45 days" in _clause(text, 15)
    assert "no true-up is made" in _clause(text, 15)
    assert "capped at 100% of the charges of that year" in _clause(text, 16)
    assert "Service credits count towards this cap." in _clause(text, 16)
    assert "governed by the law of France." in _clause(text, 17)
    assert "exclusive jurisdiction of the courts of Paris." in _clause(text, 17)
    assert "legal-notices@example.com" in _clause(text, 18)
    credits = _clause(text, 6)
    assert "writes to sla-claims@example.com within 90 days after the end of the window" \
        in credits
    assert "The provider answers a claim within 10 days." in credits
    assert "escalation and dispute procedure of clause 10" in credits


def test_clause_6_defines_the_charge_for_a_window_with_the_clients_figure(dist):
    text = (dist / "it-service-desk/agreements/finance.en.md").read_text()
    credits = _clause(text, 6)
    assert "The charge for a window is the units measured in the window times the price " \
           "per unit in force, plus the fixed fee of the year divided by the number of " \
           "windows in the year" in credits
    # 16,000 units in 2026, monthly windows: 1,333 units at €60.00
    assert "1,333 units (ticket), is charged 1,333 × €60.00 + €0.00 ÷ 12 = €79,980.00." \
        in credits
    assert "| Tickets responded to within target below | Credit | Credit on a charge of " \
           "€79,980.00 |" in credits
    assert "| Cap | 50% | €39,990.00 |" in credits


def test_priorities_are_defined_and_100_percent_is_said_in_those_words(tmp_path, dist):
    text = (dist / "finance-accounting/agreements/germany.en.md").read_text()
    assert "- P1 (Critical): A payment run, a close or a filing deadline is at risk." in \
        _clause(text, 2)
    french = (dist / "finance-accounting/agreements/germany.fr.md").read_text()
    assert "- P1 (Critique) : " in _clause(french, 2) or "- P1 (Critique): " in \
        _clause(french, 2)
    every = _built(tmp_path, lambda t: t.replace(
        "P4: 1d, attainment: 95%, measured_by: itsm}", "P4: 1d, measured_by: itsm}", 1))
    assert "The provider responds to every P1 ticket (100%) within 15 minutes" in every


@pytest.mark.parametrize("path", CHARTERS, ids=[p.name.split(".")[0] for p in CHARTERS])
def test_the_art_28_annex_is_exactly_in_the_agreements_of_clients_with_personal_data(
        dist, path):
    charter = build_model(load_path(path).document)
    seen = set()
    for client in charter.clients:
        for lang in ("en", "fr"):
            text = (dist / charter.id / "agreements" / f"{client.id}.{lang}.md").read_text()
            assert (ANNEX[lang] in text) == client.personal, (client.id, lang)
            if client.personal:
                annex = text.split(ANNEX[lang], 1)[1]
                assert annex.count("\n") > 12 and ("sub-processor" in annex or
                                                   "sous-traitant" in annex)
            seen.add(client.personal)
        html = (dist / charter.id / "agreements" / f"{client.id}.en.html").read_text()
        assert ('id="annex"' in html) == client.personal
    charter_text = (dist / charter.id / "charter.en.md").read_text()
    assert ANNEX["en"] not in charter_text
    if path.name.startswith("finance"):
        assert seen == {True, False}   # the US entity has no personal data


def test_signature_blocks_have_place_and_date_and_the_originals_line(dist):
    en = (dist / "hr-legal/agreements/poland.en.md").read_text()
    signatures = en.split("## Signatures\n", 1)[1]
    assert signatures.count("- Place: ") == 2 and signatures.count("- Date: ") == 2
    assert "Signed in two originals, at ............, on ............" in signatures
    fr = (dist / "hr-legal/agreements/poland.fr.md").read_text()
    assert "Fait à ............, le ............, en deux exemplaires originaux." in fr


def _french_documents(dist: Path) -> list[Path]:
    return sorted(dist.rglob("*.fr.md")) + sorted(dist.rglob("*.fr.html"))


def test_french_documents_are_legal_french(dist):
    """No "GDPR", "EU" or English feature/tier name where an fr text exists; 1er janvier;
    "Fait à" in every document signed (the charter and each agreement)."""
    english_names = []
    for path in CHARTERS:
        document = load_path(path).document
        for item in [*document["features"], *document["tiers"]]:
            name = item.get("name")
            if isinstance(name, dict) and "fr" in name and name["en"] != name["fr"]:
                english_names.append(name["en"])
    assert english_names
    documents = _french_documents(dist)
    assert len(documents) >= 2 * (3 + 3 + 10 + 4)
    for path in documents:
        text = path.read_text(encoding="utf-8")
        assert "GDPR" not in text, path
        assert not re.search(r"(?<![\w-])EU(?![\w-])", text), path
        assert "données personnelles" not in text, path
        # the version history's summaries are free text, as the charter writes them
        body = re.split(r"## Historique des versions|<h2>Historique des versions</h2>",
                        text)[0]
        for name in english_names:
            assert name not in body, (path, name)
        assert "Fait à" in text, path
        if "/agreements/" in str(path):
            assert "RGPD" in text or "personnel" not in text, path
    hr = (dist / "hr-legal/agreements/france.fr.md").read_text()
    assert "1er juillet 2026" in hr or "1er janvier" in hr
    desk = (dist / "it-service-desk/charter.fr.md").read_text()
    assert "1er janvier 2026" in desk and "1 janvier" not in desk
    assert ("Fait à ............, le ............, en autant d'exemplaires originaux que de "
            "parties.") in desk
