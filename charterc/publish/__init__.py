"""Publishing: the build (`build.py`), the output folder it owns (`folder.py`), atomic files."""
from __future__ import annotations

from ..errors import CharterError

__all__ = ["BuildProblem"]


class BuildProblem(CharterError):
    """How the build was asked for cannot work (unknown language, bad template, output folder)."""
