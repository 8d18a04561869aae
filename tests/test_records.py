"""`@record` (charterc.records): charterc's dataclasses with a precompiled `__init__`.

The generated module must match the classes (else every start compiles them again), and a
record must behave as the frozen dataclass it replaces: same signature and defaults,
`__post_init__` run, assignment and deletion refused, `replace()` and `fields()` working,
values comparing by number.
"""
from __future__ import annotations

import dataclasses
import importlib
import inspect
import subprocess
import sys
from dataclasses import FrozenInstanceError, field, fields, replace
from decimal import Decimal
from pathlib import Path

import pytest

import charterc.records as record_module
from charterc.model.values import Amount, Duration, Percent, Period, duration, percent
from charterc.records import FACTORY, MODULE, RECORD_MODULES, module_source, record
from charterc.records.__main__ import main as generate


def _records() -> list[type]:
    for name in RECORD_MODULES:
        importlib.import_module(name)
    return [cls for cls in record_module._made if cls.__module__ in RECORD_MODULES]


def test_the_generated_initializers_match_the_classes() -> None:
    assert MODULE.read_text(encoding="utf-8") == module_source(), (
        "charterc/records/_initializers.py is stale: run python -m charterc.records")


def test_no_record_compiles_its_init_at_import() -> None:
    # a fresh interpreter: this one's classes may have been made by another test's reload
    code = ("import importlib, pkgutil, charterc, charterc.records as r\n"
            "for m in pkgutil.walk_packages(charterc.__path__, 'charterc.'):\n"
            "    if not m.name.startswith('charterc.lsp') and not m.name.endswith('__main__'):\n"
            "        importlib.import_module(m.name)\n"
            "print(','.join(r.compiled_at_import))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == ""


def test_check_option_reports_a_stale_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    stale = tmp_path / "_initializers.py"
    stale.write_text("INITS = {}\n", encoding="utf-8")
    monkeypatch.setattr(record_module, "MODULE", stale)
    monkeypatch.setattr("charterc.records.__main__.MODULE", stale)
    assert generate(["--check"]) == 1
    assert generate([]) == 0
    assert stale.read_text(encoding="utf-8") == module_source()
    assert generate(["--check"]) == 0


@pytest.mark.parametrize("cls", _records(), ids=lambda cls: cls.__qualname__)
def test_a_record_has_the_dataclass_signature(cls: type) -> None:
    def default(f: dataclasses.Field) -> object:
        if f.default_factory is not dataclasses.MISSING:
            return FACTORY
        return inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default

    expected = [inspect.Parameter(f.name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                  default=default(f))
                for f in fields(cls) if f.init]
    assert list(inspect.signature(cls).parameters.values()) == expected
    assert vars(cls)["__init__"].__qualname__ == f"{cls.__qualname__}.__init__"


def test_a_record_is_frozen_and_replaceable() -> None:
    from charterc.model.charter import Feature

    feature = Feature("sso", "Single sign-on", "/features/0")
    with pytest.raises(FrozenInstanceError):
        feature.name = "other"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del feature.name
    moved = replace(feature, pointer="/features/1")
    assert (moved.id, moved.name, moved.pointer) == ("sso", "Single sign-on", "/features/1")
    assert moved != feature and feature == feature  # identity
    assert repr(feature) == "Feature(id='sso', name='Single sign-on', pointer='/features/0')"
    with pytest.raises(TypeError):
        Feature("sso")  # type: ignore[call-arg]


def test_a_class_missing_from_the_module_compiles_the_same_init() -> None:
    before = len(record_module.compiled_at_import)

    @record
    class Sample:
        name: str
        size: int = 3
        note: str = field(default="", compare=False)

        def __post_init__(self) -> None:
            if not self.note:
                object.__setattr__(self, "note", f"{self.name}:{self.size}")

    assert record_module.compiled_at_import[before:] == [f"{__name__}.{Sample.__qualname__}"]
    sample = Sample("a")
    assert (sample.name, sample.size, sample.note) == ("a", 3, "a:3")
    assert Sample("b", 4, "x").note == "x"
    with pytest.raises(FrozenInstanceError):
        sample.size = 4  # type: ignore[misc]


def test_records_refuse_fields_the_generated_init_cannot_take() -> None:
    with pytest.raises(TypeError, match="positional"):
        @record
        class Listed:
            items: list[str] = field(kw_only=True)


def test_values_compare_and_hash_by_number_within_their_class() -> None:
    assert percent("5%") == percent("5.0%") and hash(percent("5%")) == hash(percent("5.0%"))
    assert str(percent("5.0%")) == "5.0%"
    assert percent("5%") < percent("6%") <= percent("6.00%")
    assert Percent(Decimal(5)) != Amount(Decimal(5))
    with pytest.raises(TypeError):
        assert Percent(Decimal(5)) < Amount(Decimal(6))
    assert duration("1h30m") == Duration(minutes=90) and duration("1d") > duration("23h")
    assert Period(months=12) == Period(months=12, text="1y") != Period(days=365)
    with pytest.raises(TypeError):
        assert Period(months=1) < Period(months=2)  # type: ignore[operator]
    assert Duration().text == "0m" and Amount(Decimal("1.50")).text == "1.50"


def test_records_with_value_equality_factories_and_slots() -> None:
    from charterc.calendar.schedule import Schedule
    from charterc.diagnostics import Diagnostic, Severity, SourceMap
    from charterc.pipeline import FileResult

    first = Diagnostic("C401", Severity.ERROR, "shares", "a.yaml", 3, 5)
    same = Diagnostic("C401", Severity.ERROR, "shares", "a.yaml", 3, 5)
    assert first == same and hash(first) == hash(same) and first != replace(first, line=4)
    assert not hasattr(first, "__dict__")  # slots
    with pytest.raises(FrozenInstanceError):
        first.line = 4  # type: ignore[misc]

    one, other = SourceMap("a.yaml"), SourceMap("a.yaml")
    assert one.values == {} and one.values is not other.values  # a fresh dict each
    one.lines = ["x"]  # mutable
    assert one != other and SourceMap("b", {"": (1, 1)}).values == {"": (1, 1)}
    with pytest.raises(TypeError):
        hash(one)  # unhashable, as a mutable dataclass with eq

    result = FileResult("a.yaml", None)  # type: ignore[arg-type]
    assert result.diagnostics == [] and result.diagnostics is not FileResult("b", None).diagnostics  # type: ignore[arg-type]

    weekly = Schedule(((frozenset({0}), 540, 600),), "UTC")  # type: ignore[arg-type]
    assert weekly._weekly[0] == ((32400, 36000),)  # init=False field set by __post_init__
    assert weekly == Schedule(((frozenset({0}), 540, 600),), "UTC")  # type: ignore[arg-type]
    assert hash(weekly) == hash(Schedule(((frozenset({0}), 540, 600),), "UTC"))  # type: ignore[arg-type]


def test_frozen_records_pickle_and_copy() -> None:
    import copy
    import pickle

    from charterc.diagnostics import Diagnostic, Severity
    from charterc.model.charter import Feature

    diagnostic = Diagnostic("C401", Severity.ERROR, "shares", "a.yaml", 3, 5, hint="fix")
    assert pickle.loads(pickle.dumps(diagnostic)) == diagnostic == copy.deepcopy(diagnostic)
    feature = Feature("sso", "Single sign-on", "/features/0")
    for clone in (pickle.loads(pickle.dumps(feature)), copy.copy(feature)):
        assert (clone.id, clone.name, clone.pointer) == ("sso", "Single sign-on", "/features/0")
        with pytest.raises(FrozenInstanceError):
            clone.name = "other"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(percent("5%"))).text == "5%"
