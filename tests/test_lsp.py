"""`charterc lsp` driven over stdio by pygls' language client, as an editor drives it.

Each test starts `python -m charterc lsp` in a subprocess, initializes it with a
workspace folder under tmp_path and talks LSP to it. Every wait has a timeout, so a
hung server fails the test instead of hanging the run.
"""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

pytest.importorskip("pygls")

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

from charterc.pipeline import CheckOptions

ROOT = Path(__file__).resolve().parent.parent
IT = ROOT / "charters" / "it-service-desk.charter.yaml"
DSL = ROOT / "examples" / "dsl" / "it-service-desk.charter"
TODAY = "2026-12-04"
TIMEOUT = 30.0

T = TypeVar("T")


class Session:
    """A running server, its client, and the diagnostics it published per URI."""

    def __init__(self, folder: Path, options: dict[str, Any] | None = None,
                 arguments: tuple[str, ...] = ()) -> None:
        self.folder = folder
        self.arguments = arguments
        self.options = options if options is not None else {"today": TODAY, "debounce": 20}
        self.client = LanguageClient("charterc-tests", "1")
        self.published: dict[str, list[types.PublishDiagnosticsParams]] = {}
        self.arrived = asyncio.Event()
        self.versions: dict[str, int] = {}

        self.registered: list[types.Registration] = []

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def collect(params: types.PublishDiagnosticsParams) -> None:
            self.published.setdefault(params.uri, []).append(params)
            self.arrived.set()

        @self.client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams) -> None:
            self.registered.extend(params.registrations)

    async def __aenter__(self) -> Session:
        await self.client.start_io(sys.executable, "-m", "charterc", "lsp", *self.arguments,
                                   cwd=str(ROOT))
        await asyncio.wait_for(self.client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(
                did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
                    dynamic_registration=True))),
            root_uri=from_fs_path(str(self.folder)),
            workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(self.folder)) or "",
                                                     name="charters")],
            initialization_options=self.options)), TIMEOUT)
        self.client.initialized(types.InitializedParams())
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            await asyncio.wait_for(self.client.shutdown_async(None), TIMEOUT)
            self.client.exit(None)
            await asyncio.wait_for(self.client.stop(), TIMEOUT)
        except Exception:
            server = getattr(self.client, "_server", None)
            if server is not None and server.returncode is None:
                server.kill()
            raise

    def open(self, path: Path, text: str | None = None) -> str:
        uri = from_fs_path(str(path)) or ""
        self.versions[uri] = 1
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="yaml" if path.suffix == ".yaml" else "charter",
                version=1, text=path.read_text(encoding="utf-8") if text is None else text)))
        return uri

    def change(self, uri: str, text: str) -> None:
        self.versions[uri] += 1
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri,
                                                                version=self.versions[uri]),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))

    async def diagnostics(self, uri: str, count: int = 1) -> list[types.Diagnostic]:
        """The diagnostics of the `count`-th publication for `uri`."""
        async def arrived() -> None:
            while len(self.published.get(uri, [])) < count:
                self.arrived.clear()
                await self.arrived.wait()
        await asyncio.wait_for(arrived(), TIMEOUT)
        return list(self.published[uri][count - 1].diagnostics)

    async def request(self, call: Awaitable[T]) -> T:
        return await asyncio.wait_for(call, TIMEOUT)


def run(folder: Path, body: Callable[[Session], Awaitable[None]],
        options: dict[str, Any] | None = None, arguments: tuple[str, ...] = ()) -> None:
    async def main() -> None:
        async with Session(folder, options, arguments) as session:
            await body(session)
    asyncio.run(asyncio.wait_for(main(), 3 * TIMEOUT))


def _at(text: str, needle: str, offset: int = 0) -> types.Position:
    """The position of `needle`'s first occurrence (plus `offset` characters)."""
    index = text.index(needle) + offset
    line = text.count("\n", 0, index)
    return types.Position(line=line, character=index - (text.rfind("\n", 0, index) + 1))


def _doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


def _check_json(path: Path) -> list[dict[str, Any]]:
    """`charterc check` of a file (from its folder) or of a folder (from inside it)."""
    cwd, name = (path, ".") if path.is_dir() else (path.parent, path.name)
    out = subprocess.run([sys.executable, "-m", "charterc", "check", "--format", "json",
                          "--today", TODAY, "--no-cache", name],
                         capture_output=True, text=True, timeout=60, cwd=cwd)
    data: list[dict[str, Any]] = json.loads(out.stdout)
    return data


