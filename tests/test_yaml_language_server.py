"""`charterc init` + yaml-language-server (npm) validate a charter offline.

`init` writes a modeline that leads, by a relative path, to a copy of the schema in
the repository (written by `init` when there is none). The test starts the real
yaml-language-server over stdio, with the network out of reach of nothing but the
files: no schema store, no download. It opens the starter as written (no
diagnostic) and the starter with a schema error planted (a diagnostic on that line).

The server is found in the folder `CHARTERC_YAML_LANGUAGE_SERVER` names (an npm
prefix: `npm install --prefix DIR yaml-language-server`, as `.ci/run` does), or
on the PATH; node must be on the PATH. Without them the test is skipped (and
`.ci/run`, which installs them, fails on a skip).
"""
from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from charterc.cli import main

TIMEOUT = 60.0  # seconds for the server to answer (node starts in about one)


def _server() -> list[str] | None:
    """The command that starts yaml-language-server over stdio, or None."""
    node = shutil.which("node")
    prefix = os.environ.get("CHARTERC_YAML_LANGUAGE_SERVER")
    if node is not None and prefix:
        script = (Path(prefix) / "node_modules" / "yaml-language-server" / "bin" /
                  "yaml-language-server")
        if script.is_file():
            return [node, str(script), "--stdio"]
    found = shutil.which("yaml-language-server")
    return [found, "--stdio"] if found and node else None


SERVER = _server()
pytestmark = pytest.mark.skipif(
    SERVER is None, reason="node and yaml-language-server are not installed "
    "(npm install --prefix DIR yaml-language-server; CHARTERC_YAML_LANGUAGE_SERVER=DIR)")


class Client:
    """A minimal LSP client: JSON-RPC messages framed by Content-Length over pipes."""

    def __init__(self, command: list[str], cwd: Path) -> None:
        self.process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if not line or length is None:
                return
            self.messages.put(json.loads(stream.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        stdin.flush()

    def request(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def wait(self, wanted: Any) -> dict[str, Any]:
        """The next message `wanted` accepts; requests from the server are answered."""
        deadline = time.monotonic() + TIMEOUT
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                break
            if "method" in message and "id" in message:  # a request: configuration, ...
                items = message.get("params", {}).get("items", [])
                result = [SETTINGS["yaml"] if i.get("section") == "yaml" else None
                          for i in items] if message["method"] == "workspace/configuration" \
                    else None
                self.send({"id": message["id"], "result": result})
            if wanted(message):
                return message
        raise AssertionError("yaml-language-server did not answer in time")

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()


# Validation on, and nothing fetched: no schema store, no remote schemas.
SETTINGS = {"yaml": {"validate": True, "hover": False, "completion": False,
                     "schemaStore": {"enable": False}, "schemaDownload": {"enable": False},
                     "schemas": {}}}


def _diagnostics(client: Client, uri: str) -> list[dict[str, Any]]:
    found = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                        and m["params"]["uri"] == uri)
    diagnostics: list[dict[str, Any]] = found["params"]["diagnostics"]
    return diagnostics


def test_init_modeline_validates_offline(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()  # a repository without a schema: init writes one
    assert CliRunner().invoke(main, ["init"]).exit_code == 0
    clean = tmp_path / "charters" / "my-service.charter.yaml"
    text = clean.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/charter.schema.json\n")
    assert (tmp_path / "schemas" / "charter.schema.json").is_file()
    planted = clean.with_name("planted.charter.yaml")
    assert "\n  version: 0.1.0 " in text
    planted.write_text(text.replace("\n  version: 0.1.0 ", "\n  version: 1.10 ", 1),
                       encoding="utf-8")
    version_line = next(n for n, line in enumerate(text.splitlines())
                        if line.startswith("  version: "))

    assert SERVER is not None
    client = Client(SERVER, tmp_path)
    try:
        client.request("initialize", {
            "processId": os.getpid(), "rootUri": tmp_path.as_uri(),
            "capabilities": {"workspace": {"configuration": True},
                             "textDocument": {"publishDiagnostics": {}}},
            "workspaceFolders": [{"uri": tmp_path.as_uri(), "name": "charters"}]})
        client.notify("initialized", {})
        client.notify("workspace/didChangeConfiguration", {"settings": SETTINGS})
        for path in (clean, planted):
            client.notify("textDocument/didOpen", {"textDocument": {
                "uri": path.as_uri(), "languageId": "yaml", "version": 1,
                "text": path.read_text(encoding="utf-8")}})
        assert _diagnostics(client, clean.as_uri()) == []
        found = _diagnostics(client, planted.as_uri())
        assert [d["range"]["start"]["line"] for d in found] == [version_line], found
        assert "string" in found[0]["message"].lower(), found
    finally:
        client.close()
