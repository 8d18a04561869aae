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


def _view_values():
    from datetime import date
    from decimal import Decimal

    from charterc.model.values import Duration
    from charterc.render.view import Dur, Money, Pct, Token, Units
    return [Money(Decimal("1.50")), Pct(Decimal(99)), Units(Decimal(3)), Token("active"),
            Dur(Duration(0, 90)), date(2027, 1, 1)]


_VIEW_VALUES = _view_values()


def _localised_as_before(value, lang):
    """`view.localise` as first written: every container rebuilt, then the original kept
    where nothing in it changed."""
    from charterc.render.view import Name
    if isinstance(value, Name):
        return value.in_language(lang)
    if isinstance(value, dict):
        out = {k: _localised_as_before(v, lang) for k, v in value.items()}
        return value if all(out[k] is value[k] for k in value) else out
    if isinstance(value, list):
        items = [_localised_as_before(v, lang) for v in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        items = [_localised_as_before(v, lang) for v in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else tuple(items)
    return value


def _same_shape(a, b) -> bool:
    """Equal, of the same types, and the same objects where either is unchanged."""
    if type(a) is not type(b) or a != b:
        return False
    if isinstance(a, dict):
        return all(_same_shape(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return all(_same_shape(x, y) for x, y in zip(a, b, strict=True))
    return True


@settings(max_examples=300, deadline=None)
@given(st.recursive(
    st.one_of(st.text(max_size=3), st.integers(), st.none(), st.decimals(allow_nan=False),
              st.builds(lambda d, f: __import__("charterc.render.view", fromlist=["Name"])
                        .Name(d, {"fr": f}), st.text(max_size=3), st.text(max_size=3)),
              # the view's own values (localise leaves them without a look inside)
              st.sampled_from(_VIEW_VALUES)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.lists(inner, max_size=3).map(tuple),
                            st.dictionaries(st.text(max_size=3), inner, max_size=4)),
    max_leaves=30), st.sampled_from(["en", "fr"]))
def test_localise_gives_what_it_gave_and_keeps_what_holds_no_name(view, lang):
    from charterc.render.view import localise
    got, before = localise(view, lang), _localised_as_before(view, lang)
    assert _same_shape(got, before)
    assert (got is view) == (before is view)
