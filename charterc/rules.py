"""The rule catalogue: every rule id charterc can report, in one registry.

Loading, schema and reference rules are declared here (their code lives in the
stage that finds them); consistency rules register themselves with `@rule` in
`charterc/checks/`. `charterc rules` and `charterc explain` read `RULES`.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable, Iterator

from .diagnostics import Diagnostic, Severity

__all__ = ["Rule", "RULES", "rule", "declare", "problem"]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    doc: str
    check: Callable[..., Iterator[Diagnostic]] | None = None

    @property
    def title(self) -> str:
        return self.doc.strip().splitlines()[0].strip() if self.doc.strip() else self.id


RULES: dict[str, Rule] = {}


def declare(rule_id: str, severity: Severity, doc: str) -> Rule:
    """Register a rule that a pipeline stage (loader, schema, references) reports itself."""
    if rule_id in RULES:
        raise ValueError(f"rule {rule_id} registered twice")
    RULES[rule_id] = entry = Rule(rule_id, severity, inspect.cleandoc(doc))
    return entry


def rule(rule_id: str, severity: Severity):
    """Register a consistency check: a function of a `CheckContext` yielding `problem(...)`s.

    The function's docstring is the rule's documentation (`charterc explain`). The
    runner fills in the id, the default severity and the file position.
    """

    def register(func):
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = Rule(rule_id, severity, inspect.cleandoc(func.__doc__ or ""), func)
        func.rule_id = rule_id
        return func

    return register


def problem(pointer: str, message: str, hint: str = "",
            severity: Severity | None = None) -> Diagnostic:
    """A finding from a check; the runner completes rule id, severity and position."""
    return Diagnostic(rule="", severity=severity, message=message, pointer=pointer, hint=hint)


# -- rules reported by the pipeline stages themselves ---------------------------------

declare("P101", Severity.ERROR, """
    YAML syntax error.

    The file is not well-formed YAML; the position is where the parser stopped.

    Fails:   tier: {id: standard
    Passes:  tier: {id: standard}
""")
declare("P102", Severity.ERROR, """
    Duplicate key in a mapping.

    YAML would silently keep the last value; charterc refuses to guess.
    The message names the position of the first occurrence.

    Fails:   metadata: {id: a, id: b}
    Passes:  metadata: {id: a}
""")
declare("P103", Severity.ERROR, """
    DSL syntax error, with the tokens that were expected.

    Fails:   tier standard "Standard" {
    Passes:  tier standard "Standard" { ... }
""")
declare("P104", Severity.ERROR, """
    Input too large or nested too deep.

    Files over the size bound (default 1 MiB, `--max-bytes`) or nested deeper than
    the depth bound (default 64) are not read.
""")
declare("P105", Severity.ERROR, """
    Forbidden YAML feature: an explicit tag, or aliases that expand past a bound.

    Tags (`!!python/object`, `!custom`, even `!!str`) are refused: quote the value
    instead. Aliases may be used, but the document they expand to is bounded
    (no "billion laughs").

    Fails:   version: !!str 1.10
    Passes:  version: "1.10"
""")
declare("P106", Severity.ERROR, """
    The file is not valid UTF-8.

    Charters are UTF-8 text; re-save the file as UTF-8.
""")
declare("S201", Severity.ERROR, """
    JSON Schema violation.

    The document does not have the shape of a charter (schemas/charter.schema.json):
    a missing required field, an unexpected key, a value of the wrong type or format.

    Fails:   metadata: {version: 1.10}   (a number; quote it: "1.10")
    Passes:  metadata: {version: "1.10.0"}
""")
declare("R301", Severity.ERROR, """
    Unknown id referenced.

    A tier, feature, priority, client or cost id is used that is not defined in
    the charter. The hint suggests the closest defined id.

    Fails:   clients: [{id: hr, tier: premuim}]
    Passes:  clients: [{id: hr, tier: premium}]
""")
declare("R302", Severity.ERROR, """
    Duplicate id.

    Ids must be unique within their list (tiers, features, clients, costs,
    priorities) and charter ids unique within the portfolio.

    Fails:   features: [{id: incident}, {id: incident}]
    Passes:  features: [{id: incident}, {id: requests}]
""")
