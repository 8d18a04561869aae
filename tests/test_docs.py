"""Docs that are generated must be current: docs/rules.md is `charterc rules --format markdown`."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from charterc.cli import main

ROOT = Path(__file__).parent.parent


def test_rules_md_is_generated_from_the_registry():
    generated = CliRunner().invoke(main, ["rules", "--format", "markdown"]).stdout
    current = (ROOT / "docs/rules.md").read_text(encoding="utf-8")
    assert current == generated, ("docs/rules.md is stale: run "
                                  "`charterc rules --format markdown > docs/rules.md`")
