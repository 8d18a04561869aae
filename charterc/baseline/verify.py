"""The proposal checked like any charter (spec section 10.2): the proposed text is loaded
and checked as at the window's last day; where it would fail `charterc check`, the report
lists the findings and, for a recovery out of tolerance (C403), the price per unit that
brings recovery back to its target."""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Severity
from .types import ProposalCheck, ProposalFinding, RestoringPrice

if TYPE_CHECKING:
    from ..model.charter import Charter

__all__ = ["check_proposal", "restoring_prices", "unchecked"]

_HUNDRED = Decimal(100)


def unchecked(reason: str) -> ProposalCheck:
    """The check of a proposal that could not be written (its layout), with the reason."""
    return {"checked": False, "reason": reason, "findings": [], "restore": []}


def check_proposal(text: str, path: Path, day: date) -> ProposalCheck:
    """The proposed charter `text` (for the file `path`) checked as at `day`."""
    from ..loaders import load_bytes, loader_for
    from ..model.projection import Facts
    from ..report.run import checked_as_at

    again = load_bytes(text.encode("utf-8"), path.name, loader=loader_for(path.name))
    checked = checked_as_at(again, day).result
    findings: list[ProposalFinding] = [
        {"rule": d.rule, "severity": d.severity.value if d.severity else "error",
         "message": d.message, "line": d.line, "column": d.column}
        for d in sorted(checked.diagnostics, key=lambda d: d.sort_key())
        if d.severity is Severity.ERROR and not d.suppressed]
    restore: list[RestoringPrice] = []
    if checked.charter is not None and any(f["rule"] == "C403" for f in findings):
        restore = restoring_prices(checked.charter, Facts(checked.charter))
    return {"checked": True, "reason": None, "findings": findings, "restore": restore}


def restoring_prices(charter: Charter, facts: object) -> list[RestoringPrice]:
    """Per year whose recovery is out of tolerance and per tier charging by the unit, the
    price per unit that brings recovery back to the target: the per-unit charges scaled
    so that, with the fixed fees and share charges as they are, charges = target x costs."""
    from ..model.projection import Facts
    assert isinstance(facts, Facts)
    if charter.business.charging != "per-unit":
        return []  # charges are fixed fees or shares of the cost: no price per unit moves
    terms = charter.business.recovery_or_default
    target = terms.target_or_default.value
    tolerance = terms.tolerance_or_default.value
    out: list[RestoringPrice] = []
    for y in facts.years:
        recovery = facts.recovery[y - 1]
        if recovery is None or target - tolerance <= recovery <= target + tolerance:
            continue
        rows = [facts.table[c.id][y - 1] for c in charter.clients]
        by_unit = sum((r.units * r.per_unit for r in rows), Decimal(0))
        if not by_unit:
            continue  # no price per unit to move: the fixed fees or shares must change
        wanted = target / _HUNDRED * facts.total_cost[y - 1]
        factor = (wanted - (facts.total_charges[y - 1] - by_unit)) / by_unit
        for tier in charter.tiers:
            per_unit = facts.price(tier.id, y)[0]
            if per_unit and any(c.tier == tier.id for c in charter.clients):
                restored = (per_unit * factor).quantize(Decimal(1).scaleb(-facts.places),
                                                        rounding=ROUND_HALF_EVEN)
                out.append({"year": facts.label(y), "tier": tier.id,
                            "per_unit": float(per_unit), "restores": float(restored),
                            "recovery": float(recovery.quantize(Decimal("0.1"))),
                            "target": float(target)})
    return out
