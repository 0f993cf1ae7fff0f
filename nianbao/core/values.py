"""Cell values: the raw text of a table cell to a number, or to "not a value"."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Printed in place of 0.
_ZERO_WORDS = frozenset({"", "-", "--", "—", "——", "/", "\\", "无", "0", "−", "–", "－"})
_NUMBER = re.compile(
    r"""^(?P<sign>[+\-−]|增加|减少|增|减)?
        (?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)
        (?P<unit>万元|元|件|个|项|条|次|人次|家|宗|%)?
        (?P<note>[(（][^()（）]*[)）])?$""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class CellValue:
    value: int | float
    blank: bool  # an empty cell: 0 by rule, and possibly layout filler rather than a figure


# Cell texts repeat endlessly across reports ("0", "", small counts).
@lru_cache(maxsize=8192)
def parse_value(raw: str) -> CellValue | None:
    """The number a cell holds, or None when the cell is a label and not a value.

    ``22（其中修订16件）`` is 22; ``251000元`` is 251000; ``减少3`` is -3;
    blank, ``—``, ``/`` and ``无`` are 0.
    """
    text = unicodedata.normalize("NFKC", raw).replace("\xa0", "").strip().replace(" ", "")
    if text in _ZERO_WORDS:
        return CellValue(0, text == "")
    m = _NUMBER.match(text)
    if m is None:
        return None
    num = m["num"].replace(",", "")
    value: int | float = float(num) if "." in num else int(num)
    if m["sign"] in ("-", "−", "减少", "减"):
        value = -value
    return CellValue(value, False)
