"""The front end: discover -> load -> schema -> references -> model -> rules.

`check_file` and `check_loaded` take one file through the stages, `check_paths`
a portfolio; each returns `FileResult`s whose `charter` is the typed model once
loading, the schema and the references pass. Every command that needs a
checked charter (`check`, `build`, `diff`, `report`) gets it here, with its
run's `CheckOptions`.

Each file goes through the stages in order. The schema and the references run
together (the references on the parts of the document the schema lets them read),
so a schema error does not hide an unknown id; an error of either stops that file
before the model and the rules, and the other files go on. Cross-file rules (duplicate charter
ids) run once every file is loaded.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic, Severity, SourceMap
from ..diagnostics.rules import declare
from ..errors import CharterError
from ..loaders import (
    Limits,
    Loaded,
    is_charter_file,
    load_bytes,
    load_path,
    loader_for,
    special_kind,
)
from ..records import record
from .today import resolve_today

if TYPE_CHECKING:
    from ..model.charter import Charter
    from .cache import CheckCache, Entry

__all__ = [
    "MODEL_ONLY",
    "CheckOptions",
    "FileResult",
    "PortfolioResult",
    "UsageError",
    "charter_id",
    "check_file",
    "check_loaded",
    "check_paths",
    "discover",
    "display_path",
    "misnamed",
]


class UsageError(CharterError):
    """A problem with how charterc was called (exit status 2), not with a charter."""


@record(eq=True)
class CheckOptions:
    """How a run checks its charters: one value that every command hands the front end."""

    today: date | None = None                 # the day rules compare with; None: the run's day
    select: Sequence[str] | None = None       # rule ids or prefixes that report; None: all
    ignore: Sequence[str] = ()                # rule ids or prefixes that do not
    levels: Mapping[str, Severity] = field(default_factory=dict)  # re-levelled rules
    limits: Limits = field(default_factory=Limits)  # P104/P105 bounds of the loaders
    rules: bool = True                        # False: stop once the model is built (diff)
    cache: str | Path | None = None           # folder of the check cache; None: no cache

    def dated(self) -> CheckOptions:
        """These options with `today` fixed, so that every file of a run sees the same day."""
        return self if self.today is not None else replace(self, today=resolve_today())


# Only the model is needed to compare commitments; findings of the rules are `check`'s.
MODEL_ONLY = CheckOptions(rules=False)


# What a run does unless told otherwise (the functions' default).
DEFAULT_OPTIONS = CheckOptions()


@record(eq=True, frozen=False)
class FileResult:
    """One file after the front end: its diagnostics and, once loading, the schema and the
    references pass, its typed `charter` (checked by the rules unless options said not)."""

    file: str
    loaded: Loaded
    charter: Charter | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # from the check cache: the file was not loaded again (`loaded` holds no document,
    # `charter` is None) and these are the facts the run kept about it
    cached: Entry | None = None

    @property
    def sources(self) -> SourceMap:
        return self.loaded.sources

    @property
    def declared_id(self) -> str | None:
        """metadata.id as the file writes it (even if it fails the schema), for R302."""
        if self.cached is not None:
            return self.cached.charter_id
        return charter_id(self.loaded.document)

    @property
    def suppressions(self) -> list[tuple[str, str]]:
        """(rule, reason) of the charter's `metadata.suppress`; none without a charter."""
        if self.cached is not None:
            return list(self.cached.suppressions)
        if self.charter is None:
            return []
        return [(entry.rule, entry.reason) for entry in self.charter.metadata.suppress]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics
                if d.severity is Severity.ERROR and not d.suppressed]


@record(eq=True, frozen=False)
class PortfolioResult:
    """Every file's result, and the internal errors of the run."""

    files: list[FileResult]
    internal_errors: list[str] = field(default_factory=list)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sorted((d for f in self.files for d in f.diagnostics), key=Diagnostic.sort_key)

    def counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for d in self.diagnostics:
            if not d.suppressed and d.severity is not None:
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
        try:
            mode = path.stat().st_mode
        except OSError:
            raise UsageError(f"no such file or folder: {raw}") from None
        kind = special_kind(mode)
        if kind is not None:
            raise UsageError(f"{raw} is {kind}, not a charter file or folder")
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and is_charter_file(p)))
        else:
            found.append(path)
    unique: list[Path] = []
    seen: set[Path] = set()
    for path in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


