"""Figures that tie out (spec section 4, Rounding; section 8): every charge recomputes from the
figures printed beside it, every total is the sum of its rows.

The documents test builds every bundled charter to Markdown in English and French, finds
every charges table of every charter and agreement document by its header cells (not by
section number or position, so that clauses may be renumbered and reworded: a column is
known by its translated header, alone or after a year, `2027: Units`), reads the amounts
as the locale writes them (babel's `parse_decimal`), and checks each row:
- units are whole;
- per-unit charging: charge = units x price per unit + fixed fee, to the cent;
- fixed charging: charge = fixed fee;
- share charging, where the table shows the share and the cost: charge = share x cost,
  rounded half-even to the cent (the share is printed with the decimals this needs);
and that each total row is the sum of the rows above it, and the charter's "Total charges"
the total of its projection.

The property test draws charters (tests/strategies.py) and checks the projection itself.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.numbers import get_currency_symbol, parse_decimal
from hypothesis import HealthCheck, given, settings
from strategies import charters

from charterc.model.charter import build_model
from charterc.model.projection import derive
from charterc.publish.build import build
from charterc.render.i18n import translations

ROOT = Path(__file__).parent.parent
TODAY = date(2026, 11, 27)
LANGS = ("en", "fr")
CENT = Decimal("0.01")

# Column roles and the headers (msgids, translated per language) that name them, most
# specific first: "Price per unit" before "Price".
ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("year", ("Year",)),
    ("units", ("Units",)),
    ("price", ("Price per unit", "Price")),
    ("fixed", ("Fixed fee", "fixed")),
    ("charge", ("Charge",)),
    ("share", ("Share",)),
    ("cost", ("Provider's cost", "Total cost", "Cost")),
)
_YEAR_PREFIX = re.compile(r"^(\d{4}(?:[-–]\d{2,4})?)\s*:\s*(.+)$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_NOTE = re.compile(r"\s*\([^)]*\)\s*$")   # "(over budget)" after a charge


@dataclass
class Group:
    """The columns of one year (or of the whole table, key None), by role."""
    key: str | None
    columns: dict[str, int] = field(default_factory=dict)

    def is_charges(self) -> bool:
        return "charge" in self.columns and ("units" in self.columns or {
            "share", "cost"} <= set(self.columns))


@dataclass
class Table:
    document: str
    header: list[str]
    rows: list[list[str]]
    line: int


class Reader:
    """A language's headers and numbers."""

    def __init__(self, lang: str, currency: str = "EUR") -> None:
        self.lang = lang
        tr = translations(lang)
        self.roles = [(role, [tr.gettext(m).casefold() for m in msgids])
                      for role, msgids in ROLES]
        self.total = tr.gettext("Total").casefold()
        self.total_charges = tr.gettext("Total charges").casefold()
        self.symbol = get_currency_symbol(currency, locale=lang)

    def role(self, header: str) -> str | None:
        text = _plain(header).casefold()
        for role, names in self.roles:
            if text in names:
                return role
        for role, names in self.roles:   # reworded: "Charge (EUR)", "Units forecast"
            if any(text.startswith(name + " ") or text.startswith(name + "(")
                   for name in names):
                return role
        return None

    def groups(self, header: list[str]) -> list[Group]:
        groups: dict[str | None, Group] = {}
        for index, cell in enumerate(header):
            match = _YEAR_PREFIX.match(_plain(cell))
            key, name = (match.group(1), match.group(2)) if match else (None, cell)
            role = self.role(name)
            if role is not None:
                groups.setdefault(key, Group(key)).columns.setdefault(role, index)
        return [g for g in groups.values() if g.is_charges()]

    def is_total(self, first_cell: str) -> bool:
        text = _plain(first_cell).casefold()
        return text == self.total or text.startswith(self.total + " ")

    def number(self, cell: str) -> Decimal | None:
        """A printed amount, percent or count in this language; None for an empty cell."""
        text = _NOTE.sub("", _plain(cell)).replace(self.symbol, "").replace("%", "").strip()
        text = text.strip("\u00a0\u202f ")
        if text in ("", "—", "-"):
            return None
        return parse_decimal(text, locale=self.lang, strict=True)


def _plain(cell: str) -> str:
    return cell.replace("**", "").replace("\\|", "|").strip()


