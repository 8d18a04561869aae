"""The check cache: an unchanged file is not checked again; any change of what decides its
findings (bytes, name, charterc, options, --today) is; R302 runs on every run."""
from __future__ import annotations

import json
import multiprocessing
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import charterc.pipeline as pipeline
from charterc.cli import main
from charterc.diagnostics import Severity
from charterc.loaders import Limits
from charterc.pipeline import CheckOptions, check_paths
from charterc.pipeline import cache as check_cache

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "tests" / "rules"
TODAY = date(2026, 11, 27)


@pytest.fixture
def folder(tmp_path):
    """Two charters with findings (an error, a warning) and a clean one."""
    charters = tmp_path / "charters"
    charters.mkdir()
    for name in ("C401.fail.charter.yaml", "C404.fail.charter.yaml"):
        (charters / name).write_bytes((RULES / name).read_bytes())
    (charters / "hr-legal.charter.yaml").write_bytes(
        (ROOT / "charters" / "hr-legal.charter.yaml").read_bytes())
    return charters


@pytest.fixture
def counted(monkeypatch):
    """How many files the run loaded and checked (a hit loads nothing)."""
    calls: list[str] = []
    real = pipeline.check_loaded

    def check_loaded(loaded, options=None):
        options = options or CheckOptions()
        calls.append(loaded.file)
        return real(loaded, options)

    monkeypatch.setattr(pipeline, "check_loaded", check_loaded)
    return calls


def shape(result):
    return ([d.to_dict() for d in result.diagnostics], result.counts(), result.exit_code())


def entries(cache: Path) -> list[Path]:
    return sorted((cache / "check").rglob("*.json"))


def test_an_unchanged_file_is_not_checked_again_and_reads_the_same(folder, tmp_path, counted):
    cache = tmp_path / "cache"
    options = CheckOptions(today=TODAY, cache=cache)
    cold = check_paths([folder], options)
    assert len(counted) == 3 and len(entries(cache)) == 3
    counted.clear()
    warm = check_paths([folder], options)
    assert counted == []
    assert shape(warm) == shape(cold)
    assert {d.rule for d in warm.diagnostics} == {"C401", "C404", "G707", "G710"}
    assert shape(cold) == shape(check_paths([folder], CheckOptions(today=TODAY)))
    assert all(f.cached is not None and f.charter is None for f in warm.files)


