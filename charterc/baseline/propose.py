"""`--write`: the proposed charter, the input's own text with a few values edited in place.

The file is never re-dumped. Each changed value is replaced at the position the loader's
`SourceMap` gives for its JSON pointer (YAML and DSL alike), from the last edit up, so
comments, layout, quoting and key order stay as written. A field the proposal needs and
the file lacks (a `growth`, `needs.features`, a whole `volume` or `baseline`) is inserted
beside its neighbours in the style around it: a flow mapping gains `, key: value`, a block
mapping a line at its keys' indentation, a DSL block a statement at its indentation.

Only the fields of spec section 10 change: `volume` (units, growth), `share` (where
stated), `needs.features` and `baseline.reviewed`. The result is loaded again and its
canonical document compared with the expected one; a mismatch is a `ProposalError`, never
a wrong file.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import CharterError
from ..loaders import Loaded, load_bytes, loader_for
from .compare import Baseline
from .types import Proposal, StaleComment

__all__ = ["ProposalError", "propose", "propose_text", "propose_with_notes",
           "stale_comments"]


class ProposalError(CharterError):
    """The proposal cannot be written in place (a layout the editor does not know)."""


@dataclass(frozen=True)
class _Edit:
    line: int        # 1-based
    start: int       # 0-based column of the first replaced character
    end: int         # 0-based column after the last replaced character
    text: str
    new_line: bool = False  # insert `text` as a whole line after `line` (start, end unused)


class _Source:
    """The lines of the file and the positions of its values."""

    def __init__(self, text: str, loaded: Loaded, dsl: bool) -> None:
        self.lines = text.splitlines(keepends=True)
        self.sources, self.dsl = loaded.sources, dsl

    def where(self, pointer: str) -> tuple[int, int] | None:
        hit = self.sources.values.get(pointer)
        return None if hit is None else (hit[0], hit[1] - 1)

    def key(self, pointer: str) -> tuple[int, int] | None:
        hit = self.sources.keys.get(pointer)
        return None if hit is None else (hit[0], hit[1] - 1)

    def text(self, line: int) -> str:
        return self.lines[line - 1].rstrip("\r\n")

    def token_end(self, line: int, start: int) -> int:
        """End column of the scalar (or flow list) that starts at `start`."""
        text = self.text(line)
        if start >= len(text):
            raise ProposalError(f"line {line}: no value at column {start + 1}")
        first = text[start]
        if first in "\"'":
            i = start + 1
            while i < len(text):
                if text[i] == "\\" and first == '"':
                    i += 2
                    continue
                if text[i] == first:
                    if first == "'" and text[i + 1:i + 2] == "'":
                        i += 2
                        continue
                    return i + 1
                i += 1
            raise ProposalError(f"line {line}: a quoted value runs past its line")
        if first == "[":
            depth = 0
            for i in range(start, len(text)):
                depth += {"[": 1, "]": -1}.get(text[i], 0)
                if depth == 0:
                    return i + 1
            raise ProposalError(f"line {line}: a list runs past its line")
        stops = " \t,}" if self.dsl else ",]}#"
        i = start
        while i < len(text) and text[i] not in stops:
            if not self.dsl and text[i] in " \t" and text[i + 1:i + 2] == "#":
                break
            i += 1
        while i > start and text[i - 1] in " \t":
            i -= 1
        return i

    def quoted(self, line: int, start: int, value: str) -> str:
        """`value` in the quotes the replaced value was written in, if any."""
        first = self.text(line)[start]
        if first == '"':
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if first == "'":
            return "'" + value.replace("'", "''") + "'"
        return value

    def indent(self, line: int) -> str:
        text = self.text(line)
        return text[:len(text) - len(text.lstrip())]

    def eol(self, line: int) -> str:
        raw = self.lines[line - 1]
        return raw[len(raw.rstrip("\r\n")):] or "\n"


def _replace(src: _Source, pointer: str, value: str) -> _Edit | None:
    at = src.where(pointer)
    if at is None:
        return None
    line, start = at
    end = src.token_end(line, start)
    return _Edit(line, start, end, src.quoted(line, start, value))


def _yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _flow_open(src: _Source, pointer: str) -> tuple[int, int] | None:
    """Position just after the `{` of a flow mapping at `pointer`, or None (block)."""
    at = src.where(pointer)
    if at is None:
        return None
    line, start = at
    return (line, start + 1) if src.text(line)[start:start + 1] == "{" else None


def _yaml_add(src: _Source, mapping: str, key: str, value: str, after: str) -> _Edit:
    """Add `key: value` to the YAML mapping at `mapping`: first in a flow mapping, or a new
    line after the line of `after` (a key of that mapping) at its indentation."""
    flow = _flow_open(src, mapping)
    value_at = src.where(after)
    if flow is not None and value_at is not None and value_at[0] == flow[0] and \
            after.startswith(mapping + "/"):
        end = src.token_end(*value_at)   # after its neighbour: {units: 6000, growth: 2%}
        return _Edit(value_at[0], end, end, f", {key}: {value}")
    if flow is not None:
        line, column = flow
        rest = src.text(line)[column:].lstrip()
        sep = "" if rest.startswith("}") else ", "
        return _Edit(line, column, column, f"{key}: {value}{sep}")
    at = src.key(after)
    if at is None:
        raise ProposalError(f"cannot place {key} in {mapping or '/'}")
    line, column = at
    if src.text(line)[:column].strip() not in ("", "-"):
        # a flow mapping on one line that holds the key: add after its value
        end = src.token_end(*value_at) if value_at is not None else column
        return _Edit(line, end, end, f", {key}: {value}")
    last = _last_line(src, after, line)
    return _Edit(last, 0, 0, " " * column + f"{key}: {value}", new_line=True)


def _last_line(src: _Source, pointer: str, line: int) -> int:
    """The last line of the value at `pointer` (a block value may span lines)."""
    last = line
    prefix = pointer + "/"
    for p, (ln, _) in src.sources.values.items():
        if p.startswith(prefix) and ln > last:
            last = ln
    return last


def _dsl_add(src: _Source, after: str, statement: str) -> _Edit:
    at = src.key(after) or src.where(after)
    if at is None:
        raise ProposalError(f"cannot place `{statement}`")
    line = at[0]
    return _Edit(line, 0, 0, src.indent(line) + statement, new_line=True)


# -- the edits of one client ---------------------------------------------------------------

def _volume(src: _Source, base: str, doc: Mapping[str, object], proposal: Proposal,
            edits: list[_Edit]) -> None:
    volume = doc.get("volume")
    units, growth = str(proposal["units"]), proposal.get("growth")
    if isinstance(volume, dict) and "units" in volume:
        if volume["units"] != proposal["units"]:
            edit = _replace(src, f"{base}/volume/units", units)
            if edit is not None:
                edits.append(edit)
        if growth is None:
            return
        if "growth" in volume:
            if volume["growth"] != growth:
                edit = _replace(src, f"{base}/volume/growth", growth)
                if edit is not None:
                    edits.append(edit)
        elif src.dsl:
            at = src.where(f"{base}/volume/units")
            assert at is not None
            end = src.token_end(*at)
            edits.append(_Edit(at[0], end, end, f" growing {growth}"))
        else:
            edits.append(_yaml_add(src, f"{base}/volume", "growth", growth,
                                   f"{base}/volume/units"))
        return
    if isinstance(volume, dict):
        raise ProposalError(f"{base}/volume states no units: edit it by hand")
    grown = f" growing {growth}" if growth is not None else ""
    if src.dsl:
        edits.append(_dsl_add(src, f"{base}/tier", f"volume {units}{grown}"))
    else:
        inner = f"units: {units}" + (f", growth: {growth}" if growth is not None else "")
        edits.append(_yaml_add(src, base, "volume", "{" + inner + "}", f"{base}/tier"))


def _features(src: _Source, base: str, doc: Mapping[str, object], features: list[str],
              edits: list[_Edit]) -> None:
    needs = doc.get("needs")
    current = needs.get("features") if isinstance(needs, dict) else None
    if current == features:
        return
    pointer = f"{base}/needs/features"
    if current is not None:
        at = src.where(pointer)
        if at is None:
            raise ProposalError(f"no position for {pointer}")
        line, start = at
        text = src.text(line)
        if src.dsl:
            end = src.token_end(line, start) if text[start] == "[" else len(
                text.split(" #")[0].rstrip()) if " #" in text else len(text.rstrip())
            edits.append(_Edit(line, start, end, ", ".join(features)))
        elif text[start] == "[":
            edits.append(_Edit(line, start, src.token_end(line, start), _yaml_list(features)))
        elif text[start] == "-":
            _block_list(src, pointer, current, features, edits)
        else:
            raise ProposalError(f"{pointer}: a layout the editor does not know")
        return
    if src.dsl:
        edits.append(_dsl_add(src, f"{base}/tier", "needs features " + ", ".join(features)))
    elif isinstance(needs, dict):
        after = f"{base}/needs/{next(iter(needs))}" if needs else f"{base}/needs"
        edits.append(_yaml_add(src, f"{base}/needs", "features", _yaml_list(features), after))
    else:
        edits.append(_yaml_add(src, base, "needs", "{features: " + _yaml_list(features) + "}",
                               f"{base}/tier"))


def _block_list(src: _Source, pointer: str, current: list[Any], features: list[str],
                edits: list[_Edit]) -> None:
    """A block sequence (`- item` lines): the items kept stay on their lines with their
    comments; a dropped item's line keeps its comment alone; new items follow the last."""
    lines = []
    for i in range(len(current)):
        at = src.where(f"{pointer}/{i}")
        if at is None:
            raise ProposalError(f"no position for {pointer}/{i}")
        lines.append(at)
    for item, (line, column) in zip(current, lines, strict=True):
        if item in features:
            continue
        text = src.text(line)
        comment = _COMMENT.search(text[column:])
        dash = text.rindex("-", 0, column)
        edits.append(_Edit(line, 0, len(text), text[:dash] + comment.group(2)
                           if comment else "\0"))
    added = [f for f in features if f not in current]
    if added:
        last, column = max(lines)
        text = src.text(last)
        pad = text[:text.rindex("-", 0, column)]
        edits.append(_Edit(last, 0, 0, "\n".join(f"{pad}- {f}" for f in added),
                           new_line=True))


