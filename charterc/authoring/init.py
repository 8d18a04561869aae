"""`charterc init`: a new, valid, commented starter charter.

The starter (`starter/starter.charter.yaml`) passes `charterc check` with no
finding on the day it is written: its baseline is reviewed today and its term
starts on 1 January of this year. The YAML form carries the
`yaml-language-server` modeline, a path relative to the new file that leads to
the nearest `schemas/charter.schema.json` above it, within its repository: a
path that works offline and for everyone who clones the repository (never a path
on this machine). When there is none, `init` writes one first, the schema
installed with charterc, in `schemas/` at the repository's root (outside a
repository: in the working folder, or beside the file when it is written
elsewhere), as `charterc schema --write` does. The DSL form is the same document
written by the DSL writer, each YAML comment moved above the statement it
annotates, in the layout `charterc fmt` keeps. An existing file is never
overwritten, and the file appears whole or not at all (`publish.files.create_new`).
"""
from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, NamedTuple

from ..errors import CharterError

if TYPE_CHECKING:
    from ..diagnostics import SourceMap
    from .dsl import Line

__all__ = [
    "ID_PATTERN",
    "InitError",
    "Written",
    "repository_schema",
    "schema_home",
    "schema_reference",
    "starter_text",
    "target_path",
    "write_schema",
    "write_starter",
]

ID_PATTERN = re.compile(r"[a-z][a-z0-9-]{0,62}\Z")
STARTER = Path(__file__).with_name("starter") / "starter.charter.yaml"
SUFFIX = {"yaml": ".charter.yaml", "dsl": ".charter"}
SCHEMA_NAME = "charter.schema.json"


class InitError(CharterError):
    """Why the starter cannot be written (a usage error: exit 2)."""


def repository_schema(folder: Path) -> Path | None:
    """The repository's own `schemas/charter.schema.json` in `folder` or above it, up to
    the repository's root; None when there is none."""
    folder = Path(os.path.abspath(folder))
    for parent in (folder, *folder.parents):
        candidate = parent / "schemas" / SCHEMA_NAME
        if candidate.is_file():
            return candidate
        if (parent / ".git").exists():
            break
    return None


def schema_reference(folder: Path) -> str:
    """The `$schema` a charter in `folder` names: the repository's own
    `schemas/charter.schema.json` as a path relative to `folder` (`repository_schema`),
    else the schema's published id. Never a path on this machine: the file is shared
    with everyone who clones the repository."""
    found = repository_schema(folder)
    if found is not None:
        return Path(os.path.relpath(found, Path(os.path.abspath(folder)))).as_posix()
    return published_schema_id()


def schema_home(folder: Path) -> Path:
    """Where `init` puts `schemas/` for a charter in `folder`: the root of its git
    repository; outside one, the working folder when `folder` is in it, else `folder`."""
    folder = Path(os.path.abspath(folder))
    for parent in (folder, *folder.parents):
        if (parent / ".git").exists():
            return parent
    here = Path.cwd()
    return here if folder.is_relative_to(here) else folder


def write_schema(folder: str | Path) -> Path:
    """The charter schema installed with charterc written (atomically) as
    `folder/charter.schema.json`, replacing an older copy; its path."""
    from ..publish.files import write_atomic
    from ..validate.schema import schema_path

    target = Path(folder) / SCHEMA_NAME
    try:
        write_atomic(target, schema_path().read_bytes())
    except OSError as exc:
        raise InitError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


def published_schema_id() -> str:
    """The `$id` of the charter schema installed with charterc."""
    import json

    from ..validate.schema import schema_path
    return str(json.loads(Path(schema_path()).read_text(encoding="utf-8"))["$id"])


def _title(charter_id: str) -> str:
    return " ".join(word.capitalize() for word in charter_id.split("-"))


def starter_text(charter_id: str, *, folder: Path = Path("."), today: date | None = None,
                 fmt: str = "yaml") -> str:
    today = today or date.today()
    text = Template(STARTER.read_text(encoding="utf-8")).substitute(
        id=charter_id, title=_title(charter_id), today=today.isoformat(),
        start=date(today.year, 1, 1).isoformat(),
        schema=schema_reference(folder))
    if fmt == "yaml":
        return text
    return _as_dsl(text, charter_id)


