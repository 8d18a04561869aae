"""Hover on the first key of a mapping names that key's field, not its parent's."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("pygls")

from charterc.lsp.analysis import analyse
from charterc.lsp.hover import hover
from charterc.pipeline import CheckOptions

ROOT = Path(__file__).parent.parent
OPTIONS = CheckOptions(today=date(2026, 12, 4))


def _hover_on(path: Path, line_text: str, word: str) -> str:
    found = analyse("u", str(path), path.read_text(encoding="utf-8"), OPTIONS)
    line = next(n for n, t in enumerate(found.text_lines) if t.startswith(line_text))
    shown = hover(found, line, found.text_lines[line].index(word) + 1)
    assert shown is not None
    return shown.markdown


@pytest.mark.parametrize(("line", "word", "field", "parent"), [
    ("  id: it-service-desk", "id", "`metadata.id`", "`metadata`"),
    ("  stance:", "stance", "`business.stance`", "`business`"),
])
def test_hover_on_the_first_key_of_a_mapping_shows_that_key(line, word, field, parent):
    shown = _hover_on(ROOT / "charters/it-service-desk.charter.yaml", line, word)
    assert shown.startswith(field + ":")
    assert not shown.startswith(parent + ":")


def test_hover_on_the_first_key_of_a_list_item_shows_that_key():
    shown = _hover_on(ROOT / "charters/it-service-desk.charter.yaml", "  - id: ", "id")
    assert "[].id`:" in shown.split("\n")[0]


def test_hover_on_a_mapping_key_still_shows_the_mapping():
    shown = _hover_on(ROOT / "charters/it-service-desk.charter.yaml", "metadata:", "metadata")
    assert shown.startswith("`metadata`:")
