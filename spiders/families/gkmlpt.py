"""Guangdong's 政府信息公开目录 platform (``gkmlpt``), which the province's governments and their
departments run: the column page is a script application configured by ``window._CONFIG``
(the site's ``SID`` and the column ``TREE``), the column named by the URL's fragment
(``/gkmlpt/index#2780``); its lists come as JSON from ``/gkmlpt/api/all/{column}?page=N&sid=SID``
(``total`` and ``articles``, each with ``title`` and ``url``), and each article page carries its
text in the same configuration (``DETAIL.content``), which the HTML reader reads.

Given a column, its sub-columns in the tree are listed too; given only the platform's index, the
columns whose names say 年报 or 年度报告, with theirs."""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin, urlsplit

from nianbao.spiders.families.base import ApiRequest, Family, Records, json_answer
from nianbao.spiders.families.walker import ListPage
from nianbao.spiders.links import Link

_SID = re.compile(r"""\bSID["']?\s*:\s*["']?(\d+)""")
_TREE = re.compile(r"""\bTREE["']?\s*:\s*(?=\[)""")
_ANNUAL = re.compile(r"年报|年度报告")
_JSON = json.JSONDecoder()


class Gkmlpt(Family):
    name = "gkmlpt"
    markers = ((r"/gkmlpt/", 4), (r"window\._CONFIG\s*=", 2), (r"\bSID\s*:\s*['\"]?\d", 2))

    def extend(self, page: ListPage, html: str, url: str) -> ListPage:
        sid = _SID.search(html)
        if sid is None or "/gkmlpt/" not in url:
            return page
        fragment = urlsplit(url).fragment
        api = url.split("/gkmlpt/")[0] + "/gkmlpt/api/all/"
        for column in columns(_tree(html), int(fragment) if fragment.isdigit() else None):
            page.requests.append(_request(api, column, sid.group(1), url, 1, 0))
        return page

    def records(self, text: str, request: ApiRequest) -> Records:
        data = json_answer(text) or {}
        articles = data.get("articles")
        if not isinstance(articles, list):
            return Records([])
        links = [Link(urljoin(request.referrer, str(a.get("url") or a.get("post_url"))), str(a.get("title") or ""))
                 for a in articles if isinstance(a, dict) and (a.get("url") or a.get("post_url"))]
        classify = data.get("classify")
        total = data.get("total", classify.get("post_count") if isinstance(classify, dict) else None)
        if not isinstance(total, int):
            total = None
        state = request.state
        seen = state["seen"] + len(links)
        more = bool(links) and total is not None and seen < total
        return Records(links, total, _request(state["api"], state["id"], state["sid"], request.referrer,
                                              state["page"] + 1, seen) if more else None)


def _request(api: str, column: int, sid: str, referrer: str, page: int, seen: int) -> ApiRequest:
    return ApiRequest("gkmlpt", f"{api}{column}?page={page}&sid={sid}", referrer,
                      state={"api": api, "id": column, "sid": sid, "page": page, "seen": seen,
                             "column": f"{referrer.split('#')[0]}#{column}"})


def _tree(html: str) -> list:
    m = _TREE.search(html)
    if m is None:
        return []
    try:
        tree, _ = _JSON.raw_decode(html, m.end())
    except ValueError:
        return []
    return tree if isinstance(tree, list) else []


def columns(tree: list, wanted: int | None) -> list[int]:
    """The column ids to list: ``wanted`` and the columns under it, or every annual-report column and
    the columns under those; a column that only jumps elsewhere (``jump_url``) is not listed."""
    out: list[int] = []

    def walk(nodes: list, inside: bool) -> None:
        for node in nodes:
            if not isinstance(node, dict) or not isinstance(node.get("id"), int):
                continue
            here = inside or (node["id"] == wanted if wanted is not None else bool(_ANNUAL.search(str(node.get("name")))))
            if here and not node.get("jump_url") and node["id"] not in out:
                out.append(node["id"])
            walk(node.get("children") or [], here)

    walk(tree, False)
    if wanted is not None and wanted not in out:
        out.insert(0, wanted)
    return out


FAMILY = Gkmlpt()
