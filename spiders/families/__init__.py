"""CMS families: each one knows its own list pages; the generic column walker serves them all.

A family is a small module: how to tell its pages (weighted ``markers``), and
what its list pages need beyond the walker (the requests its script-drawn lists
make). The registry's ``cms`` chooses one; otherwise the family with the most
evidence on the page, else the generic walker alone. A new family is one module here
and its saved pages (``tests/pages/<family>/``); a quirk of one portal is a registry key.
"""

from __future__ import annotations

from nianbao.spiders.families import epoint, gkmlpt, hanweb, jpaas, trs, xxgk
from nianbao.spiders.families.base import ApiRequest, Family, Records
from nianbao.spiders.families.walker import Announced, ListPage

GENERIC = Family()
FAMILIES: dict[str, Family] = {f.name: f for f in (trs.FAMILY, hanweb.FAMILY, jpaas.FAMILY, epoint.FAMILY, xxgk.FAMILY,
                                                      gkmlpt.FAMILY, GENERIC)}

__all__ = ["FAMILIES", "GENERIC", "Announced", "ApiRequest", "Family", "ListPage", "Records", "choose", "read_list"]


def choose(html: str, url: str, cms: str | None = None) -> Family:
    """The registry's family when it names a known one, else the family the page shows, else the generic walker."""
    if cms and cms.lower() in FAMILIES:
        return FAMILIES[cms.lower()]
    scores = {f: f.evidence(html, url) for f in FAMILIES.values() if f is not GENERIC}
    best = max(scores, key=scores.get)
    return best if scores[best] > 0 else GENERIC


def read_list(html: str, url: str, cms: str | None = None) -> ListPage:
    return choose(html, url, cms).read(html, url)
