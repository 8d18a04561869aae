"""The check cache: one file's findings kept under a key of everything that decides them.

`charterc check` keeps, for every file it checks, what the reporters need (the
diagnostics, the source lines they point at, the charter id and where it is
written, the suppression reasons), in `.charterc_cache/` by default (as ruff and
mypy keep theirs). The next run reads it instead of loading and checking the
file again when the key is the same. The key is a SHA-256 of:

- the file's bytes and the name it is reported under;
- charterc's version and a fingerprint of the installed code and data that shape
  a verdict: charterc's own modules and schema (their sizes and modification
  times, so an edited or reinstalled charterc is a new key), the `holidays`
  library and the time-zone database;
- the run's options: `--today`, `--select`, `--ignore`, `--level`, the loader
  limits (`--max-bytes`).

Rules across files (R302, a charter id declared twice) are not kept: they run on
every run, over the cached and the fresh files alike.

Each entry is one JSON file, written to a temporary file beside it and renamed
into place, so concurrent runs never read half an entry (the last writer wins,
and both wrote the same). An entry that cannot be read or does not have the
expected shape is a miss: the file is checked and the entry written again. A
cache that cannot be written (a read-only folder) is not an error: the run
checks everything.
"""
from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..diagnostics import Diagnostic, Edit, Fix, Severity

if TYPE_CHECKING:
    from . import CheckOptions

__all__ = ["DEFAULT_DIR", "FORMAT", "CheckCache", "Entry"]

DEFAULT_DIR = ".charterc_cache"
FORMAT = 2  # the layout of an entry; a new layout is a new key, so old entries are misses
_PACKAGE = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Entry:
    """What a check of one file leaves for the reporters and the portfolio rules."""

    diagnostics: tuple[Diagnostic, ...]
    charter_id: str | None                  # metadata.id as written, for R302
    id_position: tuple[int, int] | None     # where it is written
    suppressions: tuple[tuple[str, str], ...]  # (rule, reason) of metadata.suppress
    lines: dict[int, str]                   # the source lines the findings point at

    def to_json(self, key: str) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "key": key,
            "diagnostics": [_diagnostic_json(d) for d in self.diagnostics],
            "charter_id": self.charter_id,
            "id_position": list(self.id_position) if self.id_position else None,
            "suppressions": [list(s) for s in self.suppressions],
            "lines": {str(n): text for n, text in sorted(self.lines.items())},
        }

    @classmethod
    def from_json(cls, data: Any, key: str) -> Entry:
        """The entry, or ValueError/TypeError/KeyError when `data` is not one for `key`."""
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
            raise ValueError("not an entry for this key")
        position = data["id_position"]
        charter_id = data["charter_id"]
        if charter_id is not None and not isinstance(charter_id, str):
            raise TypeError("charter_id")
        return cls(
            diagnostics=tuple(_diagnostic_from(d) for d in data["diagnostics"]),
            charter_id=charter_id,
            id_position=(int(position[0]), int(position[1])) if position is not None else None,
            suppressions=tuple((str(r), str(t)) for r, t in data["suppressions"]),
            lines={int(n): _text(t) for n, t in data["lines"].items()},
        )


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not a text")
    return value


def _diagnostic_json(d: Diagnostic) -> list[Any]:
    return [d.rule, d.severity.value if d.severity else None, d.message, d.file, d.line,
            d.column, d.pointer, d.hint, d.suppressed, [list(r) for r in d.related],
            [[f.title, [[e.line, e.column, e.end_line, e.end_column, e.text, e.original]
                        for e in f.edits]] for f in d.fixes]]


def _diagnostic_from(item: Any) -> Diagnostic:
    rule, severity, message, file, line, column, pointer, hint, suppressed, related, fixes = item
    if not all(isinstance(v, str) for v in (rule, message, file, pointer, hint)):
        raise TypeError("not a diagnostic")
    if not (isinstance(line, int) and isinstance(column, int) and isinstance(suppressed, bool)):
        raise TypeError("not a diagnostic")
    return Diagnostic(rule, Severity(severity) if severity is not None else None, message, file,
                      line, column, pointer, hint, suppressed,
                      tuple((str(f), int(ln), int(c)) for f, ln, c in related),
                      tuple(Fix(_text(title), tuple(_edit_from(e) for e in edits))
                            for title, edits in fixes))


