"""`RELEASE-NOTES.md`: what changed in each charter since the previous release, per client.

For each charter that changed: its version change, the semver verdict of `charterc diff`
(the bump its changes require, the bump made, and the G706 finding when the version falls
short, with its hint), then per client what it signs differently (the changes of the diff
that concern it, weakenings first), and the changes every client shares. Charters added
and removed come next, then the unchanged ones, listed as such, and the charters that
could not be compared. The head says which documents were built and whether the PDFs are
signed. The same release gives the same bytes (no clock, no machine, no path).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..diff import CharterDiff
    from ..diff.changes import Change
    from ..release import ReleaseNotes

__all__ = ["render_notes"]

NOTES = "RELEASE-NOTES.md"


def _cell(text: str) -> str:
    return (str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ") or " ")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _verdict(diff: CharterDiff) -> str:
    made = "no bump" if diff.made in (None, "none") else f"a {diff.made} bump"
    if diff.diagnostics:
        return (f"**the changes require a {diff.required} bump; {diff.old_version} -> "
                f"{diff.new_version} is {made}** (G706: the release fails)")
    return (f"the changes require a {diff.required} bump; {diff.old_version} -> "
            f"{diff.new_version} is {made}")


def _change(c: Change) -> str:
    effect = f"**{c.effect}**" if c.effect == "weakening" else c.effect
    line = f"- {effect} ({c.bump}): {c.subject}: {c.before} -> {c.after}"
    return line + (f" ({c.note})" if c.note else "")


def _changed(notes: ReleaseNotes, diff: CharterDiff) -> list[str]:
    title = notes.titles.get(diff.id, diff.id)
    mark = " ❌" if diff.diagnostics else ""
    out = [f"## `{diff.id}` {title}: {diff.old_version} -> {diff.new_version}{mark}", "",
           f"Semver verdict: **{diff.required}**: {_verdict(diff)}.", ""]
    for d in diff.diagnostics:
        out += [f"> **{d.rule}** `{d.file}:{d.line}`: {d.message}  ", f"> {d.hint}", ""]
    order: list[str | None] = []
    for change in diff.changes:
        if change.client is not None and change.client not in order:
            order.append(change.client)
    names = notes.clients.get(diff.id, {})
    for client in order:
        mine = [c for c in diff.changes if c.client == client]
        assert client is not None
        name = names.get(client)
        out += [f"### {name} (`{client}`)" if name else f"### `{client}`", "",
                "What it signs differently:", ""]
        out += [_change(c) for c in mine]
        if name:  # still a client: its new agreement is in its bundle
            out += ["", f"Its agreement to sign: `clients/{client}.zip`."]
        out.append("")
    shared = [c for c in diff.changes if c.client is None]
    if shared:
        out += ["### All clients", ""]
        out += [_change(c) for c in shared]
        out.append("")
    return out


def render_notes(notes: ReleaseNotes) -> str:
    """The release notes as Markdown."""
    result = notes.diff
    changed = [d for d in result.charters if d.changes and d.made is not None]
    added = [d for d in result.charters if d.old_version is None]
    removed = [d for d in result.charters if d.new_version is None]
    unchanged = [d for d in result.charters if not d.changes]
    failing = [d for d in result.charters if d.diagnostics]
    out = [f"# Release notes: changes since `{notes.since}`", "",
           f"{_plural(len(result.charters), 'charter')}: {len(changed)} changed, "
           f"{len(added)} added, {len(removed)} removed, {len(unchanged)} unchanged"
           + (f", {len(result.problems)} not compared" if result.problems else "") + ".", ""]
    if failing:
        out += [f"**This release fails (exit 1): {_plural(len(failing), 'charter')} "
                "bumped its version less than its changes require (G706): "
                + ", ".join(f"`{d.id}`" for d in failing) + ".**", ""]
    from .formats import FORMATS
    labels = [FORMATS[f].label if f in FORMATS else f for f in notes.formats]
    out += [f"Documents: {', '.join(labels)}; languages: {', '.join(notes.langs)}"
            + (f", dated {notes.day.isoformat()}" if notes.day else "") + ".  ",
            (f"Signatures: every PDF carries a PAdES signature by {notes.signed_by} "
             "(its time is the signing moment's)." if notes.signed_by else
             "Signatures: none: the PDFs are not signed (`charterc release --sign KEY.p12` "
             "signs them)." if "pdf" in notes.formats else
             "Signatures: none: no PDF was built."), ""]
    for diff in changed:
        out += _changed(notes, diff)
    if added:
        out += ["## Added", ""]
        out += [f"- `{d.id}` {notes.titles.get(d.id, d.id)}: new, version {d.new_version}"
                for d in added]
        out.append("")
    if removed:
        out += ["## Removed", ""]
        out += [f"- `{d.id}`: removed (was version {d.old_version}); every client of it "
                "loses the service" for d in removed]
        out.append("")
    if unchanged:
        out += ["## Unchanged", ""]
        out += [f"- `{d.id}` {notes.titles.get(d.id, d.id)} {d.new_version}: unchanged"
                for d in unchanged]
        out.append("")
    if result.problems:
        out += ["## Not compared: these do not load", ""]
        out += [f"- `{d.file}:{d.line}:{d.column}` **{d.rule}**: {_cell(d.message)}"
                for d in result.problems]
        out.append("")
    return "\n".join(out)
