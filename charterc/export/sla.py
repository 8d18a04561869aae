"""`sla.json`: every promise of a charter as data, one entry per client x objective.

An entry is one comparable target: availability (`>=` a percent over a window),
or a response or resolution time for one priority (`<=` a duration, met by a
share of the tickets, the attainment). Each carries what a monitoring system
needs to judge it: the clock, the hours (schedule, zone, holidays) it counts in,
the maintenance windows, the credits owed when availability is missed, the
measuring system, and where the promise is written in the charter.

The document is checked against `schemas/sla.schema.json` on every build: a
file that does not match its own published schema is a charterc bug, and the
build stops rather than ship it.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, cast

from ..errors import CharterError
from ..model.hours import Hours
from ..model.values import Percent
from . import Exported

if TYPE_CHECKING:
    from ..model.charter import Client
    from ..render.view import Subject

__all__ = ["SlaSchemaError", "client_sla", "client_sla_bytes", "export", "export_client",
           "schema_path", "sla_document", "sla_entries", "sla_head", "sla_text"]

SCHEMA_NAME = "sla.schema.json"


class SlaDocument(TypedDict):
    """The head of sla.json (one line each when written), then its entries."""

    charter: str
    title: str
    version: str
    status: str
    provider: str
    sha256: str
    currency: str
    term: dict[str, object]
    entries: list[dict[str, object]]


class SlaSchemaError(CharterError):
    """sla.json does not match schemas/sla.schema.json (an internal error)."""


def schema_path() -> Path:
    """The installed copy (`charterc/schemas/`) or the repository's `schemas/`."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "schemas" / SCHEMA_NAME, package.parent / "schemas" / SCHEMA_NAME):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{SCHEMA_NAME} is not installed with charterc")


@lru_cache(maxsize=2)
def _validators(detailed: bool = False) -> tuple[Callable[[object], object],
                                                  Callable[[object], object]]:
    """The schema's validators of sla.json's head (with no entries) and of one entry.

    An entry is validated as it is made, and written, and dropped: a charter's entries are
    never all held at once. This is the whole document's validation only while the schema
    asks nothing of `entries` but `items` (a `minItems` or `uniqueItems` would be checked
    here too). Without `detailed` messages (the build's case: its sla.json is
    valid), a failed `oneOf` branch does not build the message it would need.
    """
    import fastjsonschema
    schema = cast(dict[str, Any],
                  _const_as_enum(json.loads(schema_path().read_text(encoding="utf-8"))))
    entry = {"$schema": schema["$schema"], "definitions": schema["definitions"],
             "$ref": "#/definitions/entry"}
    return (fastjsonschema.compile(schema, detailed_exceptions=detailed),
            fastjsonschema.compile(entry, detailed_exceptions=detailed))


