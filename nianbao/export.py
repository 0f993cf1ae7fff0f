"""Flat rows out as JSON Lines or CSV."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FORMATS = ("jsonl", "csv")


def write_rows(rows: Iterable[dict[str, Any]], fmt: str, output: Path | None = None) -> int:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    rows = list(rows)
    out = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        if fmt == "jsonl":
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        else:
            names = list(dict.fromkeys(k for row in rows for k in row))
            writer = csv.DictWriter(out, fieldnames=names)
            writer.writeheader()
            for row in rows:
                writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                                 for k, v in row.items()})
    finally:
        if output:
            out.close()
    return len(rows)
