"""The pygls server of `charterc lsp`: its state (open documents and their analyses,
workspace folders, today, debounce), checking and publishing; `handlers.py` wires the
LSP features to it.

Documents are checked on open and save at once, and after a change once the author
pauses (`debounce`, 50 ms by default), so a burst of keystrokes costs one check. A
request (hover, completion, ...) on a document whose text changed since its last
check checks it first. Heavy work is lazy and stays warm in the process: the
schema validator, holiday calendars and zone transitions are built on first use and
cached by the modules that own them, so after the first check a keystroke costs a
load, the schema and the rules of one file.

No handler lets an exception out: a failure becomes a log line on stderr (never a
traceback) and an empty answer; a failing check becomes the X001 finding `check`
reports.
"""
from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import ServerTextPosition, ServerTextRange

from .. import __version__
from ..loaders import is_charter_file
from ..pipeline import CheckOptions
from .analysis import Analysis, Portfolio, analyse
from .convert import to_lsp
from .frames import Frames, Refused

__all__ = ["CharterServer", "build", "charter_path", "quietly", "serve"]

logger = logging.getLogger("charterc.lsp")

Handler = TypeVar("Handler", bound=Callable[..., Any])

class CharterServer(LanguageServer):
    """A language server for charters; `today` and `debounce` (seconds) as `charterc lsp`
    was started, which `initializationOptions` may override."""

    def __init__(self, today: date | None = None, debounce: float = 0.05) -> None:
        super().__init__("charterc", __version__)
        self.today = today
        self.debounce = debounce
        self.analyses: dict[str, Analysis] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.folders: dict[Path, Portfolio] = {}

    # -- state ------------------------------------------------------------------------

    def options(self) -> CheckOptions:
        from ..pipeline.today import resolve_today
        return CheckOptions(today=resolve_today(self.today))

    def portfolio(self, path: Path) -> Portfolio | None:
        """The workspace folder holding the file (the innermost), for R302 across files."""
        holding = [root for root in self.folders if path.is_relative_to(root)]
        if not holding:
            return None
        portfolio = self.folders[max(holding, key=lambda root: len(root.parts))]
        portfolio.options = self.options()
        return portfolio

    def configure(self, params: types.InitializeParams) -> None:
        """`initializationOptions` (`today`, `debounce` in ms) and the workspace folders."""
        options = params.initialization_options
        if isinstance(options, dict):
            if "today" in options:
                day = _day(options["today"])
                if day is None:
                    self.window_show_message(types.ShowMessageParams(
                        type=types.MessageType.Error,
                        message=f"charterc: today {options['today']!r} is not a date "
                                "(YYYY-MM-DD); the clock's date is used"))
                self.today = day or self.today
            if isinstance(options.get("debounce"), int | float) and options["debounce"] >= 0:
                self.debounce = options["debounce"] / 1000
        roots = [folder.uri for folder in params.workspace_folders or ()] or (
            [params.root_uri] if params.root_uri else [])
        for root in roots:
            if root.startswith("file:") and (path := to_fs_path(root)):
                folder = Path(path).resolve()
                self.folders[folder] = Portfolio(folder, self.options())

    def watch(self) -> None:
        """Ask the client to say when charters are created or deleted (R302 across the
        folder), if it can register watchers."""
        workspace = self.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace is not None else None
        if not self.folders or watched is None or not watched.dynamic_registration:
            return
        self.client_register_capability(types.RegistrationParams(registrations=[
            types.Registration(
                id="charterc-charters", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=[
                    types.FileSystemWatcher(glob_pattern=pattern)
                    for pattern in ("**/*.charter", "**/*.charter.yaml", "**/*.charter.yml")]))]))

    def report_server_error(self, error: Exception, source: Any) -> None:
        """One line on stderr, in place of pygls' traceback and message box: a message the
        server cannot read is dropped, and the server goes on with the next."""
        logger.warning("%s: %s", type(error).__name__, str(error).split("\n", 1)[0])

    def analysis(self, uri: str) -> Analysis | None:
        """The document's analysis, checked again first if its text changed since."""
        document = self.workspace.text_documents.get(uri)
        if document is None:
            return None
        known = self.analyses.get(uri)
        if known is not None and known.text == document.source:
            return known
        return self.check(uri)

    def check(self, uri: str) -> Analysis | None:
        document = self.workspace.text_documents.get(uri)
        path = charter_path(uri)
        if document is None or path is None:
            return None
        portfolio = self.portfolio(path.resolve()) if path.is_absolute() else None
        if portfolio is not None:
            portfolio.open = {
                Path(other.path).resolve(): (other.result.declared_id, other.result.sources)
                for key, other in self.analyses.items()
                if key != uri and Path(other.path).is_absolute()}
        found = analyse(uri, str(path), document.source, self.options(), portfolio,
                        self.analyses.get(uri))
        self.analyses[uri] = found
        return found

    def publish(self, uri: str) -> None:
        found = self.check(uri)
        if found is None:
            return
        path = charter_path(uri)
        portfolio = self.portfolio(path.resolve()) if path is not None and path.is_absolute() \
            else None
        uris = {found.result.file: uri}
        for finding in found.diagnostics:
            for file, _, _ in finding.related:
                if file not in uris and portfolio is not None and portfolio.root is not None:
                    uris[file] = from_fs_path(str(portfolio.root / file)) or uri
        document = self.workspace.get_text_document(uri)
        diagnostics = []
        for finding in found.diagnostics:
            if finding.suppressed:
                continue
            converted = to_lsp(found, finding, uris)
            converted.range = self.to_client(document.lines, converted.range)
            diagnostics.append(converted)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, diagnostics=diagnostics, version=document.version))

    def schedule(self, uri: str) -> None:
        """Check and publish once the author has paused for `debounce` seconds."""
        earlier = self.pending.pop(uri, None)
        if earlier is not None:
            earlier.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(self._later(uri))

    def met(self, uri: str) -> None:
        """A charter opened or saved, which may be new to its folder."""
        path = charter_path(uri)
        if path is not None and path.is_absolute():
            for portfolio in self.folders.values():
                portfolio.meet(path.resolve())

    def saved(self, uri: str) -> None:
        self.met(uri)
        self.publish(uri)
        # R302 of the other open charters may have changed with this one's id
        for other in list(self.analyses):
            if other != uri:
                self.publish(other)

    def closed(self, uri: str) -> None:
        self.analyses.pop(uri, None)
        pending = self.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        if charter_path(uri) is not None:
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    async def _later(self, uri: str) -> None:
        await asyncio.sleep(self.debounce)
        self.pending.pop(uri, None)
        quietly(self.publish)(uri)

    # -- positions --------------------------------------------------------------------

    def to_client(self, lines: Any, span: types.Range) -> types.Range:
        return self.workspace.position_codec.range_to_client_units(
            lines, ServerTextRange(ServerTextPosition(span.start.line, span.start.character),
                                   ServerTextPosition(span.end.line, span.end.character)))

    def range_of(self, uri: str, line: int, start: int, end_line: int, end: int) -> types.Range:
        lines = self.workspace.get_text_document(uri).lines
        return self.to_client(lines, types.Range(
            start=types.Position(line=line, character=start),
            end=types.Position(line=end_line, character=end)))

    def at(self, uri: str, position: types.Position) -> tuple[int, int]:
        found = self.workspace.get_text_document(uri).position_from_client_units(position)
        return found.line, found.character