def test_the_folder_is_marked_as_a_cache(folder, tmp_path):
    cache = tmp_path / "cache"
    check_paths([folder], CheckOptions(today=TODAY, cache=cache))
    assert (cache / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert (cache / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith(
        "Signature: 8a477f597d28d172789f06886806bc55")


@pytest.mark.parametrize("change", [
    {"today": date(2026, 11, 28)},
    {"select": ["C"]},
    {"ignore": ["C404"]},
    {"levels": {"C404": Severity.ERROR}},
    {"limits": Limits(max_bytes=100_000)},
], ids=["today", "select", "ignore", "level", "limits"])
def test_each_option_is_part_of_the_key(folder, tmp_path, counted, change):
    cache = tmp_path / "cache"
    check_paths([folder], CheckOptions(today=TODAY, cache=cache))
    counted.clear()
    options = {"today": TODAY, **change}
    changed = check_paths([folder], CheckOptions(cache=cache, **options))
    assert len(counted) == 3, "a changed option must not reuse the findings"
    assert shape(changed) == shape(check_paths([folder], CheckOptions(**options)))
    counted.clear()
    check_paths([folder], CheckOptions(cache=cache, **options))
    assert counted == []  # and the new options have entries of their own


def test_the_files_bytes_are_part_of_the_key(folder, tmp_path, counted):
    cache = tmp_path / "cache"
    check_paths([folder], CheckOptions(today=TODAY, cache=cache))
    charter = folder / "C401.fail.charter.yaml"
    charter.write_text(charter.read_text(encoding="utf-8").replace("share: 45%", "share: 50%"),
                       encoding="utf-8")
    counted.clear()
    result = check_paths([folder], CheckOptions(today=TODAY, cache=cache))
    assert [Path(f).name for f in counted] == ["C401.fail.charter.yaml"]
    assert "C401" not in {d.rule for d in result.diagnostics}


def test_the_name_a_file_is_reported_under_is_part_of_the_key(folder, tmp_path, counted):
    cache = tmp_path / "cache"
    check_paths([folder], CheckOptions(today=TODAY, cache=cache))
    (folder / "C401.fail.charter.yaml").rename(folder / "renamed.charter.yaml")
    counted.clear()
    result = check_paths([folder], CheckOptions(today=TODAY, cache=cache))
    assert [Path(f).name for f in counted] == ["renamed.charter.yaml"]
    assert any(d.file.endswith("renamed.charter.yaml") for d in result.diagnostics)


def test_charterc_s_version_and_code_are_part_of_the_key(folder, tmp_path, counted, monkeypatch):
    cache = tmp_path / "cache"
    check_paths([folder], CheckOptions(today=TODAY, cache=cache))
    monkeypatch.setattr(check_cache, "__version__", "999.0.0")
    check_cache.fingerprint.cache_clear()
    try:
        counted.clear()
        check_paths([folder], CheckOptions(today=TODAY, cache=cache))
        assert len(counted) == 3
    finally:
        check_cache.fingerprint.cache_clear()
    # an edited module (another size or time) is another fingerprint too
    before = check_cache.fingerprint()
    module = tmp_path / "pkg"
    (module / "charterc").mkdir(parents=True)
    monkeypatch.setattr(check_cache, "_PACKAGE", module / "charterc")
    check_cache.fingerprint.cache_clear()
    try:
        assert check_cache.fingerprint() != before
    finally:
        check_cache.fingerprint.cache_clear()


def test_a_corrupt_entry_is_a_miss_and_is_written_again(folder, tmp_path, counted):
    cache = tmp_path / "cache"
    cold = check_paths([folder], CheckOptions(today=TODAY, cache=cache))
    damaged = entries(cache)
    damaged[0].write_bytes(b"\x00{not json")
    damaged[1].write_text(json.dumps({"format": 1, "key": "other"}), encoding="utf-8")
    text = json.loads(damaged[2].read_text(encoding="utf-8"))
    text["diagnostics"] = [["C401", "fatal", "x", "f", 1, 1, "", "", False, []]]
    damaged[2].write_text(json.dumps(text), encoding="utf-8")
    counted.clear()
    again = check_paths([folder], CheckOptions(today=TODAY, cache=cache))
    assert len(counted) == 3
    assert shape(again) == shape(cold)
    counted.clear()
    check_paths([folder], CheckOptions(today=TODAY, cache=cache))
    assert counted == []  # the entries were rewritten whole


def test_an_unwritable_cache_only_costs_time(folder, tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    result = check_paths([folder], CheckOptions(today=TODAY, cache=blocker))
    assert shape(result) == shape(check_paths([folder], CheckOptions(today=TODAY)))


def test_r302_runs_on_every_run_over_cached_files(folder, tmp_path):
    cache = tmp_path / "cache"
    twin = folder / "twin.charter.yaml"
    twin.write_bytes((folder / "hr-legal.charter.yaml").read_bytes())
    options = CheckOptions(today=TODAY, cache=cache)
    cold = check_paths([folder], options)
    warm = check_paths([folder], options)
    assert all(f.cached is not None for f in warm.files)
    duplicate = [d for d in warm.diagnostics if d.rule == "R302"]
    assert len(duplicate) == 1 and duplicate[0].file.endswith("twin.charter.yaml")
    assert shape(warm) == shape(cold)
    twin.unlink()  # the other file is unchanged (a hit) and no longer a duplicate
    assert "R302" not in {d.rule for d in check_paths([folder], options).diagnostics}


def _run_check(arguments: list[str]) -> str:
    result = CliRunner().invoke(main, arguments)
    return f"{result.exit_code}\n{result.output}"


def test_concurrent_runs_share_one_cache(folder, tmp_path):
    cache = tmp_path / "cache"
    arguments = ["check", "--today", "2026-11-27", "--format", "json", "--cache-dir", str(cache),
                 str(folder)]
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        outputs = pool.map(_run_check, [arguments] * 8)
    assert len(set(outputs)) == 1
    assert outputs[0] == _run_check([*arguments[:-3], "--no-cache", str(folder)])
    for entry in entries(cache):
        assert json.loads(entry.read_text(encoding="utf-8"))["format"] == check_cache.FORMAT
    assert not [p for p in (cache / "check").rglob("*") if p.name.endswith(".tmp")]


def test_cli_cache_dir_and_no_cache(folder, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    plain = runner.invoke(main, ["check", "--today", "2026-11-27", "--no-cache", str(folder)])
    assert plain.exit_code == 1
    assert not (tmp_path / ".charterc_cache").exists()
    first = runner.invoke(main, ["check", "--today", "2026-11-27", str(folder)])
    assert len(entries(tmp_path / ".charterc_cache")) == 3  # the default folder
    second = runner.invoke(main, ["check", "--today", "2026-11-27", str(folder)])
    assert plain.output == first.output == second.output
    elsewhere = tmp_path / "elsewhere"
    runner.invoke(main, ["check", "--today", "2026-11-27", "--cache-dir", str(elsewhere),
                         str(folder)])
    assert len(entries(elsewhere)) == 3


def test_sarif_keeps_the_suppression_reasons_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    charters = tmp_path / "charters"
    charters.mkdir()
    text = (RULES / "C404.fail.charter.yaml").read_text(encoding="utf-8")
    text = re.sub(r"owner: owner@example.com}",
                  'owner: owner@example.com, suppress: [{rule: C404, reason: "budget agreed"}]}',
                  text, count=1)
    assert "budget agreed" in text
    (charters / "c404.charter.yaml").write_text(text, encoding="utf-8")
    arguments = ["check", "--today", "2026-11-27", "--format", "sarif", str(charters)]
    runner = CliRunner()
    cold = runner.invoke(main, arguments)
    warm = runner.invoke(main, arguments)
    assert "budget agreed" in cold.output
    assert warm.output == cold.output
