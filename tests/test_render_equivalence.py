"""The built-in templates' fast paths write what the templates as written would.

Without `--templates`, the built-in templates are compiled with shortcuts: literal
messages translated at compile time, `_()` without the i18n extension's context calls,
a view's keys read before attributes, and each `{% include "_clause.<fmt>.j2" %}` written
by `render/clause_blocks.py`. An override folder turns them all off (and the sandbox on).
An empty override folder must therefore change nothing: every bundled document, in every
language and format, byte for byte, and every clause hypothesis makes.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charterc.publish.build import build
from charterc.render import Documents
from charterc.render.clause_blocks import BLOCKS
from charterc.render.clauses import Clause, Para

ROOT = Path(__file__).parent.parent
TODAY = date(2026, 11, 27)


def _built(out: Path, templates: Path | None) -> dict[str, bytes]:
    sources = [ROOT / "charters"]
    result = build(sources, out, langs=["en", "fr"], formats=["md", "html"], today=TODAY,
                   templates=templates, jobs=1)
    assert result.published, result.log
    return {p: (out / p).read_bytes() for p in result.files}


def test_an_empty_override_folder_changes_no_document(tmp_path):
    empty = tmp_path / "templates"
    empty.mkdir()
    fast = _built(tmp_path / "fast", None)
    as_written = _built(tmp_path / "as-written", empty)
    assert sorted(fast) == sorted(as_written)
    differing = [p for p in fast if fast[p] != as_written[p]]
    assert not differing
    # the shortcut did run: no clause of the built-in environment is an include
    env = Documents().environment("html", "en")
    source = env.loader.get_source(env, "agreement.html.j2")[0]
    assert "clause_block" in env.compile(source, raw=True)
    assert "_clause.html.j2" not in env.compile(source, raw=True)


def test_an_override_of_the_clause_template_is_used(tmp_path):
    """A folder overriding only `_clause.md.j2` changes every clause of every document."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "_clause.md.j2").write_text("CLAUSE {{ clause.number }}\n", encoding="utf-8")
    documents = _built(tmp_path / "out", folder)
    charter = documents["it-service-desk/charter.en.md"].decode()
    assert "CLAUSE 1\n" in charter and "## 1. " not in charter


# Text a charter may put in a clause: markup of both formats, controls, line breaks.
_TEXT = st.text(alphabet=st.sampled_from(list("ab <>&|*_`#-1.\"'\\\n\r\t\x00\x1b€")),
                max_size=12)
_PARA = st.builds(
    Para, _TEXT, st.lists(_TEXT, max_size=2),
    st.one_of(st.none(), st.integers(1, 3).flatmap(lambda n: st.tuples(
        st.lists(_TEXT, min_size=n, max_size=n),
        st.lists(st.lists(_TEXT, min_size=n, max_size=n), max_size=2)))))
_CLAUSE = st.builds(Clause, st.integers(1, 20), st.sampled_from(["parties", "levels"]),
                    _TEXT, st.lists(_PARA, max_size=3))


@pytest.fixture(scope="module")
def templates():
    """Each format's `_clause` template as an override environment compiles it."""
    documents = Documents(ROOT / "charterc" / "render" / "templates")
    return {fmt: documents.environment(fmt, "en").get_template(f"_clause.{fmt}.j2")
            for fmt in BLOCKS}


@settings(max_examples=300, deadline=None)
@given(clause=_CLAUSE)
def test_a_clause_block_is_its_template(templates, clause):
    for fmt, block in BLOCKS.items():
        assert str(block(clause)) == templates[fmt].render(clause=clause), fmt
