"""The canonical figure keys: the project's public vocabulary.

Every number in tables 2, 3 and 4 of an annual report is one figure with a key
``t<table>.<row>.<column>``.  Row labels as printed vary between reports, so each
row also carries the patterns that recognise its label (matched against text
normalised by :func:`nianbao.core.text.squash`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LAYOUT_2019 = "2019"
LAYOUT_2021 = "2021"
# A report's table format: the State Council's tables 2–4 (2019 onward), or the
# single statistics table reports used up to 2018.
TABLE_FORMAT = "2019+"
PRE2019 = "pre2019"


@dataclass(frozen=True)
class Row:
    table: int
    key: str
    pattern: re.Pattern[str]
    # Accepted only when this row is the next one expected; for labels such as
    # "其他" or "总计" that also occur in column headers.
    loose: re.Pattern[str] | None = None


def _row(table: int, key: str, pattern: str, loose: str | None = None) -> Row:
    return Row(table, key, re.compile(pattern), re.compile(loose) if loose else None)


# Table 2: one row set per layout; several rows occur in both.
T2_COLUMNS = {
    LAYOUT_2021: {
        "rules": ("issued", "repealed", "in_force"),
        "normative_docs": ("issued", "repealed", "in_force"),
        "licensing": ("decisions",),
        "punishment": ("decisions",),
        "coercion": ("decisions",),
        "admin_fees": ("amount_10k_yuan",),
    },
    LAYOUT_2019: {
        "rules": ("new_made", "new_published", "total_published"),
        "normative_docs": ("new_made", "new_published", "total_published"),
        "licensing": ("prev_year_items", "change", "decisions"),
        "other_services": ("prev_year_items", "change", "decisions"),
        "punishment": ("prev_year_items", "change", "decisions"),
        "coercion": ("prev_year_items", "change", "decisions"),
        "admin_fees": ("prev_year_items", "change"),
        "central_procurement": ("projects", "amount"),
    },
}
T2_OPTIONAL_ROWS = frozenset({"central_procurement"})
DECIMAL_COLUMNS = frozenset({"amount_10k_yuan", "amount"})
SIGNED_COLUMNS = frozenset({"change"})

T2_ROWS = (
    _row(2, "rules", r"规章"),
    _row(2, "normative_docs", r"规范性文件"),
    _row(2, "licensing", r"行政许可"),
    _row(2, "other_services", r"对外管理服务"),
    _row(2, "punishment", r"行政处罚"),
    _row(2, "coercion", r"行政强制"),
    _row(2, "admin_fees", r"事业性收费"),
    _row(2, "central_procurement", r"集中采购"),
)

# Header words that only one table-2 layout prints.
T2_LAYOUT_MARKERS = {
    LAYOUT_2021: re.compile(r"制发件数|废止件数|现行有效|收费金额"),
    LAYOUT_2019: re.compile(r"制作数量|新公开数量|公开总数量|上一年项目|增/减|本年增"),
}

T3_COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_services",
    "other_org",
    "total",
)
T3_APPLICANT_COLUMNS = T3_COLUMNS[:-1]

# In the order the rows are printed.
T3_ROWS = (
    _row(3, "new_received", r"本年新收"),
    _row(3, "carried_over", r"上年结转"),
    _row(3, "granted", r"予以公开"),
    _row(3, "partially_granted", r"部分公开"),
    _row(3, "denied.state_secret", r"国家秘密"),
    _row(3, "denied.law_prohibited", r"其他法律|禁止公开|行政止公开"),
    _row(3, "denied.security_stability", r"三安全一稳定|危及"),
    _row(3, "denied.third_party", r"第三方"),
    _row(3, "denied.internal_affairs", r"内部事务"),
    _row(3, "denied.process_info", r"过程性"),
    _row(3, "denied.enforcement_file", r"执法案卷"),
    _row(3, "denied.admin_query", r"行政查询"),
    _row(3, "unavailable.not_held", r"不掌握"),
    _row(3, "unavailable.needs_creation", r"另行制作|没有现成"),
    _row(3, "unavailable.unclear", r"仍不明确|补正后申请"),
    _row(3, "not_processed.petition", r"信访|举报投诉"),
    _row(3, "not_processed.duplicate", r"重复申请"),
    _row(3, "not_processed.publication", r"出版物"),
    _row(3, "not_processed.excessive", r"大量反复"),
    _row(3, "not_processed.confirmation", r"重新出具|确认或"),
    _row(3, "other", r"其他处理"),
    _row(3, "other.no_correction", r"不补正"),
    _row(3, "other.no_fee", r"收费通知|缴纳费用"),
    _row(3, "other.other", r"(?:^|\d[.、])其他$", loose=r"其他$"),
    _row(3, "total_processed", r"[(（]?七[)）、.]总计", loose=r"总计$"),
    _row(3, "carried_forward", r"结转下年度|下年度继续办理"),
)
T3_ROW_KEYS = tuple(r.key for r in T3_ROWS)
T3_OTHER_2021 = ("other.no_correction", "other.no_fee", "other.other")
T3_OUTCOME_ROWS = tuple(
    k for k in T3_ROW_KEYS if k.split(".")[0] in {"granted", "partially_granted", "denied", "unavailable", "not_processed"}
)


def t3_rows(layout: str) -> tuple[str, ...]:
    """Row keys of table 3 in printed order for ``layout``."""
    if layout == LAYOUT_2021:
        return tuple(k for k in T3_ROW_KEYS if k != "other")
    return tuple(k for k in T3_ROW_KEYS if k not in T3_OTHER_2021)


T4_GROUPS = ("review", "litigation_direct", "litigation_after_review")
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
T4_KEYS = tuple(f"t4.{g}.{c}" for g in T4_GROUPS for c in T4_COLUMNS)


def t2_keys(layout: str, with_procurement: bool = False) -> list[str]:
    return [
        f"t2.{row}.{col}"
        for row, cols in T2_COLUMNS[layout].items()
        if with_procurement or row not in T2_OPTIONAL_ROWS
        for col in cols
    ]


def t3_keys(layout: str) -> list[str]:
    return [f"t3.{row}.{col}" for row in t3_rows(layout) for col in T3_COLUMNS]


def all_keys(t2_layout: str, t3_layout: str, with_procurement: bool = False) -> list[str]:
    """Every key a complete report of these layouts carries, in printed order."""
    return t2_keys(t2_layout, with_procurement) + t3_keys(t3_layout) + list(T4_KEYS)


def is_decimal_key(key: str) -> bool:
    return key.rsplit(".", 1)[-1] in DECIMAL_COLUMNS


def table_number(key: str) -> int | None:
    """The table a key belongs to (2, 3, 4), or None for the pre-2019 statistics table's keys."""
    return int(key[1]) if key[0] == "t" and key[1].isdigit() else None


