"""Hanweb JCMS: a column page embeds its first records in a ``<script type="text/xml">``
datastore and loads the rest from ``dataproxy.jsp`` as XML, configured by a ``jpage`` call
(or a ``nextgroup`` link) whose parameters sit in an object literal under any key,
with quoted or unquoted keys and either quotes.

Other CMSs copy the pager and name their own proxy in its ``proxyUrl`` (Jiangsu's TrueCMS county
portals: ``messageController/getMessage.do``, asked for by GET with the same record window and the
column id as declared, answering JSONP whose ``result`` holds the records): a proxy other than
``dataproxy.jsp`` is asked for that way, a window of one page at a time."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from nianbao.spiders.families.base import ApiRequest, Family, Records, json_answer
from nianbao.spiders.families.walker import ListPage
from nianbao.spiders.links import anchors, cdata_links, parse_html

_PROXY = re.compile(r"""[\w./-]*/module/(?:web/)?jpage/\w*dataproxy\.jsp""", re.IGNORECASE)
_OBJECT = re.compile(r"\{[^{}]*\bcolumnid\b[^{}]*\}", re.IGNORECASE)
_PAIR = re.compile(r"""["']?([A-Za-z_]\w*)["']?\s*:\s*(?:"([^"]*)"|'([^']*)'|([^,}\s]+))""")
_DECLARED = re.compile(r"""\bproxyUrl["']?\s*:\s*["']([^"']+)""", re.IGNORECASE)
_PER_PAGE = re.compile(r"""["']?perpage["']?\s*[:=]\s*["']?(\d+)""", re.IGNORECASE)
_NEXTGROUP = re.compile(r"<nextgroup>(.*?)</nextgroup>", re.IGNORECASE | re.DOTALL)
_RECORD = re.compile(r"<record[\s>]", re.IGNORECASE)
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>|[\"']total_?record[\"']\s*:\s*[\"']?(\d+)",
                    re.IGNORECASE)
# dataproxy.jsp answers three pages' records per request.
_GROUP = 3


class Hanweb(Family):
    name = "hanweb"
    markers = ((r"dataproxy\.jsp", 5), (r"\.jpage\s*\(", 5), (r"hanweb", 3), (r"\bproxyUrl[\"']?\s*:", 3),
               (r"/col/col\d+/", 1), (r"/art/\d{4}/\d+/\d+/art_\d+_\d+", 1))

    def extend(self, page: ListPage, html: str, url: str) -> ListPage:
        request = first_request(html, url)
        if request is not None:
            page.requests.append(request)
        return page

    def records(self, text: str, request: ApiRequest) -> Records:
        state = request.state
        if not state.get("get"):
            links = cdata_links(text, request.referrer)
            after = state["start"] + _GROUP * state["per_page"]
            count = _count(text)
            more = links and count is not None and after <= count
            return Records(links, count, _request(request.url.split("?")[0], request.referrer, request.form or {},
                                                  state["per_page"], after) if more else None)
        markup = _unwrap(text)
        count = _count(text) or _count(markup)
        links = cdata_links(markup, request.referrer) or anchors(parse_html(markup), request.referrer)
        after = state["start"] + state["per_page"]
        # Without a total, a full window may have more behind it.
        more = bool(links) and (after <= count if count is not None else len(links) >= state["per_page"])
        return Records(links, count, _get(state["proxy"], request.referrer, state["params"], state["per_page"],
                                          after) if more else None)


def _request(proxy: str, referrer: str, params: dict[str, str], per_page: int, start: int) -> ApiRequest:
    end = start + _GROUP * per_page - 1
    return ApiRequest("hanweb", f"{proxy}?startrecord={start}&endrecord={end}&perpage={per_page}", referrer,
                      dict(params), {"start": start, "per_page": per_page})


def _get(proxy: str, referrer: str, params: dict[str, str], per_page: int, start: int) -> ApiRequest:
    query = {"startrecord": str(start), "endrecord": str(start + per_page - 1), "perpage": str(per_page), **params,
             "callback": "jsonp"}
    return ApiRequest("hanweb", f"{proxy}?{urlencode(query)}", referrer,
                      state={"get": True, "proxy": proxy, "params": params, "start": start, "per_page": per_page})


def _unwrap(text: str) -> str:
    """The records' markup of a JSONP or JSON answer: its strings that hold markup, else the text itself."""
    data = json_answer(text) or {}
    return "".join(v for v in data.values() if isinstance(v, str) and "<" in v) or text


def _count(text: str) -> int | None:
    total = _TOTAL.search(text)
    return int(total.group(1) or total.group(2)) if total else None


def first_request(html: str, url: str) -> ApiRequest | None:
    """The POST for the records after those the page embeds, from whatever configures the column's pager."""
    params: dict[str, str] = {}
    for group in _NEXTGROUP.findall(html):
        href = re.search(r"""href=["']([^"']+)""", group)
        if href and "dataproxy" in href.group(1):
            params.update(parse_qsl(urlsplit(href.group(1).replace("&amp;", "&")).query))
    for block in _OBJECT.findall(html):
        for key, double, single, bare in _PAIR.findall(block):
            params[key] = double or single or bare
    columnid = next((k for k in params if k.lower() == "columnid"), None)
    if columnid is None:
        return None
    declared = next((params[k] for k in params if k.lower() == "proxyurl"), None) or (
        m.group(1) if (m := _DECLARED.search(html)) else None)
    for key in ("page", "perPage", "perpage", "proxyUrl", "proxyurl"):
        params.pop(key, None)
    per_page = _PER_PAGE.search(html)
    if declared and "dataproxy" not in declared.lower():
        return _get(urljoin(url, declared), url, params, int(per_page.group(1)) if per_page else 15, 1)
    if columnid != "columnid":
        params["columnid"] = params.pop(columnid)
    proxy = declared or (m.group(0) if (m := _PROXY.search(html)) else "/module/web/jpage/dataproxy.jsp")
    embedded = sum(len(_RECORD.findall(s)) for s in re.findall(r"<datastore>.*?</datastore>", html, re.DOTALL | re.I))
    return _request(urljoin(url, proxy), url, params, int(per_page.group(1)) if per_page else 15, embedded + 1)


FAMILY = Hanweb()
