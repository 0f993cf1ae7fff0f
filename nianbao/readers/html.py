"""HTML pages and fragments to tokens.

Tables become cell tokens row by row (cells as printed, spans not expanded);
everything else becomes one text token per block-level line.  Page chrome is
cut away by keeping only the smallest element that holds the report's first and
last section headings.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from nianbao import sections
from nianbao.document import Document, Token
from nianbao.text import clean

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "gb_2312-80", "euc-cn"}

_BLOCK = frozenset(
    "p div br h1 h2 h3 h4 h5 h6 li ul ol dl dt dd section article header footer nav aside "
    "blockquote pre form center hr tr tbody thead tfoot caption title body html address main figure".split()
)
_SKIP = frozenset({"script", "style", "noscript", "head", "select", "template", "object", "iframe", "svg"})
# A cell this long, or holding a table, is page layout rather than a data cell.
_LAYOUT_CELL_CHARS = 300
_PREAMBLE_TOKENS = 200


def decode(data: bytes) -> str:
    """Decode by the declared charset when the bytes agree with it, else by trial.

    Pages declare gb2312 and contain GBK, or declare UTF-8 and contain GBK: the
    declaration is a hint, strict decoding decides.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    candidates = []
    m = _META_CHARSET.search(data[:4096])
    if m:
        declared = m.group(1).decode("ascii", "ignore").lower()
        candidates.append("gb18030" if declared in _GB else declared)
    candidates += ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", "replace")


class _Walker:
    def __init__(self) -> None:
        self.tokens: list[Token] = []
        self.spans: dict[etree._Element, tuple[int, int]] = {}
        self.parts: list[str] = []
        self.row = 0
        self.tables = 0

    def flush(self) -> None:
        if self.parts:
            text = clean("".join(self.parts))
            self.parts.clear()
            if text:
                self.tokens.append(Token(text, self.row))
                self.row += 1

    def walk(self, el: etree._Element) -> None:
        tag = el.tag
        if not isinstance(tag, str):
            return
        if tag in _SKIP:
            return
        if tag == "table":
            self.flush()
            start = len(self.tokens)
            self.table(el)
            self.spans[el] = (start, len(self.tokens))
            return
        block = tag in _BLOCK
        if block:
            self.flush()
            start = len(self.tokens)
        if el.text:
            self.parts.append(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self.parts.append(child.tail)
        if block:
            self.flush()
            self.spans[el] = (start, len(self.tokens))

    def table(self, table: etree._Element) -> None:
        index = self.tables
        self.tables += 1
        for tr in _own_rows(table):
            col = 0
            for cell in tr:
                if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                    continue
                text = cell.text_content()
                if len(text) > _LAYOUT_CELL_CHARS or cell.find(".//table") is not None:
                    self.walk_cell_as_flow(cell)
                    continue
                self.tokens.append(Token(clean(text), self.row, cell=True, table=index, col=col))
                col += 1
            self.row += 1

    def walk_cell_as_flow(self, cell: etree._Element) -> None:
        self.flush()
        if cell.text:
            self.parts.append(cell.text)
        for child in cell:
            self.walk(child)
            if child.tail:
                self.parts.append(child.tail)
        self.flush()


def _own_rows(table: etree._Element):
    for child in table:
        if child.tag == "tr":
            yield child
        elif child.tag in ("tbody", "thead", "tfoot"):
            yield from (tr for tr in child if tr.tag == "tr")


def read_html(data: bytes) -> Document:
    text = _XML_DECL.sub("", decode(data), count=1)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ValueError(f"not parseable as HTML: {exc}") from exc
    walker = _Walker()
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    start, end = _body_span(walker)
    doc = Document("html", walker.tokens[start:end])
    title = root.findtext(".//title")
    if title:
        doc.title_hints.append(clean(title))
    # The portal's metadata block (发布日期, 发布机构) sits just above the body.
    doc.title_hints.extend(t.text for t in walker.tokens[max(0, start - _PREAMBLE_TOKENS):start] if t.text)
    return doc


def _body_span(walker: _Walker) -> tuple[int, int]:
    """Token range of the smallest block holding the first and last section heading."""
    tokens = walker.tokens
    first = last = None
    for i, tok in enumerate(tokens):
        if not tok.cell and sections.heading_of(tok.text) is not None:
            first = i if first is None else first
            last = i
    if first is None or first == last:
        return 0, len(tokens)
    inner = [span for span in walker.spans.values() if span[0] <= first and last < span[1]]
    if not inner:
        return 0, len(tokens)
    return min(inner, key=lambda span: span[1] - span[0])
