"""`openslo.yaml`: the charter's objectives as OpenSLO v1 documents (Service, SLI, SLO).

One Service per charter; per client, one SLO for availability and one per
response/resolution x priority, each with its SLI (a ratio of good to total
events, read from the system named by `measured_by`).

OpenSLO v1 constrains what can be said, and the file must pass its published
JSON Schemas:
- `target` is in [0, 1): an objective at 100% (attainment, or availability)
  cannot be written, so it is left out and named in the build log and in the
  file's header comment;
- names are RFC 1123 labels of at most 63 characters: long ones are cut and
  given a short hash so that they stay unique;
- a calendar window's `timeZone` must look like Area/City (`Etc/UTC`, never
  `UTC`) and its `startTime` is "YYYY-MM-DD HH:MM:SS".

Without `measured_by` (M902 warns) the metric source type is the placeholder
`unspecified`, so the file still validates and says what is missing.
"""
from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from . import Exported, block_yaml

if TYPE_CHECKING:
    from ..model.charter import Charter, Client, Tier
    from ..render.view import Subject

__all__ = ["PLACEHOLDER_SOURCE", "export", "openslo_documents", "rfc1123"]

PLACEHOLDER_SOURCE = "unspecified"
WINDOWS = {"daily": "1d", "weekly": "1w", "monthly": "1M", "quarterly": "1Q", "yearly": "1Y"}
_AREA_CITY = re.compile(r"[A-Z][a-zA-Z_]+/[A-Z][a-zA-Z_]+")   # OpenSLO's own (unanchored) test
_UTC_NAMES = {"UTC", "UCT", "GMT", "Zulu", "Universal", "Greenwich", "Etc/UTC", "Etc/UCT",
              "Etc/GMT", "Etc/Zulu", "Etc/Universal", "Etc/Greenwich", "GMT0", "Etc/GMT0"}
_LABEL = re.compile(r"[^a-z0-9-]+")
_LABEL_VALUE = re.compile(r"[^a-zA-Z0-9._-]+")
_SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_STR, _MAP, _SEQ = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:map",
                    "tag:yaml.org,2002:seq")


