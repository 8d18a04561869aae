"""Options more than one command declares, declared once, and the values they share.

The decorators are applied when the commands are defined; the parsers run when a
command does (`report` and `baseline` read usage files alike, under one progress bar).
"""
from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

__all__ = ["columns", "input_zone", "languages", "output_and_languages", "reading_bar",
           "today_option", "usage_columns", "usage_source"]

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]

_TODAY_HELP = ("The date baseline rules compare with "
               "(default: SOURCE_DATE_EPOCH, else the clock).")


def _stacked(*options: Decorator) -> Decorator:
    """One decorator applying `options` in the order listed (as stacked decorators would)."""
    def apply(command: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            command = option(command)
        return command
    return apply


def today_option(text: str = _TODAY_HELP) -> Decorator:
    """`--today YYYY-MM-DD`: the day the rules compare dates with (read by `cli._today`);
    `text`: its help, where the command uses the day for more."""
    return click.option("--today", metavar="YYYY-MM-DD", help=text)


output_and_languages = _stacked(
    click.option("-o", "--output", "out", default="reports", show_default=True,
                 type=click.Path(file_okay=False), help="Output folder."),
    click.option("--lang", default="en", show_default=True, metavar="LANGS",
                 help="Languages, comma-separated, e.g. en,fr."))
usage_columns = click.option(
    "--columns", multiple=True, metavar="NAME=HEADER,...",
    help="Header names of other tools, e.g. opened=created_at,resolved=closed_at.")
usage_source = _stacked(
    click.option("--profile", type=click.Choice(["servicenow", "jira"]),
                 help="Read the files as that tool exports them (columns, priorities, dates)."),
    click.option("--input-timezone", "input_timezone", metavar="ZONE",
                 help="IANA zone of times written without a UTC offset "
                      "(required with --profile)."),
    click.option("--exclude-status", "exclude_status", metavar="STATUSES",
                 help="Ticket statuses left out of every figure, comma-separated, any case "
                      "(default: canceled,cancelled; '' for none). Read from the status "
                      "column (ServiceNow state, Jira Status)."))


def exclude_statuses(text: str | None) -> tuple[str, ...] | None:
    """`--exclude-status`: the statuses, or None for the default (canceled, cancelled)."""
    if text is None:
        return None
    return tuple(s.strip() for s in text.split(",") if s.strip())


def columns(values: tuple[str, ...]) -> dict[str, str]:
    """`--columns`: canonical column -> the header in the files."""
    from ..report import parse_columns
    try:
        return parse_columns(values)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--columns") from exc


def languages(lang: str) -> list[str]:
    """`--lang`: the languages `build` knows (the same catalogues); any other is a usage error,
    whatever the formats (JSON has no language, but a typo is still a typo)."""
    from ..render.i18n import languages as known_languages
    from . import _nonempty_list
    langs, known = _nonempty_list(lang, "--lang"), known_languages()
    for name in langs:
        if name not in known:
            raise click.BadParameter(f"no catalogue for language {name!r}: known languages are "
                                     f"{', '.join(known)}", param_hint="--lang")
    return langs


def input_zone(zone: str | None, profile: str | None) -> str | None:
    """`--input-timezone`: an IANA zone; required with a profile (its times have no offset)."""
    if zone is None:
        if profile is not None:
            raise click.UsageError(f"--profile {profile} reads times written without a UTC "
                                   "offset: give the zone they are in, e.g. "
                                   "--input-timezone Europe/Paris")
        return None
    from ..calendar import zone_problem
    problem = zone_problem(zone)
    if problem:
        raise click.BadParameter(problem, param_hint="--input-timezone")
    return zone


@contextlib.contextmanager
def reading_bar(tickets: Path) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr for a large ticket file read on a terminal, shown from the
    first rows read (nothing is shown while the charter is checked)."""
    size = tickets.stat().st_size
    if not (sys.stderr.isatty() and size > 8 << 20):
        yield None
        return
    bar = click.progressbar(length=size, label="reading tickets", file=sys.stderr)
    with contextlib.ExitStack() as stack:
        shown = False

        def update(read: int) -> None:
            nonlocal shown
            if not shown:   # the first rows: the bar appears
                stack.enter_context(bar)
                shown = True
            bar.update(read)
        yield update
