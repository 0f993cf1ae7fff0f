"""TRS columns drawn half static, half by TRS's search services ("动静结合"): the page's first records
in its HTML, the rest asked for by GET with the column's filter, page by page to the answer's total.

IGS: ``/igs/front/search/list.html`` with ``index``, ``type``, ``filter[CHANNELID]``, ``pageNumber`` from 1,
``pageSize``, answering ``page.content`` of ``DOCTITLE``/``DOCPUBURL``/``PUBDATE``, ``page.total``,
``page.totalPages`` — what public crawlers of Tianjin's, Hubei's and Guangxi's portals read. WAS5:
``/was5/web/search`` with ``channelid``, ``classsql=chnlid=N``, ``prepage``, ``page``, answering almost-JSON
``count`` and ``docs`` of ``title``/``url``/``chnldocurl`` — the answer quoted from Fujian's portals."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from nianbao.spiders.families import FAMILIES, choose, read_list

URL = "http://ghhzrzy.tj.gov.cn/zwgk_143/ndbg/index.html"
FIRST = "".join(f'<li><a href="./202401/t2024012{n}_{n}.html">某局{2020 + n}年政府信息公开工作年度报告</a>'
                f'<span>2024-01-2{n}</span></li>' for n in range(5))
QUERY = ("/igs/front/search/list.html?pageSize=5&filter[CHANNELID]=62571&index=tjsghhzrglj&type=xzxkjgcx"
         "&orderProperty=ZXSJ&orderDirection=desc&filter[AVAILABLE]=true&pageNumber=")
IN_QUERY = (f'<html><body><ul class="list">{FIRST}</ul><div class="page">共23条</div><script>function load(n){{'
            f'$.ajax({{url: "{QUERY}" + n, type: "GET", dataType: "json", success: draw}});}}</script></body></html>')
IN_OBJECT = (f"<html><body><ul class=\"list\">{FIRST}</ul><script>var params = {{index: 'tjsghhzrglj', "
             f"'type': 'xzxkjgcx', 'filter[CHANNELID]': '62571', pageSize: 5, 'filter[AVAILABLE]': 'true'}};"
             f"$.ajax({{url: '/igs/front/search/list.html', data: params, type: 'POST', index: 0}});</script></body></html>")


def _asked(request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}


@pytest.mark.parametrize("page", [IN_QUERY, IN_OBJECT])
def test_the_search_is_asked_with_the_parameters_the_script_spells(page):
    assert choose(page, URL).name == "trs"
    listed = read_list(page, URL)
    assert len(listed.entries) == 5
    [request] = listed.requests
    assert request.url.startswith("http://ghhzrzy.tj.gov.cn/igs/front/search/list.html?")
    assert _asked(request) == {"index": "tjsghhzrglj", "type": "xzxkjgcx", "filter[CHANNELID]": "62571",
                               "pageSize": "5", "filter[AVAILABLE]": "true", "pageNumber": "1",
                               **({"orderProperty": "ZXSJ", "orderDirection": "desc"} if page is IN_QUERY else {})}


def test_a_search_without_a_channel_is_left_and_said():
    page = IN_QUERY.replace("filter[CHANNELID]=62571&", "")
    listed = read_list(page, URL)
    assert listed.requests == [] and "IGS" in listed.unfollowed[0]
    chnldesc = page.replace("filter[AVAILABLE]=true", "filter[chnldesc]=政府信息公开年报")
    assert _asked(read_list(chnldesc, URL).requests[0])["filter[chnldesc]"] == "政府信息公开年报"


def _in_query(page: str, size: str):
    """The page number and size a GET asks for, under the service's names."""
    return lambda request: (int(_asked(request)[page]), int(_asked(request)[size]))


def _in_body(request) -> tuple[int, int]:
    return request.json["pageNo"], request.json["pageSize"]


def _walk(request, paging, answer) -> list[str]:
    """Every link the family's requests reach, from ``request`` on, the server answering ``answer(page number,
    page size)`` (as ``paging`` reads them from each request) with a text and the total it announces;
    each record's links and total checked."""
    found = []
    while request is not None:
        number, per_page = paging(request)
        text, total = answer(number, per_page)
        records = FAMILIES["trs"].records(text, request)
        found += [link.url for link in records.links]
        assert all(link.text.endswith("年度报告") for link in records.links)
        assert records.total == total
        request = records.next
        assert number <= len(found) // per_page + 2
    return found


