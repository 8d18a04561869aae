"""Build hook: record the git commit a wheel is built from as `charterc/COMMIT`.

`charterc --version` prints it (charterc/commit.py). Built from a checkout, the
commit is git's `HEAD`; built from an sdist, the sdist carries the file it was
given; an editable install reads git when asked, so it records nothing.
"""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CommitHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":
            return
        commit = _head(Path(self.root))
        if commit is None:
            return  # no git here: an sdist's own charterc/COMMIT, if any, is packaged
        folder = Path(tempfile.mkdtemp(prefix="charterc-commit-"))
        (folder / "COMMIT").write_text(commit + "\n", encoding="ascii")
        build_data["force_include"][str(folder / "COMMIT")] = "charterc/COMMIT"


def _head(root: Path) -> str | None:
    if not (root / ".git").exists():
        return None
    try:
        run = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return run.stdout.strip() if run.returncode == 0 and run.stdout.strip() else None
