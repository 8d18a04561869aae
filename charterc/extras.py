"""The optional extras: what each installs, and the check a command makes before it needs one.

The core install checks charters, builds Markdown and HTML, diffs and formats. Heavier
libraries are extras (pyproject.toml), so that a pre-commit `check` installs light:

- `pdf`: WeasyPrint, for `--format pdf`;
- `reports`: pyarrow and numpy, which read and measure usage files (`report`, `baseline`),
  and matplotlib, which draws their charts (optional within the extra: without it the HTML
  has no charts, and says so);
- `lsp`: pygls and lsprotocol, for `charterc lsp`;
- `sign`: pyHanko, which signs the PDFs of `charterc release --sign` (PAdES);
- `statement`: icalendar, for `charterc statement --format ics`;
- `all`: every one of them.

`require` looks the modules up without importing them, so the check costs nothing.
"""
from __future__ import annotations

from importlib.util import find_spec

from .errors import CharterError

__all__ = ["EXTRAS", "MissingExtra", "require"]

# extra -> the modules a command cannot run without
EXTRAS: dict[str, tuple[str, ...]] = {
    "pdf": ("weasyprint",),
    "reports": ("pyarrow", "numpy"),
    "lsp": ("pygls", "lsprotocol"),
    "sign": ("pyhanko",),
    "statement": ("icalendar",),
}


class MissingExtra(CharterError):
    """A command needs an extra that is not installed (a usage error: exit 2)."""


def missing(extra: str) -> list[str]:
    """The modules of `extra` that cannot be imported."""
    found = []
    for module in EXTRAS[extra]:
        try:
            spec = find_spec(module)
        except (ImportError, ValueError):  # a module set to None, or broken metadata
            spec = None
        if spec is None:
            found.append(module)
    return found


def require(extra: str, what: str) -> None:
    """MissingExtra naming the extra to install unless `extra`'s modules are there."""
    absent = missing(extra)
    if absent:
        raise MissingExtra(f"{what} needs the {extra!r} extra ({', '.join(absent)} "
                           f"not installed): pip install 'charterc[{extra}]'")
