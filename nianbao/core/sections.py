"""The six sections of a report and how their headings are recognised.

Headings vary: ``三、`` / ``3、`` / ``三.`` / no number, half- or full-width
brackets, ``政府信息公开`` prefixes, the shortened section-four title.  Only short
lines are headings: a summary sentence that lists every section title is not.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nianbao.core.text import squash

_MAX_HEADING_CHARS = 40
_NUMBER = r"(?:[一二三四五六七八九十]{1,2}|\d{1,2})"
_PREFIX = re.compile(rf"^(?:第?{_NUMBER}(?:部分)?[、.,，:：\s]*|\(?{_NUMBER}\)[、.]?)?")
_LEAD = r"^(?:政府信息公开(?:工作)?的?|因政府信息公开工作?被?申请)?"
_HEADINGS = tuple(
    (number, re.compile(_LEAD + pattern))
    for number, pattern in (
        (1, r"总体情况.{0,4}$"),
        (2, r"主动公开(?:政府信息)?的?情况.{0,4}$"),
        (3, r"收到和处理政府信息公开申请的?情况.{0,4}$"),
        (4, r"(?:政府信息公开)?(?:被申请)?行政复议.{0,6}行政诉讼的?情况.{0,4}$"),
        (5, r"存在的?主要问题.{0,12}$"),
        (6, r"其他需要报告的?事项.{0,4}$"),
    )
)


@lru_cache(maxsize=8192)
def heading_of(text: str) -> int | None:
    """The section number a line heads, or None when it is not a heading."""
    if len(text) > _MAX_HEADING_CHARS * 2:
        return None
    s = squash(text)
    if not s or len(s) > _MAX_HEADING_CHARS:
        return None
    body = _PREFIX.sub("", s, count=1)
    for number, pattern in _HEADINGS:
        if pattern.match(body):
            return number
    return None
