"""`charterc lsp`: the checks, explanations and fixes of charterc inside an editor.

A Language Server Protocol server over stdio, built on pygls, for `*.charter.yaml`,
`*.charter.yml` and `*.charter` files. It runs the same front end as `charterc check`
(`pipeline.check_loaded` with `CheckOptions`), so every finding has the position, hint
and suppression it has on the command line; the modules here only translate:

- `analysis.py`: one open document checked (and the workspace's ids for R302), the
  positions of its values and keys;
- `convert.py`: charterc `Diagnostic` -> LSP diagnostic;
- `fields.py`: the charter JSON Schema read by path (descriptions, enums, fields);
- `hover.py`, `completion.py`, `navigation.py` (definition, references, symbols),
  `actions.py` (code actions, formatting);
- `server.py`: the pygls server (documents, checks, diagnostics published);
  `handlers.py`: the LSP features wired to the modules above.

pygls and lsprotocol are an optional extra (`pip install 'charterc[lsp]'`) and are
imported only by `server.py`, `handlers.py` and `convert.py`, which only
`charterc lsp` loads; the other modules here are plain charterc.
"""
from __future__ import annotations

__all__ = ["MISSING", "available"]

MISSING = "charterc lsp needs pygls: pip install 'charterc[lsp]'"


def available() -> bool:
    """Whether pygls and lsprotocol can be imported (without importing them)."""
    from importlib.util import find_spec

    return find_spec("pygls") is not None and find_spec("lsprotocol") is not None
