"""Whole list pages in the markup of each CMS family, read as the crawler reads them.

Each ``tests/pages/<family>/<name>.html`` is detected as the family its folder names, and has a
``<name>.json`` beside it: the URL it is read at, the markup it carries (``markup``), and what reading it
must give — the entries, how many are titled as reports, the next and further pages, what the list announces, the sub-columns, the
requests its script makes for its records, the pagination it shows and cannot follow. Only the keys a
file names are compared. A new family comes with its pages here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nianbao.spiders.families import FAMILIES, choose, read_list

PAGES = sorted(Path(__file__).parent.joinpath("pages").glob("*/*.json"))


def _request(request) -> dict:
    out = {"url": request.url}
    if request.form is not None:
        out["form"] = request.form
    if request.json is not None:
        out["json"] = request.json
    return out


@pytest.mark.parametrize("expected_file", PAGES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_a_saved_page_reads_as_expected(expected_file):
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    html = expected_file.with_suffix(".html").read_text(encoding="utf-8")
    url = expected["url"]
    page = read_list(html, url)
    announced = page.announced
    read = {
        "entries": [link.url for link in page.entries],
        "titled": page.titled(),
        "next_pages": page.next_pages,
        "more_pages": page.more_pages,
        "announced": None if announced is None else {"records": announced.records, "pages": announced.pages},
        "subcolumns": [link.url for link in page.subcolumns],
        "platforms": [link.url for link in page.platforms],
        "frames": page.frames,
        "requests": [_request(r) for r in page.requests],
        "unfollowed": len(page.unfollowed),
    }
    assert choose(html, url).name == expected_file.parent.name
    for key, value in expected.items():
        if key in read:
            assert read[key] == value, key


def test_every_family_has_saved_pages():
    assert {p.parent.name for p in PAGES} == set(FAMILIES)
