"""Hanweb's JPaaS unit pages, column shells with their list in a frame, and pagers whose target is in
``onclick``.

The shapes are those public crawlers of these portals read: a column page's
``<script src=".../AuthorizedRead/unitbuild.js" url="/api-gateway/jpaas-publish-server/front/page/build/unit"
queryData="{'webId':…}">`` (single-quoted JSON, parsed by swapping the quotes), the unit GET with
``paramJson={"pageNo":N,"pageSize":S}`` answered ``{"success":true,"data":{"html":"<ul>…</ul>"}}``,
a page past the end empty (Zhejiang's provincial portals, ministries' sites); list iframes on shell
column pages (Changzhou's and Huai'an's county portals); ``<a title="下一页" onclick=
"queryArticleByCondition(this,'…-2.shtml')">`` (a Liaoning CMS)."""

from __future__ import annotations

import json
import random
from urllib.parse import parse_qs, urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st
from nianbao.spiders.families import FAMILIES, choose, read_list
from nianbao.spiders.families.jpaas import units

URL = "https://www.example.gov.cn/col/col1229123351/index.html"
ENDPOINT = "/api-gateway/jpaas-publish-server/front/page/build/unit"
PAGE = (f'<html><head><title>政府信息公开年报</title></head><body><div class="nav">'
        f'<script src="/module/jpaas/AuthorizedRead/unitbuild.js" url="{ENDPOINT}" '
        "queryData=\"{'webId':'3630','pageId':'1229123351','tplSetId':'5HrZiFGOR8vHklhTYqM4B','pageType':'column',"
        "'tagId':'信息列表','editType':'null','viewType':'1'}\"></script></div></body></html>")


def _answer(links: list[tuple[str, str]], extra: str = "") -> str:
    items = "".join(f'<li><a href="{u}" title="{t}" target="_blank">{t}</a><span>2024-01-15</span></li>'
                    for u, t in links)
    return json.dumps({"success": True, "code": "200", "data": {"html": f"<ul>{items}</ul>{extra}"}}, ensure_ascii=False)


def _titles(n: int) -> list[tuple[str, str]]:
    return [(f"/art/2024/1/{i + 1}/art_1229123351_{5000 + i}.html", f"第{i}县{2019 + i % 5}年政府信息公开工作年度报告")
            for i in range(n)]


def test_the_unit_is_detected_and_asked_for_its_first_page():
    assert choose(PAGE, URL).name == "jpaas"
    page = read_list(PAGE, URL)
    assert page.family == "jpaas" and len(page.requests) == 1
    request = urlsplit(page.requests[0].url)
    assert request.path == ENDPOINT and request.netloc == "www.example.gov.cn"
    query = {k: v[0] for k, v in parse_qs(request.query).items()}
    assert query["pageId"] == "1229123351" and query["tagId"] == "信息列表" and query["webId"] == "3630"
    assert json.loads(query["paramJson"]) == {"pageNo": 1, "pageSize": 15}


def _pages(total: int, size: int, announce: bool, end: str) -> list[str]:
    """Walk the unit as the spider does: each answer's next request, until there is none."""
    family = FAMILIES["jpaas"]
    request = read_list(PAGE, URL).requests[0]
    found = []
    while request is not None:
        paging = json.loads(parse_qs(urlsplit(request.url).query)["paramJson"][0])
        chunk = _titles(total)[(paging["pageNo"] - 1) * size:paging["pageNo"] * size]
        extra = f'<div class="page">共{total}条<a href="javascript:;">下一页</a></div>' if announce else ""
        text = _answer(chunk, extra) if chunk else end
        records = family.records(text, request)
        found += [link.url for link in records.links]
        assert records.total == (total if announce and chunk else None)
        request = records.next
        assert paging["pageNo"] <= total // size + 2
    return found


@settings(max_examples=40, deadline=None)
@given(total=st.integers(0, 60), size=st.sampled_from([4, 10, 15]), announce=st.booleans(),
       end=st.sampled_from([json.dumps({"success": True, "data": {"html": ""}}),
                            json.dumps({"success": True, "data": {"html": "<ul></ul>"}}),
                            json.dumps({"success": False, "code": "500"}), "<html>404</html>"]))
def test_every_page_of_the_unit_is_walked_to_its_end(total, size, announce, end):
    found = _pages(total, size, announce, end)
    assert found == [f"https://www.example.gov.cn{u}" for u, _ in _titles(total)]


def test_a_unit_answering_the_same_page_whatever_its_number_is_not_walked_on():
    family = FAMILIES["jpaas"]
    request = read_list(PAGE, URL).requests[0]
    asked = 0
    while request is not None and asked < 10:
        asked += 1
        request = family.records(_answer(_titles(3)), request).next
    assert asked == 2


def test_a_unit_listing_no_report_is_not_the_columns_list():
    """A navigation or footer unit under the column's page id: not counted as the column's entries, not paged."""
    request = read_list(PAGE, URL).requests[0]
    menu = [(f"/col/col12290{n}/index.html", name) for n, name in enumerate(("首页", "新闻发布会", "政策文件", "政务动态"))]
    records = FAMILIES["jpaas"].records(_answer(menu), request)
    assert records.links == [] and records.next is None


def test_query_data_in_its_spellings():
    rng = random.Random(7)
    for _ in range(30):
        params = {"webId": "3630", "pageId": "1229123351", "tplSetId": "tpl", "tagId": "分页列表", "pageType": "column"}
        items = list(params.items())
        rng.shuffle(items)
        if rng.random() < 0.5:
            data = "queryData=\"{" + ",".join(f"'{k}':'{v}'" for k, v in items) + "}\""
        else:
            data = f"querydata='{json.dumps(dict(items), ensure_ascii=False)}'"
        attributes = ['src="/AuthorizedRead/unitbuild.js"', f'url="{ENDPOINT}"', data, 'type="text/javascript"']
        rng.shuffle(attributes)
        found = units(f"<div><script {' '.join(attributes)}></script></div>")
        assert found == [(ENDPOINT, params)]
    assert units('<script src="/AuthorizedRead/unitbuild.js" url="/x" queryData="not json"></script>') == []
    assert units('<script src="/a.js" data-config="{\'x\':1}"></script>') == []


def test_a_shell_column_reads_its_list_frame_and_not_its_hidden_or_foreign_frames():
    shell = ('<html><body><iframe src="list/index.html" width="100%" height="900"></iframe>'
             '<iframe src="/visitcount/count.jsp" style="display: none"></iframe>'
             '<iframe src="/keepalive.jsp" width="0" height="0"></iframe>'
             '<iframe src="http://www.other.gov.cn/share.html"></iframe>'
             '<iframe src="/pdfjs/web/viewer.html?file=/a/report.pdf"></iframe></body></html>')
    page = read_list(shell, "http://www.example.gov.cn/xxgk/ndbg/index.html")
    assert page.frames == ["http://www.example.gov.cn/xxgk/ndbg/list/index.html"]


def test_a_pager_whose_target_is_in_onclick():
    html = ('<html><body><ul><li><a href="/a/1.shtml">某县2023年政府信息公开工作年度报告</a></li></ul>'
            '<div class="page"><a title="下一页" href="javascript:;" '
            "onclick=\"queryArticleByCondition(this,'/xxgk/ndbg/list-2.shtml')\">下一页</a></div></body></html>")
    page = read_list(html, "http://www.example.gov.cn/xxgk/ndbg/list-1.shtml")
    assert page.next_pages == ["http://www.example.gov.cn/xxgk/ndbg/list-2.shtml"]
    assert [e.url for e in page.entries] == ["http://www.example.gov.cn/a/1.shtml"]
