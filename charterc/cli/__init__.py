"""Command line: thin click commands that parse options, call the API and pick a reporter.

Exit status: 0 clean, 1 findings, 2 usage or internal error.
"""
from __future__ import annotations

import os
import sys
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

import click

from .. import __version__
from ..exits import EXIT_CLEAN, EXIT_CLOSED_PIPE, EXIT_FINDINGS, EXIT_USAGE
from ..render.findings import REPORTERS, visible
from .options import output_and_languages, today_option, usage_columns, usage_source

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..authoring import Document
    from ..diagnostics import Severity



def _today(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)",
                                 param_hint="--today") from None


def _comma_list(value: str) -> list[str]:
    """`"en, fr"` -> ["en", "fr"]."""
    return [part.strip() for part in value.split(",") if part.strip()]


def _nonempty_list(value: str, hint: str) -> list[str]:
    """`_comma_list` of an option that must name at least one item (`--lang ,` names none)."""
    items = _comma_list(value)
    if not items:
        raise click.BadParameter(f"{value!r} names nothing: give at least one, e.g. "
                                 + ("en" if hint == "--lang" else "md"), param_hint=hint)
    return items


def _rule_list(values: tuple[str, ...], hint: str) -> list[str]:
    """`--select C4 --select V501,V502` -> ["C4", "V501", "V502"], upper-cased.

    Each must be a rule id or a prefix of one: a typo would otherwise select no rule at all.
    """
    rules = [part.upper() for value in values for part in _comma_list(value)]
    for rule_id in rules:
        _known_rule(rule_id, hint, prefix=True)
    return rules


def _known_rule(rule_id: str, hint: str, *, prefix: bool) -> None:
    """Raise a usage error unless `rule_id` names a rule (or, with `prefix`, starts some)."""
    import difflib

    from ..diagnostics.rules import RULES
    ids = sorted(RULES)
    if rule_id in RULES or (prefix and any(i.startswith(rule_id) for i in ids)):
        return
    candidates = sorted({i[:len(rule_id)] for i in ids}) if prefix else ids
    close = difflib.get_close_matches(rule_id, candidates, n=1, cutoff=0.5)
    kind = "rule id or prefix" if prefix else "rule id"
    suggestion = f"did you mean '{close[0]}'?" if close else "`charterc rules` lists them"
    raise click.BadParameter(f"unknown {kind} {rule_id!r}: {suggestion}", param_hint=hint)


def _emit(text: str, output: str | None, command: str) -> None:
    """Print `text`, or write it atomically to `output` when one is given (a file that
    cannot be written: a usage error naming it and why, exit 2)."""
    if output:
        from ..publish.files import WriteProblem, write_atomic
        try:
            write_atomic(output, text.encode("utf-8"))
        except WriteProblem as exc:
            click.echo(f"charterc {command}: {visible(str(exc))}", err=True)
            sys.exit(EXIT_USAGE)
    else:
        click.echo(text, nl=False)


def _levels(values: tuple[str, ...]) -> dict[str, Severity]:
    from ..diagnostics import Severity
    levels: dict[str, Severity] = {}
    for value in values:
        rule_id, _, level = value.partition("=")
        try:
            severity = Severity(level.strip().lower())
        except ValueError:
            raise click.BadParameter(f"{value!r}: expected RULE=error|warning|info",
                                     param_hint="--level") from None
        _known_rule(rule_id.strip().upper(), "--level", prefix=False)
        levels[rule_id.strip().upper()] = severity
    return levels


def _day(value: str, hint: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)",
                                 param_hint=hint) from None


def _stop_writing() -> None:
    """Point standard output at /dev/null, so that flushing it at exit, into the closed
    pipe, neither raises nor prints Python's "Exception ignored" note."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (a test's capture): nothing to flush
        pass
    finally:
        os.close(devnull)


class _Group(click.Group):
    """Turns an unexpected exception into a one-line error and exit 2 (no traceback)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            from ..render.findings.libraries import escaped_library_output
            with escaped_library_output():
                return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            _stop_writing()
            sys.exit(EXIT_CLOSED_PIPE)
        except Exception as exc:
            if os.environ.get("CHARTERC_DEBUG"):
                raise
            click.echo(f"charterc: internal error: {type(exc).__name__}: {visible(str(exc))}\n"
                       "(set CHARTERC_DEBUG=1 for the traceback, and please report it)", err=True)
            sys.exit(EXIT_USAGE)


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """`--version`: the version and the git commit it was installed from."""
    if not value or ctx.resilient_parsing:
        return
    from ..commit import installed_commit
    click.echo(f"charterc, version {__version__}\ncommit {installed_commit()}")
    ctx.exit()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_show_version, help="Show the version and the commit, and exit.")
