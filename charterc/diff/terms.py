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
from datetime import date, timedelta
from typing import Any, Iterator

from ..diagnostics import escape_token
from ..model.charter import CLASSIFICATIONS, ISOLATIONS
from ..model.values import period
from .changes import Change, by_direction, neutral, strengthening, weakening, wording

__all__ = ["charter_changes", "other_changes", "COVERED"]

CADENCES = ("weekly", "monthly", "quarterly", "yearly")  # more frequent is better
_WORDING_KEYS = {"name", "title", "summary", "owner", "signatory", "signatories", "changes",
                 "suppress", "reviewed"}


def _rank_change(subject, order, old, new, pointer, *, higher_is_better=True) -> list[Change]:
    if old == new:
        return []
    if old not in order or new not in order:
        return [neutral(None, subject, old, new, pointer=pointer)]
    better = (order.index(new) > order.index(old)) == higher_is_better
    return [by_direction(None, subject, old, new, better, pointer=pointer)]


def _length(subject, old, new, parse, pointer) -> list[Change]:
    """Shorter is better (notice of a breach, retention, exit times)."""
    if old == new:
        return []
    if old is None or new is None:
        return [by_direction(None, subject, old or "none", new or "none", old is None,
                             pointer=pointer)]
    a, b = parse(old), parse(new)
    return [by_direction(None, subject, old, new, b < a if a != b else None, pointer=pointer)]


def _minutes(text) -> float:
    from ..model.values import duration
    return duration(str(text)).calendar_minutes


def _months(text) -> float:
    return period(str(text)).approx_months


def _sets(subject, old, new, pointer, *, more_is_better: bool) -> list[Change]:
    old, new = list(old or ()), list(new or ())
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


def _security(old: dict, new: dict) -> list[Change]:
    p = "/security"
    found = _rank_change("data classification ceiling", CLASSIFICATIONS,
                         old.get("classification"), new.get("classification"),
                         f"{p}/classification")
    found += _rank_change("isolation", ISOLATIONS, old.get("isolation"), new.get("isolation"),
                          f"{p}/isolation")
    found += _sets("residency", old.get("residency"), new.get("residency"), f"{p}/residency",
                   more_is_better=False)
    found += _sets("control", old.get("controls"), new.get("controls"), f"{p}/controls",
                   more_is_better=True)
    found += _length("breach notification", old.get("breach_notification"),
                     new.get("breach_notification"), _minutes, f"{p}/breach_notification")
    found += _length("retention", old.get("retention"), new.get("retention"), _months,
                     f"{p}/retention")
    old_exit, new_exit = old.get("exit") or {}, new.get("exit") or {}
    for key, subject in (("return", "exit: data returned within"),
                         ("delete", "exit: data deleted within")):
        found += _length(subject, old_exit.get(key), new_exit.get(key), _months,
                         f"{p}/exit/{key}")
    before = {s.get("name"): s.get("country") for s in old.get("subprocessors") or ()}
    after = {s.get("name"): s.get("country") for s in new.get("subprocessors") or ()}
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
    a, b = old.get("transfers"), new.get("transfers")
    if a != b:
        better = True if b == "none" else False if a == "none" else None
        found.append(by_direction(None, "transfers outside residency", a, b, better,
                                  pointer=f"{p}/transfers"))
    return found


def _term_text(term: tuple[date, date]) -> str:
    """[start, stop) -> "2026-01-01 to 2028-12-31": the last day, as documents show it."""
    start, stop = term
    return f"{start} to {stop - timedelta(days=1)}"


def charter_changes(old, new) -> list[Change]:
    """Changes in the terms every client shares."""
    found = _security(old.document.get("security") or {}, new.document.get("security") or {})
    if (old.start, old.years, old.end) != (new.start, new.years, new.end):
        a, b = old.term, new.term
        covers = lambda x, y: x[0] <= y[0] and x[1] >= y[1]  # noqa: E731
        better = True if covers(b, a) else False if covers(a, b) else None
        found.append(wording(None, "term", _term_text(a), _term_text(b), "same term", "/period")
                     if a == b else by_direction(None, "term", _term_text(a), _term_text(b),
                                                 better, pointer="/period"))
    if old.change_notice != new.change_notice:
        found.append(by_direction(None, "change notice", old.change_notice, new.change_notice,
                                  new.change_notice > old.change_notice,
                                  pointer="/governance/change_notice"))
    found += _rank_change("report cadence", CADENCES, old.reporting_cadence,
                          new.reporting_cadence, "/reporting/cadence", higher_is_better=False)
    found += _sets("report metric", old.reporting_metrics, new.reporting_metrics,
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


def _keyed(value: Any) -> Any:
    """Lists of mappings with ids become mappings by id, so reordering is no change."""
    if isinstance(value, dict):
        return {k: _keyed(v) for k, v in value.items()}
    if isinstance(value, list) and value and all(isinstance(i, dict) and "id" in i for i in value):
        return {str(i["id"]): _keyed(i) for i in value}
    return value


def _leaves(old: Any, new: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any, Any]]:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            yield from _leaves(old.get(key), new.get(key), path + (key,))
    elif old != new:
        yield path, old, new


def _pointer(doc: Any, path: tuple) -> str:
    """The JSON pointer of a keyed path (`clients/finance/budget` -> `/clients/2/budget`)."""
    parts = []
    for key in path:
        if isinstance(doc, list):
            index = next((n for n, i in enumerate(doc)
                          if isinstance(i, dict) and str(i.get("id")) == key), None)
            if index is None:
                break
            parts.append(str(index))
            doc = doc[index]
        elif isinstance(doc, dict) and key in doc:
            parts.append(escape_token(str(key)))
            doc = doc[key]
        else:
            break
    return "".join("/" + p for p in parts)


def _show(value: Any) -> str:
    if value is None:
        return "-"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def other_changes(old_doc, new_doc, covered_tiers: set[str], clients: set[str]) -> list[Change]:
    """Every changed field no comparison judged: content (minor) or wording (patch)."""
    found = []
    for path, a, b in _leaves(_keyed(old_doc), _keyed(new_doc)):
        if any(path[:len(c)] == c for c in COVERED):
            continue
        client = None
        subject_path = path
        if path[:1] == ("clients",) and len(path) >= 2:
            if path[1] in clients and len(path) >= 3 and path[2] in _CLIENT_COVERED:
                continue
            if path[1] in clients:
                client, subject_path = path[1], path[2:] or ("client",)
            elif len(path) == 2:
                continue  # a client added or removed: reported on its own
        if path[:1] == ("tiers",) and len(path) >= 3 and path[1] in covered_tiers \
                and path[2] in _TIER_COVERED:
            continue
        subject = ".".join(str(p) for p in subject_path)
        pointer = _pointer(new_doc if b is not None else old_doc, path)
        if path[-1] in _WORDING_KEYS or (len(path) >= 2 and path[-2] in _WORDING_KEYS) \
                or ("metadata", "changes") == path[:2] or ("metadata", "signatories") == path[:2]:
            found.append(wording(client, subject, _show(a), _show(b), pointer=pointer))
        else:
            found.append(neutral(client, subject, _show(a), _show(b), pointer=pointer))
    return found
