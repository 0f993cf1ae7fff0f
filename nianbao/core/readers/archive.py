"""ZIP members inflated under a cap: DOCX and XLSX are ZIP files whose headers are the sender's to write."""

from __future__ import annotations

import zipfile

MAX_INFLATED_BYTES = 64 * 1024 * 1024
_MAX_RATIO = 200
_CHUNK = 1 << 20


def inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, keep: bool = True) -> bytes:
    """The member's bytes, inflated a chunk at a time and capped by what was inflated, not by the sizes the
    ZIP headers declare: one unbounded read of a lying member inflates it whole before any size is checked.
    With ``keep`` false the bytes are only counted (a check before a library reads the archive itself)."""
    limit = min(MAX_INFLATED_BYTES, _MAX_RATIO * max(info.compress_size, 1))
    if info.file_size > limit:
        raise ValueError(f"{info.filename} expands to {info.file_size} bytes from {info.compress_size}: "
                         "refusing a likely ZIP bomb")
    out = bytearray()
    seen = 0
    with zf.open(info) as member:
        while chunk := member.read(_CHUNK):
            seen += len(chunk)
            if keep:
                out += chunk
            if seen > limit:
                raise ValueError(f"{info.filename} expands past {limit} bytes from {info.compress_size}: "
                                 "refusing a likely ZIP bomb")
    return bytes(out)