def tables(document: Path) -> Iterator[Table]:
    """Markdown tables: runs of lines that start with `|`, header first, then the rule."""
    lines = document.read_text().splitlines()
    n = 0
    while n < len(lines):
        if not lines[n].startswith("|"):
            n += 1
            continue
        start = n
        block = []
        while n < len(lines) and lines[n].startswith("|"):
            block.append([c.strip() for c in _CELL_SPLIT.split(lines[n].strip())[1:-1]])
            n += 1
        if len(block) >= 2 and all(set(c) <= set("-:") for c in block[1]):
            yield Table(document.name, block[0], block[2:], start + 1)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("tie-out") / "dist"
    result = build([str(ROOT / "charters")], out, langs=list(LANGS), formats=["md"],
                   today=TODAY, jobs=1)
    assert result.published, result
    charging = {f.charter.id: f.charter.business.charging
                for f in result.check.files if f.charter is not None}
    assert len(charging) == len(list((ROOT / "charters").glob("*.charter.*")))
    return out, charging


def documents(out: Path, lang: str) -> list[Path]:
    found = sorted(out.glob(f"*/charter.{lang}.md")) + sorted(
        out.glob(f"*/agreements/*.{lang}.md"))
    assert found
    return found


@dataclass
class Checked:
    rows: int = 0
    totals: int = 0
    problems: list[str] = field(default_factory=list)


def check_table(table: Table, reader: Reader, charging: str, checked: Checked
                ) -> dict[str | None, Decimal]:
    """Check one table's charge rows and totals; the total charge of each group (or year).

    A table with a Year column may list several years, one row per client and year, and a
    total row per year: a total is the sum of the rows of its year (of every row above it
    when its year cell is empty)."""
    totals: dict[str | None, Decimal] = {}
    for group in reader.groups(table.header):
        where = f"{table.document}:{table.line} ({group.key or 'per year'})"
        year_at = group.columns.get("year")
        charges: dict[str, list[Decimal]] = {}
        units: dict[str, list[Decimal]] = {}
        for row in table.rows:
            v = {role: reader.number(row[index]) for role, index in group.columns.items()
                 if role != "year"}
            year = ("" if year_at is None or reader.is_total(row[year_at])
                    else _plain(row[year_at]))
            charge, count = v["charge"], v.get("units")
            if reader.is_total(row[0]):
                checked.totals += 1
                rows = [c for y, cs in charges.items() if year in ("", y) for c in cs]
                counted = [u for y, us in units.items() if year in ("", y) for u in us]
                if charge != sum(rows, Decimal(0)):
                    checked.problems.append(f"{where} {year}: total {charge} is not the sum "
                                            f"of its rows {sum(rows, Decimal(0))}")
                if count is not None and count != sum(counted, Decimal(0)):
                    checked.problems.append(f"{where} {year}: total units {count} are not "
                                            f"the sum {sum(counted, Decimal(0))}")
                assert charge is not None
                totals[year or group.key] = charge
            elif charge is not None:
                checked.rows += 1
                charges.setdefault(year, []).append(charge)
                units.setdefault(year, []).extend([count] if count is not None else [])
                check_row(v, charging, f"{where} {_plain(row[0])} {year}", checked.problems)
    return totals


def check_row(v: dict[str, Decimal | None], charging: str, where: str,
              problems: list[str]) -> None:
    """One charge row: whole units, amounts at cents, the charge from the figures beside it."""
    charge, count, price, fixed = v["charge"], v.get("units"), v.get("price"), v.get("fixed")
    share, cost = v.get("share"), v.get("cost")
    assert charge is not None
    if count is not None and count != count.to_integral_value():
        problems.append(f"{where}: {count} units is not whole")
    for amount in (charge, price, fixed):
        if amount is not None and amount != amount.quantize(CENT):
            problems.append(f"{where}: {amount} is not at cents")
    if charging == "per-unit":
        if count is None or price is None or fixed is None:
            problems.append(f"{where}: a per-unit charge without its units, price and fixed "
                            f"fee in the row")
        elif count * price + fixed != charge:
            problems.append(f"{where}: {count} x {price} + {fixed} = {count * price + fixed}, "
                            f"not the {charge} printed")
    elif charging == "fixed":
        if fixed is not None and fixed != charge:
            problems.append(f"{where}: charge {charge} is not the fixed fee {fixed}")
    # the share is printed with the decimals the charge needs (spec 8.2): to the cent
    elif share is not None and cost is not None and \
            (share * cost / 100).quantize(CENT) != charge:
        problems.append(f"{where}: {share}% of {cost} is not the {charge} printed")


def check_total_charges(table: Table, reader: Reader, projected: dict[str | None, Decimal],
                        checked: Checked) -> None:
    """The charter's "Total charges" row, per year, is its projection's total."""
    for row in table.rows:
        if _plain(row[0]).casefold() != reader.total_charges:
            continue
        for index, cell in enumerate(table.header):
            year = _plain(cell)
            if year in projected:
                checked.totals += 1
                if reader.number(row[index]) != projected[year]:
                    checked.problems.append(
                        f"{table.document}:{table.line}: total charges {year} "
                        f"{row[index]} is not the projection's {projected[year]}")


