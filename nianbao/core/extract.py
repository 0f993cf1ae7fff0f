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

from nianbao.core import guided
from nianbao.core import keys as K
from nianbao.core.document import Token
from nianbao.core.findings import Finding
from nianbao.core.rules import Rule
from nianbao.core.sections import heading_of
from nianbao.core.text import squash
from nianbao.core.validate import validate
from nianbao.core.values import CellValue, parse_value

# A label is a few short cells; a paragraph ends any label being collected.
_MAX_LABEL_CHARS = 60
_MAX_VALUE_CHARS = 40
_BUFFER_TOKENS = 12


# How a figure was read: beside its row's label; by the tables' fixed row order where
# labels came loose (chosen because it satisfies the identities); a blank restored or
# a run of digits split where the identities allowed exactly that value; from a page
# image by OCR.
LABEL, ORDER, INFERRED, OCR = "label", "order", "inferred", "ocr"
METHODS = (LABEL, ORDER, INFERRED, OCR)


@dataclass(slots=True)
class Figure:
    value: int | float
    raw: str
    location: dict[str, int]
    method: str = LABEL

    @classmethod
    def of(cls, value: float, token: Token, method: str = LABEL) -> Figure:
        return cls(value, token.text, token.location(), OCR if token.ocr and method != INFERRED else method)


@dataclass
class _Occurrence:
    table: int
    key: str
    label_row: int | None
    # The label names other rows too, or table headers follow its row name: the values
    # after it may belong to another row.
    loose: bool = False
    values: list[tuple[Token, CellValue]] = field(default_factory=list)


@dataclass
class Extraction:
    figures: dict[str, Figure]
    table2_layout: str | None
    table3_layout: str | None
    sections: dict[str, str]
    findings: list[Finding]


_VALUE, _HEADING, _LONG, _LABEL = range(4)
_BLANK_CELL = (_VALUE, CellValue(0, True))
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
        # Every value of a table's section in printed order, for readings by row order.
        self.stream: dict[int, list[tuple[Token, CellValue]]] = {2: [], 3: [], 4: []}
        # Values printed where no row label claims them: labels and values have come apart.
        self.orphans: Counter[int] = Counter()
        # Table-3 rows named anywhere, also by labels that lost their values.
        self.named: set[str] = set()

    def read(self, tokens: list[Token]) -> None:
        narrative = self.narrative
        buffer = self.buffer
        stream = self.stream
        classify = _classify
        for tok in tokens:
            text = tok.text
            if text:
                kind = classify(text)
            elif tok.cell:
                kind = _BLANK_CELL
            else:
                continue
            section = self.section
            what = kind[0]
            if what == _VALUE:
                if section in narrative:
                    narrative[section].append(tok)
                if buffer:
                    self.resolve()
                    section = self.section
                value = (tok, kind[1])
                if section in stream:
                    stream[section].append(value)
                occ = self.occ
                if occ is not None:
                    occ.values.append(value)
                elif (section == 2 or section == 3) and not kind[1].blank:
                    self.orphans[section] += 1
                continue
            if what == _HEADING:
                self.note_names()
                self.section = kind[1]
                buffer.clear()
                self.occ = None
                continue
            if section in narrative:
                narrative[section].append(tok)
            if what == _LONG:
                buffer.clear()
                continue
            if kind[1] is not None:
                self.switch_on_table_start(kind[1])
            buffer.append(tok)
            if len(buffer) > _BUFFER_TOKENS:
                self.note_names()
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
        squashed = squash("".join([t.text for t in buffer]))
        self.note_names(squashed)
        buffer.clear()
        if self.section in (1, 4, 5, 6):
            self.occ = None
            return
        row = _match_row(squashed, self.section, self.last_t3)
        if row is None:
            return
        self.occ = _Occurrence(row.table, row.key, label_row, loose=_loose_label(squashed, self.section, row.key))
        self.occurrences.append(self.occ)
        if row.table == 3:
            self.last_t3 = row.key
            if self.section in (0, 2):
                self.section = 3
        elif self.section == 0:
            self.section = 2

    def note_names(self, label: str | None = None) -> None:
        """Table-3 rows the label being collected names (``label``: that label, already squashed)."""
        if self.section == 3:
            self.named.update(_t3_names(label if label is not None else squash("".join([t.text for t in self.buffer]))))


