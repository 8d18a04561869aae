"""`charterc build -o DIR` never loses a user's file, and says why when it will not write.

Each test builds against a folder layout a user has, and checks that every file charterc
did not write is still there, byte for byte.
"""
from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from charterc.cli import main
from charterc.publish.folder import MARKER, STAGING

ROOT = Path(__file__).parent.parent
BASE = (ROOT / "charterc/checks/example_base.charter.yaml").read_text()
TODAY = "2026-11-27"


def _charters(folder: Path, text: str = BASE, name: str = "example.charter.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    return folder


def _build(*args) -> Result:
    return CliRunner().invoke(main, ["build", *map(str, args), "--today", TODAY])


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (links not followed), relative path -> bytes."""
    found = {}
    for parent, _, names in os.walk(folder):
        for name in names:
            path = Path(parent) / name
            found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found


def _refused(result, *words):
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    for word in words:
        assert word in result.output


def test_charters_inside_the_output_folder_are_refused_and_kept(tmp_path):
    charters = _charters(tmp_path / "charters")
    site = tmp_path / "site"
    assert _build(charters, "-o", site).exit_code == 0
    _charters(site / "src")
    before = _files(site)
    _refused(_build(site / "src", "-o", site), "inside the output folder")
    assert _files(site) == before


def test_an_output_folder_equal_to_the_inputs_is_refused(tmp_path):
    charters = _charters(tmp_path / "charters")
    before = _files(charters)
    _refused(_build(charters, "-o", charters), "inside the output folder")
    assert _files(charters) == before


def test_a_web_app_folder_with_its_own_manifest_is_refused_and_kept(tmp_path):
    app = tmp_path / "build"
    (app / "assets").mkdir(parents=True)
    (app / "manifest.json").write_text('{"name": "my app", "icons": []}\n')
    (app / "assets" / "app.js").write_text("console.log('app')\n")
    before = _files(app)
    _refused(_build(_charters(tmp_path / "charters"), "-o", app),
             "not written by charterc build")
    assert _files(app) == before


def test_files_added_to_a_built_folder_survive_the_next_builds(tmp_path):
    charters = _charters(tmp_path / "charters")
    _charters(charters, BASE.replace("id: example", "id: second"), "second.charter.yaml")
    site = tmp_path / "site"
    assert _build(charters, "-o", site).exit_code == 0
    (site / "CNAME").write_text("charters.example.org\n")
    (site / ".git" / "objects").mkdir(parents=True)
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (site / ".git" / "objects" / "ab").write_bytes(b"\x00\x01blob")
    (site / "second" / "notes.txt").write_text("kept with its folder")
    mine = {k: v for k, v in _files(site).items()
            if k in ("CNAME", ".git/HEAD", ".git/objects/ab", "second/notes.txt")}
    assert _build(charters, "-o", site).exit_code == 0
    (charters / "second.charter.yaml").unlink()   # its documents go, the user's note stays
    assert _build(charters, "-o", site).exit_code == 0
    after = _files(site)
    assert {k: after.get(k) for k in mine} == mine
    assert sorted(k for k in after if k.startswith("second/")) == ["second/notes.txt"]
    manifest = json.loads(after["manifest.json"])
    assert all(f["path"].startswith(("example/", "index.html")) for f in manifest["files"])


def test_a_new_file_that_would_replace_a_users_file_stops_the_build(tmp_path):
    charters = _charters(tmp_path / "charters")
    site = tmp_path / "site"
    assert _build(charters, "-o", site).exit_code == 0
    (site / "second").mkdir()
    (site / "second" / "sla.json").write_text("my own\n")
    before = _files(site)
    _charters(charters, BASE.replace("id: example", "id: second"), "second.charter.yaml")
    _refused(_build(charters, "-o", site), "second/sla.json", "not written by charterc")
    assert _files(site) == before


def test_a_symlinked_output_is_followed_and_stays_a_link(tmp_path):
    charters = _charters(tmp_path / "charters")
    target = tmp_path / "releases" / "v1"
    assert _build(charters, "-o", target).exit_code == 0
    link = tmp_path / "dist"
    link.symlink_to(target, target_is_directory=True)
    _charters(charters, BASE.replace("id: example", "id: second"), "second.charter.yaml")
    assert _build(charters, "-o", link).exit_code == 0
    assert link.is_symlink() and (target / "second" / "sla.json").is_file()


def test_fmt_rewrites_the_target_of_a_symlinked_charter(tmp_path):
    real = tmp_path / "shared" / "svc.charter"
    real.parent.mkdir()
    real.write_text(_dsl_unformatted())
    link = tmp_path / "charters" / "svc.charter"
    link.parent.mkdir()
    link.symlink_to(real)
    result = CliRunner().invoke(main, ["fmt", str(tmp_path / "charters")])
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert real.read_text() != _dsl_unformatted() and "reformatted" in result.output


def _dsl_unformatted() -> str:
    from charterc.authoring.dsl import dump
    from charterc.loaders.yaml import load_text
    text = dump(load_text(BASE, "example.charter.yaml").document)
    return text.replace("\n  ", "\n      ", 3)


# -- killed and concurrent builds ----------------------------------------------------------

KILL_AFTER_RENAMES = textwrap.dedent("""
    import os, sys
    calls = [0]
    real = os.replace
    def replace(*args, **kwargs):
        calls[0] += 1
        if calls[0] > int(sys.argv[1]):
            os._exit(9)  # as kill -9: no clean-up runs
        return real(*args, **kwargs)
    os.replace = replace
    import charterc.publish.folder  # files moved one by one: the journal, not the exchange
    charterc.publish.folder._next_folder = lambda folder: None
    from charterc.cli import main
    main(sys.argv[2:])
""")


@pytest.mark.parametrize("renames", [1, 3, 12])
def test_a_killed_build_leaves_old_or_new_files_and_the_next_build_recovers(tmp_path, renames):
    charters = _charters(tmp_path / "charters")
    site, reference = tmp_path / "site", tmp_path / "reference"
    assert _build(charters, "-o", site).exit_code == 0
    (site / "CNAME").write_text("x.example.org\n")
    old = _files(site)
    _charters(charters, BASE.replace("id: example", "id: second"), "second.charter.yaml")
    (charters / "example.charter.yaml").write_text(BASE.replace("title: ", "title: New ", 1))
    assert _build(charters, "-o", reference).exit_code == 0
    new = _files(reference)

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    run = subprocess.run([sys.executable, "-c", KILL_AFTER_RENAMES, str(renames), "build",
                          str(charters), "-o", str(site), "--today", TODAY],
                         env=env, capture_output=True, text=True)
    assert run.returncode == 9, run.stderr
    killed = _files(site)
    assert killed["CNAME"] == b"x.example.org\n"
    for path, data in killed.items():
        if path != MARKER and not path.startswith(STAGING):
            assert data in (old.get(path), new.get(path)), path

    assert _build(charters, "-o", site).exit_code == 0
    after = _files(site)
    assert not [p for p in site.iterdir() if p.name.startswith(STAGING)]
    assert {k: v for k, v in after.items() if k not in (MARKER, "CNAME")} == \
        {k: v for k, v in new.items() if k != MARKER}
    assert after["CNAME"] == b"x.example.org\n"


def test_leftovers_of_the_folder_swapping_builds_are_recovered_and_removed(tmp_path):
    charters = _charters(tmp_path / "charters")
    assert _build(charters, "-o", tmp_path / "dist").exit_code == 0
    old = tmp_path / ".dist.old-abcd1234"   # killed between the two renames: no dist/
    old.mkdir()
    (tmp_path / "dist").rename(old / "dist")
    (tmp_path / ".dist.tmp-wxyz5678" / "example").mkdir(parents=True)
    (tmp_path / "notes.txt").write_text("mine")
    assert _build(charters, "-o", tmp_path / "dist").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["charters", "dist", "notes.txt"]


def test_a_second_build_at_the_same_time_stops_with_a_clear_error(tmp_path):
    charters = _charters(tmp_path / "charters")
    site = tmp_path / "site"
    assert _build(charters, "-o", site).exit_code == 0
    before = _files(site)
    handle = os.open(site, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)   # as a running build holds it
        _charters(charters, BASE.replace("id: example", "id: second"), "second.charter.yaml")
        _refused(_build(charters, "-o", site), "another charterc build is writing")
    finally:
        os.close(handle)
    assert _files(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["charters", "site"]


def test_two_real_builds_at_once_never_fail_with_an_internal_error(tmp_path):
    charters = _charters(tmp_path / "charters")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "charterc", "build", str(charters), "-o",
               str(tmp_path / "dist"), "--today", TODAY]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(3)]
    for run in runs:
        _, err = run.communicate()
        assert run.returncode in (0, 2), err
        assert "internal error" not in err
        if run.returncode == 2:
            assert "another charterc build is writing" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["charters", "dist"]
    assert not [p for p in (tmp_path / "dist").iterdir() if p.name.startswith(STAGING)]


# -- usage errors, not internal errors ----------------------------------------------------

def test_an_output_below_a_file_is_a_usage_error(tmp_path):
    (tmp_path / "afile").write_text("mine")
    _refused(_build(_charters(tmp_path / "charters"), "-o", tmp_path / "afile" / "dist"),
             "is a file, not a folder")
    assert (tmp_path / "afile").read_text() == "mine"


def test_a_read_only_output_folder_is_a_usage_error(tmp_path, monkeypatch):
    charters = _charters(tmp_path / "charters")
    site = tmp_path / "site"
    assert _build(charters, "-o", site).exit_code == 0
    before = _files(site)
    import tempfile

    def read_only(*args, **kwargs):  # what a 0555 folder gives (root ignores the mode)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    _refused(_build(charters, "-o", site), "cannot write in", "Permission denied")
    assert _files(site) == before
