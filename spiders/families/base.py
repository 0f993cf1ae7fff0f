"""What every family shares: detection by markers, the walker's reading, and list requests made by scripts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from nianbao.spiders.families import walker
from nianbao.spiders.links import Link


@dataclass(frozen=True)
class ApiRequest:
    """A request a list page's script makes for its records (a POST when ``form`` is given)."""

    family: str
    url: str
    referrer: str
    form: dict[str, str] | None = None
    state: dict[str, Any] = field(default_factory=dict)


@dataclass
class Records:
    """An API answer: the records' links, the total the API announces, and the request for the next batch."""

    links: list[Link]
    total: int | None = None
    next: ApiRequest | None = None


class Family:
    """The generic walker. Families set ``name`` and ``markers`` (patterns a page of theirs carries, in its
    markup or URL) and override :meth:`extend` and :meth:`records` where their lists need more."""

    name = "generic"
    markers: tuple[str, ...] = ()

    def detects(self, html: str, url: str) -> bool:
        return any(re.search(marker, html, re.IGNORECASE) or re.search(marker, url, re.IGNORECASE)
                   for marker in self.markers)

    def read(self, html: str, url: str) -> walker.ListPage:
        page = walker.read(html, url)
        page.family = self.name
        return self.extend(page, html, url)

    def extend(self, page: walker.ListPage, html: str, url: str) -> walker.ListPage:
        return page

    def records(self, text: str, request: ApiRequest) -> Records:
        raise NotImplementedError(f"the {self.name} family makes no list requests")
