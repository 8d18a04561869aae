"""`charterc report` as a use case: a `ReportRequest` in, a `ReportRun` out.

    check the formats -> load the charter (or its committed version, --charter-rev)
    -> check it as at the period's last day (`checked_as_at`) -> measure the usage files
    (`build_report`) -> write the documents (`write_reports`)

The command line parses its options into a `ReportRequest` and prints the `ReportRun`;
library users and the language server call `run_report` alike. Nothing here prints.
See docs/report.md.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Severity
from ..exits import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE

if TYPE_CHECKING:
    from ..loaders import Loaded
    from ..pipeline import FileResult, PortfolioResult
    from .engine import ReportResult
    from .revision import Revision
    from .types import CharterRevision

__all__ = ["CheckedCharter", "ReportRequest", "ReportRun", "checked_as_at", "is_review",
           "run_report"]



@dataclass(frozen=True)
class ReportRequest:
    """What a report is asked to do, every option read and checked."""

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
    exclude_status: tuple[str, ...] | None = None   # statuses out of every figure (None: cancelled)
    itsm_sla: Path | None = None      # the ITSM's own SLA records, compared (spec 9.2)
    max_listed: int | None = 100      # breaches and pending tickets listed per client (None: all)


@dataclass
class ReportRun:
    """What `run_report` did, in the order a caller shows it: warnings about the output,
    the charter's findings when they stopped the run, the measured report (its skipped
    rows' diagnostics and warnings), the files written, or the problem that stopped it."""

    warnings: list[str] = field(default_factory=list)
    findings: PortfolioResult | None = None   # the charter has errors: nothing measured
    report: ReportResult | None = None
    written: list[Path] = field(default_factory=list)
    folder: Path | None = None                # where the files went: OUT/<charter id>
    problem: str | None = None                # why the run could not be made (exit 2)

    @property
    def exit_code(self) -> int:
        """0 written, 1 findings (the charter's, or unreadable files and skipped rows
        under --strict), 2 cannot (a bad format, revision or output folder)."""
        if self.problem is not None:
            return EXIT_USAGE
        if self.findings is not None or self.report is None or not self.report.ok:
            return EXIT_FINDINGS
        return EXIT_CLEAN


# -- the charter as at a day ---------------------------------------------------------------

# The review-date rules; G704 also judges period.end, which stays an error of the charter.
_REVIEW_RULES = frozenset({"G703", "G704"})


def is_review(d: Diagnostic) -> bool:
    """A review date judged at the period's end: overdue then (G703), or made after it
    (G704 on the baseline). Reports show these; they do not stop them."""
    return (d.rule in _REVIEW_RULES and d.pointer == "/baseline/reviewed"
            and d.severity is Severity.ERROR)


@dataclass
class CheckedCharter:
    """A charter checked as at a day: its result (review findings left out), the review
    findings' messages (not suppressed ones), and the findings that stop a measurement
    (None when there are none)."""

    result: FileResult
    reviews: list[str]
    findings: PortfolioResult | None


def checked_as_at(loaded: Loaded, day: date) -> CheckedCharter:
    """The charter through the front end as at `day` (the period's or window's last day):
    the review-date findings judged then are set apart (`is_review`), every other error
    stops the measurement."""
    from ..pipeline import CheckOptions, PortfolioResult, check_loaded

    checked = check_loaded(loaded, CheckOptions(today=day))
    reviews = [d.message for d in checked.diagnostics if is_review(d) and not d.suppressed]
    checked.diagnostics = [d for d in checked.diagnostics if not is_review(d)]
    result = PortfolioResult([checked])
    stopped = bool(result.exit_code()) or checked.charter is None
    return CheckedCharter(checked, reviews, result if stopped else None)


# -- running it ----------------------------------------------------------------------------

def _charts_warning(formats: list[str]) -> list[str]:
    if "html" in formats or "pdf" in formats:
        from ..render.report.charts import unavailable
        if hint := unavailable():
            return [f"warning: {hint}; HTML reports are written without charts"]
    return []


def _period_end(request: ReportRequest, working: Loaded) -> int:
    """UTC seconds of the period's end, in the provider's zone of the working copy (UTC if
    it cannot be read): the instant `--charter-rev auto` looks back from."""
    from .measure import range_period

    document = working.document
    provider = document.get("provider") if isinstance(document, dict) else None
    zone = provider.get("timezone") if isinstance(provider, dict) else None
    try:
        return range_period(request.start, request.end, zone if isinstance(zone, str)
                            else "UTC").end
    except (ValueError, LookupError):
        return range_period(request.start, request.end, "UTC").end


def _load(request: ReportRequest) -> tuple[Loaded, Revision | None]:
    """The charter file, or its committed version (`--charter-rev`, found from the working
    copy's zone); the file is read once."""
    from ..loaders import load_bytes, load_path, loader_for
    from ..pipeline import display_path

    display = display_path(request.charter)
    working = load_path(request.charter, display=display)
    if request.charter_rev is None:
        return working, None
    from .revision import charter_at
    revision = charter_at(request.charter, request.charter_rev, _period_end(request, working))
    loaded = load_bytes(revision.data, f"{display}@{revision.commit[:12]}",
                        loader=loader_for(request.charter.name))
    return loaded, revision


def _measure(request: ReportRequest, checked: CheckedCharter, revision: Revision | None,
             progress: Callable[[int], None] | None) -> ReportResult:
    from ..pipeline import display_path
    from .engine import build_report
    from .profiles import profile

    charter = checked.result.charter
    assert charter is not None  # checked_as_at: no charter stops the run
    committed: CharterRevision | None = None if revision is None else {
        "commit": revision.commit, "date": revision.date, "path": revision.path}
    return build_report(
        charter, checked.result.loaded, tickets=request.tickets, outages=request.outages,
        start=request.start, end=request.end, columns=request.columns, strict=request.strict,
        progress=progress, reviews=checked.reviews,
        tickets_display=display_path(request.tickets),
        outages_display=display_path(request.outages) if request.outages else None,
        history=request.history, profile=profile(request.profile),
        history_display=display_path(request.history) if request.history else None,
        input_timezone=request.input_timezone, revision=committed,
        exclude_status=request.exclude_status,
        itsm_sla=request.itsm_sla,
        itsm_sla_display=display_path(request.itsm_sla) if request.itsm_sla else None,
        max_listed=request.max_listed)


def run_report(request: ReportRequest, *,
               progress: Callable[[int], None] | None = None) -> ReportRun:
    """Check the charter, measure the period, write the documents. Never raises for bad
    input: what stopped the run is in the result. `progress` is called with the number
    of characters of the tickets file read so far."""
    from .engine import ReportError, check_formats, write_reports
    from .revision import RevisionError

    try:
        check_formats(request.formats, request.langs)  # before reading a million rows
    except ReportError as exc:
        return ReportRun(problem=str(exc))
    run = ReportRun(warnings=_charts_warning(request.formats))
    try:
        loaded, revision = _load(request)
    except RevisionError as exc:
        run.problem = f"--charter-rev: {exc}"
        return run
    checked = checked_as_at(loaded, request.end)
    if checked.findings is not None or checked.result.charter is None:
        run.findings = checked.findings
        return run
    try:
        run.report = _measure(request, checked, revision, progress)
    except ReportError as exc:
        run.problem = str(exc)
        return run
    if not run.report.ok:
        return run
    run.folder = request.out / checked.result.charter.id
    try:
        run.written = write_reports(run.report, request.out, request.langs, request.formats)
    except (ReportError, OSError) as exc:
        run.problem = f"cannot write the reports: {exc}"
    return run
