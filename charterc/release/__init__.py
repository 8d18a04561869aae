"""`charterc release CHARTERS... --since REF -o DIR`: the documents of a tagged release.

    diff REF against the working tree (charterc.diff: the semver verdict, G706)
    -> build every document (charterc.publish.build: the output stage, PDF included)
    -> sign each PDF (optional, sign.py: PAdES, incremental update)
    -> one bundle per client (bundle.py) -> RELEASE-NOTES.md (render/release.py)
    -> SHA256SUMS over every file -> DIR, written all at once (charterc.publish.files)

The release fails (exit 1) when a charter's version is bumped less than its changes
require (G706) or a charter of the release cannot be read: everything is still written,
and the notes say why. A charter with errors (`charterc check`) stops the release before
anything is written, as it stops `build`.

Reproducible: the same tag gives the same bytes, signatures aside. The documents are
dated `--today`, else SOURCE_DATE_EPOCH, else the date of the commit checked out (HEAD),
never the clock; the checks judge the charters as of that date. Decisions: docs/release.md.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..errors import CharterError
from .bundle import SUMS, bundle, checksums

if TYPE_CHECKING:
    from ..diff import DiffResult
    from ..publish.build import BuildResult

__all__ = ["NOTES", "SUMS", "ReleaseNotes", "ReleaseProblem", "ReleaseRequest",
           "ReleaseResult", "release", "release_date"]

NOTES = "RELEASE-NOTES.md"
CLIENTS = "clients"
MANIFEST = "manifest.json"
INDEX = "index.html"


class ReleaseProblem(CharterError):
    """The release cannot be made as asked (REF unknown, DIR not a release folder, a key
    that does not load): a usage error, exit 2."""


@dataclass(frozen=True)
class ReleaseRequest:
    paths: Sequence[str]                 # the portfolio: folders or charter files
    since: str                           # the previous release: a tag, a commit
    out: str | Path = "release"
    langs: Sequence[str] = ("en",)
    formats: Sequence[str] = ("md", "html", "pdf")
    sign: str | Path | None = None       # a PKCS#12 file (.p12, .pfx)
    password: str | None = None          # its password (CHARTERC_SIGN_PASSWORD)
    today: date | None = None            # --today
    jobs: int | None = None


@dataclass
class ReleaseNotes:
    """What RELEASE-NOTES.md says (render/release.py writes it)."""

    since: str
    diff: DiffResult
    langs: Sequence[str]
    formats: Sequence[str]
    day: date | None
    signed_by: str | None
    titles: dict[str, str] = field(default_factory=dict)           # charter id -> title
    clients: dict[str, dict[str, str]] = field(default_factory=dict)  # charter -> id -> name


@dataclass
class ReleaseResult:
    build: BuildResult
    diff: DiffResult | None = None
    notes: str = ""
    files: dict[str, str] = field(default_factory=dict)   # relative path -> sha256
    bundles: dict[str, list[str]] = field(default_factory=dict)  # client -> its files
    signed: int = 0                                       # PDFs signed

    @property
    def exit_code(self) -> int:
        """1 when the build did not publish (check errors), when G706 fires or a charter of
        the release cannot be compared; else 0."""
        if not self.build.published:
            return self.build.exit_code()
        assert self.diff is not None
        return self.build.exit_code() or self.diff.exit_code


def release_date(today: date | None) -> date | None:
    """The date the release stands for: `today`, else SOURCE_DATE_EPOCH, else the date
    (UTC) of the commit checked out; None outside a git repository."""
    from ..pipeline.today import SourceDateError, source_date
    if today is not None:
        return today
    try:
        given = source_date()
    except SourceDateError as exc:
        raise ReleaseProblem(str(exc)) from None
    if given is not None:
        return given
    try:
        done = subprocess.run(["git", "log", "-1", "--format=%ct", "HEAD"],
                              capture_output=True, check=False, text=True)
    except OSError:
        return None
    stamp = done.stdout.strip()
    if done.returncode != 0 or not stamp.isdigit():
        return None
    return datetime.fromtimestamp(int(stamp), UTC).date()


def _compare(request: ReleaseRequest) -> DiffResult:
    """The diff from `since` to the working tree's charters under the request's paths."""
    from ..diff import SourceError, diff_loaded
    from ..diff.sources import read_side
    from ..loaders import load_path
    from ..pipeline import UsageError, discover, display_path
    try:
        old = read_side(request.since, list(request.paths))
        new = [load_path(p, display=display_path(p)) for p in discover(request.paths)]
    except (SourceError, UsageError) as exc:
        raise ReleaseProblem(f"--since {request.since}: {exc}") from None
    return diff_loaded(old.files, new, old_label=request.since, new_label="this release")


def _built(result: BuildResult, folder: Path) -> dict[str, bytes]:
    return {path: (folder / path).read_bytes() for path in sorted(result.files)}


def release(request: ReleaseRequest,
            progress: Callable[[str], None] = lambda line: None) -> ReleaseResult:
    """Make the release into `request.out`; ReleaseProblem (exit 2) for a bad request."""
    from ..publish import BuildProblem
    from ..publish.build import build
    from ..render.formats import OutputRequestError, check_request

    try:
        check_request("charter", request.formats, request.langs)
    except OutputRequestError as exc:
        raise ReleaseProblem(str(exc)) from None
    signer = None
    if request.sign is not None:
        from .sign import SignProblem, load_signer
        try:
            signer = load_signer(request.sign, request.password)
        except SignProblem as exc:
            raise ReleaseProblem(str(exc)) from None
    out = Path(request.out)
    previous = _previous_release(out)
    day = release_date(request.today)
    progress(f"comparing the charters of {', '.join(request.paths)} with {request.since}")
    compared = _compare(request)
    progress(f"{len(compared.charters)} charter(s) compared: "
             f"{sum(1 for d in compared.charters if d.changes)} with changes, "
             f"{len(compared.diagnostics)} version error(s) (G706)")
    progress(f"building the documents ({', '.join(request.formats)} in "
             f"{', '.join(request.langs)})"
             + ("; PDFs take a while" if "pdf" in request.formats else ""))
    with tempfile.TemporaryDirectory(prefix="charterc-release-") as scratch:
        try:
            built = build(request.paths, Path(scratch) / "dist", langs=request.langs,
                          formats=request.formats, today=day, jobs=request.jobs,
                          progress=progress)
        except BuildProblem as exc:
            raise ReleaseProblem(str(exc)) from None
        result = ReleaseResult(built, compared)
        if not built.published:
            return result
        files = _built(built, Path(scratch) / "dist")
    progress(f"built {len(built.built)} charter(s): {len(files)} files")
    if signer is not None:
        pdfs = [p for p in files if p.endswith(".pdf")]
        for number, path in enumerate(pdfs, 1):
            progress(f"signing {number}/{len(pdfs)}: {path}")
            try:
                files[path] = signer.sign(files[path], path)
            except CharterError as exc:
                raise ReleaseProblem(str(exc)) from None
        result.signed = len(pdfs)
        files[MANIFEST] = _manifest(files)
    charters = {f.charter.id: f.charter for f in built.check.files
                if f.charter is not None and f.charter.id in built.built}
    for client, content in sorted(_bundles(files, charters).items()):
        name = f"{CLIENTS}/{client}.zip"
        progress(f"bundling {name}: {len(content)} files")
        files[name] = bundle(content, day or date(1980, 1, 1))
        result.bundles[client] = sorted(content)
    notes = ReleaseNotes(
        request.since, compared, list(request.langs), list(request.formats), day,
        signer.subject if signer is not None else None,
        titles={cid: c.metadata.title for cid, c in charters.items()},
        clients={cid: {x.id: x.name for x in c.clients} for cid, c in charters.items()})
    from ..render.release import render_notes
    result.notes = render_notes(notes)
    files[NOTES] = result.notes.encode("utf-8")
    files[SUMS] = checksums(files)
    _write(out, files, previous)
    result.files = {p: hashlib.sha256(data).hexdigest() for p, data in files.items()}
    progress(f"wrote {len(files)} files in {out}")
    return result


def _manifest(files: Mapping[str, bytes]) -> bytes:
    """manifest.json as the build writes it, over the files as released (signed)."""
    listed = sorted(p for p in files if p != MANIFEST)
    manifest = {"generator": f"charterc {__version__}",
                "files": [{"path": p, "sha256": hashlib.sha256(files[p]).hexdigest()}
                          for p in listed]}
    return (json.dumps(manifest, indent=2) + "\n").encode("utf-8")


def _bundles(files: Mapping[str, bytes],
             charters: Mapping[str, object]) -> dict[str, dict[str, bytes]]:
    """client id -> the files of its bundle (name in the archive -> bytes): per charter that
    serves it, its agreements (`<charter>/<client>.<lang>.<ext>`) and `<charter>/sla.json`,
    that client's slice."""
    from ..model.charter import Charter
    found: dict[str, dict[str, bytes]] = {}
    for cid, charter in sorted(charters.items()):
        assert isinstance(charter, Charter)
        for client in charter.clients:
            mine = found.setdefault(client.id, {})
            prefix = f"{cid}/agreements/{client.id}."
            for path, data in files.items():
                if path.startswith(prefix):
                    mine[f"{cid}/{client.id}.{path[len(prefix):]}"] = data
            sla = files.get(f"{cid}/sla.json")
            if sla is not None:
                mine[f"{cid}/sla.json"] = client_sla(sla, client.id)
    return found


