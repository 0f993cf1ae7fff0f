"""Titles: is this an annual report, for which organ and year, published when.

Shared by the parser (report metadata) and the crawler (telling reports from
look-alikes in list pages).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from nianbao.core.text import fold, squash

_REPORT = re.compile(r"(?:政府)?(?:信息|政务)公开(?:工作)?的?(?:年度)?(?:工作)?(?:报告|年报)")
_LOOKALIKE = re.compile(
    r"政府工作报告|法治政府|预决算|预算|决算|公开指南|工作要点|要点|目录|通知|方案|考核|测评|评估|统计表|解读|图解|一图|读懂|征求意见|审计"
)
_YEAR = re.compile(r"((?:19|20)\d{2})年度?")
_TITLE_SPLIT = re.compile(r"[_|｜]|\s[-—–]\s")
_ORGAN_TRIM = re.compile(r"^[\s:：,，、\-—《“\"]+|[\s:：,，、\-—》”\"]+$|关于$")
_ORGAN_SUFFIX = re.compile(r"(?:政府|局|委员会|委|办公室|办|镇|乡|街道|街道办事处|区|县|市|厅|院|中心|所|站|馆|队|部|署|会)$")
_PERIOD_YEAR = re.compile(r"(?:统计期限|统计期|期限)[^0-9]{0,8}((?:19|20)\d{2})年")
_DATE = r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
_PUBLISHED = re.compile(r"(?:发布时间|发布日期|发文日期|成文日期|生成日期|公开日期|日期)\s*[:：]?\s*" + _DATE)
_MAX_TITLE_CHARS = 80


@dataclass(frozen=True)
class TitleInfo:
    title: str
    organ: str | None
    year: int | None


def is_annual_report_title(title: str) -> bool:
    """A disclosure annual report, not one of its look-alikes (政府工作报告, 指南 …)."""
    s = squash(title)
    return bool(_REPORT.search(s)) and not _LOOKALIKE.search(_REPORT.sub("", s))


_MAYBE = re.compile(r"年度报告|年报|工作报告|信息公开")
_YEAR_COLUMN = re.compile(r"^((?:19|20)\d{2})年?度?(?:年报|报告)?$")
_REPORT_MARKERS = ("主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议", "行政诉讼情况",
                   "存在的主要问题及改进情况")


def classify_title(title: str) -> str | None:
    """``"report"`` for an annual-report title, ``"maybe"`` for one only the content can settle
    (``某某局2023年度报告``), None for anything else, look-alikes included."""
    s = squash(title)
    if is_annual_report_title(s):
        # A report title that names no year is as often a column name (政府信息公开年报).
        return "report" if _YEAR.search(s) else "maybe"
    if _MAYBE.search(s) and _YEAR.search(s) and len(s) <= _MAX_TITLE_CHARS and not _LOOKALIKE.search(s) and "政府工作报告" not in s:
        return "maybe"
    return None


def is_annual_report_text(text: str) -> bool:
    """Whether a document's text is an annual report: it carries the report's own section titles."""
    head = text[:200_000]
    # Folding only ever adds markers (they are ideographs it leaves alone): where the text as
    # printed already holds two, the slower fold is not needed.
    if _markers("".join(head.split())) >= 2:
        return True
    return _markers(fold(head)) >= 2


def _markers(folded: str) -> int:
    return sum(marker in folded for marker in _REPORT_MARKERS)


def is_lookalike(title: str) -> bool:
    """Names a document that is not the report: a guide, a budget, a statistics table …"""
    s = squash(title)
    return bool(_LOOKALIKE.search(s)) and not is_annual_report_title(s)


def title_year(title: str) -> int | None:
    """The year a title reports on (the last year before the report words), if it names one."""
    info = read_title(title)
    if info is not None:
        return info.year
    years = _YEAR.findall(squash(title))
    return int(years[-1]) if years else None


def title_organ(title: str) -> str | None:
    """The organ a title names: a report title's, or the organ before the year of
    an ambiguous one (某某县教育局2021年度报告)."""
    info = read_title(title)
    if info is not None:
        return info.organ
    s = squash(title)
    m = _YEAR.search(s)
    organ = _trim_organ(s[: m.start()]) if m else ""
    return organ if organ and _ORGAN_SUFFIX.search(organ) else None


def column_year(text: str) -> int | None:
    """The year of a year sub-column link (``2023``, ``2023年``, ``2023年度``)."""
    m = _YEAR_COLUMN.match(squash(text))
    return int(m.group(1)) if m else None


def looks_like_organ(text: str) -> bool:
    """A short organ name (县发展和改革局, 城关镇) such as department and town sub-columns carry."""
    s = squash(text)
    return 2 <= len(s) <= 20 and bool(_ORGAN_SUFFIX.search(s)) and not re.search(r"\d", s)


def read_title(title: str, previous_line: str | None = None) -> TitleInfo | None:
    """Organ and reported year from a report title, or None when it is no report title.

    ``淮安市人民政府`` / ``2024年政府信息公开工作年度报告`` printed on two lines:
    pass the line above as ``previous_line`` and it becomes the organ.
    """
    if len(title) > 2 * _MAX_TITLE_CHARS:
        return None
    s = squash(title)
    if len(s) > _MAX_TITLE_CHARS or not is_annual_report_title(s):
        return None
    report = _REPORT.search(s)
    assert report is not None
    years = list(_YEAR.finditer(s, 0, report.start()))
    year = int(years[-1].group(1)) if years else None
    if years:
        before = s[: years[-1].start()]
        between = s[years[-1].end(): report.start()]
        organ = _trim_organ(before) or _trim_organ(between)
    else:
        organ = _trim_organ(s[: report.start()])
    if not organ and previous_line:
        prev = _trim_organ(squash(previous_line))
        if prev and len(prev) <= 30 and _ORGAN_SUFFIX.search(prev) and not _YEAR.search(prev):
            organ = prev
    return TitleInfo(s, organ or None, year)


def _trim_organ(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _ORGAN_TRIM.sub("", text)
    return text


def find_title(lines: list[str], hints: list[str] = ()) -> TitleInfo | None:
    """The first report title among page-title hints and the document's first lines."""
    for hint in hints:
        for piece in _TITLE_SPLIT.split(hint):
            info = read_title(piece)
            if info is not None and info.year is not None and info.organ:
                return info
    previous = None
    fallback = None
    for line in lines:
        info = read_title(line, previous)
        if info is not None:
            if info.organ and info.year:
                return info
            fallback = fallback or info
        if line.strip():
            previous = line
    return fallback


def find_year(text: str) -> int | None:
    """The reported year from a report's text when its title does not say it."""
    m = _PERIOD_YEAR.search(text) or _YEAR.search(text)
    return int(m.group(1)) if m else None


def _iso(m: re.Match[str]) -> str | None:
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def find_published(lines: list[str]) -> str | None:
    """The 发布日期/发布时间 stated on one of ``lines``."""
    for line in lines:
        for m in _PUBLISHED.finditer(line):
            if day := _iso(m):
                return day
    return None
