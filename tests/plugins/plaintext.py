"""A format added the documented way (docs/architecture.md, "Adding an output format"):
this module, and one `Format` entry in `charterc.render.formats.FORMATS`. Plain text made
from the Markdown document: its markup marks removed."""
from __future__ import annotations

import re

from charterc.render.formats import Facts

_MARKS = re.compile(r"^#+ |\*\*|(?<!\\)\\(?=[\\`*_{}\[\]()#+\-.!|<>])", re.MULTILINE)


def convert(markdown: str, facts: Facts) -> bytes:
    """The document's Markdown without headings' hashes, bold marks and escapes."""
    return _MARKS.sub("", markdown).encode("utf-8")