@pytest.mark.parametrize("total", [0, 3, 5, 23])
@pytest.mark.parametrize("announce", ["pages", "total", "neither"])
def test_pages_are_asked_for_from_1_to_the_end(total, announce):
    def answer(number, size):
        content = [{"DOCTITLE": f"某局{n}年政府信息公开工作年度报告", "DOCPUBURL": f"http://ghhzrzy.tj.gov.cn/{n}.html",
                    "PUBDATE": "2024-01-20 09:00:00"} for n in range((number - 1) * size, min(number * size, total))]
        found = {"content": content, **({"totalPages": -(-total // size)} if announce == "pages" else {}),
                 **({"total": total} if announce == "total" else {})}
        return json.dumps({"page": found}, ensure_ascii=False), total if announce == "total" else None

    [request] = read_list(IN_QUERY, URL).requests
    assert _walk(request, _in_query("pageNumber", "pageSize"), answer) == [f"http://ghhzrzy.tj.gov.cn/{n}.html" for n in range(total)]


def test_an_answer_that_is_no_search_result_ends_the_list():
    [request] = read_list(IN_QUERY, URL).requests
    for text in ("<html>系统繁忙</html>", '{"page": null}', '{"page": {"content": "x"}}'):
        assert FAMILIES["trs"].records(text, request).links == [] and FAMILIES["trs"].records(text, request).next is None


WAS5_URL = "http://www.fuzhou.gov.cn/zwgk/ndbg/index.htm"
WAS5_QUERY = ("/was5/web/search?channelid=290792&templet=docs.jsp&sortfield=-docorderpri%2C-docreltime"
              "&classsql=chnlid%3D5727&prepage=4&page=")
WAS5_PAGE = (f'<html><head><meta name="author" content="TRS"></head><body><ul>{FIRST}</ul>'
             f'<script>function more(n) {{ $.get("{WAS5_QUERY}" + n, draw); }}</script></body></html>')


def _was5(docs: list[dict], count: int | None) -> str:
    """The answer as Fujian's portals write it: placeholders in single quotes, a line per field."""
    head = (f'{{"count":"{count}",' if count is not None else "{") + '"chnlname":"政府信息公开年报",\n"pagenum":"1",\n'
    body = ",\n".join("{\n" + ",\n".join(f'"{k}":"{v}"' for k, v in doc.items()) + "\n}" for doc in docs)
    return head + "\"py\":'###pypy###',\n\"dy\":'###dydy###',\n\"docs\":[\n" + body + "\n]}"


def test_was5_is_asked_with_the_column_the_page_names():
    listed = read_list(WAS5_PAGE, WAS5_URL)
    [request] = listed.requests
    assert request.url.startswith("http://www.fuzhou.gov.cn/was5/web/search?")
    assert _asked(request) == {"channelid": "290792", "templet": "docs.jsp", "sortfield": "-docorderpri,-docreltime",
                               "classsql": "chnlid=5727", "prepage": "4", "page": "1"}
    search_box = WAS5_PAGE.replace("&classsql=chnlid%3D5727", "&searchword=")
    assert read_list(search_box, WAS5_URL).requests == []


@pytest.mark.parametrize("total", [0, 4, 13])
@pytest.mark.parametrize("count", [True, False])
def test_was5_pages_are_read_to_the_count(total, count):
    def answer(number, size):
        docs = [{"title": f"某局{n}年政府信息公开工作年度报告", "url": f"http://www.fuzhou.gov.cn/zwgk/ndbg/t{n}.htm",
                 "chnldocurl": f"http://www.fuzhou.gov.cn/zwgk/ndbg/t{n}.htm", "time": "2024-01-20", "docid": str(n)}
                for n in range((number - 1) * size, min(number * size, total))]
        return _was5(docs, total if count else None), total if count else None

    [request] = read_list(WAS5_PAGE, WAS5_URL).requests
    assert _walk(request, _in_query("page", "prepage"), answer) == [f"http://www.fuzhou.gov.cn/zwgk/ndbg/t{n}.htm"
                                                         for n in range(total)]


def test_was5_answering_in_html_is_read_as_a_list():
    [request] = read_list(WAS5_PAGE, WAS5_URL).requests
    answer = '<ul class="cj_ss_jieguo"><li><a href="/zwgk/ndbg/t1.htm">福州市2023年政府信息公开工作年度报告</a></li></ul>'
    records = FAMILIES["trs"].records(answer, request)
    assert [link.url for link in records.links] == ["http://www.fuzhou.gov.cn/zwgk/ndbg/t1.htm"]
    assert records.next is None


IRS_URL = "http://rst.example.gov.cn/zwgk/zfxxgknb/index.html"
# The body as public crawlers of Guangxi's sites send it: the channel among the custom filter's nested filters.
IRS_LIST = ("<html><body><ul class=\"list\"></ul><script>function load(n) {\n"
            "  var params = {code: '189682f495f', \"tableName\": \"t_18797a40156\", pageNo: n, pageSize: 4,\n"
            "    searchFields: [], sorts: [{sortField: 'f_2023419659396', sortOrder: 'DESC'}],\n"
            "    customFilter: {operator: 'and', properties: [], filters: [{operator: 'or', properties: [\n"
            "      {property: 'channel_id', operator: 'eq', value: '59993'},\n"
            "      {property: 'f_20211013721943', operator: 'eq', value: 0}]}]}};\n"
            "  $.ajax({url: '/irs/front/list', type: 'POST', contentType: 'application/json',"
            " data: JSON.stringify(params), success: draw});\n}\nload(1);</script></body></html>")
# As crawlers of Jilin's portal send it: a search body whose custom filter names the channel.
IRS_SEARCH = ('<html><body><div id="list"></div><script>var data = {"code": "1892dd01822", "searchWord": "", '
              '"orderBy": "time", "dataTypeId": "501", "searchBy": "all", "pageNo": 1, "pageSize": 10, '
              '"granularity": "ALL", "isSearchForced": 0, "customFilter": {"operator": "and", "properties": '
              '[{"property": "channel_id", "operator": "eq", "value": "69308", "weight": 100}]}};\n'
              '$.ajax({url: "/irs/front/search", type: "post", data: JSON.stringify(data)});</script></body></html>')


def test_irs_is_posted_the_body_the_script_holds():
    [request] = read_list(IRS_LIST, IRS_URL).requests
    assert request.url == "http://rst.example.gov.cn/irs/front/list" and request.form is None
    assert request.json["pageNo"] == 1 and request.json["pageSize"] == 4 and request.json["tableName"] == "t_18797a40156"
    assert request.json["customFilter"]["filters"][0]["properties"][0]["value"] == "59993"
    [search] = read_list(IRS_SEARCH, IRS_URL).requests
    assert search.url == "http://rst.example.gov.cn/irs/front/search"
    assert search.json["dataTypeId"] == "501" and search.json["customFilter"]["properties"][0]["value"] == "69308"


def test_an_irs_search_without_a_channel_is_left_and_said():
    # A site search, as Jiujiang's portal sends it: a word and no filter.
    box = IRS_SEARCH.replace('"customFilter": {"operator": "and", "properties": [{"property": "channel_id", '
                             '"operator": "eq", "value": "69308", "weight": 100}]}', '"filters": []')
    listed = read_list(box, IRS_URL)
    assert listed.requests == [] and "IRS" in listed.unfollowed[0]
    empty = IRS_LIST.replace("value: '59993'", "value: ''")
    assert read_list(empty, IRS_URL).requests == []


@pytest.mark.parametrize("total", [0, 3, 4, 13])
@pytest.mark.parametrize("announce", ["total", "neither"])
def test_irs_list_rows_are_read_under_the_tables_own_field_names(total, announce):
    def answer(number, size):
        rows = [{"f_2023419305471": f"某厅{n}年政府信息公开工作年度报告", "f_2023419200054": f"/zwgk/t{n}.shtml",
                 "f_2023419659396": "2024-01-20 10:00:00", "f_1": "有效"}
                for n in range((number - 1) * size, min(number * size, total))]
        data = {"list": rows, **({"total": total} if announce == "total" else {})}
        return json.dumps({"code": 200, "data": data}, ensure_ascii=False), total if announce == "total" else None

    [request] = read_list(IRS_LIST, IRS_URL).requests
    assert _walk(request, _in_body, answer) == [f"http://rst.example.gov.cn/zwgk/t{n}.shtml" for n in range(total)]


@pytest.mark.parametrize("total", [0, 7, 10, 25])
@pytest.mark.parametrize("announce", ["pager", "neither"])
def test_irs_search_records_are_read_with_their_pager(total, announce):
    def answer(number, size):
        boxes = [{"type": "doc", "data": {"title": f"某局<em>{n}</em>年政府信息公开工作年度报告",
                                          "url": f"https://www.example.gov.cn/ndbg/t{n}.html", "time": "2024-01-20"}}
                 for n in range((number - 1) * size, min(number * size, total))]
        data = {"middle": {"listAndBox": boxes, "relatedSearch": [{"url": "/x.html"}]}}
        if announce == "pager":
            data["pager"] = {"pageNo": number, "pageSize": size, "pageCount": -(-total // size), "total": total}
        return json.dumps({"success": True, "data": data}, ensure_ascii=False), total if announce == "pager" else None

    [request] = read_list(IRS_SEARCH, IRS_URL).requests
    assert _walk(request, _in_body, answer) == [f"https://www.example.gov.cn/ndbg/t{n}.html" for n in range(total)]
