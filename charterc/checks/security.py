"""Security and data-protection rules (D801-D806).

One environment holds every client's data, so the charter-level `security`
block must be at least as strong as the most demanding client: the highest
classification, every regulatory regime, GDPR's transfer and breach rules,
isolation between sensitive clients, and the terms a processor owes a
controller of personal data. Decisions are in docs/rules/security.md.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Severity
from ..diagnostics.rules import problem, rule
from ..model.charter import CLASSIFICATIONS, Charter, Client
from . import CheckContext

GDPR = "gdpr"
GDPR_DEADLINE_MINUTES = 72 * 60   # Art. 33: the controller notifies the authority within 72h
CONTROLLER_MARGIN_MINUTES = 48 * 60  # leave the controller a day of the 72h
SENSITIVE = ("confidential", "restricted")


def _rank(classification: str) -> int:
    return CLASSIFICATIONS.index(classification)


def _under_gdpr(client: Client) -> bool:
    """Personal data whose client names GDPR among its regimes (matched case-insensitively)."""
    return client.personal and any(r.casefold() == GDPR for r in client.regimes)


def _gdpr_clients(charter: Charter) -> list[Client]:
    return [c for c in charter.clients if _under_gdpr(c)]


def _names(clients: list[Client]) -> str:
    return ", ".join(c.id for c in clients)


def _holds(clients: list[Client], what: str) -> str:
    verb = "holds" if len(clients) == 1 else "hold"
    noun = "client" if len(clients) == 1 else "clients"
    return f"{noun} {_names(clients)} {verb} {what}"


@rule("D801", Severity.ERROR)
def classification_within_environment(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A client's data is classified above what the environment may hold.

    `security.classification` is the most sensitive data the shared environment
    is run for (public < internal < confidential < restricted). A client whose
    `data.classification` is higher puts data where the controls are too weak.

    Fails:
        clients:
          - {id: beta, data: {classification: restricted}}

    Passes:
        clients:
          - {id: beta, data: {classification: confidential}}
    """
    ceiling = ctx.charter.security.classification
    for client in ctx.charter.clients:
        if client.classification and _rank(client.classification) > _rank(ceiling):
            yield problem(
                f"{client.pointer}/data/classification",
                f"client {client.id} holds {client.classification} data, above the "
                f"environment's classification {ceiling} "
                f"(public < internal < confidential < restricted)",
                f"raise security.classification to {client.classification} with the controls "
                f"it needs, or serve client {client.id} from another environment")


