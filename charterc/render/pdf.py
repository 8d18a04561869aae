"""PDF: a document's HTML laid out on A4 pages by WeasyPrint, with its data attached.

The PDF is the HTML document (same template, same stylesheet: `_style.css.j2`
holds the print rules, so a browser printing the HTML gives the same pages) put
through a paged-media engine. Only this module imports WeasyPrint, and only when
a PDF is asked for: `charterc check` and the other formats never load it.

What the PDF adds to the HTML:
- metadata: title and language from the HTML (`<title>`, `<html lang>`), author
  (the provider), creation and modification dates;
- embedded files (as Factur-X attaches its XML, PDF/A-3 style): `sla.json`
  (relationship Data) and the canonical charter as YAML (relationship Source);
- reproducible bytes: the dates are given (`Pdf.created`), never the clock; the
  file identifier is derived from the document's own content.

WeasyPrint needs pango and harfbuzz from the system; without them (or without
WeasyPrint) `PdfProblem` says which, and the build stops with a usage error.
"""
from __future__ import annotations

import hashlib
import io
from datetime import UTC, date, datetime
from typing import Any

from ..errors import CharterError
from .formats import Attachment, Facts, OutputRequestError

__all__ = ["Attached", "Pdf", "PdfProblem", "available", "convert", "created_from", "html_to_pdf",
           "require"]

# What the PDF of a document needs from the system, named in PdfProblem's message.
SYSTEM_LIBRARIES = ("libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation "
                    "fonts-dejavu-core")


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


def html_to_pdf(html: str, pdf: Pdf) -> bytes:
    """The PDF of a stand-alone HTML document (it loads nothing: no base URL)."""
    weasyprint = _weasyprint()
    moment = datetime(pdf.created.year, pdf.created.month, pdf.created.day, tzinfo=UTC)
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        # documents stand alone: nothing but inline data is ever fetched
        fetcher = weasyprint.URLFetcher(allowed_protocols=("data",))
        document = weasyprint.HTML(string=html, url_fetcher=fetcher).render()
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
        data: bytes = document.write_pdf(attachments=attachments,
                                         pdf_identifier=digest.hexdigest()[:32].encode("ascii"))
    except Exception as exc:  # WeasyPrint's own failures: not a traceback for the user
        raise PdfProblem(f"WeasyPrint could not lay out the document: "
                         f"{type(exc).__name__}: {exc}") from None
    return data

