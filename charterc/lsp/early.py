"""The first diagnostics of `charterc lsp`, sent before pygls and lsprotocol are imported.

Importing lsprotocol builds some 560 attrs classes: several times a one-file check. An
editor starting the server for the charter it opens would wait for that before the
first diagnostics, although the check needs none of it. So `serve` reads the first
messages itself (with `frames.Frames`) and answers them as the pygls server would:

- `initialize`: the server's capabilities (`CAPABILITIES`, what pygls computes from the
  features `handlers.py` registers; a test compares the two for several clients);
- `initialized`: the file watchers registered, as `server.watch` registers them;
- `textDocument/didOpen` of a charter: the document checked (`analysis.analyse`, as
  the server checks it) and its diagnostics published, converted as `convert.to_lsp`
  and `server.publish` convert them.

Then it imports the server, which reads those messages again in order (what it would
send for `initialize` and `didOpen` is dropped: already sent; `initialized` may register
file watchers) and goes on with the stream. Any other message, a frame that does not
read, initialization options the early path does not handle (a `today` that is not a
date), or an answer the early path cannot give hand over to the server at once, which
then reads that message first: the early path never answers what the server would
answer otherwise.
"""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from .frames import Frames, Refused

__all__ = ["CAPABILITIES", "Early", "serve"]

# What pygls answers to `initialize` for the features `handlers.py` registers, for a client
# that says nothing of `willSave` (pygls adds `"willSave": false` and `"willSaveWaitUntil":
# false` when the client states them, and the position encoding the client prefers).
CAPABILITIES: dict[str, Any] = {
    "positionEncoding": "utf-16",
    "textDocumentSync": {"openClose": True, "change": 2, "save": True},
    "completionProvider": {"triggerCharacters": [":", " ", "[", ",", "/"]},
    "hoverProvider": True,
    "definitionProvider": True,
    "referencesProvider": True,
    "documentSymbolProvider": True,
    "codeActionProvider": {"codeActionKinds": ["quickfix"]},
    "documentFormattingProvider": True,
    "executeCommandProvider": {"commands": []},
    "workspace": {"workspaceFolders": {"supported": True, "changeNotifications": True},
                  "fileOperations": {}},
}
_ENCODINGS = ("utf-8", "utf-16", "utf-32")
_SEVERITIES = {"error": 1, "warning": 2, "info": 3}
_HEADER = "Content-Length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n"


