"""`charterc --version`: the version and the git commit charterc was installed from."""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from charterc import __version__
from charterc.cli import main
from charterc.commit import UNKNOWN, installed_commit

REPO = Path(__file__).resolve().parents[1]
SHA = "0123456789abcdef0123456789abcdef01234567"
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(cwd: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com", GIT_CONFIG_GLOBAL=os.devnull)
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def test_version_prints_the_version_and_the_commit():
    output = CliRunner().invoke(main, ["--version"]).output
    assert output == f"charterc, version {__version__}\ncommit {installed_commit()}\n"


def test_the_commit_recorded_at_build_time_comes_first(tmp_path):
    recorded = tmp_path / "COMMIT"
    recorded.write_text(SHA + "\n", encoding="ascii")
    assert installed_commit(recorded, checkout=tmp_path) == SHA


def test_unknown_without_a_record_or_a_checkout(tmp_path):
    assert installed_commit(tmp_path / "COMMIT", checkout=tmp_path) == UNKNOWN
    (tmp_path / "COMMIT").write_text("not a commit\n", encoding="ascii")
    assert installed_commit(tmp_path / "COMMIT", checkout=tmp_path) == UNKNOWN


@needs_git
def test_a_checkout_reads_its_head_from_git(tmp_path):
    _git(tmp_path, "init", "-q")
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    _git(tmp_path, "add", "a.txt")
    _git(tmp_path, "commit", "-q", "-m", "a")
    head = _git(tmp_path, "rev-parse", "HEAD")
    assert installed_commit(tmp_path / "COMMIT", checkout=tmp_path) == head


@pytest.mark.slow
@needs_git
@pytest.mark.skipif(importlib.util.find_spec("pip") is None, reason="pip is not installed")
def test_a_wheel_built_from_a_checkout_records_its_commit(tmp_path):
    """The build hook (hatch_build.py) writes charterc/COMMIT into the wheel."""
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "hatch_build.py", "README.md"):
        shutil.copy2(REPO / name, source / name)
    for folder in ("charterc", "schemas"):
        shutil.copytree(REPO / folder, source / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "COMMIT"))
    _git(source, "init", "-q")
    _git(source, "add", ".")
    _git(source, "commit", "-q", "-m", "snapshot")
    head = _git(source, "rev-parse", "HEAD")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                    "--wheel-dir", str(tmp_path / "dist"), str(source)], check=True)
    (wheel,) = (tmp_path / "dist").glob("charterc-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("charterc/COMMIT").decode("ascii").strip() == head
