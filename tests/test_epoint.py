"""Epoint WebBuilder columns: the site's ``siteInfo`` read from the page or its script, then the list
POSTed as JSON page by page to its total.

The shapes (``govInfoPub.html?categorynum=…``, ``var siteInfo`` with ``siteGuid`` and ``projectName``
in ``/js/webBuilderCommon.js``, ``{projectName}/rest/lightfrontaction/getgovinfolist`` taking
``deptcode``, ``categorynum``, ``pageIndex`` from 0, ``pageSize`` and ``siteGuid``, answering
``custom.total`` and ``custom.data`` with ``title`` and ``infourl``) are those public crawlers of
Xuzhou's portals read."""

from __future__ import annotations

import json

import pytest
from nianbao.spiders.families import FAMILIES, choose, read_list

URL = "https://www.xz.gov.cn/dynamic/zwgk/govInfoPub.html?categorynum=003001003&deptcode=11320300"
GUID = "7eb5f7f1-9041-43ad-8e13-8fcb82ea831a"
SITE_INFO = f'var siteInfo = {{"siteGuid": "{GUID}", "projectName": "/EWB-FRONT", "siteName": "徐州"}};'
PAGE = ('<html><head><title>政府信息公开</title><script src="/js/webBuilderCommon.js"></script></head>'
        '<body><div class="ewb-info-list" id="infolist"></div><script src="/js/govInfoPub.js"></script></body></html>')


def test_the_site_script_is_read_before_the_list():
    assert choose(PAGE, URL).name == "epoint"
    [first] = read_list(PAGE, URL).requests
    assert first.url == "https://www.xz.gov.cn/js/webBuilderCommon.js" and first.json is None
    records = FAMILIES["epoint"].records(SITE_INFO, first)
    assert records.links == [] and records.next is not None
    assert records.next.url == "https://www.xz.gov.cn/EWB-FRONT/rest/lightfrontaction/getgovinfolist"
    assert records.next.json == {"deptcode": "11320300", "categorynum": "003001003", "pageIndex": 0, "pageSize": 20,
                                 "siteGuid": GUID}
    assert FAMILIES["epoint"].records("var other = 1;", first).next is None


def test_site_info_in_the_page_goes_straight_to_the_list():
    page = PAGE.replace("</head>", f"<script>var siteInfo = {{siteGuid: '{GUID}', projectName: '/EWB-FRONT'}};</script></head>")
    [request] = read_list(page, URL).requests
    assert request.json["siteGuid"] == GUID and request.url.endswith("/EWB-FRONT/rest/lightfrontaction/getgovinfolist")


@pytest.mark.parametrize("total", [0, 5, 20, 41])
@pytest.mark.parametrize("announce", [True, False])
def test_pages_are_asked_for_from_0_to_the_total(total, announce):
    family = FAMILIES["epoint"]
    [first] = read_list(PAGE, URL).requests
    request = family.records(SITE_INFO, first).next
    found = []
    while request is not None:
        index, size = request.json["pageIndex"], request.json["pageSize"]
        data = [{"title": f"某局{n}年政府信息公开工作年度报告", "infourl": f"/xxgk/{n}.html", "infodate": "2024-01-20"}
                for n in range(index * size, min((index + 1) * size, total))]
        answer = {"custom": {"data": data, **({"total": total} if announce else {})}}
        records = family.records(json.dumps(answer, ensure_ascii=False), request)
        found += [link.url for link in records.links]
        request = records.next
        assert index <= total // size + 1
    assert found == [f"https://www.xz.gov.cn/xxgk/{n}.html" for n in range(total)]


def test_a_column_without_its_category_asks_for_nothing():
    assert read_list(PAGE, "https://www.xz.gov.cn/dynamic/zwgk/govInfoPub.html").requests == []
