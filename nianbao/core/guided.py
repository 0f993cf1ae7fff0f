"""Identity-guided reading: the readings of a table's values that its checksums allow.

When reading by labels fails (labels printed apart from their values, blank
cells dropped, the separators between cells lost), the table's values are
read again in the fixed order its rows and columns are printed in. A value
sequence can be read several ways: each token as one cell, a dropped blank
restored as 0, a run of digits split into cells. Every way is tried within
bounds, a row is kept only where its own checksum holds (identity 3 or 4), and
a whole reading only where the table's checksums hold (identities 1 and 2).
What all surviving readings agree on is a figure; where they disagree, nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nianbao.core.document import Token
from nianbao.core.values import CellValue

# Bounds on the search: blanks restored per table, split parts per run of digits,
# search steps and distinct readings kept. A table needing more is left to its labels.
MAX_RESTORED = 2
MAX_PARTS = 15
MAX_STEPS = 50_000
MAX_READINGS = 32


@dataclass(frozen=True, slots=True)
class Cell:
    value: int | float
    token: Token | None
    # True where the value was not printed as one token: a restored blank or part of a split.
    inferred: bool = False


RowCheck = Callable[[int, Sequence[Cell]], bool]
TableCheck = Callable[[list[list[Cell]]], bool]


class _Exhausted(Exception):
    pass


def _splits(digits: str, parts: int) -> list[list[int]]:
    """Every way to cut a digit string into ``parts`` numbers written without leading zeros."""
    if parts == 1:
        return [[int(digits)]] if digits == "0" or not digits.startswith("0") else []
    out = []
    for cut in range(1, len(digits) - parts + 2):
        head = digits[:cut]
        if len(head) > 1 and head.startswith("0"):
            break
        out += [[int(head), *rest] for rest in _splits(digits[cut:], parts - 1)]
    return out


def readings(values: Sequence[tuple[Token, CellValue]], widths: Sequence[int], row_ok: RowCheck | None = None,
             table_ok: TableCheck | None = None, restore: int = MAX_RESTORED) -> list[list[list[Cell]]] | None:
    """The distinct readings of ``values`` as rows of ``widths`` cells that pass the checks.

    A run of digits is split only within one row. None when the search outgrew its
    bounds (then no reading can be trusted).
    """
    total = sum(widths)
    row_of: list[int] = []
    row_start: list[int] = []
    for r, w in enumerate(widths):
        row_start.append(len(row_of))
        row_of += [r] * w
    starts = set(row_start)
    tokens = list(values)
    digits = [t.text.strip() if not v.blank and t.text.strip().isdigit() and len(t.text.strip()) > 1 else None
              for t, v in tokens]
    # The most cells the tokens from i on can still yield beyond one each.
    spare = [0] * (len(tokens) + 1)
    for i in range(len(tokens) - 1, -1, -1):
        spare[i] = spare[i + 1] + (min(len(digits[i]), MAX_PARTS) - 1 if digits[i] else 0)
    out: list[Cell | None] = [None] * total
    found: dict[tuple, list[list[Cell]]] = {}
    dead: set[tuple[int, int, int]] = set()
    steps = completions = 0

    def place(p: int, cell: Cell, i: int, pending: tuple[Cell, ...], left: int) -> None:
        out[p] = cell
        r = row_of[p]
        if (p + 1 == total or row_of[p + 1] != r) and row_ok is not None:
            if not row_ok(r, out[p + 1 - widths[r]:p + 1]):  # type: ignore[arg-type]
                return
        step(p + 1, i, pending, left)

    def step(p: int, i: int, pending: tuple[Cell, ...], left: int) -> None:
        nonlocal steps, completions
        steps += 1
        if steps > MAX_STEPS or len(found) > MAX_READINGS:
            raise _Exhausted
        slack = (total - p) - (len(tokens) - i) - len(pending)
        if slack < 0 or slack > spare[i] + left:
            return
        if p == total:
            completions += 1
            if table_ok is None or table_ok(_rows(out, widths)):  # type: ignore[arg-type]
                key = tuple(c.value for c in out)  # type: ignore[union-attr]
                found[key] = _merge(found[key], _rows(out, widths)) if key in found else _rows(out, widths)  # type: ignore[arg-type]
            return
        if pending:
            place(p, pending[0], i, pending[1:], left)
            return
        state = (p, i, left)
        if p in starts:
            if state in dead:
                return
            before = completions
        if i < len(tokens):
            tok, val = tokens[i]
            place(p, Cell(val.value, tok), i + 1, (), left)
            run = digits[i]
            room = min(slack + 1, MAX_PARTS, widths[row_of[p]] - (p - row_start[row_of[p]]))
            if run is not None:
                for parts in range(2, min(len(run), room) + 1):
                    for split in _splits(run, parts):
                        cells = tuple(Cell(v, tok, True) for v in split)
                        place(p, cells[0], i + 1, cells[1:], left)
        if left > 0 and slack > 0:
            place(p, Cell(0, None, True), i, (), left - 1)
        if p in starts and completions == before:
            dead.add(state)

    try:
        step(0, 0, (), restore)
    except _Exhausted:
        return None
    return list(found.values())


def _rows(out: list[Cell], widths: Sequence[int]) -> list[list[Cell]]:
    rows, begin = [], 0
    for w in widths:
        rows.append(out[begin:begin + w])
        begin += w
    return rows


def _merge(a: list[list[Cell]], b: list[list[Cell]]) -> list[list[Cell]]:
    """Two readings with equal values: a cell is inferred if either reading inferred it."""
    return [[x if x.inferred or not y.inferred else y for x, y in zip(ra, rb)] for ra, rb in zip(a, b)]


def agreed(found: list[list[list[Cell]]]) -> tuple[list[list[Cell | None]], int]:
    """The cells all readings agree on (None where they differ), and how many differ."""
    first = found[0]
    rows: list[list[Cell | None]] = []
    differ = 0
    for r, row in enumerate(first):
        kept: list[Cell | None] = []
        for c, cell in enumerate(row):
            others = [reading[r][c] for reading in found[1:]]
            if all(o.value == cell.value for o in others):
                inferred = cell.inferred or any(o.inferred for o in others)
                kept.append(Cell(cell.value, cell.token, inferred))
            else:
                kept.append(None)
                differ += 1
        rows.append(kept)
    return rows, differ