SEEDED = IT.read_text(encoding="utf-8").replace("    tier: premium\n", "    tier: premum\n", 1)


def test_seeded_error_is_published_where_check_places_it(tmp_path: Path) -> None:
    path = tmp_path / "it.charter.yaml"
    path.write_text(SEEDED, encoding="utf-8")
    expected = _check_json(path)
    assert [d["rule"] for d in expected] == ["R301"]

    async def body(session: Session) -> None:
        found = await session.diagnostics(session.open(path))
        assert len(found) == 1
        got = found[0]
        assert got.code == "R301"
        assert got.severity == types.DiagnosticSeverity.Error
        assert (got.range.start.line + 1, got.range.start.character + 1) == \
            (expected[0]["line"], expected[0]["column"])
        assert got.range.end.character - got.range.start.character == len("premum")
        assert got.message == f"{expected[0]['message']}\nhint: {expected[0]['hint']}"
        assert "did you mean 'premium'?" in got.message

    run(tmp_path, body)


def test_change_and_save_refresh_diagnostics(tmp_path: Path) -> None:
    path = tmp_path / "it.charter.yaml"
    path.write_text(IT.read_text(encoding="utf-8"), encoding="utf-8")

    async def body(session: Session) -> None:
        uri = session.open(path)
        assert await session.diagnostics(uri) == []
        session.change(uri, SEEDED)
        assert [d.code for d in await session.diagnostics(uri, 2)] == ["R301"]
        session.change(uri, IT.read_text(encoding="utf-8"))
        assert await session.diagnostics(uri, 3) == []
        session.client.text_document_did_save(types.DidSaveTextDocumentParams(
            text_document=_doc(uri)))
        assert await session.diagnostics(uri, 4) == []

    run(tmp_path, body)


def test_a_burst_of_changes_is_checked_once(tmp_path: Path) -> None:
    """Changes within the debounce are one check, of the last text."""
    path = tmp_path / "it.charter.yaml"
    text = IT.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")

    async def body(session: Session) -> None:
        uri = session.open(path)
        await session.diagnostics(uri)
        for _ in range(4):
            session.change(uri, text)
        session.change(uri, SEEDED)
        assert [d.code for d in await session.diagnostics(uri, 2)] == ["R301"]
        await asyncio.sleep(1.0)
        assert [p.version for p in session.published[uri]] == [1, 6]

    run(tmp_path, body, {"today": TODAY, "debounce": 300})


@pytest.mark.parametrize(("options", "arguments"), [
    ({"today": "2030-01-01"}, ()),
    ({}, ("--today", "2030-01-01")),
], ids=["initializationOptions", "command-line"])
def test_today_and_suppressions_are_honoured(tmp_path: Path, options: dict[str, Any],
                                             arguments: tuple[str, ...]) -> None:
    """G703 (overdue review) depends on the day the server was given; a suppression
    in the charter silences it as `check` does."""
    path = tmp_path / "it.charter.yaml"
    text = IT.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    suppressed = text.replace("  suppress: []\n", "  suppress: [{rule: G703, reason: agreed}]\n")
    assert suppressed != text

    async def body(session: Session) -> None:
        uri = session.open(path)
        assert "G703" in [d.code for d in await session.diagnostics(uri)]
        session.change(uri, suppressed)
        assert "G703" not in [d.code for d in await session.diagnostics(uri, 2)]

    run(tmp_path, body, options, arguments)


def test_duplicate_charter_ids_across_the_workspace(tmp_path: Path) -> None:
    """R302 across files, on the file `check` reports it on (the later one)."""
    first = tmp_path / "a.charter.yaml"
    second = tmp_path / "b.charter.yaml"
    for path in (first, second):
        path.write_text(IT.read_text(encoding="utf-8"), encoding="utf-8")
    expected = [d for d in _check_json(tmp_path) if d["rule"] == "R302"]
    assert [d["file"] for d in expected] == ["b.charter.yaml"]

    async def body(session: Session) -> None:
        found = await session.diagnostics(session.open(second))
        assert [(d.code, d.range.start.line + 1, d.range.start.character + 1) for d in found] \
            == [("R302", expected[0]["line"], expected[0]["column"])]
        assert found[0].related_information
        assert found[0].related_information[0].location.uri == from_fs_path(str(first))
        assert await session.diagnostics(session.open(first)) == []

    run(tmp_path, body)


