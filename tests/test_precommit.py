"""The pre-commit hook, run by the real `pre-commit` tool (`try-repo`) on a temporary repository.

pre-commit installs charterc from the hook repository into its own virtualenv
(from PyPI: the dependencies must be reachable). The hook repository is a
snapshot of this working tree committed into a temporary git repository, so the
test runs the code as it is now.
The snapshots and pre-commit's environments are kept under the user's cache
(~/.cache/charterc-tests/snapshots and .../pre-commit), keyed by the snapshot's
content, so only the first run after a change to the package pays for the
installation, about a minute: the test is marked slow, left out of
`python -m pytest` and run by `.ci/run` (`python -m pytest -m slow`).
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from charterc.authoring.init import starter_text

REPO = Path(__file__).resolve().parents[1]
SNAPSHOT = ("pyproject.toml", "hatch_build.py", "README.md", ".pre-commit-hooks.yaml", "charterc",
            "schemas")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None,
                       reason="pre-commit is not installed (pip install pre-commit)"),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]


def _env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com", GIT_CONFIG_GLOBAL=os.devnull,
               PRE_COMMIT_HOME=str(home))
    return env


def _git(cwd: Path, env: dict, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def _snapshot_files() -> list[Path]:
    files = []
    for name in SNAPSHOT:
        source = REPO / name
        files += sorted(p for p in source.rglob("*") if p.is_file() and "__pycache__" not in
                        p.parts) if source.is_dir() else [source]
    return files


def _hook_repo(cache: Path, env: dict) -> Path:
    """This working tree's package, committed into a repository named by its content.

    Same content, same repository and commit: pre-commit then reuses the hook
    environment it built for it, and a rerun takes seconds, not a pip install.
    """
    files = _snapshot_files()
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    repo = cache / f"hook-repo-{digest.hexdigest()[:16]}"
    if (repo / ".git").is_dir():
        os.utime(repo)   # in use: not pruned for another day
        return repo
    # Prune snapshots unused for a day, not all others: another checkout's test run may be
    # using its own snapshot right now (the cache is per user, not per checkout).
    for old in cache.glob("hook-repo-*"):
        try:
            unused = time.time() - old.stat().st_mtime > 86400
        except FileNotFoundError:   # pruned by another run meanwhile
            continue
        if unused:
            shutil.rmtree(old, ignore_errors=True)
    building = Path(tempfile.mkdtemp(prefix="building-", dir=cache))
    for path in files:
        target = building / path.relative_to(REPO)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    _git(building, env, "init", "-q", "-b", "main")
    _git(building, env, "add", ".")
    _git(building, env, "commit", "-q", "-m", "snapshot")
    try:
        building.rename(repo)
    except OSError:   # another run built the same snapshot meanwhile: use theirs
        shutil.rmtree(building, ignore_errors=True)
        if not (repo / ".git").is_dir():
            raise
    return repo


def _try_repo(hook_repo: Path, project: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "charterc-check",
         "--all-files", "--color", "never"],
        cwd=project, env=env, capture_output=True, text=True, timeout=900)


def test_hook_fails_on_a_broken_charter_then_passes(tmp_path):
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "charterc-tests"
    cache.mkdir(parents=True, exist_ok=True)
    env = _env(cache / "pre-commit")
    (cache / "snapshots").mkdir(exist_ok=True)
    hook_repo = _hook_repo(cache / "snapshots", env)
    project = tmp_path / "project"
    (project / "charters").mkdir(parents=True)
    _git(project, env, "init", "-q", "-b", "main")
    clean = starter_text("desk", folder=project / "charters")
    (project / "charters" / "desk.charter.yaml").write_text(clean, encoding="utf-8")
    broken = starter_text("legal", folder=project / "charters").replace(
        "tier: standard\n    volume: {units: 800", "tier: standrd\n    volume: {units: 800")
    assert broken != starter_text("legal", folder=project / "charters")
    (project / "charters" / "legal.charter.yaml").write_text(broken, encoding="utf-8")
    _git(project, env, "add", ".")

    run = _try_repo(hook_repo, project, env)
    assert run.returncode == 1, run.stdout + run.stderr
    line = broken.splitlines().index("    tier: standrd") + 1   # where the starter puts it
    assert f"charters/legal.charter.yaml:{line}:11: error[R301]: unknown tier 'standrd'" \
        in run.stdout
    assert "did you mean 'standard'?" in run.stdout

    fixed = broken.replace("tier: standrd", "tier: standard")
    (project / "charters" / "legal.charter.yaml").write_text(fixed, encoding="utf-8")
    _git(project, env, "add", ".")
    run = _try_repo(hook_repo, project, env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "charterc check" in run.stdout and "Passed" in run.stdout