_CHARTER_LINE = re.compile(r"^apiVersion:\s*[\"']?charterc/v1[\"']?\s*(#.*)?$", re.MULTILINE)


def misnamed(paths: Sequence[str | Path], limit: int = 1 << 20) -> list[Path]:
    """YAML files under the given folders that look like charters (a line `apiVersion:
    charterc/v1`) but lack a charter suffix, so that `discover` passes them by."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            continue
        for candidate in sorted(path.rglob("*")):
            if (candidate.suffix not in (".yaml", ".yml") or is_charter_file(candidate)
                    or not candidate.is_file()):
                continue
            try:
                with candidate.open("rb") as handle:
                    text = handle.read(limit).decode("utf-8", errors="replace")
            except OSError:
                continue
            if _CHARTER_LINE.search(text):
                found.append(candidate)
    return found


def charter_id(document: Any) -> str | None:
    """The document's metadata.id when it has a string there (even if it fails the schema)."""
    metadata = document.get("metadata") if isinstance(document, dict) else None
    charter_id = metadata.get("id") if isinstance(metadata, dict) else None
    return charter_id if isinstance(charter_id, str) else None


# -- the stages of one file -------------------------------------------------------------

def _document_problems(loaded: Loaded) -> list[Diagnostic]:
    """The schema's findings and the references' (R301, R302), together: the references
    read the parts of the document that have the shape they need even when the schema
    refuses others, so that one round shows an unknown tier beside a malformed version.
    A reference at a place the schema already reports (`tier: Premium` is no id) is
    said once, by the schema."""
    from ..validate.references import resolve
    from ..validate.schema import validate

    problems = validate(loaded.document, loaded.sources)
    if not isinstance(loaded.document, dict):
        return problems
    placed = {d.pointer for d in problems}
    return problems + [d for d in resolve(loaded.document, loaded.sources)
                       if d.pointer not in placed]


def _rule_findings(charter: Charter, sources: SourceMap, options: CheckOptions) -> list[Diagnostic]:
    from ..checks import run_checks
    return run_checks(charter, sources, today=options.today or date.today(),
                      select=options.select, ignore=options.ignore)


def _settle(diagnostics: list[Diagnostic], charter: Charter,
            levels: Mapping[str, Severity]) -> list[Diagnostic]:
    """The charter's suppressions and the run's levels applied to its findings."""
    suppressed = {entry.rule for entry in charter.metadata.suppress}
    if not suppressed and not levels:
        return diagnostics
    return [replace(d, suppressed=d.rule in suppressed, severity=levels.get(d.rule, d.severity))
            for d in diagnostics]


def check_loaded(loaded: Loaded, options: CheckOptions = DEFAULT_OPTIONS) -> FileResult:
    """One loaded file through the stages: schema -> references -> model -> rules."""
    result = FileResult(loaded.file, loaded, diagnostics=list(loaded.diagnostics))
    if not loaded.ok:
        return result
    problems = _document_problems(loaded)
    if problems:
        result.diagnostics.extend(problems)
        return result
    from ..model.charter import build_model
    charter = result.charter = build_model(loaded.document)
    if options.rules:
        result.diagnostics.extend(_rule_findings(charter, loaded.sources, options))
    result.diagnostics = _settle(result.diagnostics, charter, options.levels)
    return result


def check_file(path: str | Path, options: CheckOptions = DEFAULT_OPTIONS) -> FileResult:
    """One charter file, loaded and named as `check` does, through every stage."""
    loaded = load_path(path, display=display_path(Path(path)), limits=options.limits)
    return check_loaded(loaded, options)


# -- a portfolio ------------------------------------------------------------------------

def check_paths(paths: Sequence[str | Path] = ("charters",),
                options: CheckOptions = DEFAULT_OPTIONS, *,
                progress: Callable[[int], None] | None = None,
                each: Callable[[FileResult], None] | None = None,
                release: bool = False) -> PortfolioResult:
    """Check every charter under `paths`; never raises for bad charters.

    `each` is handed every file's result as soon as it is checked, before the portfolio
    rules (R302, on the file that repeats an id) run over all of them (`build` starts
    compiling while the next files are checked). With `release`, each result is kept
    only as the check cache keeps it once its findings are out (`_released`): memory
    stays flat over a large portfolio, for callers that need the findings only."""
    options = options.dated()
    results: list[FileResult] = []
    internal: list[str] = []
    store: CheckCache | None = None
    if options.cache is not None:
        from .cache import CheckCache
        store = CheckCache(options.cache, options)
    for path in discover(paths):
        result = _check_path(path, options, store, internal)
        if each is not None:
            each(result)
        results.append(_released(result) if release else result)
        if progress:
            progress(1)
    _add_duplicate_charters(results, options)
    return PortfolioResult(results, internal)