def main() -> None:
    """charterc: check, compile and report on service charters."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", default="text", show_default=True,
              type=click.Choice(sorted(REPORTERS)), help="Output format.")
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@today_option()
@click.option("--select", multiple=True, metavar="RULES",
              help="Only these rule ids or prefixes (comma-separated, repeatable).")
@click.option("--ignore", multiple=True, metavar="RULES",
              help="Skip these rule ids or prefixes (comma-separated, repeatable).")
@click.option("--level", "level_opts", multiple=True, metavar="RULE=LEVEL",
              help="Re-level a rule for this run, e.g. C404=error.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=1 << 20, show_default=True,
              help="Largest charter file read (P104).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option("--color/--no-color", default=None, help="Colour the text report.")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=".charterc_cache",
              show_default=True, help="Keep each file's findings here; an unchanged file is "
                                      "not checked again (docs/cache.md).")
@click.option("--no-cache", is_flag=True, help="Check every file; read and write no cache.")
def check(paths: tuple[str, ...], fmt: str, strict: bool, today: str | None,
          select: tuple[str, ...], ignore: tuple[str, ...], level_opts: tuple[str, ...],
          max_bytes: int, output: str | None, color: bool | None, cache_dir: str,
          no_cache: bool) -> None:
    """Validate and check charters (files or folders; default: charters/)."""
    from ..loaders import Limits
    from ..pipeline import CheckOptions, UsageError, check_paths, discover, misnamed
    from ..pipeline.today import SourceDateError, resolve_today
    from ..render.findings import reporter

    searched = paths or ("charters",)
    try:
        files = discover(searched)
        day = resolve_today(_today(today))
    except (UsageError, SourceDateError) as exc:
        raise click.UsageError(str(exc)) from exc
    for path in misnamed(searched):
        click.echo(f"charterc: warning: {path} looks like a charter but is skipped: "
                   f"charters end in .charter{path.suffix} "
                   f"(rename it {path.stem}.charter{path.suffix})", err=True)
    if not files:
        raise click.UsageError(f"no charter found in {', '.join(searched)} "
                               "(charters are named *.charter.yaml, *.charter.yml or *.charter)")
    options = CheckOptions(today=day,
                           select=_rule_list(select, "--select") or None,
                           ignore=_rule_list(ignore, "--ignore"),
                           levels=_levels(level_opts), limits=Limits(max_bytes=max_bytes),
                           cache=None if no_cache else cache_dir)
    if sys.stderr.isatty() and len(files) > 20:
        with click.progressbar(length=len(files), label="checking", file=sys.stderr) as bar:
            result = check_paths(files, options, progress=bar.update, release=True)
    else:
        result = check_paths(files, options, release=True)
    if color is None:
        color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    text = reporter(fmt)(result, color=color)
    _emit(text, output, "check")
    for line in result.internal_errors:
        click.echo(f"charterc: {visible(line)}", err=True)
    sys.exit(result.exit_code(strict))


@main.command()
@click.option("--format", "fmt", default="text", type=click.Choice(["text", "json", "markdown"]),
              help="markdown writes the full documentation (docs/rules.md).")
def rules(fmt: str) -> None:
    """List the rule catalogue: id, severity, title."""
    from ..diagnostics.rules import RULES, catalogue_markdown
    entries = sorted(RULES.values(), key=lambda r: r.id)
    if fmt == "json":
        import json
        click.echo(json.dumps([{"id": r.id, "severity": r.severity.value, "title": r.title}
                               for r in entries], indent=2))
    elif fmt == "markdown":
        click.echo(catalogue_markdown(entries), nl=False)
    else:
        for r in entries:
            click.echo(f"{r.id}  {r.severity.value:<7}  {r.title}")


@main.command()
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Print one rule's documentation, with a failing and a passing example."""
    from ..diagnostics.rules import RULES
    from ..validate.references import did_you_mean
    entry = RULES.get(rule_id.upper())
    if entry is None:
        raise click.UsageError(f"unknown rule {rule_id!r}: {did_you_mean(rule_id.upper(), RULES)}")
    click.echo(f"{entry.id} ({entry.severity.value}): {entry.title}\n")
    body = entry.doc.split("\n", 1)[1].strip() if "\n" in entry.doc else ""
    if body:
        click.echo(body)