def test_duplicate_ids_of_unsaved_text_count(tmp_path: Path) -> None:
    """R302 compares the editor's text of the other open charters, saved or not."""
    text = IT.read_text(encoding="utf-8")
    first = tmp_path / "a.charter.yaml"
    second = tmp_path / "b.charter.yaml"
    first.write_text(text.replace("  id: it-service-desk", "  id: other-desk", 1),
                     encoding="utf-8")
    second.write_text(text, encoding="utf-8")

    async def body(session: Session) -> None:
        uri = session.open(second)
        assert await session.diagnostics(uri) == []
        assert await session.diagnostics(session.open(first, text)) == []
        session.change(uri, text)
        found = await session.diagnostics(uri, 2)
        assert [d.code for d in found] == ["R302"]
        assert "a.charter.yaml" in found[0].message

    run(tmp_path, body)


def test_a_charter_created_outside_the_editor_joins_the_portfolio(tmp_path: Path) -> None:
    """The server asks to watch charters; a created file counts once the client says so."""
    text = IT.read_text(encoding="utf-8")
    second = tmp_path / "b.charter.yaml"
    second.write_text(text, encoding="utf-8")

    async def body(session: Session) -> None:
        uri = session.open(second)
        assert await session.diagnostics(uri) == []
        assert [r.method for r in session.registered] == \
            [types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
        first = tmp_path / "a.charter.yaml"
        first.write_text(text, encoding="utf-8")
        session.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=from_fs_path(str(first)) or "",
                                     type=types.FileChangeType.Created)]))
        session.change(uri, text)
        assert [d.code for d in await session.diagnostics(uri, 2)] == ["R302"]

    run(tmp_path, body)


def test_hover_explains_the_rule_describes_fields_and_references(tmp_path: Path) -> None:
    path = tmp_path / "it.charter.yaml"
    path.write_text(SEEDED, encoding="utf-8")

    async def body(session: Session) -> None:
        uri = session.open(path)
        await session.diagnostics(uri)

        async def hover(position: types.Position) -> str:
            found = await session.request(session.client.text_document_hover_async(
                types.HoverParams(text_document=_doc(uri), position=position)))
            assert found is not None
            assert isinstance(found.contents, types.MarkupContent)
            return found.contents.value

        on_finding = await hover(_at(SEEDED, "tier: premum", 8))
        assert "**R301** (error): Unknown id referenced." in on_finding
        assert "Fails:" in on_finding
        on_field = await hover(_at(SEEDED, "change_notice", 2))
        assert "Notice given before a change" in on_field
        assert "Default: `30d`" in on_field
        on_suppression = await hover(_at(SEEDED, "  suppress: []", 2))
        assert "Accepted findings" in on_suppression
        on_reference = await hover(_at(SEEDED, "tier: standard", 8))
        line = SEEDED.splitlines().index("  - id: standard") + 1
        assert f"tier `standard`: Standard, defined at line {line}" in on_reference

    run(tmp_path, body)


def test_completion_offers_fields_enums_ids_and_zones(tmp_path: Path) -> None:
    path = tmp_path / "it.charter.yaml"
    text = IT.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")

    async def body(session: Session) -> None:
        uri = session.open(path)
        await session.diagnostics(uri)

        async def labels(edited: str, needle: str, offset: int) -> list[str]:
            session.change(uri, edited)
            found = await session.request(session.client.text_document_completion_async(
                types.CompletionParams(text_document=_doc(uri),
                                       position=_at(edited, needle, offset))))
            assert isinstance(found, types.CompletionList)
            return [item.label for item in found.items]

        tiers = await labels(text.replace("    tier: premium\n", "    tier: \n", 1),
                             "    tier: \n", len("    tier: "))
        assert tiers == ["standard", "premium"]
        statuses = await labels(text.replace("  status: active", "  status: ", 1),
                                "  status: ", len("  status: "))
        assert statuses == ["draft", "active", "retired"]
        fields = await labels(text.replace("  timezone: Europe/Paris\n", "  time\n", 1),
                              "  time\n", len("  time"))
        assert fields == ["timezone"]
        zones = await labels(text.replace("  timezone: Europe/Paris\n",
                                          "  timezone: Europe/Pa\n", 1),
                             "  timezone: Europe/Pa", len("  timezone: Europe/Pa"))
        assert zones == ["Europe/Paris"]
        features = await labels(text.replace("    features: [incident, requests]",
                                             "    features: [incident, re]", 1),
                                "[incident, re]", len("[incident, re"))
        assert features == ["requests"]
        holidays = await labels(text.replace("  holidays: FR\n", "  holidays: F\n", 1),
                                "  holidays: F\n", len("  holidays: F"))
        assert "FR" in holidays and "FI" in holidays

    run(tmp_path, body)


