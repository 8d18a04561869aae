"""A rebuild writes only what changed: files whose bytes the output already holds stay in
place (same inode, same mode), and the result is the same as a build into a new folder."""
from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner, Result

from charterc.cli import main

ROOT = Path(__file__).parent.parent
BASE = (ROOT / "charterc/checks/example_base.charter.yaml").read_text()
TODAY = "2026-11-27"


def _build(*args) -> Result:
    return CliRunner().invoke(main, ["build", *map(str, args), "--today", TODAY])


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*") if p.is_file()}


def _inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino
            for p in folder.rglob("*") if p.is_file()}


def _built_once(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The example charter in a folder of its own, built once into `site`; and `fresh`,
    a folder to build it into anew."""
    charters = tmp_path / "charters"
    charters.mkdir()
    (charters / "example.charter.yaml").write_text(BASE)
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    assert _build(charters, "-o", site).exit_code == 0
    return charters, site, fresh


def test_a_rebuild_keeps_unchanged_files_and_replaces_changed_ones(tmp_path):
    charters, site, fresh = _built_once(tmp_path)
    before = _inodes(site)
    os.chmod(site / "example" / "sla.json", 0o600)  # same bytes, another mode: replaced
    assert _build(charters, "-o", site).exit_code == 0
    after = _inodes(site)
    assert after["example/sla.json"] != before["example/sla.json"]
    documents = [p for p in before if p.startswith("example/") and p != "example/sla.json"]
    assert documents and all(after[p] == before[p] for p in documents)

    (charters / "example.charter.yaml").write_text(BASE.replace("title: ", "title: New ", 1))
    assert _build(charters, "-o", site).exit_code == 0
    assert _build(charters, "-o", fresh).exit_code == 0
    assert _files(site) == _files(fresh)
    assert (site / "example" / "sla.json").stat().st_mode == \
        (fresh / "example" / "sla.json").stat().st_mode
    assert _inodes(site)["index.html"] != before["index.html"]


def test_without_hard_links_a_rebuild_writes_its_files_again(tmp_path, monkeypatch):
    """Where the file system refuses hard links, a kept file is written instead of linked:
    the rebuild publishes the same bytes, every file a new one."""
    charters, site, fresh = _built_once(tmp_path)
    before = _inodes(site)

    def refused(*args, **kwargs):
        raise OSError(1, "Operation not permitted")
    monkeypatch.setattr(os, "link", refused)
    result = _build(charters, "-o", site, "--jobs", "1")
    assert result.exit_code == 0, result.output
    monkeypatch.undo()
    assert _build(charters, "-o", fresh).exit_code == 0
    assert _files(site) == _files(fresh)
    after = _inodes(site)
    assert not [p for p in before if p.startswith("example/") and after[p] == before[p]]