@main.command()
@click.option("--path", "show_path", is_flag=True, help="Print the schema's path instead.")
@click.option("--write", "folder", metavar="[DIR]", is_flag=False, flag_value="schemas",
              default=None, type=click.Path(file_okay=False),
              help="Write it as DIR/charter.schema.json (default DIR: schemas), for a "
                   "modeline that works offline.")
def schema(show_path: bool, folder: str | None) -> None:
    """Print the charter JSON Schema (for editors), or its path, or write it into a folder."""
    from ..validate.schema import schema_path
    if folder is not None:
        from ..authoring.init import InitError, write_schema
        try:
            written = write_schema(folder)
        except InitError as exc:
            click.echo(f"charterc schema: {exc}", err=True)
            sys.exit(EXIT_USAGE)
        click.echo(f"wrote {written}; a charter names it with a first line "
                   f"`# yaml-language-server: $schema=<path from the charter to it>`")
        return
    path = schema_path()
    click.echo(str(path) if show_path else path.read_text(encoding="utf-8"), nl=show_path)


class _RegistryChoice(click.Choice[str]):
    """The formats a document has, read from the registry (`render/formats.py`) when the
    command line is parsed or its help shown, not when the CLI is imported."""

    def __init__(self, document: str) -> None:
        self.document, self.case_sensitive = document, True

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        from ..render.formats import formats_of
        return formats_of(self.document)


class _FormatsOption(click.Option):
    """`--format` of a command writing a document: its help lists the registry's formats
    for that document, looked up when the help is shown."""

    def __init__(self, *args: Any, document: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.document = document

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        from ..render.formats import formats_of
        self.help = f"Formats, comma-separated: {', '.join(formats_of(self.document))}."
        return super().get_help_record(ctx)


@main.command()
@click.argument("old")
@click.argument("new")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", default="text", show_default=True,
              type=_RegistryChoice("diff"), help="Output format.")
@click.option("-o", "--output", type=click.Path(),
              help="Write the report here (a file); with --redline, the folder of the redlines.")
@click.option("--redline", is_flag=True,
              help="Write, into the -o folder, a redline (HTML and Markdown) of every "
                   "document whose text changes: the charter and each client agreement.")
@click.option("--lang", "lang", default="en", show_default=True, metavar="LANG",
              help="The language of the documents the redline compares.")
def diff(old: str, new: str, paths: tuple[str, ...], fmt: str, output: str | None,
         redline: bool, lang: str) -> None:
    """Changes in commitments between two versions (paths or git revisions), per client.

    OLD and NEW are files, folders or git revisions (`charterc diff main HEAD
    charters/`); revisions are read with git, without a checkout. Exit 1 when a
    version is bumped less than the changes require (G706). With `--redline -o DIR`
    the report is printed and DIR receives the redlines (spec 8.2).
    """
    from pathlib import Path

    from ..diff import SourceError, diff_sides
    from ..render.formats import render_set
    if redline and not output:
        raise click.UsageError("--redline writes a folder: give it with -o DIR")
    if redline:
        from ..render.i18n import languages
        if lang not in languages():
            raise click.BadParameter(f"no catalogue for language {lang!r} (known: "
                                     f"{', '.join(languages())})", param_hint="--lang")
    elif output and Path(output).is_dir():
        raise click.BadParameter(f"{output} is a folder (without --redline, -o names the "
                                 "report's file)", param_hint="-o")
    try:
        result = diff_sides(old, new, paths)
    except SourceError as exc:
        raise click.UsageError(str(exc)) from exc
    (data,) = render_set([fmt], [], result=result).values()
    if redline:
        assert output is not None
        from ..diff.redline import redlines, write
        from ..publish.files import WriteProblem
        if Path(output).exists() and not Path(output).is_dir():
            raise click.BadParameter(f"{output} is a file (--redline writes a folder)",
                                     param_hint="-o")
        try:
            written = write(redlines(result, lang), output)
        except (WriteProblem, OSError) as exc:
            click.echo(f"charterc diff: {visible(str(exc))}", err=True)
            sys.exit(EXIT_USAGE)
        _emit(data.decode("utf-8"), None, "diff")
        click.echo(f"redlines: {len(written)} file(s) in {output}", err=True)
    else:
        _emit(data.decode("utf-8"), output, "diff")
    sys.exit(result.exit_code)