def _edit_from(item: Any) -> Edit:
    line, column, end_line, end_column, text, original = item
    return Edit(int(line), int(column), int(end_line), int(end_column), _text(text),
                _text(original))


def _stat_line(path: Path) -> str:
    try:
        info = path.stat()
    except OSError:
        return f"{path} -"
    return f"{path} {info.st_size} {info.st_mtime_ns}"


@cache
def fingerprint() -> str:
    """charterc's version and the installed code and data a verdict depends on."""
    lines = [f"charterc {__version__}", f"format {FORMAT}"]
    for folder, dirs, files in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json", ".lark", ".yaml")):
                lines.append(_stat_line(Path(folder) / name))
    for schemas in (_PACKAGE / "schemas", _PACKAGE.parent / "schemas"):  # wheel, source tree
        lines.append(_stat_line(schemas / "charter.schema.json"))
    import importlib.util

    for package, member in (("holidays", "version.py"), ("tzdata", "__init__.py")):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            lines.append(_stat_line(Path(next(iter(spec.submodule_search_locations))) / member))
    # the system's zone database, which zoneinfo reads before tzdata (its default TZPATH)
    zone_folders = [*os.environ.get("PYTHONTZPATH", "").split(os.pathsep), "/usr/share/zoneinfo",
                    "/usr/lib/zoneinfo", "/usr/share/lib/zoneinfo", "/etc/zoneinfo"]
    lines.extend(_stat_line(Path(folder) / "tzdata.zi") for folder in zone_folders if folder)
    import hashlib  # here: a check without the cache keeps its entries too (`_released`)

    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _options_text(options: CheckOptions) -> str:
    today = options.today.isoformat() if isinstance(options.today, date) else "-"
    select = ",".join(options.select) if options.select is not None else "*"
    levels = ",".join(f"{rule}={level.value}" for rule, level in sorted(options.levels.items()))
    limits = options.limits
    return (f"today {today}\nselect {select}\nignore {','.join(options.ignore)}\n"
            f"levels {levels}\nlimits {limits.max_bytes} {limits.max_depth} {limits.max_nodes}\n"
            f"rules {options.rules}")


class CheckCache:
    """Entries under `folder`: `get` a file's entry, `put` a fresh one."""

    def __init__(self, folder: str | Path, options: CheckOptions) -> None:
        self.folder = Path(folder)
        self._salt = f"{fingerprint()}\n{_options_text(options)}\n".encode()
        self._ready = False

    def key(self, file: str, data: bytes) -> str:
        import hashlib

        digest = hashlib.sha256(self._salt)
        digest.update(file.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / "check" / key[:2] / f"{key}.json"

    def get(self, key: str) -> Entry | None:
        try:
            with open(self._path(key), "rb") as handle:
                return Entry.from_json(json.loads(handle.read()), key)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            return None  # unreadable or corrupt: checked again, and written again

    def put(self, key: str, entry: Entry) -> None:
        path = self._path(key)
        try:
            data = json.dumps(entry.to_json(key), ensure_ascii=False,
                              separators=(",", ":")).encode("utf-8", "surrogateescape")
        except (TypeError, ValueError, UnicodeError):
            return  # not representable in JSON: that file is checked on every run
        try:
            if not self._ready:
                self._prepare()
            import tempfile

            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.stem[:16]}.", suffix=".tmp",
                                       dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # a cache that cannot be written only costs time

    def _prepare(self) -> None:
        """The folder, marked as a cache for backup tools and ignored by git."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, text in (("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"
                            "# This folder is a cache of charterc check; it can be deleted.\n"),
                           (".gitignore", "# created by charterc check\n*\n")):
            marker = self.folder / name
            if not marker.exists():
                with contextlib.suppress(OSError):
                    marker.write_text(text, encoding="utf-8")
        self._ready = True


def lines_of(diagnostics: Iterable[Diagnostic], source_line: Any,
             extra: Iterable[int] = ()) -> dict[int, str]:
    """The source lines that the findings (and `extra` lines) point at."""
    wanted = {d.line for d in diagnostics} | set(extra)
    found: dict[int, str] = {}
    for number in sorted(wanted):
        text = source_line(number)
        if text is not None:
            found[number] = text
    return found
