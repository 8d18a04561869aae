"""What a release adds to the documents: each client's bundle and the checksums.

- `clients/<client>.zip`: that client's agreements, from every charter that serves it
  (clients are matched by id), in every language and format built, each with its own
  `sla.json` slice: the charter's entries for that client only, under the same head
  (`export.sla.client_sla_bytes`). Nothing of another client: no other agreement, no
  other entry.
- `SHA256SUMS`: one line per file of the release, `<sha256>  <path>`, sorted by path, the
  format `sha256sum -c` reads.

Both are byte-reproducible: the archive's entries are sorted, dated by the release's date
(never the clock), with fixed permissions and compression level.
"""
from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Mapping
from datetime import date

__all__ = ["SUMS", "bundle", "checksums"]

SUMS = "SHA256SUMS"


def bundle(files: Mapping[str, bytes], day: date) -> bytes:
    """A zip archive of `files` (name in the archive -> bytes), the same bytes every time."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3   # unix, whatever the machine
            archive.writestr(info, files[name], compress_type=zipfile.ZIP_DEFLATED,
                             compresslevel=9)
    return buffer.getvalue()


def checksums(files: Mapping[str, bytes]) -> bytes:
    """SHA256SUMS of `files` (relative path -> bytes), as `sha256sum` prints it."""
    return "".join(f"{hashlib.sha256(files[path]).hexdigest()}  {path}\n"
                   for path in sorted(files)).encode("utf-8")
