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

Newer TRS sites ask **IRS** by POSTing JSON: ``/irs/front/list`` (``code``, ``tableName``, ``pageNo``,
``pageSize``, ``sorts``, a ``customFilter`` of properties such as ``{"property": "channel_id",
"operator": "eq", "value": …}``, nested in ``filters`` or not), answering ``data.list`` of rows
(``DOCTITLE``/``doc_pub_url`` or the table's own field names) and ``data.total`` — the shape public
crawlers of Guangxi's and Guizhou's sites send and read — or ``/irs/front/search`` (``dataTypeId``,
``searchWord``…), answering ``data.middle.listAndBox`` of ``data`` records or ``data.middle.list``,
and ``data.pager`` — as crawlers of Jiangxi's, Jilin's and Ningxia's portals and of the foreign
ministry's site read it. The body is the object literal the page's script holds, read as data.

The request's parameters are taken from what the script spells literally, in the endpoint's query or
in an object of parameters. A search without a column filter would list the whole site, and is not
made: the page's pagination is then reported as not followed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import chompjs
from nianbao.spiders.families.base import ApiRequest, Family, Records, json_answer
from nianbao.spiders.families.walker import ListPage
from nianbao.spiders.links import Link, anchors, parse_html

from nianbao.core.metadata import classify_title

# WAS5's placeholders: "py":'###pypy###'.
_SINGLE_QUOTED = re.compile(r"""(:\s*)'([^'\\]*)'""")


class Trs(Family):
    name = "trs"
    markers = ((r"<meta[^>]+(?:generator|author)[^>]+TRS", 5), (r"trs_?wcm", 3), (r"createPageHTML", 3),
               (r"/igs/front/search/list\.html", 4), (r"/was5/web/search", 3), (r"/irs/front/(?:list|search)\b", 4),
               (r"/t\d{8}_\d+\.s?html", 1))

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
        found = _IRS.search(html)
        if found is not None:
            endpoint = urljoin(url, found.group(1))
            body = _irs_body(html)
            if body is None or not _irs_column(body.get("customFilter")):
                page.unfollowed.append(f"a TRS IRS search without a column filter ({endpoint})")
            else:
                page.requests.append(_irs(endpoint, body, url, 1, 0))
        return page

    def records(self, text: str, request: ApiRequest) -> Records:
        state = request.state
        if state["service"] == "irs":
            return _irs_records(text, request)
        service = _SERVICES[state["service"]]
        links, items, total, pages = service.answer(text, request.referrer)
        seen = state["seen"] + items
        more = _more(items, state["page"], pages, total, seen, int(state["params"][service.size]))
        return Records(links, total, _search(service, state["endpoint"], state["params"], request.referrer,
                                             state["page"] + 1, seen) if more else None)


def _more(items: int, page: int, pages: int | None, total: int | None, seen: int, size: int) -> bool:
    """Whether a search has pages after this one: to its page count, else its total, else while pages
    come back full."""
    if not items:
        return False
    if pages is not None:
        return page < pages
    if total is not None:
        return seen < total
    return items >= size


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


_IRS = re.compile(r"""["']([^"'\s]*/irs/front/(?:list|search))["']""")
# Keys only an IRS body has: where one is spelled, the object around it is the body.
_IRS_KEY = re.compile(r"""["']?\b(customFilter|tableName|dataTypeId)\b["']?\s*:""")
_COLUMN_PROPERTY = re.compile(r"chnl|channel|column", re.IGNORECASE)
_URL_KEY = re.compile(r"^(?:doc_?pub_?url|url|link_?url|chnldocurl)$", re.IGNORECASE)
_TITLE_KEY = re.compile(r"^(?:doc_?title|title|titleO|name)$", re.IGNORECASE)
_PAGE_URL = re.compile(r"^(?:https?://|/)\S+\.(?:s?html?|jsp|pdf|docx?|wps)(?:\?\S*)?$", re.IGNORECASE)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_RESULTS = frozenset({"list", "listAndBox", "resultDocs", "docs", "content", "records", "rows", "datas"})


def _irs_body(html: str) -> dict | None:
    """The object literal holding an IRS body: from the nearest brace before one of its keys outwards,
    the first that reads as an object with that key. A few keys and braces are tried, so that a page of
    script full of them costs no more than a few reads."""
    for key in islice(_IRS_KEY.finditer(html), 5):
        braces = [i for i in range(key.start(), max(0, key.start() - 4000), -1) if html[i] == "{"]
        for start in braces[:20]:
            try:
                body = chompjs.parse_js_object(html[start:start + 20_000])
            except ValueError:
                continue
            if isinstance(body, dict) and key.group(1) in body:
                return body
    return None


def _irs_column(found) -> bool:
    """Whether a filter, however nested, names a channel or column with a value."""
    if isinstance(found, dict):
        named = _COLUMN_PROPERTY.search(str(found.get("property") or found.get("fieldName") or ""))
        if named and str(found.get("value") or found.get("searchWord") or "").strip():
            return True
        return any(_irs_column(v) for v in found.values())
    return isinstance(found, list) and any(_irs_column(v) for v in found)


def _irs(endpoint: str, body: dict, referrer: str, page: int, seen: int) -> ApiRequest:
    size = body.get("pageSize")
    body = {**body, "pageNo": page, "pageSize": size if isinstance(size, int) and size > 0 else 10}
    return ApiRequest("trs", endpoint, referrer, json=body,
                      state={"service": "irs", "endpoint": endpoint, "body": body, "page": page, "seen": seen})


def _irs_records(text: str, request: ApiRequest) -> Records:
    state = request.state
    data = json_answer(text)
    rows = _rows(data)
    links = [Link(urljoin(request.referrer, _url_of(row)), _title_of(row)) for row in rows]
    total, pages = _count(data, ("total", "totalCount", "total_count")), _count(data, ("pageCount", "totalPages"))
    seen = state["seen"] + len(rows)
    more = _more(len(rows), state["page"], pages, total, seen, state["body"]["pageSize"])
    return Records(links, total, _irs(state["endpoint"], state["body"], request.referrer, state["page"] + 1, seen)
                   if more else None)


def _url_of(row: dict) -> str | None:
    """A record's page: under a URL's usual names, else the first value that is a page's address (tables
    of IRS name their fields ``f_<number>``)."""
    strings = [(k, v.strip()) for k, v in row.items() if isinstance(v, str) and v.strip()]
    return (next((v for k, v in strings if _URL_KEY.match(k)), None)
            or next((v for _, v in strings if _PAGE_URL.match(v)), None))


def _title_of(row: dict) -> str:
    """A record's title: under a title's usual names, else the first text that reads as a report's title,
    else the first short text."""
    strings = [(k, re.sub(r"<[^>]+>", "", v).strip()) for k, v in row.items() if isinstance(v, str)]
    named = next((v for k, v in strings if _TITLE_KEY.match(k) and v), None)
    if named:
        return named
    texts = [v for _, v in strings if _CJK.search(v) and len(v) <= 200 and not _PAGE_URL.match(v)]
    return next((v for v in texts if classify_title(v) is not None), texts[0] if texts else "")


def _rows(found) -> list[dict]:
    """The answer's records: the list under a name results go by (``list``, ``listAndBox``,
    ``resultDocs`` …), empty or not, outermost first; else the longest list of objects that carry a URL.
    Beside the results, searches answer related searches and recommendations, which are not the column's."""
    longest: list[dict] = []
    queue = [found]
    while queue:
        value = queue.pop(0)
        if not isinstance(value, dict):
            continue
        for key, item in value.items():
            if isinstance(item, dict):
                queue.append(item)
            elif isinstance(item, list):
                rows = [v.get("data") if isinstance(v, dict) and isinstance(v.get("data"), dict) else v for v in item]
                rows = [r for r in rows if isinstance(r, dict) and _url_of(r)]
                if key in _RESULTS:
                    return rows
                longest = rows if len(rows) > len(longest) else longest
    return longest


def _count(found, keys: tuple[str, ...]) -> int | None:
    """The first of ``keys`` the answer holds as a number, outermost first."""
    queue = [found]
    while queue:
        value = queue.pop(0)
        if isinstance(value, dict):
            for key in keys:
                if (number := _number(value.get(key))) is not None:
                    return number
            queue.extend(v for v in value.values() if isinstance(v, dict))
    return None


FAMILY = Trs()
