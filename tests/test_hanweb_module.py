"""Columns of Hanweb's disclosure module: the page a shell, its list POSTed for from
``/module/xxgk/search.jsp`` page by page, answered in HTML.

The forms are those public crawlers of Zhejiang's, Jilin's, Heilongjiang's and Jiangsu's portals quote:
``loadDynamic('/module/xxgk/search.jsp?standardXxgk=1&infotypeId='+a+'&vc_title='+encodeURI(b)+…
+'&area=…', 'div4', '0','0','950','1','','')`` with the type in the column URL's ``number`` and the
organ in ``vc_xxgkarea`` and the tree frame's ``area``; the Zhejiang spelling with the type in the
loader's URL; a form of ``infotypeId``, ``jdid``, ``area``, ``divid``, ``currpage``; answers of
``tr_main_value_odd``/``_even`` rows with the title in the anchor's ``title``, or of items, and 共N页."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from crawling import crawl_variants
from nianbao.spiders.families import FAMILIES, choose, read_list

from nianbao.demo.variants import Variant, Variants

JILIN = "https://jilin.example.gov.cn/col/col13008/index.html?vc_xxgkarea=11220100MB1507524C&number=A0105"
JILIN_PAGE = ('<html><body><iframe src="/module/xxgk/tree.jsp?standardXxgk=1&amp;area=11220100MB1507524C'
              '&amp;divid=div4"></iframe><div id="div4"></div><script>'
              "loadDynamic('/module/xxgk/search.jsp?standardXxgk=1&infotypeId='+a+"
              "'&vc_title='+encodeURI(b)+'&vc_number='+encodeURI(c)+"
              "'&area=11220100MB1507524C', 'div4', '0','0','950','1','','');</script></body></html>")
ZHEJIANG = "http://www.example.gov.cn/col/col1229191870/index.html"
ZHEJIANG_PAGE = ('<html><body><div id="divID"></div><script>'
                 "loadDynamic(\"/module/xxgk/search.jsp?infotypeId=Z2401\"+a+\"&vc_title=\"+encodeURI(b)+"
                 "\"&vc_number=\"+encodeURI(c)+\"&area=002482429\", \"div1229106886\", \"0\",\"1000\",\"UID\",\"3499\","
                 " \"\", \"\");</script></body></html>")
FORM_PAGE = ('<html><body><form name="searchform" method="post" action="/module/xxgk/search.jsp?texttype=0&amp;'
             'fbtime=-1&amp;sortfield=,compaltedate:0"><input type="hidden" name="infotypeId" value="H001">'
             "<input type=hidden name=jdid value='2'><input type=\"hidden\" value=\"div11565\" name=\"divid\">"
             '<input type="hidden" name="area" value="002276772"><input name="vc_all" value=""></form></body></html>')


def _asked(request) -> tuple[dict[str, str], dict[str, str]]:
    return {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}, dict(request.form)


@pytest.mark.parametrize(("page", "url", "expected"), [
    (JILIN_PAGE, JILIN, {"infotypeId": "A0105", "area": "11220100MB1507524C", "divid": "div4", "jdid": "1"}),
    (ZHEJIANG_PAGE, ZHEJIANG, {"infotypeId": "Z2401", "area": "002482429", "divid": "div1229106886", "jdid": "3499"}),
    (FORM_PAGE, ZHEJIANG, {"infotypeId": "H001", "area": "002276772", "divid": "div11565", "jdid": "2",
                           "sortfield": ",compaltedate:0"}),
])
def test_the_module_is_asked_for_the_column_the_page_spells(page, url, expected):
    assert choose(page, url).name == "hanweb"
    [request] = read_list(page, url).requests
    assert request.url.startswith(url.split("/col/")[0] + "/module/xxgk/search.jsp?")
    query, form = _asked(request)
    assert form == {**expected, "currpage": "1"}
    # The query carries them too, beside what the endpoint spells literally.
    assert query.items() >= form.items()
    if page is FORM_PAGE:
        assert query["texttype"] == "0" and query["fbtime"] == "-1"


@pytest.mark.parametrize("page", [
    JILIN_PAGE,
    FORM_PAGE.replace('value="H001"', 'value="0"'),
    '<form action="/module/xxgk/search.jsp"><input name="vc_all" value=""><input type="submit" value="搜索"></form>',
])
def test_a_search_without_an_information_type_is_left_and_said(page):
    listed = read_list(page, ZHEJIANG)
    assert listed.requests == []
    assert "without an information type" in listed.unfollowed[0]


def test_links_to_other_categories_of_the_catalogue_are_no_search_of_the_column():
    menu = ''.join(f'<li><a href="{base}/module/xxgk/search.jsp?infotypeId=C0{n}&amp;jdid=1">规划计划</a></li>'
                   for n, base in enumerate(("", "http://www.example.gov.cn")))
    listed = read_list(f'<html><body><ul class="menu">{menu}</ul></body></html>', ZHEJIANG)
    assert listed.requests == [] and listed.unfollowed == []
    [request] = read_list(ZHEJIANG_PAGE.replace("<body>", f'<body><ul class="menu">{menu}</ul>'), ZHEJIANG).requests
    assert _asked(request)[1]["infotypeId"] == "Z2401"


TREE = "https://jilin.example.gov.cn/module/xxgk/tree.jsp?standardXxgk=1&area=11220100MB1507524C&divid=div4"


@pytest.mark.parametrize("written", ["markup", "script"])
def test_the_category_trees_report_nodes_are_searched_with_the_trees_organ(written):
    nodes = [("A0101", "机构职能"), ("A0102", "人事任免"), ("A0105", "政府信息公开年报"), ("A0106", "2023年度"),
             ("A0107", "政府信息公开指南")]
    if written == "markup":
        tree = "".join(f"<li><a href=\"javascript:funclick('{i}','div4')\">{name}</a></li>" for i, name in nodes)
    else:
        tree = "<script>" + "".join(
            f'document.write("<li><a href=\\"javascript:void(0)\\" onclick=\\"funclick(\\\'{i}\\\','
            f'\\\'div4\\\')\\">{name}</a></li>");' for i, name in nodes) + "</script>"
    listed = read_list(f"<html><body><ul>{tree}</ul></body></html>", TREE)
    assert [(_asked(r)[1]["infotypeId"], r.url.split("?")[0]) for r in listed.requests] == [
        ("A0105", "https://jilin.example.gov.cn/module/xxgk/search.jsp"),
        ("A0106", "https://jilin.example.gov.cn/module/xxgk/search.jsp")]
    assert all(_asked(r)[1]["area"] == "11220100MB1507524C" and _asked(r)[1]["divid"] == "div4"
               for r in listed.requests)
    assert listed.unfollowed == []


def _answer(titles: list[tuple[str, str]], said: str, rows: bool) -> str:
    if rows:
        listing = "<table>" + "".join(
            f'<tr class="tr_main_value_{("odd", "even")[i % 2]}"><td>{i + 1}</td><td><a href="{path}" title="{t}" '
            f'target="_blank">{t[:12]}...</a></td><td>2024-01-20</td></tr>' for i, (t, path) in enumerate(titles))
        listing += "</table>"
    else:
        listing = '<div class="zfxxgk_item"><ul>' + "".join(
            f'<li><a href="{path}" title="{t}">{t}</a><b>2024-01-20</b></li>' for t, path in titles) + "</ul></div>"
    return listing + (f'<table><tr><td class="tb_title">{said} <a href="javascript:void(0)" onclick="gopage(2)">'
                      "下一页</a> <a href=\"javascript:void(0)\" onclick=\"gopage(9)\">尾页</a></td></tr></table>")


@pytest.mark.parametrize("total", [0, 4, 5, 23])
@pytest.mark.parametrize("said", ["pages", "records", "nothing, the last page again", "nothing, then empty"])
@pytest.mark.parametrize("rows", [True, False])
def test_pages_are_asked_for_to_the_end(total, said, rows):
    size = 5
    pages = max(1, -(-total // size))
    records = [(f"某单位{n}年政府信息公开工作年度报告", f"/art/2024/1/20/art_1229_{n}.html") for n in range(total)]
    [request] = read_list(ZHEJIANG_PAGE, ZHEJIANG).requests
    found, asked = [], 0
    while request is not None:
        query, form = _asked(request)
        number = int(form["currpage"])
        assert query["currpage"] == form["currpage"] and number == asked + 1
        asked = number
        shown = min(number, pages) if said.endswith("again") else number
        chunk = records[(shown - 1) * size:shown * size]
        text = _answer(chunk, {"pages": f"共{pages}页", "records": f"共{total}条"}.get(said, ""), rows)
        answered = FAMILIES["hanweb"].records(text, request)
        assert answered.total == (total if said == "records" else None)
        found += [link.url for link in answered.links]
        assert all(link.text.endswith("年度报告") for link in answered.links)
        request = answered.next
        assert asked <= pages + 1
    assert found == [f"http://www.example.gov.cn{path}" for _, path in records]


@pytest.mark.slow
def test_module_columns_are_crawled_over_http(tmp_path):
    """A crawl of module variants, one for each way the page spells the search and each way the answer
    announces its end: every report found by POST, nothing of the catalogue beyond the column taken. Where
    the page names the type, its tree is not shown, so the page alone must lead to the reports; where it
    names only the organ, the tree's node must."""
    chosen: dict[tuple, int] = {}
    for seed in range(1000):
        variant = Variant(seed, f"/v{seed}")
        if variant.kind == "module" and variant._module_tree == (variant._module_form == 3):
            chosen.setdefault((variant._module_form, variant._module_announce), seed)
    assert len(chosen) == 12
    variants = Variants(chosen.values())
    crawled = crawl_variants(variants, tmp_path, timeout=300)
    results, hits, url = crawled["results"], crawled["hits"], crawled["url"]
    reports = {d["url"] for d in crawled["docs"] if d["is_report"]}
    fetched = {h.path for h in hits}
    for prefix, variant in variants.variants.items():
        assert {url + p for p in variant.report_paths} <= reports, prefix
        assert not variant.chrome_paths & fetched, prefix
        searches = [h for h in hits if urlsplit(h.path).path == f"{prefix}/module/xxgk/search.jsp"]
        assert searches and all(h.method == "POST" for h in searches)
        assert results[f"v{variant.seed}"]["families"] == ["hanweb"]
        assert results[f"v{variant.seed}"]["incomplete"] == []
    assert not {u for u in reports if not any(u.removeprefix(url) in v.report_paths
                                              for v in variants.variants.values())}
