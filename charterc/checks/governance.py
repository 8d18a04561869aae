"""Governance and baseline checks (G701-G710): who steers, when needs were last reviewed,
and whether the agreements can be signed and their credits claimed (spec sections 8, 8.2).

Roles come from the projected shares of spec section 4 (`derive.Facts.primary`);
dates are compared with the run's "today" (`--today`), never the clock, so that
a check gives the same answer in CI tomorrow.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

from ..diagnostics import Diagnostic, Severity
from ..diagnostics.rules import problem, rule
from ..model.values import Period, add_period, fmt_percent
from . import CheckContext

DUE_SOON = timedelta(days=30)         # G703 warns this long before the review is due
LONGEST_EVERY_MONTHS = 24             # G705
# G708: the length of a reporting period in days. A month counts 30 days (so the default
# 30d claim window fits the default monthly reports), a quarter 90, a year 365; a claim
# window in months counts 30 days a month.
CADENCE_DAYS = {"weekly": 7, "monthly": 30, "quarterly": 90, "yearly": 365}


def _largest(ctx: CheckContext, year: int) -> list[tuple[Decimal, str]]:
    """(share, client id) of the clients with the largest projected share in `year`."""
    shares = [(share, cid) for cid, s in ctx.facts.projected_share.items()
              if (share := s[year - 1]) is not None]
    if not shares:
        return []
    top = max(share for share, _ in shares)
    return sorted(((s, cid) for s, cid in shares if s == top), key=lambda pair: pair[1])


def _role(ctx: CheckContext, year: int) -> str:
    """`finance (57.3%)` or `no primary client (largest share: hr 43.5%)`."""
    primary = ctx.facts.primary[year - 1]
    if primary is not None:
        share = ctx.facts.projected_share[primary][year - 1]
        assert share is not None, "a primary client is chosen by its share"
        return f"{primary} ({fmt_percent(share)})"
    largest = _largest(ctx, year)
    if not largest:
        return "no primary client (no share is stated or derivable)"
    if len(largest) > 1:
        return (f"no primary client ({' and '.join(cid for _, cid in largest)} tie at "
                f"{fmt_percent(largest[0][0])})")
    top, cid = largest[0]
    return f"no primary client (largest share: {cid} {fmt_percent(top)})"


def _client_pointer(ctx: CheckContext, client_id: str, tail: str = "") -> str:
    return next(c.pointer for c in ctx.charter.clients if c.id == client_id) + tail


@rule("G701", Severity.WARNING)
def approval_matches_roles(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Approval should follow the roles: `primary` exactly when a client is primary.

    In year 1 the client with the largest share is primary when that share
    reaches `governance.primary_threshold` (a tie means none). A primary client
    steers the service, so `approval` should be `primary` (warning otherwise);
    `approval: primary` with no primary client names nobody to approve (error).

    Fails:
      governance: {approval: primary}

    Passes:
      governance: {approval: majority}
    """
    charter, facts = ctx.charter, ctx.facts
    primary = facts.primary[0] if facts.years else None
    governance = charter.governance_or_default
    stated = governance.approval is not None
    approval = governance.approval_or_default
    threshold = fmt_percent(governance.primary_threshold_or_default.value, 2)
    if primary is not None and approval != "primary":
        yield problem(
            "/governance/approval" if stated else _client_pointer(ctx, primary),
            f"{_role(ctx, 1)} is the primary client in {facts.label(1)} (threshold {threshold}) "
            f"but approval is {approval}",
            "set governance.approval: primary so that the client that steers the service "
            "approves its changes")
    elif primary is None and approval == "primary":
        yield problem(
            "/governance/approval",
            f"approval is primary but there is {_role(ctx, 1)} in {facts.label(1)} "
            f"(threshold {threshold})",
            "choose majority, all or provider approval, or revise the shares or the threshold",
            severity=Severity.ERROR)


@rule("G702", Severity.WARNING)
def roles_stable(ctx: CheckContext) -> Iterator[Diagnostic]:
    """The primary client, or its absence, should not change in years 2 and 3.

    Spec question 4: will the mix change in one or two years? When the primary
    client of year 2 or 3 differs from year 1 (another client, or none), the
    governance agreed today will not fit then. One finding, naming each year
    that differs; it points at the volume growth of the year-1 primary client
    (or of the client that becomes primary).

    Fails:
      clients:
        - {id: alpha, volume: {units: 1100, growth: -20%}}

    Passes:
      clients:
        - {id: alpha, volume: {units: 1100, growth: 0%}}
      governance: {approval: primary}
    """
    facts = ctx.facts
    changed = [y for y in (2, 3) if y in facts.years and facts.primary[y - 1] != facts.primary[0]]
    if not changed:
        return
    # the roles differ, so one of the two years has a primary client
    who = next(p for p in (facts.primary[0], facts.primary[changed[0] - 1]) if p)
    later = "; ".join(f"{_role(ctx, y)} in {facts.label(y)}" for y in changed)
    yield problem(
        _client_pointer(ctx, who, "/volume/growth"),
        f"the primary client changes: {_role(ctx, 1)} in {facts.label(1)}, then {later}",
        "plan the change of roles (approval, reporting) now, or revise the volumes")


