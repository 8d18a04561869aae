"""The baseline document as types: what `compare.py` builds, `output.py` writes as JSON and
`render.py` shows, and the proposal `propose.py` writes into the charter.

TypedDicts, because the document is written as is (`json.dumps`): the JSON keys are these
keys, in the order `compare.py` puts them (docs/baseline.md).
"""
from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

__all__ = [
    "BaselineCharter",
    "BaselineDocument",
    "ClientBaseline",
    "FeatureFigures",
    "Finding",
    "HoursFigures",
    "NeededUnusedFinding",
    "OutsideHoursFinding",
    "Proposal",
    "ProposalSection",
    "Role",
    "RoleFigures",
    "RoleFinding",
    "Roles",
    "ShareFigures",
    "ShareFinding",
    "ThinFinding",
    "TurnaroundFigures",
    "TurnaroundGroup",
    "UnvaluedCost",
    "UnvaluedCostFinding",
    "UsedNotNeededFinding",
    "VolumeFigures",
    "VolumeFinding",
    "WindowHeader",
]

Role = Literal["primary", "secondary"]


class Proposal(TypedDict):
    """The values `--write` sets for one client (section 10); a key left out is unchanged."""

    units: int                          # the term's first year
    growth: NotRequired[str]            # "12%": as charters write percents
    share: NotRequired[str]             # only where the charter states a share
    features: NotRequired[list[str]]    # needs.features


# -- the header ------------------------------------------------------------------------------

class BaselineCharter(TypedDict):
    id: str
    title: str
    version: str
    file: str | None
    currency: str


# "from" is a keyword: the functional form
WindowHeader = TypedDict("WindowHeader", {
    "from": str,              # "2026-01": first and last month
    "to": str,
    "first": str,             # ISO dates: the window's first and last day
    "last": str,
    "months": int,
    "zone": str,
    "projection_year": int,   # of the window's first day
})


class Roles(TypedDict):
    projected_primary: str | None
    observed_primary: str | None
    threshold: float


# -- one client ------------------------------------------------------------------------------

class VolumeFigures(TypedDict):
    stated_units: float | None
    stated_growth: float
    forecast: float
    observed: int
    annualised: float
    difference_percent: float | None
    implied_growth: float | None
    implied_growth_interval: list[float] | None   # 90%: [low, high]
    growth_supported: bool          # the interval holds neither the stated growth nor zero
    proposed_units: int | None
    proposed_growth: float | None


class ShareFigures(TypedDict):
    stated: float | None
    projected: float | None
    observed: float
    proposed: float | None


class RoleFigures(TypedDict):
    projected: Role
    observed: Role


class FeatureFigures(TypedDict):
    measured: bool                 # the tickets file has a feature column
    used: dict[str, int]           # feature -> tickets, most used first
    needed: list[str]
    tier: list[str]
    needed_unused: list[str]
    used_not_needed: list[str]
    proposed: list[str] | None


class HoursFigures(TypedDict):
    zone: str                      # the client's people's zone
    tier_hours: str
    outside: int                   # tickets opened outside the tier's hours
    outside_percent: float
    weekday: int
    weekend: int
    by_hour: list[list[int]]       # [weekday, Monday first][hour]: tickets outside hours


class TurnaroundGroup(TypedDict):
    resolved: int
    median_hours: float | None


class TurnaroundFigures(TypedDict):
    weekday: TurnaroundGroup
    weekend: TurnaroundGroup


class ClientBaseline(TypedDict):
    """The value under `clients.<id>`."""

    name: str
    tier: str
    tickets: int
    thin: bool                     # fewer than `thin_below` tickets: nothing proposed
    volume: VolumeFigures
    share: ShareFigures
    role: RoleFigures
    features: FeatureFigures
    hours: HoursFigures
    turnaround: TurnaroundFigures


class UnvaluedCost(TypedDict):
    id: str
    feature: str
    amount: float


# -- the findings: one kind each ---------------------------------------------------------------

class VolumeFinding(TypedDict):
    kind: Literal["volume"]
    client: str
    forecast: float
    annualised: float
    stated_growth: float
    implied_growth: float | None
    implied_growth_interval: list[float] | None


class ShareFinding(TypedDict):
    kind: Literal["share"]
    client: str
    stated: float                  # the stated share, else the projected one
    observed: float


class RoleFinding(TypedDict):
    kind: Literal["role"]
    client: str
    projected: Role
    observed: Role


class NeededUnusedFinding(TypedDict):
    kind: Literal["needed-unused"]
    client: str
    feature: str


class UsedNotNeededFinding(TypedDict):
    kind: Literal["used-not-needed"]
    client: str
    feature: str
    tickets: int


class OutsideHoursFinding(TypedDict):
    kind: Literal["outside-hours"]
    client: str
    tickets: int
    percent: float
    weekday: int
    weekend: int


class UnvaluedCostFinding(TypedDict):
    kind: Literal["unvalued-cost"]
    cost: str
    feature: str
    amount: float


class ThinFinding(TypedDict):
    kind: Literal["thin"]
    client: str
    tickets: int


Finding = (VolumeFinding | ShareFinding | RoleFinding | NeededUnusedFinding
           | UsedNotNeededFinding | OutsideHoursFinding | UnvaluedCostFinding | ThinFinding)


# -- the document ----------------------------------------------------------------------------

class ProposalFinding(TypedDict):
    """An error `charterc check` would report on the proposed charter."""

    rule: str
    severity: str
    message: str
    line: int
    column: int


class RestoringPrice(TypedDict):
    """The price per unit of a tier that brings a year's recovery back to its target."""

    year: str
    tier: str
    per_unit: float                # as the proposal leaves it
    restores: float                # what brings recovery to the target
    recovery: float                # the year's recovery with the proposal, percent
    target: float


class StaleComment(TypedDict):
    """A comment the proposal keeps on a line whose value it changes (it may state the old
    figure), at its line in the proposed charter."""

    line: int
    comment: str


class ProposalCheck(TypedDict):
    """The proposal checked like any charter (spec section 10.2)."""

    checked: bool                  # False: the proposal could not be written (`reason`)
    reason: str | None
    findings: list[ProposalFinding]
    restore: list[RestoringPrice]


class ProposalSection(TypedDict):
    reviewed: str                  # the window's last day: the new baseline.reviewed
    clients: dict[str, Proposal]   # the clients with enough tickets
    check: NotRequired[ProposalCheck]
    stale_comments: NotRequired[list[StaleComment]]


class BaselineDocument(TypedDict):
    charter: BaselineCharter
    window: WindowHeader
    tickets: int
    skipped: int
    outages: int | None            # outages of the window (None: no outages file)
    thin_below: int
    roles: Roles
    clients: dict[str, ClientBaseline]
    unvalued_costs: list[UnvaluedCost]
    findings: list[Finding]
    proposal: ProposalSection
