"""TRS WCM: static list pages ``index.html``, ``index_1.html``… paged by a ``createPageHTML`` script call,
articles at ``./YYYYMM/tYYYYMMDD_N.html``; the walker reads all of it."""

from __future__ import annotations

from nianbao.spiders.families.base import Family


class Trs(Family):
    name = "trs"
    markers = ((r"<meta[^>]+(?:generator|author)[^>]+TRS", 5), (r"trs_?wcm", 3), (r"createPageHTML", 3),
               (r"/t\d{8}_\d+\.s?html", 1))


FAMILY = Trs()
