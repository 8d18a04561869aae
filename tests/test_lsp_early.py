"""`charterc lsp`'s first diagnostics before pygls is imported (charterc/lsp/early.py):
the same messages, byte for byte in meaning, as the pygls server sends for the same
session, then the pygls server goes on; and lsprotocol is not imported until then."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-12-04"
YAML = (ROOT / "charters" / "it-service-desk.charter.yaml").read_text(encoding="utf-8")
MISTAKES = (ROOT / "examples" / "mistakes" / "desk.charter.yaml").read_text(encoding="utf-8")
DSL = (ROOT / "examples" / "dsl" / "it-service-desk.charter").read_text(encoding="utf-8")
# a line with characters past U+FFFF and accents before a finding: 2 UTF-16 units, 4 UTF-8
WIDE = MISTAKES.replace("  title: Example Service", "  title: \"\U0001f600 Exemple é\"").replace(
    "  version: 1.10", "  version: 1.10 # \U0001f600")

PLAIN = "import sys\nfrom charterc.lsp.server import serve\nserve()\n"
EARLY = "import sys\nfrom charterc.lsp.early import serve\nserve()\n"


def frame(payload: dict[str, Any]) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def messages(out: bytes) -> list[dict[str, Any]]:
    found = []
    while out:
        head, _, out = out.partition(b"\r\n\r\n")
        length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
        found.append(json.loads(out[:length]))
        out = out[length:]
    return found


def session(program: str, folder: Path, name: str, text: str, capabilities: dict[str, Any],
            *, with_folder: bool = True, registered_id: str | None = None) -> list[Any]:
    path = folder / name
    uri = path.as_uri()
    params: dict[str, Any] = {"capabilities": capabilities, "processId": None,
                              "initializationOptions": {"today": TODAY, "debounce": 10}}
    if with_folder:
        params["rootUri"] = folder.as_uri()
        params["workspaceFolders"] = [{"uri": folder.as_uri(), "name": "charters"}]
    stream = (frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params})
              + frame({"jsonrpc": "2.0", "method": "initialized", "params": {}})
              + frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
                  "textDocument": {"uri": uri, "languageId": "yaml", "version": 3,
                                   "text": text}}}))
    if registered_id is not None:  # the client answers the watchers' registration
        stream += frame({"jsonrpc": "2.0", "id": registered_id, "result": None})
    stream += (frame({"jsonrpc": "2.0", "id": 2, "method": "textDocument/documentSymbol",
                      "params": {"textDocument": {"uri": uri}}})
               + frame({"jsonrpc": "2.0", "id": 3, "method": "shutdown"})
               + frame({"jsonrpc": "2.0", "method": "exit"}))
    done = subprocess.run([sys.executable, "-c", program], input=stream, capture_output=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr and b"WARNING" not in done.stderr, done.stderr
    found = messages(done.stdout)
    for message in found:  # the ids of requests to the client are random
        if message.get("method") == "client/registerCapability":
            message["id"] = "request"
    return found


VS_CODE_LIKE = {"general": {"positionEncodings": ["utf-8", "utf-16"]},
                "textDocument": {"synchronization": {"willSave": True,
                                                     "willSaveWaitUntil": False}},
                "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}}


@pytest.mark.parametrize(("name", "text", "capabilities"), [
    ("desk.charter.yaml", YAML, {}),
    ("desk.charter.yaml", MISTAKES, {}),
    ("desk.charter.yaml", WIDE, {}),
    ("desk.charter.yaml", WIDE, {"general": {"positionEncodings": ["utf-32"]}}),
    ("desk.charter.yaml", WIDE, VS_CODE_LIKE),
    ("desk.charter", DSL, VS_CODE_LIKE),
    ("desk.charter", DSL.replace("owner ", "owner owner ", 1), {}),
], ids=["clean", "findings", "utf-16", "utf-32", "utf-8-watchers", "dsl", "dsl-error"])
def test_the_early_answers_are_the_servers(tmp_path, name, text, capabilities):
    early = session(EARLY, tmp_path, name, text, capabilities)
    plain = session(PLAIN, tmp_path, name, text, capabilities)
    assert early == plain
    published = [m for m in early if m.get("method") == "textDocument/publishDiagnostics"]
    assert published and published[0]["params"]["version"] == 3
    assert any(m.get("id") == 2 and "result" in m for m in early)  # the server went on


def test_a_duplicate_id_in_the_folder_is_found_at_once(tmp_path):
    (tmp_path / "a.charter.yaml").write_text(YAML, encoding="utf-8")
    early = session(EARLY, tmp_path, "desk.charter.yaml", YAML, VS_CODE_LIKE,
                    registered_id="charterc-watchers")
    plain = session(PLAIN, tmp_path, "desk.charter.yaml", YAML, VS_CODE_LIKE)
    published = [m for m in early if m.get("method") == "textDocument/publishDiagnostics"]
    assert [d["code"] for d in published[0]["params"]["diagnostics"]] == ["R302"]
    assert published[0]["params"]["diagnostics"][0]["relatedInformation"][0]["location"][
        "uri"] == (tmp_path / "a.charter.yaml").as_uri()
    assert early == plain


def test_without_a_folder_or_with_a_bad_today_the_server_answers(tmp_path):
    assert session(EARLY, tmp_path, "desk.charter.yaml", MISTAKES, {}, with_folder=False) \
        == session(PLAIN, tmp_path, "desk.charter.yaml", MISTAKES, {}, with_folder=False)


def test_the_first_diagnostics_go_out_before_lsprotocol_is_imported(tmp_path):
    path = tmp_path / "desk.charter.yaml"
    stream = (frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                     "params": {"capabilities": {}, "initializationOptions": {"today": TODAY}}})
              + frame({"jsonrpc": "2.0", "method": "initialized", "params": {}})
              + frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
                  "textDocument": {"uri": path.as_uri(), "languageId": "yaml", "version": 1,
                                   "text": MISTAKES}}}))
    program = """
import io, sys
from charterc.lsp.early import Early
from charterc.lsp.frames import Frames
frames, out = Frames(sys.stdin.buffer), io.BytesIO()
early = Early(None, out)
while not early.opened:
    assert early.handle(frames.next())
print(out.getvalue().count(b"publishDiagnostics"),
      sorted({m.split(".")[0] for m in sys.modules} & {"lsprotocol", "cattrs"}))
"""
    done = subprocess.run([sys.executable, "-c", program], input=stream, capture_output=True,
                          timeout=60, cwd=ROOT)
    assert done.stdout.decode().split("\n")[0] == "1 []", done.stderr


def test_a_bad_today_is_left_to_the_server(tmp_path):
    from charterc.lsp.early import Early

    early = Early(None, open(tmp_path / "out", "wb"))  # noqa: SIM115 - closed with the test
    message = frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "capabilities": {}, "initializationOptions": {"today": "Tuesday"}}})
    assert not early.handle(message.split(b"\r\n\r\n", 1)[1])
    assert not early.handle(b"{not json")
    assert (tmp_path / "out").read_bytes() == b""
