"""`@record` (charterc.records): charterc's dataclasses, one compiled method each.

A record must behave as the frozen dataclass it replaces: same signature and defaults,
`__post_init__` run, assignment and deletion refused, `replace()` and `fields()` working,
values comparing by number.
"""
from __future__ import annotations

import dataclasses
import inspect
from dataclasses import FrozenInstanceError, field, replace
from decimal import Decimal
from typing import Any

import pytest

from charterc.model.values import Amount, Duration, Percent, Period, duration, percent
from charterc.records import record


def _sample(decorate: Any) -> Any:
    """The same class body, made a record or a stock dataclass."""
    @decorate
    class Sample:
        name: str
        size: int = 3
        tags: list[str] = field(default_factory=list)
        note: str = field(default="", compare=False)
        seen: int = field(default=0, init=False)
        made: list[str] = field(default_factory=list, init=False)

        def __post_init__(self) -> None:
            if not self.note:
                object.__setattr__(self, "note", f"{self.name}:{self.size}")

    return Sample


def _parameters(cls: type) -> list[tuple[str, Any, str]]:
    return [(p.name, p.kind, repr(p.default)) for p in inspect.signature(cls).parameters.values()]


def test_a_record_has_the_dataclass_signature() -> None:
    ours, stock = _sample(record), _sample(dataclasses.dataclass(frozen=True))
    assert _parameters(ours) == _parameters(stock)
    assert [p[0] for p in _parameters(ours)] == ["name", "size", "tags", "note"]
    assert vars(ours)["__init__"].__qualname__ == f"{ours.__qualname__}.__init__"
    for cls in (ours, stock):
        assert [f.name for f in dataclasses.fields(cls)] == [
            "name", "size", "tags", "note", "seen", "made"]


def test_a_record_sets_its_fields_in_order_then_runs_post_init() -> None:
    Sample = _sample(record)
    sample = Sample("a")
    assert (sample.name, sample.size, sample.tags, sample.note) == ("a", 3, [], "a:3")
    assert (sample.seen, sample.made) == (0, [])  # init=False: default, factory
    assert sample.tags is not Sample("b").tags  # a fresh list each
    assert Sample("b", 4, ["x"], "x").note == "x"
    assert Sample(name="c", size=5).note == "c:5"
    with pytest.raises(FrozenInstanceError):
        sample.size = 4
    with pytest.raises(TypeError):
        Sample()


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
    assert repr(feature) == ("Feature(id='sso', name='Single sign-on', pointer='/features/0', "
                             "aliases=(), label=None)")
    with pytest.raises(TypeError):
        Feature("sso")  # type: ignore[call-arg]


def test_records_refuse_keyword_only_fields() -> None:
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