def _reviewed(src: _Source, document: Mapping[str, object], day: str,
              edits: list[_Edit]) -> None:
    baseline = document.get("baseline")
    if isinstance(baseline, dict) and "reviewed" in baseline:
        if baseline["reviewed"] != day:
            edit = _replace(src, "/baseline/reviewed", day)
            if edit is not None:
                edits.append(edit)
        return
    if src.dsl:
        if isinstance(baseline, dict):
            at = src.key("/baseline") or src.where("/baseline")
            assert at is not None
            line = at[0]
            column = src.text(line).index("baseline") + len("baseline")
            edits.append(_Edit(line, column, column, f" reviewed {day}"))
        else:
            edits.append(_dsl_add(src, "/period", f"baseline reviewed {day}"))
        return
    if isinstance(baseline, dict):
        first = next(iter(baseline), None)
        edits.append(_yaml_add(src, "/baseline", "reviewed", day,
                               f"/baseline/{first}" if first else "/baseline"))
    else:
        edits.append(_yaml_add(src, "", "baseline", "{reviewed: " + day + "}", "/period"))


# -- applying them --------------------------------------------------------------------------

def _apply(src: _Source, edits: list[_Edit]) -> str:
    lines = list(src.lines)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"
    for e in sorted(edits, key=lambda e: (e.line, e.new_line, e.start), reverse=True):
        raw = lines[e.line - 1]
        body, eol = raw.rstrip("\r\n"), src.eol(e.line)
        if e.new_line:
            lines.insert(e.line, e.text.replace("\n", eol) + eol)
        elif e.text == "\0":
            lines[e.line - 1] = ""
        else:
            lines[e.line - 1] = body[:e.start] + e.text + _aligned(body[e.end:], len(
                e.text) - (e.end - e.start)) + eol
    text = "".join(lines)
    if src.lines and not src.lines[-1].endswith(("\n", "\r")):
        text = text.rstrip("\r\n")  # the input had no final newline: neither has the proposal
    return text


