"""Epoint WebBuilder (新点), whose disclosure platforms draw their lists by script: a column page
(``/dynamic/zwgk/govInfoPub.html?categorynum=003001003``, ``deptcode`` added for a department)
lists from ``{projectName}/rest/lightfrontaction/getgovinfolist``, POSTed as JSON
``{"deptcode", "categorynum", "pageIndex" (from 0), "pageSize", "siteGuid"}`` and answered
``{"custom": {"total": N, "data": [{"title", "infourl", "infodate"}, …]}}``. The site's ``siteGuid``
and ``projectName`` are set in ``var siteInfo = {…}``, in the page or in the script it loads for it
(``/js/webBuilderCommon.js``), which is then read first.

These are the shapes public crawlers of Xuzhou's portals read; an older middle layer (Yingkou's)
took the same fields wrapped in ``params``, which is not sent."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from nianbao.spiders.families.base import ApiRequest, Family, Records, json_answer
from nianbao.spiders.families.walker import ListPage
from nianbao.spiders.links import Link

_GUID = re.compile(r"""\bsiteGuid["']?\s*[:=]\s*["']([\w-]+)["']""")
_PROJECT = re.compile(r"""\bprojectName["']?\s*[:=]\s*["']([^"']+)["']""")
_SITE_SCRIPT = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']([^"']*(?:webBuilderCommon|ajaxReq)\.js[^"']*)["']""",
                          re.IGNORECASE)
_CATEGORY = re.compile(r"""\bcategorynum["']?\s*[:=]\s*["']?(\d+)""", re.IGNORECASE)
_LIST = "/rest/lightfrontaction/getgovinfolist"
_PAGE_SIZE = 20


class Epoint(Family):
    name = "epoint"
    markers = ((r"lightfrontaction", 5), (r"webBuilderCommon\.js", 4), (r"EWB-FRONT|Epoint", 3),
               (r"/dynamic/[\w/]*govInfoPub|govInfoPub\w*\.html", 2), (r"[?&]categorynum=\d", 2))

    def extend(self, page: ListPage, html: str, url: str) -> ListPage:
        query = {k.lower(): v for k, v in parse_qsl(urlsplit(url).query)}
        category = query.get("categorynum") or (m.group(1) if (m := _CATEGORY.search(html)) else None)
        if not category:
            return page
        column = {"categorynum": category, "deptcode": query.get("deptcode", "")}
        site = _site(html, url)
        if site is not None:
            page.requests.append(_list(site, column, url, 0, 0))
        else:
            script = _SITE_SCRIPT.search(html)
            page.requests.append(ApiRequest("epoint", urljoin(url, script.group(1) if script else "/js/webBuilderCommon.js"),
                                            url, state={"category": column}))
        return page

    def records(self, text: str, request: ApiRequest) -> Records:
        state = request.state
        if "site" not in state:
            site = _site(text, request.referrer)
            return Records([], None, None if site is None else _list(site, state["category"], request.referrer, 0, 0))
        custom = (json_answer(text) or {}).get("custom")
        items = custom.get("data") if isinstance(custom, dict) else None
        if not isinstance(items, list):
            return Records([])
        links = []
        for item in items:
            if not isinstance(item, dict):
                continue
            target = item.get("infourl") or item.get("visiturl") or item.get("linkurl")
            if target:
                links.append(Link(urljoin(request.referrer, str(target)), str(item.get("title") or item.get("realtitle") or "")))
        total = custom.get("total")
        total = int(total) if isinstance(total, int) or (isinstance(total, str) and total.isdigit()) else None
        seen = state["seen"] + len(items)
        more = bool(items) and (seen < total if total is not None else len(items) >= _PAGE_SIZE)
        return Records(links, total, _list(state["site"], state["category"], request.referrer, state["page"] + 1, seen)
                       if more else None)


def _site(text: str, url: str) -> tuple[str, str] | None:
    """The list endpoint and the site's guid, from a ``siteInfo`` configuration."""
    guid, project = _GUID.search(text), _PROJECT.search(text)
    if guid is None or project is None:
        return None
    return urljoin(url, project.group(1).rstrip("/") + _LIST), guid.group(1)


def _list(site: tuple[str, str], column: dict[str, str], referrer: str, page: int, seen: int) -> ApiRequest:
    endpoint, guid = site
    body = {"deptcode": column["deptcode"], "categorynum": column["categorynum"], "pageIndex": page,
            "pageSize": _PAGE_SIZE, "siteGuid": guid}
    return ApiRequest("epoint", endpoint, referrer, json=body,
                      state={"site": site, "category": column, "page": page, "seen": seen})


FAMILY = Epoint()
