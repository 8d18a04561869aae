"""Maintain the message catalogues: `python -m charterc.render.catalogues extract|compile`.

`extract` collects every msgid (templates: `_()`/`ngettext()`; Python: `N_()`,
`gettext()`, `ngettext()`) into `locale/charterc.pot` and merges it into every
`locale/<lang>/LC_MESSAGES/charterc.po`, keeping existing translations.
`compile` writes the `.mo` next to each `.po` (committed, so builds need no
compile step). To add a language: `mkdir -p locale/<lang>/LC_MESSAGES`, run
`extract --init <lang>`, translate the `.po`, run `compile`.
"""
from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from .i18n import DOMAIN, LOCALE_DIR

__all__ = ["compiled", "extract", "mo_path", "po_path"]

_ROOT = Path(__file__).parent
_FIXED = datetime(2026, 1, 1, tzinfo=UTC)
_KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
_METHODS = [("templates/**.j2", "jinja2.ext:babel_extract"), ("**.py", "python")]


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def extract() -> Catalog:
    """Every msgid of the templates and the output stage's Python code (`render/`, where
    every document is rendered)."""
    catalog = Catalog(project="charterc", domain=DOMAIN)
    options = {"templates/**.j2": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True",
                                   "lstrip_blocks": "True"}}
    for filename, lineno, message, comments, context in extract_from_dir(
            str(_ROOT), method_map=_METHODS, options_map=options, keywords=_KEYWORDS,
            strip_comment_tags=True):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def compiled(lang: str) -> bytes:
    """The .mo bytes of a language's .po (deterministic: babel sorts the messages)."""
    with open(po_path(lang), "rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    catalog.creation_date = catalog.revision_date = _FIXED  # no clock in a committed file
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def _languages() -> list[str]:
    return sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("extract", "compile"):
        print(__doc__)
        return 2
    if argv[0] == "extract":
        template = extract()
        with open(LOCALE_DIR / f"{DOMAIN}.pot", "wb") as handle:
            write_po(handle, template, omit_header=True, sort_output=True, width=100,
                     no_location=True)
        langs = _languages() + (argv[2:3] if argv[1:2] == ["--init"] else [])
        for lang in langs:
            path = po_path(lang)
            if path.is_file():
                with open(path, "rb") as handle:
                    catalog = read_po(handle, locale=lang, domain=DOMAIN)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                catalog = Catalog(locale=lang, domain=DOMAIN, project="charterc")
            catalog.update(template, no_fuzzy_matching=True)
            with open(path, "wb") as handle:
                write_po(handle, catalog, omit_header=True, sort_output=True, width=100,
                         no_location=True, ignore_obsolete=True, include_previous=False)
        return 0
    for lang in _languages():
        mo_path(lang).write_bytes(compiled(lang))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
