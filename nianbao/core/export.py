"""Flat rows out as JSON Lines, CSV, XLSX or Parquet.

Text in the rows comes from portals (organ names, titles, HTTP headers): a cell
starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be a
live formula when a CSV is opened in a spreadsheet. Such text gets a leading
``'``, as spreadsheets expect (OWASP's CSV-injection advice); numbers stay
numbers. In XLSX every text cell is written as text, never as a formula.

Types survive: integers are written as integers (Parquet ``int64``, nullable),
amounts arrive as :class:`~decimal.Decimal` and stay decimal (Parquet
``decimal128(18, 4)``, JSON numbers, CSV and XLSX decimal text and numbers), so
pandas and DuckDB read them back as what they are. Every XLSX export carries a
``keys`` sheet: each figure key with its label in Chinese.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from nianbao.core import keys, legacy

FORMATS = ("jsonl", "csv", "xlsx", "parquet")
BINARY = ("xlsx", "parquet")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_XLSX_MAX_TEXT = 32767
DECIMAL_PRECISION, DECIMAL_SCALE = 18, 4


def _flat(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value


def neutralise(value: Any) -> Any:
    """A cell value safe to open in a spreadsheet: text that would start a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_rows(rows: Iterable[dict[str, Any]], fmt: str, output: Path | None = None, sheet: str = "rows",
               types: dict[str, str] | None = None) -> int:
    """Write ``rows``; ``types`` names columns that are ``integer`` or ``decimal`` even where every row is empty."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt in BINARY and output is None:
        raise ValueError(f"{fmt} needs an output file")
    rows = list(rows)
    names = list(dict.fromkeys(k for row in rows for k in row))
    if fmt == "parquet":
        _parquet(rows, names, output, types or {})
    elif fmt == "xlsx":
        write_xlsx({sheet: (names, rows), "keys": (["key", "table", "label", "type"], key_labels())}, output)
    else:
        out = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            if fmt == "jsonl":
                for row in rows:
                    out.write(json.dumps(row, ensure_ascii=False, default=_json) + "\n")
            else:
                writer = csv.DictWriter(out, fieldnames=names)
                writer.writeheader()
                for row in rows:
                    writer.writerow({k: neutralise(_flat(v)) for k, v in row.items()})
        finally:
            if output:
                out.close()
    return len(rows)


def _json(value: Any) -> Any:
    # A Decimal as a JSON number with its own digits: json has no hook for that but a float, which holds
    # an amount to the yuan exactly in its shortest repr.
    return float(value) if isinstance(value, Decimal) else str(value)


def figure_keys() -> list[str]:
    """Every figure key: the 2019+ keys of either layout in table order, then the pre-2019 keys."""
    return keys.every_key() + [row.key for row in legacy.ROWS]


def is_amount(key: str) -> bool:
    """An amount (万元), exported as a decimal; every other figure is a count."""
    return keys.is_decimal_key(key) or key in legacy.DECIMAL_KEYS


def key_labels() -> list[dict[str, Any]]:
    """Every figure key, its table, its label in Chinese and its type."""
    labels = {row.key: row.label for row in legacy.ROWS}
    return [{"key": k, "table": keys.table_number(k) or "pre2019", "label": labels.get(k) or keys.label(k),
             "type": "decimal" if is_amount(k) else "integer"} for k in figure_keys()]


def _parquet(rows: list[dict[str, Any]], names: list[str], output: Path, types: dict[str, str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = {}
    for name in names:
        values = [_flat(row.get(name)) for row in rows]
        kinds = {type(v) for v in values if v is not None}
        if types.get(name) == "integer":
            columns[name] = pa.array(values, pa.int64())
            continue
        if types.get(name) == "decimal" or (Decimal in kinds and kinds <= {int, Decimal}):
            columns[name] = pa.array([None if v is None else Decimal(v) for v in values],
                                     pa.decimal128(DECIMAL_PRECISION, DECIMAL_SCALE))
            continue
        # Values that are numbers in one row and text in another (expected/actual) are written as text.
        if len(kinds) > 1 and not kinds <= {int, float}:
            values = [None if v is None else str(v) for v in values]
        columns[name] = values
    pq.write_table(pa.table(columns), output)


def write_xlsx(sheets: dict[str, tuple[list[str], list[dict[str, Any]]]], output: Path) -> None:
    """One worksheet per entry: a header row of the column names, then the rows; text always as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    for title, (names, rows) in sheets.items():
        ws = book.create_sheet(title[:31])

        def cell(value: Any, ws=ws) -> WriteOnlyCell | Any:
            value = _flat(value)
            if not isinstance(value, str):
                return value
            text = WriteOnlyCell(ws, value=value[:_XLSX_MAX_TEXT])
            text.data_type = "s"  # openpyxl would otherwise store text starting with "=" as a formula
            return text

        ws.append(names)
        for row in rows:
            ws.append([cell(row.get(name)) for name in names])
    book.save(output)