@rule("D802", Severity.ERROR)
def regimes_controlled(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A client's regulatory regimes are not all among the environment's controls.

    Every regime a client is under (`data.regimes`: GDPR, SOX, HIPAA, ...) must be
    listed in `security.controls`, the regimes and frameworks the provider
    actually operates. Names match case-insensitively. One finding per client,
    naming every missing regime, at the first of them.

    Fails:
        clients:
          - {id: beta, data: {regimes: [GDPR, HIPAA]}}

    Passes:
        clients:
          - {id: beta, data: {regimes: [GDPR, HIPAA]}}
        security: {controls: [GDPR, HIPAA]}
    """
    controls = {c.casefold() for c in ctx.charter.security.controls}
    listed = ", ".join(ctx.charter.security.controls) or "none"
    for client in ctx.charter.clients:
        missing = [(k, r) for k, r in enumerate(client.regimes) if r.casefold() not in controls]
        if missing:
            names = ", ".join(r for _, r in missing)
            yield problem(
                f"{client.pointer}/data/regimes/{missing[0][0]}",
                f"client {client.id} is under {names}, not in security.controls ({listed})",
                f"add {names} to security.controls once the controls are in place, "
                f"or serve client {client.id} from an environment that has them")


def _outside_adequate(code: str) -> list[str]:
    """The countries of a residency entry or sub-processor country that are not ADEQUATE."""
    from ..model.regions import ADEQUATE, expand_region
    try:
        return sorted(expand_region(code) - ADEQUATE)
    except ValueError:
        return []  # not a region: the schema reports it


@rule("D803", Severity.ERROR)
def gdpr_transfers(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Personal data under GDPR may leave the adequate countries with no transfer mechanism.

    When a client holds personal data under GDPR, every residency region and
    every sub-processor country must be within `ADEQUATE` (the EEA and the
    countries with a full EU adequacy decision), or `transfers` must name the
    mechanism (`scc`, `bcr`, or `adequacy` for partial decisions such as the
    US Data Privacy Framework). One finding per offending residency entry or
    sub-processor, naming the clients concerned.

    Fails:
        security:
          subprocessors: [{name: Example Hosting, country: DE}, {name: Cloud Inc, country: US}]

    Passes:
        security:
          subprocessors: [{name: Example Hosting, country: DE}, {name: Cloud Inc, country: US}]
          transfers: scc
    """
    security = ctx.charter.security
    clients = _gdpr_clients(ctx.charter)
    if not clients or security.transfers != "none":
        return
    concerned = _holds(clients, "personal data under GDPR")
    hint = ("set security.transfers to scc, bcr or adequacy (the mechanism in place), "
            "or keep the data within ADEQUATE countries")
    for k, region in enumerate(security.residency):
        if outside := _outside_adequate(region):
            where = region if outside == [region] else f"{region} ({', '.join(outside)})"
            yield problem(f"{security.pointer}/residency/{k}",
                          f"residency includes {where}, outside ADEQUATE, and transfers is none; "
                          f"{concerned}", hint)
    for sub in security.subprocessors or ():
        country = sub.country
        if country and _outside_adequate(country):
            yield problem(f"{sub.pointer}/country",
                          f"sub-processor {sub.name or country} is in {country}, outside "
                          f"ADEQUATE, and transfers is none; {concerned}", hint)


@rule("D804", Severity.ERROR)
def breach_notification_in_time(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Breach notification too slow for GDPR personal data.

    A controller must notify its supervisory authority within 72 hours of
    becoming aware of a breach (GDPR Art. 33), and it learns of a breach in
    the shared environment only when the provider tells it. A notification
    term strictly over 72h (or none at all) is an error; strictly over 48h is
    a warning: the controller is left less than a day to act. Durations are
    wall-clock time (`3d` is 72h).

    Fails:
        security: {breach_notification: 4d}

    Passes:
        security: {breach_notification: 24h}
    """
    clients = _gdpr_clients(ctx.charter)
    if not clients:
        return
    security = ctx.charter.security
    concerned = _holds(clients, "personal data under GDPR")
    notice = security.breach_notification
    if notice is None:
        yield problem(security.pointer,
                      f"no breach_notification term, and {concerned}: GDPR requires the "
                      f"controller to notify the authority within 72h",
                      "state security.breach_notification, at most 48h (e.g. 24h)")
        return
    written = notice.text
    pointer = f"{security.pointer}/breach_notification"
    minutes = notice.calendar_minutes
    if minutes > GDPR_DEADLINE_MINUTES:
        yield problem(pointer,
                      f"breach notification {written} is over 72h, the GDPR deadline for the "
                      f"controller to notify the authority; {concerned}",
                      "commit to notify within 48h at most (e.g. 24h)")
    elif minutes > CONTROLLER_MARGIN_MINUTES:
        left = _hours(GDPR_DEADLINE_MINUTES - minutes)
        yield problem(pointer,
                      f"breach notification {written} is over 48h: it leaves the controller "
                      f"{left} of the 72h GDPR deadline; {concerned}",
                      "commit to notify within 48h at most (e.g. 24h)",
                      severity=Severity.WARNING)


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours}h{rest:02d}m" if rest else f"{hours}h"


@rule("D805", Severity.ERROR)
def isolation_for_sensitive_data(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Sensitive data of several clients shares an environment without isolation.

    Two or more clients with confidential or restricted data and
    `isolation: none` is an error: any client may reach another's data.
    Restricted data with isolation below `physical` is a warning. When the
    error is reported the warning is not repeated at the same place.

    Fails:
        security: {isolation: none}
        clients:
          - {id: alpha, data: {classification: confidential}}

    Passes:
        security: {isolation: physical}
        clients:
          - {id: alpha, data: {classification: confidential}}
    """
    security = ctx.charter.security
    pointer = f"{security.pointer}/isolation"
    sensitive = [c for c in ctx.charter.clients if c.classification in SENSITIVE]
    if len(sensitive) >= 2 and security.isolation == "none":
        yield problem(pointer,
                      f"{len(sensitive)} clients hold confidential or restricted data "
                      f"({_names(sensitive)}) with isolation none",
                      "isolate client data: isolation logical at least, "
                      "physical for restricted data")
        return
    restricted = [c for c in sensitive if c.classification == "restricted"]
    if restricted and security.isolation != "physical":
        yield problem(pointer,
                      f"{_holds(restricted, 'restricted data')} with isolation "
                      f"{security.isolation}, below physical",
                      "isolate restricted data physically (isolation: physical)",
                      severity=Severity.WARNING)


@rule("D806", Severity.WARNING)
def personal_data_terms(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Personal data without a sub-processor list, a retention period or exit terms.

    A processor of personal data owes its controllers the list of its
    sub-processors and what happens to the data after use and on termination
    (GDPR Art. 28). An empty `subprocessors: []` is a list (none are used); an
    absent one is not. `exit` needs at least one of `return` and `delete`.

    Fails:
        security: {retention: null, exit: null}

    Passes:
        security: {retention: 30d, exit: {return: 30d, delete: 60d}}
    """
    personal = [c for c in ctx.charter.clients if c.personal]
    if not personal:
        return
    security = ctx.charter.security
    missing = []
    if security.subprocessors is None:
        missing.append("a sub-processor list (subprocessors)")
    if security.retention is None:
        missing.append("a retention period (retention)")
    if security.exit is None or (security.exit.return_within is None
                                 and security.exit.delete_within is None):
        missing.append("exit terms (exit: return, delete)")
    if missing:
        listed = missing[0] if len(missing) == 1 else \
            f"{', '.join(missing[:-1])} and {missing[-1]}"
        yield problem(security.pointer,
                      f"{_holds(personal, 'personal data')}, but security lacks {listed}",
                      "state the sub-processors (an empty list if none), how long data is "
                      "kept after use, and when it is returned and deleted on termination")