@main.command()
@click.argument("path", required=False, type=click.Path())
@click.option("--id", "charter_id", metavar="ID", help="The charter id (default: from PATH).")
@click.option("--format", "fmt", default="yaml", show_default=True,
              type=click.Choice(["yaml", "dsl"]), help="Write YAML or the DSL.")
def init(path: str | None, charter_id: str | None, fmt: str) -> None:
    """Write a new, valid, commented starter charter (never overwrites a file).

    PATH is a file or a folder (default: charters/ID.charter.yaml).
    """
    from ..authoring.init import InitError, write_starter
    try:
        written = write_starter(path, charter_id, fmt)
    except InitError as exc:
        click.echo(f"charterc init: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"wrote {written.charter}; check it with: charterc check {written.charter}")
    if written.schema is not None:
        click.echo(f"wrote {written.schema}, the schema its first line names for editors "
                   f"(commit it; refresh it with: charterc schema --write "
                   f"{written.schema.parent})")


def _require(extra: str, what: str) -> None:
    """A usage error (exit 2) naming the extra to install when `what` needs one that is not."""
    from ..extras import MissingExtra, require
    try:
        require(extra, what)
    except MissingExtra as exc:
        raise click.UsageError(str(exc)) from None


def _formats_option(document: str, default: str
                    ) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """`--format` of a command writing `document`: the formats it has, from the registry;
    they are checked, with the languages, when the command runs."""
    return click.option("--format", "fmt", default=default, show_default=True,
                        metavar="FORMATS", cls=_FormatsOption, document=document)


@main.command("build")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-o", "--output", "out", default="dist", show_default=True,
              type=click.Path(file_okay=False), help="Output folder, replaced atomically.")
@click.option("--lang", default="en", show_default=True, metavar="LANGS",
              help="Languages, comma-separated, e.g. en,fr.")
@_formats_option("charter", "md,html")
@today_option("The date documents show and checks use (default: SOURCE_DATE_EPOCH; "
              "checks fall back to the clock).")
@click.option("--templates", type=click.Path(file_okay=False),
              help="Folder whose templates override the built-in ones by name (sandboxed).")
@click.option("--partial", is_flag=True,
              help="Publish the charters without errors even when others have errors.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Processes compiling charters (default and most: the CPU count); the "
                   "output is the same whatever N.")
@click.option("-v", "--verbose", is_flag=True,
              help="Also list what the build log counts (e.g. each objective left out of "
                   "openslo.yaml).")
def build_command(paths: tuple[str, ...], out: str, lang: str, fmt: str, today: str | None,
                  templates: str | None, partial: bool, jobs: int | None,
                  verbose: bool) -> None:
    """Check, then write each charter's documents, sla.json and openslo.yaml into dist/."""
    from ..pipeline import UsageError
    from ..publish.build import BuildProblem, build
    from ..render.findings import reporter

    try:
        result = build(paths or ("charters",), out, langs=_nonempty_list(lang, "--lang"),
                       formats=_nonempty_list(fmt, "--format"), today=_today(today),
                       templates=templates, partial=partial, jobs=jobs)
    except (BuildProblem, UsageError) as exc:
        click.echo(f"charterc build: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(reporter("text")(result.check, color=False), nl=False)
    for line in result.log:
        click.echo(line)
    for line in result.details if verbose else ():
        click.echo(f"  {line}")
    for line in result.check.internal_errors:
        click.echo(f"charterc: {visible(line)}", err=True)
    if result.published:
        click.echo(f"built {len(result.built)} charter(s): {len(result.files)} files in {out}")
    sys.exit(result.exit_code())


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--to", "target", required=True, type=click.Choice(["yaml", "dsl"]),
              help="The syntax to write.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write here (atomically) instead of standard output.")
