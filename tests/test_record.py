"""`@record` (charterc.model.record): the model's dataclasses with a precompiled `__init__`.

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

from charterc.model import record as record_module
from charterc.model.record import MODULE, RECORD_MODULES, Record, module_source, record
from charterc.model.values import Amount, Duration, Percent, Period, duration, percent


def _records() -> list[type]:
    found = []
    for name in RECORD_MODULES:
        module = importlib.import_module(name)
        found += [value for value in vars(module).values()
                  if isinstance(value, type) and issubclass(value, Record)
                  and value.__module__ == name and dataclasses.is_dataclass(value)]
    return found


def test_the_generated_initializers_match_the_classes() -> None:
    assert MODULE.read_text(encoding="utf-8") == module_source(), (
        "charterc/model/_initializers.py is stale: run python -m charterc.model.record")


def test_no_record_compiles_its_init_at_import() -> None:
    # a fresh interpreter: this one's classes may have been made by another test's reload
    code = ("import charterc.model.charter, charterc.model.record as r; "
            "print(','.join(r.compiled_at_import))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == ""


def test_check_option_reports_a_stale_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    stale = tmp_path / "_initializers.py"
    stale.write_text("INITS = {}\n", encoding="utf-8")
    monkeypatch.setattr(record_module, "MODULE", stale)
    assert record_module.main(["--check"]) == 1
    assert record_module.main([]) == 0
    assert stale.read_text(encoding="utf-8") == module_source()
    assert record_module.main(["--check"]) == 0


@pytest.mark.parametrize("cls", _records(), ids=lambda cls: cls.__qualname__)
def test_a_record_has_the_dataclass_signature(cls: type) -> None:
    expected = [inspect.Parameter(f.name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                  default=f.default if f.default is not dataclasses.MISSING
                                  else inspect.Parameter.empty)
                for f in fields(cls)]
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
    class Sample(Record):
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
    with pytest.raises(TypeError, match="plain defaults"):
        @record
        class Listed(Record):
            items: list[str] = field(default_factory=list)


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