class Early:
    """The server's state for its first messages: `handle` answers one, or says no."""

    def __init__(self, today: date | None, out: BinaryIO) -> None:
        self.today = today
        self.out = out
        self.encoding = "utf-16"
        self.folders: dict[Path, Any] = {}   # folder -> analysis.Portfolio
        self.initialized = False
        self.opened = False                  # the first charter's diagnostics are out
        self.handled: list[tuple[bytes, str]] = []   # (frame, method) answered here
        self.capabilities: dict[str, Any] = {}
        self.requests: list[str] = []        # ids of the requests sent to the client

    def handle(self, frame: bytes | Refused | None) -> bool:
        """Answer `frame` as the server would and keep it to hand over; False when the
        server must answer it (it is then not kept)."""
        if not isinstance(frame, bytes):
            return False
        try:
            message = json.loads(frame)
        except ValueError:
            return False
        if not isinstance(message, dict) or message.get("jsonrpc") != "2.0":
            return False
        method, params = message.get("method"), message.get("params")
        if method == "initialize" and not self.handled and "id" in message \
                and isinstance(params, dict):
            answered = self._initialize(message["id"], params)
        elif method == "initialized" and self.handled and not self.initialized \
                and "id" not in message:
            self.initialized = answered = True
            self._watch()
        elif method == "textDocument/didOpen" and self.initialized and "id" not in message \
                and isinstance(params, dict):
            answered = self._open(params)
        else:
            answered = False
        if answered:
            self.handled.append((frame, str(method)))
        return answered

    # -- the messages -----------------------------------------------------------------

    def _initialize(self, msg_id: Any, params: dict[str, Any]) -> bool:
        from ..pipeline import CheckOptions
        from ..pipeline.today import resolve_today
        from .analysis import Portfolio

        capabilities = params.get("capabilities")
        if not isinstance(capabilities, dict) or not _plain(params):
            return False
        self.capabilities = capabilities
        options = params.get("initializationOptions")
        if isinstance(options, dict) and "today" in options:
            try:
                self.today = date.fromisoformat(options["today"]) or self.today
            except (TypeError, ValueError):
                return False  # the server says so in a message: its answer
        answer = json.loads(json.dumps(CAPABILITIES))
        self.encoding = answer["positionEncoding"] = _encoding(capabilities)
        sync = _get(capabilities, "textDocument", "synchronization")
        if isinstance(sync, dict):
            for name in ("willSave", "willSaveWaitUntil"):
                if sync.get(name) is not None:
                    answer["textDocumentSync"][name] = False
        from pygls.uris import to_fs_path

        folders = params.get("workspaceFolders") or ()
        roots = [f.get("uri") for f in folders if isinstance(f, dict)] or (
            [params["rootUri"]] if params.get("rootUri") else [])
        for root in roots:
            if isinstance(root, str) and root.startswith("file:") and (path := to_fs_path(root)):
                folder = Path(path).resolve()
                self.folders[folder] = Portfolio(
                    folder, CheckOptions(today=resolve_today(self.today)))
        from .. import __version__

        self._send({"id": msg_id, "jsonrpc": "2.0", "result": {
            "capabilities": answer, "serverInfo": {"name": "charterc", "version": __version__}}})
        _prepare()
        return True

    def _watch(self) -> None:
        """`server.watch`: ask the client to say when charters are created or deleted."""
        if not self.folders or not _get(self.capabilities, "workspace",
                                        "didChangeWatchedFiles", "dynamicRegistration"):
            return
        msg_id = "charterc-watchers"  # sent once; the server's own requests use uuids
        self.requests.append(msg_id)
        self._send({"id": msg_id, "params": {"registrations": [{
            "id": "charterc-charters", "method": "workspace/didChangeWatchedFiles",
            "registerOptions": {"watchers": [
                {"globPattern": pattern}
                for pattern in ("**/*.charter", "**/*.charter.yaml", "**/*.charter.yml")]}}]},
            "method": "client/registerCapability", "jsonrpc": "2.0"})

    def _open(self, params: dict[str, Any]) -> bool:
        from ..diagnostics import Severity
        from ..pipeline import CheckOptions
        from ..pipeline.today import resolve_today
        from .analysis import analyse, span

        document = params.get("textDocument")
        if not isinstance(document, dict):
            return False
        uri, text, version = document.get("uri"), document.get("text"), document.get("version")
        if not isinstance(uri, str) or not isinstance(text, str) or type(version) is not int:
            return False
        path = _charter_path(uri)
        if path is None:
            return False
        options = CheckOptions(today=resolve_today(self.today))
        portfolio = None
        if path.is_absolute():
            target = path.resolve()
            holding = [root for root in self.folders if target.is_relative_to(root)]
            if holding:
                portfolio = self.folders[max(holding, key=lambda root: len(root.parts))]
                portfolio.options = options
        found = analyse(uri, str(path), text, options, portfolio, None)
        from pygls.uris import from_fs_path

        uris = {found.result.file: uri}
        for finding in found.diagnostics:
            for file, _, _ in finding.related:
                if file not in uris and portfolio is not None and portfolio.root is not None:
                    uris[file] = from_fs_path(str(portfolio.root / file)) or uri
        lines = text.splitlines(True)
        diagnostics = []
        for finding in found.diagnostics:
            if finding.suppressed:
                continue
            line, start, end = span(found, finding.line, finding.column)
            message = finding.message + (f"\nhint: {finding.hint}" if finding.hint else "")
            converted: dict[str, Any] = {
                "range": {"start": self._position(lines, line, start),
                          "end": self._position(lines, line, end)},
                "message": message,
                "severity": _SEVERITIES[(finding.severity or Severity.ERROR).value],
                "code": finding.rule,
                "source": "charterc",
            }
            related = [{"location": {"uri": uris.get(file, uri), "range": {
                "start": {"line": max(r_line - 1, 0), "character": max(r_column - 1, 0)},
                "end": {"line": max(r_line - 1, 0), "character": max(r_column - 1, 0)}}},
                "message": "also here"} for file, r_line, r_column in finding.related]
            if related:
                converted["relatedInformation"] = related
            converted["data"] = {"pointer": finding.pointer, "hint": finding.hint}
            diagnostics.append(converted)
        self._send({"params": {"uri": uri, "diagnostics": diagnostics, "version": version},
                    "method": "textDocument/publishDiagnostics", "jsonrpc": "2.0"})
        self.opened = True
        return True

    # -- output -----------------------------------------------------------------------

    def _position(self, lines: list[str], line: int, character: int) -> dict[str, int]:
        """A position in code points -> the client's units, as pygls converts it."""
        if line >= len(lines):
            return {"line": len(lines), "character": 0}
        head = lines[line][:character]
        if self.encoding == "utf-32":
            units = len(head)
        elif self.encoding == "utf-8":
            units = sum(1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4
                        for o in map(ord, head))
        else:
            units = len(head) + sum(1 for c in head if ord(c) > 0xFFFF)
        return {"line": line, "character": units}

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message)
        self.out.write((_HEADER.format(len(body)) + body).encode("utf-8"))
        self.out.flush()


