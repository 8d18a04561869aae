"""Exporters: a checked charter -> machine-readable files, one function each.

`EXPORTERS` maps the file name written into `dist/<id>/` to a function
`(subject) -> Exported`. An exporter returns its bytes and the notes it wants
in the build log (e.g. objectives OpenSLO cannot express: one short line with a
count; the list itself goes to `details`, printed by `build --verbose`); it never
prints.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..render.view import Subject

__all__ = ["EXPORTERS", "Exported", "exporter"]


@dataclass(frozen=True)
class Exported:
    data: bytes
    notes: tuple[str, ...] = field(default=())     # build log: one short line each
    details: tuple[str, ...] = field(default=())   # what the notes count (--verbose)


# file name -> "module:function", imported on use.
EXPORTERS: dict[str, str] = {
    "sla.json": "charterc.export.sla:export",
    "openslo.yaml": "charterc.export.openslo:export",
}


def exporter(name: str) -> Callable[[Subject], Exported]:
    """The function that writes `name`, imported now (only the formats built are loaded)."""
    module, func = EXPORTERS[name].split(":")
    found: Callable[[Subject], Exported] = getattr(importlib.import_module(module), func)
    return found
