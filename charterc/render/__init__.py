"""The output stage: a document's view -> its text in every format and language asked for.

The formats are one registry (`formats.py`: `FORMATS`, `DOCUMENTS`), read by the CLI's
options, the check of a request and every writer. Templated formats (Markdown, HTML) are
rendered here, from Jinja2 environments made once per (format, language). Templates are
package data (`render/templates/<document>.<format>.j2`); a `--templates DIR` folder overrides
any of them by name. With overrides, every template runs in Jinja2's sandbox
with `StrictUndefined`, so an override can neither reach Python internals
(`''.__class__`) nor silently print a misspelt field: both stop the build with a
`TemplateProblem` naming the template and line. The sandbox is bounded
(`sandbox.py`): a template that runs too long, writes too much or makes too
large a value stops with a `TemplateProblem` too. (Without overrides the
built-in templates, which are trusted, run outside the sandbox: it costs a
check on every call and attribute.)

HTML autoescaping is chosen by template name (`*.html.j2`); Markdown templates
escape every printed value through `markdown.finalize`.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CharterError

if TYPE_CHECKING:
    from collections.abc import Iterator, MutableMapping

    from jinja2 import Environment, FileSystemLoader, Template
    from jinja2.ext import Extension
    from jinja2.lexer import Token, TokenStream

    from .filters import Language

__all__ = ["TEMPLATE_DIR", "Documents", "TemplateProblem"]

TEMPLATE_DIR = Path(__file__).parent / "templates"


class TemplateProblem(CharterError):
    """A template could not be loaded or rendered (syntax, unsafe access, undefined name,
    too large, or nested without end)."""


# The largest override template read: the built-in ones are a few KiB each.
MAX_TEMPLATE_BYTES = 256 * 1024


def _bounded_loader(folder: Path) -> FileSystemLoader:
    """A FileSystemLoader for an override folder that refuses files over MAX_TEMPLATE_BYTES
    before reading them."""
    from jinja2 import FileSystemLoader
    from jinja2.loaders import split_template_path

    class BoundedLoader(FileSystemLoader):
        def get_source(self, environment: Environment,
                       template: str) -> tuple[str, str, Callable[[], bool]]:
            path = folder.joinpath(*split_template_path(template))
            try:
                size = path.stat().st_size
            except OSError:
                size = 0  # missing: FileSystemLoader says so
            if size > MAX_TEMPLATE_BYTES:
                raise TemplateProblem(f"template {template}: {size} bytes, over the "
                                      f"{MAX_TEMPLATE_BYTES // 1024} KiB a template may have")
            try:
                return super().get_source(environment, template)
            except UnicodeDecodeError as exc:
                raise TemplateProblem(f"template {template}: not UTF-8 text (byte "
                                      f"0x{exc.object[exc.start]:02x} at offset {exc.start})"
                                      ) from None

    return BoundedLoader(str(folder))


def _html_autoescape(name: str | None) -> bool:
    return name is not None and name.endswith((".html.j2", ".html"))


def _finalizer(fmt: str) -> Callable[[object], object]:
    """What every value a template of `fmt` prints passes through (escaping, tidying)."""
    from .formats import FORMATS, function
    spec = FORMATS[fmt].finalize
    if spec is None:
        raise TemplateProblem(f"the {fmt} format is not made from templates")
    return function(spec)


def _direct_gettext(gettext: Callable[[str], str], *, markup: bool) -> Callable[..., str]:
    """`_("...", name=value)` as jinja2.ext.i18n's new-style gettext renders it (the
    translation, marked safe in HTML, then `%`-formatted: `%%` is always a percent sign),
    without its per-call context lookups."""
    from markupsafe import Markup
    translated: dict[str, str] = {}

    def _(message: str, **variables: object) -> str:
        text = translated.get(message)
        if text is None:
            text = translated[message] = Markup(gettext(message)) if markup else \
                gettext(message)
        return text % variables
    return _


_BUILTIN: Documents | None = None


class Documents:
    """Jinja2 environments for one build, one per (format, language), reused for every charter."""

    @classmethod
    def for_templates(cls, templates: str | Path | None = None) -> Documents:
        """The environments for `templates`; those of the built-in templates alone are
        made once per process (they never change), so a second build compiles nothing."""
        global _BUILTIN
        if templates:
            return cls(templates)
        if _BUILTIN is None:
            _BUILTIN = cls()
        return _BUILTIN

    def __init__(self, templates: str | Path | None = None):
        self.templates = Path(templates) if templates else None
        # the (languages, formats) this process has compiled a charter in: their templates,
        # and what a compile loads once (formats, calendars, validators), are warm
        self.warmed: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
        self._envs: dict[tuple[str, str], Environment] = {}
        self.languages: dict[str, Language] = {}
        # the last view localised, in each language: a document's formats share it
        self._localised: tuple[Mapping[str, object], dict[str, Mapping[str, object]]] | None \
            = None

    def language(self, lang: str) -> Language:
        from .filters import Language
        if lang not in self.languages:
            self.languages[lang] = Language(lang)
        return self.languages[lang]

    def environment(self, fmt: str, lang: str) -> Environment:
        key = (fmt, lang)
        if key not in self._envs:
            from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined

            from .filters import make_filters
            from .sandbox import bounded_filters, bounded_sandbox
            loaders = [FileSystemLoader(str(TEMPLATE_DIR))]
            if self.templates:
                loaders.insert(0, _bounded_loader(self.templates))
            # Overrides run sandboxed (and so do the built-ins they include); the built-in
            # templates alone are trusted code, and skip the sandbox's per-call checks.
            kind = bounded_sandbox() if self.templates else _view_environment()
            extensions: list[Any] = ["jinja2.ext.i18n"]
            if not self.templates:
                extensions += [_translated_literals(), _inlined_clauses()]
            finalize = _finalizer(fmt)
            if fmt == "html" and not self.templates:
                from .filters import builtin_html_finalize
                finalize = builtin_html_finalize
            env = kind(
                loader=ChoiceLoader(loaders), undefined=StrictUndefined,
                autoescape=_html_autoescape, finalize=finalize,
                extensions=extensions, trim_blocks=True, lstrip_blocks=True,
                keep_trailing_newline=True, auto_reload=False)
            language = self.language(lang)
            # added by the jinja2.ext.i18n extension, which jinja2's types cannot see
            env.install_gettext_callables(  # type: ignore[attr-defined]
                language.gettext, language.ngettext, newstyle=True)
            if not self.templates:
                # the built-in templates of an environment are all of its format, so
                # whether `_()` escapes is known here: skip the i18n extension's two
                # context calls per message (a third of rendering time).
                env.globals["_"] = _direct_gettext(language.gettext, markup=fmt == "html")
            env.filters.update(make_filters(language))
            if self.templates:
                env.filters = bounded_filters(env.filters)
            else:
                from .clause_blocks import BLOCKS
                env.filters["clause_block"] = BLOCKS[fmt]
                if fmt == "html":
                    env.template_class = _escaping_once()
            env.globals.update(lang=lang)
            self._envs[key] = env
        return self._envs[key]

    def _localise(self, view: Mapping[str, object], lang: str) -> Mapping[str, object]:
        """`view.localise(view, lang)`, made once for the formats of one document (the
        built-in templates read a view and never change it)."""
        from .view import localise
        if self._localised is None or self._localised[0] is not view:
            self._localised = (view, {})
        done = self._localised[1]
        if lang not in done:
            done[lang] = localise(view, lang)
        return done[lang]

    def render(self, fmt: str, lang: str, document: str, view: Mapping[str, object]) -> str:
        """Render `<document>.<fmt>.j2` with `view`; TemplateProblem on any template error."""
        from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError
        from jinja2.exceptions import SecurityError

        from .sandbox import TemplateLimit, render_bounded

        name = f"{document}.{fmt}.j2"
        if self.templates:
            # an override may change what it is given (`dict.update` in the sandbox): its
            # own copy, for the views of a charter share parts (`Subject.client_view`)
            from .view import copied, localise
            view = copied(localise(view, lang) if view.get("localised_names") else view)
        elif view.get("localised_names"):
            view = self._localise(view, lang)
        try:
            template = self.environment(fmt, lang).get_template(name)
            if self.templates:
                return render_bounded(template, view)
            return template.render(view)
        except TemplateLimit as exc:
            raise TemplateProblem(f"template {name}{_line(exc)}: {exc}") from None
        except TemplateNotFound as exc:
            raise TemplateProblem(f"template {exc.name} not found") from None
        except TemplateSyntaxError as exc:
            raise TemplateProblem(f"template {exc.name or name}:{exc.lineno}: "
                                  f"syntax error: {exc.message}") from None
        except SecurityError as exc:
            raise TemplateProblem(f"template {name}{_line(exc)}: refused by the sandbox: {exc}") \
                from None
        except TemplateError as exc:
            raise TemplateProblem(f"template {name}{_line(exc)}: {exc}") from None
        except RecursionError as exc:
            raise TemplateProblem(f"template {name}{_line(exc)}: includes itself, or nests "
                                  "templates without end") from None
        except (ArithmeticError, LookupError, NameError, TypeError, ValueError) as exc:
            if self.templates is None:
                raise  # a built-in template failing is a bug in charterc
            # an override's own expression failed (`1 / 0`, `1 + 'a'`, `none | length`)
            raise TemplateProblem(f"template {name}{_line(exc)}: {type(exc).__name__}: "
                                  f"{exc}") from None


def _rewritten(stream: TokenStream, kinds: tuple[str, ...],
               replace: Callable[[list[Token], Token | None], list[Token] | None]
               ) -> Iterator[Token]:
    """`stream` with each run of tokens of `kinds` that `replace` (given the run and the
    token before it) answers with a list of tokens replaced by that list."""
    tokens = list(stream)
    width, i = len(kinds), 0
    while i < len(tokens):
        window = tokens[i:i + width]
        if tuple(t.type for t in window) == kinds:
            replacement = replace(window, tokens[i - 1] if i else None)
            if replacement is not None:
                yield from replacement
                i += width
                continue
        yield tokens[i]
        i += 1


@cache
def _translated_literals() -> type[Extension]:
    """An extension that translates `_("literal")` once, when a built-in template compiles.

    An environment is one language and one format, so `_("Signatures")` always prints the
    same text: the call (through jinja2's context, with its checks) is replaced by the
    text it returns, marked safe in HTML as `_()` marks it. A message with arguments
    (`_("...%(tier)s", tier=...)`) is left as a call. Overrides are not rewritten.
    """
    from jinja2.ext import Extension
    from jinja2.lexer import Token

    class TranslatedLiterals(Extension):
        def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
            translate: Callable[[str], str] = self.environment.globals["_"]  # type: ignore[assignment]

            def translated(call: list[Token], before: Token | None) -> list[Token] | None:
                if call[0].value != "_" or (before is not None and before.type == "dot"):
                    return None
                line, text = call[0].lineno, translate(call[2].value)
                out = [Token(line, "string", str(text))]
                if hasattr(text, "__html__"):  # HTML: Markup, as `_()` returns it
                    out += [Token(line, "pipe", "|"), Token(line, "name", "safe")]
                return out

            return _rewritten(stream, ("name", "lparen", "string", "rparen"), translated)

    return TranslatedLiterals


@cache
def _inlined_clauses() -> type[Extension]:
    """An extension that compiles a built-in template's `{% include "_clause.<fmt>.j2" %}`
    to `{{ clause|clause_block }}`: the same text, written by `clause_blocks` without a
    template context per clause (a sixth of a build). Overrides are not rewritten, so an
    override folder's `_clause.*.j2` is included as written."""
    from jinja2.ext import Extension
    from jinja2.lexer import Token

    names = {f"_clause.{fmt}.j2" for fmt in ("html", "md")}

    def inlined(tag: list[Token], before: Token | None) -> list[Token] | None:
        if tag[1].value != "include" or tag[2].value not in names:
            return None
        line = tag[0].lineno
        # trim_blocks already took the newline after the tag, as it should
        return [Token(line, "variable_begin", "{{"), Token(line, "name", "clause"),
                Token(line, "pipe", "|"), Token(line, "name", "clause_block"),
                Token(line, "variable_end", "}}")]

    class InlinedClauses(Extension):
        def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
            return _rewritten(stream, ("block_begin", "name", "string", "block_end"), inlined)

    return InlinedClauses


@cache
def _escaping_once() -> type[Template]:
    """The built-in HTML templates' class: their `escape` is `filters.html_escape`.

    A template prints `{{ value }}` as `escape(environment.finalize(value))`: the finalize
    (`filters.builtin_html_finalize`) escapes each distinct text once and returns the
    Markup it keeps, which this `escape` returns as it is, where markupsafe's would copy
    it. The same text, byte for byte (`tests/test_render_equivalence.py`); overrides keep
    jinja2's own."""
    from jinja2 import Template

    from .filters import html_escape

    class EscapingOnce(Template):
        @classmethod
        def _from_namespace(cls, environment: Environment, namespace: MutableMapping[str, Any],
                            globals: MutableMapping[str, Any]) -> Template:
            namespace["escape"] = html_escape  # the name the compiled code calls
            return super()._from_namespace(environment, namespace, globals)

    return EscapingOnce


@cache
def _view_environment() -> type[Environment]:
    """The built-in templates' environment: `view.name` reads a view's key first.

    Views are dicts, and jinja2 reads `a.b` as the attribute `b` first, then, after the
    AttributeError, as the key: an exception for every field a template prints, a tenth of
    rendering time. A key shadows a dict method of its name (`view.items` is the key
    `items` when the view has one); the built-in templates call no dict method.
    """
    from jinja2 import Environment

    class ViewEnvironment(Environment):
        def getattr(self, obj: Any, attribute: str) -> Any:
            if type(obj) is dict:
                try:
                    return obj[attribute]
                except KeyError:
                    pass
            # jinja2's own `Environment.getattr`, inlined: a template reads hundreds of fields
            try:
                return getattr(obj, attribute)
            except AttributeError:
                pass
            try:
                return obj[attribute]
            except (TypeError, LookupError, AttributeError):
                return self.undefined(obj=obj, name=attribute)

    return ViewEnvironment


def _line(exc: BaseException) -> str:
    """` line N` of the innermost template frame of an exception, when there is one."""
    tb, found = exc.__traceback__, ""
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):  # jinja2 rewrites frames to the template's lines
            found = f" ({Path(filename).name}, line {tb.tb_lineno})"
        tb = tb.tb_next
    return found
