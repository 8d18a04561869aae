"""`charterc build`: check, then render and export every charter into `dist/`, atomically.

The pipeline per charter: check (errors stop it: its diagnostics are the
output) -> view -> documents per language x format -> exports (`sla.json`,
`openslo.yaml`). Then the portfolio `index.html` and `manifest.json` (every
file with its sha256).

Reproducible: the same inputs give byte-identical files. Nothing depends on
the clock, the working directory or its listing order, or hash seeds; a charter's
path in the outputs is relative to its portfolio root (`portfolio_path`); a date is
shown only when one is given (`--today`, else `SOURCE_DATE_EPOCH`).

Safe for the output folder (`folder.py`): everything is rendered into a staging
folder first; only when all of it succeeded are the files moved in. A build that
fails (a charter with errors, a template problem, an interruption) leaves the
previous output as it was; charterc replaces or removes only files it wrote. With
`partial=True` charters with errors are left out instead and the others are
published.

On every core (`jobs`, default the CPU count): the charters are compiled by `jobs - 1`
forked worker processes while the parent checks the next ones (`_Compiler`), each
writing its own charter's files into the staging folder and returning their sha256s
and log lines; once the check is over, the parent compiles those no worker has started.
The parent merges the results in charter-id order, so the output is byte-identical to
`jobs=1`. The first charter is compiled in the parent before the fork, so that every
template is compiled once and inherited by the workers. Where processes cannot be
forked (not Linux or macOS), the build runs in one process.
"""
from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import shutil
import stat
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..diagnostics import Diagnostic, Severity
from ..loaders import Limits
from ..pipeline import CheckOptions, FileResult, PortfolioResult, check_paths, discover
from ..pipeline.today import SourceDateError, resolve_today, source_date
from . import BuildProblem
from .files import default_mode
from .folder import Claim, claimed, inspect

if TYPE_CHECKING:
    from ..model.charter import Charter, Client
    from ..render import Documents
    from ..render.pdf import Pdf
    from ..render.view import Subject

__all__ = [
    "INDEX",
    "MANIFEST",
    "BuildProblem",
    "BuildResult",
    "build",
    "portfolio_path",
    "shown_date",
]

MANIFEST = "manifest.json"
INDEX = "index.html"
DEFAULT_LIMITS = Limits()


@dataclass
class BuildResult:
    check: PortfolioResult
    out: Path
    built: list[str] = field(default_factory=list)       # charter ids
    left_out: list[str] = field(default_factory=list)    # files not built (errors)
    files: dict[str, str] = field(default_factory=dict)  # relative path -> sha256
    log: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)     # the log's lists (--verbose)
    published: bool = False                              # the output was updated
    missing_translations: set[str] = field(default_factory=set)

    def exit_code(self, strict: bool = False) -> int:
        code = self.check.exit_code(strict)
        return code if code else (0 if self.published else 1)


def shown_date(today: date | None) -> date | None:
    """The date documents show: `--today`, else SOURCE_DATE_EPOCH (UTC), else none."""
    if today is not None:
        return today
    try:
        return source_date()
    except SourceDateError as exc:
        raise BuildProblem(str(exc)) from None


def issue_date(file: str | Path) -> date:
    """The date a charter's documents are issued on when neither `--today` nor
    SOURCE_DATE_EPOCH gives one (spec section 8.2, one date): the last commit date of the
    charter file, else today. "Issued on", and the PDF's creation and modification dates,
    are this date."""
    return _committed(str(Path(file).resolve())) or date.today()


