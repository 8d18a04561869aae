"""The baseline report's files, made by the output stage (`render.formats.render_set`: JSON
always the same bytes for the same input, Markdown and HTML per language from
`render/baseline/`) and written together, atomically (`publish.files.write_all`)."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..publish.files import write_all
from .compare import Baseline
from .types import BaselineDocument

__all__ = ["folder", "write_baseline"]


def folder(out: Path, document: BaselineDocument) -> Path:
    """`OUT/<charter>/baseline-<from>--<to>/`."""
    window = document["window"]
    return Path(out) / document["charter"]["id"] / f"baseline-{window['from']}--{window['to']}"


def write_baseline(result: Baseline, out: Path, langs: Sequence[str],
                   formats: Sequence[str]) -> list[Path]:
    """Write `baseline.json` and `baseline.<lang>.<md|html>`; the paths written."""
    from ..render.formats import render_set

    def template(fmt: str, lang: str) -> str:
        from ..render.baseline import render_baseline
        return render_baseline(result.document, lang=lang, fmt=fmt)

    base = folder(out, result.document) / "baseline"
    files = {base.with_name(base.name + suffix): data for suffix, data in
             render_set(formats, langs, template=template, result=result.document).items()}
    write_all(files)
    return list(files)
