"""`charterc baseline`: the options parsed into a `BaselineRequest`, the use case run
(`charterc.baseline.run_baseline`), its `BaselineRun` printed. See docs/baseline.md.
"""
from __future__ import annotations

import calendar
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import _nonempty_list
from .options import columns, exclude_statuses, input_zone, languages, reading_bar

if TYPE_CHECKING:
    from ..baseline.run import BaselineRequest, BaselineRun

__all__ = ["baseline", "parse_request"]


def _month(text: str, hint: str, *, last: bool) -> date:
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        first = date(year, month, 1)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a month (YYYY-MM, e.g. 2026-01)",
                                 param_hint=hint) from None
    return first.replace(day=calendar.monthrange(year, month)[1]) if last else first


def parse_request(charter: str, tickets: str, outages: str | None, first: str, last: str,
                  out: str, lang: str, fmt: str, column_names: tuple[str, ...],
                  write: str | None, profile: str | None,
                  input_timezone: str | None,
                  exclude_status: str | None = None) -> BaselineRequest:
    """The command's options as a `BaselineRequest`; click errors (exit 2) for bad ones."""
    from ..baseline.run import BaselineRequest
    from ..render.formats import OutputRequestError, check_request

    formats = _nonempty_list(fmt, "--format")
    langs = languages(lang)
    try:
        check_request("baseline", formats, langs)
    except OutputRequestError as exc:
        raise click.BadParameter(str(exc), param_hint="--format") from None
    start, end = _month(first, "--from", last=False), _month(last, "--to", last=True)
    if end < start:
        raise click.BadParameter(f"--to {last} is before --from {first}", param_hint="--to")
    from ..report import span_problem
    if problem := span_problem(start, end):
        raise click.BadParameter(problem, param_hint="--from/--to")
    zone = input_zone(input_timezone, profile)
    target = Path(write) if write else None
    if target is not None and target.resolve() == Path(charter).resolve():
        raise click.BadParameter("the proposal is a new file: give another path than the "
                                 "charter's", param_hint="--write")
    syntax = _syntax(Path(charter).name)
    if target is not None and _syntax(target.name) != syntax:
        suffix = ".charter" if syntax == "DSL" else ".charter.yaml"
        raise click.BadParameter(f"the proposal is written in the charter's syntax "
                                 f"({syntax}): name it *{suffix}", param_hint="--write")
    return BaselineRequest(Path(charter), Path(tickets), Path(outages) if outages else None,
                           start, end, Path(out), langs, formats, columns(column_names),
                           target, profile, zone, exclude_statuses(exclude_status))


def _syntax(name: str) -> str:
    return "DSL" if name.endswith(".charter") else "YAML"


def _print(run: BaselineRun, out: Path) -> None:
    from ..render.findings import reporter
    from ..render.findings.text import format_diagnostic

    for warning in run.warnings:
        click.echo(f"charterc baseline: {warning}", err=True)
    if run.findings is not None:
        click.echo(reporter("text")(run.findings, color=False), nl=False)
    for d in run.diagnostics:
        click.echo(format_diagnostic(d, None) + "\n")
    if run.skipped:
        listed = len(run.diagnostics)
        more = f" (the first {listed} listed)" if listed < run.skipped else ""
        click.echo(f"{run.skipped} row{'' if run.skipped == 1 else 's'} skipped{more}")
    if run.unreadable:
        click.echo("no baseline written", err=True)
    if run.problem is not None:
        click.echo(f"charterc baseline: {run.problem}", err=True)
    elif run.result is not None:
        click.echo(f"wrote {len(run.written)} file(s) in "
                   f"{run.written[0].parent if run.written else out}")
        if run.proposal is not None:
            click.echo(f"wrote the proposed charter {run.proposal}")


def baseline(request: BaselineRequest) -> int:
    """Run the baseline, print what it did; the exit status (0 written, 1 charter or file
    errors, 2 cannot)."""
    from ..baseline.run import run_baseline

    with reading_bar(request.tickets) as progress:
        run = run_baseline(request, progress=progress)
    _print(run, request.out)
    return run.exit_code
