"""Holiday calendars: public holidays from the `holidays` library, plus and minus dates.

A schedule is closed on its calendar's holidays. The library knows the rules
(Easter, observed days, regional days); we only name a country and an optional
subdivision, and let the charter add (`extra`) or reopen (`remove`) dates.
Observed days are holidays too (4 July 2026 is a Saturday: Friday 3 July is
closed), as the library reports them by default.

The library is imported when a calendar is first asked about, and then only the
modules of the countries named: its registry maps each code to a module, so a code
is checked without importing every country's rules. (`holidays.countries`, the
package, imports all 250 of them when it runs, a tenth of a second; `_countries()`
registers it without running it, and runs it the first time anything asks the
package itself for a name. `holidays.calendars` and `holidays.groups` import every
calendar and group, Islamic and Hindu tables included, for the first name asked of them:
`_lazy_reexports()` registers them so that a name imports only its own submodule.)
Its `holidays.version` asks `importlib.metadata` for the library's own version, which
costs a third of the library's import (email, zipfile and a scan of every installed
distribution); `_library()` reads the version from the name of the distribution's
metadata folder instead. Its base class imports `dateutil.parser` (with `six` and
`dateutil.tz`, another third) for one use: reading a free-form string given as a date,
which charterc never does; `_lazy_parse()` defers that import to the first such string.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache, lru_cache
from typing import Any

from ..records import record

__all__ = ["NO_HOLIDAYS", "HolidayCalendar"]


@cache
def _library() -> None:
    """Import `holidays`, with `holidays.version` taken from its `.dist-info` folder's name.

    Nothing in charterc reads the version; the library's `__init__` imports it. Where the
    folder is not found (an unusual install), the library's own lookup runs.
    """
    import importlib.util
    import os
    import sys
    import types

    spec = importlib.util.find_spec("holidays")
    if spec is not None and spec.submodule_search_locations is not None:
        for package in ("holidays.calendars", "holidays.groups"):
            _lazy_reexports(package, spec.submodule_search_locations)
    if "holidays.version" not in sys.modules and spec is not None and spec.origin:
        site = os.path.dirname(os.path.dirname(spec.origin))
        prefix, suffix = "holidays-", ".dist-info"
        found = [entry[len(prefix):-len(suffix)] for entry in os.listdir(site)
                 if entry.startswith(prefix) and entry.endswith(suffix)]
        if len(found) == 1:
            version = types.ModuleType("holidays.version")
            version.__version__ = found[0]  # type: ignore[attr-defined]
            sys.modules["holidays.version"] = version
    _lazy_parse()
    import holidays

    for package in ("calendars", "groups"):  # as importing them would have set them
        if not hasattr(holidays, package):
            setattr(holidays, package, sys.modules[f"holidays.{package}"])


def _lazy_parse() -> None:
    """Register a stand-in for `dateutil.parser` whose `parse` (the one name `holidays`
    imports from it) and every other name import the real module first, then use it."""
    import importlib
    import importlib.util
    import sys
    import types

    name = "dateutil.parser"
    if name in sys.modules or importlib.util.find_spec("dateutil") is None:
        return

    def real() -> Any:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
        return importlib.import_module(name)

    def parse(*args: Any, **kwargs: Any) -> Any:
        return real().parse(*args, **kwargs)

    def attribute(key: str) -> Any:
        if key.startswith("__"):  # what the import system asks of any module (`__path__`)
            raise AttributeError(key)
        return getattr(real(), key)

    stand_in = types.ModuleType(name, "dateutil.parser, imported when first used")
    stand_in.__dict__.update(parse=parse, __getattr__=attribute)
    sys.modules[name] = stand_in


def _lazy_reexports(name: str, search: Any) -> None:
    """Register package `name`, whose `__init__` only re-exports its submodules' names, so
    that a name asked of it imports the one submodule that defines it.

    `holidays.calendars` and `holidays.groups` import every calendar and group (Islamic,
    Hindu, Chinese tables...) when one is asked for; a country needs two or three. The
    names are read from the `__init__` (`from holidays.groups.christian import
    ChristianHolidays`); an `__init__` with anything else is imported as usual, and a name
    it does not list (or `__all__`) runs it as is first.
    """
    import ast
    import importlib
    import importlib.machinery
    import importlib.util
    import sys

    if name in sys.modules:
        return
    spec = importlib.machinery.PathFinder.find_spec(name, search)
    if spec is None or spec.loader is None or spec.origin is None \
            or spec.submodule_search_locations is None:
        return
    with open(spec.origin, encoding="utf-8") as source:
        tree = ast.parse(source.read())
    where: dict[str, str] = {}  # name -> submodule
    for statement in tree.body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # the docstring
        if not (isinstance(statement, ast.ImportFrom) and statement.level == 0
                and (statement.module or "").startswith(f"{name}.")
                and all(alias.name != "*" and alias.asname is None
                        for alias in statement.names)):
            return
        where.update((alias.name, str(statement.module)) for alias in statement.names)
    package = importlib.util.module_from_spec(spec)
    loader = spec.loader

    def attribute(key: str) -> Any:
        if key in where:
            value = getattr(importlib.import_module(where[key]), key)
            setattr(package, key, value)
            return value
        del package.__dict__["__getattr__"]  # anything else: the `__init__` as written
        loader.exec_module(package)
        return getattr(package, key)

    package.__dict__["__getattr__"] = attribute
    sys.modules[name] = package


@cache
def _modules() -> dict[str, tuple[str, str]]:
    """Country code (alpha-2, alpha-3 and aliases such as UK) -> (module, class) in `holidays`.

    The same codes `holidays.list_supported_countries()` lists, read from the
    library's registry instead of from every country module.
    """
    _library()
    from holidays.registry import COUNTRIES

    codes: dict[str, tuple[str, str]] = {}
    for module, (name, *aliases) in COUNTRIES.items():
        for code in aliases:
            if 2 <= len(code) <= 3:
                codes.setdefault(code.upper(), (module, name))
    return codes


@cache
def _countries() -> None:
    """`holidays.countries` in sys.modules, its country modules importable one by one.

    The package is registered as it would be imported, but its `__init__` (which only
    imports every country module and re-exports their names) runs the first time a
    name is read from the package itself, through a module `__getattr__`.
    """
    import importlib.util
    import sys

    _library()  # the parent package: base classes and the registry
    name = "holidays.countries"
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None or not spec.submodule_search_locations:
        importlib.import_module(name)
        return
    package = importlib.util.module_from_spec(spec)
    loader = spec.loader

    def run_init(attribute: str) -> Any:
        del package.__dict__["__getattr__"]
        loader.exec_module(package)
        return getattr(package, attribute)

    package.__dict__["__getattr__"] = run_init
    sys.modules[name] = package


@cache
def _subdivisions(country: str) -> tuple[str, ...] | None:
    """The subdivision codes the library knows for `country`, or None for an unknown country."""
    entry = _modules().get(country)
    if entry is None:
        return None
    import importlib

    _countries()
    module, name = entry
    entity = getattr(importlib.import_module(f"holidays.countries.{module}"), name)
    return tuple(str(s).upper() for s in entity.subdivisions)


@lru_cache(maxsize=4096)
def _library_year(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    import holidays

    _countries()
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year))


@lru_cache(maxsize=1024)
def _library_names(country: str, subdivision: str | None,
                   year: int) -> tuple[tuple[date, str], ...]:
    import holidays

    _countries()
    found = holidays.country_holidays(country, subdiv=subdivision, years=year)
    return tuple(sorted((day, str(name)) for day, name in found.items()))


def _date(value: object, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{where}: not a date {value!r} (expected YYYY-MM-DD)") from None


@record(eq=True)
class HolidayCalendar:
    """Which local dates a schedule is closed: a country's public holidays, adjusted."""

    country: str | None = None
    subdivision: str | None = None
    extra: tuple[date, ...] = ()
    remove: tuple[date, ...] = ()

    @classmethod
    def from_value(cls, value: Any) -> HolidayCalendar:
        """`"FR"`, `"US-CA"`, `"none"`, None, or `{country, subdivision?, extra?, remove?}`.

        In the mapping form `country` may itself carry the subdivision (`US-NY`).
        Codes are matched case-insensitively and stored upper-case. Raises
        ValueError for a malformed value; an unknown code is reported by `problem()`.
        """
        if value is None or (isinstance(value, str) and value.strip().lower() == "none"):
            return NO_HOLIDAYS
        country: str | None
        subdivision: str | None
        if isinstance(value, str):
            country, subdivision = _split(value)
            return cls(country, subdivision)
        if isinstance(value, Mapping):
            unknown = set(value) - {"country", "subdivision", "extra", "remove"}
            if unknown:
                raise ValueError(f"holidays: unknown key {sorted(unknown)[0]!r} "
                                 f"(expected country, subdivision, extra, remove)")
            raw = value.get("country")
            if raw is None or (isinstance(raw, str) and raw.strip().lower() == "none"):
                country, subdivision = None, None
            elif isinstance(raw, str):
                country, subdivision = _split(raw)
            else:
                raise ValueError(f"holidays.country: expected a country code such as FR, "
                                 f"not {raw!r}")
            if value.get("subdivision") is not None:
                if subdivision is not None:
                    raise ValueError(f"holidays: subdivision given twice ({raw!r} and "
                                     f"{value['subdivision']!r})")
                subdivision = str(value["subdivision"]).strip().upper()
            if subdivision is not None and country is None:
                raise ValueError("holidays: a subdivision needs a country")

            def dates(key: str) -> tuple[date, ...]:
                items = value.get(key) or ()
                if isinstance(items, (str, date)) or not hasattr(items, "__iter__"):
                    raise ValueError(f"holidays.{key}: expected a list of dates")
                return tuple(sorted({_date(d, f"holidays.{key}") for d in items}))

            return cls(country, subdivision, dates("extra"), dates("remove"))
        raise ValueError(f"holidays: expected a code such as FR or US-CA, none, or a mapping, "
                         f"not {value!r}")

    def problem(self) -> str | None:
        """Why the `holidays` library cannot supply this calendar, or None (for V505)."""
        if self.country is None:
            return None
        known = _subdivisions(self.country)
        if known is None:
            return (f"unknown holiday calendar {self.country!r}: "
                    f"not a country the holidays library knows")
        if self.subdivision is not None and self.subdivision not in known:
            listed = ", ".join(known[:12]) or "none"
            return (f"unknown subdivision {self.subdivision!r} of {self.country} "
                    f"(known: {listed}{', ...' if len(known) > 12 else ''})")
        return None

    def validate(self) -> HolidayCalendar:
        """Self, or ValueError with `problem()`'s message."""
        message = self.problem()
        if message:
            raise ValueError(message)
        return self

    def dates(self, year_from: int, year_to: int) -> frozenset[date]:
        """The closed dates in the years year_from..year_to (inclusive)."""
        return _dates(self, year_from, year_to)

    def named(self, year_from: int, year_to: int) -> dict[date, str]:
        """The closed dates of `dates()`, each with its name: the library's (in its default
        language for the country), `extra closing day` for a date the charter adds."""
        closed = self.dates(year_from, year_to)
        names: dict[date, str] = {}
        if self.country is not None:
            for year in range(year_from, year_to + 1):
                names.update(_library_names(self.country, self.subdivision, year))
        return {d: names.get(d, "extra closing day") for d in sorted(closed)}

    def __str__(self) -> str:
        code = self.country or "none"
        code = f"{code}-{self.subdivision}" if self.subdivision else code
        changes = [f"+{len(self.extra)}"] if self.extra else []
        changes += [f"-{len(self.remove)}"] if self.remove else []
        return f"{code} ({' '.join(changes)} dates)" if changes else code


NO_HOLIDAYS = HolidayCalendar()


def _split(code: str) -> tuple[str, str | None]:
    code = code.strip().upper()
    country, sep, subdivision = code.partition("-")
    if not country or (sep and not subdivision):
        raise ValueError(f"holidays: not a calendar code {code!r} (expected FR, US-CA or none)")
    return country, (subdivision or None)


@lru_cache(maxsize=4096)
def _dates(calendar: HolidayCalendar, year_from: int, year_to: int) -> frozenset[date]:
    closed: set[date] = set()
    if calendar.country is not None:
        calendar.validate()
        for year in range(year_from, year_to + 1):
            closed |= _library_year(calendar.country, calendar.subdivision, year)
    closed.update(d for d in calendar.extra if year_from <= d.year <= year_to)
    closed.difference_update(calendar.remove)
    return frozenset(closed)
