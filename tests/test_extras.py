"""The install extras: the core installs light, and a command that needs a missing extra
names it (exit 2)."""
from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from charterc.extras import EXTRAS, MissingExtra, require

ROOT = Path(__file__).parent.parent
HEAVY = ("weasyprint", "pyarrow", "numpy", "matplotlib", "pygls", "lsprotocol")


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_the_core_install_pulls_no_heavy_library():
    names = [d.split("[")[0].split("=")[0].split(">")[0].split("<")[0].strip().lower()
             for d in _project()["dependencies"]]
    assert not set(names) & set(HEAVY), names


def test_each_extra_installs_what_charterc_checks_for():
    extras = _project()["optional-dependencies"]
    for extra, modules in EXTRAS.items():
        listed = " ".join(extras[extra]).lower()
        assert all(module in listed for module in modules), (extra, listed)
    assert extras["all"] == ["charterc[pdf,reports,lsp,sign,statement]"]


def _without(modules: tuple[str, ...], *args: str) -> subprocess.CompletedProcess[str]:
    """`charterc ARGS` in a process where `modules` cannot be imported."""
    code = ("import sys\n"
            f"for name in {modules!r}: sys.modules[name] = None\n"
            "from charterc.__main__ import run\n"
            f"sys.argv = ['charterc', *{list(args)!r}]\n"
            "run()\n")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_pdf_without_the_extra_is_a_usage_error_naming_it(tmp_path):
    done = _without(("weasyprint",), "build", "charters/it-service-desk.charter.yaml",
                    "-o", str(tmp_path / "dist"), "--format", "pdf")
    assert done.returncode == 2, done.stderr
    assert "pip install 'charterc[pdf]'" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize("command", ["report", "baseline"])
def test_usage_commands_without_the_extra_name_it(command, tmp_path):
    tickets = tmp_path / "tickets.csv"
    tickets.write_text("id,client,priority,opened,first_response,resolved\n")
    window = ["--period", "2026-01"] if command == "report" else \
        ["--from", "2026-01", "--to", "2026-02"]
    done = _without(("pyarrow", "numpy"), command, "charters/it-service-desk.charter.yaml",
                    "--tickets", str(tickets), *window, "-o", str(tmp_path / "out"))
    assert done.returncode == 2, done.stderr
    assert "pip install 'charterc[reports]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_require_names_what_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "pygls", None)
    with pytest.raises(MissingExtra, match=r"needs the 'lsp' extra \(pygls not installed\)"):
        require("lsp", "charterc lsp")
    require("reports", "charterc report")  # installed with the test extras
