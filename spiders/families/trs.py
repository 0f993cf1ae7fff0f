"""TRS WCM: static list pages ``index.html``, ``index_1.html``… paged by a ``createPageHTML`` script call,
articles at ``./YYYYMM/tYYYYMMDD_N.html``; the walker reads all of it.

Many TRS columns are drawn half static, half dynamic ("动静结合"): the first page is published as HTML,
the rest come from TRS's search service, IGS, which the page's script asks with GET
``/igs/front/search/list.html?index=…&type=…&filter[CHANNELID]=…&pageNumber=N&pageSize=M`` (the column
named by a channel filter: ``CHANNELID``, ``chnldesc`` …) and which answers
``{"page": {"content": [{"DOCTITLE", "DOCPUBURL", "PUBDATE"}, …], "total", "totalPages"}}``, the shape
public crawlers of Tianjin's, Hubei's and Guangxi's portals read. The request's parameters are taken
from what the script spells literally, in the endpoint's query or in an object of parameters; a search
without a channel filter would list the whole site, and is not made."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from nianbao.spiders.families.base import ApiRequest, Family, Records, json_answer
from nianbao.spiders.families.walker import ListPage
from nianbao.spiders.links import Link

_IGS = re.compile(r"""["']([^"'\s]*/igs/front/search/list\.html[^"'\s]*)["']""")
# Literal parameters wherever the script spells them: "filter[CHANNELID]": "123", pageSize: 15.
_PARAM = re.compile(r"""["']?\b(index|type|siteId|pageSize|orderProperty|orderDirection|filter\[[^\]"']+\])["']?"""
                    r"""\s*:\s*(?:["']([^"']*)["']|(\d+|true|false)\b)""")
_CHANNEL = re.compile(r"chnl|channel|column", re.IGNORECASE)
_PAGE_SIZE = "10"


class Trs(Family):
    name = "trs"
    markers = ((r"<meta[^>]+(?:generator|author)[^>]+TRS", 5), (r"trs_?wcm", 3), (r"createPageHTML", 3),
               (r"/igs/front/search/list\.html", 4), (r"/t\d{8}_\d+\.s?html", 1))

    def extend(self, page: ListPage, html: str, url: str) -> ListPage:
        endpoint = _IGS.search(html)
        if endpoint is None:
            return page
        literal = urljoin(url, endpoint.group(1))
        params = {k: v for k, v in parse_qsl(urlsplit(literal).query) if v}
        for m in _PARAM.finditer(html):
            key, value = m.group(1), m.group(2) if m.group(2) is not None else m.group(3)
            # An ajax call's own "type: 'GET'" and a widget's "index: 0" are not the search's.
            if value and not (key in ("index", "type") and (m.group(3) or value.upper() in ("GET", "POST"))):
                params[key] = value
        params.pop("pageNumber", None)
        if not any(k.startswith("filter[") and _CHANNEL.search(k) and v for k, v in params.items()):
            page.unfollowed.append(f"an IGS search without a channel filter ({literal})")
            return page
        params.setdefault("pageSize", _PAGE_SIZE)
        page.requests.append(_igs(literal.split("?")[0], params, url, 1, 0))
        return page

    def records(self, text: str, request: ApiRequest) -> Records:
        found = (json_answer(text) or {}).get("page")
        items = found.get("content") if isinstance(found, dict) else None
        if not isinstance(items, list):
            return Records([])
        links = []
        for item in items:
            if not isinstance(item, dict):
                continue
            target = item.get("DOCPUBURL") or item.get("docpuburl") or item.get("url") or item.get("URL")
            if target:
                links.append(Link(urljoin(request.referrer, str(target)),
                                  str(item.get("DOCTITLE") or item.get("doctitle") or item.get("title") or "")))
        state = request.state
        total, pages = _number(found.get("total")), _number(found.get("totalPages"))
        seen = state["seen"] + len(items)
        if not items:
            more = False
        elif pages is not None:
            more = state["page"] < pages
        elif total is not None:
            more = seen < total
        else:
            more = len(items) >= int(state["params"]["pageSize"])
        return Records(links, total, _igs(state["endpoint"], state["params"], request.referrer, state["page"] + 1, seen)
                       if more else None)


def _number(value) -> int | None:
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _igs(endpoint: str, params: dict[str, str], referrer: str, page: int, seen: int) -> ApiRequest:
    return ApiRequest("trs", f"{endpoint}?{urlencode({**params, 'pageNumber': page})}", referrer,
                      state={"endpoint": endpoint, "params": params, "page": page, "seen": seen})


FAMILY = Trs()
