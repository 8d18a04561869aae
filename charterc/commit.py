"""The git commit charterc was installed from, for `charterc --version`.

A wheel records it when it is built (`hatch_build.py` writes the `COMMIT` file
beside this module); a checkout (an editable install, `PYTHONPATH`) asks git for
its `HEAD`; anything else is `unknown`. Read only when asked: git is not run on
any other command.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

__all__ = ["CHECKOUT", "RECORDED", "UNKNOWN", "checkout_commit", "installed_commit"]

RECORDED = Path(__file__).with_name("COMMIT")  # written into wheels by hatch_build.py
CHECKOUT = Path(__file__).resolve().parent.parent  # the repository, when run from one
UNKNOWN = "unknown"
_SHA = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?\Z")  # SHA-1 or SHA-256


def installed_commit(recorded: Path = RECORDED,
                     checkout: Path = CHECKOUT) -> str:
    """The commit recorded at build time, else the checkout's `HEAD`, else `unknown`."""
    try:
        text = recorded.read_text(encoding="ascii").strip()
        if _SHA.match(text):
            return text
    except (OSError, UnicodeDecodeError):
        pass
    return checkout_commit(checkout) or UNKNOWN


def checkout_commit(root: Path) -> str | None:
    """`HEAD` of the git checkout at `root`, or None (not a checkout, no git)."""
    if not (root / ".git").exists():  # a folder, or a file in a linked worktree
        return None
    try:
        run = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    text = run.stdout.strip()
    return text if run.returncode == 0 and _SHA.match(text) else None
