"""Docs that are generated must be current: docs/rules.md is `charterc rules --format markdown`;
the README's sample diagnostic is what its command prints."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from charterc.cli import main

ROOT = Path(__file__).parent.parent


def test_rules_md_is_generated_from_the_registry():
    generated = CliRunner().invoke(main, ["rules", "--format", "markdown"]).stdout
    current = (ROOT / "docs/rules.md").read_text(encoding="utf-8")
    assert current == generated, ("docs/rules.md is stale: run "
                                  "`charterc rules --format markdown > docs/rules.md`")


def test_the_readme_sample_diagnostic_is_what_the_tool_prints(monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sample = re.search(r"```console\n\$ (charterc check [^\n]+)\n(.*?)```", readme, re.DOTALL)
    assert sample, "README.md has no ```console block starting with `$ charterc check`"
    command, shown = sample.groups()
    monkeypatch.chdir(ROOT)
    run = CliRunner().invoke(main, [*shlex.split(command)[1:], "--no-cache"])
    assert run.exit_code == 1
    assert run.output == shown, "README.md's sample diagnostic differs from the tool's output"