@lru_cache(maxsize=4096)
def _t3_names(label: str) -> frozenset[str]:
    return frozenset(row.key for row in K.T3_ROWS if row.pattern.search(label))


# Words of table captions and column headers: never part of a row's own label.
_HEADER_WORDS = re.compile(r"第二十条|信息内容|申请人情况|自然人|商业企业|科研机构|法律服务机构|本年制发|本年新制作|上一年项目"
                           r"|采购项目|本年收费|本年处理决定|处理决定数量|结果维持|尚未审结")


@lru_cache(maxsize=4096)
def _loose_label(label: str, section: int, key: str) -> bool:
    """Whether a label that names row ``key`` may not own the values after it.

    A label collected across several row names (rows whose values were printed
    elsewhere) or ending in a caption or column headers after its row name is
    what text converted from a PDF leaves when labels come apart from values.
    """
    rows = K.T3_ROWS if section == 3 else K.T2_ROWS + K.T3_ROWS
    names = {r.key for r in rows if r.pattern.search(label)} - {key}
    if any(n.startswith("other.") for n in names | {key}):
        names.discard("other")
    if names:
        return True
    own = next((r for r in rows if r.key == key), None)
    m = own.pattern.search(label) if own is not None else None
    return m is not None and _HEADER_WORDS.search(label, m.end()) is not None


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


@dataclass
class _Labelled:
    """A table read by its labels: figures, findings, and whether the reading can be trusted as is."""

    figures: dict[str, Figure] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    # Values no label claims, or more values than a row has: labels and values came apart.
    suspect: bool = False
    complete: bool = True
    # Rows whose values sit on their label's own line: kept even when the rest cannot be trusted.
    beside: set[str] = field(default_factory=set)