def test_definition_and_references_of_a_tier(tmp_path: Path) -> None:
    path = tmp_path / "it.charter.yaml"
    text = IT.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()

    async def body(session: Session) -> None:
        uri = session.open(path)
        await session.diagnostics(uri)
        found = await session.request(session.client.text_document_definition_async(
            types.DefinitionParams(text_document=_doc(uri),
                                   position=_at(text, "tier: premium", 8))))
        assert isinstance(found, types.Location)
        assert found.range.start == types.Position(line=lines.index("  - id: premium"),
                                                   character=len("  - id: "))
        used = await session.request(session.client.text_document_references_async(
            types.ReferenceParams(text_document=_doc(uri),
                                  position=_at(text, "  - id: standard", 9),
                                  context=types.ReferenceContext(include_declaration=False))))
        assert used is not None
        assert [loc.range.start.line for loc in used] == \
            [n for n, line in enumerate(lines) if line == "    tier: standard"]

    run(tmp_path, body)


def test_code_action_applies_the_hint(tmp_path: Path) -> None:
    path = tmp_path / "it.charter.yaml"
    path.write_text(SEEDED, encoding="utf-8")

    async def body(session: Session) -> None:
        uri = session.open(path)
        found = await session.diagnostics(uri)
        actions = await session.request(session.client.text_document_code_action_async(
            types.CodeActionParams(text_document=_doc(uri), range=found[0].range,
                                   context=types.CodeActionContext(diagnostics=found))))
        assert actions is not None and len(actions) == 1
        action = actions[0]
        assert isinstance(action, types.CodeAction)
        assert action.title == "Change to 'premium'"
        assert action.edit is not None and action.edit.changes is not None
        [edit] = action.edit.changes[uri]
        assert edit.range == found[0].range
        assert edit.new_text == "premium"

    run(tmp_path, body)


def test_code_actions_quote_a_version_and_add_a_missing_priority(tmp_path: Path) -> None:
    path = tmp_path / "it.charter.yaml"
    text = IT.read_text(encoding="utf-8")
    quoted = text.replace("  version: 2.4.0", "  version: 1.10", 1)
    missing = text.replace(", P4: 3d", "", 1)
    assert missing != text

    async def body(session: Session) -> None:
        uri = session.open(path, quoted)

        async def fixes(count: int) -> list[types.CodeAction]:
            found = await session.diagnostics(uri, count)
            last = max(d.range.end.line for d in found)
            actions = await session.request(session.client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=_doc(uri),
                    range=types.Range(start=types.Position(line=0, character=0),
                                      end=types.Position(line=last + 1, character=0)),
                    context=types.CodeActionContext(diagnostics=found))))
            return [a for a in actions or () if isinstance(a, types.CodeAction)]

        [quote] = await fixes(1)
        assert quote.title == 'Quote it: "1.10"'
        assert quote.edit is not None and quote.edit.changes is not None
        assert [e.new_text for e in quote.edit.changes[uri]] == ['"1.10"']
        session.change(uri, missing)
        [add] = await fixes(2)
        assert add.title == "Add P4: 1d to the response objective"
        assert add.edit is not None and add.edit.changes is not None
        [edit] = add.edit.changes[uri]
        assert edit.new_text == ", P4: 1d"
        line = missing.splitlines()[edit.range.start.line]
        fixed = line[:edit.range.start.character] + edit.new_text + \
            line[edit.range.end.character:]
        # P4 gets P3's target (1d): the order of targets (T603) holds
        assert fixed.replace("P4: 1d", "P4: 3d") in text.splitlines()

    run(tmp_path, body)


def test_formatting_and_symbols_of_a_dsl_charter(tmp_path: Path) -> None:
    path = tmp_path / "it.charter"
    text = DSL.read_text(encoding="utf-8")
    messy = text.replace("priorities P1 P2 P3 P4", "priorities   P1 P2  P3 P4", 1)
    assert messy != text

    async def body(session: Session) -> None:
        uri = session.open(path, messy)
        await session.diagnostics(uri)
        edits = await session.request(session.client.text_document_formatting_async(
            types.DocumentFormattingParams(text_document=_doc(uri),
                                           options=types.FormattingOptions(tab_size=2,
                                                                           insert_spaces=True))))
        assert edits is not None and len(edits) == 1
        assert edits[0].new_text == text
        found = await session.request(session.client.text_document_document_symbol_async(
            types.DocumentSymbolParams(text_document=_doc(uri))))
        assert found is not None
        names = [(s.name, s.kind) for s in found if isinstance(s, types.DocumentSymbol)]
        assert ("premium", types.SymbolKind.Class) in names
        assert ("finance", types.SymbolKind.Object) in names
        assert ("incident", types.SymbolKind.Function) in names

    run(tmp_path, body)


