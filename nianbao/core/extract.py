"""Token stream to figures: the label-driven reading of tables 2, 3 and 4.

The reader does not rebuild table grids.  It walks the tokens in reading order,
collecting the text since the last value as a label; when values follow, the
label names the row they belong to (the latest row name in the label wins, so a
merged group label printed before a sub-row label does no harm).  This reads
cell-per-line Word text, HTML with any rowspan/colspan, DOCX and PDF words alike,
including labels split across lines or pages and tables printed twice.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from nianbao.core import keys as K
from nianbao.core.document import Token
from nianbao.core.findings import Finding
from nianbao.core.rules import Rule
from nianbao.core.sections import heading_of
from nianbao.core.text import squash
from nianbao.core.values import CellValue, parse_value

# A label is a few short cells; a paragraph ends any label being collected.
_MAX_LABEL_CHARS = 60
_MAX_VALUE_CHARS = 40
_BUFFER_TOKENS = 12


@dataclass(slots=True)
class Figure:
    value: int | float
    raw: str
    location: dict[str, int]

    @classmethod
    def of(cls, value: float, token: Token) -> Figure:
        return cls(value, token.text, token.location())


@dataclass
class _Occurrence:
    table: int
    key: str
    label_row: int | None
    values: list[tuple[Token, CellValue]] = field(default_factory=list)


@dataclass
class Extraction:
    figures: dict[str, Figure]
    table2_layout: str | None
    table3_layout: str | None
    sections: dict[str, str]
    findings: list[Finding]


_VALUE, _HEADING, _LONG, _LABEL = range(4)
_BLANK = CellValue(0, True)
_STARTS = re.compile(r"(第二十条第)|(勾稽关系|申请人情况)|(行政复议|结果维持|尚未审结)")


@lru_cache(maxsize=16384)
def _classify(text: str) -> tuple:
    """What a non-empty token is, by its text alone: a value, a heading, a paragraph or a label.

    Labels also say whether they open a table (2, 3, 4) and which table-2 layout
    their header words belong to.
    """
    if len(text) <= _MAX_VALUE_CHARS:
        value = parse_value(text)
        if value is not None:
            return _VALUE, value
    heading = heading_of(text)
    if heading is not None:
        return _HEADING, heading
    if len(text) > _MAX_LABEL_CHARS:
        return (_LONG,)
    s = squash(text)
    m = _STARTS.search(s)
    starts = m.lastindex + 1 if m else None
    marker = next((layout for layout, rx in K.T2_LAYOUT_MARKERS.items() if rx.search(s)), None)
    return _LABEL, starts, marker


class _Reader:
    def __init__(self) -> None:
        self.section = 0
        self.occ: _Occurrence | None = None
        self.buffer: list[Token] = []
        self.occurrences: list[_Occurrence] = []
        self.t2_markers: Counter[str] = Counter()
        self.last_t3: str | None = None
        self.narrative: dict[int, list[Token]] = {0: [], 1: [], 5: [], 6: []}

    def read(self, tokens: list[Token]) -> None:
        narrative = self.narrative
        buffer = self.buffer
        for tok in tokens:
            text = tok.text
            kind = (_VALUE, _BLANK) if not text and tok.cell else _classify(text) if text else None
            if kind is None:
                continue
            section = self.section
            if kind[0] == _VALUE:
                if section in narrative:
                    narrative[section].append(tok)
                if buffer:
                    self.resolve()
                if self.occ is not None:
                    self.occ.values.append((tok, kind[1]))
                continue
            if kind[0] == _HEADING:
                self.section = kind[1]
                buffer.clear()
                self.occ = None
                continue
            if section in narrative:
                narrative[section].append(tok)
            if kind[0] == _LONG:
                buffer.clear()
                continue
            if kind[1] is not None:
                self.switch_on_table_start(kind[1])
            buffer.append(tok)
            if len(buffer) > _BUFFER_TOKENS:
                del buffer[0]
            if kind[2] is not None and self.section in (0, 2):
                self.t2_markers[kind[2]] += 1

    def switch_on_table_start(self, table: int) -> None:
        """Tables whose section heading is missing still announce themselves."""
        if table == 2 and self.section in (0, 1):
            self.section = 2
        elif table == 3 and self.section in (0, 1, 2):
            self.section = 3
        elif table == 4 and self.section == 3 and self.last_t3 == "carried_forward":
            self.section = 4
            self.occ = None

    def resolve(self) -> None:
        buffer = self.buffer
        label_row = buffer[-1].row
        label = "".join(t.text for t in buffer)
        buffer.clear()
        if self.section == 4:
            self.occ = _Occurrence(4, "data", label_row)
            self.occurrences.append(self.occ)
            return
        if self.section in (1, 5, 6):
            self.occ = None
            return
        row = _match_row(squash(label), self.section, self.last_t3)
        if row is None:
            return
        self.occ = _Occurrence(row.table, row.key, label_row)
        self.occurrences.append(self.occ)
        if row.table == 3:
            self.last_t3 = row.key
            if self.section in (0, 2):
                self.section = 3
        elif self.section == 0:
            self.section = 2


_EXPECTED_BEFORE = {"other.other": ("other.no_fee",), "total_processed": ("other", "other.other")}


@lru_cache(maxsize=4096)
def _match_row(label: str, section: int, last_t3: str | None) -> K.Row | None:
    """The row a label names: the row name that starts last in it wins.

    Loose names ("其他", "总计") count only where that row is the next one printed.
    """
    rows = K.T3_ROWS if section == 3 else K.T2_ROWS + K.T3_ROWS
    best: tuple[int, K.Row] | None = None
    for row in rows:
        m = row.pattern.search(label)
        if m is None and row.loose is not None and last_t3 in _EXPECTED_BEFORE.get(row.key, ()):
            m = row.loose.search(label)
        if m is not None and (best is None or m.start() >= best[0]):
            best = (m.start(), row)
    return None if best is None else best[1]


def _trim(values: list[tuple[Token, CellValue]], n: int, label_row: int | None):
    """The ``n`` values of a row, dropping empty cells that belong to other rows.

    Word text and HTML grids put empty cells beside the values: under merged
    labels (other rows), where colspans shift and as padding at a row's end;
    those are not figures.
    """
    if len(values) == n:
        return values, []
    keep = {t.row for t, v in values if not v.blank} | {label_row}
    own = [(t, v) for t, v in values if not v.blank or t.row in keep]
    if len(own) >= n:
        values = own
    start, end = 0, len(values)
    while end - start > n and values[end - 1][1].blank:
        end -= 1
    while end - start > n and values[start][1].blank:
        start += 1
    values = values[start:end]
    return values[:n], values[n:]


@lru_cache(maxsize=256)
def _keys(prefix: str, columns: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{prefix}.{c}" for c in columns)


class _Assembler:
    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.figures: dict[str, Figure] = {}
        self.findings: list[Finding] = []
        self.by_row: dict[tuple[int, str], list[_Occurrence]] = {}
        for occ in reader.occurrences:
            self.by_row.setdefault((occ.table, occ.key), []).append(occ)

    def assign(self, prefix: str, columns: tuple[str, ...], occurrences: list[_Occurrence]) -> bool:
        n = len(columns)
        trimmed = [_trim(o.values, n, o.label_row) for o in occurrences]
        complete = [t for t in trimmed if len(t[0]) == n]
        if not complete:
            best = max(trimmed, key=lambda t: len(t[0]))
            self.findings.append(Finding(Rule.TABLE_ROW_INCOMPLETE, f"row {prefix} has {len(best[0])} of its {n} values; its figures are left out",
                keys=[f"{prefix}.{c}" for c in columns], expected=n, actual=len(best[0]),
                evidence={"raw": [t.text for t, _ in best[0]]},
            ))
            return False
        chosen, extra = complete[0]
        for key, (tok, val) in zip(_keys(prefix, columns), chosen):
            self.figures[key] = Figure.of(val.value, tok)
        if extra and not any(v.blank for _, v in extra) and len(occurrences) == 1:
            self.findings.append(Finding(Rule.TABLE_EXTRA_VALUES, f"row {prefix} is followed by values with no column: {[t.text for t, _ in extra]}",
                keys=[f"{prefix}.{c}" for c in columns], evidence={"raw": [t.text for t, _ in extra]},
            ))
        ref = [v.value for _, v in chosen]
        for other, _ in complete[1:]:
            if [v.value for _, v in other] != ref:
                self.findings.append(Finding(Rule.TABLE_DUPLICATE_MISMATCH, f"row {prefix} is printed more than once with different values; the first is kept",
                    keys=[f"{prefix}.{c}" for c in columns], expected=ref, actual=[v.value for _, v in other],
                ))
                break
        return True

    def table2(self) -> str | None:
        rows = {key: occ for (table, key), occ in self.by_row.items() if table == 2}
        if not rows:
            return None
        markers = self.reader.t2_markers
        if markers[K.LAYOUT_2019] != markers[K.LAYOUT_2021]:
            layout = max(markers, key=markers.__getitem__)
        else:
            licensing = rows.get("licensing") or rows.get("punishment") or []
            wide = any(len(_trim(o.values, 3, o.label_row)[0]) == 3 for o in licensing)
            layout = K.LAYOUT_2019 if "other_services" in rows or wide else K.LAYOUT_2021
        for key, columns in K.T2_COLUMNS[layout].items():
            if key in rows:
                self.assign(f"t2.{key}", columns, rows[key])
            elif key not in K.T2_OPTIONAL_ROWS:
                self._missing_row(f"t2.{key}", columns)
        return layout

    def table3(self) -> str | None:
        rows = {key: occ for (table, key), occ in self.by_row.items() if table == 3}
        if not rows:
            return None
        layout = K.LAYOUT_2021 if any(k in rows for k in K.T3_OTHER_2021) or "other" not in rows else K.LAYOUT_2019
        for key in K.t3_rows(layout):
            if key in rows:
                self.assign(f"t3.{key}", K.T3_COLUMNS, rows[key])
            else:
                self._missing_row(f"t3.{key}", K.T3_COLUMNS)
        return layout

    def table4(self) -> bool:
        occurrences = self.by_row.get((4, "data"))
        if not occurrences:
            return False
        merged = _Occurrence(4, "data", None, [v for o in occurrences for v in o.values])
        values, _ = _trim(merged.values, len(K.T4_KEYS), None)
        if len(values) < len(K.T4_KEYS):
            self.findings.append(Finding(Rule.TABLE_ROW_INCOMPLETE, f"table 4 has {len(values)} of its {len(K.T4_KEYS)} values; its figures are left out",
                keys=list(K.T4_KEYS), expected=len(K.T4_KEYS), actual=len(values),
                evidence={"raw": [t.text for t, _ in values]},
            ))
            return True
        for key, (tok, val) in zip(K.T4_KEYS, values):
            self.figures[key] = Figure.of(val.value, tok)
        return True

    def _missing_row(self, prefix: str, columns: tuple[str, ...]) -> None:
        self.findings.append(Finding(Rule.TABLE_ROW_MISSING, f"row {prefix} was not found in the table",
            keys=[f"{prefix}.{c}" for c in columns],
        ))


def _section_text(tokens: list[Token]) -> str:
    lines: list[str] = []
    last_row = None
    for tok in tokens:
        if tok.row == last_row and lines:
            lines[-1] += " " + tok.text if tok.cell or tok.page else tok.text
        else:
            lines.append(tok.text)
        last_row = tok.row
    return "\n".join(line for line in lines if line.strip())


def extract(tokens: list[Token]) -> Extraction:
    reader = _Reader()
    reader.read(tokens)
    asm = _Assembler(reader)
    t2 = asm.table2()
    t3 = asm.table3()
    has_t4 = asm.table4()
    for number, present in ((2, t2 is not None), (3, t3 is not None), (4, has_t4)):
        if not present:
            asm.findings.append(Finding(Rule.TABLE_MISSING, f"table {number} was not found; its figures are absent",
                evidence={"table": number},
            ))
    narrative = reader.narrative
    sections = {
        "one": _section_text(narrative[1] or narrative[0]),
        "five": _section_text(narrative[5]),
        "six": _section_text(narrative[6]),
    }
    return Extraction(asm.figures, t2, t3, sections, asm.findings)