def convert(file: str, target: str, output: str | None) -> None:
    """Convert a charter between YAML and the DSL (the same canonical document)."""
    from pathlib import Path

    from ..authoring import Unrepresentable
    from ..loaders import load_path, special_kind
    from ..render.findings.text import format_diagnostic

    kind = special_kind(os.stat(file).st_mode)
    if kind is not None:  # opening a FIFO would wait for a writer
        raise click.BadParameter(f"{file} is {kind}, not a charter file", param_hint="FILE")
    loaded = load_path(file)
    if not loaded.ok:
        for d in loaded.diagnostics:
            click.echo(format_diagnostic(d, loaded.sources.source_line(d.line)), err=True)
        sys.exit(EXIT_FINDINGS)
    write: Callable[[Document], str]
    if target == "dsl":
        from ..authoring.dsl import dump as write
    else:
        from functools import partial

        from ..authoring.init import schema_reference
        from ..authoring.yaml import dump as dump_yaml
        write = dump_yaml
        if output:  # the modeline must lead to the schema from where the file lands
            write = partial(dump_yaml, schema=schema_reference(Path(output).absolute().parent))
    source = Path(file).read_bytes().decode("utf-8-sig", errors="replace")
    syntax: Literal["yaml", "dsl"] = "dsl" if file.endswith(".charter") else "yaml"
    try:
        text = write(loaded.document)
    except Unrepresentable as exc:
        line, column = loaded.sources.locate(exc.pointer)
        click.echo(f"{loaded.file}:{line}:{column}: cannot write as {target}: {exc.reason}",
                   err=True)
        sys.exit(EXIT_FINDINGS)
    if syntax == target == "dsl":  # fmt's layout is the writer's, with the comments put back
        from ..authoring.fmt import format_text
        text = format_text(source, loaded.file)[0] or text
    else:
        from ..authoring.comments import count_comments
        dropped = count_comments(source, syntax)
        if dropped:
            click.echo(f"charterc convert: warning: {dropped} comment"
                       f"{'s' if dropped != 1 else ''} of {file} dropped: the {target} output "
                       "does not carry comments over", err=True)
    _emit(text, output, "convert")


@main.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--check", "check_only", is_flag=True,
              help="Only report the files that would change (exit 1 if any).")
def fmt_command(paths: tuple[str, ...], check_only: bool) -> None:
    """Rewrite .charter files in the canonical layout (comments are kept)."""
    from pathlib import Path

    from ..authoring.fmt import format_text
    from ..pipeline import UsageError, discover
    from ..publish.files import WriteProblem, write_atomic
    from ..render.findings.text import format_diagnostic

    try:
        found = discover(paths or ("charters",))
    except UsageError as exc:
        raise click.UsageError(str(exc)) from exc
    files = [p for p in found if p.name.endswith(".charter")]
    skipped = len(found) - len(files)  # YAML charters: fmt lays out the DSL only
    changed = failed = unwritten = 0
    for path in files:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            click.echo(f"{path}: cannot read: {exc}", err=True)
            failed += 1
            continue
        formatted, problems = format_text(text, str(path))
        if formatted is None:
            lines = text.splitlines()
            for d in problems:
                source = lines[d.line - 1] if 0 < d.line <= len(lines) else None
                click.echo(format_diagnostic(d, source), err=True)
            failed += 1
        elif formatted != text:
            changed += 1
            if check_only:
                click.echo(f"would reformat {path}")
            else:
                try:  # owner, mode and hard links kept (publish/files.py)
                    write_atomic(path, formatted.encode("utf-8"))
                except WriteProblem as exc:
                    click.echo(f"charterc fmt: {visible(str(exc))}", err=True)
                    unwritten += 1
                    continue
                click.echo(f"reformatted {path}")
    verb = "would be reformatted" if check_only else "reformatted"
    changed -= unwritten
    click.echo(f"{changed} file(s) {verb}, {len(files) - changed - failed - unwritten} unchanged"
               + (f", {failed} with errors" if failed else "")
               + (f", {unwritten} could not be written" if unwritten else "")
               + (f"; skipped {skipped} YAML file(s): fmt formats DSL files (*.charter)"
                  if skipped else ""), err=True)
    if unwritten:
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_FINDINGS if failed or (check_only and changed) else EXIT_CLEAN)


