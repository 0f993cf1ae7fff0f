"""Link discovery per CMS family, on pages as portals write them."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from nianbao.spiders.families import FAMILIES, GENERIC, ApiRequest, read_list
from nianbao.spiders.families.hanweb import first_request
from nianbao.spiders.links import is_document_url, read_attachments

TRS_LIST = """<html><body><ul>
<li><a href="./202401/t20240125_1234567.html" title="某某县教育局2023年政府信息公开工作年度报告">某某县教育局2023年政府信息公...</a></li>
<li><a href="./202401/t20240120_1234566.html">某某县2023年政府工作报告</a></li>
</ul><div class="page"><script>createPageHTML(5, 2, "index", "html");</script></div></body></html>"""


def test_trs_pagination_by_script_and_full_titles():
    page = read_list(TRS_LIST, "http://x.gov.cn/zwgk/ndbg/index_2.html")
    assert page.family == "trs"
    assert page.next_pages == ["http://x.gov.cn/zwgk/ndbg/index_3.html"]
    assert page.more_pages == ["http://x.gov.cn/zwgk/ndbg/index_4.html"]
    assert page.announced.pages == 5
    assert page.entries[0].text == "某某县教育局2023年政府信息公开工作年度报告"
    assert page.entries[0].url == "http://x.gov.cn/zwgk/ndbg/202401/t20240125_1234567.html"


def test_trs_last_page_has_no_next():
    html = TRS_LIST.replace("createPageHTML(5, 2,", "createPageHTML(5, 4,")
    assert read_list(html, "http://x.gov.cn/a/index_4.html").next_pages == []


HANWEB = """<div id="5678"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=2&path=/&columnid=4412&unitid=5678&permissiontype=0"></a>]]></nextgroup>
<recordset><record><![CDATA[<li><a href="/art/2024/1/25/art_4412_1.html" title="某某区2023年政府信息公开工作年度报告">某某区2023...</a></li>]]></record>
<record><![CDATA[<li><a href="/art/2024/1/2/art_4412_2.html">通知</a></li>]]></record></recordset></datastore></script></div>
<script>$('#5678').jpage({perPage:15});</script>"""


def test_hanweb_datastore_and_proxy():
    page = read_list(HANWEB, "http://h.gov.cn/col/col4412/index.html")
    assert page.family == "hanweb"
    assert "某某区2023年政府信息公开工作年度报告" in [e.text for e in page.entries]
    [api] = page.requests
    assert api.form["columnid"] == "4412" and api.state["start"] == 3 and "page" not in api.form
    assert api.url == "http://h.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=3&endrecord=47&perpage=15"
    assert api.form["unitid"] == "5678"


def test_hanweb_js_config_under_any_key_and_quotes():
    for config in ("param:{col:1,webid:'3',columnid:'99',unitid:'7'}",
                   'ajaxParam: {"col": 1, "webid": "3", "columnid": 99, "unitid": "7"}',
                   "dataParams : { 'webid' : '3' , 'columnid' : '99', unitid: 7 }"):
        html = ("<div id='1'></div><script>$('#1').jpage({proxyUrl:'/module/web/jpage/dataproxy.jsp',perPage:10,"
                + config + "});</script>")
        api = first_request(html, "http://h.gov.cn/col/col99/index.html")
        assert api is not None and api.state == {"start": 1, "per_page": 10}, config
        assert api.form["webid"] == "3" and api.form["columnid"] == "99", config


def test_hanweb_xml_records():
    xml = ("<datastore><totalrecord>40</totalrecord><recordset><record><![CDATA[<li><a href='/art/1.html' "
           "title='某某区2022年政府信息公开工作年度报告'>x...</a></li>]]></record></recordset></datastore>")
    api = first_request(HANWEB, "http://h.gov.cn/col/col4412/index.html")
    records = FAMILIES["hanweb"].records(xml, api)
    assert records.total == 40 and records.links[0].url == "http://h.gov.cn/art/1.html"
    assert records.links[0].text == "某某区2022年政府信息公开工作年度报告"
    assert records.next is None


def test_xxgk_subcolumns_and_next_link():
    html = ('<a href="2023/index.html">2023年度</a><a href="/bm/fgw/">县发展和改革委员会</a>'
            '<a href="/zn/">政府信息公开指南</a><a href="index_1.html">下一页</a>')
    page = read_list(html, "http://p.gov.cn/ndbg/index.html")
    assert [s.text for s in page.subcolumns] == ["2023年度", "县发展和改革委员会"]
    assert page.next_pages == ["http://p.gov.cn/ndbg/index_1.html"]


def test_attachments_in_anchors_scripts_and_servlets():
    html = ("<div id='zoom'><a href='./P0202401.pdf'>附件：2023年度报告.pdf</a>"
            "<a href='/module/download/downfile.jsp?classid=0&filename=24.docx'>下载</a>"
            "<a href='../202401/t1.html'>相关文章</a></div>"
            "<script>var file_appendix = '<a href=\"./P0202402.wps\">附件2</a>';document.write(file_appendix);</script>")
    found = {link.url: link.text for link in read_attachments(html, "http://x.gov.cn/a/202401/t2.html")}
    assert found == {"http://x.gov.cn/a/202401/P0202401.pdf": "附件：2023年度报告.pdf",
                     "http://x.gov.cn/module/download/downfile.jsp?classid=0&filename=24.docx": "下载",
                     "http://x.gov.cn/a/202401/P0202402.wps": "附件2"}


def test_document_urls():
    assert is_document_url("http://x/a/P0.PDF")
    assert is_document_url("http://x/downfile.jsp?filename=a.doc")
    assert is_document_url("http://x/module/download/downfile.jsp?id=3")
    assert not is_document_url("http://x/a/t2024_1.html")


def test_chrome_is_neither_entry_nor_subcolumn():
    html = ('<div class="header"><a href="/xwfbh/">新闻发布会</a><a href="/bm/">部门信息</a></div>'
            '<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/ndbg/">政府信息公开年报</a></div>'
            '<div class="main"><ul><li><a href="a/1.html">某县2023年政府信息公开工作年度报告</a></li></ul>'
            '<ul class="sub"><li><a href="/ndbg/bmnb/">部门年报</a></li><li><a href="/ndbg/zjnb/">镇（街道）年报</a></li></ul></div>'
            '<div class="footer">友情链接：<a href="http://www.other.gov.cn/">某市人民政府</a></div>')
    page = read_list(html, "http://x.gov.cn/ndbg/index.html")
    assert [e.text for e in page.entries] == ["某县2023年政府信息公开工作年度报告"]
    assert [s.text for s in page.subcolumns] == ["部门年报", "镇（街道）年报"]


def test_a_report_titled_without_a_year_stays_an_entry_though_named_like_a_column():
    html = ('<div class="main"><ul><li><a href="/ndbg/bmnb/">部门年报</a></li>'
            '<li><a href="a/2.html">某某县教育局政府信息公开工作年度报告</a></li></ul></div>')
    page = read_list(html, "http://x.gov.cn/ndbg/index.html")
    assert [e.text for e in page.entries] == ["某某县教育局政府信息公开工作年度报告"]
    assert [s.text for s in page.subcolumns] == ["部门年报", "某某县教育局政府信息公开工作年度报告"]


def test_pagination_by_links_numbers_and_query():
    numbered = ('<ul><li><a href="t1.html">x</a></li></ul><div class="page"><span>1</span>'
                '<a href="list_2.html">2</a><a href="list_3.html">3</a><a href="list_3.html">尾页</a></div>')
    page = read_list(numbered, "http://x.gov.cn/ndbg/list.html")
    assert page.more_pages == ["http://x.gov.cn/ndbg/list_2.html", "http://x.gov.cn/ndbg/list_3.html"]
    query = '<a href="?page=2">下一页&gt;</a><a href="?page=9">末页</a>'
    page = read_list(query, "http://x.gov.cn/ndbg/index.jsp")
    assert page.next_pages == ["http://x.gov.cn/ndbg/index.jsp?page=2"]
    assert page.more_pages == ["http://x.gov.cn/ndbg/index.jsp?page=9"]


def test_script_pagers_in_their_spellings():
    for script in ("createPageHTML(3, 0, 'index', 'html');", 'createPageHTML(3,0,"index","shtml");',
                   "var countPage = 3;//共多少页\nvar currentPage = 0;\ncreatePageHTML(countPage, currentPage, \"index\", \"html\");",
                   "createPage( 3 , 0 , 'index' , 'html' );"):
        page = read_list(f"<script>{script}</script>", "http://x.gov.cn/ndbg/index.html")
        ext = "shtml" if "shtml" in script else "html"
        assert page.next_pages + page.more_pages == [f"http://x.gov.cn/ndbg/index_1.{ext}",
                                                     f"http://x.gov.cn/ndbg/index_2.{ext}"], script
        assert page.announced.pages == 3


def test_page_count_variables_numbered_from_zero_or_one():
    zero = read_list("<script>var pageCount = 3; var currentPage = 0;</script>", "http://x.gov.cn/a/index.html")
    assert zero.next_pages + zero.more_pages == ["http://x.gov.cn/a/index_1.html", "http://x.gov.cn/a/index_2.html"]
    one = read_list("<script>var totalPage = 3; var currentPage = 1;</script>", "http://x.gov.cn/a/index.html")
    assert one.next_pages + one.more_pages == ["http://x.gov.cn/a/index_2.html", "http://x.gov.cn/a/index_3.html"]


def test_announced_counts_and_unfollowed_pagers():
    page = read_list('<p>共 42 条记录</p><a onclick="goPage(2)">下一页</a>', "http://x.gov.cn/a/index.html")
    assert page.announced.records == 42 and page.next_pages == []
    page = read_list("<script>var pageCount = 4; showPager();</script>", "http://x.gov.cn/a/list.do")
    assert page.announced.pages == 4 and page.unfollowed


def test_family_detected_by_evidence_or_named_by_the_registry():
    hanweb_with_trs_urls = ("<a href='/a/t20240101_1.html'>x</a><script>$('#1').jpage({perPage:10,"
                            "param:{columnid:'9'}});</script>")
    assert read_list(hanweb_with_trs_urls, "http://x.gov.cn/a/").family == "hanweb"
    assert read_list("<p>x</p>", "http://x.gov.cn/a/").family == "generic"
    assert read_list("<p>x</p>", "http://x.gov.cn/a/", cms="xxgk").family == "xxgk"


def test_api_answers_read_as_records_by_default():
    api = ApiRequest("generic", "http://x.gov.cn/api/list?page=2", "http://x.gov.cn/ndbg/")
    xml = "<list><item><![CDATA[<a href='a.html'>某县2023年政府信息公开工作年度报告</a>]]></item></list>"
    html = "<ul><li><a href='b.html'>某县2022年政府信息公开工作年度报告</a></li></ul>"
    assert [link.url for link in GENERIC.records(xml, api).links] == ["http://x.gov.cn/ndbg/a.html"]
    assert [link.url for link in GENERIC.records(html, api).links] == ["http://x.gov.cn/ndbg/b.html"]


def _walk_jsonp(records: int, answer) -> list[str]:
    family = FAMILIES["hanweb"]
    html = ("<div id='list'></div><script>$('#list').jpage({columnId:'1234',"
            "proxyUrl:'/front/messageController/getMessage.do',perPage:10,webid:'1'});</script>")
    [request] = read_list(html, "http://x.gov.cn/col/col1234/index.html").requests
    found = []
    while request is not None:
        assert request.form is None and urlsplit(request.url).path == "/front/messageController/getMessage.do"
        query = {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}
        assert query["columnId"] == "1234" and query["perpage"] == "10"
        start, end = int(query["startrecord"]), int(query["endrecord"])
        items = [f"<li><a href='/art/{n}.html'>某县{n}年政府信息公开工作年度报告</a></li>"
                 for n in range(start, min(end, records) + 1)]
        result = family.records(answer(items, records), request)
        found += [link.url for link in result.links]
        request = result.next
    return found


@pytest.mark.parametrize("answer", [
    lambda items, n: "jsonp(" + json.dumps({"result": "<ul>" + "".join(items) + "</ul>"}) + ");",
    lambda items, n: "cb(" + json.dumps({"result": "<ul>" + "".join(items) + "</ul>", "totalRecord": n}) + ")",
    lambda items, n: "jsonp(" + json.dumps({"result": f"<datastore><totalrecord>{n}</totalrecord><recordset>"
                                            + "".join(f"<record><![CDATA[{i}]]></record>" for i in items)
                                            + "</recordset></datastore>"}) + ")"])
@pytest.mark.parametrize("records", [0, 7, 20, 23])
def test_a_copied_pager_naming_its_own_proxy_is_asked_by_get_and_read_from_jsonp(answer, records):
    assert _walk_jsonp(records, answer) == [f"http://x.gov.cn/art/{n}.html" for n in range(1, records + 1)]


def test_hanweb_proxy_taken_as_the_page_declares_it():
    html = ("<div id='1'></div><script>$('#1').jpage({proxyUrl:'/jpage/dataproxy.jsp',perPage:10,"
            "param:{webid:'3',columnid:'99'}});</script>")
    api = first_request(html, "http://h.gov.cn/col/col99/index.html")
    assert api.url.startswith("http://h.gov.cn/jpage/dataproxy.jsp?startrecord=1&") and api.form["columnid"] == "99"

