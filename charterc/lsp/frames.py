"""The language server's reader of LSP frames on stdin: bounded, and resynchronised after
a bad frame.

pygls 2.1's reader trusts a frame's `Content-Length`: one a byte off glues the rest of
the stream to the wrong place and every later header is missed (the server stays alive
and never answers again), and `Content-Length: 99999999999` is read into memory at once
(MemoryError). This reader

- refuses a `Content-Length` over `MAX_CONTENT_LENGTH` (an error logged and a JSON-RPC
  error sent) and looks for the next header instead of reading that body;
- finds a header anywhere in a line (`}Content-Length: 52`: the byte a short frame left
  over), so the frame after a short one is read whole;
- reads the first JSON value of a body and gives back what follows it (the start of the
  next header, read by a frame a few bytes too long);
- reads header lines in pieces of `MAX_LINE` bytes, so a line without end never fills
  memory either.

A body that is not JSON is answered with a JSON-RPC parse error (id null); the server
goes on with the next frame.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from threading import Event
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

__all__ = ["MAX_CONTENT_LENGTH", "MAX_LINE", "Frames", "Refused", "run_stdio"]

logger = logging.getLogger("charterc.lsp")

MAX_CONTENT_LENGTH = 64 * 1024 * 1024   # bytes of one message (a charter is at most 1 MiB)
MAX_LINE = 8192                         # bytes of a header line read at once

_CONTENT_LENGTH = re.compile(rb"Content-Length:[ \t]*(\d+)[ \t]*\r?\n\Z", re.IGNORECASE)
_CARRY = 64   # bytes of a piece of a long line kept, in case a header starts in them

# JSON-RPC error codes
PARSE_ERROR, INVALID_REQUEST = -32700, -32600


@dataclass(frozen=True)
class Refused:
    """A frame that was not read: why, and the JSON-RPC error code to answer with."""

    reason: str
    code: int


class Frames:
    """The bodies of the LSP frames of a binary stream, or `Refused` for a bad frame."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.pending = b""   # bytes read past the end of the last JSON value

    def _read(self, size: int) -> bytes:
        taken, self.pending = self.pending[:size], self.pending[size:]
        if len(taken) < size:
            taken += self.stream.read(size - len(taken)) or b""
        return taken

    def _line(self) -> bytes | None:
        """The next line (at most its last bytes when it is long); None at the end."""
        carried = b""
        while True:
            if self.pending:
                end = self.pending.find(b"\n")
                cut = len(self.pending) if end < 0 else end + 1
                piece, self.pending = self.pending[:cut], self.pending[cut:]
            else:
                piece = self.stream.readline(MAX_LINE)
                if not piece:
                    return carried or None
            if piece.endswith(b"\n"):
                return carried + piece
            carried = (carried + piece)[-_CARRY:]

    def next(self) -> bytes | Refused | None:
        """The next frame's body, a `Refused` frame, or None at the end of the stream."""
        length: int | None = None
        while True:
            line = self._line()
            if line is None:
                return None
            match = _CONTENT_LENGTH.search(line)
            if match:
                length = int(match.group(1)) if len(match.group(1)) < 20 else sys.maxsize
                continue
            if line.strip() or length is None:
                continue  # another header (Content-Type), or noise before a header
            if length > MAX_CONTENT_LENGTH:
                return Refused(f"a frame of {length:,} bytes, over the "
                               f"{MAX_CONTENT_LENGTH // (1024 * 1024)} MiB a message may have: "
                               "skipped to the next header", INVALID_REQUEST)
            if length == 0:
                return Refused("a frame without a body", INVALID_REQUEST)
            return self._body(self._read(length))

    def _body(self, body: bytes) -> bytes | Refused | None:
        """The first JSON value of `body`; what follows it goes back to the stream."""
        if not body:
            return None  # the stream ended
        try:
            text = body.decode("utf-8")
            _, end = json.JSONDecoder().raw_decode(text)
        except (UnicodeDecodeError, ValueError) as exc:
            return Refused(f"a frame whose body is not JSON ({exc}): skipped to the next "
                           "header", PARSE_ERROR)
        used = len(text[:end].encode("utf-8"))
        rest = body[used:]
        if rest.strip():
            logger.warning("a frame %d bytes longer than its message: the rest is read as "
                           "the next header", len(rest))
            self.pending = rest + self.pending
        return body[:used]


def run_stdio(server: LanguageServer, stdin: BinaryIO | None = None,
              stdout: BinaryIO | None = None, *, frames: Frames | None = None,
              replay: Sequence[bytes] = (),
              rest: Sequence[bytes | Refused] = ()) -> None:
    """pygls's `start_io`, with `Frames` as the reader.

    `replay` and `rest` are frames already read (`early.serve`): `replay` are handled
    first, what they send dropped (it was sent), then `rest`, then the stream."""
    from pygls.io_ import StdoutWriter

    stop = Event()
    server._stop_event = stop  # pygls's shutdown and exit set it
    writer = StdoutWriter(stdout or sys.stdout.buffer)
    server.protocol.set_writer(writer)
    frames = frames or Frames(stdin or sys.stdin.buffer)
    try:
        asyncio.run(_serve(server, frames, stop, writer, replay, rest))
    except BrokenPipeError:
        logger.error("the client closed the connection: stopping")
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()  # type: ignore[no-untyped-call]


class _Dropped:
    """A writer that drops what it is given (the answers `early` already sent)."""

    def close(self) -> None:
        pass

    def write(self, data: bytes) -> None:
        pass


async def _serve(server: LanguageServer, frames: Frames, stop: Event, writer: Any,
                 replay: Sequence[bytes], rest: Sequence[bytes | Refused]) -> None:
    protocol = server.protocol
    protocol.set_writer(_Dropped())
    try:
        for frame in replay:
            _handle(server, frame)  # handlers of these messages finish before returning
    finally:
        protocol.set_writer(writer)
    for unread in rest:
        _handle(server, unread)
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        next_frame = await loop.run_in_executor(server.thread_pool, frames.next)
        if next_frame is None:
            break
        _handle(server, next_frame)


def _handle(server: LanguageServer, frame: bytes | Refused) -> None:
    from pygls.exceptions import JsonRpcException

    protocol = server.protocol
    if isinstance(frame, Refused):
        logger.error("%s", frame.reason)
        _answer_error(server, frame)
        return
    try:
        message = json.loads(frame, object_hook=protocol.structure_message)
        protocol.handle_message(message)
    except Exception as exc:  # pygls's own loop does the same: the next frame goes on
        logger.error("cannot handle a message: %s: %s", type(exc).__name__, exc)
        server._report_server_error(exc, JsonRpcException)


def _answer_error(server: LanguageServer, refused: Refused) -> None:
    from lsprotocol.types import ResponseError, ResponseErrorMessage
    server.protocol._send_data(ResponseErrorMessage(
        id=None, error=ResponseError(code=refused.code, message=f"charterc: {refused.reason}")))
