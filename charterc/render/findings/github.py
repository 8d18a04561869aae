"""GitHub Actions: workflow-command annotations, then the complete text log.

Each unsuppressed finding becomes one line

    ::error file=charters/a.charter.yaml,line=14,col=12,title=C401 (charterc)::message

(`warning` for warnings, `notice` for info), shown on the pull request's diff.
GitHub shows only the first 10 annotations of each type per step, so the
annotations are followed by the full compiler-style log (`reporters/text.py`)
in a collapsed `::group::` whose title is the summary line: nothing is lost
when annotations are capped. The log is wrapped in `::stop-commands::` so that
a charter line that happens to look like a workflow command is printed, not run.

Escaping (what the runner decodes): in the message, `%`, CR and LF; in property
values, also `:` and `,`, which would otherwise end the value.
"""
from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING

from ...diagnostics import Diagnostic, Severity
from . import text, visible
from .sarif import repository_path

if TYPE_CHECKING:
    from ...pipeline import PortfolioResult

__all__ = ["annotation", "auto", "escape_data", "escape_property", "report"]

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic) -> str:
    """One workflow command for one finding."""
    props = [f"file={escape_property(visible(repository_path(d.file)))}"]
    if d.line >= 1:
        props.append(f"line={d.line}")
        if d.column >= 1:
            props.append(f"col={d.column}")
    props.append(f"title={escape_property(f'{d.rule} (charterc)')}")
    # CR and LF are escaped as data (%0D, %0A): the runner shows them as line breaks
    message = visible(d.message, "\r\n")
    if d.hint:
        message += "\nHint: " + visible(d.hint, "\r\n")
    command = _COMMAND[d.severity or Severity.ERROR]
    return f"::{command} {','.join(props)}::{escape_data(message)}"


def report(result: PortfolioResult, *, color: bool = False) -> str:
    lines = [annotation(d) for d in result.diagnostics if not d.suppressed]
    log = text.report(result, color=color)
    # a token the log cannot contain: derived from the log itself (and reproducible)
    token = "charterc-" + hashlib.sha256(log.encode("utf-8")).hexdigest()[:16]
    lines += [f"::group::{escape_data('charterc: ' + text.summary(result))} (full log)",
              f"::stop-commands::{token}", log.rstrip("\n"), f"::{token}::", "::endgroup::"]
    return "\n".join(lines) + "\n"


def auto(result: PortfolioResult, *, color: bool = False) -> str:
    """`github` under GitHub Actions (GITHUB_ACTIONS=true), `text` everywhere else."""
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return report(result, color=color)
    return text.report(result, color=color)