# The labels the State Council's template prints, for exports that name each key in Chinese.
ROW_LABELS = {
    2: {"rules": "规章", "normative_docs": "行政规范性文件", "licensing": "行政许可", "other_services": "其他对外管理服务事项",
        "punishment": "行政处罚", "coercion": "行政强制", "admin_fees": "行政事业性收费", "central_procurement": "政府集中采购"},
    3: {"new_received": "一、本年新收政府信息公开申请数量", "carried_over": "二、上年结转政府信息公开申请数量",
        "granted": "三、（一）予以公开", "partially_granted": "三、（二）部分公开",
        "denied.state_secret": "三、（三）不予公开 1.属于国家秘密",
        "denied.law_prohibited": "三、（三）不予公开 2.其他法律行政法规禁止公开",
        "denied.security_stability": "三、（三）不予公开 3.危及“三安全一稳定”",
        "denied.third_party": "三、（三）不予公开 4.保护第三方合法权益",
        "denied.internal_affairs": "三、（三）不予公开 5.属于三类内部事务信息",
        "denied.process_info": "三、（三）不予公开 6.属于四类过程性信息",
        "denied.enforcement_file": "三、（三）不予公开 7.属于行政执法案卷",
        "denied.admin_query": "三、（三）不予公开 8.属于行政查询事项",
        "unavailable.not_held": "三、（四）无法提供 1.本机关不掌握相关政府信息",
        "unavailable.needs_creation": "三、（四）无法提供 2.没有现成信息需要另行制作",
        "unavailable.unclear": "三、（四）无法提供 3.补正后申请内容仍不明确",
        "not_processed.petition": "三、（五）不予处理 1.信访举报投诉类申请",
        "not_processed.duplicate": "三、（五）不予处理 2.重复申请",
        "not_processed.publication": "三、（五）不予处理 3.要求提供公开出版物",
        "not_processed.excessive": "三、（五）不予处理 4.无正当理由大量反复申请",
        "not_processed.confirmation": "三、（五）不予处理 5.要求行政机关确认或重新出具已获取信息",
        "other": "三、（六）其他处理",
        "other.no_correction": "三、（六）其他处理 1.申请人无正当理由逾期不补正",
        "other.no_fee": "三、（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用",
        "other.other": "三、（六）其他处理 3.其他", "total_processed": "三、（七）总计",
        "carried_forward": "四、结转下年度继续办理"},
    4: {"review": "行政复议", "litigation_direct": "行政诉讼 未经复议直接起诉",
        "litigation_after_review": "行政诉讼 复议后起诉"},
}
COLUMN_LABELS = {
    2: {"issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数", "decisions": "处理决定数量",
        "amount_10k_yuan": "本年收费金额（万元）", "new_made": "本年新制作数量", "new_published": "本年新公开数量",
        "total_published": "对外公开总数量", "prev_year_items": "上一年项目数量", "change": "本年增/减",
        "projects": "采购项目数量", "amount": "采购总金额"},
    3: {"natural_person": "自然人", "commercial": "商业企业", "research": "科研机构", "social_welfare": "社会公益组织",
        "legal_services": "法律服务机构", "other_org": "其他", "total": "总计"},
    4: {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结", "total": "总计"},
}
TABLE_LABELS = {2: "表二 主动公开政府信息情况", 3: "表三 收到和处理政府信息公开申请情况", 4: "表四 政府信息公开行政复议、行政诉讼情况"}


def label(key: str) -> str:
    """A 2019+ key as the template prints it: table, row, column."""
    table, rest = int(key[1]), key[3:]
    row, column = rest.rsplit(".", 1)
    return f"{TABLE_LABELS[table]} · {ROW_LABELS[table][row]} · {COLUMN_LABELS[table][column]}"


def every_key() -> list[str]:
    """Every 2019+ key of either layout, in table order (a row's columns of the 2021 layout first)."""
    keys: list[str] = []
    for row in T2_ROWS:
        for layout in (LAYOUT_2021, LAYOUT_2019):
            keys += [f"t2.{row.key}.{c}" for c in T2_COLUMNS[layout].get(row.key, ())]
    keys += [f"t3.{row}.{col}" for row in T3_ROW_KEYS for col in T3_COLUMNS]
    return list(dict.fromkeys(keys + list(T4_KEYS)))
