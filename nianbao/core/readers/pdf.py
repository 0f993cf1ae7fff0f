"""PDF with a text layer to tokens: PyMuPDF words in content order.

Word positions are enough: a table's cells come out one after another in the
order they were drawn, so no table finder is needed.  Page numbers printed at
the top or bottom of a page (``- 5 -``) are dropped because they land inside
tables that cross a page break.
"""

from __future__ import annotations

import re

import pymupdf

from nianbao.core.document import Document, Token
from nianbao.core.findings import Finding
from nianbao.core.readers import ocr
from nianbao.core.rules import Rule
from nianbao.core.text import PAGE_MARK

_BARE_NUMBER = re.compile(r"^(?:\d{1,4}\s*/\s*\d{1,4}|\d{1,4})$")
_MARGIN = 0.07
_MIN_TEXT_CHARS = 40
MAX_PAGES = 1000

pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)


def _is_page_number(line: list[tuple], words: list[tuple], height: float) -> bool:
    """A page mark anywhere, or a bare number alone on its level in the top or bottom margin.

    A table row that ends at the bottom of a page prints several numbers on one
    level; a page number stands alone.
    """
    text = " ".join(w[4] for w in line)
    if PAGE_MARK.match(text):
        return True
    if not _BARE_NUMBER.match(text):
        return False
    y0, y1 = min(w[1] for w in line), max(w[3] for w in line)
    if _MARGIN * height < y0 and y1 < (1 - _MARGIN) * height:
        return False
    return not any(w[3] > y0 and w[1] < y1 for w in words if w not in line)


def read_pdf(data: bytes) -> Document:
    try:
        pdf = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises its own types, plain RuntimeError among them
        raise ValueError(f"damaged PDF: {exc}") from exc
    with pdf:
        if pdf.needs_pass:
            raise ValueError("the PDF is encrypted with a password")
        if pdf.page_count == 0:
            raise ValueError("damaged PDF: no pages")
        if pdf.page_count > MAX_PAGES:
            raise ValueError(f"the PDF has {pdf.page_count} pages; reports have fewer than {MAX_PAGES}")
        tokens: list[Token] = []
        row = 0
        chars = 0
        for number in range(pdf.page_count):
            try:
                page = pdf.load_page(number)
                words = page.get_text("words")
            except Exception as exc:
                raise ValueError(f"damaged PDF: page {number + 1} cannot be read ({exc})") from exc
            height = page.rect.height or 1
            lines: dict[tuple[int, int], list[tuple]] = {}
            for w in words:
                lines.setdefault((w[5], w[6]), []).append(w)
            for ws in lines.values():
                if _is_page_number(ws, words, height):
                    continue
                for w in ws:
                    tokens.append(Token(w[4], row, page=number + 1))
                    chars += len(w[4])
                row += 1
        if chars < _MIN_TEXT_CHARS:
            return _scanned(pdf)
    return Document("pdf", tokens)


def _scanned(pdf: pymupdf.Document) -> Document:
    """A PDF without a text layer: its page images read by OCR where the extra is installed."""
    doc = Document("pdf")
    if not ocr.available():
        doc.has_text = False
        doc.findings.append(Finding(Rule.DOCUMENT_NO_TEXT_LAYER, "the PDF has no text layer (a scan?): no figures "
                                    f"were read, none are guessed; to read scans by OCR: {ocr.INSTALL_HINT}"))
        return doc
    doc.ocr = True
    row = 0
    pages = min(pdf.page_count, ocr.MAX_PAGES)
    for number in range(pages):
        image = pdf.load_page(number).get_pixmap(dpi=ocr.DPI).tobytes("png")
        tokens, row = ocr.page_tokens(image, number + 1, row)
        doc.tokens += tokens
    if not doc.tokens:
        doc.has_text = False
        doc.findings.append(Finding(Rule.DOCUMENT_NO_TEXT_LAYER, f"the PDF has no text layer and OCR found no text "
                                    f"on its {pages} pages read: no figures"))
        return doc
    doc.findings.append(Finding(Rule.DOCUMENT_OCR, f"the PDF has no text layer: {pages} of its {pdf.page_count} "
                                "pages read by OCR; its figures say `ocr`, and tables 3 and 4 keep only figures "
                                "whose identities hold"))
    return doc
