"""Flat rows out as JSON Lines, CSV or Parquet."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FORMATS = ("jsonl", "csv", "parquet")


def _flat(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value


def write_rows(rows: Iterable[dict[str, Any]], fmt: str, output: Path | None = None) -> int:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    rows = list(rows)
    names = list(dict.fromkeys(k for row in rows for k in row))
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        if output is None:
            raise ValueError("parquet needs an output file")
        # Values that are numbers in one row and text in another (expected/actual) are written as text.
        columns = {}
        for name in names:
            values = [_flat(row.get(name)) for row in rows]
            kinds = {type(v) for v in values if v is not None}
            if len(kinds) > 1 and not kinds <= {int, float}:
                values = [None if v is None else str(v) for v in values]
            columns[name] = values
        pq.write_table(pa.table(columns), output)
        return len(rows)
    out = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        if fmt == "jsonl":
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        else:
            writer = csv.DictWriter(out, fieldnames=names)
            writer.writeheader()
            for row in rows:
                writer.writerow({k: _flat(v) for k, v in row.items()})
    finally:
        if output:
            out.close()
    return len(rows)