class _Dumper(_SafeDumper):  # type: ignore[misc,valid-type]
    """yaml's safe dumper, the same bytes in half the time, for documents of plain types.

    Strings, dicts and lists (all of an OpenSLO document but its numbers and booleans)
    are represented without the per-node dispatch of `represent_data`, keeping its
    rules: a container met twice is one node (an anchor and an alias), and a mapping's
    or sequence's style is the dumper's default. Each scalar's implicit tag, which the
    serializer asks for twice per scalar, is resolved once per distinct value.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._tags: dict[tuple[str, tuple[bool, bool]], str] = {}

    def represent_data(self, data: object) -> Node:
        kind = type(data)
        if kind is str:
            return ScalarNode(_STR, data, style=self.default_style)
        if (kind is not dict and kind is not list) or self.sort_keys \
                or self.default_flow_style is None:
            represented: Node = super().represent_data(data)
            return represented
        if id(data) in self.represented_objects:
            known: Node = self.represented_objects[id(data)]
            return known
        self.object_keeper.append(data)
        node: Node
        represent = self.represent_data
        if kind is dict:
            pairs: list[tuple[Node, Node]] = []
            node = MappingNode(_MAP, pairs, flow_style=self.default_flow_style)
            self.represented_objects[id(data)] = node
            pairs += [(represent(k), represent(v)) for k, v in data.items()]  # type: ignore[attr-defined]
        else:
            items: list[Node] = []
            node = SequenceNode(_SEQ, items, flow_style=self.default_flow_style)
            self.represented_objects[id(data)] = node
            items += [represent(item) for item in data]  # type: ignore[attr-defined]
        return node

    def resolve(self, kind: type[Node], value: object, implicit: tuple[bool, bool]) -> str:
        if kind is not ScalarNode or self.yaml_path_resolvers:
            return str(super().resolve(kind, value, implicit))
        key = (str(value), implicit)
        tag = self._tags.get(key)
        if tag is None:
            tag = self._tags[key] = super().resolve(kind, value, implicit)
        return tag


def dump_all(documents: Iterable[object]) -> str:
    """`documents` in YAML, block style, keys in their order, each after `---`: the text
    `yaml.dump_all(documents, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
    default_flow_style=False, width=100, explicit_start=True)` writes.

    With libyaml, `block_yaml` writes the emitter's bytes itself, for all but unusual
    documents (a text needing double quotes, a long key, ...). Those, and every document
    without libyaml, go through events made here and written by the emitter, without
    yaml's representer and serializer, which cost nine tenths of the writing: a build
    writes two documents per objective of every client. A document holding one
    container twice (which yaml writes as an anchor and an alias), or a value not of
    JSON's types, is written by yaml. The file's events are held until it is written: a
    charter's documents, a few per objective of each client.
    """
    documents = list(documents)
    if _SafeDumper is not yaml.SafeDumper:  # libyaml's emitter: its bytes, written here
        try:
            return block_yaml.documents_text(documents, _scalar_text)
        except block_yaml.Unusual:
            pass
    events: list[Event] = [StreamStartEvent()]
    for document in documents:
        events.append(DocumentStartEvent(explicit=True))
        if not _node_events(document, events, set()):
            return str(yaml.dump_all(documents, Dumper=_Dumper, sort_keys=False,
                                     allow_unicode=True, default_flow_style=False, width=100,
                                     explicit_start=True))
        events.append(DocumentEndEvent(explicit=False))
    events.append(StreamEndEvent())
    return str(yaml.emit(events, Dumper=_SafeDumper, width=100, allow_unicode=True))


def _node_events(data: object, events: list[Event], seen: set[int]) -> bool:
    """Append the events of `data`; False when a container is met twice (`seen`) or a
    value is not of JSON's types (the writer then leaves the file to yaml)."""
    kind = type(data)
    if kind is str:
        events.append(_string_event(data))
    elif kind is dict:
        if id(data) in seen:
            return False
        seen.add(id(data))
        events.append(_MAPPING_START)
        for key, value in data.items():  # type: ignore[attr-defined]
            # a text key or value (most of them) is written here, without a call
            if type(key) is str:
                events.append(_string_event(key))
            elif not _node_events(key, events, seen):
                return False
            if type(value) is str:
                events.append(_string_event(value))
            elif not _node_events(value, events, seen):
                return False
        events.append(_MAPPING_END)
    elif kind is list:
        if id(data) in seen:
            return False
        seen.add(id(data))
        events.append(_SEQUENCE_START)
        for item in data:  # type: ignore[attr-defined]
            if not _node_events(item, events, seen):
                return False
        events.append(_SEQUENCE_END)
    elif kind in _PLAIN:
        events.append(_plain_event(kind.__name__, repr(data), data))
    else:  # a tuple, a date, bytes...: yaml's own representer writes those
        return False
    return True


_PLAIN = frozenset({bool, int, float, type(None)})


# The emitter reads an event, never changes it: one of each serves every container, and
# one per distinct text every occurrence of that text.
_MAPPING_START = MappingStartEvent(None, _MAP, True, flow_style=False)
_MAPPING_END = MappingEndEvent()
_SEQUENCE_START = SequenceStartEvent(None, _SEQ, True, flow_style=False)
_SEQUENCE_END = SequenceEndEvent()


def _scalar_text(data: object) -> tuple[str, tuple[bool, bool]]:
    """A number's, a boolean's or null's text and implicit flags, as yaml makes them."""
    event = _plain_event(type(data).__name__, repr(data), data)
    return event.value, event.implicit


@lru_cache(maxsize=1 << 16)
def _string_event(data: str) -> ScalarEvent:
    return _scalar_event(data)


