"""Every printed charge recomputes from the figures printed beside it, to the cent (spec 8.2).

The Markdown of every bundled and test charter (charter document and every agreement, in
English and French) is parsed back: each table row of charges is recomputed from its own
cells (units x price per unit + fixed fee; share x provider's cost; a credit or its cap as
a percentage of the charge it is taken from), the yearly totals from the rows, the total
over the term from the years, and the `share` charges of a year add up to the cost (the
largest remainder method: never a cent above it).
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
CHARTERS = sorted([*(ROOT / "charters").glob("*.charter.yaml"),
                   *(ROOT / "examples" / "dsl").glob("*.charter"),
                   *(ROOT / "tests" / "rules").glob("*.pass*.charter.yaml"),
                   *(ROOT / "tests" / "diff").glob("*.charter.yaml")])
CENT = Decimal("0.01")

# column headers, by language
WORDS = {
    "en": {"share": "Share", "cost": "Provider's cost", "charge": "Charge", "units": "Units",
           "price": "Price per unit", "fixed": "Fixed fee", "year": "Year",
           "term": "Total over the term", "total": "Total", "cap": "Cap"},
    "fr": {"share": "Quote-part", "cost": "Coût du prestataire", "charge": "Montant",
           "units": "Unités", "price": "Prix unitaire", "fixed": "Forfait", "year": "Année",
           "term": "Total sur la durée", "total": "Total", "cap": "Plafond"},
}


def number(cell: str, lang: str) -> Decimal | None:
    """A printed amount, percent or count as a Decimal (None for an empty or text cell)."""
    text = re.sub(r"[*€$£%\s\u00a0\u202f]|EUR|USD|GBP|CHF|PLN", "", cell)
    text = re.sub(r"\(.*\)", "", text)
    if lang == "fr":
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    try:
        return Decimal(text)
    except ArithmeticError:
        return None


def tables(markdown: str) -> list[tuple[list[str], list[list[str]]]]:
    """Each pipe table: its header cells and its rows' cells."""
    found, lines = [], markdown.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and re.match(r"^\|[-:| ]+\|$",
                                                                         lines[i + 1]):
            head = [c.strip() for c in lines[i].strip("|").split("|")]
            rows = []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append([c.strip() for c in lines[i].strip().strip("|").split("|")])
                i += 1
            found.append((head, rows))
        else:
            i += 1
    return found


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def check_charges(markdown: str, lang: str, where: str) -> int:
    """Recompute every charge table of one document; the number of rows recomputed."""
    w = WORDS[lang]
    checked = 0
    for head, rows in tables(markdown):
        col = {key: head.index(w[key]) for key in ("share", "cost", "charge", "units",
                                                   "price", "fixed", "year") if w[key] in head}
        if "charge" not in col or "year" not in col:
            continue
        per_year: dict[str, Decimal] = {}
        costs: dict[str, Decimal] = {}
        year_totals: dict[str, Decimal] = {}
        term = None
        for row in rows:
            label = row[0].strip("*")
            charge = number(row[col["charge"]], lang)
            assert charge is not None, (where, row)
            if label == w["term"]:
                term = charge
                continue
            year = row[col["year"]]
            if label == w["total"]:          # a year's total (charter document)
                year_totals[year] = charge
                continue
            if "share" in col:
                share, cost = number(row[col["share"]], lang), number(row[col["cost"]], lang)
                assert share is not None and cost is not None, (where, row)
                assert money(share * cost / 100) == charge, (where, row)
                costs[year] = cost
            else:
                units, price, fixed = (number(row[col[k]], lang) for k in ("units", "price",
                                                                           "fixed"))
                assert units is not None and price is not None and fixed is not None
                assert units * price + fixed == charge, (where, row)
            per_year[year] = per_year.get(year, Decimal(0)) + charge
            checked += 1
        for year, total in year_totals.items():
            assert per_year[year] == total, (where, year)
        if "share" in col and year_totals:
            for year, total in year_totals.items():   # allocations: the cost, not a cent more
                assert total == costs[year], (where, year, total, costs[year])
        assert term is not None, (where, "no total over the term", head)
        assert term == sum(per_year.values(), Decimal(0)), (where, term)
    return checked


CREDIT_ON = {"en": "Credit on a charge of ", "fr": "Crédit sur une redevance de "}


def check_credits(markdown: str, lang: str, where: str) -> int:
    """A credit table of an agreement: each credit (and the cap) x the window's charge printed
    in the column's head ("Credit on a charge of €151,664.00") is the amount printed."""
    checked = 0
    for head, rows in tables(markdown):
        base_cell = next((h for h in head if h.startswith(CREDIT_ON[lang])), None)
        if base_cell is None:
            continue
        base = number(base_cell[len(CREDIT_ON[lang]):], lang)
        assert base is not None, (where, head)
        at = head.index(base_cell)
        for row in rows:
            percent, amount = number(row[at - 1], lang), number(row[at], lang)
            assert percent is not None and amount is not None, (where, row)
            assert money(percent * base / 100) == amount, (where, row, base)
            checked += 1
    return checked


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    from charterc.publish.build import build
    out = tmp_path_factory.mktemp("charges") / "dist"
    result = build(CHARTERS, out, langs=["en", "fr"], formats=["md"], today=date(2026, 11, 27),
                   partial=True)
    assert result.published, result.log
    return out


def test_every_printed_charge_recomputes_to_the_cent(dist):
    rows = documents = 0
    for path in sorted(dist.rglob("*.md")):
        lang = path.name.rsplit(".", 2)[1]
        text = path.read_text(encoding="utf-8")
        n = check_charges(text, lang, str(path.relative_to(dist)))
        assert n, f"{path}: no charge row found"
        check_credits(text, lang, str(path.relative_to(dist)))
        rows += n
        documents += 1
    assert documents >= 2 * (3 + 3)
    assert rows > 200


def test_share_rows_of_the_four_year_charter_recompute(dist):
    """The rows the charter used to miss by up to EUR 119.34 (Polska 2027: 11.11% x
    2,312,200.00 printed as 256,835.55)."""
    text = (dist / "hr-legal" / "agreements" / "poland.en.md").read_text(encoding="utf-8")
    assert "| 2027 | 11.107843% | €2,312,200.00 | €256,835.55 |" in text
    assert check_charges(text, "en", "poland") == 4


def test_allocation_by_largest_remainder():
    from charterc.model.projection import allocate, printed_rate
    parts = allocate(Decimal("100.00"), {"a": Decimal(100) / 3, "b": Decimal(100) / 3,
                                         "c": Decimal(100) / 3})
    assert parts == {"a": Decimal("33.34"), "b": Decimal("33.33"), "c": Decimal("33.33")}
    assert sum(parts.values()) == Decimal("100.00")
    rate = printed_rate(Decimal(100) / 3, Decimal("100.00"), Decimal("33.34"))
    assert money(rate * Decimal("100.00") / 100) == Decimal("33.34")
    assert rate == Decimal("33.34")


def test_the_number_parser_reads_both_languages():
    assert number("€2,312,200.00", "en") == Decimal("2312200.00")
    assert number("2\u202f312\u202f200,00\u00a0€", "fr") == Decimal("2312200.00")
    assert number("11,107843\u00a0%", "fr") == Decimal("11.107843")
