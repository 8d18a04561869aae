"""The LSP features of `charterc lsp`: each handler reads the document's `Analysis`
from the server and answers with what the feature modules found, in the client's
position units.
"""
from __future__ import annotations

from lsprotocol import types

from .actions import TextEdit, fixes, format_document
from .completion import complete
from .convert import to_lsp
from .hover import hover
from .navigation import definition, references_to, symbols, target_at
from .server import CharterServer, charter_path, quietly

__all__ = ["register"]

_KINDS = {
    "field": types.CompletionItemKind.Property,
    "value": types.CompletionItemKind.EnumMember,
    "id": types.CompletionItemKind.Reference,
    "zone": types.CompletionItemKind.Constant,
    "holiday": types.CompletionItemKind.Constant,
}
_SYMBOLS = {"tier": types.SymbolKind.Class, "client": types.SymbolKind.Object,
            "feature": types.SymbolKind.Function}


def register(server: CharterServer) -> None:
    """Every feature of the server, on `server`."""
    _register_documents(server)
    _register_requests(server)


def _register_documents(server: CharterServer) -> None:
    @server.feature(types.INITIALIZE)
    @quietly
    def initialize(ls: CharterServer, params: types.InitializeParams) -> None:
        ls.configure(params)

    @server.feature(types.INITIALIZED)
    @quietly
    def initialized(ls: CharterServer, params: types.InitializedParams) -> None:
        ls.watch()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @quietly
    def did_open(ls: CharterServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.met(params.text_document.uri)
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @quietly
    def did_change(ls: CharterServer, params: types.DidChangeTextDocumentParams) -> None:
        if charter_path(params.text_document.uri) is not None:
            ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @quietly
    def did_save(ls: CharterServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.saved(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @quietly
    def did_close(ls: CharterServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.closed(params.text_document.uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @quietly
    def did_change_files(ls: CharterServer, params: types.DidChangeWatchedFilesParams) -> None:
        for portfolio in ls.folders.values():
            portfolio.forget()


def _register_requests(server: CharterServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @quietly
    def on_hover(ls: CharterServer, params: types.HoverParams) -> types.Hover | None:
        uri = params.text_document.uri
        found = ls.analysis(uri)
        if found is None:
            return None
        shown = hover(found, *ls.at(uri, params.position))
        if shown is None:
            return None
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=shown.markdown),
            range=ls.range_of(uri, shown.line, shown.start, shown.line, shown.end))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                    types.CompletionOptions(trigger_characters=[":", " ", "[", ",", "/"]))
    @quietly
    def on_completion(ls: CharterServer,
                      params: types.CompletionParams) -> types.CompletionList | None:
        uri = params.text_document.uri
        found = ls.analysis(uri)
        if found is None:
            return None
        line, character = ls.at(uri, params.position)
        items, start = complete(found, line, character)
        where = ls.range_of(uri, line, start, line, character)
        return types.CompletionList(is_incomplete=False, items=[
            types.CompletionItem(
                label=item.label, kind=_KINDS.get(item.kind), detail=item.detail or None,
                text_edit=types.TextEdit(range=where, new_text=item.insert or item.label))
            for item in items])

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    @quietly
    def on_definition(ls: CharterServer,
                      params: types.DefinitionParams) -> types.Location | None:
        uri = params.text_document.uri
        found = ls.analysis(uri)
        target = target_at(found, *ls.at(uri, params.position)) if found else None
        spot = definition(found, target[0]) if found and target else None
        if spot is None:
            return None
        return types.Location(uri=uri, range=ls.range_of(uri, spot.line, spot.start,
                                                         spot.line, spot.end))

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    @quietly
    def on_references(ls: CharterServer,
                      params: types.ReferenceParams) -> list[types.Location] | None:
        uri = params.text_document.uri
        found = ls.analysis(uri)
        target = target_at(found, *ls.at(uri, params.position)) if found else None
        if found is None or target is None:
            return None
        spots = references_to(found, target[0],
                              declaration=params.context.include_declaration)
        return [types.Location(uri=uri, range=ls.range_of(uri, s.line, s.start, s.line, s.end))
                for s in spots]

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @quietly
    def on_symbols(ls: CharterServer,
                   params: types.DocumentSymbolParams) -> list[types.DocumentSymbol] | None:
        uri = params.text_document.uri
        found = ls.analysis(uri)
        if found is None:
            return None
        lines = found.text_lines
        return [types.DocumentSymbol(
            name=symbol.id, detail=symbol.name or None, kind=_SYMBOLS[symbol.kind],
            range=ls.range_of(uri, symbol.first_line, 0, symbol.last_line,
                              len(lines[symbol.last_line]) if symbol.last_line < len(lines)
                              else 0),
            selection_range=ls.range_of(uri, symbol.selection.line, symbol.selection.start,
                                        symbol.selection.line, symbol.selection.end))
            for symbol in symbols(found)]

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix]))
    @quietly
    def on_code_action(ls: CharterServer,
                       params: types.CodeActionParams) -> list[types.CodeAction] | None:
        return _code_actions(ls, params)

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    @quietly
    def on_formatting(ls: CharterServer,
                      params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
        uri = params.text_document.uri
        found = ls.analysis(uri)
        edit = format_document(found) if found is not None else None
        return [_edit(ls, uri, edit)] if edit is not None else []


def _code_actions(ls: CharterServer,
                  params: types.CodeActionParams) -> list[types.CodeAction] | None:
    uri = params.text_document.uri
    found = ls.analysis(uri)
    if found is None:
        return None
    first = ls.at(uri, params.range.start)[0]
    last = ls.at(uri, params.range.end)[0]
    actions = []
    for fix in fixes(found, first, last):
        published = to_lsp(found, fix.finding, {})
        published.range = ls.range_of(uri, published.range.start.line,
                                      published.range.start.character,
                                      published.range.end.line, published.range.end.character)
        actions.append(types.CodeAction(
            title=fix.title, kind=types.CodeActionKind.QuickFix, is_preferred=True,
            diagnostics=[published],
            edit=types.WorkspaceEdit(changes={uri: [_edit(ls, uri, e) for e in fix.edits]})))
    return actions


def _edit(ls: CharterServer, uri: str, edit: TextEdit) -> types.TextEdit:
    return types.TextEdit(range=ls.range_of(uri, edit.line, edit.start, edit.end_line, edit.end),
                          new_text=edit.text)
