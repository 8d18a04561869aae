"""`charterc report`: the options parsed into a `ReportRequest`, the use case run
(`charterc.report.run_report`), its `ReportRun` printed. See docs/report.md.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import _day, _nonempty_list
from .options import columns, exclude_statuses, input_zone, languages, reading_bar

if TYPE_CHECKING:
    from ..report.run import ReportRequest, ReportRun

__all__ = ["parse_request", "report"]


def _span(period: str | None, first: str | None, last: str | None) -> tuple[date, date]:
    """The period's first and last day, from `--period` or `--from` and `--to`."""
    from ..report import month_period, span_problem
    if (period and (first or last)) or (not period and not (first and last)):
        raise click.UsageError("give --period YYYY-MM, or both --from and --to")
    if period:
        try:
            span = month_period(period, "UTC")
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--period") from exc
        start, end = span.first, span.last
    else:
        assert first is not None and last is not None
        start, end = _day(first, "--from"), _day(last, "--to")
    if end < start:
        raise click.BadParameter(f"--to {end} is before --from {start}", param_hint="--to")
    if problem := span_problem(start, end):
        raise click.BadParameter(problem, param_hint="--period" if period else "--from/--to")
    return start, end


def parse_request(charter: str, tickets: str, outages: str | None, period: str | None,
                  first: str | None, last: str | None, out: str, lang: str, fmt: str,
                  column_names: tuple[str, ...], strict: bool, *, history: str | None = None,
                  profile: str | None = None, input_timezone: str | None = None,
                  charter_rev: str | None = None,
                  exclude_status: str | None = None,
                  itsm_sla: str | None = None, max_listed: int = 100) -> ReportRequest:
    """The command's options as a `ReportRequest`; click errors (exit 2) for bad ones."""
    from ..report.run import ReportRequest

    formats, langs = _nonempty_list(fmt, "--format"), languages(lang)
    mapping = columns(column_names)
    start, end = _span(period, first, last)
    zone = input_zone(input_timezone, profile)
    if charter_rev is not None and (not charter_rev.strip() or charter_rev.startswith("-")):
        raise click.BadParameter(f"{charter_rev!r} is not a revision: give auto, a tag, a "
                                 "branch or a commit", param_hint="--charter-rev")
    return ReportRequest(Path(charter), Path(tickets), Path(outages) if outages else None,
                         start, end, Path(out), langs, formats, mapping, strict,
                         Path(history) if history else None, profile, zone, charter_rev,
                         exclude_statuses(exclude_status),
                         Path(itsm_sla) if itsm_sla else None, max_listed or None)


def _print(run: ReportRun) -> None:
    from ..render.findings import reporter
    from ..render.findings.text import format_diagnostic

    for warning in run.warnings:
        click.echo(f"charterc report: {warning}", err=True)
    if run.findings is not None:
        click.echo(reporter("text")(run.findings, color=False), nl=False)
    report = run.report
    if report is not None:
        for d in [*report.diagnostics, *report.warnings]:
            click.echo(format_diagnostic(d, None) + "\n")
        if report.skipped:
            listed = len(report.diagnostics)
            more = f" (the first {listed} listed)" if listed < report.skipped else ""
            click.echo(f"{report.skipped} row{'' if report.skipped == 1 else 's'} "
                       f"skipped{more}")
        if not report.ok:
            click.echo("no report written", err=True)
    if run.problem is not None:
        click.echo(f"charterc report: {run.problem}", err=True)
    elif run.folder is not None:
        click.echo(f"wrote {len(run.written)} file(s) in {run.folder}")


def report(request: ReportRequest) -> int:
    """Run the report, print what it did; the exit status (0 written, 1 findings, 2
    cannot)."""
    from ..report.run import run_report

    with reading_bar(request.tickets) as progress:
        run = run_report(request, progress=progress)
    _print(run)
    return run.exit_code
