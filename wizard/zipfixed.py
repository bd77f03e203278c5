"""Zip archives that are the same bytes for the same content: fixed timestamps, fixed
permissions, members in the order given. The Word and Excel files (both zips) and the
submission package are written through here, so packing the same draft twice gives
byte-identical files and their SHA-256 in a manifest means something.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

# 1980-01-01 00:00:00 is the earliest time a zip entry can hold.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def write_zip(members: Iterable[tuple[str, bytes]]) -> bytes:
    """A deflated zip of `members` (name, bytes), in that order, with fixed metadata."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix: the permission bits above mean what they say
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def normalise_zip(data: bytes) -> bytes:
    """The zip `data` (a .docx or .xlsx as a library wrote it) rewritten with fixed
    metadata, members in their original order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    return write_zip(members)