@lru_cache(maxsize=1 << 12)
def _plain_event(kind: str, text: str, data: object) -> ScalarEvent:
    """A number's, a boolean's or null's event, made once per type and `repr`: equal
    values that print apart (0.0 and -0.0; 1 and True) each have their own."""
    return _scalar_event(data)


def _scalar_event(data: object) -> ScalarEvent:
    """The event of a scalar, as yaml's safe representer and serializer make it."""
    node = _REPRESENTER.represent_data(data)
    implicit = (_resolve(ScalarNode, node.value, (True, False)) == node.tag,
                _resolve(ScalarNode, node.value, (False, True)) == node.tag)
    return ScalarEvent(None, node.tag, implicit, node.value, style=None)


_REPRESENTER = yaml.SafeDumper(io.StringIO())
_resolve: Callable[[type[Node], str, tuple[bool, bool]], str] = _REPRESENTER.resolve


def rfc1123(*parts: str) -> str:
    """A DNS label (lower-case alphanumerics and '-', at most 63) naming `parts` uniquely."""
    raw = "-".join(parts).lower()
    name = _LABEL.sub("-", raw).strip("-")
    name = re.sub(r"-{2,}", "-", name) or "x"
    if len(name) > 63 or name != raw:  # cut or changed: a hash keeps it unique
        digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:8]
        name = f"{name[:54].rstrip('-')}-{digest}"
    return name


def _label(value: str) -> str:
    text = _LABEL_VALUE.sub("-", value).strip("-._")[:63].rstrip("-._")
    return text or "x"


def _fraction(percent: Decimal) -> float:
    return float(percent / 100)


def _calendar(zone: str, start: date) -> tuple[dict[str, str], str | None]:
    """OpenSLO calendar for a window starting at local midnight of `start`; a note if moved."""
    if zone in _UTC_NAMES:
        return {"startTime": f"{start.isoformat()} 00:00:00", "timeZone": "Etc/UTC"}, None
    if _AREA_CITY.search(zone):
        return {"startTime": f"{start.isoformat()} 00:00:00", "timeZone": zone}, None
    # e.g. EST5EDT: OpenSLO accepts only Area/City; state the same instant in UTC
    try:
        local = datetime(start.year, start.month, start.day, tzinfo=ZoneInfo(zone))
        instant = local.astimezone(UTC)
    except (KeyError, ValueError, OSError):
        instant = datetime(start.year, start.month, start.day, tzinfo=UTC)
    return ({"startTime": instant.strftime("%Y-%m-%d %H:%M:%S"), "timeZone": "Etc/UTC"},
            f"time zone {zone} is not Area/City: windows are stated in Etc/UTC")


def _source(measured_by: str | None, spec: dict[str, str]) -> dict[str, object]:
    if measured_by:
        return {"metricSource": {"type": measured_by, "spec": spec}}
    return {"metricSource": {"type": PLACEHOLDER_SOURCE,
                             "spec": {**spec, "note": "no measured_by in the charter"}}}


def _pair(charter: Charter, service: str, client: Client, tier: Tier, kind: str,
          priority: str | None, target: Decimal, window: str, zone: str, measured_by: str | None,
          detail: str, good: dict[str, str], total: dict[str, str],
          ) -> tuple[list[dict[str, object]], str | None]:
    parts = [charter.id, client.id, kind, *([priority] if priority else [])]
    name = rfc1123(*parts)
    sli_name = rfc1123(*parts, "sli")
    labels = {"charter": _label(charter.id), "client": _label(client.id), "tier": _label(tier.id),
              "objective": kind}
    if priority:
        labels["priority"] = _label(priority)
    title = f"{client.name}: {kind}{' ' + priority if priority else ''} {detail}"
    sli: dict[str, object] = {"apiVersion": "openslo/v1", "kind": "SLI",
           "metadata": {"name": sli_name, "displayName": title[:200]},
           "spec": {"description": f"{title}: good events / all events"[:1050],
                    "ratioMetric": {"counter": True, "good": _source(measured_by, good),
                                    "total": _source(measured_by, total)}}}
    calendar, note = _calendar(zone, charter.period.start)
    slo: dict[str, object] = {"apiVersion": "openslo/v1", "kind": "SLO",
           "metadata": {"name": name, "displayName": title[:200], "labels": labels},
           "spec": {"description": f"{charter.metadata.title} {charter.version}, tier {tier.name}: "
                                   f"{title}"[:1050],
                    "service": service, "indicatorRef": sli_name,
                    "timeWindow": [{"duration": WINDOWS[window], "isRolling": False,
                                    "calendar": calendar}],
                    "budgetingMethod": "Occurrences",
                    "objectives": [{"displayName": title[:200], "target": _fraction(target)}]}}
    return [sli, slo], note


