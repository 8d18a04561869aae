"""The language server's frame reader: a frame whose Content-Length is off, or far too
large, costs that frame only; the next request is answered."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls")

from charterc.lsp.frames import MAX_CONTENT_LENGTH, Frames, Refused

ROOT = Path(__file__).parent.parent


def frame(body: bytes, length: int | None = None) -> bytes:
    return f"Content-Length: {len(body) if length is None else length}\r\n\r\n".encode() + body


def message(payload: dict[str, Any], off: int = 0) -> bytes:
    body = json.dumps(payload).encode()
    return frame(body, len(body) + off)


HOVER = {"jsonrpc": "2.0", "id": 5, "method": "no/such-method"}
INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"capabilities": {}, "processId": None, "rootUri": None}}


def bodies(stream: bytes) -> list[bytes | Refused]:
    frames, found = Frames(io.BytesIO(stream)), []
    while (item := frames.next()) is not None:
        found.append(item)
    return found


@pytest.mark.parametrize("off", [-1, 1, -5, 7])
def test_the_frame_after_one_whose_length_is_off_is_read_whole(off):
    found = bodies(message(HOVER, off) + message(INITIALIZE))
    assert json.loads(found[-1]) == INITIALIZE  # type: ignore[arg-type]


def test_a_frame_a_byte_short_is_refused_as_not_json():
    found = bodies(message(HOVER, -1) + message(INITIALIZE))
    assert isinstance(found[0], Refused) and found[0].code == -32700
    assert len(found) == 2


def test_an_oversized_content_length_is_refused_without_reading_it():
    found = bodies(frame(b"{}", 99999999999) + message(INITIALIZE))
    assert isinstance(found[0], Refused) and "99,999,999,999 bytes" in found[0].reason
    assert json.loads(found[1]) == INITIALIZE  # type: ignore[arg-type]
    assert MAX_CONTENT_LENGTH < 99999999999


def test_a_line_without_end_is_read_in_pieces():
    found = bodies(b"x" * 1_000_000 + message(INITIALIZE))
    assert [json.loads(b) for b in found] == [INITIALIZE]  # type: ignore[arg-type]


def _session(prefix: bytes) -> subprocess.CompletedProcess[bytes]:
    shutdown = message({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    leave = message({"jsonrpc": "2.0", "method": "exit"})
    return subprocess.run([sys.executable, "-m", "charterc", "lsp"],
                          input=prefix + message(INITIALIZE) + shutdown + leave,
                          capture_output=True, timeout=60, cwd=ROOT)


@pytest.mark.parametrize("off", [1, -1])
def test_the_server_answers_the_request_after_a_frame_a_byte_off(off):
    done = _session(message({"jsonrpc": "2.0", "id": 9, "method": "no/such-method"}, off))
    assert done.returncode == 0
    assert b'"id": 1' in done.stdout and b'"capabilities"' in done.stdout
    assert b'"id": 2' in done.stdout
    assert b"Traceback" not in done.stderr


def test_the_server_refuses_a_huge_content_length_and_goes_on():
    done = _session(b"Content-Length: 99999999999\r\n\r\n{}")
    assert done.returncode == 0
    assert b"-32600" in done.stdout and b"99,999,999,999 bytes" in done.stdout
    assert b'"id": 1' in done.stdout and b'"capabilities"' in done.stdout
    assert b"MemoryError" not in done.stderr and b"internal error" not in done.stderr
