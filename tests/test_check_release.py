"""`charterc check` releases each file's document once its findings are out
(`check_paths(release=True)`): the same findings in every format, flat memory."""
from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from charterc.pipeline import CheckOptions, check_paths
from charterc.render.findings import REPORTERS, reporter

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def portfolio(tmp_path: Path) -> Path:
    folder = tmp_path / "charters"
    folder.mkdir()
    for path in (ROOT / "charters").glob("*.charter.yaml"):
        shutil.copy(path, folder / path.name)
    shutil.copy(ROOT / "examples" / "mistakes" / "desk.charter.yaml",
                folder / "mistakes.charter.yaml")
    # R302 on the file that repeats an id, pointing at the other file's line
    shutil.copy(ROOT / "charters" / "hr-legal.charter.yaml", folder / "zz-copy.charter.yaml")
    dsl = (ROOT / "examples" / "dsl" / "it-service-desk.charter").read_text(encoding="utf-8")
    (folder / "desk.charter").write_text(
        dsl.replace("charter it-service-desk", "charter dsl-desk", 1)
        .replace("owner ", "owner owner ", 1), encoding="utf-8")
    (folder / "broken.charter.yaml").write_text("metadata: [unclosed\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_released_results_report_as_the_full_ones(portfolio, fmt):
    options = CheckOptions(today=date(2026, 11, 27))
    full = check_paths([portfolio], options)
    released = check_paths([portfolio], options, release=True)
    assert reporter(fmt)(released) == reporter(fmt)(full)
    assert released.exit_code() == full.exit_code() == 1
    assert {d.rule for d in full.diagnostics} >= {"R302"}


def test_released_results_keep_no_document_nor_model(portfolio):
    seen = []
    result = check_paths([portfolio], CheckOptions(today=date(2026, 11, 27)), release=True,
                         each=seen.append)
    assert any(r.charter is not None for r in seen)  # `each` sees the whole result
    assert all(r.loaded.document is None and r.charter is None for r in result.files)
    assert all(len(r.sources.values) <= 1 for r in result.files)


def test_the_check_command_releases_them(portfolio, tmp_path):
    program = f"""
import sys
import charterc.pipeline as pipeline
kept = []
real = pipeline.check_paths
def spy(*args, **kwargs):
    result = real(*args, **kwargs)
    kept.extend(result.files)
    return result
pipeline.check_paths = spy
from charterc.__main__ import run
try:
    run(["check", "--no-cache", "--today", "2026-11-27", {str(portfolio)!r}])
except SystemExit:
    pass
print(len(kept), sum(f.loaded.document is not None for f in kept))
"""
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert done.stdout.split()[-2:] == ["7", "0"], done.stderr


_PEAK = """
import resource, sys
from charterc.__main__ import run
try:
    run(["check", "--no-cache", "--format", "json", "--output", sys.argv[2],
         "--today", "2026-11-27", sys.argv[1]])
except SystemExit:
    pass
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _peak_mib(folder: Path, count: int) -> float:
    sources = sorted((ROOT / "charters").glob("*.charter.yaml"))
    folder.mkdir()
    for n in range(count):
        source = sources[n % len(sources)]
        text = source.read_text(encoding="utf-8").replace("\n  id: ", f"\n  id: c{n:04d}-", 1)
        (folder / f"c{n:04d}.charter.yaml").write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", _PEAK, str(folder),
                           str(folder.parent / f"{count}.json")],
                          capture_output=True, text=True, check=True, cwd=ROOT, timeout=600)
    return int(done.stdout.split()[-1]) / 1024


def test_memory_does_not_grow_with_the_files(tmp_path):
    # kept to the end, each file's document and model cost about 0.2 MiB
    small = _peak_mib(tmp_path / "small", 30)
    large = _peak_mib(tmp_path / "large", 230)
    assert (large - small) / 200 < 0.05
