"""How many comments a charter text holds, so that `charterc convert` can say what it drops.

A YAML comment is a `#` outside every token and at a line's start or after a blank
(PyYAML scans comments away, so the scalars' spans tell them from a `#` in text);
a DSL comment is a `#` outside quoted text. The YAML modeline
(`# yaml-language-server: ...`) is not counted: writers make their own.
"""
from __future__ import annotations

from typing import Literal

__all__ = ["count_comments"]

_MODELINE = "# yaml-language-server:"


def count_comments(text: str, syntax: Literal["yaml", "dsl"]) -> int:
    """The number of comments in `text`, a loadable charter in `syntax`."""
    return _yaml_comments(text) if syntax == "yaml" else _dsl_comments(text)


def _dsl_comments(text: str) -> int:
    from .fmt import _split_comment
    return sum(1 for line in text.splitlines() if _split_comment(line)[1])


def _yaml_comments(text: str) -> int:
    import yaml

    from ..loaders.yaml import _Loader  # the scanner that loaded the text takes it again

    spans = sorted((token.start_mark.index, token.end_mark.index)
                   for token in yaml.scan(text, Loader=_Loader)
                   if token.start_mark.index != token.end_mark.index)
    count, index, span = 0, text.find("#"), 0
    while index != -1:
        while span < len(spans) and spans[span][1] <= index:
            span += 1
        inside = span < len(spans) and spans[span][0] <= index
        if not inside and (index == 0 or text[index - 1] in " \t\r\n"):
            if not text.startswith(_MODELINE, index):
                count += 1
            end = text.find("\n", index)
            index = text.find("#", end) if end != -1 else -1
        else:
            index = text.find("#", index + 1)
    return count
