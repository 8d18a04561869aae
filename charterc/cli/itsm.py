"""`charterc export --target` and `charterc drift`: the charter into the ITSM, and back."""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

from ..exits import EXIT_USAGE
from ..render.findings import REPORTERS, visible

if TYPE_CHECKING:
    from ..export.itsm import Options

_TARGETS = ("servicenow", "jsm", "zendesk")
_STATUS_MAP_HELP = ("A pause_on status and the tool's value for it, e.g. "
                    "awaiting-customer=state=3^hold_reason=1 (ServiceNow encoded query), "
                    "\"awaiting-customer=Waiting for customer\" (JSM status), "
                    "awaiting-customer=pending (Zendesk status); comma-separated, repeatable. "
                    "Defaults for a stock instance: docs/itsm.md.")
_ORGANIZATION_HELP = ("CLIENT=ID: the Zendesk organization id of a client (id or name), for "
                      "the SLA policies' filters; repeatable. Without it the filter names "
                      "the client.")


def _options(status_map: tuple[str, ...], organizations: tuple[str, ...]) -> Options:
    from ..export.itsm import OptionError, Options
    from ..export.itsm import status_map as parse_map
    try:
        found = {}
        for value in organizations:
            client, sep, ident = value.partition("=")
            if not sep or not client.strip() or not ident.strip():
                raise OptionError(f"--organization: {value!r} is not CLIENT=ID")
            found[client.strip()] = ident.strip()
        return Options(parse_map(list(status_map)), found)
    except OptionError as exc:
        raise click.UsageError(str(exc)) from None


@click.command("export")
@click.argument("charters", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--target", "target", required=True, type=click.Choice(_TARGETS),
              help="The ITSM whose configuration to write.")
@click.option("-o", "--output", "out", required=True, type=click.Path(file_okay=False),
              help="Folder: writes OUT/<charter>/<target>/...")
@click.option("--status-map", "status_map", multiple=True, metavar="STATUS=VALUE,...",
              help=_STATUS_MAP_HELP)
@click.option("--organization", "organizations", multiple=True, metavar="CLIENT=ID",
              help=_ORGANIZATION_HELP)
@click.option("--today", metavar="YYYY-MM-DD", help="The date the checks use.")
def export_command(charters: tuple[str, ...], target: str, out: str,
                   status_map: tuple[str, ...], organizations: tuple[str, ...],
                   today: str | None) -> None:
    """Write the charters' SLAs, support hours, holidays and pauses as an ITSM's configuration.

    ServiceNow: an XML unload for "Import XML". JSM: the SLA configuration JSON and an
    administrator's sheet. Zendesk: the Support API bodies of schedules, holidays and SLA
    policies. The charter is checked first; one with errors is not exported (exit 1).
    See docs/itsm.md.
    """
    from ..export.itsm import OptionError
    from ..export.itsm.run import export
    from ..publish.files import WriteProblem, write_all
    from ..render.findings import reporter
    from . import _today

    options = _options(status_map, organizations)
    try:
        run = export(list(charters), target, options, _today(today))
    except OptionError as exc:
        raise click.UsageError(str(exc)) from None
    if run.check.exit_code() != 0:
        click.echo(reporter("text")(run.check, color=False), nl=False)
        sys.exit(run.check.exit_code())
    for line in run.warnings:
        click.echo(f"charterc export: warning: {visible(line)}", err=True)
    try:
        write_all({os.path.join(out, name): data for name, data in sorted(run.files.items())})
    except WriteProblem as exc:
        click.echo(f"charterc export: {visible(str(exc))}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"wrote {len(run.files)} file(s) for {target} in {out}")


@click.command("drift")
@click.argument("charter", type=click.Path(exists=True, dir_okay=False))
@click.option("--servicenow", type=click.Path(exists=True, dir_okay=False),
              help="The ServiceNow unload (XML) of the SLA definitions and schedules.")
@click.option("--jsm", type=click.Path(exists=True, dir_okay=False),
              help="The Jira Service Management SLA configuration (JSON).")
@click.option("--zendesk", type=click.Path(exists=True, dir_okay=False),
              help="The Zendesk schedules and SLA policies GET responses (JSON).")
@click.option("--format", "fmt", default="text", show_default=True,
              type=click.Choice(sorted(REPORTERS)), help="Output format.")
@click.option("--status-map", "status_map", multiple=True, metavar="STATUS=VALUE,...",
              help=_STATUS_MAP_HELP)
@click.option("--organization", "organizations", multiple=True, metavar="CLIENT=ID",
              help=_ORGANIZATION_HELP)
@click.option("--today", metavar="YYYY-MM-DD", help="The date the checks use.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here.")
def drift_command(charter: str, servicenow: str | None, jsm: str | None, zendesk: str | None,
                  fmt: str, status_map: tuple[str, ...], organizations: tuple[str, ...],
                  today: str | None, output: str | None) -> None:
    """Compare an ITSM's SLA configuration with the charter: each difference is a finding.

    Exit 1 when the ITSM differs from the charter (or the charter has errors), 0 when
    not. Rules I101-I109 (`charterc explain I104`); formats as `charterc check`.
    """
    from ..export.itsm import OptionError
    from ..export.itsm.run import drift
    from ..render.findings import reporter
    from . import _emit, _today

    given = [(name, path) for name, path in (("servicenow", servicenow), ("jsm", jsm),
                                             ("zendesk", zendesk)) if path]
    if len(given) != 1:
        raise click.UsageError("give exactly one of --servicenow FILE, --jsm FILE, "
                               "--zendesk FILE")
    (name, path), = given
    options = _options(status_map, organizations)
    try:
        run = drift(charter, name, path, options, _today(today))
    except OptionError as exc:
        raise click.UsageError(str(exc)) from None
    text = reporter(fmt)(run.result, color=False)
    _emit(text, output, "drift")
    sys.exit(run.result.exit_code())
