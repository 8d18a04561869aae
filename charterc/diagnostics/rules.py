"""The rule catalogue: every rule id charterc can report, in one registry.

Each rule is declared beside the code that reports it: consistency rules with
`@rule` on their check function in `charterc/checks/`, the rules that a stage
reports itself with `declare(...)` in that stage (loaders, schema, references,
`charterc report`'s usage files, `charterc diff`). `RULE_MODULES` lists every
module that declares rules, so grep finds them all, as yamllint's `_RULES` does.

`RULES` completes itself on first read: reading it (an id, `in`, iteration,
`len`) imports every module of `RULE_MODULES` once, so whoever reads the
catalogue sees all of it, and nobody has to remember to load the checks first.
It is lazy rather than imported at the bottom of this module because the stages
import `declare` from here: importing this module must stay cheap (`charterc
fmt` never reads the catalogue, `check` only once a file gets past its loader),
and an eager import would pull every stage and check into every start-up.
Registering (`declare`, `@rule`) never triggers the import. A module of
`RULE_MODULES` must not read `RULES` while it is being imported.

The order of `RULE_MODULES` is the order in which `run_checks` runs the checks
(cost, governance, coverage, levels, security, reporting); `charterc rules`,
`explain`, SARIF and docs/rules.md sort by id.
"""
from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TypeVar

from ..records import record
from . import Diagnostic, Fix, Severity

__all__ = ["RULES", "RULE_MODULES", "Catalogue", "Rule", "declare", "problem", "rule"]

# Every module that declares rules, in registration order.
RULE_MODULES = (
    "charterc.loaders",              # P103 P104 P106
    "charterc.loaders.yaml",         # P101 P102 P105
    "charterc.validate.schema",      # S201
    "charterc.validate.references",  # R301 R302
    "charterc.checks.cost",          # C4xx
    "charterc.checks.governance",    # G701-G705
    "charterc.checks.coverage",      # V5xx
    "charterc.checks.levels",        # T6xx
    "charterc.checks.security",      # D8xx
    "charterc.checks.reporting",     # M9xx
    "charterc.report.inputs",        # U101-U108
    "charterc.report.itsm",          # U109
    "charterc.diff",                 # G706
    "charterc.export.itsm.drift",    # I101-I109
    "charterc.pipeline",             # X001
)


@record(eq=True)
class Rule:
    """A rule of the catalogue: id, severity, documentation and the check."""

    id: str
    severity: Severity
    doc: str
    check: Callable[..., Iterator[Diagnostic]] | None = None

    @property
    def title(self) -> str:
        return self.doc.strip().splitlines()[0].strip() if self.doc.strip() else self.id


class Catalogue(Mapping[str, Rule]):
    """Rule id -> `Rule`, in registration order; complete on first read (see the module doc)."""

    def __init__(self, modules: tuple[str, ...]) -> None:
        self._rules: dict[str, Rule] = {}
        self._modules = modules
        self._loaded = False

    def register(self, entry: Rule) -> Rule:
        if entry.id in self._rules:
            raise ValueError(f"rule {entry.id} registered twice")
        self._rules[entry.id] = entry
        return entry

    def _complete(self) -> dict[str, Rule]:
        if not self._loaded:
            self._loaded = True  # first, so that a read during the imports cannot recurse
            try:
                for name in self._modules:
                    importlib.import_module(name)
            except BaseException:
                self._loaded = False
                raise
        return self._rules

    def checks(self) -> list[Rule]:
        """The rules that check a charter, in the order they run.

        Only the modules of checks (`charterc.checks.*`) are imported for it, not the
        whole catalogue: a check need not load `report` and `diff`, which declare
        rules but check no charter.
        """
        if not self._loaded:
            for name in self._modules:
                if name.startswith("charterc.checks."):
                    importlib.import_module(name)
        return [entry for entry in self._rules.values() if entry.check is not None]

    def __getitem__(self, rule_id: str) -> Rule:
        return self._complete()[rule_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._complete())

    def __len__(self) -> int:
        return len(self._complete())


RULES = Catalogue(RULE_MODULES)

CheckFunction = TypeVar("CheckFunction", bound=Callable[..., Iterator[Diagnostic]])


def declare(rule_id: str, severity: Severity, doc: str) -> Rule:
    """Register a rule that a pipeline stage (loader, schema, references, ...) reports itself."""
    return RULES.register(Rule(rule_id, severity, inspect.cleandoc(doc)))


def rule(rule_id: str, severity: Severity) -> Callable[[CheckFunction], CheckFunction]:
    """Register a consistency check: a function of a `CheckContext` yielding `problem(...)`s.

    The function's docstring is the rule's documentation (`charterc explain`). The
    runner fills in the id, the default severity and the file position.
    """

    def register(func: CheckFunction) -> CheckFunction:
        RULES.register(Rule(rule_id, severity, inspect.cleandoc(func.__doc__ or ""), func))
        # tests call a check directly and read its id; setattr because the function's own
        # type (kept for its callers) does not declare the attribute
        setattr(func, "rule_id", rule_id)  # noqa: B010
        return func

    return register


def problem(pointer: str, message: str, hint: str = "", severity: Severity | None = None,
            fixes: tuple[Fix, ...] = ()) -> Diagnostic:
    """A finding from a check; the runner completes rule id, severity and position."""
    return Diagnostic(rule="", severity=severity, message=message, pointer=pointer, hint=hint,
                      fixes=fixes)


_FAMILIES = {"P": "Loading", "S": "Schema", "R": "References", "C": "Cost",
             "V": "Coverage", "T": "Service levels", "G": "Governance and baselines",
             "D": "Security and data protection", "M": "Reporting",
             "U": "Usage data (charterc report)",
             "I": "ITSM drift (charterc drift)", "X": "Internal failures"}


def catalogue_markdown(entries: Sequence[Rule]) -> str:
    """docs/rules.md: every rule's documentation, generated from the registry."""
    out = ["# Rules\n",
           "Generated by `charterc rules --format markdown` from the rule docstrings; "
           "`charterc explain ID` prints one. Severities are defaults: a charter accepts a "
           "finding with `metadata.suppress`, a run re-levels one with `--level ID=LEVEL`. "
           "The decisions behind each area's rules are in docs/rules/ (cost, governance, "
           "coverage, levels, security, reporting, itsm).\n"]
    out.append("| id | severity | title |\n| --- | --- | --- |")
    out.extend(f"| [{r.id}](#{r.id.lower()}) | {r.severity.value} | {r.title} |" for r in entries)
    family = None
    for r in entries:
        if r.id[0] != family:
            family = r.id[0]
            out.append(f"\n## {_FAMILIES.get(family, family)}")
        body = r.doc.split("\n", 1)[1].strip() if "\n" in r.doc else ""
        out.append(f"\n### {r.id}\n\n**{r.severity.value}**: {r.title}\n")
        if body:
            out.append(_fence_examples(body))
    return "\n".join(out) + "\n"


def _fence_examples(body: str) -> str:
    """Indented example blocks after `Fails:`/`Passes:` become fenced YAML."""
    import textwrap

    out: list[str] = []
    block: list[str] | None = None

    def close() -> None:
        assert block is not None
        out.extend(["```yaml", textwrap.dedent("\n".join(block)).strip("\n"), "```", ""])

    for line in body.splitlines():
        if block is not None:
            if line.strip() and not line.startswith((" ", "\t")):
                close()
                block = None
            else:
                block.append(line)
                continue
        out.append(line)
        if line.strip() in ("Fails:", "Passes:"):
            block = []
    if block is not None:
        close()
    return "\n".join(out).rstrip()
