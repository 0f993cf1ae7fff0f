"""Disclosure platforms (政府信息公开平台, ``xxgk`` / ``gkml`` paths): a column of year and
department/town sub-columns, each a plain paged list; the walker reads all of it."""

from __future__ import annotations

from nianbao.spiders.families.base import Family


class Xxgk(Family):
    name = "xxgk"
    markers = ((r"gkmlpt", 4), (r"xxgkml", 3), (r"信息公开目录", 2), (r"/(?:zf)?xxgk/", 1), (r"/gkml/", 1))


FAMILY = Xxgk()
