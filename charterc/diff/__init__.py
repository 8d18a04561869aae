"""`charterc diff OLD NEW`: what changed in the commitments of each charter, per client.

    read both sides (sources) -> the front end up to the model (charterc.pipeline)
    -> pair charters by metadata.id -> compare (levels, money, terms)
    -> the bump the changes require vs the bump made (semver) -> G706

Each change is classed from the client's side (changes.py) and carries the
semver bump it needs; a charter's required bump is the largest of them. G706
fires when `metadata.version` went up by less. Charters that cannot be read on
either side are listed with their errors and not compared. Decisions:
docs/diff.md.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Severity, SourceMap
from ..diagnostics.rules import declare
from ..loaders import Limits, Loaded
from .changes import EFFECTS, Change, neutral, weakening
from .semver import BUMPS, bump_made, parse_version, stronger
from .sources import SourceError, read_side, unmatched

if TYPE_CHECKING:
    from ..model.charter import Charter
    from .types import CharterDiffJSON, DiffJSON

__all__ = [
    "Change",
    "CharterDiff",
    "DiffResult",
    "SourceError",
    "diff_charters",
    "diff_loaded",
    "diff_sides",
]

@dataclass
class CharterDiff:
    id: str
    old_file: str | None
    new_file: str | None
    old_version: str | None
    new_version: str | None
    changes: list[Change] = field(default_factory=list)
    required: str = "none"
    made: str | None = None          # None for an added or removed charter
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # each side's model and source map, for the redline (diff/redline.py): not in the JSON
    old_side: tuple[Charter, SourceMap] | None = field(default=None, repr=False, compare=False)
    new_side: tuple[Charter, SourceMap] | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> CharterDiffJSON:
        return {"id": self.id, "old": {"file": self.old_file, "version": self.old_version},
                "new": {"file": self.new_file, "version": self.new_version},
                "required": self.required, "made": self.made,
                "changes": [c.to_dict() for c in self.changes],
                "diagnostics": [d.to_dict() for d in self.diagnostics]}


@dataclass
class DiffResult:
    old: str
    new: str
    charters: list[CharterDiff]
    problems: list[Diagnostic] = field(default_factory=list)   # charters not compared
    new_problems: int = 0                                      # of them, in NEW

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for c in self.charters for d in c.diagnostics]

    @property
    def exit_code(self) -> int:
        """1 when G706 fires, or when a charter of NEW cannot be read; else 0."""
        return 1 if self.diagnostics or self.new_problems else 0

    def to_dict(self) -> DiffJSON:
        """The result as `charterc diff --format json` writes it."""
        return {"old": self.old, "new": self.new,
                "charters": [d.to_dict() for d in self.charters],
                "not_compared": [d.to_dict() for d in self.problems],
                "exit_code": self.exit_code}


def _prepare(loaded: Loaded) -> tuple[Charter | None, list[Diagnostic]]:
    """(Charter, []) for a charter that passes loading, schema and references, else
    (None, its errors): the front end as `check` runs it, without the rules."""
    from ..pipeline import MODEL_ONLY, check_loaded
    checked = check_loaded(loaded, MODEL_ONLY)
    if checked.charter is None:
        return None, [d for d in checked.diagnostics if d.severity is Severity.ERROR]
    return checked.charter, []


def _sort(changes: list[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: EFFECTS.index(c.effect))


def diff_charters(old: Charter, new: Charter) -> list[Change]:
    """Every change in commitments from charter `old` to charter `new` (typed models)."""
    from ..model.projection import derive
    from .levels import level_changes
    from .money import credit_changes, money_changes, role_changes
    from .terms import charter_changes, other_changes

    old_facts, new_facts = derive(old), derive(new)
    old_clients = {c.id: c for c in old.clients}
    found: list[Change] = []
    tiers: set[str] = set()
    matched: set[str] = set()
    for client in new.clients:
        previous = old_clients.get(client.id)
        if previous is None:
            found.append(neutral(client.id, "client", "-", f"added on tier {client.tier}",
                                 "new content", client.pointer))
            continue
        matched.add(client.id)
        old_tier, new_tier = old.tier_of(previous), new.tier_of(client)
        tiers.update((previous.tier, client.tier))
        if previous.tier != client.tier:
            found.append(neutral(client.id, "tier", previous.tier, client.tier,
                                 "the service levels it brings are compared one by one",
                                 f"{client.pointer}/tier"))
        found += level_changes(client.id, old, new, old_tier, new_tier, client)
        found += money_changes(client.id, old_facts, new_facts, previous, client, new_tier)
        found += credit_changes(client.id, old_tier, new_tier)
        found += role_changes(client.id, old_facts, new_facts, client.pointer)
    for client in old.clients:
        if client.id not in {c.id for c in new.clients}:
            found.append(weakening(client.id, "client", f"served on tier {client.tier}",
                                   "removed", "the charter no longer serves this client",
                                   "/clients"))
    found += charter_changes(old, new)
    found += other_changes(old, new, tiers, matched)
    return found


declare("G706", Severity.ERROR, """
    metadata.version bumped less than the changes require.

    Reported by `charterc diff OLD NEW`, which compares the commitments of each
    charter in two versions of a portfolio. A weakening for some client (a
    slower target, fewer support hours, a removed feature, a higher price, a
    lost primary role, weaker security terms) needs a major bump; a
    strengthening or new content a minor one; wording only a patch. The
    message names the bump made, the bump required and the changes that
    require it. See docs/diff.md.
