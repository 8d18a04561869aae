"""The check pipeline: discover -> load -> validate -> resolve -> model -> check.

Each file goes through the stages in order; a stage that reports an error stops
that file only, and the other files go on. Cross-file rules (duplicate charter
ids) run once every file is loaded.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ..diagnostics import Diagnostic, Severity
from ..loaders import Limits, Loaded, is_charter_file, load_path

__all__ = ["FileResult", "PortfolioResult", "discover", "check_paths", "check_loaded",
           "UsageError"]


class UsageError(Exception):
    """A problem with how charterc was called (exit status 2), not with a charter."""


@dataclass
class FileResult:
    file: str
    loaded: Loaded
    charter: object | None = None          # model.Charter when every stage passed
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class PortfolioResult:
    files: list[FileResult]
    internal_errors: list[str] = field(default_factory=list)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sorted((d for f in self.files for d in f.diagnostics), key=Diagnostic.sort_key)

    def counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for d in self.diagnostics:
            if not d.suppressed:
                counts[d.severity.value] += 1
        return counts

    def exit_code(self, strict: bool = False) -> int:
        if self.internal_errors:
            return 2
        counts = self.counts()
        return 1 if counts["error"] or (strict and counts["warning"]) else 0


def display_path(path: Path) -> str:
    """Paths relative to the working directory when below it (stable in CI logs and SARIF)."""
    try:
        return Path(os.path.relpath(path)).as_posix() if not path.is_absolute() or \
            path.resolve().is_relative_to(Path.cwd().resolve()) else path.as_posix()
    except ValueError:  # other drive on Windows
        return path.as_posix()


def discover(paths: Sequence[str | Path]) -> list[Path]:
    """Charter files named or found (recursively, sorted) under the given paths."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and is_charter_file(p)))
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"no such file or folder: {raw}")
    unique, seen = [], set()
    for path in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _charter_id(document) -> str | None:
    metadata = document.get("metadata") if isinstance(document, dict) else None
    return metadata.get("id") if isinstance(metadata, dict) else None


def check_loaded(loaded: Loaded, *, today: date, select=None, ignore=(),
                 levels: dict[str, Severity] | None = None) -> FileResult:
    """Validate, resolve, model and check one loaded file."""
    result = FileResult(loaded.file, loaded, diagnostics=list(loaded.diagnostics))
    if not loaded.ok:
        return result
    from ..validate.schema import validate
    problems = validate(loaded.document, loaded.sources)
    if not problems:
        from ..checks import load_checks
        from ..validate.references import resolve
        load_checks()  # the catalogue must be complete before suppressions are resolved
        problems = resolve(loaded.document, loaded.sources)
    result.diagnostics.extend(problems)
    if problems:
        return result
    from ..checks import run_checks
    from ..model.charter import build_model
    charter = build_model(loaded.document)
    result.charter = charter
    result.diagnostics.extend(run_checks(charter, loaded.sources, today=today,
                                         select=select, ignore=ignore))
    suppressed = {entry["rule"] for entry in charter.suppress}
    if suppressed or levels:
        result.diagnostics = [
            replace(d, suppressed=d.rule in suppressed,
                    severity=(levels or {}).get(d.rule, d.severity))
            for d in result.diagnostics]
    return result


def check_paths(paths: Sequence[str | Path] = ("charters",), *, today: date | None = None,
                select: Iterable[str] | None = None, ignore: Iterable[str] = (),
                levels: dict[str, Severity] | None = None, limits: Limits = Limits(),
                progress: Callable[[int], None] | None = None) -> PortfolioResult:
    """Check every charter under `paths`; never raises for bad charters."""
    from ..checks import enabled
    from ..validate.references import duplicate_charters

    today = today or date.today()
    select = list(select) if select is not None else None
    ignore = list(ignore)
    results: list[FileResult] = []
    internal: list[str] = []
    for path in discover(paths):
        loaded = load_path(path, display=display_path(path), limits=limits)
        try:
            result = check_loaded(loaded, today=today, select=select, ignore=ignore, levels=levels)
        except Exception as exc:  # a bug in charterc, not in the charter: exit 2, keep going
            internal.append(f"{loaded.file}: internal error: {type(exc).__name__}: {exc}")
            result = FileResult(loaded.file, loaded, diagnostics=list(loaded.diagnostics))
            # a finding too, so that no format says "0 errors" about a file it did not check
            result.diagnostics.append(Diagnostic(
                "X001", Severity.ERROR, f"charterc could not check this file: internal error: "
                f"{type(exc).__name__}: {exc}", loaded.file, 1, 1,
                hint="a bug in charterc, not in the charter: please report it "
                     "(CHARTERC_DEBUG=1 shows the traceback)"))
        results.append(result)
        if progress:
            progress(1)
    ids = [(charter_id, f.loaded.sources) for f in results
           if isinstance(charter_id := _charter_id(f.loaded.document), str)]
    by_file = {f.file: f for f in results}
    for diagnostic in duplicate_charters(ids):
        if enabled(diagnostic.rule, select, ignore):
            by_file[diagnostic.file].diagnostics.append(diagnostic)
    return PortfolioResult(results, internal)