def test_definition_hover_and_fix_in_the_dsl(tmp_path: Path) -> None:
    path = tmp_path / "it.charter"
    text = DSL.read_text(encoding="utf-8")
    seeded = text.replace("  tier premium\n", "  tier premum\n", 1)
    lines = text.splitlines()

    async def body(session: Session) -> None:
        uri = session.open(path, seeded)
        [found] = await session.diagnostics(uri)
        assert found.code == "R301"
        assert found.range.start == _at(seeded, "tier premum", len("tier "))
        actions = await session.request(session.client.text_document_code_action_async(
            types.CodeActionParams(text_document=_doc(uri), range=found.range,
                                   context=types.CodeActionContext(diagnostics=[found]))))
        assert [a.title for a in actions or () if isinstance(a, types.CodeAction)] == \
            ["Change to 'premium'"]
        session.change(uri, text)
        assert await session.diagnostics(uri, 2) == []
        target = await session.request(session.client.text_document_definition_async(
            types.DefinitionParams(text_document=_doc(uri),
                                   position=_at(text, "features incident, requests, weekend",
                                                len("features incident, requests, w")))))
        assert isinstance(target, types.Location)
        assert target.range.start.line == lines.index(
            'feature weekend en "Weekend support" fr "Support le week-end"')
        shown = await session.request(session.client.text_document_hover_async(
            types.HoverParams(text_document=_doc(uri), position=_at(text, "  tier standard", 7))))
        assert shown is not None and isinstance(shown.contents, types.MarkupContent)
        assert "tier `standard`: Standard" in shown.contents.value

    run(tmp_path, body)


