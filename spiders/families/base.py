"""What every family shares: detection by markers, the walker's reading, and list requests made by scripts."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from nianbao.spiders.families import walker
from nianbao.spiders.links import Link, anchors, cdata_links, parse_html


@dataclass(frozen=True)
class ApiRequest:
    """A request a list page's script makes for its records: a POST of ``form`` or of ``json`` when one is
    given, else a GET."""

    family: str
    url: str
    referrer: str
    form: dict[str, str] | None = None
    state: dict[str, Any] = field(default_factory=dict)
    json: dict[str, Any] | None = None


_JSONP = re.compile(r"^\s*[\w.$]+\s*\((.*)\)\s*;?\s*$", re.DOTALL)


def json_answer(text: str) -> dict[str, Any] | None:
    """An API's JSON object, also when it comes wrapped in a JSONP callback; None when it is no object."""
    wrapped = _JSONP.match(text)
    try:
        data = json.loads(wrapped.group(1) if wrapped else text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


@dataclass
class Records:
    """An API answer: the records' links, the total the API announces, and the request for the next batch."""

    links: list[Link]
    total: int | None = None
    next: ApiRequest | None = None


class Family:
    """The generic walker. Families set ``name`` and ``markers`` — (pattern, weight) pairs a page of theirs
    carries in its markup or URL, weighted by how surely they name the family (a generator tag or a
    vendor's list endpoint surely, a URL shape others copy hardly) — and override :meth:`extend` and
    :meth:`records` where their lists need more."""

    name = "generic"
    markers: tuple[tuple[str, int], ...] = ()

    def evidence(self, html: str, url: str) -> int:
        """How strongly the page shows this family: the weights of the markers it carries."""
        return sum(weight for marker, weight in self.markers
                   if re.search(marker, html, re.IGNORECASE) or re.search(marker, url, re.IGNORECASE))

    def read(self, html: str, url: str) -> walker.ListPage:
        page = walker.read(html, url)
        page.family = self.name
        return self.extend(page, html, url)

    def extend(self, page: walker.ListPage, html: str, url: str) -> walker.ListPage:
        return page

    def records(self, text: str, request: ApiRequest) -> Records:
        """An API answer read as most are written: records as HTML fragments in CDATA (XML answers), else
        the answer's own links; no total, no further request. Families whose APIs page override it."""
        links = cdata_links(text, request.referrer) or anchors(parse_html(text), request.referrer)
        return Records(links)