@rule("G703", Severity.ERROR)
def baseline_review_due(ctx: CheckContext) -> Iterator[Diagnostic]:
    """The baseline review must not be overdue.

    The next review is due `baseline.reviewed + baseline.every` (default
    12mo). Before today it is overdue (error); due within 30 days it is a
    warning. A charter with no `baseline.reviewed` gets an info finding: it
    cannot say when needs were last re-baselined.

    Fails:
      baseline: {reviewed: 2025-05-01, every: 12mo}

    Passes:
      baseline: {reviewed: 2026-01-15, every: 12mo}
    """
    baseline, today = ctx.charter.baseline, ctx.today
    if baseline is None or baseline.reviewed is None:
        yield problem(
            "/baseline",
            "the charter records no baseline review (baseline.reviewed): when were the "
            "clients' needs last re-baselined?",
            "review the needs with the clients and record the date in baseline.reviewed",
            severity=Severity.INFO)
        return
    every = baseline.every_or_default
    due = add_period(baseline.reviewed, every)
    said = f"reviewed {baseline.reviewed.isoformat()} every {every.text}"
    if due < today:
        days = (today - due).days
        yield problem(
            "/baseline/reviewed",
            f"baseline review overdue: {said}, due {due.isoformat()}, "
            f"{days} day{'s' if days != 1 else ''} before {today.isoformat()}",
            "review the needs with the clients and update baseline.reviewed")
    elif due - today <= DUE_SOON:
        days = (due - today).days
        when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
        yield problem(
            "/baseline/reviewed",
            f"baseline review due {when}: {said}, due {due.isoformat()}",
            "plan the baseline review with the clients",
            severity=Severity.WARNING)


