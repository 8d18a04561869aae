"""Consistency checks: one module per area, one function per rule, registered with `@rule`.

A check is a pure function of a `CheckContext` (the typed charter, its derived
facts, and "today") that yields `problem(...)`s; a rule that has a safe edit for its
finding reads the context's source map to write it (`diagnostics.fixes`). `run_checks`
completes them into positioned `Diagnostic`s, applies the rule's default
severity and the charter's suppressions. The modules are listed in
`charterc.diagnostics.rules.RULE_MODULES`; reading `RULES` imports them.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, SourceMap
from ..diagnostics.rules import RULES
from ..model.charter import Charter
from ..records import record

if TYPE_CHECKING:
    from ..model.projection import Facts

__all__ = ["CheckContext", "enabled", "run_checks"]


@record(eq=True, frozen=False)
class CheckContext:
    """What a rule is given: the charter and the day it is judged on; and where its text
    is, for the rules that offer a fix (None: no fixes, e.g. a charter built in memory)."""

    charter: Charter
    today: date
    sources: SourceMap | None = None

    @cached_property
    def facts(self) -> Facts:
        from ..model.projection import derive
        return derive(self.charter)


def enabled(rule_id: str, select: Iterable[str] | None, ignore: Iterable[str]) -> bool:
    """Whether `--select` / `--ignore` (ids or prefixes) let a rule report."""
    if any(rule_id.startswith(prefix) for prefix in ignore):
        return False
    return select is None or any(rule_id.startswith(prefix) for prefix in select)


def run_checks(charter: Charter, sources: SourceMap, *, today: date,
               select: Iterable[str] | None = None,
               ignore: Iterable[str] = ()) -> list[Diagnostic]:
    """Every enabled rule's findings on one charter, positioned, in source order."""
    context = CheckContext(charter, today, sources)
    found: list[Diagnostic] = []
    for rule in RULES.checks():
        if rule.check is None or not enabled(rule.id, select, ignore):
            continue
        for finding in rule.check(context):
            line, column = sources.locate(finding.pointer)
            found.append(replace(finding, rule=rule.id, severity=finding.severity or rule.severity,
                                 file=sources.file, line=line, column=column))
    return found
