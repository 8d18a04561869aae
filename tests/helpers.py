"""Shared test helpers: check a document or a YAML text through the whole pipeline."""
from __future__ import annotations

from datetime import date

from charterc.diagnostics import SourceMap
from charterc.loaders import Loaded
from charterc.loaders.yaml import load_text
from charterc.pipeline import CheckOptions, check_loaded

TODAY = date(2026, 6, 1)


def check_document(document: dict, today: date = TODAY, **options):
    """All diagnostics of an in-memory canonical document (positions fall back to 1:1)."""
    loaded = Loaded("<doc>", document, SourceMap("<doc>"))
    return check_loaded(loaded, CheckOptions(today=today, **options)).diagnostics


def check_yaml(text: str, file: str = "t.charter.yaml", today: date = TODAY, **options):
    return check_loaded(load_text(text, file), CheckOptions(today=today, **options)).diagnostics


def rule_ids(diagnostics) -> list[str]:
    return sorted({d.rule for d in diagnostics if not d.suppressed})