def _as_dsl(text: str, charter_id: str) -> str:
    """The starter in the DSL, its YAML comments moved above the matching statements."""
    from ..loaders.yaml import load_text
    from .dsl import lines
    loaded = load_text(text, f"{charter_id}.charter.yaml")
    layout = lines(loaded.document)
    notes: dict[int, list[str]] = {}
    for pointer, comments in _yaml_comments(text, loaded.sources).items():
        notes.setdefault(_position(layout, pointer), []).extend(comments)
    out = ["# A starter charter written by `charterc init`. It passes `charterc check` as it",
           "# stands: change the figures to your service's, and run the check after each edit."]
    for position, (depth, statement, _) in enumerate(layout):
        out += ["  " * depth + comment for comment in notes.get(position, [])]
        out.append("  " * depth + statement if statement else "")
    return "\n".join(out) + "\n"


def _yaml_comments(text: str, sources: SourceMap) -> dict[str, list[str]]:
    """JSON pointer -> the comments on its line or just above it (header left out)."""
    starts: dict[int, str] = {}
    for table in (sources.keys, sources.values):
        for pointer, (number, _) in table.items():
            if pointer and (number not in starts or len(pointer) < len(starts[number])):
                starts[number] = pointer
    found: dict[str, list[str]] = {}
    pending: list[str] = []
    body = False
    for number, line in enumerate(text.splitlines(), start=1):
        code, _, comment = line.partition("#") if '"' not in line.split("#")[0] else (line, "", "")
        body = body or code.strip().startswith("apiVersion")
        if not body:
            continue
        comment = comment.strip()
        if not code.strip():
            if comment:
                pending.append(f"# {comment}")
            continue
        statement = starts.get(number)
        if statement is None:
            continue
        found.setdefault(statement, []).extend(pending + ([f"# {comment}"] if comment else []))
        pending = []
    return found


def _position(layout: list[Line], pointer: str) -> int:
    """The layout line of `pointer`: itself, else its first part, else its nearest ancestor."""
    pointers = [p for _, _, p in layout]
    if pointer in pointers:
        return pointers.index(pointer)
    inside = next((n for n, p in enumerate(pointers) if p.startswith(pointer + "/")), None)
    if inside is not None:
        return inside
    probe = pointer.rsplit("/", 1)[0]
    while probe:  # blank lines carry the empty pointer: never attach to them
        if probe in pointers:
            return pointers.index(probe)
        probe = probe.rsplit("/", 1)[0]
    return 0


def target_path(path: str | None, charter_id: str | None, fmt: str) -> tuple[Path, str]:
    """(file to write, charter id) from the PATH and --id given."""
    suffix = SUFFIX[fmt]
    if path is not None and not (Path(path).is_dir() or path.endswith(("/", os.sep))):
        target = Path(path)
        if not target.name.endswith((".charter.yaml", ".charter.yml", ".charter")):
            target = target.with_name(target.name + suffix)
        stem = re.sub(r"\.charter(\.ya?ml)?\Z", "", target.name)
        charter_id = charter_id or stem
    else:
        charter_id = charter_id or "my-service"
        folder = Path(path) if path else Path("charters")
        target = folder / f"{charter_id}{suffix}"
    if not ID_PATTERN.match(charter_id):
        raise InitError(f"{charter_id!r} is not a charter id: lower-case letters, digits and "
                        f"dashes, starting with a letter (use --id)")
    return target, charter_id


class Written(NamedTuple):
    """What `init` wrote: the charter, and the schema its modeline leads to when `init`
    had to write that too."""

    charter: Path
    schema: Path | None = None


def write_starter(path: str | None = None, charter_id: str | None = None, fmt: str = "yaml",
                  today: date | None = None) -> Written:
    """Write the starter charter (and, for YAML, the schema its modeline names when the
    repository has none); InitError if the file exists or cannot be written."""
    target, charter_id = target_path(path, charter_id, fmt)
    if target.exists():
        raise InitError(f"{target} already exists; charterc init never overwrites a file "
                        f"(choose another PATH or --id)")
    schema = None
    if fmt == "yaml" and repository_schema(target.parent) is None:
        schema = write_schema(_shown(schema_home(target.parent) / "schemas"))
    text = starter_text(charter_id, folder=target.parent, today=today, fmt=fmt)
    from ..publish.files import create_new
    try:  # all or nothing: a full disk leaves no file, never a truncated charter
        create_new(target, text.encode("utf-8"))
    except FileExistsError:
        raise InitError(f"{target} already exists; charterc init never overwrites a file") \
            from None
    except OSError as exc:
        raise InitError(f"cannot write {target}: {exc.strerror or exc}") from None
    return Written(target, schema)


def _shown(path: Path) -> Path:
    """The path relative to the working folder when it is inside it (as the user reads it)."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path
