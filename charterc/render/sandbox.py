"""The sandbox `--templates` overrides run in: Jinja2's, bounded in time and in size.

Jinja2's `SandboxedEnvironment` keeps a template away from Python's internals, but not
from the machine's time and memory: `range(10**12)` raises an `OverflowError`,
`'x' * 10**10` asks for 10 GB in one call, and two nested loops over 100,000 items run
for hours. Here a template that reaches a bound stops with `TemplateLimit`, which the
renderer reports as a problem of that template (exit 2), within `MAX_SECONDS`:

- time: every block the template runs (a loop's body, a branch, a macro), every call
  and every chunk of output checks the document's deadline (`tick`);
- output: one document is at most `MAX_OUTPUT` characters;
- values: a string, list or mapping the template makes (`*`, `+`, `~`, `%`, a filter,
  a method) is at most `MAX_SIZE` items or characters, and the operations that would
  make a larger one in one step are refused before they run;
- ranges: at most `MAX_RANGE` items, as in Jinja2's sandbox.

The built-in templates alone run outside the sandbox (`render/__init__.py`): they are
trusted, and skip these checks.
"""
from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache, wraps
from typing import TYPE_CHECKING, Any

from jinja2.exceptions import SecurityError

from ..errors import CharterError

if TYPE_CHECKING:
    from jinja2 import Template
    from jinja2.compiler import Frame
    from jinja2.nodes import Concat, Node
    from jinja2.runtime import Context
    from jinja2.sandbox import SandboxedEnvironment

__all__ = ["MAX_OUTPUT", "MAX_RANGE", "MAX_SECONDS", "MAX_SIZE", "TemplateLimit",
           "bounded_filters", "bounded_sandbox", "render_bounded"]

MAX_SECONDS = 5.0               # to render one document
MAX_OUTPUT = 16 * 1024 * 1024   # characters of one document (the built-in ones: < 1 MiB)
MAX_SIZE = 1_000_000            # items or characters of one value a template makes
MAX_RANGE = 100_000             # items of a range()

_SIZED = (str, bytes, list, tuple, dict, set, frozenset)
# printf-style (`%10s`, `%.3f`) and str.format (`{:>10}`, `{0:.2f}`) widths and precisions
_PRINTF_WIDTHS = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\d*)(?:\.(\d*))?")
_FORMAT_WIDTHS = re.compile(r"\{[^{}]*?:[^{}\d]*(\d*)(?:[,_])?(?:\.(\d*))?[^{}]*\}")
# str methods whose integer arguments are the length of the string they return
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


class TemplateLimit(CharterError, SecurityError):
    """A template went over one of the sandbox's bounds (time, output, size, range)."""


def _refuse_size(size: int, what: str) -> None:
    if size > MAX_SIZE:
        raise TemplateLimit(f"{what} would have {size:,} items or characters, over the "
                            f"{MAX_SIZE:,} a template may make")


def checked_size(value: Any) -> Any:
    """`value`, unless it is a string or collection over MAX_SIZE."""
    if isinstance(value, _SIZED):
        _refuse_size(len(value), f"a {type(value).__name__}")
    return value


def _check_widths(pattern: re.Pattern[str], text: object) -> None:
    if isinstance(text, str):
        for match in pattern.finditer(text):
            for digits in match.groups():
                if digits and (len(digits) > 7 or int(digits) > MAX_SIZE):
                    raise TemplateLimit(f"a width or precision of {digits} in a format, "
                                        f"over the {MAX_SIZE:,} a template may use")


def _check_printf(text: str, arguments: Iterable[object]) -> None:
    """Refuse a printf-style format whose widths (written, or `*` read from the
    arguments) would make a text over MAX_SIZE."""
    _check_widths(_PRINTF_WIDTHS, text)
    if "*" in text:
        for argument in arguments:
            _check_count(argument, "a width")


def _check_count(value: object, what: str) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and value > MAX_SIZE:
        raise TemplateLimit(f"{what} of {value:,}, over the {MAX_SIZE:,} a template may use")


def _joined_size(items: object, separator: object) -> int:
    """The length of `separator.join(items)` (strings only; 0 when it cannot be known)."""
    if not isinstance(items, list | tuple):
        return 0
    _refuse_size(len(items), "a list joined")
    total = sum(len(item) for item in items if isinstance(item, str))
    return total + max(len(items) - 1, 0) * (len(separator) if isinstance(separator, str) else 0)


