"""PDF: a document's HTML laid out on A4 pages by WeasyPrint, with its data attached.

The PDF is the HTML document (same template, same stylesheet: `_style.css.j2`
holds the print rules, so a browser printing the HTML gives the same pages) put
through a paged-media engine. Only this module imports WeasyPrint, and only when
a PDF is asked for: `charterc check` and the other formats never load it.

What the PDF adds to the HTML:
- metadata: title and language from the HTML (`<title>`, `<html lang>`), author
  (the provider), creation and modification dates;
- PDF/A-3b (spec 8.2): XMP metadata with `pdfaid:part` 3 and `pdfaid:conformance` B,
  an output intent (WeasyPrint's sRGB ICC profile), every font embedded, and the
  embedded files (as Factur-X attaches its XML) listed in the catalogue's `/AF`, each
  with its AFRelationship: `sla.json` (Data) and the canonical charter (Source);
- fonts that come with charterc (`render/fonts/`: Liberation Sans, Sans Bold and Mono
  2.1.5, from Debian's fonts-liberation2, under the SIL Open Font License beside them),
  declared by `@font-face` and served from the package; the font configuration is an
  empty one (`fonts/empty.conf`) plus these, so that no font of the machine is ever
  reachable: the same document gives the same bytes on any machine (text beyond the
  fonts' coverage shows as missing glyphs rather than in a font the next machine lacks);
- reproducible bytes: the dates are given (`Pdf.created`), never the clock; the
  file identifier is derived from the document's own content.

WeasyPrint needs pango and harfbuzz from the system; without them (or without
WeasyPrint) `PdfProblem` says which, and the build stops with a usage error.
"""
from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import cache
from importlib.resources import files
from typing import Any

from ..errors import CharterError
from .formats import Attachment, Facts, OutputRequestError

__all__ = ["FONTS", "VARIANT", "Attached", "Pdf", "PdfProblem", "available", "convert",
           "created_from", "font_faces", "html_to_pdf", "require"]

# What the PDF of a document needs from the system, named in PdfProblem's message.
SYSTEM_LIBRARIES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"

# The PDF standard every PDF declares and meets (WeasyPrint's variant name).
VARIANT = "pdf/a-3b"

# The faces shipped in render/fonts/ (font-family, weight, file): the print stylesheet
# (_style.css.j2) names these families; a bold mono is synthesised from the mono face.
FONTS = (("Liberation Sans", "normal", "LiberationSans-Regular.ttf"),
         ("Liberation Sans", "bold", "LiberationSans-Bold.ttf"),
         ("Liberation Mono", "normal", "LiberationMono-Regular.ttf"))
# The scheme of the fonts' URLs in the @font-face rules: served from the package only.
FONT_SCHEME = "charterc-font"


class PdfProblem(CharterError):
    """A PDF cannot be made: WeasyPrint or its system libraries are missing, or it failed."""


# What a PDF says of itself and the files it carries: the output stage's own types.
Attached = Attachment
Pdf = Facts


def _weasyprint() -> Any:
    from .findings.libraries import escape_logging
    escape_logging()  # WeasyPrint and fontTools log
    try:
        import weasyprint  # type: ignore[import-untyped]
    except ImportError as exc:
        raise PdfProblem(f"--format pdf needs WeasyPrint ({exc}): "
                         "pip install 'charterc[pdf]'") from None
    except OSError as exc:  # cffi could not load pango, harfbuzz or fontconfig
        raise PdfProblem(f"--format pdf needs WeasyPrint's system libraries ({exc}): "
                         f"install {SYSTEM_LIBRARIES} (Debian and Ubuntu package names)") \
            from None
    return weasyprint


def _fonts_folder() -> Any:
    return files(__package__) / "fonts"


def font_faces() -> str:
    """The @font-face rules of the shipped fonts (a user stylesheet of every PDF)."""
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: normal; '
        f'src: url({FONT_SCHEME}:{file}); }}'
        for family, weight, file in FONTS)