_COMMENT = re.compile(r"(\s+)(#.*)$")


def _aligned(rest: str, grown: int) -> str:
    """The rest of an edited line, its trailing comment kept in its column when the spaces
    before it allow (at least one space stays)."""
    match = _COMMENT.fullmatch(rest)
    if match is None or not grown:
        return rest
    return " " * max(1, len(match.group(1)) - grown) + match.group(2)


def _expected(document: dict[str, Any], result: Baseline) -> dict[str, Any]:
    """The charter's canonical document (free-form, as loaded) with the proposal applied."""
    out = copy.deepcopy(document)
    out.setdefault("baseline", {})["reviewed"] = result.reviewed.isoformat()
    for i, client in enumerate(out.get("clients", [])):
        proposal = result.proposals.get(client.get("id"))
        if not proposal:
            continue
        volume = client.setdefault("volume", {})
        volume["units"] = proposal["units"]
        if "growth" in proposal:
            volume["growth"] = proposal["growth"]
        if "share" in proposal and "share" in client:
            client["share"] = proposal["share"]
        if "features" in proposal:
            client.setdefault("needs", {})["features"] = proposal["features"]
        out["clients"][i] = client
    return out


def _same(a: Any, b: Any) -> bool:
    """Documents equal, mappings compared without their key order."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


_DSL = re.compile(r"\.charter$")


def propose_text(text: str, loaded: Loaded, result: Baseline, name: str) -> str:
    """The proposal for the charter `text` (loaded as `loaded`) named `name`."""
    return proposed_with_notes(text, loaded, result, name)[0]


def stale_comments(src: _Source, edits: list[_Edit]) -> list[StaleComment]:
    """The comments kept on lines whose value the proposal changes (spec section 10.2):
    they may state the old figure (`share: 57.4%  # 57.3%`). Lines as in the proposal."""
    found: dict[int, StaleComment] = {}
    for e in edits:
        if e.new_line or e.text == "\0":
            continue
        comment = _COMMENT.search(src.text(e.line).rstrip("\r\n")[e.end:])
        if comment is None:
            continue
        shift = sum(other.text.count("\n") + 1 for other in edits
                    if other.new_line and other.line < e.line) \
            - sum(1 for other in edits if other.text == "\0" and other.line < e.line)
        found[e.line] = {"line": e.line + shift, "comment": comment.group(2)}
    return [found[line] for line in sorted(found)]


def proposed_with_notes(text: str, loaded: Loaded, result: Baseline,
                        name: str) -> tuple[str, list[StaleComment]]:
    """The proposal for the charter `text`, and the comments it keeps that may be stale."""
    document = loaded.document
    if not isinstance(document, dict):
        raise ProposalError("the charter did not load")
    src = _Source(text, loaded, dsl=bool(_DSL.search(name)))
    edits: list[_Edit] = []
    _reviewed(src, document, result.reviewed.isoformat(), edits)
    for i, client in enumerate(document.get("clients") or []):
        proposal = result.proposals.get(str(client.get("id"))) if isinstance(client, dict) \
            else None
        if not proposal:
            continue
        base = f"/clients/{i}"
        if "share" in proposal and "share" in client and client["share"] != proposal["share"]:
            edit = _replace(src, f"{base}/share", proposal["share"])
            if edit is not None:
                edits.append(edit)
        _volume(src, base, client, proposal, edits)
        if "features" in proposal:
            _features(src, base, client, proposal["features"], edits)
    proposed = _apply(src, edits)
    again = load_bytes(proposed.encode("utf-8"), name, loader=loader_for(name))
    if not again.ok or not _same(again.document, _expected(document, result)):
        raise ProposalError("the edited charter does not read back as proposed; nothing "
                            "written (its layout is one the editor does not know)")
    return proposed, stale_comments(src, edits)


def propose(loaded: Loaded, result: Baseline, path: Path | None = None) -> str:
    """The proposal for the charter file `path` (default: the file `loaded` came from)."""
    return propose_with_notes(loaded, result, path)[0]


def propose_with_notes(loaded: Loaded, result: Baseline, path: Path | None = None
                       ) -> tuple[str, list[StaleComment]]:
    """The proposal for the charter file `path`, and the comments it keeps that may be
    stale."""
    source = Path(path if path is not None else loaded.file)
    try:
        text = source.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProposalError(f"cannot read {source}: {exc}") from None
    return proposed_with_notes(text, loaded, result, source.name)