def _check_path(path: Path, options: CheckOptions, store: CheckCache | None,
                internal: list[str]) -> FileResult:
    """One file's result: from the cache when it holds the file's bytes, else checked (and
    kept in the cache); a bug in charterc is an X001 finding and a line in `internal`."""
    display = display_path(path)
    key = data = None
    if store is not None and (data := _read_within(path, options.limits)) is not None:
        key = store.key(display, data)
        entry = store.get(key)
        if entry is not None:
            return _from_cache(display, entry)
        loaded = load_bytes(data, display, limits=options.limits, loader=loader_for(path))
    else:
        loaded = load_path(path, display=display, limits=options.limits)
    try:
        result = check_loaded(loaded, options)
        if store is not None and key is not None:
            store.put(key, _entry(result))
    except Exception as exc:  # a bug in charterc, not in the charter: exit 2, keep going
        internal.append(f"{loaded.file}: internal error: {type(exc).__name__}: {exc}")
        result = FileResult(loaded.file, loaded, diagnostics=list(loaded.diagnostics))
        # a finding too, so that no format says "0 errors" about a file it did not check
        result.diagnostics.append(Diagnostic(
            "X001", Severity.ERROR, f"charterc could not check this file: internal error: "
            f"{type(exc).__name__}: {exc}", loaded.file, 1, 1,
            hint="a bug in charterc, not in the charter: please report it "
                 "(CHARTERC_DEBUG=1 shows the traceback)"))
    return result


def _read_within(path: Path, limits: Limits) -> bytes | None:
    """The file's bytes, or None when `load_path` would not read them (too large, unreadable)."""
    try:
        if path.stat().st_size > limits.max_bytes:
            return None
        return path.read_bytes()
    except OSError:
        return None


def _entry(result: FileResult) -> Entry:
    """What the cache keeps of a freshly checked file."""
    from .cache import Entry, lines_of

    sources = result.sources
    declared = result.declared_id
    position = sources.locate("/metadata/id") if declared is not None else None
    return Entry(tuple(result.diagnostics), declared, position, tuple(result.suppressions),
                 lines_of(result.diagnostics, sources.source_line,
                          [position[0]] if position else []))


def _from_cache(file: str, entry: Entry) -> FileResult:
    """A file's result as a run left it in the cache: no document, the positions it needs."""
    values = {"/metadata/id": entry.id_position} if entry.id_position else {}
    lines = [""] * max(entry.lines, default=0)
    for number, text in entry.lines.items():
        lines[number - 1] = text
    sources = SourceMap(file, values=values, lines=lines)
    return FileResult(file, Loaded(file, None, sources), diagnostics=list(entry.diagnostics),
                      cached=entry)


def _released(result: FileResult) -> FileResult:
    """The result without its document, positions, source text and model: its findings,
    the position of its id and the source lines the findings point at (what the check
    cache keeps of a file, and what the reporters and R302 need)."""
    if result.cached is not None:
        return result
    released = _from_cache(result.file, _entry(result))
    released.sources.dsl = result.sources.dsl
    return released


def _add_duplicate_charters(results: list[FileResult], options: CheckOptions) -> None:
    """R302 across the portfolio, on the file that repeats an id."""
    from ..validate.references import duplicate_charters

    ids = [(found, f.sources) for f in results if (found := f.declared_id) is not None]
    by_file = {f.file: f for f in results}
    duplicates = list(duplicate_charters(ids))
    if not duplicates:
        return
    from ..checks import enabled

    for diagnostic in duplicates:
        if enabled(diagnostic.rule, options.select, options.ignore):
            by_file[diagnostic.file].diagnostics.append(diagnostic)


declare("X001", Severity.ERROR, """
    charterc failed on this file: the file was not checked.

    An exception inside charterc (a bug, not a problem of the charter) stopped
    the checks of one file; the other files are checked. The finding is at 1:1
    and names the exception; the run exits with status 2 whatever else it
    found, and every format reports the file, so no report reads "0 errors"
    for a file that was not checked. Please report it with the file.
""")
