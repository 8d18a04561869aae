"""Regions for residency and transfers: ISO 3166 alpha-2 codes and the groups EU, EEA, ADEQUATE.

Source: the European Commission's page "Adequacy decisions" (commission.europa.eu,
data protection > international dimension) and the decisions it lists in the
Official Journal. Compiled on 2026-11-27; the latest change reflected is Brazil
(January 2026).

EU member states (27) since 1 February 2020 (United Kingdom's withdrawal).
EEA = the EU plus Iceland, Liechtenstein and Norway.
Full adequacy decisions in force (GDPR art. 45, or Directive 95/46 art. 25(6)
decisions kept in force by GDPR art. 45(9)):
  Andorra 2010/625/EU · Argentina 2003/490/EC · Brazil (EU) 2026/179 of 26 January 2026 ·
  Faroe Islands 2010/146/EU · Guernsey 2003/821/EC · Israel 2011/61/EU ·
  Isle of Man 2004/411/EC · Japan (EU) 2019/419 · Jersey 2008/393/EC ·
  New Zealand 2013/65/EU · Republic of Korea (EU) 2022/254 · Switzerland 2000/518/EC ·
  United Kingdom (EU) 2021/1772, renewed in December 2025 until 27 December 2031 ·
  Uruguay 2012/484/EU.
Partial decisions, deliberately NOT in ADEQUATE (they need `transfers: adequacy`):
  Canada 2002/2/EC (commercial organisations under PIPEDA only) and the United
  States (EU) 2023/1795 (only organisations certified under the EU-US Data
  Privacy Framework). The European Patent Organisation's decision (July 2025)
  concerns an international organisation, not a country, so it has no code here.
Review this module when the Commission adopts, renews or withdraws a decision.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "ADEQUACY_DECISIONS",
    "ADEQUATE",
    "EEA",
    "EU",
    "GROUPS",
    "PARTIAL_ADEQUACY",
    "expand_region",
    "expand_regions",
    "is_adequate",
    "outside",
    "within",
]

EU = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
})
EEA = EU | {"IS", "LI", "NO"}
ADEQUACY_DECISIONS = frozenset({
    "AD", "AR", "BR", "FO", "GG", "IL", "IM", "JP", "JE", "NZ", "KR", "CH", "GB", "UY",
})
ADEQUATE = EEA | ADEQUACY_DECISIONS
PARTIAL_ADEQUACY = frozenset({"CA", "US"})
GROUPS = {"EU": EU, "EEA": EEA, "ADEQUATE": ADEQUATE}

# EU usage that is not ISO 3166: Greece is EL and the United Kingdom UK in EU texts
_ALIASES = {"EL": "GR", "UK": "GB"}
_CODE = re.compile(r"[A-Z]{2}\Z")


def expand_region(code: str) -> frozenset[str]:
    """`"EU"` -> the 27 member states; `"DE"` -> {"DE"}; `"el"` -> {"GR"}.

    Raises ValueError for anything that is neither a group nor a two-letter code.
    """
    if not isinstance(code, str):
        raise ValueError(f"a region is a country code such as DE or a group (EU, EEA, ADEQUATE), "
                         f"not {code!r}")
    key = code.strip().upper()
    if key in GROUPS:
        return GROUPS[key]
    key = _ALIASES.get(key, key)
    if not _CODE.match(key):
        raise ValueError(f"unknown region {code!r}: use an ISO 3166 alpha-2 code such as DE, "
                         f"or EU, EEA, ADEQUATE")
    return frozenset({key})


def expand_regions(codes: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    for code in codes:
        out |= expand_region(code)
    return frozenset(out)


def is_adequate(code: str) -> bool:
    """Every country of `code` is in the EEA or has a full adequacy decision."""
    return expand_region(code) <= ADEQUATE


def outside(codes: Iterable[str], allowed_regions: Iterable[str]) -> frozenset[str]:
    """The countries of `codes` not in any of `allowed_regions` (for messages)."""
    return expand_regions(codes) - expand_regions(allowed_regions)


def within(codes: Iterable[str], allowed_regions: Iterable[str]) -> bool:
    """Every country of `codes` lies in the union of `allowed_regions`."""
    return not outside(codes, allowed_regions)
