"""Bytes of any supported format to a :class:`~nianbao.core.document.Document`.

The format is sniffed from the content, not the file name: portals serve HTML
under ``.doc`` names and PDFs under ``.html`` ones.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

from nianbao.core.document import Document
from nianbao.core.encoding import decode
from nianbao.core.errors import UnreadableDocument
from nianbao.core.findings import Finding
from nianbao.core.readers.docx import read_docx
from nianbao.core.readers.html import read_html
from nianbao.core.readers.office import convert, office_binary
from nianbao.core.readers.pdf import read_pdf
from nianbao.core.readers.sheet import read_xls, read_xlsx
from nianbao.core.readers.text import read_text
from nianbao.core.rules import Rule

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_HINT = re.compile(rb"<\s*(?:html|body|table|p|div|meta|head|span|!doctype)\b", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


def sniff(data: bytes) -> str:
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(_OLE):
        return "ole"
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if _HTML_HINT.search(data[:8192]):
        return "html"
    return "text"


def format_of(data: bytes) -> str:
    """A stored document's format for the catalogue: pdf, docx, xlsx, zip, ole (DOC/WPS/XLS), rtf, html, text."""
    kind = sniff(data)
    if kind == "zip":
        head = data[:65536]
        if b"word/" in head:
            return "docx"
        if b"xl/" in head:
            return "xlsx"
    return kind


def read_document(data: bytes) -> Document:
    """Read one document; raise :class:`UnreadableDocument` with the reason when it cannot be."""
    if not data.strip():
        raise UnreadableDocument("the file is empty")
    kind = sniff(data)
    try:
        if kind == "pdf":
            return read_pdf(data)
        if kind == "zip":
            return _read_zip(data)
        if kind == "ole":
            return _read_ole(data)
        if kind == "rtf":
            return _read_via_office(data, kind)
        if kind == "html":
            return read_html(data)
        text = decode(data)
        if len(_CONTROL.findall(text[:65536])) > 0.02 * min(len(text), 65536):
            raise UnreadableDocument("binary data in no supported format (HTML, text, DOCX, PDF, DOC, WPS, RTF, XLS, XLSX)")
        return read_text(text)
    except UnreadableDocument:
        raise
    except ValueError as exc:
        raise UnreadableDocument(str(exc)) from exc
    except Exception as exc:
        # Damaged files reach corners of zipfile, lxml and PyMuPDF that raise anything at all; one
        # such file must be one unreadable document, never the end of a batch.
        raise UnreadableDocument(f"the {kind} reader failed on damaged input: {type(exc).__name__}: {exc}") from exc


def _read_zip(data: bytes) -> Document:
    try:
        names = set(zipfile.ZipFile(BytesIO(data)).namelist())
    except (zipfile.BadZipFile, EOFError, NotImplementedError) as exc:
        raise UnreadableDocument(f"truncated or damaged ZIP container (DOCX?): {exc}") from exc
    if "word/document.xml" in names:
        return read_docx(data)
    if "xl/workbook.xml" in names:
        return read_xlsx(data)
    raise UnreadableDocument("a ZIP archive that is neither a DOCX nor an XLSX")


def _read_ole(data: bytes) -> Document:
    """Word 97-2003, WPS and Excel 97-2003 share one container: a workbook is read as one, the rest converted."""
    import xlrd
    from xlrd.compdoc import CompDocError

    try:
        return read_xls(data)
    except (xlrd.XLRDError, CompDocError):
        return _read_via_office(data, "ole")


def _read_via_office(data: bytes, kind: str) -> Document:
    """DOC, WPS and RTF: converted to DOCX with LibreOffice when it is installed."""
    if office_binary() is None:
        doc = Document(kind, has_text=False)
        doc.findings.append(
            Finding(Rule.DOCUMENT_NEEDS_LIBREOFFICE, "a Word 97-2003/WPS/RTF document: needs LibreOffice (soffice) to be read; none is installed")
        )
        return doc
    doc = read_docx(convert(data, "rtf" if kind == "rtf" else "doc", "docx"))
    doc.format = kind
    return doc
