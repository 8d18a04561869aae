"""charterc: a declarative service-charter compiler.

Load a charter (YAML or DSL), validate it against the JSON Schema, check its
consistency, and compile it into contracts and SLA definitions.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from .diagnostics import Diagnostic, Edit, Fix, Severity, SourceMap
from .errors import CharterError

if TYPE_CHECKING:
    from .loaders import Loaded
    from .pipeline import PortfolioResult
    from .publish.build import BuildResult

__all__ = ["CharterError", "Diagnostic", "Edit", "Fix", "Severity", "SourceMap", "__version__",
           "build", "check", "load"]


def load(path: str | Path) -> Loaded:
    """Load one charter file: a `Loaded` (document, source map, diagnostics)."""
    from .loaders import load_path
    return load_path(path)


def check(paths: Sequence[str | Path], **options: Any) -> PortfolioResult:
    """Check charter files or folders: a `PortfolioResult` with every diagnostic.

    `options` are those of `charterc.pipeline.CheckOptions` (today, select, ignore,
    levels, limits, cache: a folder of the check cache, docs/cache.md), and `progress`,
    called with 1 after each file.
    """
    from .pipeline import CheckOptions, check_paths
    progress = options.pop("progress", None)
    return check_paths(paths, CheckOptions(**options), progress=progress)


def build(paths: Sequence[str | Path] = ("charters",), out: str | Path = "dist",
          **options: Any) -> BuildResult:
    """Check, then write contracts, sla.json and openslo.yaml: a `BuildResult`."""
    from .publish.build import build as _build
    return _build(paths, out, **options)