""")


def _g706(diff: CharterDiff, sources: SourceMap) -> Diagnostic | None:
    old, new = parse_version(diff.old_version), parse_version(diff.new_version)
    if old is None or new is None:
        return None  # the schema requires semver; nothing to judge
    diff.made = bump_made(old, new)
    if BUMPS.index(diff.made) >= BUMPS.index(diff.required):
        return None
    reasons: dict[tuple[str, str], list[str]] = {}
    for c in diff.changes:
        if c.bump == diff.required:
            clients = reasons.setdefault((c.subject, c.effect), [])
            if c.client and c.client not in clients:
                clients.append(c.client)
    named = "; ".join(f"{subject}" + (f" ({', '.join(clients)})" if clients else "")
                      + f": {effect}" for (subject, effect), clients in list(reasons.items())[:3])
    if len(reasons) > 3:
        named += f"; and {len(reasons) - 3} more"
    suggestion = {"major": f"{old.major + 1}.0.0", "minor": f"{old.major}.{old.minor + 1}.0",
                  "patch": f"{old.major}.{old.minor}.{old.patch + 1}"}[diff.required]
    made = "no bump" if diff.made == "none" else f"a {diff.made} bump"
    pointer = "/metadata/version"
    line, column = sources.locate(pointer)
    return Diagnostic(
        "G706", Severity.ERROR,
        f"version {old} -> {new} is {made}; the changes require a {diff.required} bump "
        f"({named})", sources.file, line, column, pointer,
        f"set metadata.version to {suggestion} or later, and add an entry to metadata.changes")


def diff_loaded(old_files: Sequence[Loaded], new_files: Sequence[Loaded], *,
                old_label: str = "OLD", new_label: str = "NEW") -> DiffResult:
    """Compare two sets of loaded charters, paired by metadata.id."""
    result = DiffResult(old_label, new_label, [])
    sides: list[dict[str, tuple[Charter, Loaded]]] = []
    broken: list[list[Loaded]] = []   # per side, the files that do not load as a charter
    for files, is_new in ((old_files, False), (new_files, True)):
        charters: dict[str, tuple[Charter, Loaded]] = {}
        broken.append([])
        for loaded in files:
            charter, problems = _prepare(loaded)
            if charter is not None and charter.id in charters:
                first = charters[charter.id][1].file
                problems = [Diagnostic("R302", Severity.ERROR,
                                       f"charter id '{charter.id}' also in {first}", loaded.file,
                                       *loaded.sources.locate("/metadata/id"), "/metadata/id")]
                charter = None
            if charter is None:
                broken[-1].append(loaded)
                result.problems.extend(problems)
                result.new_problems += len(problems) if is_new else 0
                continue
            charters[charter.id] = (charter, loaded)
        sides.append(charters)
    old_side, new_side = sides
    if len(old_files) == 1 == len(new_files) and len(old_side) == 1 == len(new_side):
        # two files named on purpose: compare them even if the id changed
        (_, pair), = old_side.items()
        old_side = {next(iter(new_side)): pair}
    for cid in list(new_side) + [c for c in old_side if c not in new_side]:
        old, new = old_side.get(cid), new_side.get(cid)
        if old is None or new is None:
            present = old or new
            assert present is not None
            others = broken[1] if old else broken[0]
            if len(old_files) == 1 == len(new_files) or _counterpart(cid, present[1], others):
                continue  # its other version does not load: not compared (result.problems)
        diff = CharterDiff(cid, old[1].file if old else None, new[1].file if new else None,
                           old[0].version if old else None, new[0].version if new else None,
                           old_side=(old[0], old[1].sources) if old else None,
                           new_side=(new[0], new[1].sources) if new else None)
        if old and new:
            diff.changes = _sort(diff_charters(old[0], new[0]))
        elif new:
            diff.changes = [neutral(None, "charter", "-", "added", "new content")]
        else:
            diff.changes = [weakening(None, "charter", "in force", "removed",
                                      "every client of it loses the service")]
        for change in diff.changes:
            diff.required = stronger(diff.required, change.bump)
        if old and new:
            g706 = _g706(diff, new[1].sources)
            if g706 is not None:
                diff.diagnostics.append(g706)
        result.charters.append(diff)
    return result


def _counterpart(cid: str, loaded: Loaded, unloadable: Sequence[Loaded]) -> bool:
    """Whether one of the `unloadable` files of the other side is charter `cid` (by its
    metadata.id when that much was read, else by the file's name), so that `cid` is not
    called added or removed when it merely fails to load there."""
    from pathlib import PurePosixPath

    from ..pipeline import charter_id
    name = PurePosixPath(loaded.file.replace("\\", "/")).name
    for other in unloadable:
        other_id = charter_id(other.document)
        if other_id == cid or (other_id is None
                               and PurePosixPath(other.file.replace("\\", "/")).name == name):
            return True
    return False


_LIMITS = Limits()


def diff_sides(old: str, new: str, paths: Sequence[str] = (), *,
               limits: Limits = _LIMITS) -> DiffResult:
    """`charterc diff OLD NEW [PATHS]`: raises SourceError for a side that cannot be read."""
    old_side = read_side(old, paths, limits=limits)
    new_side = read_side(new, paths, limits=limits)
    missing = unmatched([old_side, new_side], paths)
    if missing:
        raise SourceError(f"no charter under {', '.join(missing)} at "
                          + " or ".join(s.label for s in (old_side, new_side)
                                        if s.matched is not None)
                          + " (paths are relative to the working directory)")
    if not old_side.files and not new_side.files:
        raise SourceError(f"no charter in {old} nor in {new}: nothing to compare (charters are "
                          "named *.charter.yaml, *.charter.yml or *.charter)")
    return diff_loaded(old_side.files, new_side.files, old_label=old, new_label=new)