class _Assembler:
    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.figures: dict[str, Figure] = {}
        self.findings: list[Finding] = []
        self.by_row: dict[tuple[int, str], list[_Occurrence]] = {}
        for occ in reader.occurrences:
            self.by_row.setdefault((occ.table, occ.key), []).append(occ)
        # Most rows print their values on their label's line: a row that does not has lost its values.
        rows = [o for o in reader.occurrences if o.table in (2, 3) and o.values]
        self.by_line = 2 * sum(o.values[0][0].row == o.label_row for o in rows) > len(rows)

    def assign(self, into: _Labelled, prefix: str, columns: tuple[str, ...], occurrences: list[_Occurrence]) -> None:
        n = len(columns)
        trimmed = [_trim(o.values, n, o.label_row) for o in occurrences]
        complete = [(t, o) for t, o in zip(trimmed, occurrences) if len(t[0]) == n]
        keys = _keys(prefix, columns)
        if not complete:
            best = max(trimmed, key=lambda t: len(t[0]))
            into.complete = False
            into.findings.append(Finding(Rule.TABLE_ROW_INCOMPLETE, f"row {prefix} has {len(best[0])} of its {n} values; its figures are left out",
                keys=list(keys), expected=n, actual=len(best[0]), evidence={"raw": [t.text for t, _ in best[0]]},
            ))
            return
        (chosen, extra), occ = complete[0]
        on_label_row = [tok.row for tok, _ in chosen].count(occ.label_row)
        beside = on_label_row == n
        if occ.loose or not beside and (on_label_row or self.by_line):
            into.complete, into.suspect = False, True
            into.findings.append(Finding(Rule.TABLE_DETACHED, f"row {prefix}: the values after its label may belong to "
                "another row (labels and values printed apart); its figures are left out", keys=list(keys),
                evidence={"raw": [t.text for t, _ in chosen]},
            ))
            return
        into.figures.update(zip(keys, [Figure(val.value, tok.text, tok.location(), OCR if tok.ocr else LABEL)
                                       for tok, val in chosen]))
        if beside:
            into.beside.update(keys)
        if extra and not any(v.blank for _, v in extra) and len(occurrences) == 1:
            into.suspect = True
            into.findings.append(Finding(Rule.TABLE_EXTRA_VALUES, f"row {prefix} is followed by values with no column: {[t.text for t, _ in extra]}",
                keys=list(keys), evidence={"raw": [t.text for t, _ in extra]},
            ))
        if len(complete) == 1:
            return
        ref = [v.value for _, v in chosen]
        for (other, _), _occ in complete[1:]:
            if [v.value for _, v in other] != ref:
                into.findings.append(Finding(Rule.TABLE_DUPLICATE_MISMATCH, f"row {prefix} is printed more than once with different values; the first is kept",
                    keys=list(keys), expected=ref, actual=[v.value for _, v in other],
                ))
                break

    def _missing_row(self, into: _Labelled, prefix: str, columns: tuple[str, ...]) -> None:
        into.complete = False
        into.findings.append(Finding(Rule.TABLE_ROW_MISSING, f"row {prefix} was not found in the table",
            keys=list(_keys(prefix, columns)),
        ))

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
        read = _Labelled(suspect=self.reader.orphans[2] > 0)
        for key, columns in K.T2_COLUMNS[layout].items():
            if key in rows:
                self.assign(read, f"t2.{key}", columns, rows[key])
            elif key not in K.T2_OPTIONAL_ROWS:
                self._missing_row(read, f"t2.{key}", columns)
        if read.complete and not read.suspect:
            self._keep(read)
            return layout
        # Table 2 has no checksums: a reading by row order is taken only where the values
        # fall into lines exactly as wide as the layout's rows.
        for with_procurement in (False, True):
            keys = K.t2_keys(layout, with_procurement)
            widths = [len(cols) for row, cols in K.T2_COLUMNS[layout].items()
                      if with_procurement or row not in K.T2_OPTIONAL_ROWS]
            stream = self.reader.stream[2]
            if len(stream) == len(keys) and _line_widths(stream) == widths:
                found = guided.readings(stream, widths, restore=0)
                if found and len(found) == 1:
                    self._keep_reading(read, keys, found)
                    return layout
        self._keep_labelled(read, 2)
        return layout

    def table3(self) -> str | None:
        rows = {key: occ for (table, key), occ in self.by_row.items() if table == 3}
        if not rows:
            return None
        named = self.reader.named | rows.keys()
        layout = K.LAYOUT_2021 if named & set(K.T3_OTHER_2021) or "other" not in named else K.LAYOUT_2019
        read = _Labelled(suspect=self.reader.orphans[3] > 0)
        for key in K.t3_rows(layout):
            if key in rows:
                self.assign(read, f"t3.{key}", K.T3_COLUMNS, rows[key])
            else:
                self._missing_row(read, f"t3.{key}", K.T3_COLUMNS)
        values = {k: f.value for k, f in read.figures.items()}
        if read.complete and not read.suspect and not validate(values, layout, tables=(3,)):
            self._keep(read)
            return layout
        keys = K.t3_keys(layout)
        width = len(K.T3_COLUMNS)

        def table_ok(reading: list[list[guided.Cell]]) -> bool:
            return not validate({k: c.value for k, c in zip(keys, (c for row in reading for c in row))}, layout,
                                tables=(3,))

        found = guided.readings(self.reader.stream[3], [width] * (len(keys) // width), _row_total_ok, table_ok)
        if found:
            self._keep_reading(read, keys, found)
        else:
            self._keep_labelled(read, 3)
        return layout

    def table4(self) -> bool:
        # Every value of section 4 is table 4's: its data row may print before its headers.
        merged = self.reader.stream[4]
        if not merged:
            return False
        values, _ = _trim(merged, len(K.T4_KEYS), None)
        read = _Labelled()
        if len(values) == len(K.T4_KEYS):
            for key, (tok, val) in zip(K.T4_KEYS, values):
                read.figures[key] = Figure.of(val.value, tok)
            if not validate({k: f.value for k, f in read.figures.items()}, None, tables=(4,)):
                self._keep(read)
                return True
        # One row of fifteen: a data row printed without separators is one run of digits.
        found = guided.readings(merged, [len(K.T4_KEYS)], _groups_total_ok)
        if found:
            self._keep_reading(read, list(K.T4_KEYS), found)
        elif read.figures:
            self._keep(read)
        else:
            self.findings.append(Finding(Rule.TABLE_ROW_INCOMPLETE, f"table 4 has {len(values)} of its {len(K.T4_KEYS)} values; its figures are left out",
                keys=list(K.T4_KEYS), expected=len(K.T4_KEYS), actual=len(values),
                evidence={"raw": [t.text for t, _ in values]},
            ))
        return True

    def _keep(self, read: _Labelled) -> None:
        self.figures.update(read.figures)
        self.findings += read.findings

    def _keep_reading(self, read: _Labelled, keys: list[str], found: list[list[list[guided.Cell]]]) -> None:
        """Figures all readings agree on; a figure the labels gave the very same token keeps ``label``."""
        rows, differ = guided.agreed(found)
        cells = [c for row in rows for c in row]
        methods: Counter[str] = Counter()
        for key, cell in zip(keys, cells):
            if cell is None:
                continue
            labelled = read.figures.get(key)
            if cell.inferred:
                figure = Figure.of(cell.value, cell.token, INFERRED) if cell.token else Figure(cell.value, "", {}, INFERRED)
            elif labelled is not None and labelled.raw == cell.token.text and labelled.location == cell.token.location():
                figure = labelled
            else:
                figure = Figure.of(cell.value, cell.token, ORDER)
            self.figures[key] = figure
            methods[figure.method] += 1
        if differ:
            left = [k for k, c in zip(keys, cells) if c is None]
            self.findings.append(Finding(Rule.TABLE_AMBIGUOUS, f"{len(found)} readings of the table satisfy its identities and "
                f"disagree on {len(left)} figures; those are left out", keys=left, evidence={"readings": len(found)},
            ))
        if methods[ORDER] or methods[INFERRED]:
            self.findings.append(Finding(Rule.TABLE_READ_BY_ORDER, f"labels and values came apart: {methods[ORDER]} figures "
                f"read by row order, {methods[INFERRED]} inferred, chosen because the identities hold",
                keys=[k for k, c in zip(keys, cells) if c is not None and self.figures[k].method in (ORDER, INFERRED)],
                evidence=dict(methods),
            ))

    def _keep_labelled(self, read: _Labelled, table: int) -> None:
        """No reading satisfies the checksums: keep what the labels justify.

        Where labels and values came apart, only rows printed beside their labels. Otherwise a
        table-3 row not printed on its label's line that holds cells run together (a count no
        organ reaches, digits with a leading zero) keeps its figures only where its own total holds.
        """
        if not read.suspect:
            unsure = {k for k in read.figures if k not in read.beside and table == 3
                      and _run_together(read.figures, k.rsplit(".", 1)[0])}
            if not unsure:
                self._keep(read)
                return
            read.beside = set(read.figures) - unsure
        dropped = sorted(k for k in read.figures if k not in read.beside)
        self.figures.update({k: f for k, f in read.figures.items() if k in read.beside})
        self.findings += [f for f in read.findings if f.rule != Rule.TABLE_EXTRA_VALUES]
        if dropped:
            self.findings.append(Finding(Rule.TABLE_DETACHED, f"table {table}: values printed apart from their labels and no "
                f"reading by row order satisfies the identities; {len(dropped)} figures not printed beside their labels are left out",
                keys=dropped, evidence={"raw": [t.text for t, _ in self.reader.stream[table]][:400]},
            ))


# No organ counts this many applications in a year: a longer run of digits is cells run together.
_MAX_COUNT_DIGITS = 8


def _run_together(figures: dict[str, Figure], prefix: str) -> bool:
    row = [figures[f"{prefix}.{c}"] for c in K.T3_COLUMNS if f"{prefix}.{c}" in figures]
    raw = [f.raw.strip() for f in row]
    runs = any(r.isdigit() and (len(r) > _MAX_COUNT_DIGITS or len(r) > 1 and r[0] == "0") for r in raw)
    return runs and sum(f.value for f in row[:-1]) != row[-1].value


def _row_total_ok(_: int, cells) -> bool:
    """Identities 3 and 4: a row's last cell is the sum of the others."""
    return sum(c.value for c in cells[:-1]) == cells[-1].value


def _groups_total_ok(_: int, cells) -> bool:
    width = len(K.T4_COLUMNS)
    return all(_row_total_ok(0, cells[g:g + width]) for g in range(0, len(cells), width))


def _line_widths(values: list[tuple[Token, CellValue]]) -> list[int]:
    widths: list[int] = []
    last = None
    for tok, _ in values:
        if tok.row != last:
            widths.append(0)
            last = tok.row
        widths[-1] += 1
    return widths


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
