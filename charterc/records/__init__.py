"""`@record`: charterc's dataclasses, each compiling one method where dataclasses compiles six.

dataclasses writes every method it generates as source text and compiles it each time a
class is created, that is at every start: `__init__`, `__repr__`, and for a frozen class
`__setattr__` and `__delattr__`, with `eq` an `__eq__` (and `__hash__`). charterc's types
(the diagnostic, the source map, the model's forty sections and values, the calendar's
schedules) would cost a one-file check about 18 ms more that way on Python 3.11 than they do
as records, more than the check itself. A record is a dataclass all the same (`fields()`,
`replace()`, `asdict()` and mypy see one, through `dataclass_transform`), but:

- its `__init__` is compiled here from its fields, as dataclasses would write it, setting
  each field with `object.__setattr__` (dataclasses writes that only for a frozen class,
  and then also compiles its own `__setattr__` and `__delattr__`: 10 ms more a start);
- its other methods are written once, here, and shared: `__setattr__`/`__delattr__` refusing
  assignment (frozen, the default) and `__setstate__` letting pickle and copy past them, the
  dataclass `__repr__`, and with `eq=True` an `__eq__` and `__hash__` over the compared
  fields read by one `operator.attrgetter`;
- without `eq=True` it compares and hashes by identity, as most of charterc's types may (the
  model's sections: diff compares the values as written, never two sections).

`@record(frozen=False)` makes a mutable one, `@record(slots=True)` one with `__slots__`.
Fields are positional; `field(default=...)`, `default_factory`, `init=False`,
`compare=False` and `hash=False` mean what they mean to dataclasses; `kw_only` is refused.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, Field, FrozenInstanceError, dataclass, fields
from operator import attrgetter
from typing import Any, TypeVar, cast, dataclass_transform, overload

__all__ = ["record"]

_T = TypeVar("_T")

# The default of a parameter whose field has a `default_factory`: the factory is called.
_FACTORY: Any = type("Factory", (), {"__repr__": lambda self: "<factory>"})()


# -- the methods every record shares ----------------------------------------------------------

def _refuse_assignment(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_deletion(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _restore(self: Any, state: Any) -> None:
    """`__setstate__` of a frozen record (pickle, copy): its fields set past the refusal.

    The state is the instance's `__dict__`, or `(dict or None, slots)` for one with slots."""
    attributes, slots = state if isinstance(state, tuple) else (state, None)
    for values in (attributes, slots):
        for name, value in (values or {}).items():
            object.__setattr__(self, name, value)


def _repr(self: Any) -> str:
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
    return f"{type(self).__qualname__}({shown})"


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return self.__record_compared__(self) == other.__record_compared__(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self.__record_hashed__(self))


def _getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The fields' values as a tuple (attrgetter returns a bare value for one name)."""
    if len(names) == 1:
        single = attrgetter(names[0])
        return lambda value: (single(value),)
    return attrgetter(*names) if names else (lambda value: ())


# -- __init__ ----------------------------------------------------------------------------------

def _field_line(f: Field[Any]) -> str | None:
    """The statement of `__init__` that sets `f` (None: a field `__init__` leaves unset)."""
    stored = f"type(self).__dataclass_fields__[{f.name!r}]"
    if f.init and f.default_factory is not MISSING:
        value = f"{stored}.default_factory() if {f.name} is _FACTORY else {f.name}"
    elif f.init:
        value = f.name
    elif f.default_factory is not MISSING:
        value = f"{stored}.default_factory()"
    elif f.default is not MISSING:
        value = f"{stored}.default"
    else:
        return None
    return f"    _set(self, {f.name!r}, {value})"


def _initializer(cls: type) -> Any:
    """`cls`'s `__init__`: each field set in order, then `__post_init__`.

    A parameter with a default is written `=_DEFAULT` (or `=_FACTORY`) and the function is
    given the fields' real defaults (`__defaults__`), so the source holds no value's repr."""
    parameters = ["self"]
    body = []
    every = fields(cast(Any, cls))
    for f in every:
        if f.kw_only:
            raise TypeError(f"{cls.__qualname__}.{f.name}: a record's fields are positional "
                            "(kw_only is not supported)")
        if f.init:
            default = ("" if f.default is MISSING and f.default_factory is MISSING
                       else "=_DEFAULT" if f.default_factory is MISSING else "=_FACTORY")
            parameters.append(f.name + default)
        line = _field_line(f)
        if line:
            body.append(line)
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    source = f"def __init__({', '.join(parameters)}):\n" + "\n".join(body or ["    pass"])
    namespace = {"_set": object.__setattr__, "_DEFAULT": None, "_FACTORY": _FACTORY}
    exec(source, namespace)  # our own source, written from the class's fields
    function = namespace["__init__"]
    function.__defaults__ = tuple(
        f.default if f.default_factory is MISSING else _FACTORY for f in every
        if f.init and (f.default is not MISSING or f.default_factory is not MISSING)) or None
    function.__qualname__ = f"{cls.__qualname__}.__init__"
    function.__module__ = cls.__module__
    return function


def _make(cls: type[_T], *, eq: bool, frozen: bool, slots: bool) -> type[_T]:
    cls = dataclass(init=False, repr=False, eq=False, slots=slots)(cls)
    cls.__init__ = _initializer(cls)  # type: ignore[method-assign]
    if "__repr__" not in vars(cls):
        cls.__repr__ = _repr  # type: ignore[method-assign]
    if frozen:
        cls.__setattr__ = _refuse_assignment  # type: ignore[method-assign]
        cls.__delattr__ = _refuse_deletion  # type: ignore[method-assign]
        cls.__setstate__ = _restore  # type: ignore[attr-defined]
    if eq and "__eq__" not in vars(cls):
        every = fields(cast(Any, cls))
        cls.__record_compared__ = _getter([f.name for f in every if f.compare])  # type: ignore[attr-defined]
        cls.__eq__ = _eq  # type: ignore[method-assign]
        if frozen:  # as dataclasses: hashable when frozen, unhashable when mutable
            hashed = [f.name for f in every if (f.compare if f.hash is None else f.hash)]
            cls.__record_hashed__ = _getter(hashed)  # type: ignore[attr-defined]
            cls.__hash__ = _hash  # type: ignore[method-assign]
        else:
            cls.__hash__ = None  # type: ignore[assignment]
    return cls


@overload
def record(cls: type[_T], /) -> type[_T]: ...
@overload
def record(*, eq: bool = False, frozen: bool = True,
           slots: bool = False) -> Callable[[type[_T]], type[_T]]: ...
@dataclass_transform(frozen_default=True, eq_default=False)
def record(cls: type[_T] | None = None, /, *, eq: bool = False, frozen: bool = True,
           slots: bool = False) -> type[_T] | Callable[[type[_T]], type[_T]]:
    """A dataclass with one compiled method and the others shared (see the module's doc)."""
    if cls is None:
        return lambda cls: _make(cls, eq=eq, frozen=frozen, slots=slots)
    return _make(cls, eq=eq, frozen=frozen, slots=slots)
