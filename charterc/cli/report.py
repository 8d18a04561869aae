"""`charterc report`: the command line's request, parsed first, then run.

`parse_request` turns the options into a `ReportRequest` (or a click usage
error); `run_report` checks the charter, measures the usage files, writes the
documents and returns the exit status. See docs/report.md.
"""
from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..diagnostics import Severity
from . import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, _day, _nonempty_list

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic
    from ..loaders import Loaded
    from ..pipeline import FileResult
    from ..report import ReportResult
    from ..report.revision import Revision

__all__ = ["ReportRequest", "parse_request", "run_report"]


@dataclass(frozen=True)
class ReportRequest:
    """What `charterc report` was asked to do, every option read and checked."""

    charter: Path
    tickets: Path
    outages: Path | None
    start: date              # first day of the period, inclusive
    end: date                # last day of the period, inclusive
    out: Path
    langs: list[str]
    formats: list[str]
    columns: dict[str, str]  # canonical column -> the header in the files
    strict: bool
    history: Path | None = None       # status history: pauses (pause_on)
    profile: str | None = None        # servicenow | jira: how the files are written
    input_timezone: str | None = None  # the zone of times without an offset
    charter_rev: str | None = None    # auto | a git revision: the charter in force


def _columns(values: tuple[str, ...]) -> dict[str, str]:
    from ..report import parse_columns
    try:
        return parse_columns(values)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--columns") from exc


def _languages(lang: str) -> list[str]:
    """`--lang`: the languages `build` knows (the same catalogues); any other is a usage error,
    whatever the formats (JSON has no language, but a typo is still a typo)."""
    from ..render.i18n import languages
    langs, known = _nonempty_list(lang, "--lang"), languages()
    for name in langs:
        if name not in known:
            raise click.BadParameter(f"no catalogue for language {name!r}: known languages are "
                                     f"{', '.join(known)}", param_hint="--lang")
    return langs


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


def _input_zone(zone: str | None, profile: str | None) -> str | None:
    """`--input-timezone`: an IANA zone; required with a profile (its times have no offset)."""
    if zone is None:
        if profile is not None:
            raise click.UsageError(f"--profile {profile} reads times written without a UTC "
                                   "offset: give the zone they are in, e.g. "
                                   "--input-timezone Europe/Paris")
        return None
    from ..calendar import zone_problem
    problem = zone_problem(zone)
    if problem:
        raise click.BadParameter(problem, param_hint="--input-timezone")
    return zone


def parse_request(charter: str, tickets: str, outages: str | None, period: str | None,
                  first: str | None, last: str | None, out: str, lang: str, fmt: str,
                  columns: tuple[str, ...], strict: bool, *, history: str | None = None,
                  profile: str | None = None, input_timezone: str | None = None,
                  charter_rev: str | None = None) -> ReportRequest:
    """The command's options as a `ReportRequest`; click errors (exit 2) for bad ones."""
    formats, langs = _nonempty_list(fmt, "--format"), _languages(lang)
    mapping = _columns(columns)
    start, end = _span(period, first, last)
    zone = _input_zone(input_timezone, profile)
    if charter_rev is not None and (not charter_rev.strip() or charter_rev.startswith("-")):
        raise click.BadParameter(f"{charter_rev!r} is not a revision: give auto, a tag, a "
                                 "branch or a commit", param_hint="--charter-rev")
    return ReportRequest(Path(charter), Path(tickets), Path(outages) if outages else None,
                         start, end, Path(out), langs, formats, mapping, strict,
                         Path(history) if history else None, profile, zone, charter_rev)


# -- running it ---------------------------------------------------------------------------

def _fail(message: str) -> int:
    click.echo(f"charterc report: {message}", err=True)
    return EXIT_USAGE


def _warn_without_charts(formats: list[str]) -> None:
    if "html" in formats or "pdf" in formats:
        from ..report.charts import unavailable
        if hint := unavailable():
            click.echo(f"charterc report: warning: {hint}; HTML reports are written without "
                       "charts", err=True)


# The review-date rules; G704 also judges period.end, which stays an error of the charter.
_REVIEW_RULES = frozenset({"G703", "G704"})


def _is_review(d: Diagnostic) -> bool:
    """A review date judged at the period's end: overdue then (G703), or made after it
    (G704 on the baseline). The report shows these; they do not stop it."""
    return (d.rule in _REVIEW_RULES and d.pointer == "/baseline/reviewed"
            and d.severity is Severity.ERROR)


