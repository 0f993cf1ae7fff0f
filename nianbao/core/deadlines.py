"""When a report was due, and whether it came late.

《政府信息公开条例》第五十条: the departments of governments at county level and
above publish their reports by 31 January; 第四十九条: a government at county level
and above publishes its own (its region's) report by 31 March. Towns and streets
(乡镇人民政府, 街道办事处) are named by neither: they follow their county, whose
own report is due by 31 March, and the finding says which rule was applied.
"""

from __future__ import annotations

import re
from datetime import date

from nianbao.core.findings import Finding
from nianbao.core.rules import Rule
from nianbao.core.text import squash

PROVINCE, CITY, COUNTY, DEPARTMENT, TOWN, STREET, OTHER = (
    "provincial_government", "city_government", "county_government", "department", "town", "street", "other")
KINDS = (PROVINCE, CITY, COUNTY, DEPARTMENT, TOWN, STREET, OTHER)

_GOVERNMENT = re.compile(r"(?:人民)?政府(?:办公厅|办公室)?$")
_STREET = re.compile(r"街道(?:办事处)?$|街道办$")
_TOWN = re.compile(r"(?:镇|乡)(?:人民政府|政府)?$")
_ZONE = re.compile(r"管委会$|管理委员会$|实验区$|开发区$|新区$|园区$")
_DEPARTMENT = re.compile(r"(?:局|委员会|委|办公室|办|厅|中心|署|院|所|队|站|处|部|会|室|馆)$")
_PROVINCE = re.compile(r"(?:省|自治区)$|^(?:北京|天津|上海|重庆)市$")
_COUNTY = re.compile(r"(?:县|区|旗|特区|林区)$|(?:市|州|盟|地区).+市$")
_CITY = re.compile(r"(?:市|州|盟|地区)$")


def kind_of(name: str) -> str:
    """An organ's kind from its name: a government (provincial, city, county), a department, a town, a street.

    ``XX市人民政府`` reads as a city's government, ``XX市YY市人民政府`` as a county-level
    city's; both owe their report by the same day.
    """
    s = squash(name)
    if _STREET.search(s):
        return STREET
    if _TOWN.search(s):
        return TOWN
    gov = _GOVERNMENT.search(s)
    if gov is not None:
        stem = s[:gov.start()]
        if _PROVINCE.search(stem):
            return PROVINCE
        if _COUNTY.search(stem):
            return COUNTY
        if _CITY.search(stem):
            return CITY
        return OTHER
    if _ZONE.search(s):
        return OTHER
    if _DEPARTMENT.search(s):
        return DEPARTMENT
    return OTHER


def deadline(kind: str, year: int) -> tuple[date, str]:
    """The day a report on ``year`` was due, and the rule that says so."""
    if kind == DEPARTMENT:
        return date(year + 1, 1, 31), "条例第五十条: departments publish by 31 January"
    if kind in (PROVINCE, CITY, COUNTY):
        return date(year + 1, 3, 31), "条例第四十九条: governments at county level and above publish by 31 March"
    if kind in (TOWN, STREET):
        return date(year + 1, 3, 31), ("towns and streets follow their county: 条例第四十九条, "
                                       "the county government's report by 31 March")
    return date(year + 1, 3, 31), "an organ of no known kind: the latest statutory deadline, 31 March"


def timeliness(kind: str, year: int, published_at: str | None) -> Finding | None:
    """``timeliness.late`` (days late) or ``timeliness.unknown`` for a report of an organ of ``kind``;
    None when it came in time."""
    due, rule = deadline(kind, year)
    evidence = {"kind": kind, "deadline": due.isoformat(), "rule": rule}
    if not published_at:
        return Finding(Rule.TIMELINESS_UNKNOWN, f"no publication date: whether it met {due.isoformat()} is unknown",
                       evidence=evidence)
    try:
        published = date.fromisoformat(published_at[:10])
    except ValueError:
        return Finding(Rule.TIMELINESS_UNKNOWN, f"the publication date {published_at!r} cannot be read",
                       evidence=evidence)
    late = (published - due).days
    if late <= 0:
        return None
    return Finding(Rule.TIMELINESS_LATE, f"published {published.isoformat()}, {late} days after {due.isoformat()} ({rule})",
                   expected=due.isoformat(), actual=published.isoformat(), evidence={**evidence, "days_late": late})