@main.command("lsp")
@today_option()
@click.option("--debounce", type=click.IntRange(min=0), default=50, show_default=True,
              metavar="MS", help="Pause after a change before checking again, in ms.")
@click.option("--stdio", is_flag=True, help="Talk over stdin and stdout (the only transport).")
def lsp_command(today: str | None, debounce: int, stdio: bool) -> None:
    """A Language Server Protocol server for charters, over stdio (needs charterc[lsp])."""
    from ..lsp import MISSING, available
    from ..pipeline.today import SourceDateError, resolve_today

    day = _today(today)
    try:
        resolve_today(day)
    except SourceDateError as exc:
        raise click.UsageError(str(exc)) from exc
    if not available():
        raise click.UsageError(MISSING)
    # the first diagnostics go out before pygls is imported (lsp/early.py), which then
    # says if pygls is not of the versions charterc[lsp] pins
    from ..lsp.early import serve
    serve(day, debounce / 1000)


@main.command("report")
@click.argument("charter", type=click.Path(exists=True, dir_okay=False))
@click.option("--tickets", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Tickets, CSV or Parquet: id, client, priority, opened, first_response, "
                   "resolved.")
@click.option("--outages", type=click.Path(exists=True, dir_okay=False),
              help="Outages, CSV or Parquet: start, end, scope, planned (without it, "
                   "availability is not measured).")
@click.option("--period", metavar="YYYY-MM", help="A calendar month in the provider's zone.")
@click.option("--from", "first", metavar="YYYY-MM-DD", help="First day (with --to).")
@click.option("--to", "last", metavar="YYYY-MM-DD", help="Last day, inclusive (with --from).")
@output_and_languages
@_formats_option("report", "md,html,json")
@usage_columns
@click.option("--strict", is_flag=True, help="A skipped row is fatal (exit 1, nothing written).")
@click.option("--history", type=click.Path(exists=True, dir_okay=False),
              help="Status history, CSV or Parquet (id, at, status): pauses the clocks "
                   "that pause_on names.")
@usage_source
@click.option("--charter-rev", "charter_rev", metavar="auto|REV",
              help="Measure against the charter as committed in git: auto = the newest commit "
                   "before the period's end.")
@click.option("--itsm-sla", "itsm_sla", type=click.Path(exists=True, dir_okay=False),
              help="The ITSM's own SLA records (id, objective, breached, due; with "
                   "--profile servicenow its task_sla export): compared ticket by ticket.")
@click.option("--max-listed", "max_listed", type=click.IntRange(min=0), default=100,
              show_default=True, metavar="N",
              help="Breaches and pending tickets each client's documents list (the earliest "
                   "opened first); with more, all are in clients/<client>.events.csv. "
                   "0: list all.")
def report_command(charter: str, tickets: str, outages: str | None, period: str | None,
                   first: str | None, last: str | None, out: str, lang: str, fmt: str,
                   columns: tuple[str, ...], strict: bool, history: str | None,
                   profile: str | None, input_timezone: str | None,
                   exclude_status: str | None, charter_rev: str | None,
                   itsm_sla: str | None = None, max_listed: int = 100) -> None:
    """Measure a period's tickets and outages against a charter; write per-client reports.

    Writes OUT/<charter>/<period>/provider.<lang>.<fmt> and clients/<client>.<lang>.<fmt>.
    The charter is checked first (as at the period's last day). See docs/report.md.
    """
    _require("reports", "charterc report")
    from .report import parse_request, report

    request = parse_request(charter, tickets, outages, period, first, last, out, lang, fmt,
                            columns, strict, history=history, profile=profile,
                            input_timezone=input_timezone, charter_rev=charter_rev,
                            exclude_status=exclude_status, itsm_sla=itsm_sla,
                            max_listed=max_listed)
    sys.exit(report(request))