@rule("G704", Severity.ERROR)
def dates_in_order(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Dates must be in order: no review in the future, a term that ends after it starts.

    `baseline.reviewed` after today records a review that has not happened;
    `period.end`, when given, must be after `period.start`.

    Fails:
      period: {start: 2026-01-01, end: 2025-12-31}

    Passes:
      period: {start: 2026-01-01, end: 2028-12-31}
    """
    charter, today = ctx.charter, ctx.today
    reviewed = charter.baseline.reviewed if charter.baseline else None
    if reviewed is not None and reviewed > today:
        yield problem(
            "/baseline/reviewed",
            f"baseline reviewed {reviewed.isoformat()} is after today "
            f"({today.isoformat()})",
            "record the date of the last review that took place")
    term = charter.period
    if term.end is not None and term.end <= term.start:
        yield problem(
            "/period/end",
            f"period ends {term.end.isoformat()}, not after its start "
            f"{term.start.isoformat()}",
            "correct period.start or period.end")


@rule("G705", Severity.WARNING)
def review_interval(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Baselines should be reviewed at least every 24 months.

    Needs drift; an interval longer than two years lets a charter promise
    what no client needs any more. Days count as 1/30.4375 of a month.

    Fails:
      baseline: {every: 30mo}

    Passes:
      baseline: {every: 24mo}
    """
    every = ctx.charter.baseline.every if ctx.charter.baseline else None
    if every is not None and every.approx_months > LONGEST_EVERY_MONTHS:
        yield problem(
            "/baseline/every",
            f"baseline review interval {every.text} is longer than "
            f"{LONGEST_EVERY_MONTHS} months",
            "review the baseline at least every 24mo")


@rule("G707", Severity.WARNING)
def client_signatory_named(ctx: CheckContext) -> Iterator[Diagnostic]:
    """An active charter should name who signs for each client.

    Each client agreement ends with a signature for every party; a client
    without a `signatory` signs on blank lines, and nobody is answerable for
    accepting the agreement. Drafts and retired charters are not judged.

    Fails:
      clients:
        - {id: alpha, signatory: null}

    Passes:
      clients:
        - {id: alpha, signatory: {name: Alex Martin, role: Chief Financial Officer}}
    """
    charter = ctx.charter
    if charter.metadata.status != "active":
        return
    for client in charter.clients:
        if client.signatory is None:
            yield problem(
                client.pointer,
                f"client {client.id} has no signatory: its agreement of the active "
                f"charter {charter.id} names nobody to sign for {client.name}",
                "add signatory: {name: ..., role: ...} to the client")


def _days(value: Period) -> int:
    return value.months * 30 + value.days


@rule("G708", Severity.WARNING)
def claim_window_covers_reports(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Service credits should be claimable after the client's report arrives.

    `terms.credits.claim_within` (default 30d) runs from the end of the
    measurement window; a client reported less often (its reporting cadence,
    else the charter's, default monthly) learns of a breach after its claim
    has lapsed. A month counts 30 days, a quarter 90, a year 365.

    Fails:
      terms: {credits: {claim_within: 30d}}
      reporting: {cadence: quarterly}

    Passes:
      terms: {credits: {claim_within: 90d}}
      reporting: {cadence: quarterly}
    """
    charter = ctx.charter
    terms = charter.terms_or_default
    credits = terms.credits_or_default
    window = credits.claim_within_or_default
    for client in charter.clients:
        cadence = charter.report_cadence(client)
        if _days(window) >= CADENCE_DAYS[cadence]:
            continue
        own = client.reporting is not None and client.reporting.cadence is not None
        if own:
            pointer = f"{client.pointer}/reporting/cadence"
        elif credits.claim_within is not None:
            pointer = "/terms/credits/claim_within"
        elif charter.reporting is not None and charter.reporting.cadence is not None:
            pointer = "/reporting/cadence"
        else:
            pointer = client.pointer
        stated = "" if credits.claim_within is not None else " (the default)"
        yield problem(
            pointer,
            f"credits must be claimed within {window.text}{stated} but client {client.id} "
            f"is reported {cadence}: it learns of a missed objective after its claim lapsed",
            f"set terms.credits.claim_within to at least {CADENCE_DAYS[cadence]}d, "
            "or report to the client more often")


@rule("G709", Severity.WARNING)
def different_signatories(ctx: CheckContext) -> Iterator[Diagnostic]:
    """The same person should not sign for the provider and for a client.

    An agreement binds two parties; one person signing on both sides (a
    provider signatory in `metadata.signatories` whose name, ignoring case and
    spacing, is a client's `signatory`, or a charter signatory for the clients)
    leaves the client without anyone answerable on its side.

    Fails:
      metadata: {signatories: [{name: Alex Martin, role: CFO, party: provider}]}
      clients:
        - {id: alpha, signatory: {name: alex martin, role: CFO}}

    Passes:
      metadata: {signatories: [{name: Alex Martin, role: CFO, party: provider}]}
      clients:
        - {id: alpha, signatory: {name: Sam Roux, role: Finance Director}}
    """
    charter = ctx.charter
    signers = charter.metadata.signatories

    def key(name: str) -> str:
        return " ".join(name.split()).casefold()

    provider = {key(s.name): s for s in signers if s.party_or_default == "provider"}
    if not provider:
        return
    for index, signer in enumerate(signers):
        if signer.party_or_default == "client" and key(signer.name) in provider:
            yield problem(
                f"/metadata/signatories/{index}/name",
                f"{signer.name} signs the charter for the provider and for the clients",
                "name a different person for one of the two sides")
    for client in charter.clients:
        if client.signatory is not None and key(client.signatory.name) in provider:
            yield problem(
                f"{client.pointer}/signatory/name",
                f"{client.signatory.name} signs for the provider and for client {client.id}: "
                f"one person on both sides of its agreement",
                f"name who signs for {client.name}, or another provider signatory")


@rule("G710", Severity.WARNING)
def breach_has_remedy(ctx: CheckContext) -> Iterator[Diagnostic]:
    """An objective at 100% should have credit bands when credits are the sole remedy.

    A response or resolution objective without `attainment` (or at 100%)
    promises every ticket: one late ticket is a breach. When the tier has no
    credit bands on that objective (`tiers[].credits.response` or
    `.resolution`; for availability, `credits.bands`) and
    `terms.credits.remedy` is `sole` (the default), the client can claim
    nothing for it: a breach without a remedy.

    Fails:
      tiers:
        - {id: standard, credits: {response: null}}   # every ticket, no band
      terms: {credits: {remedy: sole}}

    Passes:
      tiers:
        - {id: standard, credits: {response: {bands: [{below: 100%, credit: 5%}]}}}
      terms: {credits: {remedy: sole}}
    """
    charter = ctx.charter
    if charter.terms_or_default.credits_or_default.remedy_or_default != "sole":
        return
    for tier in charter.tiers:
        for objective in tier.objectives:
            if objective.kind == "availability":
                target = objective.target
                if target is None or target.value < 100:
                    continue
            elif objective.attainment_or_default.value < 100:
                continue
            if tier.credits is not None and tier.credits.bands_of(objective.kind):
                continue
            pointer = (f"{objective.pointer}/attainment" if objective.attainment is not None
                       else objective.pointer)
            yield problem(
                pointer,
                f"tier {tier.id} promises {objective.kind} at 100% with no credit band while "
                f"service credits are the sole remedy: one late ticket is a breach the client "
                f"cannot claim for",
                f"set an attainment below 100%, add tiers.credits.{objective.kind} bands, or "
                f"make terms.credits.remedy non-exclusive")
