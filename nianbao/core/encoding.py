"""One way to turn a portal's bytes into text, for the spider and every reader alike.

County portals declare gb2312 and send GBK, declare UTF-8 and send GBK, or
declare nothing. A byte-order mark decides; otherwise bytes that are strictly
valid UTF-8 are UTF-8 (Chinese text in GBK is practically never valid UTF-8,
while GB18030 accepts almost any bytes, so its declaration cannot be trusted
over UTF-8's validity); then the declarations (the HTTP header, a ``<meta>`` or
XML declaration, read with w3lib's helpers) in that order, and GB18030, the
superset of every GB charset, last. The same bytes therefore read the same
wherever they are read.
"""

from __future__ import annotations

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

# GB2312 and GBK pages routinely hold characters only their superset has.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "hz": "gb18030"}


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    name = resolve_encoding(label)
    return _SUPERSET.get(name, name) if name else None


def encoding_of(data: bytes, content_type: str | None = None) -> str:
    """The encoding the bytes are in: UTF-8 when they are valid UTF-8, else the first declared one they decode
    in strictly, else GB18030."""
    bom, _ = read_bom(data)
    if bom:
        return bom
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    hints = [_codec(http_content_type_encoding(content_type)), _codec(html_body_declared_encoding(data[:4096]))]
    for name in dict.fromkeys(h for h in [*hints, "gb18030"] if h and h != "utf-8"):
        try:
            data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        return name
    return "gb18030"


def decode(data: bytes, content_type: str | None = None) -> str:
    """The bytes as text (without a byte-order mark); undecodable bytes become U+FFFD, never an error."""
    bom, mark = read_bom(data)
    if bom:
        return data[len(mark):].decode(bom, "replace")
    return data.decode(encoding_of(data, content_type), "replace")
