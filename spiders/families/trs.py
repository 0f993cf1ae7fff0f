"""TRS WCM: static list pages ``index.html``, ``index_1.html``… paged by a ``createPageHTML`` script call,
articles at ``./YYYYMM/tYYYYMMDD_N.html``; the walker reads all of it."""

from __future__ import annotations

from nianbao.spiders.families.base import Family


class Trs(Family):
    name = "trs"
    markers = (r"createPageHTML", r"<meta[^>]+(?:generator|author)[^>]+TRS", r"/t\d{8}_\d+\.s?html", r"trs_?wcm")


FAMILY = Trs()
