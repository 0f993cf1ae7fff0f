"""Plain text to tokens: text extracted from Word, pages copied as text, Markdown.

Word's extraction puts one cell per line, tab-indented, and separates table rows
by an empty line; a line holding only a tab is a blank cell.  Lines without tabs
are split on whitespace, so ``规章 0 0 0`` yields a label and three values.
"""

from __future__ import annotations

import re

from nianbao.core.document import Document, Token
from nianbao.core.text import PAGE_MARK, drop_artifacts

_MD_RULE = re.compile(r"^\|?\s*:?-{2,}")


def read_text(text: str) -> Document:
    tokens: list[Token] = []
    row = 0
    # Inside a Word table row: a line without a tab continues a cell wrapped mid-word.
    in_cells = False
    for number, line in enumerate(drop_artifacts(text).splitlines(), start=1):
        if not line.strip():
            if not line or "\t" not in line:
                row += 1
                in_cells = False
                continue
        if "\t" in line:
            cells = line.split("\t")
            if not cells[0].strip():
                cells = cells[1:]
            tokens.extend(Token(c.strip(), row, cell=True, line=number) for c in cells)
            in_cells = True
        elif in_cells:
            tokens.append(Token(line.strip(), row, cell=True, line=number))
        elif line.lstrip().startswith("|"):
            if _MD_RULE.match(line.strip()):
                continue
            cells = line.strip().strip("|").split("|")
            tokens.extend(Token(c.strip(), row, cell=True, line=number) for c in cells)
            row += 1
        elif not PAGE_MARK.match(line.strip()):
            tokens.extend(Token(word, row, line=number) for word in line.split())
            row += 1
    return Document("text", tokens)
