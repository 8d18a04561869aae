"""Markdown and HTML of a baseline document (placeholder until the renderer lands)."""
from __future__ import annotations

from .compare import Document

__all__ = ["charts_unavailable", "render_baseline"]


def charts_unavailable() -> str | None:
    from ..report.charts import unavailable
    return unavailable()


def render_baseline(document: Document, *, lang: str, fmt: str) -> str:
    raise NotImplementedError
