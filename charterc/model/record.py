"""`@record`: the model's frozen dataclasses, with their `__init__` compiled ahead of time.

dataclasses writes every method it generates as source text and compiles it when the class
is created. A frozen class gets three (`__init__`, `__setattr__`, `__delattr__`), and the
model has forty classes: about 15 ms of every command's start on Python 3.11, more than
a one-file check spends checking. A record is a dataclass all the same (`fields()`,
`replace()` and mypy see one, through `dataclass_transform`), but:

- its `__init__` comes from `_initializers.py`, generated from the classes by
  `python -m charterc.model.record` and cached as bytecode like any module; a class whose
  fields no longer match it (a field added, the module not regenerated) compiles the same
  source at import instead, and a test requires that none does;
- it is frozen by the `__setattr__` and `__delattr__` it inherits from `Record`, written
  once, instead of two compiled for each class;
- it compares and hashes by identity (nothing compares two elements field by field: diff
  compares the values as written), unless the class defines `__eq__` itself, as the values
  do (`Percent("5%") == Percent("5.0%")`); its repr is the dataclass one, written once.

A record's fields take plain defaults (`= None`, `= "/metadata"`, `field(default="",
compare=False)`); `default_factory`, `init=False` and keyword-only fields are refused at
import, as the generated `__init__` would not know them.

    python -m charterc.model.record            # rewrite _initializers.py
    python -m charterc.model.record --check    # exit 1 when it is out of date
"""
from __future__ import annotations

import re
import sys
from dataclasses import MISSING, FrozenInstanceError, dataclass, fields
from pathlib import Path
from typing import Any, TypeVar, cast, dataclass_transform

__all__ = ["MODULE", "RECORD_MODULES", "Record", "compiled_at_import", "init_source",
           "module_source", "record"]

_T = TypeVar("_T")

MODULE = Path(__file__).resolve().parent / "_initializers.py"
# The modules whose records `_initializers.py` holds, imported in this order to generate it.
RECORD_MODULES = ("charterc.model.values", "charterc.model.charter")

# Records whose `__init__` had to be compiled at import (their source had changed).
compiled_at_import: list[str] = []


class Record:
    """What every record shares: refusing assignment and deletion, and the dataclass repr."""

    __slots__ = ()

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}"
                          for f in fields(cast(Any, self)) if f.repr)
        return f"{type(self).__qualname__}({shown})"


def _function_name(cls: type) -> str:
    """The name of `cls`'s `__init__` in `_initializers.py`: unique across RECORD_MODULES."""
    return re.sub(r"\W", "_", f"{cls.__module__.rpartition('.')[2]}_{cls.__qualname__}")


def init_source(cls: type) -> str:
    """The source of `cls`'s `__init__`: each field set in order, then `__post_init__`.

    A defaulted parameter is written `=_DEFAULT`; `record` gives the function the fields'
    real defaults (`__defaults__`), so the source never holds a value's repr.
    """
    parameters = ["self"]
    body = []
    for f in fields(cls):
        if not f.init or f.kw_only or f.default_factory is not MISSING:
            raise TypeError(f"{cls.__qualname__}.{f.name}: a record's fields are positional "
                            "with plain defaults (no default_factory, init=False or kw_only)")
        parameters.append(f.name if f.default is MISSING else f"{f.name}=_DEFAULT")
        body.append(f"    _set(self, {f.name!r}, {f.name})")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    return (f"def {_function_name(cls)}({', '.join(parameters)}):\n"
            + "\n".join(body or ["    pass"]) + "\n")


def _namespace() -> dict[str, Any]:
    return {"_set": object.__setattr__, "_DEFAULT": object()}


def _generated() -> dict[str, tuple[Any, str]]:
    """`_initializers.INITS`: function name -> (function, its source); empty if absent."""
    try:
        from . import _initializers
    except ImportError:  # being generated for the first time
        return {}
    return cast(dict[str, tuple[Any, str]], _initializers.INITS)


@dataclass_transform(frozen_default=True, eq_default=False)
def record(cls: type[_T]) -> type[_T]:
    """Make `cls` (a subclass of `Record`) a frozen dataclass with a precompiled `__init__`."""
    cls = dataclass(init=False, repr=False, eq=False)(cls)
    source = init_source(cls)
    name = _function_name(cls)
    function, generated = _generated().get(name, (None, None))
    if function is None or generated != source:
        namespace = _namespace()
        exec(source, namespace)  # our own source, written from the class's fields
        function = namespace[name]
        compiled_at_import.append(f"{cls.__module__}.{cls.__qualname__}")
    function.__defaults__ = tuple(f.default for f in fields(cast(Any, cls))
                                  if f.default is not MISSING) or None
    function.__name__ = "__init__"
    function.__qualname__ = f"{cls.__qualname__}.__init__"
    function.__module__ = cls.__module__
    cls.__init__ = function  # type: ignore[method-assign]
    return cls


def module_source() -> str:
    """`_initializers.py` as the record classes of RECORD_MODULES now are."""
    import importlib
    import inspect

    sources: list[tuple[str, str]] = []
    for module_name in RECORD_MODULES:
        module = importlib.import_module(module_name)
        classes = [value for value in vars(module).values()
                   if isinstance(value, type) and issubclass(value, Record)
                   and value.__module__ == module_name and "__dataclass_fields__" in vars(value)]
        classes.sort(key=lambda cls: inspect.getsourcelines(cls)[1])
        sources.extend((_function_name(cls), init_source(cls)) for cls in classes)
    table = "".join(f"    {name!r}: ({name}, {source!r}),\n" for name, source in sources)
    return ("# Generated by `python -m charterc.model.record` from the records of\n"
            f"# {', '.join(RECORD_MODULES)}: each one's `__init__`, and its source\n"
            "# (charterc.model.record compares it with the class's). Do not edit: regenerate.\n"
            "# ruff: noqa\n"
            "# mypy: ignore-errors\n"
            "_set = object.__setattr__\n"
            "_DEFAULT = object()  # each record sets its fields' defaults (__defaults__)\n\n\n"
            + "\n\n".join(source for _, source in sources)
            + "\n\nINITS = {\n" + table + "}\n")


def main(argv: list[str] | None = None) -> int:
    # run as `python -m`, this file is `__main__`: the classes subclass the package's `Record`
    from charterc.model.record import MODULE, module_source

    args = sys.argv[1:] if argv is None else argv
    text = module_source()
    current = MODULE.read_text(encoding="utf-8") if MODULE.exists() else None
    if "--check" in args:
        if current != text:
            print(f"{MODULE} is out of date: run python -m charterc.model.record",
                  file=sys.stderr)
            return 1
        return 0
    if current != text:
        MODULE.write_text(text, encoding="utf-8")
        print(f"wrote {MODULE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
