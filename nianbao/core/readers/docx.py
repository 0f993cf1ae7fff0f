"""DOCX to tokens, reading the WordprocessingML directly.

Merged cells are read as Word stores them: a horizontal span is one cell, and
the continuation cells of a vertical merge are skipped, so each printed value is
one token.
"""

from __future__ import annotations

import zipfile
import zlib
from io import BytesIO

from lxml import etree

from nianbao.core.document import Document, Token
from nianbao.core.readers.archive import inflate
from nianbao.core.text import clean

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class _Walker:
    def __init__(self) -> None:
        self.tokens: list[Token] = []
        self.row = 0
        self.tables = 0

    def block(self, parent: etree._Element) -> None:
        for el in parent:
            tag = el.tag
            if tag == f"{W}p":
                text = clean(_text(el))
                if text:
                    self.tokens.append(Token(text, self.row))
                    self.row += 1
            elif tag == f"{W}tbl":
                self.table(el)
            elif tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
                self.block(el.find(f"{W}sdtContent") if tag == f"{W}sdt" else el)

    def table(self, tbl: etree._Element) -> None:
        index = self.tables
        self.tables += 1
        for tr in tbl.iter(f"{W}tr"):
            if tr.getparent() is not tbl:
                continue
            col = 0
            for tc in tr.iterchildren(f"{W}tc"):
                merge = tc.find(f"{W}tcPr/{W}vMerge")
                if merge is not None and merge.get(f"{W}val", "continue") == "continue":
                    continue
                if tc.find(f".//{W}tbl") is not None:
                    self.block(tc)
                    continue
                text = "\n".join(_text(p) for p in tc.iter(f"{W}p"))
                self.tokens.append(Token(clean(text), self.row, cell=True, table=index, col=col))
                col += 1
            self.row += 1


def _text(el: etree._Element) -> str:
    return "".join(el.itertext(f"{W}t"))


def read_docx(data: bytes) -> Document:
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            try:
                info = zf.getinfo("word/document.xml")
            except KeyError:
                raise ValueError("a ZIP file without word/document.xml: not a DOCX") from None
            xml = inflate(zf, info)
    except zipfile.BadZipFile as exc:
        raise ValueError(f"truncated or damaged DOCX: {exc}") from exc
    except (EOFError, zlib.error, zipfile.LargeZipFile, NotImplementedError) as exc:
        raise ValueError(f"damaged DOCX: {exc}") from exc
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"damaged DOCX: word/document.xml is not well-formed ({exc})") from exc
    body = root.find(f"{W}body")
    walker = _Walker()
    if body is not None:
        walker.block(body)
    return Document("docx", walker.tokens)