def openslo_documents(subject: Subject, left_out: list[str], notes: set[str],
                      ) -> Iterator[dict[str, object]]:
    """The documents, one at a time.

    Objectives left out (a target of 100%) are added to `left_out`, and notes on the
    documents (a time zone restated) to `notes`, as they are met."""
    charter = subject.charter
    service = rfc1123(charter.id)
    yield {"apiVersion": "openslo/v1", "kind": "Service",
           "metadata": {"name": service, "displayName": charter.metadata.title},
           "spec": {"description": f"{charter.metadata.title}: service charter "
                                   f"{charter.version} of {charter.provider.name}"[:1050]}}
    for client in charter.clients:
        tier = charter.tier(client.tier)
        assert tier is not None, "the references (R301) checked that a client's tier exists"
        zone = tier.hours.zone
        base = {"charter": charter.id, "client": client.id}
        avail = tier.objectives.availability
        if avail is not None:
            assert avail.target is not None, "the schema requires an availability target"
            target = avail.target.value
            if target >= 100:
                left_out.append(f"{client.id}/availability")
            else:
                pair, note = _pair(
                    charter, service, client, tier, "availability", None, target,
                    avail.window_or_default, zone, avail.measured_by, f">= {target}%",
                    {**base, "metric": "available-minutes"},
                    {**base, "metric": "minutes-outside-maintenance"})
                yield from pair
                notes.update([note] if note else [])
        cadence = charter.report_cadence(client)
        for objective in (tier.objectives.response, tier.objectives.resolution):
            if objective is None:
                continue
            for priority in charter.priorities:
                within = objective.priority_targets.get(priority)
                if within is None:
                    continue
                attainment = objective.attainment_or_default.value
                if attainment >= 100:
                    left_out.append(f"{client.id}/{objective.kind}/{priority}")
                    continue
                spec = {**base, "objective": objective.kind, "priority": priority}
                pair, note = _pair(
                    charter, service, client, tier, objective.kind, priority,
                    attainment, cadence, zone, objective.measured_by,
                    f"within {within} ({objective.clock_or_default} clock)",
                    {**spec, "metric": "tickets-within-target", "threshold": str(within),
                     "clock": objective.clock_or_default},
                    {**spec, "metric": "tickets"})
                yield from pair
                notes.update([note] if note else [])


def export(subject: Subject) -> Exported:
    left_out: list[str] = []
    found: set[str] = set()
    body = dump_all(openslo_documents(subject, left_out, found))
    notes = sorted(found)
    header = [f"# OpenSLO v1 documents of charter {subject.charter.id} "
              f"{subject.charter.version}, written by charterc build."]
    log = [f"openslo.yaml: {n}" for n in notes]
    if left_out:
        header.append("# Left out (a target of 100% cannot be written: OpenSLO targets are "
                      "below 1):")
        header += [f"#   {item}" for item in left_out]
        # one short line a person reads; the ids are in the file's header and --verbose
        log.append(f"openslo.yaml leaves out {len(left_out)} objective(s) at 100% "
                   "(OpenSLO targets must be below 1; listed in its header comment)")
    details = [f"openslo.yaml left out {item}" for item in left_out]
    return Exported(("\n".join(header) + "\n" + body).encode("utf-8"), tuple(log),
                    tuple(details))