def _const_as_enum(schema: object) -> object:
    """`{"const": x}` written `{"enum": [x]}`, which means the same: fastjsonschema cannot
    compile `const` without detailed messages (2.22: a KeyError in its generator). No
    property of sla.json is named `const`."""
    if isinstance(schema, list):
        return [_const_as_enum(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {("enum" if key == "const" else key):
            ([value] if key == "const" else _const_as_enum(value))
            for key, value in schema.items()}


_HEAD, _ENTRY = 0, 1   # which of `_validators()`


def _valid(document: object, which: int, where: str) -> None:
    """SlaSchemaError (with the schema's own message) unless `document` is valid: the head
    (`_HEAD`) or an entry (`_ENTRY`)."""
    try:
        _validators()[which](document)
    except Exception as fast:  # fastjsonschema.JsonSchemaException
        message = str(fast)
        try:
            _validators(detailed=True)[which](document)
        except Exception as exc:
            message = str(exc)
        raise SlaSchemaError(f"{where}: sla.json does not match {SCHEMA_NAME}: "
                             f"{message}") from None


def _number(value: Decimal | Percent | None) -> int | float | None:
    """Exact decimals as JSON numbers: integral values as ints, others by their shortest form."""
    if value is None:
        return None
    if isinstance(value, Percent):
        value = value.value
    return int(value) if value == value.to_integral_value() else float(value)


def _hours(hours: Hours) -> dict[str, object]:
    """The hours as written, with the zone and holidays the model resolved for them."""
    if hours.is_24x7:
        return {"schedule": "24x7", "timezone": hours.zone, "holidays": "none"}
    return {"schedule": [dict(r) for r in hours.entries], "timezone": hours.zone,
            "holidays": hours.holidays}


def _source(subject: Subject, pointer: str) -> dict[str, object]:
    line, column = subject.sources.locate(pointer)
    return {"file": subject.file, "line": line, "column": column, "pointer": pointer}


def _entries(subject: Subject, client: Client) -> Iterator[dict[str, object]]:
    charter = subject.charter
    tier = charter.tier(client.tier)
    assert tier is not None, "the references (R301) checked that a client's tier exists"
    hours = _hours(tier.hours)
    maintenance = _hours(tier.maintenance) if tier.maintenance else None
    cadence = charter.report_cadence(client)
    base = {"client": client.id, "tier": tier.id}
    avail = tier.objectives.availability
    if avail is not None:
        credits = tier.credits
        yield {
            "id": f"{client.id}/availability", **base, "metric": "availability", "priority": None,
            "comparator": ">=", "target": {"percent": _number(avail.target)},
            "attainment": None, "window": avail.window_or_default, "clock": "calendar",
            "hours": hours, "maintenance": maintenance,
            "credits": None if credits is None else {
                "bands": [{"below": _number(b.below), "credit": _number(b.credit)}
                          for b in credits.bands],
                "cap": _number(credits.cap)},
            "measured_by": avail.measured_by,
            "source": _source(subject, f"{avail.pointer}/target")}
    for objective in (tier.objectives.response, tier.objectives.resolution):
        if objective is None:
            continue
        for priority in charter.priorities:
            target = objective.priority_targets.get(priority)
            if target is None:
                continue
            yield {
                "id": f"{client.id}/{objective.kind}/{priority}", **base,
                "metric": objective.kind, "priority": priority, "comparator": "<=",
                "target": {"duration": str(target), "days": target.days,
                           "minutes": target.minutes},
                "attainment": _number(objective.attainment_or_default), "window": cadence,
                "clock": objective.clock_or_default, "hours": hours, "maintenance": None,
                "credits": None,
                "measured_by": objective.measured_by,
                "source": _source(subject, f"{objective.pointer}/{priority}")}


def sla_head(subject: Subject) -> dict[str, object]:
    """sla.json without its entries."""
    charter = subject.charter
    meta = charter.metadata
    return {
        "charter": meta.id, "title": meta.title, "version": meta.version,
        "status": meta.status, "provider": charter.provider.name,
        "sha256": subject.sha256, "currency": charter.business.currency,
        "term": {"start": charter.period.start.isoformat(),
                 "years": charter.period.years_or_default},
    }


def sla_entries(subject: Subject) -> Iterator[dict[str, object]]:
    """sla.json's entries, one at a time (client by client, in the charter's order)."""
    for client in subject.charter.clients:
        yield from _entries(subject, client)


def sla_document(subject: Subject) -> SlaDocument:
    """The whole of sla.json as one document (the build writes it entry by entry)."""
    return cast(SlaDocument, {**sla_head(subject), "entries": list(sla_entries(subject))})


def export(subject: Subject) -> Exported:
    """Indented head, then one entry per line: readable, diffable, and fast to write.

    Each entry is checked against the schema, written and dropped as it is made."""
    return Exported(sla_text(sla_head(subject), sla_entries(subject)).encode("utf-8"))


def export_client(subject: Subject, client_id: str) -> Exported:
    """One client's `sla.json` (spec section 8.2): the same head, that client's entries only,
    written and validated as `export` writes the whole file. KeyError for an unknown client."""
    client = next((c for c in subject.charter.clients if c.id == client_id), None)
    if client is None:
        raise KeyError(client_id)
    return Exported(sla_text(sla_head(subject), _entries(subject, client)).encode("utf-8"))


def sla_text(head: Mapping[str, object], entries: Iterable[Mapping[str, object]]) -> str:
    """sla.json's text: the head checked and written one key a line, then each entry
    checked and written on its own line."""
    where = str(head["charter"])
    _valid({**head, "entries": []}, _HEAD, where)
    lines = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()
             if k != "entries"]
    written = []
    for entry in entries:
        _valid(entry, _ENTRY, f"{where} {entry.get('id')}")
        written.append(f"    {json.dumps(entry, ensure_ascii=False)}")
    body = ",\n".join(written)
    return "{\n" + "\n".join(lines) + '\n  "entries": [\n' + body + ("\n" if body else "") \
        + "  ]\n}\n"


def client_sla(document: Mapping[str, object], client_id: str) -> SlaDocument:
    """The slice of a whole `sla.json` document (as `sla_document` returns it, or as read
    back from the file) that one client may see: the same head, only the entries whose
    `client` is `client_id`, in their order. It is validated against the schema (SlaSchemaError
    otherwise); a client with no entry gets an empty list. The release bundles and each
    agreement's attachment are this slice (spec section 8.2: a client sees only its own)."""
    head = {k: v for k, v in document.items() if k != "entries"}
    entries = document.get("entries")
    mine = [dict(e) for e in (entries if isinstance(entries, list) else ())
            if isinstance(e, Mapping) and e.get("client") == client_id]
    where = f"{head.get('charter')} ({client_id})"
    _valid({**head, "entries": []}, _HEAD, where)
    for entry in mine:
        _valid(entry, _ENTRY, f"{where} {entry.get('id')}")
    return cast(SlaDocument, {**head, "entries": mine})


def client_sla_bytes(document: Mapping[str, object], client_id: str) -> bytes:
    """`client_sla` written as the build writes sla.json (same layout, UTF-8)."""
    sliced = client_sla(document, client_id)
    return sla_text(cast(Mapping[str, object], sliced), sliced["entries"]).encode("utf-8")
