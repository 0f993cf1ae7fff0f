"""Spreadsheets to tokens: XLSX with openpyxl, XLS with xlrd.

Some portals publish a report's tables only as a spreadsheet attachment. Each
sheet is read like a table grid: one token per cell in row order, the cells a
merged range covers skipped so each printed value is one token, as for DOCX.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from io import BytesIO

from nianbao.core.document import Document, Token
from nianbao.core.readers.archive import inflate
from nianbao.core.text import clean

MAX_CELLS = 200_000


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(str(value))


def _tokens(sheets: Iterable[tuple[list[list[object]], set[tuple[int, int]]]]) -> list[Token]:
    """Tokens of sheets given as rows of values and the (row, col) cells merged ranges cover."""
    tokens: list[Token] = []
    row = 0
    cells = 0
    for index, (rows, covered) in enumerate(sheets):
        # Blank cells at a row's end are still cells (a 0 by the value rules): rows that print
        # anything are read to the sheet's widest printed column.
        width = max((c + 1 for values in rows for c, v in enumerate(values) if _text(v)), default=0)
        for r, values in enumerate(rows):
            if not any(_text(v) for v in values):
                row += 1
                continue
            values = list(values) + [None] * (width - len(values))
            for c in range(width):
                if (r, c) in covered:
                    continue
                tokens.append(Token(_text(values[c]), row, cell=True, table=index, col=c))
                cells += 1
                if cells > MAX_CELLS:
                    raise ValueError(f"the spreadsheet has more than {MAX_CELLS} cells; reports have far fewer")
            row += 1
        row += 1
    return tokens


def read_xlsx(data: bytes) -> Document:
    import openpyxl

    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            for info in zf.infolist():
                inflate(zf, info, keep=False)
        book = openpyxl.load_workbook(BytesIO(data), data_only=True)
    except zipfile.BadZipFile as exc:
        raise ValueError(f"truncated or damaged XLSX: {exc}") from exc
    except ValueError:
        raise
    except Exception as exc:  # openpyxl lets XML, key and type errors of broken workbooks through
        raise ValueError(f"damaged XLSX: {type(exc).__name__}: {exc}") from exc

    def sheets() -> Iterator[tuple[list[list[object]], set[tuple[int, int]]]]:
        for ws in book.worksheets:
            covered = {(r - 1, c - 1) for rng in ws.merged_cells.ranges
                       for r in range(rng.min_row, rng.max_row + 1) for c in range(rng.min_col, rng.max_col + 1)
                       if (r, c) != (rng.min_row, rng.min_col)}
            yield [list(values) for values in ws.iter_rows(values_only=True)], covered

    return Document("xlsx", _tokens(sheets()))


def read_xls(data: bytes) -> Document:
    """An OLE compound file read as an Excel 97-2003 workbook; xlrd raises ``XLRDError`` when it holds none."""
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)

    def sheets() -> Iterator[tuple[list[list[object]], set[tuple[int, int]]]]:
        for index in range(book.nsheets):
            ws = book.sheet_by_index(index)
            covered = {(r, c) for r0, r1, c0, c1 in ws.merged_cells for r in range(r0, r1) for c in range(c0, c1)
                       if (r, c) != (r0, c0)}
            yield [ws.row_values(r) for r in range(ws.nrows)], covered

    return Document("xls", _tokens(sheets()))
