"""`CharterError` (charterc/errors.py): the base of every exception charterc defines."""
from __future__ import annotations

import importlib
import pkgutil

import pytest

import charterc
from charterc.errors import CharterError


def _exception_classes() -> list[type[BaseException]]:
    found = []
    for module_info in pkgutil.walk_packages(charterc.__path__, "charterc."):
        if module_info.name.endswith("__main__"):
            continue
        if module_info.name == "charterc.loaders._charter_parser":
            continue  # Lark's run-time, generated (docs/dsl.md): Lark's exceptions, which
            # charterc.loaders.dsl catches (a P103 finding), are Lark's own classes
        try:
            module = importlib.import_module(module_info.name)
        except ImportError:  # an optional dependency (pygls, matplotlib) not installed
            continue
        found += [value for value in vars(module).values()
                  if isinstance(value, type) and issubclass(value, BaseException)
                  and value.__module__ == module.__name__ and value is not CharterError]
    return found


def test_every_exception_charterc_defines_is_a_charter_error() -> None:
    classes = _exception_classes()
    assert len(classes) >= 20
    assert [c.__qualname__ for c in classes if not issubclass(c, CharterError)] == []


@pytest.mark.parametrize("name", ["charterc.calendar.schedule.ScheduleError",
                                  "charterc.pipeline.today.SourceDateError",
                                  "charterc.report.profiles.BadInstant",
                                  "charterc.authoring.Unrepresentable"])
def test_a_value_error_stays_one(name: str) -> None:
    module, _, attribute = name.rpartition(".")
    cls = getattr(importlib.import_module(module), attribute)
    assert issubclass(cls, CharterError) and issubclass(cls, ValueError)


def test_the_base_is_public() -> None:
    assert charterc.CharterError is CharterError and "CharterError" in charterc.__all__
