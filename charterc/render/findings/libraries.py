"""What the libraries a command calls print (warnings, log records) goes through `visible`
as every diagnostic does: their text can come from the charter or the usage files, and a
control character there must not reach the terminal raw (matplotlib's "Glyph 27 (ESC)
missing").

Warnings are always routed (the `warnings` module is loaded with Python). Log records are
routed only once a library that logs is imported (WeasyPrint, matplotlib call
`escape_logging` where charterc imports them), so that a `check`, which loads neither,
does not pay for importing `logging`.
"""
from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

import click

from . import visible

__all__ = ["escape_logging", "escaped_library_output"]

# While a command runs: how to undo what `escape_logging` added (None: no command runs).
_undo: list[Callable[[], None]] | None = None


def _show_warning(message: Warning | str, category: type[Warning], filename: str,
                  lineno: int, file: TextIO | None = None, line: str | None = None) -> None:
    """A library's warning on one line, its control characters escaped."""
    click.echo(f"charterc: warning: {category.__name__}: {visible(str(message))}", err=True)


@contextmanager
def escaped_library_output() -> Iterator[None]:
    """Route the warnings, and the log records once a library that logs is loaded, of
    what runs inside through `visible`; undo it on leaving."""
    global _undo
    outer, _undo = _undo, []
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            yield
    finally:
        for undo in reversed(_undo):
            undo()
        _undo = outer


def escape_logging() -> None:
    """Route log records through `visible` for the rest of the command: called where a
    library that logs is imported. Nothing happens outside a command, or where the root
    logger has a handler already (an application's own, or pytest's)."""
    if _undo is None:
        return
    import logging

    root = logging.getLogger()
    if root.handlers:
        return  # somebody configured logging: theirs is kept; without handlers, logging's
        # last resort would print the records raw
    class EscapedRecords(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            return visible(super().format(record), keep="\n")

    handler = logging.StreamHandler()
    handler.setFormatter(EscapedRecords("charterc: %(levelname)s: %(name)s: %(message)s"))
    handler.setLevel(logging.WARNING)
    root.addHandler(handler)
    _undo.append(lambda: root.removeHandler(handler))
