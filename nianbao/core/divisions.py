"""Administrative divisions at county level and above, and their codes.

``divisions.csv`` is the National Bureau of Statistics' 统计用区划代码 of 2023
(as of 2023-06-30, published 2023-09-11), cut to provinces, prefecture-level and
county-level units and to the first six digits, which are the administrative
division code (GB/T 2260). It is bundled as data rather than taken from a package
such as ``cpca``: cpca's last release (0.5.5) dates from 2021, states no date for
its code list and brings pandas and pyahocorasick for what is here a dictionary
lookup. Divisions renamed or merged after 2023-06-30 have no code here; an organ
without a code is still an organ.

The placeholder rows 市辖区 and 省直辖县级行政区划 are left out: a county under one
of them hangs directly under its province.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROVINCE, CITY, COUNTY = "province", "city", "county"
_DATA = Path(__file__).with_name("divisions.csv")
# Where a name not in the list ends: the suffixes divisions at county level and above carry.
_UNKNOWN_PART = re.compile(r".+?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|林区|特区|省|州|盟|市|县|区|旗)")


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str
    parent: str | None


@dataclass(frozen=True)
class Region:
    """Where a site's organs are: its divisions from the top (``某某省``, ``某某市``, ``某某县``)."""

    text: str
    parts: tuple[str, ...]
    division: Division | None

    @property
    def level(self) -> str | None:
        """The level of the region's own government: province, city or county."""
        if self.division is not None:
            return self.division.level
        if not self.parts:
            return None
        return level_of(self.parts[-1], len(self.parts))

    def named(self, level: str) -> str | None:
        """The region's division at ``level``, when it has one."""
        for division in ancestry(self.division):
            if division.level == level:
                return division.name
        if self.division is None and self.parts:
            levels = [level_of(p, i + 1) for i, p in enumerate(self.parts)]
            if level in levels:
                return self.parts[levels.index(level)]
        return None


def level_of(name: str, depth: int) -> str:
    """The level a division name of no known code has, from its suffix and its depth in a region."""
    if re.search(r"(?:省|自治区|特别行政区)$", name) or (depth == 1 and re.search(r"^(?:北京|天津|上海|重庆)市$", name)):
        return PROVINCE
    if re.search(r"(?:县|区|旗|林区|特区)$", name) or depth >= 3:
        return COUNTY
    return CITY


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, Division], dict[str, list[Division]]]:
    by_code: dict[str, Division] = {}
    by_name: dict[str, list[Division]] = {}
    with _DATA.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            division = Division(row["code"], row["name"], row["level"], row["parent"] or None)
            by_code[division.code] = division
            by_name.setdefault(division.name, []).append(division)
    return by_code, by_name


def by_code(code: str) -> Division | None:
    return _table()[0].get(code)


def ancestry(division: Division | None) -> list[Division]:
    """The division and its parents, the province first."""
    chain = []
    while division is not None:
        chain.append(division)
        division = by_code(division.parent) if division.parent else None
    return chain[::-1]


def split(text: str) -> tuple[str, ...]:
    """A region's text as its divisions: the longest known name at each point, else up to the next suffix."""
    names = _table()[1]
    longest = max(map(len, names))
    parts = []
    i = 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 1, -1):
            if text[i:i + size] in names:
                parts.append(text[i:i + size])
                i += size
                break
        else:
            match = _UNKNOWN_PART.match(text, i)
            if match is None:
                parts.append(text[i:])
                break
            parts.append(match.group())
            i = match.end()
    return tuple(parts)


def locate(parts: tuple[str, ...]) -> Division | None:
    """The one division whose name is the last part and whose parents include every earlier part."""
    if not parts:
        return None
    candidates = [d for d in _table()[1].get(parts[-1], [])
                  if set(parts[:-1]) <= {a.name for a in ancestry(d)[:-1]}]
    return candidates[0] if len(candidates) == 1 else None


def region(text: str | None) -> Region:
    text = re.sub(r"\s+", "", text or "")
    parts = split(text)
    return Region(text, parts, locate(parts))
