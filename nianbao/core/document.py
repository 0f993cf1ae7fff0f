"""What every reader produces: the document as a flat stream of tokens."""

from __future__ import annotations

from dataclasses import dataclass, field

from nianbao.core.findings import Finding


@dataclass(slots=True)
class Token:
    """One cell, line or word of a document, in reading order.

    ``row`` groups tokens printed on one table row or line; ``cell`` marks tokens
    that are table cells, where an empty one is a printed blank (a 0 by the value
    rules) rather than layout whitespace.
    """

    text: str
    row: int
    cell: bool = False
    table: int | None = None
    col: int | None = None
    page: int | None = None
    line: int | None = None
    # Read from a page image by OCR.
    ocr: bool = False

    def location(self) -> dict[str, int]:
        loc = {"table": self.table, "row": self.row} if self.table is not None else {}
        if self.col is not None:
            loc["col"] = self.col
        if self.page is not None:
            loc["page"] = self.page
        if self.line is not None:
            loc["line"] = self.line
        return loc


@dataclass
class Document:
    format: str
    tokens: list[Token] = field(default_factory=list)
    # Text outside the report body that can still name it (an HTML <title>).
    title_hints: list[str] = field(default_factory=list)
    # The publication date where the page states it outside the report body.
    published_at: str | None = None
    findings: list[Finding] = field(default_factory=list)
    # False when the document cannot carry figures at all (a scan, an unconverted DOC).
    has_text: bool = True
    # Its text was read from page images by OCR.
    ocr: bool = False