@pytest.mark.parametrize("lang", LANGS)
def test_every_charge_ties_out(built, lang):
    out, charging = built
    reader = Reader(lang)
    for document in documents(out, lang):
        charter_id = document.relative_to(out).parts[0]
        checked = Checked()
        projected: dict[str | None, Decimal] = {}
        found = list(tables(document))
        charge_tables = [t for t in found if reader.groups(t.header)]
        assert charge_tables, f"{document}: no charges table found"
        for table in charge_tables:
            projected.update(check_table(table, reader, charging[charter_id], checked))
        if document.name.startswith("charter."):
            assert projected, f"{document}: no total row in the projection"
            for table in found:
                check_total_charges(table, reader, projected, checked)
        assert checked.rows >= 3, f"{document}: only {checked.rows} charge rows read"
        assert not checked.problems, "\n".join(checked.problems)


def test_the_reader_reads_both_locales():
    en, fr = Reader("en"), Reader("fr")
    assert en.number("€1,059,609.95 (over budget)") == Decimal("1059609.95")
    assert fr.number("1\u202f059\u202f609,95\u00a0€") == Decimal("1059609.95")
    assert fr.number("16\u202f974,4") == Decimal("16974.4")
    assert fr.number("11,88\u00a0%") == Decimal("11.88")
    assert en.number("—") is None
    assert [g.columns for g in fr.groups(
        ["Client", "2027\u202f: Unités", "2027\u202f: Prix unitaire", "2027\u202f: Forfait",
         "2027\u202f: Montant"])] == [{"units": 1, "price": 2, "fixed": 3, "charge": 4}]
    assert [g.columns for g in en.groups(
        ["Year", "Share", "Total cost", "Charge (EUR)"])] == [
        {"year": 0, "share": 1, "cost": 2, "charge": 3}]


def test_a_row_that_does_not_tie_out_is_found(tmp_path):
    bad = tmp_path / "a.en.md"
    bad.write_text("| Year | Units | Price per unit | Fixed fee | Charge |\n"
                   "|---|---:|---:|---:|---:|\n"
                   "| 2028 | 16,974.4 | €62.42 | €0.00 | €1,059,609.95 |\n"
                   "| **Total** | 16,974.4 | | | €1,059,609.96 |\n")
    checked = Checked()
    (table,) = tables(bad)
    check_table(table, Reader("en"), "per-unit", checked)
    assert checked.rows == 1 and checked.totals == 1
    assert [p.split(": ", 1)[1] for p in checked.problems] == [
        "16974.4 units is not whole",
        "16974.4 x 62.42 + 0.00 = 1059542.048, not the 1059609.95 printed",
        "total 1059609.96 is not the sum of its rows 1059609.95"]


# -- the projection itself ---------------------------------------------------------------

@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(charters())
def test_projection_figures_tie_out(document):
    facts = derive(build_model(document))
    charging = facts.charter.business.charging
    for y in facts.years:
        charges, units = Decimal(0), Decimal(0)
        for client in facts.charter.clients:
            row = facts.table[client.id][y - 1]
            assert row.units == row.units.to_integral_value()
            assert row.per_unit == row.per_unit.quantize(CENT)
            assert row.fixed == row.fixed.quantize(CENT)
            assert row.charge == row.charge.quantize(CENT)
            assert (row.per_unit, row.fixed) == facts.price(client.tier, y)
            if charging == "per-unit":
                assert row.charge == row.units * row.per_unit + row.fixed
            elif charging == "fixed":
                assert row.charge == row.fixed
            else:  # the cost at the cent allocated by the largest remainder (spec 8.2)
                exact = (row.share or 0) * facts.money(facts.total_cost[y - 1]) / 100
                assert abs(row.charge - exact) < Decimal("0.01")
                if row.rate is not None:
                    assert (row.rate * facts.money(row.cost) / 100).quantize(CENT) == \
                        row.charge
            assert row.cost == facts.total_cost[y - 1]
            charges += row.charge
            units += row.units
        assert facts.total_charges[y - 1] == charges
        if charging == "share" and any(s[y - 1] for s in facts.projected_share.values()):
            assert charges == facts.money(facts.total_cost[y - 1])   # never a cent above
        assert facts.total_units[y - 1] == units
        cost = facts.total_cost[y - 1]
        recovery = facts.recovery[y - 1]
        if cost:
            assert recovery is not None
            assert abs(recovery - charges * 100 / cost) <= abs(recovery) * Decimal("1e-25")
        else:
            assert recovery is None