@lru_cache(maxsize=4096)
def _committed(path: str) -> date | None:
    """The committer date of the last commit that touched `path` (None outside a
    repository, for a file never committed, or without git)."""
    import subprocess
    try:
        done = subprocess.run(["git", "log", "-1", "--format=%cs", "--", path],
                              cwd=os.path.dirname(path), capture_output=True, text=True,
                              timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    text = done.stdout.strip()
    if done.returncode != 0 or not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _errors(file_result: FileResult) -> int:
    return sum(1 for d in file_result.diagnostics
               if d.severity is Severity.ERROR and not d.suppressed)


def _check_request(langs: Sequence[str], formats: Sequence[str]) -> None:
    from ..render.formats import OutputRequestError, check_request
    try:
        check_request("charter", formats, langs)  # before anything is checked or written
    except OutputRequestError as exc:
        raise BuildProblem(str(exc)) from None


class _Writer:
    """Writes files under the staging folder and remembers each one's sha256.

    A file whose bytes the output folder already holds, in a file the previous build
    wrote, is not staged at all (`kept`): publishing leaves it in place, so a rebuild
    creates and renames only what changed. Creating a file and renaming it over an old
    one (whose blocks the file system then frees) cost more than rendering it; a kept
    file is byte for byte what the rename would have put there, with the same mode.
    """

    def __init__(self, root: Path, current: Path | None = None,
                 owned: frozenset[str] = frozenset(), link_kept: bool = False) -> None:
        self.root = root
        self.current, self.owned = current, owned
        # the staging folder becomes the output (Claim.exchange): a kept file is linked
        # into it here, on the worker, which Claim.publish then counts on
        self.link_kept = link_kept
        self._root = str(root)
        self._current = str(current) if current is not None else ""
        self.files: dict[str, str] = {}
        self.kept: set[str] = set()
        self._folders: set[str] = set()
        self._mode = default_mode()

    def clear(self) -> None:
        """Forget everything written (its staging folder emptied)."""
        for entry in self.root.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        self.files.clear()
        self.kept.clear()
        self._folders.clear()

    def fresh(self) -> _Writer:
        """A writer to the same folders with nothing written yet (for a worker)."""
        return _Writer(self.root, self.current, self.owned, self.link_kept)

    def write(self, relative: str, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.files[relative] = hashlib.sha256(data).hexdigest()
        # paths as text, os's calls: a build writes thousands of files, and pathlib's
        # objects cost more than the system calls
        unchanged = self._unchanged(relative, data)
        if unchanged and not self.link_kept:
            self.kept.add(relative)
            return
        path = os.path.join(self._root, relative)
        folder = os.path.dirname(path)
        if folder not in self._folders:  # one mkdir per folder, not per file
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        if unchanged:
            assert self.current is not None, "only a file of the current output is kept"
            try:
                os.link(os.path.join(self._current, relative), path)
                self.kept.add(relative)
                return
            except OSError:  # no hard links here (or the file just went): written instead
                pass
        with open(path, "wb") as handle:
            handle.write(data)

    def _unchanged(self, relative: str, data: bytes) -> bool:
        """Whether the output already holds `data` at `relative`, in a plain file the
        previous build wrote (not a link, not a hard link) with the mode a new one gets."""
        if self.current is None or relative not in self.owned:
            return False
        path = os.path.join(self._current, relative)
        try:
            st = os.lstat(path)
            if not (stat.S_ISREG(st.st_mode) and st.st_size == len(data) and st.st_nlink == 1
                    and stat.S_IMODE(st.st_mode) == self._mode):
                return False
            with open(path, "rb") as handle:
                return handle.read(len(data) + 1) == data
        except OSError:
            return False


@dataclass
class _Log:
    """A charter's build-log lines, and the details `--verbose` adds."""

    lines: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    def extend(self, other: _Log) -> None:
        self.lines += other.lines
        self.details += other.details


def _compile(subject: Subject, documents: Documents, writer: _Writer, langs: Sequence[str],
             formats: Sequence[str]) -> _Log:
    """Every file of one charter; returns its build-log lines."""
    from ..export import EXPORTERS, exporter
    from ..render.clauses import missing_texts
    from ..render.view import agreement_view, charter_view

    cid = subject.charter.id
    log = _Log([f"{cid}: {line} (documents in {lang!r})"
                for lang in langs for line in missing_texts(subject.charter, lang)])
    exports: dict[str, bytes] = {}
    for name in EXPORTERS:
        exported = exporter(name)(subject)
        writer.write(f"{cid}/{name}", exported.data)
        exports[name] = exported.data
        log.lines += [f"{cid}: {note}" for note in exported.notes]
        log.details += [f"{cid}: {note}" for note in exported.details]
    from ..render.formats import FORMATS
    pdf = _pdf(subject, exports) if any(FORMATS[f].convert for f in formats) else None
    _documents(documents, writer, f"{cid}/charter", "charter", charter_view(subject), langs,
               formats, pdf)
    for client in subject.charter.clients:
        own = _client_pdf(subject, client.id, pdf) if pdf is not None else None
        _documents(documents, writer, f"{cid}/agreements/{client.id}", "agreement",
                   agreement_view(subject, client), langs, formats, own)
    return log


def _documents(documents: Documents, writer: _Writer, path: str, name: str,
               view: dict[str, object], langs: Sequence[str], formats: Sequence[str],
               pdf: Pdf | None) -> None:
    """`path.<lang>.<ext>` for every language and format of one document."""
    from ..render.formats import render_set

    def template(fmt: str, lang: str) -> str:
        return documents.render(fmt, lang, name, view)

    def facts() -> Pdf:
        assert pdf is not None, "_compile states the documents' facts when a format needs them"
        return pdf

    for suffix, data in render_set(formats, langs, template=template, facts=facts).items():
        writer.write(f"{path}{suffix}", data)


def _pdf(subject: Subject, exports: dict[str, bytes]) -> Pdf:
    """What every PDF of a charter carries: author, date, `sla.json` and the charter.

    The date (creation and modification, of the PDF and of its attachments) is the
    date the documents are issued on, "Issued on" (spec 8.2, one date: `--today`, else
    SOURCE_DATE_EPOCH, else the charter file's last commit date, else today; `issue_date`).
    """
    from ..render.pdf import Attached, Pdf, created_from
    from ..render.view import canonical_json, canonical_name
    charter = subject.charter
    effective = charter.terms.effective if charter.terms is not None else None
    # the very bytes whose sha256 the documents print beside this file's name
    canonical = canonical_json(charter.source)
    return Pdf(
        author=charter.provider.name,
        created=created_from(subject.today, effective, charter.period.start),
        attachments=(
            Attached("sla.json", exports["sla.json"], "Service levels as data "
                     "(schemas/sla.schema.json)", "Data"),
            Attached(canonical_name(charter.id), canonical,
                     f"The canonical charter (sha256 {subject.sha256})", "Source"),
        ))


def _client_pdf(subject: Subject, client_id: str, whole: Pdf) -> Pdf:
    """What one client's agreement carries (spec section 8.2): the charter's facts, with its
    own slice of `sla.json` (`export.sla.export_client`) and of the canonical charter
    (`export.confidential.Portfolio.canonical_json`) in place of the whole portfolio's."""
    from ..export.confidential import portfolio
    from ..export.sla import export_client
    from ..render.pdf import Attached, Pdf
    from ..render.view import canonical_name
    charter = subject.charter
    # the very bytes whose sha256 the agreement prints beside this file's name
    sliced = portfolio(charter.source).canonical_json(client_id)
    return Pdf(author=whole.author, created=whole.created, attachments=(
        Attached("sla.json", export_client(subject, client_id).data,
                 "Service levels of this agreement as data (schemas/sla.schema.json)", "Data"),
        Attached(canonical_name(charter.id), sliced,
                 f"The canonical charter as this client's agreement applies it (sha256 "
                 f"{hashlib.sha256(sliced).hexdigest()})", "Source"),
    ))


def default_jobs() -> int:
    """The CPU count this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def worker_count(requested: int | None, charters: int) -> int:
    """Processes to compile `charters` with, this one and its workers: `requested`
    (default: the CPU count), but never more than the CPU count, for more would only
    share the same cores (`-j 100000` forked until memory ran out), nor more than the
    charters, each compiled in one process."""
    cores = default_jobs()
    return max(1, min(cores if requested is None else requested, cores, charters))


# what forked workers inherit: set just before the pool is created, cleared after
_JOB: tuple[Documents, _Writer, Sequence[str], Sequence[str]] | None = None

# what a worker returns for one charter: sha256 of each file, the files kept, the log,
# and the messages each language lacked a translation for
_Compiled = tuple[dict[str, str], set[str], _Log, dict[str, set[str]]]


def _worker_start() -> None:
    """In a new worker: what it inherited from the parent's heap (the checked charters,
    compiled templates, caches) frozen, as the parent froze its imports. The collector
    then walks only what the worker makes: before, each full collection walked the whole
    inherited heap, and a worker spent a fifth more CPU on a charter than the parent."""
    gc.freeze()


# What a worker is sent of a charter: its canonical document and the positions of its
# values (all that a compile reads of the source map: sla.json's `source`), with the file,
# notes and date. The worker builds the model again from the document: 0.7 ms, where
# pickling the model and the whole source map cost 3 ms a charter, a tenth of a compile.
_Sent = tuple[Mapping[str, Any], dict[str, tuple[int, int]], str, tuple[Diagnostic, ...],
              date | None]


def _sent(subject: Subject) -> _Sent:
    return (subject.charter.source, subject.sources.values, subject.file, subject.notes,
            subject.today)


def _received(sent: _Sent) -> Subject:
    """The subject `_sent` describes, in a worker."""
    from ..diagnostics import SourceMap
    from ..model.charter import build_model
    from ..render.view import Subject
    document, values, file, notes, today = sent
    return Subject(build_model(document), SourceMap(file, values=values), file, notes, today)


def _compile_sent(sent: _Sent) -> _Compiled:
    """In a worker: compile the charter `sent` into the staging folder."""
    assert _JOB is not None
    subject = _received(sent)
    documents, template, langs, formats = _JOB
    writer = template.fresh()
    for language in documents.languages.values():
        language.missing.clear()
    log = _compile(subject, documents, writer, langs, formats)
    missing = {lang: set(language.missing) for lang, language in documents.languages.items()}
    return writer.files, writer.kept, log, missing


def _compile_all(subjects: list[Subject], documents: Documents, writer: _Writer,
                 langs: Sequence[str], formats: Sequence[str],
                 progress: Progress | None = None) -> _Log:
    """Compile every charter in this process, in charter-id order; the log lines."""
    log = _Log()
    for subject in subjects:
        log.extend(_compile(subject, documents, writer, langs, formats))
        documents.warmed.add((tuple(langs), tuple(formats)))
        if progress is not None:
            progress(f"compiled {subject.charter.id}")
    return log


# told each charter compiled, as it is (`build(progress=...)`: `release` prints it)
Progress = Callable[[str], None]


def _workers(jobs: int) -> int:
    """The workers of a build on `jobs` processes: this one is the last."""
    return max(1, jobs - 1)


def _told(progress: Progress, cid: str) -> Callable[[Future[_Compiled]], None]:
    """What a worker's result, once it arrives, tells `progress`."""
    def done(future: Future[_Compiled]) -> None:
        progress(f"compiled {cid}" if future.exception() is None else f"failed {cid}")
    return done


class _Compiler:
    """Compiles each clean charter on forked workers while the parent checks the next.

    The check runs in the parent, one file after another, on a core of its own (there
    are `jobs - 1` workers); without this a build's other cores would wait for the whole
    check before compiling anything. Once the check is over, the parent compiles the
    charters no worker has started (`_take_back`). The first clean
    charter is compiled here, so that every template is compiled before the fork and
    inherited (unless this process has compiled a charter in these languages and formats
    already: the workers are then forked at once); then each one the check passes waits
    here, and each worker is sent (pickled: a millisecond) the first waiting ones so as
    to stay two ahead; a worker writes a charter's files into the staging folder and
    returns their sha256s, kept files, log lines and missing translations. A
    charter whose id an earlier file already has is not sent: R302 is reported on it when
    the check is over. Nothing is published before the check is over and the build
    decided: `finish` takes the list of charters to build and merges their results in
    charter-id order (byte-identical to one process); when that list is not what was
    compiled (a case the check's per-file results cannot foresee), the staged work is
    dropped and the list compiled again here.
    """

    def __init__(self, documents: Documents, writer: _Writer, langs: Sequence[str],
                 formats: Sequence[str], jobs: int, progress: Progress | None = None) -> None:
        self.documents, self.writer, self.progress = documents, writer, progress
        self.langs, self.formats, self.jobs = langs, formats, jobs
        self.logs: dict[str, _Log] = {}           # charter id -> its log, compiled here
        self.sent: dict[str, Future[_Compiled]] = {}  # charter id -> a worker's result
        self.files: dict[str, str] = {}           # charter id -> the file it came from
        self.waiting: deque[Subject] = deque()    # checked, neither sent nor compiled
        self.flying: list[Future[_Compiled]] = []  # sent, not yet compiled
        self.failure: BaseException | None = None  # raised by `finish`, after the check
        self.pool: ProcessPoolExecutor | None = None

    def offer(self, subject: Subject) -> None:
        """Start compiling `subject` (a charter the check has passed)."""
        cid = subject.charter.id
        if cid in self.files or self.failure is not None:
            return
        self.files[cid] = subject.file
        try:
            request = (tuple(self.langs), tuple(self.formats))
            if not self.logs and not self.sent and request not in self.documents.warmed:
                self.logs[cid] = _compile(subject, self.documents, self.writer, self.langs,
                                          self.formats)
                self.documents.warmed.add(request)
                if self.progress is not None:
                    self.progress(f"compiled {cid}")
                return
            if self.pool is None:
                self.pool = self._fork()
            self.waiting.append(subject)
            self._send()
        except Exception as exc:  # a template problem: raised once the check has spoken
            self.failure = exc

    def _send(self) -> None:
        """Keep each worker two charters ahead, the first ones waiting: the rest wait
        here, where this process can take them back (`_take_back`)."""
        assert self.pool is not None
        self.flying = [future for future in self.flying if not future.done()]
        while self.waiting and len(self.flying) < 2 * _workers(self.jobs):
            subject = self.waiting.popleft()
            cid = subject.charter.id
            future = self.sent[cid] = self.pool.submit(_compile_sent, _sent(subject))
            self.flying.append(future)
            if self.progress is not None:
                future.add_done_callback(_told(self.progress, cid))

    def _fork(self) -> ProcessPoolExecutor:
        global _JOB
        _JOB = (self.documents, self.writer, self.langs, self.formats)
        try:
            # one core is this process's: it checks while the workers compile, then
            # compiles what no worker has started (`_take_back`)
            pool = ProcessPoolExecutor(max_workers=_workers(self.jobs),
                                       mp_context=multiprocessing.get_context("fork"),
                                       initializer=_worker_start)
            # forked workers start with the first task; start them now, with this heap
            pool.submit(int).result()
        finally:
            _JOB = None
        return pool

    def finish(self, subjects: list[Subject]) -> _Log:
        """The log of `subjects` (charter-id order), their files merged into the writer."""
        try:
            wanted = {s.charter.id: s.file for s in subjects}
            if self.failure is not None:
                raise self.failure
            if self.files != wanted:
                return self._again(subjects)
            self._take_back()
            for cid, future in self.sent.items():
                files, kept, log, gaps = future.result()
                self.writer.files.update(files)
                self.writer.kept |= kept
                self.logs[cid] = log
                for lang, missing in gaps.items():
                    self.documents.language(lang).missing |= missing
            merged = _Log()
            for cid in sorted(self.logs):
                merged.extend(self.logs[cid])
            return merged
        finally:
            self.close()

    def _take_back(self) -> None:
        """Once the check is over, compile here the charters still waiting, from the last
        one checked, while the workers are sent the first ones."""
        while self.waiting:
            subject = self.waiting.pop()
            cid = subject.charter.id
            self.logs[cid] = _compile(subject, self.documents, self.writer, self.langs,
                                      self.formats)
            if self.progress is not None:
                self.progress(f"compiled {cid}")
            if self.waiting:
                self._send()

    def _again(self, subjects: list[Subject]) -> _Log:
        """Drop what was staged, and compile `subjects` here."""
        self.close()
        self.writer.clear()
        return _compile_all(subjects, self.documents, self.writer, self.langs, self.formats)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def _links(prefix: str, langs: Sequence[str], formats: Sequence[str]) -> list[dict[str, str]]:
    from ..render.formats import FORMATS
    return [{"href": f"{prefix}.{lang}{FORMATS[fmt].extension}",
             "label": f"{FORMATS[fmt].label} ({lang})"}
            for lang in langs for fmt in formats]


def _index_view(subjects: Sequence[Subject], langs: Sequence[str], formats: Sequence[str],
                today: date | None) -> dict[str, object]:
    from ..export import EXPORTERS
    from ..render.view import Token, next_review, term_end
    charters: list[dict[str, object]] = []
    for s in subjects:
        c = s.charter
        documents = _links(f"{c.id}/charter", langs, formats) + [
            {"href": f"{c.id}/{name}", "label": name} for name in EXPORTERS]
        charters.append({
            "id": c.id, "title": c.metadata.title, "version": c.version,
            "status": Token(c.metadata.status), "start": c.period.start, "end": term_end(c),
            "reviewed": c.baseline.reviewed if c.baseline else None,
            "next_review": next_review(c),
            "documents": documents,
            "agreements": [{"id": x.id, "name": x.name, "tier": _tier_name(c, x),
                            "documents": _links(f"{c.id}/agreements/{x.id}", langs, formats)}
                           for x in c.clients]})
    return {"charters": charters, "today": today}


def _tier_name(charter: Charter, client: Client) -> str:
    tier = charter.tier(client.tier)
    assert tier is not None, "the references (R301) checked that a client's tier exists"
    return tier.name


def portfolio_path(file: str | Path, given: str | Path,
                   roots: dict[Path, Path | None] | None = None) -> str:
    """`file` as outputs name it: relative to its repository's root (the nearest folder
    above it holding `.git`), else to `given`, the file or folder named on the command
    line; so `build charters`, `build $PWD/charters` and `cd charters && build .` agree.

    `roots` remembers, for one build, each folder's repository root: a thousand charters
    in one folder look for `.git` once."""
    return _portfolio_path(Path(file).resolve(), _given_folder(Path(given).resolve()), roots)


def _given_folder(root: Path) -> Path:
    """The folder a resolved command-line path names: itself, or a file's folder."""
    return root if root.is_dir() else root.parent


def _portfolio_path(path: Path, given_folder: Path,
                    roots: dict[Path, Path | None] | None) -> str:
    """`portfolio_path` of a resolved `path`, found under the resolved `given_folder`."""
    folder = path.parent
    if roots is None or folder not in roots:
        found = next((above for above in (folder, *folder.parents)
                      if (above / ".git").exists()), None)
        if roots is None:
            return _relative(path, found, given_folder)
        roots[folder] = found
    return _relative(path, roots[folder], given_folder)


def _relative(path: Path, repository: Path | None, given_folder: Path) -> str:
    if repository is not None:
        return path.relative_to(repository).as_posix()
    return path.relative_to(given_folder).as_posix() if path.is_relative_to(given_folder) \
        else path.name


def _given(path: Path, roots: Sequence[tuple[Path, Path]]) -> Path:
    """The folder of the command-line path the file at `path` (resolved) was found under:
    `roots` pairs each path given, resolved, with its folder."""
    for root, folder in roots:
        if path == root or path.is_relative_to(root):
            return folder
    return path.parent


def build(paths: Sequence[str | Path] = ("charters",), out: str | Path = "dist", *,
          langs: Sequence[str] = ("en",), formats: Sequence[str] = ("md", "html"),
          today: date | None = None, templates: str | Path | None = None,
          partial: bool = False, limits: Limits = DEFAULT_LIMITS,
          jobs: int | None = None, progress: Progress | None = None) -> BuildResult:
    """Check and compile every charter under `paths` into `out`; BuildProblem for bad requests.

    `jobs`: processes compiling charters (default and most: the CPU count; 1: this process
    only; never more than the charters; one in a daemonic process, which may not fork).
    With more than one, charters are compiled while the next ones are checked (`_Compiler`).
    `progress` is told each charter compiled (from a worker's result, as it arrives).
    """
    out = Path(out)
    _check_request(langs, formats)
    inspect(out, paths)
    if templates is not None and not Path(templates).is_dir():
        raise BuildProblem(f"--templates {templates}: no such folder")
    shown = shown_date(today)
    options = CheckOptions(today=resolve_today(shown), limits=limits)
    jobs = default_jobs() if jobs is None else jobs
    # a daemonic process (a multiprocessing pool's worker) may not have children
    if jobs > 1 and "fork" in multiprocessing.get_all_start_methods() \
            and not multiprocessing.current_process().daemon:
        return _build_overlapped(paths, out, langs, formats, shown, templates, partial,
                                 options, worker_count(jobs, len(discover(paths))), progress)
    checked = check_paths(paths, options)
    result, subjects = _decide(checked, out, _Subjects(paths, shown), partial)
    if subjects is None:
        return result
    with claimed(out) as claim, _template_problems():
        documents = _documents_for(templates)
        writer = _Writer(claim.staging, claim.folder, frozenset(claim.owned), claim.exchange)
        compiled = _compile_all(subjects, documents, writer, langs, formats, progress)
        _publish(claim, writer, documents, compiled, subjects, result, langs, formats, shown)
    return result


def _build_overlapped(paths: Sequence[str | Path], out: Path, langs: Sequence[str],
                      formats: Sequence[str], shown: date | None,
                      templates: str | Path | None, partial: bool, options: CheckOptions,
                      jobs: int, progress: Progress | None = None) -> BuildResult:
    """`build` on `jobs` processes: each charter compiled as soon as the check passes it."""
    with claimed(out) as claim, _template_problems():
        documents = _documents_for(templates)
        writer = _Writer(claim.staging, claim.folder, frozenset(claim.owned), claim.exchange)
        compiler = _Compiler(documents, writer, langs, formats, jobs, progress)
        try:
            made = _Subjects(paths, shown)

            def offer(checked_file: FileResult) -> None:
                subject = made.of(checked_file)
                if subject is not None:
                    compiler.offer(subject)

            checked = check_paths(paths, options, each=offer)
            result, subjects = _decide(checked, out, made, partial)
            if subjects is None:
                return result
            compiled = compiler.finish(subjects)
        finally:
            compiler.close()
        _publish(claim, writer, documents, compiled, subjects, result, langs, formats, shown)
    return result


class _Subjects:
    """Each checked file's `Subject` (what compiling it needs), made once per build."""

    def __init__(self, paths: Sequence[str | Path], shown: date | None) -> None:
        self.paths, self.shown = paths, shown
        self.made: dict[int, Subject] = {}   # id(FileResult) -> its subject
        self.roots: dict[Path, Path | None] = {}
        resolved = [Path(given).resolve() for given in paths]
        self.given = [(root, _given_folder(root)) for root in resolved]

    def of(self, checked_file: FileResult) -> Subject | None:
        """The file's subject; None for a file with errors (not built)."""
        from ..render.view import Subject

        if checked_file.charter is None or _errors(checked_file):
            return None
        made = self.made.get(id(checked_file))
        if made is not None and made.charter is checked_file.charter:
            return made
        notes = tuple(d for d in checked_file.diagnostics if not d.suppressed
                      and d.severity in (Severity.WARNING, Severity.INFO))
        path = Path(checked_file.file).resolve()
        file = _portfolio_path(path, _given(path, self.given), self.roots)
        subject = Subject(checked_file.charter, checked_file.loaded.sources, file, notes,
                          self.shown or issue_date(checked_file.file))
        self.made[id(checked_file)] = subject
        return subject


def _decide(checked: PortfolioResult, out: Path, made: _Subjects,
            partial: bool) -> tuple[BuildResult, list[Subject] | None]:
    """The result so far (the files left out), and the charters to build in charter-id
    order: None when nothing is (errors without `partial`, or an internal error)."""
    result = BuildResult(checked, out)
    subjects: list[Subject] = []
    for f in checked.files:
        subject = made.of(f)
        if subject is None:
            result.left_out.append(f.file)
        else:
            subjects.append(subject)
    if checked.internal_errors or (result.left_out and not partial):
        if result.left_out:
            result.log.append(f"not built: {len(result.left_out)} file(s) with errors; "
                              f"{out} is left as it was")
        return result, None
    for file in result.left_out:
        result.log.append(f"{file}: left out (errors)")
    return result, sorted(subjects, key=lambda s: s.charter.id)


@contextmanager
def _template_problems() -> Iterator[None]:
    """A template or PDF problem, raised while compiling, as the build's BuildProblem."""
    from ..render import TemplateProblem
    from ..render.pdf import PdfProblem
    try:
        yield
    except (TemplateProblem, PdfProblem) as exc:
        raise BuildProblem(str(exc)) from None


def _documents_for(templates: str | Path | None) -> Documents:
    from ..render import Documents
    return Documents.for_templates(templates)


def _publish(claim: Claim, writer: _Writer, documents: Documents, compiled: _Log,
             subjects: list[Subject], result: BuildResult, langs: Sequence[str],
             formats: Sequence[str], shown: date | None) -> None:
    """The index and the manifest written, then everything moved into the output folder."""
    result.log += compiled.lines
    result.details += compiled.details
    result.built += [subject.charter.id for subject in subjects]
    writer.write(INDEX, documents.render("html", langs[0], "index",
                                         _index_view(subjects, langs, formats, shown)))
    manifest = {"generator": f"charterc {__version__}",
                "files": [{"path": p, "sha256": writer.files[p]} for p in sorted(writer.files)]}
    writer.write(MANIFEST, json.dumps(manifest, indent=2) + "\n")
    # where files move one by one, readers see the documents before the index and the
    # manifest that list them
    order = [*sorted(set(writer.files) - {INDEX, MANIFEST}), INDEX, MANIFEST]
    claim.publish({path: writer.files[path] for path in order}, kept=writer.kept)
    if claim.leftover is not None:
        result.log.append(f"the previous {result.out} is kept as {claim.leftover}: files were "
                          f"added to it during the build (the new build has the others)")
    result.files = writer.files
    result.published = True
    for lang in documents.languages:
        result.missing_translations |= documents.language(lang).missing
