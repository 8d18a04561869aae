"""`CharterError`: the base of every error charterc raises on purpose.

A caller (the CLI, the language server, a library user) catches `CharterError` to tell
charterc's own refusals (a usage problem, an output it cannot write) from a defect.
"""
from __future__ import annotations

__all__ = ["CharterError"]


class CharterError(Exception):
    """An error charterc raises on purpose, with a message meant for the user."""
