"""Region groups for residency and transfers (D803)."""
from __future__ import annotations

import pytest

from charterc.model.regions import (
    ADEQUATE,
    EEA,
    EU,
    PARTIAL_ADEQUACY,
    expand_region,
    is_adequate,
    outside,
    within,
)


def test_group_sizes_and_membership():
    assert len(EU) == 27 and "GB" not in EU and {"DE", "FR", "GR", "HR"} <= EU
    assert EU | {"IS", "LI", "NO"} == EEA
    # EEA + 14 full adequacy decisions
    assert len(ADEQUATE) == 30 + 14
    assert {"CH", "GB", "JP", "KR", "NZ", "IL", "UY",
            "AR", "AD", "FO", "GG", "IM", "JE", "BR"} <= ADEQUATE


def test_partial_decisions_are_not_adequate():
    assert {"US", "CA"} == PARTIAL_ADEQUACY
    assert not is_adequate("US") and not is_adequate("CA")
    assert not PARTIAL_ADEQUACY & ADEQUATE


@pytest.mark.parametrize("code, expected", [
    ("EU", EU), ("eea", EEA), ("ADEQUATE", ADEQUATE),
    ("DE", {"DE"}), ("el", {"GR"}), ("UK", {"GB"}),
])
def test_expand_region(code, expected):
    assert expand_region(code) == frozenset(expected)


@pytest.mark.parametrize("code", ["Europe", "D", "", None, "E1"])
def test_expand_region_rejects(code):
    with pytest.raises(ValueError):
        expand_region(code)


def test_within_and_outside():
    assert within(["DE", "FR"], ["EU"]) and within(["EU"], ["EEA"]) and within(["NO"], ["EEA"])
    assert not within(["NO"], ["EU"])
    assert within(["CH", "IE"], ["ADEQUATE"]) and not within(["ADEQUATE"], ["EU"])
    assert outside(["US", "DE", "CA"], ["EU", "GB"]) == {"US", "CA"}
    assert is_adequate("EU") and is_adequate("ch")
