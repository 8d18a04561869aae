"""`charterc baseline`: the options read first (`parse_request`), then `run_baseline`.

Checks the charter as at the window's last day, compares the tickets with it
(`charterc.baseline.compare`), writes the report files and, with `--write`, the
proposed charter. See docs/baseline.md.
"""
from __future__ import annotations

import calendar
import contextlib
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, _nonempty_list
from .report import _columns, _input_zone, _is_review, _languages

if TYPE_CHECKING:
    from ..baseline import Baseline
    from ..pipeline import FileResult

__all__ = ["BaselineRequest", "parse_request", "run_baseline"]

FORMATS = ("json", "md", "html")


@dataclass(frozen=True)
class BaselineRequest:
    """What `charterc baseline` was asked to do, every option read and checked."""

    charter: Path
    tickets: Path
    outages: Path | None
    start: date              # first day of the window's first month
    end: date                # last day of the window's last month
    out: Path
    langs: list[str]
    formats: list[str]
    columns: dict[str, str]
    write: Path | None = None
    profile: str | None = None
    input_timezone: str | None = None


def _month(text: str, hint: str, *, last: bool) -> date:
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        first = date(year, month, 1)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a month (YYYY-MM, e.g. 2026-01)",
                                 param_hint=hint) from None
    return first.replace(day=calendar.monthrange(year, month)[1]) if last else first


def parse_request(charter: str, tickets: str, outages: str | None, first: str, last: str,
                  out: str, lang: str, fmt: str, columns: tuple[str, ...],
                  write: str | None, profile: str | None,
                  input_timezone: str | None) -> BaselineRequest:
    """The command's options as a `BaselineRequest`; click errors (exit 2) for bad ones."""
    formats = _nonempty_list(fmt, "--format")
    for name in formats:
        if name not in FORMATS:
            raise click.BadParameter(f"unknown format {name!r} (expected "
                                     f"{', '.join(FORMATS)})", param_hint="--format")
    langs = _languages(lang)
    start, end = _month(first, "--from", last=False), _month(last, "--to", last=True)
    if end < start:
        raise click.BadParameter(f"--to {last} is before --from {first}", param_hint="--to")
    from ..report import span_problem
    if problem := span_problem(start, end):
        raise click.BadParameter(problem, param_hint="--from/--to")
    zone = _input_zone(input_timezone, profile)
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
                           start, end, Path(out), langs, formats, _columns(columns), target,
                           profile, zone)


def _syntax(name: str) -> str:
    return "DSL" if name.endswith(".charter") else "YAML"


def _fail(message: str) -> int:
    click.echo(f"charterc baseline: {message}", err=True)
    return EXIT_USAGE


def _checked(request: BaselineRequest) -> FileResult | None:
    """The charter through the front end as at the window's last day (review dates judged
    then do not stop it); None, its findings printed, when it has errors."""
    from ..loaders import load_path
    from ..pipeline import CheckOptions, PortfolioResult, check_loaded, display_path
    from .formats import reporter

    loaded = load_path(request.charter, display=display_path(request.charter))
    checked = check_loaded(loaded, CheckOptions(today=request.end))
    checked.diagnostics = [d for d in checked.diagnostics if not _is_review(d)]
    result = PortfolioResult([checked])
    if result.exit_code() or checked.charter is None:
        click.echo(reporter("text")(result, color=False), nl=False)
        return None
    return checked


def _compare(request: BaselineRequest, checked: FileResult) -> Baseline:
    from ..baseline import compare
    from ..pipeline import display_path
    from ..report.profiles import profile

    assert checked.charter is not None
    size = request.tickets.stat().st_size
    bar = click.progressbar(length=size, label="reading tickets", file=sys.stderr) \
        if sys.stderr.isatty() and size > 8 << 20 else None
    with bar if bar is not None else contextlib.nullcontext():
        return compare(
            checked.charter, tickets=request.tickets, start=request.start, end=request.end,
            tickets_display=display_path(request.tickets), outages=request.outages,
            outages_display=display_path(request.outages) if request.outages else None,
            columns=request.columns, profile=profile(request.profile),
            input_timezone=request.input_timezone, progress=bar.update if bar else None,
            file=checked.loaded.file)


def run_baseline(request: BaselineRequest) -> int:
    """Check, compare, write; the exit status (0 written, 1 charter or file errors, 2 cannot)."""
    from ..baseline import BaselineError, write_baseline
    from ..baseline.propose import ProposalError, propose
    from ..publish.files import write_atomic
    from .formats.text import format_diagnostic

    if "html" in request.formats:
        from ..baseline.render import charts_unavailable
        if hint := charts_unavailable():
            click.echo(f"charterc baseline: warning: {hint}; the HTML report is written "
                       "without charts", err=True)
    checked = _checked(request)
    if checked is None or checked.charter is None:
        return EXIT_FINDINGS
    try:
        result = _compare(request, checked)
    except BaselineError as exc:
        for d in exc.diagnostics:
            click.echo(format_diagnostic(d, None) + "\n")
        click.echo("no baseline written", err=True)
        return EXIT_FINDINGS
    for d in result.diagnostics:
        click.echo(format_diagnostic(d, None) + "\n")
    if result.skipped:
        listed = len(result.diagnostics)
        more = f" (the first {listed} listed)" if listed < result.skipped else ""
        click.echo(f"{result.skipped} row{'' if result.skipped == 1 else 's'} skipped{more}")
    proposal = None
    if request.write is not None:
        try:
            proposal = propose(checked.loaded, result, request.charter)
        except ProposalError as exc:
            return _fail(f"--write: {exc}")
    try:
        written = write_baseline(result, request.out, request.langs, request.formats)
        if proposal is not None and request.write is not None:
            write_atomic(request.write, proposal.encode("utf-8"))
    except OSError as exc:
        return _fail(f"cannot write: {exc}")
    click.echo(f"wrote {len(written)} file(s) in {written[0].parent if written else request.out}")
    if request.write is not None:
        click.echo(f"wrote the proposed charter {request.write}")
    return EXIT_CLEAN