@cache
def _fetcher_class(weasyprint: Any) -> Any:
    class Fetcher(weasyprint.URLFetcher):  # type: ignore[misc]
        """Inline data, and the shipped fonts by name: nothing else is ever fetched."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme, _, name = url.partition(":")
            if scheme == FONT_SCHEME:
                if name not in {file for _, _, file in FONTS}:
                    raise ValueError(f"no font {name!r} in charterc")
                body = (_fonts_folder() / name).read_bytes()
                return weasyprint.urls.URLFetcherResponse(url, body=body)
            return super().fetch(url, headers)

    return Fetcher


def _font_config(weasyprint: Any) -> Any:
    """A font configuration that knows no font of the machine: fontconfig is started on
    an empty configuration (`fonts/empty.conf`); the @font-face rules add charterc's."""
    from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]
    empty = _fonts_folder() / "empty.conf"
    before = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(empty)
    try:
        return FontConfiguration()
    finally:
        if before is None:
            del os.environ["FONTCONFIG_FILE"]
        else:
            os.environ["FONTCONFIG_FILE"] = before


def _list_attachments_once(document: Any, pdf: Any) -> None:
    """The catalogue's `/AF` names each embedded file once (WeasyPrint lists them twice:
    from the names tree and from the file specifications)."""
    listed = pdf.catalog.get("AF")
    if listed:
        unique = list(dict.fromkeys(listed))
        listed.clear()
        listed.extend(unique)


def available() -> None:
    """PdfProblem unless WeasyPrint and its system libraries load."""
    _weasyprint()


def require() -> None:
    """The `pdf` format's check before anything is made: OutputRequestError (a usage
    error) unless WeasyPrint and its system libraries load."""
    try:
        _weasyprint()
    except PdfProblem as exc:
        raise OutputRequestError(str(exc)) from None


def convert(html: str, facts: Facts) -> bytes:
    """The `pdf` format, converted from the document's HTML (formats.FORMATS)."""
    return html_to_pdf(html, facts)


def created_from(*dates: date | None) -> date:
    """The first date given: the PDF's creation date (never the clock's)."""
    for day in dates:
        if day is not None:
            return day
    raise ValueError("a PDF needs a date: none was given")


@contextmanager
def _font_dates(moment: datetime) -> Iterator[None]:
    """SOURCE_DATE_EPOCH at `moment` while fonts are subset, unless it is set already.

    Without HarfBuzz-Subset, WeasyPrint subsets fonts with fontTools, which stamps each
    subset's `head` table with the clock's time unless SOURCE_DATE_EPOCH is set: two
    builds a second apart differed in every PDF."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def html_to_pdf(html: str, pdf: Pdf) -> bytes:
    """The PDF of a stand-alone HTML document (it loads nothing: no base URL)."""
    weasyprint = _weasyprint()
    moment = datetime(pdf.created.year, pdf.created.month, pdf.created.day, tzinfo=UTC)
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        # documents stand alone: nothing but inline data and charterc's fonts is fetched
        fetcher = _fetcher_class(weasyprint)(allowed_protocols=("data",))
        fonts = _font_config(weasyprint)
        faces = weasyprint.CSS(string=font_faces(), url_fetcher=fetcher, font_config=fonts)
        document = weasyprint.HTML(string=html, url_fetcher=fetcher).render(
            font_config=fonts, stylesheets=[faces], pdf_variant=VARIANT)
        metadata = document.metadata
        metadata.authors = [pdf.author]
        metadata.generator = "charterc"
        metadata.created = metadata.modified = stamp
        attachments = [
            weasyprint.Attachment(file_obj=io.BytesIO(a.data), name=a.name,
                                  description=a.description, created=moment, modified=moment,
                                  relationship=a.relationship)
            for a in pdf.attachments]
        # the same document always gets the same identifier: a digest of what it shows
        # and carries (the file's other bytes follow from these)
        digest = hashlib.sha256(html.encode("utf-8"))
        for a in pdf.attachments:
            digest.update(a.name.encode("utf-8") + b"\0" + a.data)
        with _font_dates(moment):
            data: bytes = document.write_pdf(
                attachments=attachments, pdf_variant=VARIANT, finisher=_list_attachments_once,
                pdf_identifier=digest.hexdigest()[:32].encode("ascii"))
    except Exception as exc:  # WeasyPrint's own failures: not a traceback for the user
        raise PdfProblem(f"WeasyPrint could not lay out the document: "
                         f"{type(exc).__name__}: {exc}") from None
    return data

