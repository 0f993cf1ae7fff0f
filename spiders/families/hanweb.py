"""Hanweb JCMS: a column page embeds its first records in a ``<script type="text/xml">``
datastore and loads the rest from ``dataproxy.jsp`` as XML, configured by a ``jpage`` call
(or a ``nextgroup`` link) whose parameters sit in an object literal under any key,
with quoted or unquoted keys and either quotes.

Other CMSs copy the pager and name their own proxy in its ``proxyUrl`` (Jiangsu's TrueCMS county
portals: ``messageController/getMessage.do``, asked for by GET with the same record window and the
column id as declared, answering JSONP whose ``result`` holds the records): a proxy other than
``dataproxy.jsp`` is asked for that way, a window of one page at a time.

Hanweb's disclosure module draws a column of the 信息公开目录 from ``/module/xxgk/search.jsp``, POSTed
the information type (``infotypeId``), site (``jdid``), organ (``area``) and target block (``divid``)
with the page as ``currpage``, answering a page of HTML: rows (``tr_main_value_odd``/``_even``) or
items, and 共N页. The page's script spells these in the endpoint's query, a loader call's arguments
(``loadDynamic('…search.jsp?…', 'div4', '0', '0', '950', '1', …)``, the block second and the site
sixth), a form's hidden inputs or an object of parameters; the column URL often carries the type
(``?number=…``) and the organ (``vc_xxgkarea=…``), and the category tree's frame the organ. Without an
information type the module lists the whole catalogue: no such search is made, and the page's
pagination is reported as not followed. The category tree (``tree.jsp``, shown in a frame) names each
type in its nodes, ``funclick('A0105', …)`` and a label: a node labelled as a report column (年报,
年度报告, a year) is searched with the organ, block and site of the tree's own URL."""

from __future__ import annotations

import html as markup
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from nianbao.spiders.families import walker
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

# The module as the page uses it; a link to it (another category of the catalogue, in a menu) is not
# this column's search.
_MODULE = re.compile(r"""(?<!href=["'])(?<![^"'\s()])[^"'\s()]*/module/xxgk/search\.jsp""", re.IGNORECASE)
# A URL of the module as a script spells it: a string, maybe concatenated with variables and more strings.
_MODULE_URL = re.compile(r"""(?<!href=)(["'])([^"'\s]*/module/xxgk/(?:search|tree)\.jsp\?[^"'\s]*)\1"""
                         r"""((?:\s*\+\s*(?:(["'])[^"']*\4|[\w.$()\[\]]+))*)""", re.IGNORECASE)
_STRING = re.compile(r"""["']([^"']*)["']""")
# A loader's arguments after the endpoint (which has no comma): the block, three more, the site.
_LOADER = re.compile(r"""\(\s*["'][^"',]*/module/xxgk/search\.jsp[^,]*""" + r"""\s*,\s*["'](\w*)["']""" +
                     r"""\s*,\s*["'][\w.]*["']""" * 3 + r"""\s*,\s*["'](\w*)["']""", re.IGNORECASE)