def _period_end(request: ReportRequest) -> int:
    """UTC seconds of the period's end, in the provider's zone of today's file (UTC if it
    cannot be read): the instant `--charter-rev auto` looks back from."""
    from ..loaders import load_path
    from ..report import range_period

    document = load_path(request.charter).document
    provider = document.get("provider") if isinstance(document, dict) else None
    zone = provider.get("timezone") if isinstance(provider, dict) else None
    try:
        return range_period(request.start, request.end, zone if isinstance(zone, str)
                            else "UTC").end
    except (ValueError, LookupError):
        return range_period(request.start, request.end, "UTC").end


def _load(request: ReportRequest) -> tuple[Loaded, Revision | None]:
    """The charter file, or its committed version (`--charter-rev`)."""
    from ..loaders import load_bytes, load_path, loader_for
    from ..pipeline import display_path

    display = display_path(request.charter)
    if request.charter_rev is None:
        return load_path(request.charter, display=display), None
    from ..report.revision import charter_at
    revision = charter_at(request.charter, request.charter_rev, _period_end(request))
    loaded = load_bytes(revision.data, f"{display}@{revision.commit[:12]}",
                        loader=loader_for(request.charter.name))
    return loaded, revision


def _checked(request: ReportRequest) -> tuple[FileResult | None, list[str], Revision | None]:
    """The charter through the front end, as at the period's last day, and the review
    findings the report shows; None (its findings printed) when it has other errors."""
    from ..pipeline import CheckOptions, PortfolioResult, check_loaded
    from .formats import reporter

    loaded, revision = _load(request)
    checked = check_loaded(loaded, CheckOptions(today=request.end))
    reviews = [d.message for d in checked.diagnostics if _is_review(d) and not d.suppressed]
    checked.diagnostics = [d for d in checked.diagnostics if not _is_review(d)]
    result = PortfolioResult([checked])
    if result.exit_code() or checked.charter is None:
        click.echo(reporter("text")(result, color=False), nl=False)
        return None, reviews, revision
    return checked, reviews, revision


def _measure(request: ReportRequest, checked: FileResult, reviews: list[str],
             revision: Revision | None) -> ReportResult:
    """Read the usage files (with a progress bar for a large ticket file on a terminal)."""
    from ..pipeline import display_path
    from ..report import build_report
    from ..report.profiles import profile

    assert checked.charter is not None
    committed = None if revision is None else {
        "commit": revision.commit, "date": revision.date, "path": revision.path}
    size = request.tickets.stat().st_size
    bar = click.progressbar(length=size, label="reading tickets", file=sys.stderr) \
        if sys.stderr.isatty() and size > 8 << 20 else None
    with bar if bar is not None else contextlib.nullcontext():
        return build_report(
            checked.charter, checked.loaded, tickets=request.tickets, outages=request.outages,
            start=request.start, end=request.end, columns=request.columns,
            strict=request.strict, progress=bar.update if bar else None, reviews=reviews,
            tickets_display=display_path(request.tickets),
            outages_display=display_path(request.outages) if request.outages else None,
            history=request.history, profile=profile(request.profile),
            history_display=display_path(request.history) if request.history else None,
            input_timezone=request.input_timezone, revision=committed)


def _print_skipped(report: ReportResult) -> None:
    from .formats.text import format_diagnostic

    for d in [*report.diagnostics, *report.warnings]:
        click.echo(format_diagnostic(d, None) + "\n")
    if report.skipped:
        listed = len(report.diagnostics)
        more = f" (the first {listed} listed)" if listed < report.skipped else ""
        click.echo(f"{report.skipped} row{'' if report.skipped == 1 else 's'} skipped{more}")


def run_report(request: ReportRequest) -> int:
    """Check, measure, write; the exit status (0 written, 1 findings, 2 cannot)."""
    from ..report import ReportError, check_formats, write_reports

    try:
        check_formats(request.formats, request.langs)  # before reading a million rows
    except ReportError as exc:
        return _fail(str(exc))
    _warn_without_charts(request.formats)
    from ..report.revision import RevisionError
    try:
        checked, reviews, revision = _checked(request)
    except RevisionError as exc:
        return _fail(f"--charter-rev: {exc}")
    if checked is None or checked.charter is None:
        return EXIT_FINDINGS
    try:
        report = _measure(request, checked, reviews, revision)
    except ReportError as exc:
        return _fail(str(exc))
    _print_skipped(report)
    if not report.ok:
        click.echo("no report written", err=True)
        return EXIT_FINDINGS
    try:
        written = write_reports(report, request.out, request.langs, request.formats)
    except (ReportError, OSError) as exc:
        return _fail(f"cannot write the reports: {exc}")
    click.echo(f"wrote {len(written)} file(s) in {request.out / checked.charter.id}")
    return EXIT_CLEAN
