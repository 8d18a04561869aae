"""One open document through the front end, and where its values and keys are.

`analyse` runs `pipeline.check_loaded` on the editor's text (never on the file on
disk) with the server's `CheckOptions`, then adds R302 across the workspace the way
`check_paths` does: the files in `discover` order, the open text in place of its
file on disk. An `Analysis` keeps what hover, completion and navigation need: the
result, and the last document that loaded, so that a half-typed line does not take
the ids and positions away while the author types.

Positions here are 0-based (line, character) in code points; `server.py` converts
them to the client's units.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Severity, SourceMap, pointer_parts
from ..diagnostics.fixes import token_end
from ..loaders import Loaded, load_bytes, load_path, loader_for
from ..pipeline import CheckOptions, FileResult, charter_id, check_loaded, discover

__all__ = ["Analysis", "Portfolio", "Spot", "analyse", "is_dsl", "span", "token_end"]

Position = tuple[int, int]  # (line, character), 0-based, in code points


def is_dsl(path: str) -> bool:
    return path.endswith(".charter")


@dataclass(frozen=True)
class Spot:
    """A value or a key of the document: its pointer and where its text is."""

    pointer: str
    key: bool
    line: int
    start: int
    end: int


@dataclass
class Analysis:
    """An open document and what the front end made of it."""

    uri: str
    path: str
    text: str
    result: FileResult
    # the last text that loaded (a document and its positions), kept across broken edits
    document: Any = None
    sources: SourceMap | None = None
    lines: list[str] = field(default_factory=list)       # the lines `sources` places
    text_lines: list[str] = field(default_factory=list)  # the lines of `text` (now)
    _index: dict[int, list[Spot]] | None = field(default=None, repr=False)

    @property
    def dsl(self) -> bool:
        return is_dsl(self.path)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.result.diagnostics

    def spots(self, line: int) -> list[Spot]:
        """Values and keys that start on `line` (0-based), by column."""
        if self._index is None:
            self._index = _index(self.sources, self.lines, self.dsl)
        return self._index.get(line, [])

    def current(self, line: int) -> bool:
        """Whether `line` reads now as it did in the text the positions are of (after a
        broken edit they are the last loaded text's, and lines may have moved)."""
        return self.lines is self.text_lines or (
            line < len(self.lines) and line < len(self.text_lines)
            and self.lines[line] == self.text_lines[line])

    def spot_at(self, line: int, character: int) -> Spot | None:
        """The value or key whose text holds the position (its end included)."""
        if not self.current(line):
            return None
        spots = self.spots(line)
        starts = [s.start for s in spots]
        at = bisect_right(starts, character) - 1
        while at >= 0:
            spot = spots[at]
            if spot.start <= character <= spot.end:
                return spot
            at -= 1
        return None

    def locate(self, pointer: str, *, key: bool = False) -> Spot | None:
        """Where the pointer's value (or key) is written, if the document has it."""
        if self.sources is None:
            return None
        table = self.sources.keys if key else self.sources.values
        found = table.get(pointer)
        if found is None:
            return None
        line, column = found[0] - 1, found[1] - 1
        if not self.current(line):
            return None
        text = self.lines[line]
        return Spot(pointer, key, line, column, token_end(text, column, dsl=self.dsl))

    def value(self, pointer: str) -> Any:
        node = self.document
        for part in pointer_parts(pointer):
            if isinstance(node, dict):
                node = node.get(part)
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
        return node


def _index(sources: SourceMap | None, lines: Sequence[str], dsl: bool) -> dict[int, list[Spot]]:
    index: dict[int, list[Spot]] = {}
    if sources is None:
        return index
    for table, key in ((sources.values, False), (sources.keys, True)):
        for pointer, (line, column) in table.items():
            if not pointer:
                continue
            text = lines[line - 1] if 0 < line <= len(lines) else ""
            start = column - 1
            index.setdefault(line - 1, []).append(
                Spot(pointer, key, line - 1, start, token_end(text, start, dsl=dsl)))
    for spots in index.values():
        # at one column, a mapping or list (its value placed at its first key or item)
        # before what it holds, and a key before its value: the last spot starting at or
        # before a position, the most specific, is the one it is on
        spots.sort(key=lambda s: (s.start, s.pointer.count("/"), not s.key))
    return index


@dataclass
class _Declared:
    stamp: tuple[int, int]
    charter_id: str | None
    sources: SourceMap


class Portfolio:
    """The charter files of the workspace folder, for R302 across files.

    Files on disk are read once and again only when their size or modification time
    changes; an open document is judged by its text in the editor.
    """

    def __init__(self, root: Path | None, options: CheckOptions) -> None:
        self.root = root
        self.options = options
        self._files: list[Path] | None = None
        self._declared: dict[Path, _Declared] = {}
        # files open in the editor: their id as the editor's text declares it, saved or not
        self.open: dict[Path, tuple[str | None, SourceMap]] = {}

    def forget(self) -> None:
        """Discover the files again on next use (files were created or deleted)."""
        self._files = None

    def meet(self, path: Path) -> None:
        """A charter was opened or saved: discover again if it is new to the folder (walking
        a large folder again at every save would cost more than the check)."""
        if self._files is not None and path not in self._files:
            self._files = None

    def files(self) -> list[Path]:
        if self.root is None:
            return []
        if self._files is None:
            try:
                self._files = [p.resolve() for p in discover([self.root])]
            except Exception:  # the folder vanished or cannot be read: no portfolio
                self._files = []
        return self._files

    def display(self, path: Path) -> str:
        """The name `check` run from the workspace folder gives the file."""
        if self.root is not None:
            try:
                return path.relative_to(self.root).as_posix()
            except ValueError:
                pass
        return path.as_posix()

    def _on_disk(self, path: Path) -> _Declared | None:
        try:
            stat = path.stat()
        except OSError:
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        known = self._declared.get(path)
        if known is None or known.stamp != stamp:
            loaded = load_path(path, display=self.display(path), limits=self.options.limits)
            known = _Declared(stamp, charter_id(loaded.document), loaded.sources)
            self._declared[path] = known
        return known

    def duplicates(self, path: Path, result: FileResult) -> list[Diagnostic]:
        """R302 findings of the open file against the others, as `check` orders them."""
        from ..checks import enabled
        from ..validate.references import duplicate_charters

        if not enabled("R302", self.options.select, self.options.ignore):
            return []
        files = self.files()
        # in `discover`'s order (sorted paths), with open files not saved there yet
        inside = [p for p in self.open if self.root is not None and p.is_relative_to(self.root)]
        files = sorted({*files, *inside, path})
        ids: list[tuple[str, SourceMap]] = []
        for other in files:
            if other == path:
                if result.declared_id is not None:
                    ids.append((result.declared_id, result.sources))
            elif other in self.open:
                declared_id, sources = self.open[other]
                if declared_id is not None:
                    ids.append((declared_id, sources))
            elif (declared := self._on_disk(other)) is not None and declared.charter_id:
                ids.append((declared.charter_id, declared.sources))
        return [d for d in duplicate_charters(ids) if d.file == result.file]


def analyse(uri: str, path: str, text: str, options: CheckOptions,
            portfolio: Portfolio | None = None, previous: Analysis | None = None) -> Analysis:
    """The open text checked as `charterc check` checks the file, never raising."""
    target = Path(path).resolve() if Path(path).is_absolute() else Path(path)
    file = portfolio.display(target) if portfolio is not None else target.name
    result = _check(text, file, target, options)
    if portfolio is not None and result.loaded.document is not None:
        try:
            # as in `check_paths`, after the file's own suppressions and levels
            result.diagnostics.extend(portfolio.duplicates(target, result))
        except Exception as exc:  # the other files are not this one's problem
            result.diagnostics.append(_internal(file, exc))
    result.diagnostics.sort(key=Diagnostic.sort_key)
    lines = [line.rstrip("\r") for line in text.split("\n")]
    analysis = Analysis(uri, path, text, result, lines=lines, text_lines=lines)
    loaded = result.loaded
    if loaded.document is not None:
        analysis.document, analysis.sources = loaded.document, loaded.sources
    elif previous is not None:
        analysis.document, analysis.sources = previous.document, previous.sources
        analysis.lines = previous.lines
    return analysis


def _check(text: str, file: str, target: Path, options: CheckOptions) -> FileResult:
    data = text.encode("utf-8", errors="surrogatepass")
    try:
        loaded = load_bytes(data, file, limits=options.limits, loader=loader_for(target))
        return check_loaded(loaded, options)
    except Exception as exc:  # a bug in charterc: a finding, as `check` reports it (X001)
        return FileResult(file, Loaded(file, None, SourceMap(file)),
                          diagnostics=[_internal(file, exc)])


def _internal(file: str, exc: Exception) -> Diagnostic:
    return Diagnostic(
        "X001", Severity.ERROR, f"charterc could not check this file: internal error: "
        f"{type(exc).__name__}: {exc}", file, 1, 1,
        hint="a bug in charterc, not in the charter: please report it")


def span(analysis: Analysis, line: int, column: int) -> tuple[int, int, int]:
    """(line, start, end), 0-based, of the text a finding at `line:column` (1-based) names."""
    number = max(line - 1, 0)
    text = analysis.text_lines[number] if number < len(analysis.text_lines) else ""
    start = min(max(column - 1, 0), len(text))
    end = token_end(text, start, dsl=analysis.dsl)
    if end <= start:  # nothing to underline there: the rest of the line, at least a character
        end = max(len(text), start + 1)
    return number, start, end
