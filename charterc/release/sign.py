"""PAdES signatures on the release's PDFs (spec section 13), with pyHanko (the `sign` extra).

Each PDF gets the provider's PAdES baseline signature (B-B: a CAdES detached signature,
SubFilter `ETSI.CAdES.detached`, with the signing certificate as a signed attribute),
written as an **incremental update**: the signed file is the unsigned file, byte for byte,
followed by the signature's objects. So what the PDF declared before signing (PDF/A-3b:
its XMP identification, output intent, embedded fonts and attachments) still holds, and
the signature covers the whole file as the build made it. The document's metadata (the
Info dictionary and the XMP stream) is left as the build wrote it: pyHanko would otherwise
rewrite the two differently (its name appended to one producer, replacing the other), which
PDF/A forbids. The signature field is invisible (a zero rectangle, printable and locked),
which PDF/A allows without an appearance.

The signing time is the moment of signing: a signed PDF is the one file of a release whose
bytes differ from one run to the next (docs/release.md). pyHanko is imported only here,
and only when `--sign` is given.
"""
from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

from ..errors import CharterError

__all__ = ["FIELD", "SignProblem", "Signer", "load_signer"]

FIELD = "Signature"   # the signature field each PDF gets
PASSWORD_VARIABLE = "CHARTERC_SIGN_PASSWORD"


class SignProblem(CharterError):
    """The key cannot be read (no such file, wrong password, not PKCS#12) or a PDF cannot
    be signed: a usage error, exit 2."""


def _pyhanko() -> Any:
    from ..extras import MissingExtra, require
    try:
        require("sign", "--sign")
    except MissingExtra as exc:
        raise SignProblem(str(exc)) from None
    with warnings.catch_warnings():  # cryptography's deprecation notes on import
        warnings.simplefilter("ignore")
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers
    return IncrementalPdfFileWriter, fields, signers


class Signer:
    """A PKCS#12 key and certificate, loaded once, that signs PDFs."""

    def __init__(self, key: str | Path, password: bytes | None) -> None:
        _, _, signers = _pyhanko()
        self.key = Path(key)
        if not self.key.is_file():
            raise SignProblem(f"--sign {key}: no such file")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                loaded = signers.SimpleSigner.load_pkcs12(str(self.key), passphrase=password)
        except Exception as exc:  # pyHanko or cryptography: a bad file or a wrong password
            loaded, reason = None, f"{type(exc).__name__}: {exc}"
        else:
            reason = ""
        if loaded is None:
            hint = (f" (is {PASSWORD_VARIABLE} set to its password?)" if password is None
                    else f" (is {PASSWORD_VARIABLE} its password?)")
            raise SignProblem(f"--sign {key}: cannot read a PKCS#12 key and certificate"
                              + (f": {reason}" if reason else "") + hint)
        self._signer = loaded

    @property
    def subject(self) -> str:
        """Who signs: the certificate's subject, as people read it."""
        cert = self._signer.signing_cert
        return str(cert.subject.human_friendly) if cert is not None else "unknown"

    def sign(self, data: bytes, name: str) -> bytes:
        """`data` (a PDF) with a PAdES baseline signature appended (incremental update)."""
        writer_type, fields, signers = _pyhanko()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                writer = writer_type(io.BytesIO(data))
                # the document's metadata stays as the build wrote it: pyHanko would add
                # its name to the Info dictionary's /Producer but write only its own in
                # the XMP, and date each "now" apart, and PDF/A wants the two to agree
                writer._update_meta = lambda: None
                meta = signers.PdfSignatureMetadata(
                    field_name=FIELD, subfilter=fields.SigSeedSubFilter.PADES,
                    md_algorithm="sha256")
                signed: io.BytesIO = signers.sign_pdf(writer, meta, signer=self._signer)
        except Exception as exc:  # pyHanko's own failures: not a traceback for the user
            raise SignProblem(f"cannot sign {name}: {type(exc).__name__}: {exc}") from None
        return signed.getvalue()


def load_signer(key: str | Path, password: str | None) -> Signer:
    """The signer of `key` (a .p12/.pfx file), its password from CHARTERC_SIGN_PASSWORD."""
    return Signer(key, password.encode("utf-8") if password is not None else None)
