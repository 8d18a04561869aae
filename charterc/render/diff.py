"""The diff as text (a terminal, a CI log), JSON (machines) and Markdown (a pull-request
comment or a job summary): per charter, a table per client, weakenings first.

Changes that concern every client (security, term, governance, reporting,
wording) are grouped under "all clients" before the per-client tables.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .findings.text import format_diagnostic

if TYPE_CHECKING:
    from ..diff import CharterDiff, DiffResult
    from ..diff.changes import Change

__all__ = ["RENDERERS", "render_json", "render_markdown", "render_text"]


def _groups(diff: CharterDiff) -> list[tuple[str | None, list[Change]]]:
    """(client or None, its changes) in order: every-client changes first."""
    order: list[str | None] = [None]
    for change in diff.changes:
        if change.client not in order:
            order.append(change.client)
    grouped = [(key, [c for c in diff.changes if c.client == key]) for key in order]
    return [(key, changes) for key, changes in grouped if changes]


def _title(diff: CharterDiff) -> str:
    if diff.old_version and diff.new_version:
        return f"{diff.id} {diff.old_version} -> {diff.new_version}"
    return f"{diff.id} {diff.new_version or diff.old_version}"


def _verdict(diff: CharterDiff) -> str:
    if diff.made is None:
        return f"requires {diff.required}" if diff.required != "none" else "no change"
    if diff.required == "none":
        return "no change in content"
    made = "no bump" if diff.made == "none" else f"a {diff.made} bump"
    return f"requires a {diff.required} bump; made {made}"


def render_text(result: DiffResult, *, color: bool = False) -> str:
    out = [f"charterc diff {result.old} -> {result.new}", ""]
    for diff in result.charters:
        where = diff.new_file or diff.old_file
        out.append(f"{_title(diff)}  ({where}): {_verdict(diff)}")
        for d in diff.diagnostics:
            out.extend("  " + line for line in format_diagnostic(d, None, color=color)
                       .splitlines())
        for client, changes in _groups(diff):
            out.append(f"  {client or 'all clients'}:")
            for c in changes:
                line = f"    {c.effect:<13}  {c.bump:<5}  {c.subject}: {c.before} -> {c.after}"
                out.append(line + (f"  ({c.note})" if c.note else ""))
        out.append("")
    if result.problems:
        out.append("not compared, as they do not load (fix these first: charterc check):")
        out.extend("  " + format_diagnostic(d, None, color=color).splitlines()[0]
                   for d in result.problems)
        out.append("")
    errors = len(result.diagnostics)
    out.append(f"{len(result.charters)} charter{'s' if len(result.charters) != 1 else ''} "
               f"compared, {errors} version error{'s' if errors != 1 else ''} (G706)")
    return "\n".join(out) + "\n"


def render_json(result: DiffResult, *, color: bool = False) -> str:
    from .data import dumps
    return dumps(result)


def _cell(text: str) -> str:
    return (str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")
            or " ")


def render_markdown(result: DiffResult, *, color: bool = False) -> str:
    out = [f"## Charter changes: `{_cell(result.old)}` → `{_cell(result.new)}`", ""]
    if not result.charters and not result.problems:
        out += ["No charter found on either side.", ""]
    for diff in result.charters:
        mark = " ❌" if diff.diagnostics else ""
        out += [f"### `{diff.id}` {_cell(_title(diff).split(' ', 1)[1])}: "
                f"{_verdict(diff)}{mark}", ""]
        for d in diff.diagnostics:
            out += [f"> **{d.rule}** `{_cell(d.file)}:{d.line}`: {_cell(d.message)}  ",
                    f"> {_cell(d.hint)}", ""]
        for client, changes in _groups(diff):
            out += [f"**{client or 'All clients'}**", "",
                    "| Effect | Bump | Change | Before | After | Note |",
                    "|---|---|---|---|---|---|"]
            for c in changes:
                effect = f"**{c.effect}**" if c.effect == "weakening" else c.effect
                out.append(f"| {effect} | {c.bump} | {_cell(c.subject)} | {_cell(c.before)} | "
                           f"{_cell(c.after)} | {_cell(c.note)} |")
            out.append("")
    if result.problems:
        out += ["### Not compared: these do not load", ""]
        out += [f"- `{_cell(d.file)}:{d.line}:{d.column}` **{d.rule}**: {_cell(d.message)}"
                for d in result.problems]
        out.append("")
    return "\n".join(out)


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}
