"""Render a report from known figures as HTML, Word-style text, DOCX or PDF.

Each renderer draws the same table grid (cells with row and column spans, as
the State Council template prints them), so documents of every format can be
parsed back and compared with the figures they were made from.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field
from io import BytesIO

from nianbao.core import keys as K

Figures = dict[str, int | float]

T2_BLOCKS = {
    K.LAYOUT_2021: (
        ("第二十条第（一）项", ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
         (("规章", "rules"), ("行政规范性文件", "normative_docs"))),
        ("第二十条第（五）项", ("信息内容", "本年处理决定数量"), (("行政许可", "licensing"),)),
        ("第二十条第（六）项", ("信息内容", "本年处理决定数量"),
         (("行政处罚", "punishment"), ("行政强制", "coercion"))),
        ("第二十条第（八）项", ("信息内容", "本年收费金额（单位：万元）"), (("行政事业性收费", "admin_fees"),)),
    ),
    K.LAYOUT_2019: (
        ("第二十条第（一）项", ("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"),
         (("规章", "rules"), ("规范性文件", "normative_docs"))),
        ("第二十条第（五）项", ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"),
         (("行政许可", "licensing"), ("其他对外管理服务事项", "other_services"))),
        ("第二十条第（六）项", ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"),
         (("行政处罚", "punishment"), ("行政强制", "coercion"))),
        ("第二十条第（八）项", ("信息内容", "上一年项目数量", "本年增/减"), (("行政事业性收费", "admin_fees"),)),
        ("第二十条第（九）项", ("信息内容", "采购项目数量", "采购总金额"), (("政府集中采购", "central_procurement"),)),
    ),
}

_RESULTS = "三、本年度办理结果"
T3_LABELS: dict[str, tuple[str | None, str | None, str]] = {
    "new_received": (None, None, "一、本年新收政府信息公开申请数量"),
    "carried_over": (None, None, "二、上年结转政府信息公开申请数量"),
    "granted": (_RESULTS, None, "（一）予以公开"),
    "partially_granted": (_RESULTS, None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    "denied.state_secret": (_RESULTS, "（三）不予公开", "1.属于国家秘密"),
    "denied.law_prohibited": (_RESULTS, "（三）不予公开", "2.其他法律行政法规禁止公开"),
    "denied.security_stability": (_RESULTS, "（三）不予公开", "3.危及“三安全一稳定”"),
    "denied.third_party": (_RESULTS, "（三）不予公开", "4.保护第三方合法权益"),
    "denied.internal_affairs": (_RESULTS, "（三）不予公开", "5.属于三类内部事务信息"),
    "denied.process_info": (_RESULTS, "（三）不予公开", "6.属于四类过程性信息"),
    "denied.enforcement_file": (_RESULTS, "（三）不予公开", "7.属于行政执法案卷"),
    "denied.admin_query": (_RESULTS, "（三）不予公开", "8.属于行政查询事项"),
    "unavailable.not_held": (_RESULTS, "（四）无法提供", "1.本机关不掌握相关政府信息"),
    "unavailable.needs_creation": (_RESULTS, "（四）无法提供", "2.没有现成信息需要另行制作"),
    "unavailable.unclear": (_RESULTS, "（四）无法提供", "3.补正后申请内容仍不明确"),
    "not_processed.petition": (_RESULTS, "（五）不予处理", "1.信访举报投诉类申请"),
    "not_processed.duplicate": (_RESULTS, "（五）不予处理", "2.重复申请"),
    "not_processed.publication": (_RESULTS, "（五）不予处理", "3.要求提供公开出版物"),
    "not_processed.excessive": (_RESULTS, "（五）不予处理", "4.无正当理由大量反复申请"),
    "not_processed.confirmation": (_RESULTS, "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    "other": (_RESULTS, None, "（六）其他处理"),
    "other.no_correction": (_RESULTS, "（六）其他处理",
                            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    "other.no_fee": (_RESULTS, "（六）其他处理",
                     "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    "other.other": (_RESULTS, "（六）其他处理", "3.其他"),
    "total_processed": (_RESULTS, None, "（七）总计"),
    "carried_forward": (None, None, "四、结转下年度继续办理"),
}
T4_HEADER_GROUPS = ("行政复议", "行政诉讼")
T4_SUBGROUPS = ("未经复议直接起诉", "复议后起诉")
T4_COLUMN_LABELS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

ZERO_STYLES = ("0", "", "—", "/", "-", "无")
HEADING_STYLES = ("chinese", "arabic", "plain", "short")
_HEADINGS = ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况",
             "存在的主要问题及改进情况", "其他需要报告的事项")
_CHINESE_NUMBERS = "一二三四五六"


def heading(number: int, style: str) -> str:
    """A section heading as reports print it: ``三、…``, ``3、…``, unnumbered, or shortened."""
    text = _HEADINGS[number - 1]
    if style == "short" and number == 4:
        text = "行政复议、行政诉讼情况"
    if style == "arabic":
        return f"{number}、{text}"
    if style == "plain":
        return text
    return f"{_CHINESE_NUMBERS[number - 1]}、{text}"
HTML_STYLES = ("grid", "flat", "split")


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    value: bool = False


Grid = list[list[Cell]]


@dataclass
class ReportSpec:
    organ: str
    year: int
    figures: Figures
    table2_layout: str = K.LAYOUT_2021
    table3_layout: str = K.LAYOUT_2021
    published_at: str | None = None
    # How a 0 is printed: "0", blank, a dash …; one style per document.
    zero: str = "0"
    narrative: dict[str, str] = field(default_factory=dict)
    missing_tables: tuple[int, ...] = ()
    heading_style: str = "chinese"

    @property
    def title(self) -> str:
        return f"{self.organ}{self.year}年政府信息公开工作年度报告"


def format_value(value: float, key: str, zero: str) -> str:
    if value == 0 and not K.is_decimal_key(key):
        return zero
    if K.is_decimal_key(key):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value else "0"
    return str(value)


def _narrative(spec: ReportSpec, name: str) -> str:
    default = {
        "one": f"{spec.year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，"
               f"全年共受理政府信息公开申请{spec.figures.get('t3.new_received.total', 0)}件，均按时答复。",
        "five": "存在的问题是政策解读形式较为单一。下一步将丰富解读形式，提高公开质量。",
        "six": "本年度未收取信息处理费。",
    }
    return spec.narrative.get(name, default[name])


def t2_grid(spec: ReportSpec) -> Grid:
    grid: Grid = []
    width = 4
    for caption, header, rows in T2_BLOCKS[spec.table2_layout]:
        if spec.table2_layout == K.LAYOUT_2021 and not spec.figures.keys() & {
                f"t2.{key}.{c}" for _, key in rows for c in K.T2_COLUMNS[K.LAYOUT_2021][key]}:
            continue
        if rows[0][1] == "central_procurement" and "t2.central_procurement.projects" not in spec.figures:
            continue
        grid.append([Cell(caption, colspan=width)])
        span = width - 1 if len(header) == 2 else 1
        grid.append([Cell(header[0])] + [Cell(h, colspan=span) for h in header[1:]] + _pad(header, width))
        for label, key in rows:
            cols = K.T2_COLUMNS[spec.table2_layout][key]
            cells = [Cell(format_value(spec.figures[f"t2.{key}.{c}"], f"t2.{key}.{c}", spec.zero),
                          colspan=span, value=True) for c in cols]
            grid.append([Cell(label)] + cells + _pad(header, width))
    return grid


def _pad(header: tuple[str, ...], width: int) -> list[Cell]:
    used = 1 + (width - 1 if len(header) == 2 else len(header) - 1)
    return [Cell("", colspan=width - used)] if used < width else []


def t3_grid(spec: ReportSpec) -> Grid:
    header = [
        [Cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3),
         Cell("申请人情况", colspan=7)],
        [Cell("自然人", rowspan=2), Cell("法人或其他组织", colspan=5), Cell("总计", rowspan=2)],
        [Cell(t) for t in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")],
    ]
    rows = K.t3_rows(spec.table3_layout)
    grid: Grid = header
    spans: dict[str | None, int] = {}
    for key in rows:
        l1, l2, _ = T3_LABELS[key]
        spans[l1] = spans.get(l1, 0) + 1
        spans[(l1, l2)] = spans.get((l1, l2), 0) + 1  # type: ignore[index]
    seen: set = set()
    for key in rows:
        l1, l2, l3 = T3_LABELS[key]
        cells: list[Cell] = []
        if l1 is None:
            cells.append(Cell(l3, colspan=3))
        else:
            if l1 not in seen:
                seen.add(l1)
                cells.append(Cell(l1, rowspan=spans[l1]))
            if l2 is None:
                cells.append(Cell(l3, colspan=2))
            else:
                if (l1, l2) not in seen:
                    seen.add((l1, l2))
                    cells.append(Cell(l2, rowspan=spans[(l1, l2)]))  # type: ignore[index]
                cells.append(Cell(l3))
        cells += [Cell(format_value(spec.figures[f"t3.{key}.{c}"], f"t3.{key}.{c}", spec.zero), value=True)
                  for c in K.T3_COLUMNS]
        grid.append(cells)
    return grid


def t4_grid(spec: ReportSpec) -> Grid:
    return [
        [Cell(T4_HEADER_GROUPS[0], colspan=5), Cell(T4_HEADER_GROUPS[1], colspan=10)],
        [Cell(t, rowspan=2) for t in T4_COLUMN_LABELS] + [Cell(t, colspan=5) for t in T4_SUBGROUPS],
        [Cell(t) for t in T4_COLUMN_LABELS * 2],
        [Cell(format_value(spec.figures[k], k, spec.zero), value=True) for k in K.T4_KEYS],
    ]


def blocks(spec: ReportSpec) -> list[str | Grid]:
    """The report as paragraphs (str) and tables (Grid), in printed order."""
    out: list[str | Grid] = [spec.title]
    if spec.published_at:
        out.append(f"发布日期：{spec.published_at}")
    h = [heading(n, spec.heading_style) for n in range(1, 7)]
    out += [h[0], _narrative(spec, "one")]
    for number, grid in ((2, t2_grid), (3, t3_grid), (4, t4_grid)):
        out.append(h[number - 1])
        if number not in spec.missing_tables:
            out.append(grid(spec))
    out += [h[4], _narrative(spec, "five"), h[5], _narrative(spec, "six")]
    return out


def positions(grid: Grid) -> list[list[tuple[int, Cell]]]:
    """Each row's cells with the grid column they start in, spans resolved."""
    taken: dict[tuple[int, int], bool] = {}
    out = []
    for r, row in enumerate(grid):
        placed = []
        c = 0
        for cell in row:
            while taken.get((r, c)):
                c += 1
            placed.append((c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken[(r + dr, c + dc)] = True
            c += cell.colspan
        out.append(placed)
    return out


def covered_by_rowspan(grid: Grid) -> list[list[int]]:
    """Per row, the grid columns covered by a merged cell from a row above."""
    out: list[list[int]] = [[] for _ in grid]
    for r, row in enumerate(positions(grid)):
        for c, cell in row:
            for dr in range(1, cell.rowspan):
                out[r + dr].extend(range(c, c + cell.colspan))
    return out


# ---- HTML ---------------------------------------------------------------------------------------

def _html_text(cell: Cell, style: str, rng: random.Random) -> str:
    text = html.escape(cell.text)
    if not cell.text:
        return "&nbsp;" if rng.random() < 0.5 else ""
    if style != "split":
        return f"<p>{text}</p>"
    if cell.value:
        return "<p>" + "".join(f"<span>{html.escape(ch)}</span>" for ch in cell.text) + "</p>"
    if len(cell.text) <= 6:
        return "".join(f"<p>{html.escape(ch)}</p>" for ch in cell.text)
    half = len(cell.text) // 2
    return f"<p><span>{html.escape(cell.text[:half])}</span><br/>{html.escape(cell.text[half:])}</p>"


def _html_table(grid: Grid, style: str, rng: random.Random) -> str:
    rows = []
    if style == "flat":
        # Word-exported pages: no rowspan, the merged label repeated as blank cells.
        covered = covered_by_rowspan(grid)
        for r, placed in enumerate(positions(grid)):
            cells = []
            blanks = sorted(covered[r])
            items = [(c, Cell("", colspan=1)) for c in blanks] + [
                (c, Cell(cell.text, 1, cell.colspan, cell.value)) for c, cell in placed]
            for _, cell in sorted(items, key=lambda it: it[0]):
                span = f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
                cells.append(f"<td{span}>{_html_text(cell, style, rng)}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
    else:
        for row in grid:
            cells = []
            for cell in row:
                attrs = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                    f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
                cells.append(f'<td{attrs} style="border:1px solid #000">{_html_text(cell, style, rng)}</td>')
            rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table border="1" cellspacing="0"><tbody>' + "".join(rows) + "</tbody></table>"


def render_html(spec: ReportSpec, style: str = "grid", encoding: str = "utf-8", declare: str | None = "same",
                seed: int = 0, page: bool = False, after: str = "") -> bytes:
    """An HTML page or fragment; ``declare`` is the charset the page claims ("same", another, or None);
    ``after`` is markup placed after the report (attachment links, scripts)."""
    rng = random.Random(seed)
    parts = []
    for block in blocks(spec):
        if isinstance(block, str):
            parts.append(f"<p>{html.escape(block)}</p>")
        else:
            parts.append(_html_table(block, style, rng))
    body = "\n".join(parts) + after
    charset = encoding if declare == "same" else declare
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    if page:
        body = portal_page(spec, body)
    doc = (f"<!DOCTYPE html><html><head>{meta}<title>{html.escape(spec.title)}</title></head>"
           f"<body>{body}</body></html>")
    return doc.encode(encoding)


_MENU = ("首页", "政务公开", "政府信息公开", "政府工作报告", "政府信息公开指南", "政府信息公开制度", "法定主动公开内容",
         "政府信息公开年报", "部门预决算", "重点领域信息公开", "政策解读", "回应关切", "办事服务", "互动交流", "走进本县")


def portal_page(spec: ReportSpec, article: str) -> str:
    """An article page as county portals serve it: navigation, metadata table, sidebar, footer, scripts."""
    rng = random.Random(spec.year * 1000 + len(spec.organ))
    nav = "".join(f'<li><a href="/col/col{100 + i}/index.html">{name}</a></li>' for i, name in enumerate(_MENU * 4))
    meta_rows = (("索引号", f"11410523MB{rng.randrange(10**6):06d}/{spec.year + 1}-{rng.randrange(100):05d}"),
                 ("发布机构", spec.organ), ("生成日期", spec.published_at or ""),
                 ("主题分类", "政务公开"), ("名称", spec.title), ("文号", ""))
    meta = "".join(f"<tr><td>{html.escape(k)}：</td><td>{html.escape(v)}</td></tr>" for k, v in meta_rows)
    related = "".join(
        f'<li><a href="../{spec.year}{rng.randrange(1, 13):02d}/t{spec.year}0{rng.randrange(1, 10)}{i:02d}_{rng.randrange(10**7)}.html"'
        f' title="关于做好{_MENU[i % len(_MENU)]}工作的通知">关于做好{_MENU[i % len(_MENU)]}工作的通知</a>'
        f"<span>{spec.year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}</span></li>" for i in range(40))
    script = "var SiteInfo = {siteId: 21, columnId: 4412, pageSize: 15};" * 20
    footer = "".join(f'<a href="http://www.gov.cn/link{i}">友情链接{i}</a>' for i in range(30))
    return (f'<div class="header"><ul class="nav">{nav}</ul></div><script>{script}</script>'
            f'<div class="main"><div class="sidebar"><h3>相关文章</h3><ul>{related}</ul></div>'
            f'<div class="article"><table class="xxgk_meta">{meta}</table>'
            f'<div class="article_title">{html.escape(spec.title)}</div>'
            f'<div class="TRS_Editor">{article}</div></div></div>'
            f'<div class="footer"><div class="links">{footer}</div>主办单位：县人民政府办公室 网站标识码 1234567890'
            "</div>")


# ---- Word-style text ----------------------------------------------------------------------------

def render_text(spec: ReportSpec, tabs: bool = True) -> str:
    """Text as extracted from Word (``tabs``: one tab-indented cell per line, blank rows between
    table rows, merged cells as lone tabs) or as copied from a page (one cell per paragraph)."""
    lines: list[str] = []
    for block in blocks(spec):
        if isinstance(block, str):
            lines += [block, ""]
            continue
        covered = covered_by_rowspan(block)
        for r, placed in enumerate(positions(block)):
            items = [(c, None) for c in covered[r]] + [(c, cell) for c, cell in placed]
            for _, cell in sorted(items, key=lambda it: it[0]):
                text = "" if cell is None else cell.text
                if not tabs:
                    if text:
                        lines += [text, ""]
                    continue
                if cell is not None and not cell.value and len(text) in (4, 6) and text.isalpha():
                    text = text[: len(text) // 2] + "\n" + text[len(text) // 2:]
                lines.append("\t" + text)
            if tabs:
                lines.append("")
        lines.append("")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Damage:
    """What a conversion to text (PDF to text, OCR, copy and paste) does to a report's tables.

    Blank cells always vanish: a line of words has no way to show one.
    """

    # Labels come loose from their values: per run of rows, "before" prints the run's labels
    # first, "after" prints them after its values, "shift" prints each row's values before its label.
    detach: float = 0.0
    # Share of value lines printed without separators between cells (``640020470``).
    run_together: float = 0.0
    # Share of value lines broken by a page break (a page number between the halves).
    split: float = 0.0


def _grid_lines(grid: Grid, damage: Damage, rng: random.Random, page: list[int]) -> list[str]:
    rows: list[tuple[list[str], list[str]]] = []
    for placed in positions(grid):
        labels = [cell.text for _, cell in placed if not cell.value and cell.text]
        values = [cell.text for _, cell in placed if cell.value and cell.text]
        rows.append((labels, values))
    lines: list[str] = []
    i = 0
    while i < len(rows):
        run = rng.randint(1, 8)
        chunk = rows[i:i + run]
        i += run
        mode = rng.choice(("before", "after", "shift")) if rng.random() < damage.detach else None
        label_lines = [" ".join(labels) for labels, _ in chunk if labels]
        value_lines: list[list[str]] = []
        for _labels, values in chunk:
            if not values:
                continue
            line = [" ".join(values)]
            if len(values) > 1 and all(v.isdigit() for v in values) and rng.random() < damage.run_together:
                line = ["".join(values)]
            elif len(values) > 1 and rng.random() < damage.split:
                cut = rng.randint(1, len(values) - 1)
                page[0] += 1
                line = [" ".join(values[:cut]), f"- {page[0]} -", " ".join(values[cut:])]
            value_lines.append(line)
        if mode == "before":
            lines += label_lines + [part for line in value_lines for part in line]
        elif mode == "after":
            lines += [part for line in value_lines for part in line] + label_lines
        elif mode == "shift":
            for labels, values in chunk:
                line = value_lines.pop(0) if values else []
                lines += line + ([" ".join(labels)] if labels else [])
        else:
            for labels, values in chunk:
                line = value_lines.pop(0) if values else []
                if labels and line:
                    line = [" ".join(labels) + " " + line[0], *line[1:]]
                lines += line or [" ".join(labels)]
    return lines


def render_converted(spec: ReportSpec, damage: Damage, seed: int = 0) -> str:
    """The report as a conversion to text leaves it: one line per printed line, cells separated by spaces."""
    rng = random.Random(seed)
    lines: list[str] = []
    page = [1]
    for block in blocks(spec):
        lines += [block] if isinstance(block, str) else _grid_lines(block, damage, rng, page)
    return "\n".join(lines) + "\n"


_LEGACY_GROUPS = {"legacy.proactive.total": "一、主动公开情况", "legacy.response.hot_topics": "二、回应解读情况",
                  "legacy.applications.received": "三、依申请公开情况", "legacy.staff.offices": "八、机构建设和保障经费情况",
                  "legacy.meetings.meetings": "九、政府信息公开会议和培训情况"}


def render_legacy(organ: str, year: int, figures: Figures, html_table: bool = True) -> str:
    """A pre-2019 report: narrative, then the statistics table (统计指标 | 单位 | 统计数)."""
    from nianbao.core import legacy

    rows = [("统计指标", "单位", "统计数")]
    for row in legacy.ROWS:
        if row.key in _LEGACY_GROUPS:
            rows.append((_LEGACY_GROUPS[row.key], "", ""))
        value = figures[row.key]
        rows.append((row.label, "万元" if row.key in legacy.DECIMAL_KEYS else "件",
                     f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)))
    title = f"{organ}{year}年政府信息公开工作年度报告"
    intro = (f"本报告根据《中华人民共和国政府信息公开条例》要求编制。{year}年，全年共收到政府信息公开申请"
             f"{figures['legacy.applications.received']}件。")
    if not html_table:
        return "\n".join([title, "一、概述", intro, "附表：政府信息公开情况统计表", *(" ".join(r) for r in rows)]) + "\n"
    cells = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><h1>{title}</h1>"
            f"<p>一、概述</p><p>{intro}</p><p>附表：政府信息公开情况统计表</p><table>{cells}</table></body></html>")


def render_xlsx(spec: ReportSpec) -> bytes:
    """The report as a workbook: paragraphs one cell each, tables as merged cell ranges, values as numbers."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "年报"
    r = 1
    for block in blocks(spec):
        if isinstance(block, str):
            ws.cell(r, 1, block)
            r += 1
            continue
        for row, placed in enumerate(positions(block)):
            for c, cell in placed:
                value: str | int | float = cell.text
                if cell.value and (number := _number(cell.text)) is not None:
                    value = number
                ws.cell(r + row, c + 1, value)
                if cell.rowspan > 1 or cell.colspan > 1:
                    ws.merge_cells(start_row=r + row, start_column=c + 1,
                                   end_row=r + row + cell.rowspan - 1, end_column=c + cell.colspan)
        r += len(block) + 1
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _number(text: str) -> int | float | None:
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return None


# ---- DOCX ---------------------------------------------------------------------------------------

def render_docx(spec: ReportSpec) -> bytes:
    """A DOCX whose merged cells are stored as Word stores them (gridSpan, vMerge)."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def set_prop(tc, name: str, value: str | None) -> None:
        el = OxmlElement(name)
        if value is not None:
            el.set(qn("w:val"), value)
        tc.get_or_add_tcPr().append(el)

    document = docx.Document()
    for block in blocks(spec):
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        width = sum(cell.colspan for cell in block[0])
        table = document.add_table(rows=len(block), cols=width)
        starts: dict[tuple[int, int], tuple[Cell, bool]] = {}
        for r, placed in enumerate(positions(block)):
            for c, cell in placed:
                starts[(r, c)] = (cell, False)
                for dr in range(1, cell.rowspan):
                    starts[(r + dr, c)] = (cell, True)
        for r, row in enumerate(table.rows):
            tcs = list(row._tr.tc_lst)
            c = 0
            while c < width:
                cell, continued = starts.get((r, c), (None, False))
                if cell is None:
                    c += 1
                    continue
                tc = tcs[c]
                if cell.colspan > 1:
                    set_prop(tc, "w:gridSpan", str(cell.colspan))
                    for extra in tcs[c + 1:c + cell.colspan]:
                        row._tr.remove(extra)
                if cell.rowspan > 1:
                    set_prop(tc, "w:vMerge", None if continued else "restart")
                if not continued:
                    tc.p_lst[0].append(_run(cell.text))
                c += cell.colspan
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _run(text: str):
    from docx.oxml import OxmlElement

    run, t = OxmlElement("w:r"), OxmlElement("w:t")
    t.text = text
    run.append(t)
    return run


# ---- PDF ----------------------------------------------------------------------------------------

_PDF_FONT = "china-s"
_PDF_SIZE = 8
_PDF_LINE = 11
_PDF_WRAP = 14


def render_pdf(spec: ReportSpec) -> bytes:
    """A PDF with a text layer: labels wrapped in their column, page numbers, tables across pages."""
    import pymupdf

    cjk, latin = pymupdf.Font(_PDF_FONT), pymupdf.Font("helv")
    pdf = pymupdf.open()
    width, height = 595, 842
    pages: list[pymupdf.TextWriter] = []
    state = {"y": 0.0}

    def new_page() -> None:
        writer = pymupdf.TextWriter(pymupdf.Rect(0, 0, width, height))
        writer.append((width / 2 - 10, height - 30), f"- {len(pages) + 1} -", font=latin, fontsize=_PDF_SIZE)
        pages.append(writer)
        state["y"] = 60.0

    def ensure(lines: int) -> None:
        if not pages or state["y"] + lines * _PDF_LINE > height - 60:
            new_page()

    def write(x: float, text: str, wrap: int, font: pymupdf.Font = cjk) -> None:
        for i in range(0, len(text), wrap):
            pages[-1].append((x, state["y"] + (i // wrap) * _PDF_LINE), text[i:i + wrap], font=font,
                             fontsize=_PDF_SIZE)

    for block in blocks(spec):
        if isinstance(block, str):
            for i in range(0, len(block), 60):
                ensure(1)
                write(50, block[i:i + 60], 60)
                state["y"] += _PDF_LINE
            continue
        cols = sum(cell.colspan for cell in block[0])
        step = (width - 100) / cols
        for placed in positions(block):
            texts = [(c, cell) for c, cell in placed if cell.text]
            wrap = {c: len(cell.text) if cell.value else max(2, int(step * cell.colspan / _PDF_SIZE) - 1)
                    for c, cell in texts}
            ensure(max([-(-len(cell.text) // wrap[c]) for c, cell in texts] or [1]))
            for c, cell in texts:
                # Latin digits, as real reports print them: narrow enough for 15 columns.
                write(50 + c * step, cell.text, wrap[c], latin if cell.value and cell.text.isascii() else cjk)
            state["y"] += max([-(-len(cell.text) // wrap[c]) for c, cell in texts] or [1]) * _PDF_LINE + 2
        state["y"] += _PDF_LINE
    for writer in pages:
        writer.write_text(pdf.new_page(width=width, height=height))
    pdf.subset_fonts()
    return pdf.tobytes(garbage=1, deflate=True)


def rasterize(pdf: bytes, dpi: int = 200) -> bytes:
    """A PDF of the same pages as images only, as a scanner makes it: no text layer."""
    import pymupdf

    with pymupdf.open(stream=pdf, filetype="pdf") as src, pymupdf.open() as out:
        for page in src:
            image = out.new_page(width=page.rect.width, height=page.rect.height)
            image.insert_image(image.rect, stream=page.get_pixmap(dpi=dpi).tobytes("png"))
        return out.tobytes()
