"""Reports up to 2018: one 政府信息公开情况统计表 read into ``legacy.*`` keys.

Before the State Council fixed tables 2–4 (国办公开办函〔2019〕60号), reports ended
with one statistics table of indicators, a unit and a count per row (统计指标 |
单位 | 统计数): 主动公开政府信息数, 收到申请数 by channel, 申请答复数 by outcome
(同意公开答复数, 同意部分公开答复数, 不同意公开答复数 with its reasons …),
行政复议数量, 行政诉讼数量, staff and meetings. Its rows look like table 3's
(同意部分公开答复数 is not ``t3.partially_granted``), so such a report is
recognised first and never read into the 2019+ keys. The table's sums (a total
and its 其中 rows) are checked as findings, the figures kept as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nianbao.core.document import Token
from nianbao.core.extract import Figure
from nianbao.core.findings import Finding
from nianbao.core.rules import Rule
from nianbao.core.sections import heading_of
from nianbao.core.text import squash
from nianbao.core.values import parse_value


@dataclass(frozen=True)
class LegacyRow:
    key: str
    pattern: re.Pattern[str]
    label: str


def _row(key: str, pattern: str, label: str) -> LegacyRow:
    return LegacyRow(f"legacy.{key}", re.compile(pattern), label)


# In printed order; a label names the row whose pattern matches the most of it
# (不同意公开答复数 holds 同意公开答复数).
ROWS = (
    _row("proactive.total", r"主动公开政府信息数", "主动公开政府信息数"),
    _row("proactive.normative_docs", r"主动公开规范性文件数", "其中：主动公开规范性文件数"),
    _row("proactive.normative_docs_issued", r"制发规范性文件总数", "制发规范性文件总数"),
    _row("proactive.gazette", r"政府公报公开", "政府公报公开政府信息数"),
    _row("proactive.website", r"政府网站公开", "政府网站公开政府信息数"),
    _row("proactive.weibo", r"政务微博公开", "政务微博公开政府信息数"),
    _row("proactive.wechat", r"政务微信公开", "政务微信公开政府信息数"),
    _row("proactive.other_channels", r"其他方式公开", "其他方式公开政府信息数"),
    _row("response.hot_topics", r"回应公众关注热点|重大舆情数", "回应公众关注热点或重大舆情数"),
    _row("response.press_conferences", r"新闻发布会总次数", "参加或举办新闻发布会总次数"),
    _row("response.press_conferences_heads", r"负责同志参加新闻发布会次数", "其中：主要负责同志参加新闻发布会次数"),
    _row("response.online_interviews", r"在线访谈次数", "政府网站在线访谈次数"),
    _row("response.online_interviews_heads", r"负责同志参加政府网站在线访谈", "其中：主要负责同志参加政府网站在线访谈次数"),
    _row("response.interpretations", r"解读稿件", "政策解读稿件发布数"),
    _row("response.weibo_wechat", r"微博微信回应", "微博微信回应事件数"),
    _row("response.other", r"其他方式回应", "其他方式回应事件数"),
    _row("applications.received", r"收到申请数", "收到申请数"),
    _row("applications.in_person", r"当面申请数", "当面申请数"),
    _row("applications.fax", r"传真申请数", "传真申请数"),
    _row("applications.online", r"网络申请数", "网络申请数"),
    _row("applications.letter", r"信函申请数", "信函申请数"),
    _row("applications.closed", r"申请办结数", "申请办结数"),
    _row("applications.closed_on_time", r"按时办结数", "按时办结数"),
    _row("applications.closed_extended", r"延期办结数", "延期办结数"),
    _row("replies.total", r"申请答复数", "申请答复数"),
    _row("replies.already_public", r"已主动公开范围", "属于已主动公开范围数"),
    _row("replies.granted", r"同意公开答复数", "同意公开答复数"),
    _row("replies.partially_granted", r"同意部分公开", "同意部分公开答复数"),
    _row("replies.denied", r"不同意公开答复数", "不同意公开答复数"),
    _row("replies.denied.state_secret", r"涉及国家秘密", "其中：涉及国家秘密"),
    _row("replies.denied.commercial_secret", r"涉及商业秘密", "涉及商业秘密"),
    _row("replies.denied.privacy", r"涉及个人隐私", "涉及个人隐私"),
    _row("replies.denied.security_stability", r"危及国家安全", "危及国家安全、公共安全、经济安全和社会稳定"),
    _row("replies.denied.not_government_info", r"不是《?条例》?所指", "不是《条例》所指政府信息"),
    _row("replies.denied.other_law", r"法律法规规定的其他情形", "法律法规规定的其他情形"),
    _row("replies.not_this_organ", r"不属于本行政机关", "不属于本行政机关公开数"),
    _row("replies.not_exist", r"申请信息不存在", "申请信息不存在数"),
    _row("replies.correction_requested", r"更改补充", "告知作出更改补充数"),
    _row("replies.other_channel", r"其他途径办理", "告知通过其他途径办理数"),
    _row("review.total", r"行政复议数量", "行政复议数量"),
    _row("review.upheld", r"维持具体行政行为数", "维持具体行政行为数"),
    _row("review.corrected", r"被依法纠错数", "被依法纠错数"),
    _row("review.other", r"其他情形数", "其他情形数"),
    _row("litigation.total", r"行政诉讼数量", "行政诉讼数量"),
    _row("litigation.upheld", r"驳回原告诉讼请求数", "维持具体行政行为或者驳回原告诉讼请求数"),
    _row("litigation.corrected", r"被依法纠错数", "被依法纠错数"),
    _row("litigation.other", r"其他情形数", "其他情形数"),
    _row("complaints", r"举报投诉数量", "举报投诉数量"),
    _row("fees_10k_yuan", r"收取的费用", "依申请公开信息收取的费用"),
    _row("staff.offices", r"专门机构数", "政府信息公开工作专门机构数"),
    _row("staff.reading_points", r"查阅点数", "设置政府信息公开查阅点数"),
    _row("staff.total", r"从事[^（(]*工作人员数", "从事政府信息公开工作人员数"),
    _row("staff.full_time", r"专职人员数", "专职人员数"),
    _row("staff.part_time", r"兼职人员数", "兼职人员数"),
    _row("staff.funding_10k_yuan", r"专项经费", "政府信息公开专项经费"),
    _row("meetings.meetings", r"工作会议或专题会议数", "召开政府信息公开工作会议或专题会议数"),
    _row("meetings.trainings", r"培训班数", "举办各类培训班数"),
    _row("meetings.trainees", r"接受培训人员数", "接受培训人员数"),
)
KEYS = tuple(r.key for r in ROWS)
DECIMAL_KEYS = frozenset({"legacy.fees_10k_yuan", "legacy.staff.funding_10k_yuan"})
# Rows whose label repeats under review and litigation: the one printed after the group's total.
_GROUPED = {"review": ("upheld", "corrected", "other"), "litigation": ("upheld", "corrected", "other")}

# (total, parts): the table's own sums.
SUMS = (
    ("legacy.applications.received", ("in_person", "fax", "online", "letter")),
    ("legacy.applications.closed", ("closed_on_time", "closed_extended")),
    ("legacy.replies.total", ("already_public", "granted", "partially_granted", "denied", "not_this_organ",
                              "not_exist", "correction_requested", "other_channel")),
    ("legacy.replies.denied", ("denied.state_secret", "denied.commercial_secret", "denied.privacy",
                               "denied.security_stability", "denied.not_government_info", "denied.other_law")),
    ("legacy.review.total", ("upheld", "corrected", "other")),
    ("legacy.litigation.total", ("upheld", "corrected", "other")),
    ("legacy.staff.total", ("full_time", "part_time")),
)

_MAX_LABEL_CHARS = 60
# Indicators only the pre-2019 statistics table prints; two of them make a report pre-2019.
_MARKERS = re.compile(r"收到申请数|申请答复数|同意公开答复数|不同意公开答复数|申请办结数|主动公开政府信息数|行政复议数量")
_CURRENT = re.compile(r"本年新收|上年结转|本年制发件数|本年新制作数量")


def is_pre2019(tokens: list[Token]) -> bool:
    text = squash("".join(t.text for t in tokens))
    return len(set(_MARKERS.findall(text))) >= 2 and not _CURRENT.search(text)


@lru_cache(maxsize=4096)
def _match(label: str, group: str | None) -> LegacyRow | None:
    best: tuple[int, LegacyRow] | None = None
    for row in ROWS:
        parts = row.key.split(".")
        if parts[1] in _GROUPED and parts[2] in _GROUPED[parts[1]] and parts[1] != group:
            continue
        m = row.pattern.search(label)
        if m is not None and (best is None or len(m[0]) >= best[0]):
            best = (len(m[0]), row)
    return None if best is None else best[1]


def read_legacy(tokens: list[Token]) -> tuple[dict[str, Figure], list[Finding]]:
    """The statistics table: each indicator's first value after its label (the unit cell is label text)."""
    figures: dict[str, Figure] = {}
    findings: list[Finding] = []
    label: list[str] = []
    group: str | None = None
    for tok in tokens:
        text = tok.text.strip()
        if not text:
            continue
        value = parse_value(text) if len(text) <= 40 else None
        if value is None:
            if len(text) > _MAX_LABEL_CHARS or heading_of(text) is not None and not _match(squash(text), group):
                label = []
                continue
            label.append(text)
            continue
        if not label:
            continue
        row = _match(squash("".join(label[-6:])), group)
        label = []
        if row is None:
            continue
        if row.key in ("legacy.review.total", "legacy.litigation.total"):
            group = row.key.split(".")[1]
        if row.key not in figures:
            figures[row.key] = Figure.of(value.value, tok)
        elif figures[row.key].value != value.value:
            findings.append(Finding(Rule.TABLE_DUPLICATE_MISMATCH, f"row {row.key} is printed more than once with "
                                    "different values; the first is kept", keys=[row.key],
                                    expected=figures[row.key].value, actual=value.value))
    return figures, findings


def validate_legacy(figures: dict[str, int | float]) -> list[Finding]:
    found = []
    for total, parts in SUMS:
        group = total.rsplit(".", 1)[0]
        keys = [f"{group}.{p}" for p in parts]
        if total not in figures or not all(k in figures for k in keys):
            continue
        rhs = sum(figures[k] for k in keys)
        if figures[total] != rhs:
            found.append(Finding(Rule.LEGACY_SUM, f"{total} ≠ the sum of its parts", keys=[total, *keys],
                                 expected=figures[total], actual=rhs))
    return found
