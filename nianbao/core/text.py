"""Text normalisation shared by every reader and matcher."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")
# Word leaves these in extracted text; they are never report content.
_ARTIFACTS = re.compile(r"\[bookmark:[^\]]*\]")
# A page number in a form no table cell takes (``- 5 -``, ``第5页 共9页``); text converted
# from PDF keeps them, often inside a table that crosses the page break.
PAGE_MARK = re.compile(r"^(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?)$")


def fold(text: str) -> str:
    """NFKC-fold (full-width digits and brackets to ASCII) and drop all whitespace.

    Chinese labels carry no meaningful spaces, and wrapped header cells
    (``商业\\n企业``) must compare equal to their one-line form.
    """
    return _SPACE.sub("", unicodedata.normalize("NFKC", _ARTIFACTS.sub("", text)))


# Labels, cells and titles repeat endlessly across reports and are folded once each; a whole
# page's text never repeats: it is folded with fold() and never kept in this cache.
squash = lru_cache(maxsize=16384)(fold)


def clean(text: str) -> str:
    """Collapse whitespace runs (&nbsp; included) to one space and strip, keeping the words apart."""
    return " ".join(text.split())


def drop_artifacts(text: str) -> str:
    return _ARTIFACTS.sub("", text)
