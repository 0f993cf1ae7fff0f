"""Scanned PDFs: page images read by OCR (the optional ``ocr`` extra, rapidocr-onnxruntime).

rapidocr-onnxruntime 1.4.4 carries its Chinese PP-OCR models inside the wheel,
so it runs offline. Each text box becomes a token: boxes on one level form a
line, read left to right. Table cells whose label wraps print the label's
further lines below the row's values; a line holding only such text is joined
to the label box above it that it sits under, so the label reads whole.
Value boxes the recogniser is unsure of are dropped (a missing figure, never a
misread one); every token is marked ``ocr``.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache

from nianbao.core.document import Token
from nianbao.core.sections import heading_of
from nianbao.core.values import parse_value

DPI = 200
MAX_PAGES = 40
MIN_VALUE_SCORE = 0.8
INSTALL_HINT = 'pip install "nianbao[ocr]" (or pip install -e ".[ocr]" in a checkout)'


def installed() -> bool:
    """Whether the extra is installed, without importing it (the import loads the OCR runtime)."""
    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


def available() -> bool:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _engine():
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def _lines(boxes: list[tuple[float, float, float, float, str, float]]) -> list[list[tuple]]:
    """Boxes (x0, y0, x1, y1, text, score) grouped into lines: a box joins the line whose vertical
    span holds its middle."""
    lines: list[list[tuple]] = []
    for box in sorted(boxes, key=lambda b: (b[1] + b[3]) / 2):
        mid = (box[1] + box[3]) / 2
        for line in lines:
            top, bottom = min(b[1] for b in line), max(b[3] for b in line)
            if top <= mid <= bottom:
                line.append(box)
                break
        else:
            lines.append([box])
    return [sorted(line, key=lambda b: b[0]) for line in lines]


def _is_value(box: tuple) -> bool:
    return parse_value(box[4]) is not None


def _continues(line: list[tuple], previous: list[list]) -> bool:
    """Whether a line of text only can be the wrapped rest of the label cells above it: close
    below them, short, and not a heading."""
    height = max(b[3] - b[1] for b in previous)
    gap = min(b[1] for b in line) - max(b[3] for b in previous)
    text = "".join(b[4] for b in line)
    return gap < 1.5 * height and len(text) <= 30 and heading_of(text) is None


def page_tokens(image: bytes, page: int, row: int) -> tuple[list[Token], int]:
    """One page image's tokens, rows numbered from ``row``; returns the tokens and the next row."""
    result, _ = _engine()(image)
    boxes = [(min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts),
              text.strip(), float(score)) for pts, text, score in (result or []) if text.strip()]
    lines = _lines(boxes)
    # Label lines under a row with values continue that row's label cells (top-aligned cells).
    merged: list[list[list]] = []
    for line in lines:
        boxes_ = [list(b) for b in line]
        previous = merged[-1] if merged else None
        if (previous is not None and not any(_is_value(b) for b in line) and any(_is_value(b) for b in previous)
                and _continues(line, previous)):
            labels = [b for b in previous if not _is_value(b)]
            owners = [next((lb for lb in labels if b[0] < lb[2] and lb[0] < b[2]), None) for b in boxes_]
            if labels and None not in owners:
                for b, owner in zip(boxes_, owners):
                    owner[4] += b[4]
                continue
        merged.append(boxes_)
    tokens: list[Token] = []
    for line in merged:
        for b in line:
            if _is_value(b) and b[5] < MIN_VALUE_SCORE:
                continue
            tokens.append(Token(b[4], row, page=page, ocr=True))
        row += 1
    return tokens, row
