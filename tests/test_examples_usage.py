"""examples/usage/: a year of usage for the bundled charters (spec section 9.2), written by
its seeded generator, and the README's `report` and `baseline` runs on it."""
from __future__ import annotations

import importlib.util
import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from charterc.cli import main

ROOT = Path(__file__).resolve().parent.parent
USAGE = ROOT / "examples" / "usage"
CHARTERS = sorted((ROOT / "charters").glob("*.charter.yaml"))


def _generator():   # examples/usage/generate.py, loaded as a module
    spec = importlib.util.spec_from_file_location("usage_generate", USAGE / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def readme_commands() -> list[list[str]]:
    """The `charterc` commands of the README's section on the usage data."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Usage data to try `report` and `baseline` on", 1)[1]
    block = section.split("```", 2)[1]
    return [shlex.split(line)[1:] for line in block.splitlines()
            if line.startswith("charterc ")]


def test_the_files_are_what_the_generator_writes():
    fresh = _generator().files()
    names = {p.name.removesuffix(".charter.yaml") for p in CHARTERS}
    assert set(fresh) == {f"{n}.{kind}.csv" for n in names
                          for kind in ("tickets", "outages", "history")}
    for name, data in fresh.items():
        assert (USAGE / name).read_bytes() == data, f"{name}: run examples/usage/generate.py"
    assert sum(len(d) for d in fresh.values()) < 5 * 1024 * 1024   # a few MB in all


def test_the_readme_runs_report_and_baseline_on_them(tmp_path, monkeypatch):
    commands = readme_commands()
    assert [c[0] for c in commands] == ["report", "baseline"]
    assert commands[0][1] == "charters/it-service-desk.charter.yaml"
    # a fresh clone's charters and usage data, the commands run from its root
    shutil.copytree(ROOT / "charters", tmp_path / "charters")
    shutil.copytree(USAGE, tmp_path / "examples" / "usage",
                    ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.chdir(tmp_path)
    for args in commands:
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, (args, result.output)
        assert "skipped" not in result.output
    march = tmp_path / "reports" / "it-service-desk" / "2027-03"
    document = json.loads((march / "provider.json").read_text(encoding="utf-8"))
    finance = document["clients"]["finance"]
    assert finance["availability"]["percent"] == 99.8 and finance["credit"] > 0
    assert document["provider"]["excluded"] > 0          # the cancelled tickets, left out
    assert document["provider"]["tickets"]["total"] > 2000
    assert (march / "provider.en.md").exists()
    baseline = tmp_path / "reports" / "it-service-desk" / "baseline-2027-01--2027-12"
    assert any(baseline.iterdir())


@pytest.mark.parametrize("name", ["finance-accounting", "hr-legal"])
def test_germany_is_in_two_charters_and_earns_a_credit_in_one(tmp_path, name):
    out = tmp_path / name
    result = CliRunner().invoke(main, [
        "report", str(ROOT / "charters" / f"{name}.charter.yaml"),
        "--tickets", str(USAGE / f"{name}.tickets.csv"),
        "--outages", str(USAGE / f"{name}.outages.csv"),
        "--history", str(USAGE / f"{name}.history.csv"),
        "--period", "2027-03", "-o", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert not re.search(r"\d+ rows? skipped", result.output)
    document = json.loads((out / name / "2027-03" / "provider.json").read_text(
        encoding="utf-8"))
    germany = document["clients"]["germany"]
    assert germany["availability"]["percent"] < 99.6
    if name == "finance-accounting":   # the global tier's first band: below 99.8%, 5%
        assert germany["availability"]["credit_percent"] == 5 and germany["credit"] > 0
