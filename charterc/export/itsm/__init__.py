"""ITSM targets: the charter compiled into an ITSM's own SLA configuration, and read back.

`charterc export --target NAME` and `charterc drift --NAME FILE` (spec section 11). A
target is a module of this package named in `TARGETS`, with three functions:

- `configuration(plan, options) -> (Configuration, warnings)`: the records the charter
  asks for (`plan.Plan`: hours, holidays over the term, goals, pauses);
- `write(configuration) -> {file name: bytes}`: the files `export` writes;
- `read(data) -> Configuration`: what the tool exports, parsed (`ItsmFormatError` for a
  file that is not in the tool's format).

Both sides are `Record`s with the fields compared as text, so `drift` is one comparison
for every target (`drift.compare`), and what `export` wrote reads back as the same
records: `read(write(c))` is `c`, and drift on its own export finds nothing.
"""
from __future__ import annotations

import importlib
import re
import uuid
from dataclasses import dataclass, field
from types import ModuleType

from ...errors import CharterError

__all__ = ["TARGETS", "Configuration", "ItsmFormatError", "OptionError", "Options", "Record",
           "field_text", "pauses", "stable_id", "status_map", "target"]

# target name -> module; `--target` and drift's options list these.
TARGETS: dict[str, str] = {
    "servicenow": "charterc.export.itsm.servicenow",
    "jsm": "charterc.export.itsm.jsm",
    "zendesk": "charterc.export.itsm.zendesk",
}

# A fixed namespace: the same charter id and role give the same id on every machine.
_NAMESPACE = uuid.UUID("6f1c2a9e-4b3d-5e7f-8a0b-1c2d3e4f5a6b")


class ItsmFormatError(CharterError):
    """A file `drift` reads is not in the tool's format (reported as I101)."""


class OptionError(CharterError):
    """A target option that cannot be used (`--status-map`, `--organization`): exit 2."""


@dataclass(frozen=True)
class Record:
    """One configuration record, its fields as text.

    `table` is the tool's own name for the record type (`contract_sla`, `cmn_schedule_span`,
    `goal`, `sla_policy`...); `key` identifies it across an export and a re-read (a sys_id,
    or a name the tool keeps); `kind` says what it configures, for the drift rules: `sla`
    (a target, its conditions), `schedule` (hours, zone), `span` (a weekly span), `holiday`.
    `pointer` places the charter side of a finding. Fields whose name holds `@` are shown,
    not compared (the display value of a reference).
    """

    table: str
    key: str
    name: str
    kind: str
    fields: dict[str, str]
    pointer: str = ""
    label: str = ""     # how a finding names it, when not `table "name"`

    @property
    def title(self) -> str:
        return self.label or f'{self.table} "{self.name}"'


def field_text(value: object) -> str:
    """A field's value as a `Record` holds it: JSON's true/false, None empty, else str()."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Configuration:
    """Every record of a target's export, in file order, and the file's own head."""

    records: tuple[Record, ...]
    head: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Options:
    """What a target needs beyond the charter: `--status-map`, `--organization`."""

    status_map: dict[str, str] = field(default_factory=dict)
    organizations: dict[str, str] = field(default_factory=dict)


def target(name: str) -> ModuleType:
    """The module of a target, imported now."""
    return importlib.import_module(TARGETS[name])


def stable_id(charter: str, role: str) -> str:
    """32 hex digits (a ServiceNow sys_id): UUID5 of the charter id and the record's role."""
    return uuid.uuid5(_NAMESPACE, f"{charter}/{role}").hex


_ENTRY = re.compile(r",\s*(?=[A-Za-z0-9 _-]+=)")


def status_map(values: tuple[str, ...] | list[str]) -> dict[str, str]:
    """`awaiting-customer=state=3^hold_reason=1,on-hold=state=3` -> {status: value}.

    Entries are separated by commas (a comma inside a value stays when what follows is
    not `name=`); the status is normalised as `pause_on` is (`Awaiting Customer`)."""
    from ...model.charter import status_key

    found: dict[str, str] = {}
    for value in values:
        for entry in _ENTRY.split(value.strip()):
            if not entry.strip():
                continue
            status, sep, mapped = entry.partition("=")
            if not sep or not status.strip() or not mapped.strip():
                raise OptionError(f"--status-map: {entry!r} is not STATUS=VALUE "
                                  "(e.g. awaiting-customer=state=3^hold_reason=1)")
            found[status_key(status)] = mapped.strip()
    return found


def pauses(statuses: tuple[str, ...], options: Options, defaults: dict[str, str],
           tool: str) -> list[str]:
    """The tool's value for each status of `pause_on`: `--status-map`, else the default
    for a stock instance; a status with neither is an `OptionError` naming it."""
    out = []
    for status in statuses:
        mapped = options.status_map.get(status, defaults.get(status))
        if mapped is None:
            known = ", ".join(sorted(defaults))
            raise OptionError(f"pause_on status {status!r} has no {tool} equivalent: give "
                              f"one with --status-map {status}=... (defaults exist for "
                              f"{known})")
        out.append(mapped)
    return out
