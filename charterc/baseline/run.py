"""`charterc baseline` as a use case: a `BaselineRequest` in, a `BaselineRun` out.

    load the charter -> check it as at the window's last day (review dates judged then
    do not stop it) -> compare the tickets with it (`compare`) -> the proposed charter
    (`propose`, with --write) -> write the report files and the proposal

The command line parses its options into a `BaselineRequest` and prints the
`BaselineRun`; nothing here prints. See docs/baseline.md.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..exits import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic
    from ..pipeline import PortfolioResult
    from .compare import Baseline

__all__ = ["BaselineRequest", "BaselineRun", "run_baseline"]



@dataclass(frozen=True)
class BaselineRequest:
    """What a baseline is asked to do, every option read and checked."""

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
    exclude_status: tuple[str, ...] | None = None   # None: canceled, cancelled


@dataclass
class BaselineRun:
    """What `run_baseline` did, in the order a caller shows it: warnings about the output,
    the charter's findings when they stopped the run, the diagnostics of the usage files
    (and the rows skipped), the files written, or the problem that stopped it."""

    warnings: list[str] = field(default_factory=list)
    findings: PortfolioResult | None = None   # the charter has errors: nothing compared
    diagnostics: list[Diagnostic] = field(default_factory=list)
    unreadable: bool = False                  # a usage file could not be read (U106)
    result: Baseline | None = None
    written: list[Path] = field(default_factory=list)
    proposal: Path | None = None              # the proposed charter, when written
    problem: str | None = None                # why the run could not be made (exit 2)

    @property
    def skipped(self) -> int:
        return self.result.skipped if self.result is not None else 0

    @property
    def exit_code(self) -> int:
        """0 written, 1 the charter's errors or an unreadable file, 2 cannot write."""
        if self.problem is not None:
            return EXIT_USAGE
        if self.findings is not None or self.unreadable:
            return EXIT_FINDINGS
        return EXIT_CLEAN


def _charts_warning(formats: list[str]) -> list[str]:
    if "html" in formats:
        from ..render.baseline import charts_unavailable
        if hint := charts_unavailable():
            return [f"warning: {hint}; the HTML report is written without charts"]
    return []


def run_baseline(request: BaselineRequest, *,
                 progress: Callable[[int], None] | None = None) -> BaselineRun:
    """Check, compare, propose, write. Never raises for bad input: what stopped the run
    is in the result. `progress` is called with the number of characters of the tickets
    file read so far."""
    from ..loaders import load_path
    from ..pipeline import display_path
    from ..publish.files import write_atomic
    from ..report.profiles import profile
    from ..report.run import checked_as_at
    from .compare import BaselineError, compare
    from .output import write_baseline
    from .propose import ProposalError, propose_with_notes
    from .verify import check_proposal, unchecked

    run = BaselineRun(warnings=_charts_warning(request.formats))
    loaded = load_path(request.charter, display=display_path(request.charter))
    checked = checked_as_at(loaded, request.end)
    charter = checked.result.charter
    if checked.findings is not None or charter is None:
        run.findings = checked.findings
        return run
    try:
        result = compare(
            charter, tickets=request.tickets, start=request.start, end=request.end,
            tickets_display=display_path(request.tickets), outages=request.outages,
            outages_display=display_path(request.outages) if request.outages else None,
            columns=request.columns, profile=profile(request.profile),
            input_timezone=request.input_timezone, progress=progress, file=loaded.file,
            exclude_status=request.exclude_status)
    except BaselineError as exc:
        run.diagnostics, run.unreadable = exc.diagnostics, True
        return run
    run.result, run.diagnostics = result, result.diagnostics
    proposal = None
    try:
        proposal, stale = propose_with_notes(loaded, result, request.charter)
    except ProposalError as exc:
        if request.write is not None:
            run.problem = f"--write: {exc}"
            return run
        check = unchecked(str(exc))
    else:
        check = check_proposal(proposal, request.charter, request.end)
        result.document["proposal"]["stale_comments"] = stale
    result.document["proposal"]["check"] = check
    run.warnings += [f"warning: the proposed charter would fail charterc check: {f['rule']} "
                     f"(line {f['line']}): {f['message']}" for f in check["findings"]]
    try:
        run.written = write_baseline(result, request.out, request.langs, request.formats)
        if proposal is not None and request.write is not None:
            write_atomic(request.write, proposal.encode("utf-8"))
            run.proposal = request.write
    except OSError as exc:
        run.problem = f"cannot write: {exc}"
    return run
