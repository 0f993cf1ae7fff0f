"""Hanweb's JPaaS publishing platform (the "页面构建单元" of Zhejiang's county portals and of ministries'
sites): a column page holds no list of its own but declares its units, each in a script tag
``<script src=".../AuthorizedRead/unitbuild.js" url="/api-gateway/jpaas-publish-server/front/page/build/unit"
queryData="{'webId':…,'pageId':…,'tplSetId':…,'tagId':…}">``; the script GETs the unit with those
parameters and ``paramJson={"pageNo":N,"pageSize":S}`` and is answered ``{"data":{"html":…}}``, the
unit drawn as HTML. Page numbers go only inside ``paramJson``; a page past the end comes back empty.

A page may declare several units (a navigation, a footer, the list), all under the column's page id:
each is asked for its first page, and only a unit whose first page lists a report, or what may be one,
is the column's list — its entries counted, paged on until a page is empty, repeats the one before, or
reaches the total the unit's own pager announces."""

from __future__ import annotations

import html as htmllib
import json
import re
from urllib.parse import urlencode, urljoin

from nianbao.spiders.families import walker
from nianbao.spiders.families.base import ApiRequest, Family, Records, json_answer
from nianbao.spiders.families.walker import ListPage

_SCRIPT = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""\b([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_PAGE_SIZE = 15
_UNIT = "/api-gateway/jpaas-publish-server/front/page/build/unit"


class Jpaas(Family):
    name = "jpaas"
    markers = ((r"unitbuild\.js", 5), (r"jpaas-publish-server", 5), (r"\bquerydata\s*=", 3), (r"/col/col\d+/", 1))

    def extend(self, page: ListPage, html: str, url: str) -> ListPage:
        for endpoint, params in units(html):
            page.requests.append(_request(urljoin(url, endpoint), url, params, 1, ()))
        return page

    def records(self, text: str, request: ApiRequest) -> Records:
        data = (json_answer(text) or {}).get("data")
        markup = data.get("html") if isinstance(data, dict) else data
        if not isinstance(markup, str) or not markup.strip():
            return Records([])
        unit = walker.read(markup, request.referrer)
        state = request.state
        if state["page"] == 1 and not unit.titled():
            return Records([])
        links = unit.entries
        shown = tuple(link.url for link in links)
        total = unit.announced.records if unit.announced else None
        seen = state["seen"] + len(links)
        more = bool(links) and shown != state["shown"] and (total is None or seen < total)
        return Records(links, total, _request(state["endpoint"], request.referrer, state["params"],
                                              state["page"] + 1, shown, seen) if more else None)


def units(html: str) -> list[tuple[str, dict[str, str]]]:
    """Each unit a page declares: the endpoint its script tag names and the parameters of its ``queryData``."""
    out = []
    for tag in _SCRIPT.findall(html):
        attributes = {name.lower(): htmllib.unescape(double or single) for name, double, single in _ATTRIBUTE.findall(tag)}
        params = _object(attributes.get("querydata", ""))
        if params is None or not {k.lower() for k in params} & {"pageid", "webid"}:
            continue
        out.append((attributes.get("url") or _UNIT, params))
    return out


def _object(text: str) -> dict[str, str] | None:
    """``queryData`` as pages write it: JSON, or JSON in single quotes."""
    for candidate in (text, text.replace("'", '"')):
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, dict):
            return {str(k): v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for k, v in value.items()}
    return None


def _request(endpoint: str, referrer: str, params: dict[str, str], page: int, shown: tuple[str, ...],
             seen: int = 0) -> ApiRequest:
    paging = json.dumps({"pageNo": page, "pageSize": _PAGE_SIZE}, separators=(",", ":"))
    query = urlencode({**params, "paramJson": paging})
    return ApiRequest("jpaas", f"{endpoint}?{query}", referrer,
                      state={"endpoint": endpoint, "params": params, "page": page, "shown": shown, "seen": seen})


FAMILY = Jpaas()
