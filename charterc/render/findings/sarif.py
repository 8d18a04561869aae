"""SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps, IDE viewers).

One run, tool `charterc`. `tool.driver.rules` lists the whole catalogue (not only
the rules that fired), so a viewer can explain any result and a result's
`ruleIndex` stays valid. Locations are URIs relative to the repository root
(`uriBaseId: %SRCROOT%`), so the log does not depend on where it was produced.

`partialFingerprints["charterc/v1"]` identifies a finding across commits: a hash of
the rule, the file and the JSON pointer of the offending value (plus a counter for
repeated findings at one place) - never the line, which moves when lines are
added above. Suppressed findings (`metadata.suppress`) are kept with an
`inSource` suppression and the stated reason, so the platform shows them as
dismissed rather than losing them.

A finding that carries fixes (`Diagnostic.fixes`) has them as SARIF `fixes`: each a
description (the fix's title) and the replacements in its file, regions in the same
code-point columns as the locations (an insertion is an empty region).
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ... import __version__
from ...diagnostics import Diagnostic, Fix, Severity

if TYPE_CHECKING:
    from ...diagnostics.rules import Rule
    from ...pipeline import PortfolioResult

__all__ = ["SARIF_SCHEMA", "report", "repository_path", "sarif_log"]

SARIF_SCHEMA = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                "sarif-schema-2.1.0.json")
INFORMATION_URI = "https://github.com/charterc/charterc"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# rule id letter -> tag shown by code-scanning filters
_AREA = {"P": "loading", "S": "schema", "R": "references", "C": "cost", "V": "coverage",
         "T": "service-levels", "G": "governance", "D": "security", "M": "reporting",
         "I": "itsm-drift"}


def _repository_root(start: Path) -> Path | None:
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace:
        return Path(workspace).resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def repository_path(file: str) -> str:
    """`file` as a POSIX path relative to the repository root (else as given).

    Code scanning and workflow annotations resolve paths against the repository
    root, which need not be the working directory charterc was run from.
    """
    if not file or file.startswith("<"):
        return file
    path = Path(file).resolve()
    root = _repository_root(Path.cwd().resolve())
    if root is not None and path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    return Path(file).as_posix()


def _uri(relative: str) -> dict[str, Any]:
    """The artifact location of a file given by its `repository_path`."""
    if Path(relative).is_absolute():
        return {"uri": Path(relative).as_uri()}
    return {"uri": quote(relative, safe="/"), "uriBaseId": "%SRCROOT%"}


def _catalogue() -> list[Rule]:
    from ...diagnostics.rules import RULES
    return sorted(RULES.values(), key=lambda r: r.id)


def _descriptor(entry: Rule) -> dict[str, Any]:
    title = entry.title
    body = entry.doc.split("\n", 1)[1].strip() if "\n" in entry.doc else ""
    summary = body.split("\nFails:")[0].split("\nPasses:")[0].strip() or title
    return {
        "id": entry.id,
        "shortDescription": {"text": title},
        "fullDescription": {"text": summary},
        "help": {"text": entry.doc,
                 "markdown": f"**{entry.id}**: {title}\n\n```\n{body}\n```" if body else title},
        "defaultConfiguration": {"level": _LEVEL[entry.severity]},
        "properties": {"tags": ["charterc", _AREA.get(entry.id[:1], "other")]},
    }


def _fingerprint(d: Diagnostic, uri: str, occurrence: int) -> str:
    key = f"{d.rule}\0{uri}\0{d.pointer or f'{d.line}:{d.column}'}\0{occurrence}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _location(file: str, line: int, column: int,
              artifacts: dict[str, tuple[int, str]]) -> dict[str, Any]:
    """A physical location; `artifacts` (file -> index, repository path) gains the file if new."""
    if file not in artifacts:  # repository_path resolves on disk: once per file
        artifacts[file] = (len(artifacts), repository_path(file))
    index, relative = artifacts[file]
    artifact = _uri(relative)
    artifact["index"] = index
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if line >= 1:
        physical["region"] = {"startLine": line, "startColumn": max(column, 1)}
    return {"physicalLocation": physical}


def _fix(fix: Fix, location: dict[str, Any]) -> dict[str, Any]:
    """SARIF 2.1.0 `fix` (section 3.55): the edits of one fix, in the finding's file."""
    artifact = dict(location["physicalLocation"]["artifactLocation"])
    replacements = []
    for edit in fix.edits:
        replacement: dict[str, Any] = {"deletedRegion": {
            "startLine": edit.line, "startColumn": edit.column,
            "endLine": edit.end_line, "endColumn": edit.end_column}}
        if edit.text:
            replacement["insertedContent"] = {"text": edit.text}
        replacements.append(replacement)
    return {"description": {"text": fix.title},
            "artifactChanges": [{"artifactLocation": artifact, "replacements": replacements}]}