@main.command("statement")
@click.argument("client")
@click.argument("charters", nargs=-1, type=click.Path())
@click.option("--period", metavar="PERIOD",
              help="A year (2026), a quarter (2026-Q2) or a month (2026-06).")
@click.option("--from", "first", metavar="YYYY-MM-DD", help="First day (with --to).")
@click.option("--to", "last", metavar="YYYY-MM-DD", help="Last day, inclusive (with --from).")
@click.option("--tickets", multiple=True, metavar="[CHARTER_ID=]FILE",
              help="Tickets of one charter (CHARTER_ID=FILE), or a CSV with a charter column; "
                   "repeatable.")
@click.option("--outages", multiple=True, metavar="[CHARTER_ID=]FILE",
              help="Outages, matched to charters as --tickets; repeatable.")
@click.option("--history", multiple=True, metavar="[CHARTER_ID=]FILE",
              help="Status histories (pauses), matched to charters as --tickets; repeatable.")
@click.option("-o", "--output", "out", default="statements", show_default=True,
              type=click.Path(file_okay=False), help="Output folder.")
@click.option("--lang", default="en", show_default=True, metavar="LANGS",
              help="Languages, comma-separated, e.g. en,fr.")
@_formats_option("statement", "md,html,json")
@usage_columns
@usage_source
@today_option("The statement's issue date: claims lapsed by then are marked so, and the "
              "calendar's DTSTAMP (default: SOURCE_DATE_EPOCH, else the clock).")
def statement_command(client: str, charters: tuple[str, ...], period: str | None,
                      first: str | None, last: str | None, tickets: tuple[str, ...],
                      outages: tuple[str, ...], history: tuple[str, ...], out: str,
                      lang: str, fmt: str, columns: tuple[str, ...], profile: str | None,
                      input_timezone: str | None, exclude_status: str | None,
                      today: str | None) -> None:
    """One statement for a client across every charter it buys from.

    Per service: tier, projected charges (and measured ones with usage files), attainment,
    credits due and the claims open with the day each lapses; totals per currency; with
    --format ics, a calendar of claim deadlines, reviews and notice dates. CHARTERS are
    files or folders (default: charters/). Writes OUT/<client>/<period>/statement.*.
    See docs/statement.md.
    """
    from .statement import parse_request, statement

    if tickets or outages or history:
        _require("reports", "charterc statement with usage files")
    request = parse_request(client, charters, period, first, last, tickets, outages, history,
                            out, lang, fmt, columns, profile, input_timezone, _today(today),
                            exclude_status)
    sys.exit(statement(request))