def test_other_commands_do_not_import_pygls() -> None:
    probe = ("import sys\n"
             "from click.testing import CliRunner\n"
             "from charterc.cli import main\n"
             "CliRunner().invoke(main, ['check', '--no-cache', '--today', '2026-12-04', "
             "'charters/it-service-desk.charter.yaml'])\n"
             "import charterc.lsp\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol')))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.stdout.strip() == "[]", done.stderr


def test_a_binary_file_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "blob.charter.yaml"
    blob = "\x00\x01\x02\xff\ufffd" * 50

    async def body(session: Session) -> None:
        uri = session.open(path, blob)
        found = await session.diagnostics(uri)
        assert found and all(d.code and str(d.code).startswith("P") for d in found)
        # the server still answers: the finding explained
        shown = await session.request(session.client.text_document_hover_async(
            types.HoverParams(text_document=_doc(uri), position=found[0].range.start)))
        assert shown is not None and isinstance(shown.contents, types.MarkupContent)
        assert f"**{found[0].code}** (error)" in shown.contents.value

    run(tmp_path, body)


def test_a_malformed_message_does_not_kill_the_server(tmp_path: Path) -> None:
    """Bytes that are not JSON-RPC, then a valid session on the same pipe."""
    header = "Content-Length: {}\r\n\r\n"

    def frame(body: bytes) -> bytes:
        return header.format(len(body)).encode() + body

    def message(payload: dict[str, Any]) -> bytes:
        return frame(json.dumps(payload).encode())

    garbage = (frame(b"{not json") + frame(b'{"jsonrpc": "2.0", "method": 42}')
               + frame(b"\xff\xfe\x00") + frame(b"[1, 2, 3]") + frame(b"null")
               + b"Content-Length: many\r\n\r\n{}\r\n"
               + message({"jsonrpc": "2.0", "id": 7, "method": "no/such-method"}))
    wrong_params = message({"jsonrpc": "2.0", "id": 8, "method": "textDocument/hover",
                            "params": {"textDocument": {"uri": 5}, "position": "here"}})
    initialize = message({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                          "params": {"capabilities": {}, "processId": None,
                                     "rootUri": None}})
    shutdown = message({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    leave = message({"jsonrpc": "2.0", "method": "exit"})
    done = subprocess.run([sys.executable, "-m", "charterc", "lsp"],
                          input=garbage + initialize + wrong_params + shutdown + leave,
                          capture_output=True,
                          timeout=60, cwd=ROOT)
    assert done.returncode == 0
    assert b'"id": 1' in done.stdout and b'"capabilities"' in done.stdout
    assert b'"id": 2' in done.stdout
    assert b"Traceback" not in done.stderr


def test_without_pygls_the_command_says_how_to_install_it() -> None:
    done = subprocess.run([sys.executable, "-c",
                           "import sys; sys.modules['pygls'] = None; "
                           "from charterc.cli import main; main()", "lsp"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 2
    assert "pip install 'charterc[lsp]'" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("text", "path", "key"), [
    ("tiers:\n- id: a\n  na", ("tiers", "*"), None),
    ("tiers:\n  - id: a\n    objectives:\n      response:\n        P",
     ("tiers", "*", "objectives", "response"), None),
    ("clients:\n  - {id: a, tier: ", ("clients", "*"), "tier"),
    ("clients:\n  - {id: a, needs: {features: [x, ", ("clients", "*", "needs", "features"), "*"),
    ("provider:\n  name: x\n\n  # a comment\n  ", ("provider",), None),
    # a priority may be a map (spec 8.2): an item is read as one
    ("priorities:\n  - ", ("priorities", "*"), None),
    ("tiers:\n  - id: a\n    features:\n      - ", ("tiers", "*", "features"), "*"),
    ("metadata:\n  suppress:\n    - rule: ", ("metadata", "suppress", "*"), "rule"),
    ("", (), None),
    ("kind: ", (), "kind"),
])
def test_the_cursor_context_is_read_from_the_text(text: str, path: tuple[str, ...],
                                                  key: str | None) -> None:
    """Completion reads what is being written from the text, which rarely parses."""
    from charterc.lsp.completion import Context, yaml_context

    lines = text.split("\n")
    assert yaml_context(lines, len(lines) - 1, len(lines[-1])) == Context(path, key)


def test_no_fix_writes_an_id_twice() -> None:
    """`did you mean` is offered only when the suggestion is not in the list already."""
    from datetime import date

    from charterc.lsp.actions import fixes
    from charterc.lsp.analysis import analyse

    text = IT.read_text(encoding="utf-8")
    options = CheckOptions(today=date(2026, 12, 4))
    twice = text.replace("    features: [incident, requests]\n",
                         "    features: [incident, incidnt]\n", 1)
    once = text.replace("    features: [incident, requests]\n", "    features: [incidnt]\n", 1)
    assert [f.title for f in fixes(analyse("u", str(IT), twice, options), 0, 999)] == []
    assert [f.title for f in fixes(analyse("u", str(IT), once, options), 0, 999)] == \
        ["Change to 'incident'"]


def test_hover_on_a_suppressed_rule_id_explains_the_rule() -> None:
    from datetime import date

    from charterc.lsp.analysis import analyse
    from charterc.lsp.hover import hover

    text = IT.read_text(encoding="utf-8").replace(
        "  suppress: []", "  suppress: [{rule: G703, reason: agreed}]", 1)
    found = analyse("u", str(IT), text, CheckOptions(today=date(2026, 12, 4)))
    line = next(n for n, t in enumerate(found.text_lines) if "G703" in t)
    shown = hover(found, line, found.text_lines[line].index("G703") + 1)
    assert shown is not None
    assert shown.markdown.startswith("**G703** (error): The baseline review must not be overdue.")


def test_positions_are_in_the_clients_units(tmp_path: Path) -> None:
    """LSP counts UTF-16 code units by default: a character outside the BMP before a
    finding on its line moves the finding by two units, not one."""
    path = tmp_path / "it.charter.yaml"
    text = IT.read_text(encoding="utf-8").replace(
        '{version: 2.3.0, date: 2026-01-15, summary: "Weekend support added to Premium"}',
        '{version: 2.3.0, summary: "Weekend \U0001F389 support", date: 2026-02-30}', 1)
    path.write_text(text, encoding="utf-8")
    [expected] = _check_json(path)

    async def body(session: Session) -> None:
        [found] = await session.diagnostics(session.open(path))
        assert found.code == expected["rule"] == "S201"
        assert found.range.start.line + 1 == expected["line"]
        assert found.range.start.character == expected["column"] - 1 + 1  # the emoji: 2 units
        assert found.range.end.character - found.range.start.character == len("2026-02-30")

    run(tmp_path, body)