def _reasons(result: PortfolioResult) -> dict[tuple[str, str], str]:
    """(file, rule) -> the reason stated in that charter's `metadata.suppress`.

    Read from the model (or the check cache): a file without a charter has no
    suppression applied.
    """
    reasons: dict[tuple[str, str], str] = {}
    for f in result.files:
        for rule, reason in f.suppressions:
            reasons[(f.file, rule)] = reason
    return reasons


def sarif_log(result: PortfolioResult) -> dict[str, Any]:
    """The SARIF log of a checked portfolio, as a JSON-compatible dict."""
    rules = _catalogue()
    index = {entry.id: n for n, entry in enumerate(rules)}
    reasons = _reasons(result)
    artifacts = {f.file: (n, repository_path(f.file)) for n, f in enumerate(result.files)}
    seen: dict[tuple[str, str, str | tuple[int, int]], int] = {}
    results: list[dict[str, Any]] = []
    for d in result.diagnostics:
        location = _location(d.file, d.line, d.column, artifacts)
        uri = artifacts[d.file][1]
        place = (d.rule, uri, d.pointer or (d.line, d.column))
        occurrence = seen[place] = seen.get(place, -1) + 1
        text = d.message + (f"\nHint: {d.hint}" if d.hint else "")
        item: dict[str, Any] = {"ruleId": d.rule, "level": _LEVEL[d.severity or Severity.ERROR],
                      "message": {"text": text},
                      "locations": [location],
                      "partialFingerprints": {"charterc/v1": _fingerprint(d, uri, occurrence)}}
        if d.rule in index:
            item["ruleIndex"] = index[d.rule]
        if d.pointer:
            item["locations"][0]["logicalLocations"] = [
                {"fullyQualifiedName": d.pointer, "kind": "object"}]
        if d.related:
            item["relatedLocations"] = [dict(_location(f, ln, col, artifacts), id=n)
                                        for n, (f, ln, col) in enumerate(d.related)]
        if d.fixes:
            item["fixes"] = [_fix(fix, location) for fix in d.fixes]
        if d.suppressed:
            item["suppressions"] = [{"kind": "inSource", "status": "accepted",
                                     "justification": reasons.get((d.file, d.rule), "")}]
        results.append(item)
    run = {
        "tool": {"driver": {"name": "charterc", "version": __version__,
                            "semanticVersion": __version__, "informationUri": INFORMATION_URI,
                            "rules": [_descriptor(entry) for entry in rules]}},
        "invocations": [{"executionSuccessful": not result.internal_errors,
                         "toolExecutionNotifications": [
                             {"level": "error", "message": {"text": line}}
                             for line in result.internal_errors]}],
        "artifacts": [{"location": _uri(relative)} for _, relative in artifacts.values()],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def report(result: PortfolioResult, *, color: bool = False) -> str:
    return json.dumps(sarif_log(result), indent=2, ensure_ascii=False) + "\n"