def _replaced_size(text: object, old: object, new: object) -> int:
    """An upper bound on the length of `text.replace(old, new)`."""
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str)):
        return 0
    return len(text) + (len(text) // max(len(old), 1) + 1) * len(new)


def bounded_range(*args: int) -> range:
    """range(), refused over MAX_RANGE items (a usage error, not Jinja2's OverflowError)."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateLimit(f"range() of {len(numbers):,} items, over the {MAX_RANGE:,} a "
                            "template may use")
    return numbers


def _repeat_size(left: object, right: object) -> int:
    """The length of `left * right` when it repeats a string or a sequence, else 0."""
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, _SIZED) and isinstance(count, int):
            return len(sequence) * max(count, 0)
    return 0


def _power_bits(base: object, exponent: object) -> int:
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1:
        return base.bit_length() * exponent
    return 0


# The filters that make a value larger than their input in one step, and how to refuse
# the argument that would make it too large before the filter runs.
def _filter_checks() -> dict[str, Callable[..., None]]:
    def center(value: object, width: object = 80, *_: object, **__: object) -> None:
        _check_count(width, "a width")

    def indent(value: object, width: object = 4, *_: object, **__: object) -> None:
        _check_count(width, "an indent")
        if isinstance(value, str) and isinstance(width, str):
            _refuse_size(len(value) + value.count("\n") * len(width), "an indented text")

    def batch(value: object, linecount: object = 1, *_: object, **__: object) -> None:
        _check_count(linecount, "a batch")

    def slice_(value: object, slices: object = 1, *_: object, **__: object) -> None:
        _check_count(slices, "a number of slices")

    def format_(value: object, *args: object, **kwargs: object) -> None:
        if isinstance(value, str):
            _check_printf(value, (*args, *kwargs.values()))

    def join(value: object, d: object = "", *_: object, **__: object) -> None:
        _refuse_size(_joined_size(value, d), "a joined text")

    def replace(value: object, old: object = "", new: object = "", *_: object,
                **__: object) -> None:
        _refuse_size(_replaced_size(value, old, new), "a replaced text")

    return {"center": center, "indent": indent, "batch": batch, "slice": slice_,
            "format": format_, "join": join, "replace": replace}


def bounded_filters(filters: Mapping[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    """`filters`, each refusing a result over MAX_SIZE; those that can grow their input many
    times over in one step (`center`, `indent`, `join`, ...) also refuse the argument that
    would do it before they run."""
    checks = _filter_checks()

    def bounded(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        check = checks.get(name)
        # filters marked @pass_context (or environment, eval context) get that first
        passed = getattr(function, "jinja_pass_arg", None) is not None

        @wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            if check is not None:
                check(*args[1 if passed else 0:], **kwargs)
            return checked_size(function(*args, **kwargs))
        return run

    return {name: bounded(name, function) for name, function in filters.items()}


def _check_operation(operator: str, left: Any, right: Any) -> None:
    """Refuse `left <operator> right` before it runs when its result would be too large."""
    if operator == "*":
        _refuse_size(_repeat_size(left, right), "a repeated value")
    elif operator == "**" and _power_bits(left, right) > 64 * MAX_SIZE:
        raise TemplateLimit(f"{left} ** {right} is too large a number")
    elif operator == "%" and isinstance(left, str):
        _check_printf(left, right if isinstance(right, tuple) else (right,))


def _check_call(function: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> object:
    """Refuse a call of a str method that would make too large a text before it runs; the
    object whose method `function` is (None for a plain function)."""
    owner = getattr(getattr(function, "__wrapped__", function), "__self__", None)
    name = getattr(function, "__name__", "")
    if isinstance(owner, str):
        if name in ("format", "format_map"):
            _check_widths(_FORMAT_WIDTHS, owner)
        elif name in _WIDTH_METHODS:
            for arg in (*args, *kwargs.values()):
                _check_count(arg, "a width")
        elif name == "join" and args:
            _refuse_size(_joined_size(args[0], owner), "a joined text")
        elif name == "replace" and len(args) >= 2:
            _refuse_size(_replaced_size(owner, args[0], args[1]), "a replaced text")
    return owner


@cache
def bounded_sandbox() -> type[SandboxedEnvironment]:
    """Jinja2's SandboxedEnvironment with the bounds of this module's docstring."""
    from jinja2.compiler import CodeGenerator
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedCode(CodeGenerator):
        """Compiled templates that check the deadline in every block they run, and the size
        of every `~` concatenation."""

        def blockvisit(self, nodes: Iterable[Node], frame: Frame) -> None:
            self.writeline("environment.tick()")
            super().blockvisit(nodes, frame)

        def visit_Concat(self, node: Concat, frame: Frame) -> None:
            self.write("environment.checked_size(")
            super().visit_Concat(node, frame)
            self.write(")")

    class BoundedSandbox(SandboxedEnvironment):
        code_generator_class = BoundedCode
        intercepted_binops = frozenset({"*", "**", "%", "+"})

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.globals["range"] = bounded_range
            self.deadline = float("inf")

        def tick(self) -> None:
            if time.monotonic() > self.deadline:
                raise TemplateLimit(f"stopped after {MAX_SECONDS:g} s, the time a template "
                                    "may take to render one document")

        checked_size = staticmethod(checked_size)

        def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
            _check_operation(operator, left, right)
            return checked_size(super().call_binop(context, operator, left, right))

        # jinja2's signature: a template's keyword arguments cannot clash with these names
        def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            __self.tick()
            owner = _check_call(__obj, args, kwargs)
            result = SandboxedEnvironment.call(__self, __context, __obj, *args, **kwargs)
            if isinstance(owner, _SIZED):  # list.extend(...), dict.update(...)
                checked_size(owner)
            return checked_size(result)

    return BoundedSandbox


def render_bounded(template: Template, view: Mapping[str, object]) -> str:
    """`template.render(view)` within MAX_SECONDS and MAX_OUTPUT (TemplateLimit past them)."""
    environment: Any = template.environment
    environment.deadline = time.monotonic() + MAX_SECONDS
    try:
        return _joined_output(template.generate(view), environment)
    finally:
        environment.deadline = float("inf")


def _joined_output(chunks: Iterator[str], environment: Any) -> str:
    parts: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise TemplateLimit(f"the document is over {MAX_OUTPUT // (1024 * 1024)} MiB "
                                "of text, the most a template may write")
        environment.tick()
        parts.append(chunk)
    return "".join(parts)
