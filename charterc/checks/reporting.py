"""Management-reporting rules (M901-M902).

Reports are how clients see that the charter is kept: every client needs
someone to send them to, and every objective needs a system that measures it.
Decisions are in docs/rules/reporting.md.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Severity
from ..diagnostics.rules import problem, rule
from . import CheckContext


@rule("M901", Severity.WARNING)
def client_has_recipient(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A client has no report recipient.

    A client's reports go to its own `reporting.to`, or else to the charter's
    `reporting.to`. With neither, its usage and performance reports reach nobody.
    The finding points at the client's `reporting` block when it has one, else at
    the client.

    Fails:
        reporting: {to: null}

    Passes:
        reporting: {to: null}
        clients:
          - {id: alpha, reporting: {to: [alpha-it@example.com]}}
          - {id: beta, reporting: {to: [beta-it@example.com]}}
    """
    if ctx.charter.reporting_or_default.to:
        return
    for client in ctx.charter.clients:
        if ctx.charter.report_recipients(client):
            continue
        pointer = client.reporting.pointer if client.reporting else client.pointer
        yield problem(pointer,
                      f"client {client.id} has no report recipient: neither its own "
                      f"reporting.to nor the charter's reporting.to names one",
                      f"add reporting: {{to: [...]}} to client {client.id}, or a charter-level "
                      f"reporting.to")


@rule("M902", Severity.WARNING)
def objective_is_measured(ctx: CheckContext) -> Iterator[Diagnostic]:
    """An objective has no measurement source (`measured_by`).

    Without the system that measures it, an objective cannot be reported or its
    credits computed. One finding per objective (availability, response,
    resolution) of each tier.

    Fails:
        tiers:
          - {id: standard, objectives: {response: {measured_by: null}}}

    Passes:
        tiers:
          - {id: standard, objectives: {response: {measured_by: itsm}}}
    """
    for tier in ctx.charter.tiers:
        for objective in tier.objectives:
            if not objective.measured_by:
                yield problem(objective.pointer,
                              f"tier {tier.id}'s {objective.kind} objective has no measured_by: "
                              f"it cannot be reported",
                              "name the system that measures it, e.g. measured_by: itsm")