_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_INPUT_NAME = re.compile(r"""\bname\s*=\s*["']?([\w]+)""", re.IGNORECASE)
_INPUT_VALUE = re.compile(r"""\bvalue\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_MODULE_PAIR = re.compile(r"""["']?\b(infotypeId|jdid|webid|area|divid|sortfield)["']?\s*:\s*["']([^"']+)["']""",
                          re.IGNORECASE)
# The module's parameters by their lower-cased spellings; the column URL's own names besides.
_MODULE_KEYS = {"infotypeid": "infotypeId", "jdid": "jdid", "webid": "jdid", "area": "area", "divid": "divid",
                "sortfield": "sortfield"}
_COLUMN_KEYS = {**_MODULE_KEYS, "number": "infotypeId", "vc_xxgkarea": "area"}
# A node of the category tree: its type, then its label; inside a script string the quotes are escaped.
_NODE = re.compile(r"""funclick\(\s*\\?["']([\w-]+)\\?["'][^)]*\)[^<>]{0,80}>\s*([^<]{1,40})<""", re.IGNORECASE)


class Hanweb(Family):
    name = "hanweb"
    markers = ((r"dataproxy\.jsp", 5), (r"\.jpage\s*\(", 5), (r"hanweb", 3), (r"\bproxyUrl[\"']?\s*:", 3),
               (r"/module/xxgk/(?:search|tree)\.jsp", 4),
               (r"/col/col\d+/", 1), (r"/art/\d{4}/\d+/\d+/art_\d+_\d+", 1))

    def extend(self, page: ListPage, html: str, url: str) -> ListPage:
        request = first_request(html, url)
        if request is not None:
            page.requests.append(request)
        nodes = tree_requests(html, url)
        page.requests += nodes
        endpoint = _MODULE.search(html)
        if endpoint is not None and not nodes:
            search = module_request(html, url)
            if search is None:
                page.unfollowed.append(f"a Hanweb disclosure search without an information type "
                                       f"({urljoin(url, endpoint.group(0))})")
            else:
                page.requests.append(search)
        return page

    def records(self, text: str, request: ApiRequest) -> Records:
        state = request.state
        if state.get("module"):
            return _module_records(text, request)
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


def module_request(html: str, url: str) -> ApiRequest | None:
    """The disclosure module's search for the column's first page, from every place its parameters are
    spelled; None when no information type names the column."""
    params: dict[str, str] = {}

    def take(pairs, names=_MODULE_KEYS) -> None:
        for key, value in pairs:
            name = names.get(key.lower())
            if name and value.strip() and value.strip() != "0":
                params[name] = value.strip()

    # What the script adds from variables is unknown here: only its strings are read.
    literals = [markup.unescape(m.group(2) + "".join(_STRING.findall(m.group(3)))) for m in _MODULE_URL.finditer(html)]
    searches = [u for u in literals if "search.jsp" in u.lower()]
    # Least specific first: the column URL, the tree frame, inputs, objects, the loader, the search's own URL.
    take(parse_qsl(urlsplit(url).query), _COLUMN_KEYS)
    for literal in literals:
        if literal not in searches:
            take(parse_qsl(urlsplit(literal).query))
    for tag in _INPUT.findall(html):
        name, value = _INPUT_NAME.search(tag), _INPUT_VALUE.search(tag)
        if name and value:
            take([(name.group(1), value.group(1))])
    take(_MODULE_PAIR.findall(html))
    loader = _LOADER.search(html)
    if loader is not None:
        take([("divid", loader.group(1)), ("jdid", loader.group(2))])
    for literal in searches:
        take(parse_qsl(urlsplit(literal).query))
    if "infotypeId" not in params:
        return None
    search = searches[0] if searches else _MODULE.search(html).group(0)
    # Servers read the parameters from the query or from the form: both carry them.
    query = {k: v for k, v in parse_qsl(urlsplit(search).query) if v and k.lower() != "currpage"}
    return _module(urljoin(url, search.split("?")[0]), {**query, **params}, params, url, 1, 0, None)


def tree_requests(html: str, url: str) -> list[ApiRequest]:
    """A search for each node of a category tree labelled as a report column, with the organ, block and
    site its URL names."""
    types = dict.fromkeys(info for info, label in _NODE.findall(html) if walker.is_subcolumn(label, False))
    if not types:
        return []
    params: dict[str, str] = {}
    for key, value in parse_qsl(urlsplit(url).query):
        name = _COLUMN_KEYS.get(key.lower())
        if name and name != "infotypeId" and value.strip():
            params[name] = value.strip()
    endpoint = urljoin(url, m.group(0)) if (m := _MODULE.search(html)) else urljoin(url, "search.jsp")
    return [_module(endpoint.split("?")[0], {**params, "infotypeId": info}, {**params, "infotypeId": info}, url, 1, 0,
                    None) for info in types]


def _module(endpoint: str, query: dict[str, str], form: dict[str, str], referrer: str, page: int, seen: int,
            first: str | None) -> ApiRequest:
    return ApiRequest("hanweb", f"{endpoint}?{urlencode({**query, 'currpage': page})}", referrer,
                      {**form, "currpage": str(page)},
                      {"module": True, "endpoint": endpoint, "query": query, "params": form, "page": page,
                       "seen": seen, "first": first})


def _module_records(text: str, request: ApiRequest) -> Records:
    """A page of the module's answer; further pages to 共N页, to 共N条, or while each page brings new records
    (a page past the last comes back as the last again)."""
    state = request.state
    answer = walker.read(text, request.referrer)
    links = [link for link in answer.entries if link.text]
    announced = answer.announced or walker.Announced()
    seen = state["seen"] + len(links)
    if not links or links[0].url == state["first"]:
        return Records([], announced.records)
    if announced.pages is not None:
        more = state["page"] < announced.pages
    elif announced.records is not None:
        more = seen < announced.records
    else:
        more = True
    return Records(links, announced.records,
                   _module(state["endpoint"], state["query"], state["params"], request.referrer, state["page"] + 1,
                           seen, links[0].url) if more else None)


FAMILY = Hanweb()