def charter_path(uri: str) -> Path | None:
    """The file a charter document is (None for other documents)."""
    path = to_fs_path(uri) if uri.startswith("file:") else uri.rsplit("/", 1)[-1]
    if not path or not is_charter_file(path):
        return None
    return Path(path)


def quietly(handler: Handler) -> Handler:
    """The handler, logging (one line, no traceback) instead of raising."""

    @functools.wraps(handler)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return handler(*args, **kwargs)
        except Exception as exc:
            logger.warning("%s failed: %s: %s", handler.__name__, type(exc).__name__, exc)
            return None

    return run  # type: ignore[return-value]


def _day(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def build(today: date | None = None, debounce: float = 0.05) -> CharterServer:
    from .handlers import register

    server = CharterServer(today, debounce)
    register(server)
    return server


class _OneLine(logging.Formatter):
    """Log records on one line, without tracebacks (pygls writes some into its messages):
    a server's stderr ends up in an editor's log, read by people."""

    def formatException(self, ei: Any) -> str:
        return ""

    def formatStack(self, stack_info: str) -> str:
        return ""

    def format(self, record: logging.LogRecord) -> str:
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return super().format(record).split("\n", 1)[0]


def serve(today: date | None = None, debounce: float = 0.05, *, frames: Frames | None = None,
          replay: Sequence[bytes] = (), rest: Sequence[bytes | Refused] = (),
          expected: Sequence[str] = ()) -> None:
    """Run the server on stdin and stdout until the client says exit.

    `early.serve` hands over the frames it read: `replay`, those it answered (read again
    here, what they send dropped), `rest`, the first it did not, and the ids of the
    requests it sent the client (`expected`: their answers are welcome)."""
    handler = logging.StreamHandler()
    handler.setFormatter(_OneLine("charterc lsp: %(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    from .frames import run_stdio
    server = build(today, debounce)
    if expected:
        from concurrent.futures import Future
        for msg_id in expected:
            server.protocol._request_futures[msg_id] = Future()
    run_stdio(server, frames=frames, replay=replay, rest=rest)


