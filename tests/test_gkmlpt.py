"""Guangdong's gkmlpt platform: columns from the configuration's tree, JSON lists paged to their total,
articles read from the record their script draws them from.

The shapes (``window._CONFIG`` with ``SID`` and ``TREE``, ``/gkmlpt/api/all/{id}?page=N&sid=SID``
answering ``total`` or ``classify.post_count`` and ``articles``, ``DETAIL.content``) are those public
crawlers of the platform read."""

from __future__ import annotations

import json
import random

import pytest
from nianbao.spiders.families import FAMILIES, choose
from nianbao.spiders.families.gkmlpt import columns

from nianbao.core.parse import parse_bytes
from nianbao.demo import render, synth

TREE = [{"id": 1, "name": "政府信息公开指南", "children": []},
        {"id": 2780, "name": "政府信息公开年报", "children": [{"id": 2781, "name": "镇街年报", "children": []},
                                                          {"id": 2782, "name": "旧版", "jump_url": "/old/"}]},
        {"id": 3000, "name": "政策文件", "children": [{"id": 3001, "name": "规范性文件"}]}]
INDEX = ("<html><body><div id=app></div><script>window._CONFIG = {SID: '755030', TREE: "
         + json.dumps(TREE, ensure_ascii=False) + ", SERVICE_AREA_ID: 0};</script></body></html>")


def test_columns_are_the_one_named_or_those_titled_as_annual_reports_with_their_children():
    assert columns(TREE, 2780) == [2780, 2781]
    assert columns(TREE, 3001) == [3001]
    assert columns(TREE, None) == [2780, 2781]
    assert columns([], 55) == [55]


def test_the_platform_is_detected_and_lists_by_its_api():
    url = "http://www.example.gov.cn/zwgk/gkmlpt/index#2780"
    assert choose(INDEX, url).name == "gkmlpt"
    page = FAMILIES["gkmlpt"].read(INDEX, url)
    assert [r.url for r in page.requests] == [
        "http://www.example.gov.cn/zwgk/gkmlpt/api/all/2780?page=1&sid=755030",
        "http://www.example.gov.cn/zwgk/gkmlpt/api/all/2781?page=1&sid=755030"]


@pytest.mark.parametrize("counted", [{"total": 12}, {"classify": {"post_count": 12}}])
def test_api_pages_are_followed_to_the_announced_total(counted):
    family = FAMILIES["gkmlpt"]
    request = family.read(INDEX, "http://a.gov.cn/gkmlpt/index#2780").requests[0]
    seen = []
    while request is not None:
        page = int(request.url.split("page=")[1].split("&")[0])
        articles = [{"id": n, "title": f"第{n}号", "url": f"/gkmlpt/content/0/{n}/post_{n}.html"}
                    for n in range((page - 1) * 5, min(page * 5, 12))]
        records = family.records(json.dumps({"articles": articles, **counted}), request)
        assert records.total == 12
        seen += [link.url for link in records.links]
        request = records.next
    assert len(seen) == len(set(seen)) == 12 and seen[0] == "http://a.gov.cn/gkmlpt/content/0/0/post_0.html"
    assert family.records("<html>404</html>", family.read(INDEX, "http://a.gov.cn/gkmlpt/index").requests[0]).links == []


@pytest.mark.parametrize("escaping", ["ascii", "utf-8", "u003C", "slash"])
@pytest.mark.parametrize("seed", range(3))
def test_an_article_drawn_from_its_embedded_record_reads_as_the_report(escaping, seed):
    rng = random.Random(seed)
    t2, t3 = rng.choice(["2019", "2021"]), rng.choice(["2019", "2021"])
    spec = render.ReportSpec("某县教育局", 2023, synth.random_figures(rng, t2, t3), t2, t3)
    detail = {"id": 1, "title": spec.title, "created_at": "2024-01-20 09:30:00",
              "content": render.render_html(spec, rng.choice(render.HTML_STYLES)).decode()}
    blob = json.dumps(detail, ensure_ascii=escaping == "ascii")
    blob = blob.replace("<", "\\u003C") if escaping == "u003C" else blob.replace("</", "<\\/") if escaping == "slash" else blob
    page = (f"<html><head><title>{spec.title}</title></head><body><div id=app></div>"
            f"<script>window._CONFIG = {{SID: '7', DETAIL: {blob}, TREE: []}};</script></body></html>")
    report = parse_bytes(page.encode())
    assert (report.organ, report.year, report.published_at) == ("某县教育局", 2023, "2024-01-20")
    assert report.values() == {k: float(v) for k, v in spec.figures.items()}


def test_a_page_with_its_own_tables_is_not_read_from_a_script():
    rng = random.Random(4)
    spec = render.ReportSpec("某县财政局", 2022, synth.random_figures(rng, "2021", "2021"), "2021", "2021")
    decoy = json.dumps({"content": "<p>其他内容</p>"})
    page = render.render_html(spec, page=True, after=f"<script>var x = {decoy};</script>")
    assert parse_bytes(page).values() == {k: float(v) for k, v in spec.figures.items()}
