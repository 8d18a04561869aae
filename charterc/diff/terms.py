"""Charter-wide changes (they concern every client): security and data protection, the
term, governance, reporting, and every other field as content or wording.

Security terms are judged as promises to the client: a higher classification
ceiling, stronger isolation, a narrower residency, more controls, a shorter
breach notice, shorter retention and exit times are strengthenings; new
sub-processors (or one moving country) and a transfer mechanism where there was
none are weakenings. Fields no comparison knows are listed as neutral: wording
(names, titles, owners, the change log, signatories: patch) or content (minor).
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any, TypeVar

from ..model.charter import CLASSIFICATIONS, ISOLATIONS, Charter, Security
from ..model.values import Duration, Period
from ..model.written import written_leaves
from .changes import Change, by_direction, neutral, strengthening, weakening, wording

__all__ = ["COVERED", "charter_changes", "other_changes"]

CADENCES = ("weekly", "monthly", "quarterly", "yearly")  # more frequent is better
_WORDING_KEYS = {"name", "title", "summary", "owner", "signatory", "signatories", "changes",
                 "suppress", "reviewed"}

_Length = TypeVar("_Length", Duration, Period)


def _rank_change(subject: str, order: tuple[str, ...], old: str, new: str, pointer: str, *,
                 higher_is_better: bool = True) -> list[Change]:
    if old == new:
        return []
    if old not in order or new not in order:
        return [neutral(None, subject, old, new, pointer=pointer)]
    better = (order.index(new) > order.index(old)) == higher_is_better
    return [by_direction(None, subject, old, new, better, pointer=pointer)]


def _length(subject: str, old: _Length | None, new: _Length | None,
            measure: Callable[[_Length], float], pointer: str) -> list[Change]:
    """Shorter is better (notice of a breach, retention, exit times); compared as written."""
    old_text, new_text = (None if v is None else v.text for v in (old, new))
    if old_text == new_text:
        return []
    if old is None or new is None:
        return [by_direction(None, subject, old_text or "none", new_text or "none",
                             old is None, pointer=pointer)]
    a, b = measure(old), measure(new)
    return [by_direction(None, subject, old_text, new_text, b < a if a != b else None,
                         pointer=pointer)]


def _minutes(value: Duration) -> float:
    return value.calendar_minutes


def _months(value: Period) -> float:
    return value.approx_months


def _sets(subject: str, old_items: Iterable[str] | None, new_items: Iterable[str] | None,
          pointer: str, *, more_is_better: bool) -> list[Change]:
    old, new = list(old_items or ()), list(new_items or ())
    found = []
    for item in new:
        if item not in old:
            found.append(by_direction(None, f"{subject} {item}", "-", "added", more_is_better,
                                      pointer=pointer))
    for item in old:
        if item not in new:
            found.append(by_direction(None, f"{subject} {item}", "present", "removed",
                                      not more_is_better, pointer=pointer))
    return found


def _exit(security: Security, key: str) -> Period | None:
    terms = security.exit
    if terms is None:
        return None
    return terms.return_within if key == "return" else terms.delete_within


def _security(old: Security, new: Security) -> list[Change]:
    p = "/security"
    found = _rank_change("data classification ceiling", CLASSIFICATIONS,
                         old.classification, new.classification, f"{p}/classification")
    found += _rank_change("isolation", ISOLATIONS, old.isolation, new.isolation,
                          f"{p}/isolation")
    found += _sets("residency", old.residency, new.residency, f"{p}/residency",
                   more_is_better=False)
    found += _sets("control", old.controls, new.controls, f"{p}/controls",
                   more_is_better=True)
    found += _length("breach notification", old.breach_notification,
                     new.breach_notification, _minutes, f"{p}/breach_notification")
    found += _length("retention", old.retention, new.retention, _months, f"{p}/retention")
    for key, subject in (("return", "exit: data returned within"),
                         ("delete", "exit: data deleted within")):
        found += _length(subject, _exit(old, key), _exit(new, key), _months, f"{p}/exit/{key}")
    before = {s.name: s.country for s in old.subprocessors or ()}
    after = {s.name: s.country for s in new.subprocessors or ()}
    for name, country in after.items():
        if name not in before:
            found.append(weakening(None, f"sub-processor {name}", "-", country,
                                   "a new party holds client data", f"{p}/subprocessors"))
        elif before[name] != country:
            found.append(weakening(None, f"sub-processor {name}", before[name], country,
                                   "client data moves country", f"{p}/subprocessors"))
    for name, country in before.items():
        if name not in after:
            found.append(strengthening(None, f"sub-processor {name}", country, "-",
                                       pointer=f"{p}/subprocessors"))
    a, b = old.transfers, new.transfers
    if a != b:
        better = True if b == "none" else False if a == "none" else None
        found.append(by_direction(None, "transfers outside residency", a, b, better,
                                  pointer=f"{p}/transfers"))
    return found


def _term_text(term: tuple[date, date]) -> str:
    """[start, stop) -> "2026-01-01 to 2028-12-31": the last day, as documents show it."""
    start, stop = term
    return f"{start} to {stop - timedelta(days=1)}"


def _covers(outer: tuple[date, date], inner: tuple[date, date]) -> bool:
    return outer[0] <= inner[0] and outer[1] >= inner[1]


def charter_changes(old: Charter, new: Charter) -> list[Change]:
    """Changes in the terms every client shares."""
    found = _security(old.security, new.security)
    old_period, new_period = old.period, new.period
    if (old_period.start, old_period.years_or_default, old_period.end) != \
            (new_period.start, new_period.years_or_default, new_period.end):
        a, b = old.term, new.term
        better = True if _covers(b, a) else False if _covers(a, b) else None
        found.append(wording(None, "term", _term_text(a), _term_text(b), "same term", "/period")
                     if a == b else by_direction(None, "term", _term_text(a), _term_text(b),
                                                 better, pointer="/period"))
    old_notice = old.governance_or_default.change_notice_or_default
    new_notice = new.governance_or_default.change_notice_or_default
    if old_notice != new_notice:
        found.append(by_direction(None, "change notice", old_notice, new_notice,
                                  new_notice > old_notice, pointer="/governance/change_notice"))
    old_reporting, new_reporting = old.reporting_or_default, new.reporting_or_default
    found += _rank_change("report cadence", CADENCES, old_reporting.cadence_or_default,
                          new_reporting.cadence_or_default, "/reporting/cadence",
                          higher_is_better=False)
    found += _sets("report metric", old_reporting.metrics, new_reporting.metrics,
                   "/reporting/metrics", more_is_better=True)
    return found


# -- everything else: content or wording --------------------------------------------------

COVERED = (  # paths the comparisons above (and in levels/money) already judge
    ("metadata", "version"), ("security",), ("period",), ("governance", "change_notice"),
    ("reporting", "cadence"), ("reporting", "metrics"), ("business", "currency"),
    ("provider", "timezone"), ("provider", "holidays"),
)
_CLIENT_COVERED = ("tier", "share", "volume")
_TIER_COVERED = ("objectives", "hours", "maintenance", "features", "price", "credits")


def _show(value: Any) -> str:
    if value is None:
        return "-"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def other_changes(old: Charter, new: Charter, covered_tiers: set[str],
                  clients: set[str]) -> list[Change]:
    """Every changed field no comparison judged: content (minor) or wording (patch)."""
    found = []
    before, after = written_leaves(old), written_leaves(new)
    for path in list(before) + [p for p in after if p not in before]:
        a, old_pointer = before.get(path, (None, ""))
        b, new_pointer = after.get(path, (None, ""))
        if a == b or _covered(path, covered_tiers, clients):
            continue
        client: str | None = None
        subject_path = path
        if path[:1] == ("clients",) and len(path) >= 2 and path[1] in clients:
            client, subject_path = path[1], path[2:] or ("client",)
        subject = ".".join(subject_path)
        pointer = new_pointer if b is not None else old_pointer
        if path[-1] in _WORDING_KEYS or (len(path) >= 2 and path[-2] in _WORDING_KEYS) \
                or path[:2] == ("metadata", "changes") or path[:2] == ("metadata", "signatories"):
            found.append(wording(client, subject, _show(a), _show(b), pointer=pointer))
        else:
            found.append(neutral(client, subject, _show(a), _show(b), pointer=pointer))
    return found


def _covered(path: tuple[str, ...], covered_tiers: set[str], clients: set[str]) -> bool:
    """Judged elsewhere: a covered section, a compared client's tier, share or volume, a
    client added or removed (reported on its own), a compared tier's service levels."""
    if any(path[:len(c)] == c for c in COVERED):
        return True
    if path[:1] == ("clients",) and len(path) >= 2:
        if path[1] in clients:
            return len(path) >= 3 and path[2] in _CLIENT_COVERED
        return True  # a client added or removed: every field of it is that one change
    return path[:1] == ("tiers",) and len(path) >= 3 and path[1] in covered_tiers \
        and path[2] in _TIER_COVERED