@main.command("baseline")
@click.argument("charter", type=click.Path(exists=True, dir_okay=False))
@click.option("--tickets", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Tickets CSV, as `charterc report` reads it (a feature column for features).")
@click.option("--outages", type=click.Path(exists=True, dir_okay=False),
              help="Outages CSV: read and checked as `charterc report` does, counted.")
@click.option("--from", "first", required=True, metavar="YYYY-MM",
              help="First month of the window.")
@click.option("--to", "last", required=True, metavar="YYYY-MM",
              help="Last month of the window, inclusive.")
@output_and_languages
@_formats_option("baseline", "md,html,json")
@usage_columns
@usage_source
@click.option("--write", "write", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write the proposed charter here, in the input's syntax, comments kept.")
def baseline_command(charter: str, tickets: str, outages: str | None, first: str, last: str,
                     out: str, lang: str, fmt: str, columns: tuple[str, ...],
                     profile: str | None, input_timezone: str | None,
                     exclude_status: str | None, write: str | None) -> None:
    """Compare a window of tickets with a charter; propose its next baseline.

    Volumes, shares and roles, features, demand outside the tier's hours, weekday and
    weekend turnaround, per client. Writes OUT/<charter>/baseline-<from>--<to>/. With
    --write, the charter with volume, share, needs.features and baseline.reviewed
    updated. See docs/baseline.md.
    """
    _require("reports", "charterc baseline")
    from .baseline import baseline, parse_request

    request = parse_request(charter, tickets, outages, first, last, out, lang, fmt, columns,
                            write, profile, input_timezone, exclude_status)
    sys.exit(baseline(request))


@main.command("release")
@click.argument("paths", nargs=-1, type=click.Path(), metavar="[CHARTERS]...")
@click.option("--since", required=True, metavar="REF",
              help="The previous release: a tag or a commit (the notes say what changed since).")
@click.option("-o", "--output", "out", default="release", show_default=True,
              type=click.Path(file_okay=False),
              help="Output folder: new, empty, or a previous release (its files are replaced).")
@click.option("--lang", default="en", show_default=True, metavar="LANGS",
              help="Languages, comma-separated, e.g. en,fr.")
@_formats_option("charter", "md,html,pdf")
@click.option("--sign", "key", type=click.Path(dir_okay=False), metavar="KEY.p12",
              help="Sign every PDF (PAdES) with this PKCS#12 key and certificate; its "
                   "password from CHARTERC_SIGN_PASSWORD (needs charterc[sign]).")
@today_option("The date the documents show and the checks use (default: SOURCE_DATE_EPOCH, "
              "else the date of the commit checked out).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Processes compiling charters (default: the CPU count).")
def release_command(paths: tuple[str, ...], since: str, out: str, lang: str, fmt: str,
                    key: str | None, today: str | None, jobs: int | None) -> None:
    """Publish a release: documents, notes since REF, client bundles, SHA256SUMS.

    Builds every document of CHARTERS (default: charters/) into DIR (-o), with
    RELEASE-NOTES.md (per charter and client, what changed since REF and the semver
    verdict), clients/<client>.zip (a client's agreements and its sla.json) and
    SHA256SUMS. Exit 1 when a version is bumped less than its changes require (G706).
    See docs/release.md.
    """
    from ..release import ReleaseProblem, ReleaseRequest, release
    from ..render.findings import reporter

    request = ReleaseRequest(paths or ("charters",), since, out,
                             langs=_nonempty_list(lang, "--lang"),
                             formats=_nonempty_list(fmt, "--format"), sign=key,
                             password=os.environ.get("CHARTERC_SIGN_PASSWORD"),
                             today=_today(today), jobs=jobs)

    def progress(line: str) -> None:
        click.echo(f"charterc release: {visible(line)}", err=True)

    try:
        result = release(request, progress)
    except ReleaseProblem as exc:
        click.echo(f"charterc release: {visible(str(exc))}", err=True)
        sys.exit(EXIT_USAGE)
    if not result.build.published:
        click.echo(reporter("text")(result.build.check, color=False), nl=False)
        for line in result.build.log:
            click.echo(line)
        click.echo(f"charterc release: nothing written in {out}: fix the charters first",
                   err=True)
        sys.exit(result.exit_code)
    diff = result.diff
    assert diff is not None
    for charter in diff.charters:
        state = ("unchanged" if not charter.changes else
                 f"{charter.old_version or 'new'} -> {charter.new_version or 'removed'}, "
                 f"requires {charter.required}")
        click.echo(f"{charter.id}: {state}")
        for d in charter.diagnostics:
            click.echo(f"  {d.file}:{d.line}:{d.column}: error[{d.rule}]: {visible(d.message)}")
            click.echo(f"    hint: {visible(d.hint)}")
    for d in diff.problems:
        click.echo(f"{d.file}:{d.line}:{d.column}: error[{d.rule}]: {visible(d.message)} "
                   "(not compared)")
    click.echo(f"released {len(result.build.built)} charter(s) and {len(result.bundles)} "
               f"client bundle(s): {len(result.files)} files in {out}"
               + (f"; {result.signed} PDF(s) signed" if result.signed else ""))
    if result.exit_code:
        click.echo("charterc release: the release fails: see RELEASE-NOTES.md", err=True)
    sys.exit(result.exit_code)


from .itsm import drift_command, export_command  # noqa: E402 - the commands need `main`'s helpers

main.add_command(export_command)
main.add_command(drift_command)