def _prepare() -> None:
    """Import what checking a YAML charter needs, while the client reads the answer to
    `initialize` and sends the document (the check would import them next)."""
    import importlib

    for name in ("charterc.loaders.yaml", "charterc.validate.schema",
                 "charterc.validate.references", "charterc.model.charter", "charterc.checks",
                 "charterc.model.projection"):
        importlib.import_module(name)


def _get(mapping: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(mapping, dict):
            return None
        mapping = mapping.get(key)
    return mapping


def _plain(params: dict[str, Any]) -> bool:
    """Whether the parameters are of the shapes the early path reads (else the server,
    which validates them, answers)."""
    folders = params.get("workspaceFolders")
    root = params.get("rootUri")
    return (folders is None or (isinstance(folders, list) and all(
        isinstance(f, dict) and isinstance(f.get("uri"), str) for f in folders))) \
        and (root is None or isinstance(root, str)) \
        and isinstance(params.get("processId"), int | None) \
        and isinstance(params.get("initializationOptions"), dict | None)


def _encoding(capabilities: dict[str, Any]) -> str:
    """The client's first position encoding the server supports (pygls's choice)."""
    encodings = _get(capabilities, "general", "positionEncodings")
    if isinstance(encodings, list):
        for encoding in encodings:
            if encoding in _ENCODINGS:
                return str(encoding)
    return "utf-16"


def _charter_path(uri: str) -> Path | None:
    """`server.charter_path`, without the server."""
    from pygls.uris import to_fs_path

    from ..loaders import is_charter_file

    path = to_fs_path(uri) if uri.startswith("file:") else uri.rsplit("/", 1)[-1]
    if not path or not is_charter_file(path):
        return None
    return Path(path)


def serve(today: date | None = None, debounce: float = 0.05) -> None:
    """`server.serve`, with the first messages answered before the server is imported."""
    frames = Frames(sys.stdin.buffer)
    early = Early(today, sys.stdout.buffer)
    rest: list[bytes | Refused] = []
    try:
        while not early.opened:
            frame = frames.next()
            if frame is None or not early.handle(frame):
                if frame is not None:
                    rest.append(frame)
                break
    except BrokenPipeError:
        return
    try:
        from .server import serve as serve_all
    except ImportError as exc:  # installed, but not the versions charterc[lsp] pins
        from ..exits import EXIT_USAGE
        from . import MISSING

        print(f"charterc lsp: error: {MISSING} ({exc})", file=sys.stderr)
        sys.exit(EXIT_USAGE)
    # what the server would send for these messages was sent: not again
    serve_all(today, debounce, frames=frames, replay=[frame for frame, _ in early.handled],
              rest=rest, expected=early.requests)