def client_sla(sla: bytes, client: str) -> bytes:
    """A client's own `sla.json` (spec section 8.2): the charter's `sla.json` with that
    client's entries only, the same head, validated and written as the build writes it."""
    from ..export.sla import client_sla_bytes
    return client_sla_bytes(json.loads(sla), client)


# -- DIR: a new folder, or the previous release in it ---------------------------------------

def _previous_release(out: Path) -> dict[str, str]:
    """The files a previous release wrote in `out` (from its SHA256SUMS): path -> sha256.
    ReleaseProblem when `out` holds other files and no previous release."""
    if not out.exists():
        return {}
    if not out.is_dir():
        raise ReleaseProblem(f"-o {out}: a file, not a folder")
    sums = out / SUMS
    if sums.is_file():
        listed: dict[str, str] = {}
        for line in sums.read_text(encoding="utf-8", errors="replace").splitlines():
            digest, _, path = line.partition("  ")
            parts = path.split("/")
            if len(digest) == 64 and path and not path.startswith("/") \
                    and all(p not in ("", ".", "..") for p in parts):
                listed[path] = digest
        return listed
    if any(out.iterdir()):
        raise ReleaseProblem(f"-o {out}: the folder holds files and no previous release "
                             f"(no {SUMS}): name a new or empty folder")
    return {}


def _sha256(path: Path) -> str | None:
    try:
        if not path.is_file() or path.is_symlink():
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _write(out: Path, files: Mapping[str, bytes], previous: Mapping[str, str]) -> None:
    """Every file into `out` at once (`publish.files.write_all`: all or none), SHA256SUMS
    last; then the previous release's files that this one no longer has are removed,
    while their bytes are the ones it wrote. A file of the user's is never replaced."""
    from ..publish.files import WriteProblem, write_all
    ours = {p for p, digest in previous.items() if _sha256(out / p) == digest}
    for path in files:
        target = out / path
        if path != SUMS and os.path.lexists(target) and path not in ours:
            raise ReleaseProblem(f"-o {out}: {path} is there and the previous release did not "
                                 "write it (or it was changed since): move it away first")
    order = [p for p in files if p != SUMS] + [SUMS]
    try:
        write_all({out / p: files[p] for p in order})
    except WriteProblem as exc:
        raise ReleaseProblem(str(exc)) from None
    for path in sorted(ours - set(files)):
        (out / path).unlink(missing_ok=True)
        for folder in (out / path).parents:
            if folder == out or not folder.is_relative_to(out):
                break
            try:
                folder.rmdir()
            except OSError:
                break
