"""The baseline report's files: JSON always the same bytes for the same input; Markdown and
HTML per language from `render.py`. Written together, atomically (`publish.files.write_all`)."""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from ..publish.files import write_all
from .compare import Baseline
from .types import BaselineDocument

__all__ = ["dumps", "folder", "write_baseline"]


def dumps(document: BaselineDocument) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def folder(out: Path, document: BaselineDocument) -> Path:
    """`OUT/<charter>/baseline-<from>--<to>/`."""
    window = document["window"]
    return Path(out) / document["charter"]["id"] / f"baseline-{window['from']}--{window['to']}"


def write_baseline(result: Baseline, out: Path, langs: Sequence[str],
                   formats: Sequence[str]) -> list[Path]:
    """Write `baseline.json` and `baseline.<lang>.<md|html>`; the paths written."""
    base = folder(out, result.document)
    texts: dict[Path, str] = {}
    for fmt in formats:
        if fmt == "json":
            texts[base / "baseline.json"] = dumps(result.document)
        else:
            from .render import render_baseline
            for lang in langs:
                texts[base / f"baseline.{lang}.{fmt}"] = render_baseline(
                    result.document, lang=lang, fmt=fmt)
    write_all({path: text.encode("utf-8") for path, text in texts.items()})
    return list(texts)
