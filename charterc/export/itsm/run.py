"""The `export --target` and `drift` use cases, outside the CLI (spec section 11).

Both check the charter first, as `build` does: a charter with errors is not compiled
into an ITSM (its findings are the result, exit 1).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from ...diagnostics import Diagnostic
from ...pipeline import CheckOptions, FileResult, PortfolioResult, check_file
from . import Configuration, ItsmFormatError, Options, target
from .drift import Finding, compare
from .plan import plan

__all__ = ["DriftRun", "ExportRun", "drift", "export"]


@dataclass
class ExportRun:
    """Files per charter (`<charter id>/<target>/<name>`), warnings, and the check."""

    check: PortfolioResult
    files: dict[str, bytes] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class DriftRun:
    """The charter's check and the drift findings, as one portfolio result for reporters."""

    result: PortfolioResult
    checked: bool   # False: the charter has errors, nothing was compared


def _checked(path: str, today: date | None) -> FileResult:
    return check_file(path, CheckOptions(today=today))


def expected(result: FileResult, name: str, options: Options) -> tuple[Configuration, list[str]]:
    assert result.charter is not None
    configuration: tuple[Configuration, list[str]] = \
        target(name).configuration(plan(result.charter), options)
    return configuration


def export(paths: list[str], name: str, options: Options, today: date | None = None
           ) -> ExportRun:
    """Each charter's configuration for target `name`; OptionError for an unusable map."""
    results = [_checked(p, today) for p in paths]
    run = ExportRun(PortfolioResult(results))
    if run.check.exit_code() != 0:
        return run
    module = target(name)
    for result in results:
        assert result.charter is not None
        config, warnings = expected(result, name, options)
        for file, data in module.write(config).items():
            run.files[f"{result.charter.id}/{name}/{file}"] = data
        run.files.update({f"{result.charter.id}/{name}/{file}": data
                          for file, data in _extras(module, result, config).items()})
        run.warnings += [f"{result.charter.id}: {w}" for w in warnings]
    return run


def _extras(module: object, result: FileResult, config: Configuration) -> dict[str, bytes]:
    """A target's files for people (the JSM administrator's sheet)."""
    sheet = getattr(module, "sheet", None)
    if sheet is None or result.charter is None:
        return {}
    files: dict[str, bytes] = sheet(plan(result.charter), config)
    return files


def drift(path: str, name: str, file: str, options: Options, today: date | None = None
          ) -> DriftRun:
    """The charter loaded and validated (its model built), then compared with the ITSM's
    file; findings on the charter. The consistency rules are `check`'s: a charter whose
    review is overdue still has SLAs to compare (a loading, schema or reference error
    stops it: there is no model to compare)."""
    result = check_file(path, CheckOptions(today=today, rules=False))
    if result.charter is None:
        return DriftRun(PortfolioResult([result]), checked=False)
    mine, _ = expected(result, name, options)
    findings: list[Finding]
    try:
        theirs = target(name).read(Path(file).read_bytes())
    except ItsmFormatError as exc:
        findings = [Finding("I101", "", f"{file}: {exc}")]
    except OSError as exc:
        findings = [Finding("I101", "", f"{file}: cannot read: {exc.strerror or exc}")]
    else:
        findings = list(compare(mine, theirs))
    sources = result.sources
    accepted = {entry.rule for entry in result.charter.metadata.suppress}
    found: list[Diagnostic] = []
    for finding in findings:
        line, column = sources.locate(finding.pointer)
        diagnostic = finding.diagnostic(result.file, line, column)
        found.append(replace(diagnostic, suppressed=True) if finding.rule in accepted
                     else diagnostic)
    # the drift findings only: the charter's own warnings are `check`'s
    return DriftRun(PortfolioResult([FileResult(result.file, result.loaded, result.charter,
                                                found)]), checked=True)
