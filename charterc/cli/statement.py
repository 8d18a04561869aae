"""`charterc statement`: the options parsed into a `StatementRequest`, the use case run
(`charterc.statement.run_statement`), its `StatementRun` printed. See docs/statement.md.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import _day, _nonempty_list
from .options import columns, exclude_statuses, input_zone, languages

if TYPE_CHECKING:
    from ..statement.run import StatementRequest, StatementRun

__all__ = ["parse_request", "statement"]


def _span(period: str | None, first: str | None, last: str | None) -> tuple[date, date, str]:
    from ..statement.run import PeriodError, parse_period
    if (period and (first or last)) or (not period and not (first and last)):
        raise click.UsageError("give --period (2026, 2026-Q2 or 2026-06), or both --from "
                               "and --to")
    if period:
        try:
            return parse_period(period)
        except PeriodError as exc:
            raise click.BadParameter(str(exc), param_hint="--period") from None
    assert first is not None and last is not None
    start, end = _day(first, "--from"), _day(last, "--to")
    if end < start:
        raise click.BadParameter(f"--to {end} is before --from {start}", param_hint="--to")
    return start, end, f"{start.isoformat()}--{end.isoformat()}"


def parse_request(client: str, charters: tuple[str, ...], period: str | None,
                  first: str | None, last: str | None, tickets: tuple[str, ...],
                  outages: tuple[str, ...], history: tuple[str, ...], out: str, lang: str,
                  fmt: str,
                  column_names: tuple[str, ...], profile: str | None,
                  input_timezone: str | None, today: date | None,
                  exclude_status: str | None = None) -> StatementRequest:
    from ..statement.run import StatementRequest
    from ..statement.usage import parse

    if not client.strip():
        raise click.BadParameter("the client is empty: give its id, name or alias",
                                 param_hint="CLIENT")
    start, end, label = _span(period, first, last)
    year = start.year if period and label.isdigit() else None
    return StatementRequest(
        client=client, charters=[Path(c) for c in charters or ("charters",)], start=start,
        end=end, label=label, out=Path(out), langs=languages(lang),
        formats=_nonempty_list(fmt, "--format"), tickets=[parse(t) for t in tickets],
        outages=[parse(o) for o in outages], history=[parse(h) for h in history],
        columns=columns(column_names),
        profile=profile, input_timezone=input_zone(input_timezone, profile), today=today,
        year=year,
        exclude_status=exclude_statuses(exclude_status))


def _print(run: StatementRun) -> None:
    from ..render.findings import reporter
    from ..render.findings.text import format_diagnostic

    for warning in run.warnings:
        click.echo(f"charterc statement: {warning}", err=True)
    if run.findings is not None:
        click.echo(reporter("text")(run.findings, color=False), nl=False)
        click.echo("no statement written: the charters have errors", err=True)
    for d in run.diagnostics:
        click.echo(format_diagnostic(d, None) + "\n")
    if run.failed:
        click.echo("no statement written: a usage file could not be read", err=True)
    if run.problem is not None:
        click.echo(f"charterc statement: {run.problem}", err=True)
    elif run.folder is not None:
        click.echo(f"wrote {len(run.written)} file(s) in {run.folder}")


def statement(request: StatementRequest) -> int:
    """Run the statement, print what it did; the exit status (0 written, 1 findings,
    2 cannot)."""
    from ..statement.run import run_statement
    run = run_statement(request)
    _print(run)
    return run.exit_code
