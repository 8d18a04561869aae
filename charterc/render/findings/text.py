"""Compiler-style text: `file:line:col: error[S201]: message`, the source line, a caret,
the hint, and the title of each fix the finding carries (an editor or SARIF applies it)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...diagnostics import Diagnostic, Severity
from . import visible

if TYPE_CHECKING:
    from ...pipeline import PortfolioResult

_COLORS = {Severity.ERROR: "\033[1;31m", Severity.WARNING: "\033[1;33m",
           Severity.INFO: "\033[1;36m"}
_RESET = "\033[0m"


def format_diagnostic(d: Diagnostic, source_line: str | None, *, color: bool = False) -> str:
    level = d.severity or Severity.ERROR
    severity = level.value
    if color:
        severity = f"{_COLORS[level]}{severity}{_RESET}"
    message = visible(d.message, keep="\n")  # a line break is harmless; ESC, CR, ... are not
    head = f"{visible(d.file)}:{d.line}:{d.column}: {severity}[{d.rule}]: {message}"
    lines = [head]
    if source_line is not None:
        number = str(d.line)
        pad = " " * len(number)
        text = visible(source_line.replace("\t", " "))
        lines.append(f" {number} | {text}")
        lines.append(f" {pad} | {' ' * (d.column - 1)}^")
    if d.hint:
        lines.append("   = hint: " + visible(d.hint, keep="\n"))
    lines.extend("   = fix: " + visible(fix.title) for fix in d.fixes)
    return "\n".join(lines)


def summary(result: PortfolioResult) -> str:
    counts = result.counts()
    suppressed = sum(1 for d in result.diagnostics if d.suppressed)
    files = len(result.files)

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    text = (f"{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}"
            f" in {plural(files, 'file')}")
    if counts["info"]:
        text += f", {counts['info']} info"
    if suppressed:
        text += f" ({suppressed} suppressed)"
    return text


def report(result: PortfolioResult, *, color: bool = False) -> str:
    sources = {f.file: f.loaded.sources for f in result.files}
    blocks = []
    for d in result.diagnostics:
        if d.suppressed:
            continue
        source = sources.get(d.file)
        blocks.append(format_diagnostic(d, source.source_line(d.line) if source else None,
                                        color=color))
    blocks.append(summary(result))
    return "\n\n".join(blocks) + "\n"
