"""TRS WCM: static list pages ``index.html``, ``index_1.html``… paged by a ``createPageHTML`` script call,
articles at ``./YYYYMM/tYYYYMMDD_N.html``; the walker reads all of it.

Many TRS columns are drawn half static, half dynamic ("动静结合"): the first page is published as HTML,
the rest come from one of TRS's search services, which the page's script asks by GET with the column
named in a filter:

- **IGS**: ``/igs/front/search/list.html?index=…&type=…&filter[CHANNELID]=…&pageNumber=N&pageSize=M``
  (the channel filter also ``chnldesc`` …), answering
  ``{"page": {"content": [{"DOCTITLE", "DOCPUBURL", "PUBDATE"}, …], "total", "totalPages"}}`` — the shape
  public crawlers of Tianjin's, Hubei's and Guangxi's portals read;
- **WAS5**: ``/was5/web/search?channelid=…&templet=docs.jsp&classsql=chnlid=…&prepage=M&page=N``,
  answering almost-JSON (placeholders in single quotes, raw line breaks) ``{"count", "docs": [{"title",
  "url", "chnldocurl", "time"}, …]}`` — the shape Fujian's portals answer and public crawlers of them
  read — or, with another template, a list in HTML.

The request's parameters are taken from what the script spells literally, in the endpoint's query or
in an object of parameters. A search without a column filter would list the whole site, and is not
made: the page's pagination is then reported as not followed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from nianbao.spiders.families.base import ApiRequest, Family, Records, json_answer
from nianbao.spiders.families.walker import ListPage
from nianbao.spiders.links import Link, anchors, parse_html

# WAS5's placeholders: "py":'###pypy###'.
_SINGLE_QUOTED = re.compile(r"""(:\s*)'([^'\\]*)'""")


class Trs(Family):
    name = "trs"
    markers = ((r"<meta[^>]+(?:generator|author)[^>]+TRS", 5), (r"trs_?wcm", 3), (r"createPageHTML", 3),
               (r"/igs/front/search/list\.html", 4), (r"/was5/web/search", 3), (r"/t\d{8}_\d+\.s?html", 1))

    def extend(self, page: ListPage, html: str, url: str) -> ListPage:
        for service in _SERVICES.values():
            found = service.endpoint.search(html)
            if found is None:
                continue
            literal = urljoin(url, found.group(1))
            params = {k: v for k, v in parse_qsl(urlsplit(literal).query) if v}
            for m in service.params.finditer(html):
                key, value = m.group(1), m.group(2) if m.group(2) is not None else m.group(3)
                # An ajax call's own "type: 'GET'" and a widget's "index: 0" are not the search's.
                if value and not (key in ("index", "type") and (m.group(3) or value.upper() in ("GET", "POST"))):
                    params[key] = value
            params.pop(service.page, None)
            if not any(service.column.search(k) and service.value.search(v) for k, v in params.items()):
                page.unfollowed.append(f"a TRS {service.name.upper()} search without a column filter ({literal})")
                continue
            params.setdefault(service.size, service.default_size)
            page.requests.append(_search(service, literal.split("?")[0], params, url, 1, 0))
        return page

    def records(self, text: str, request: ApiRequest) -> Records:
        state = request.state
        service = _SERVICES[state["service"]]
        links, items, total, pages = service.answer(text, request.referrer)
        seen = state["seen"] + items
        if not items:
            more = False
        elif pages is not None:
            more = state["page"] < pages
        elif total is not None:
            more = seen < total
        else:
            more = items >= int(state["params"][service.size])
        return Records(links, total, _search(service, state["endpoint"], state["params"], request.referrer,
                                             state["page"] + 1, seen) if more else None)


def _igs_answer(text: str, referrer: str) -> tuple[list[Link], int, int | None, int | None]:
    found = (json_answer(text) or {}).get("page")
    items = found.get("content") if isinstance(found, dict) else None
    if not isinstance(items, list):
        return [], 0, None, None
    links = _links(items, referrer, ("DOCPUBURL", "docpuburl", "url", "URL"), ("DOCTITLE", "doctitle", "title"))
    return links, len(items), _number(found.get("total")), _number(found.get("totalPages"))


def _was5_answer(text: str, referrer: str) -> tuple[list[Link], int, int | None, int | None]:
    try:
        data = json.loads(_SINGLE_QUOTED.sub(lambda m: m.group(1) + json.dumps(m.group(2)), text.strip()), strict=False)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        # Another template answers with a list in HTML.
        links = [link for link in anchors(parse_html(text), referrer) if link.text]
        return links, len(links), None, None
    items = data.get("docs")
    if not isinstance(items, list):
        return [], 0, None, None
    links = _links(items, referrer, ("url", "chnldocurl", "docpuburl"), ("title", "doctitle", "title2"))
    return links, len(items), _number(data.get("count")), None


def _links(items: list, referrer: str, urls: tuple[str, ...], titles: tuple[str, ...]) -> list[Link]:
    out = []
    for item in items:
        if not isinstance(item, dict):
            continue
        target = next((item[k] for k in urls if item.get(k)), None)
        if target:
            out.append(Link(urljoin(referrer, str(target)), str(next((item[k] for k in titles if item.get(k)), ""))))
    return out


def _number(value) -> int | None:
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


@dataclass(frozen=True)
class _Service:
    name: str
    endpoint: re.Pattern
    params: re.Pattern
    page: str
    size: str
    default_size: str
    # The filter that names the column: its key, and what its value must hold.
    column: re.Pattern
    value: re.Pattern
    answer: Callable[[str, str], tuple[list[Link], int, int | None, int | None]]


# Literal parameters wherever the script spells them: "filter[CHANNELID]": "123", pageSize: 15.
def _literal(keys: str) -> re.Pattern:
    return re.compile(rf"""["']?\b({keys})["']?\s*:\s*(?:["']([^"']*)["']|(\d+|true|false)\b)""")


_IGS = _Service("igs", re.compile(r"""["']([^"'\s]*/igs/front/search/list\.html[^"'\s]*)["']"""),
                _literal(r"index|type|siteId|pageSize|orderProperty|orderDirection|filter\[[^\]\"']+\]"),
                "pageNumber", "pageSize", "10", re.compile(r"^filter\[.*(?:chnl|channel|column)", re.IGNORECASE),
                re.compile(r"\S"), _igs_answer)
_WAS5 = _Service("was5", re.compile(r"""["']([^"'\s]*/was5/web/search\?[^"'\s]*)["']"""),
                 _literal(r"channelid|templet|sortfield|classsql|prepage"),
                 "page", "prepage", "15", re.compile(r"^(?:classsql|chnlid)$", re.IGNORECASE),
                 re.compile(r"^\d+$|chnlid\s*=\s*\d", re.IGNORECASE), _was5_answer)
_SERVICES = {s.name: s for s in (_IGS, _WAS5)}


def _search(service: _Service, endpoint: str, params: dict[str, str], referrer: str, page: int,
            seen: int) -> ApiRequest:
    return ApiRequest("trs", f"{endpoint}?{urlencode({**params, service.page: page})}", referrer,
                      state={"service": service.name, "endpoint": endpoint, "params": params, "page": page,
                             "seen": seen})


FAMILY = Trs()
