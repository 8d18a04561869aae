"""`charterc baseline`: a window of tickets against the charter, and its next baseline.

    compare (compare.py: the figures and findings, a typed JSON document: types.py)
    -> propose (propose.py: the charter with its values edited in place, --write)
    -> render (render.py: Markdown and HTML, English and French)

`run_baseline` (run.py) is the command as a function: a `BaselineRequest` in, a
`BaselineRun` out.

Spec section 10; decisions in docs/baseline.md.
"""
from __future__ import annotations

from .compare import THIN, Baseline, BaselineError, compare
from .output import write_baseline
from .run import BaselineRequest, BaselineRun, run_baseline

__all__ = ["THIN", "Baseline", "BaselineError", "BaselineRequest", "BaselineRun", "compare",
           "run_baseline", "write_baseline"]
