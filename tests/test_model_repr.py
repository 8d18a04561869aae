"""The model's elements share one `__repr__`: the one dataclasses would generate for each."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from charterc.loaders import load_path
from charterc.model import charter as model

ROOT = Path(__file__).resolve().parent.parent


def _generated_repr(element: object) -> str:
    """The repr of `element` from a dataclass with the same fields and dataclasses' own repr."""
    cls = type(element)
    twin = dataclasses.make_dataclass(
        cls.__name__, [(f.name, f.type, dataclasses.field(repr=f.repr))
                       for f in dataclasses.fields(cls)])
    twin.__qualname__ = cls.__qualname__
    values = {f.name: getattr(element, f.name) for f in dataclasses.fields(cls)}
    return repr(twin(**values))


def test_every_element_reads_as_its_dataclass_repr():
    charter = model.build_model(
        load_path(ROOT / "charters" / "it-service-desk.charter.yaml").document)
    seen: set[type] = set()
    todo: list[object] = [charter]
    while todo:
        element = todo.pop()
        if dataclasses.is_dataclass(element) and type(element).__module__ == model.__name__:
            assert repr(element) == _generated_repr(element)
            seen.add(type(element))
            todo.extend(getattr(element, f.name) for f in dataclasses.fields(element))
        elif isinstance(element, tuple):
            todo.extend(element)
        elif isinstance(element, dict):
            todo.extend(element.values())
    assert len(seen) > 20
