"""Text normalisation shared by every reader and matcher."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")
# Word leaves these in extracted text; they are never report content.
_ARTIFACTS = re.compile(r"\[bookmark:[^\]]*\]")


@lru_cache(maxsize=16384)
def squash(text: str) -> str:
    """NFKC-fold (full-width digits and brackets to ASCII) and drop all whitespace.

    Chinese labels carry no meaningful spaces, and wrapped header cells
    (``商业\\n企业``) must compare equal to their one-line form.
    """
    return _SPACE.sub("", unicodedata.normalize("NFKC", _ARTIFACTS.sub("", text)))


def clean(text: str) -> str:
    """Collapse whitespace runs (&nbsp; included) to one space and strip, keeping the words apart."""
    return " ".join(text.split())


def drop_artifacts(text: str) -> str:
    return _ARTIFACTS.sub("", text)
