"""Hanweb JCMS: a column page embeds its first records in a ``<script type="text/xml">``
datastore and loads the rest from ``dataproxy.jsp`` as XML, configured by a ``jpage`` call
(or a ``nextgroup`` link) whose parameters sit in an object literal under any key,
with quoted or unquoted keys and either quotes."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from nianbao.spiders.families.base import ApiRequest, Family, Records
from nianbao.spiders.families.walker import ListPage
from nianbao.spiders.links import cdata_links

_PROXY = re.compile(r"""[\w./-]*/module/(?:web/)?jpage/\w*dataproxy\.jsp""", re.IGNORECASE)
_OBJECT = re.compile(r"\{[^{}]*\bcolumnid\b[^{}]*\}", re.IGNORECASE)
_PAIR = re.compile(r"""["']?([A-Za-z_]\w*)["']?\s*:\s*(?:"([^"]*)"|'([^']*)'|([^,}\s]+))""")
_PER_PAGE = re.compile(r"""["']?perpage["']?\s*[:=]\s*["']?(\d+)""", re.IGNORECASE)
_NEXTGROUP = re.compile(r"<nextgroup>(.*?)</nextgroup>", re.IGNORECASE | re.DOTALL)
_RECORD = re.compile(r"<record[\s>]", re.IGNORECASE)
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.IGNORECASE)
# dataproxy.jsp answers three pages' records per request.
_GROUP = 3


class Hanweb(Family):
    name = "hanweb"
    markers = ((r"dataproxy\.jsp", 5), (r"\.jpage\s*\(", 5), (r"hanweb", 3), (r"/col/col\d+/", 1),
               (r"/art/\d{4}/\d+/\d+/art_\d+_\d+", 1))

    def extend(self, page: ListPage, html: str, url: str) -> ListPage:
        request = first_request(html, url)
        if request is not None:
            page.requests.append(request)
        return page

    def records(self, text: str, request: ApiRequest) -> Records:
        total = _TOTAL.search(text)
        links = cdata_links(text, request.referrer)
        after = request.state["start"] + _GROUP * request.state["per_page"]
        count = int(total.group(1)) if total else None
        more = links and count is not None and after <= count
        return Records(links, count, _request(request.url.split("?")[0], request.referrer, request.form or {},
                                              request.state["per_page"], after) if more else None)


def _request(proxy: str, referrer: str, params: dict[str, str], per_page: int, start: int) -> ApiRequest:
    end = start + _GROUP * per_page - 1
    return ApiRequest("hanweb", f"{proxy}?startrecord={start}&endrecord={end}&perpage={per_page}", referrer,
                      dict(params), {"start": start, "per_page": per_page})


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
    if columnid != "columnid":
        params["columnid"] = params.pop(columnid)
    for key in ("page", "perPage", "perpage", "proxyUrl", "proxyurl"):
        params.pop(key, None)
    proxy = _PROXY.search(html)
    per_page = _PER_PAGE.search(html)
    embedded = sum(len(_RECORD.findall(s)) for s in re.findall(r"<datastore>.*?</datastore>", html, re.DOTALL | re.I))
    return _request(urljoin(url, proxy.group(0) if proxy else "/module/web/jpage/dataproxy.jsp"), url, params,
                    int(per_page.group(1)) if per_page else 15, embedded + 1)


FAMILY = Hanweb()
