"""Runnable rule examples: the "Fails:" / "Passes:" overlays in each rule's docstring.

An overlay is a YAML fragment merged onto `example_base.charter.yaml`: mappings
merge key by key, lists of mappings merge item by item on `id` (new ids are
appended), other lists are replaced, and `null` deletes a key. The examples are
the rule's documentation (`charterc explain`) and a test runs every one of them,
so the documentation cannot drift from the behaviour.
"""
from __future__ import annotations

import copy
import textwrap
from pathlib import Path
from typing import Any

__all__ = ["EXAMPLE_TODAY", "apply_overlay", "base_document", "examples_of"]

BASE = Path(__file__).with_name("example_base.charter.yaml")
EXAMPLE_TODAY = "2026-06-01"  # the `--today` the examples are written for


def base_document() -> dict[str, Any]:
    from ..loaders import load_path
    document: dict[str, Any] = load_path(BASE).document
    return document


def _merge_list(base: list[Any], overlay: list[Any]) -> list[Any]:
    if not (all(isinstance(i, dict) and "id" in i for i in overlay)
            and all(isinstance(i, dict) and "id" in i for i in base)):
        return copy.deepcopy(overlay)
    merged = copy.deepcopy(base)
    index = {item["id"]: n for n, item in enumerate(merged)}
    for item in overlay:
        if item["id"] in index:
            merged[index[item["id"]]] = apply_overlay(merged[index[item["id"]]], item)
        else:
            merged.append({k: v for k, v in item.items() if v is not None})
    return [item for item in merged if item.get("id") is not None]


def apply_overlay(base: Any, overlay: Any) -> Any:
    if isinstance(base, dict) and isinstance(overlay, dict):
        merged = copy.deepcopy(base)
        for key, value in overlay.items():
            if value is None:
                merged.pop(key, None)
            elif key in merged:
                merged[key] = apply_overlay(merged[key], value)
            else:
                merged[key] = copy.deepcopy(value)
        return merged
    if isinstance(base, list) and isinstance(overlay, list):
        return _merge_list(base, overlay)
    return copy.deepcopy(overlay)


def _blocks(doc: str, label: str) -> list[str]:
    """The indented YAML blocks following each `label:` line of a docstring."""
    lines = doc.splitlines()
    blocks: list[str] = []
    for n, line in enumerate(lines):
        if line.strip() == f"{label}:":
            body: list[str] = []
            for following in lines[n + 1:]:
                if following.strip() and not following.startswith((" ", "\t")):
                    break
                body.append(following)
            blocks.append(textwrap.dedent("\n".join(body)).strip())
    return [b for b in blocks if b]


def examples_of(doc: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(failing overlays, passing overlays) of a rule docstring."""
    from ..loaders.yaml import load_text
    parsed: list[list[dict[str, Any]]] = []
    for label in ("Fails", "Passes"):
        overlays: list[dict[str, Any]] = []
        for block in _blocks(doc, label):
            loaded = load_text(block, f"<{label}>")
            if not loaded.ok or not isinstance(loaded.document, dict):
                raise ValueError(f"unreadable {label} example: {block!r}")
            overlays.append(loaded.document)
        parsed.append(overlays)
    return parsed[0], parsed[1]
