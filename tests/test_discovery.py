"""What a crawl says about what it could not reach: lists short of their announced counts, a year with no report."""

from __future__ import annotations

import json
import random
from urllib.parse import urlsplit

import pytest
from crawling import FAST, env_for, nianbao

from nianbao.demo import render, synth
from nianbao.demo.portal import Resource
from nianbao.demo.server import DemoServer

pytestmark = pytest.mark.slow


class Column:
    """One list page announcing 40 records whose pager is a script the walker cannot follow."""

    def __init__(self):
        self.resources = {}
        items = []
        for i in range(5):
            layouts = synth.layouts_for(2023)
            spec = render.ReportSpec(f"某县第{i}局", 2023, synth.random_figures(random.Random(i), *layouts), *layouts)
            self.resources[f"/c/a{i}.html"] = Resource(render.render_html(spec))
            items.append(f'<li><a href="a{i}.html">{spec.title}</a><span>2024-01-2{i}</span></li>')
        self.resources["/c/index.html"] = Resource(
            (f'<html><body><ul>{"".join(items)}</ul><div class="page">共40条 '
             '<a href="javascript:void(0)" onclick="turn(2)">下一页</a></div></body></html>').encode())

    def respond(self, method, target, body):
        # A proxy is asked for absolute URLs.
        return self.resources.get(urlsplit(target).path)


@pytest.fixture(scope="module")
def column_site(tmp_path_factory):
    with DemoServer(Column()) as server:
        home = tmp_path_factory.mktemp("column")
        registry = home / "sites.toml"
        registry.write_text(f'[[site]]\nid = "c"\nname = "某县"\nstart_urls = ["{server.url}/c/index.html"]\n',
                            encoding="utf-8")
        yield env_for(home, registry)


def _crawl(env, *args):
    out = nianbao(["crawl", "--json", *FAST, *args], env).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")][-1]


def test_a_list_short_of_its_announced_count_is_a_finding(column_site):
    result = _crawl(column_site)
    assert result["report_documents"] == 5
    [short] = result["incomplete"]
    assert short["announced"] == "共40条" and "40 records announced, 5 links found" in short["found"]
    assert "site.list_incomplete" in result["health"]


def test_a_year_with_no_report_says_so(column_site):
    result = _crawl(column_site, "--year", "2019")
    assert result["year_entries"] == 0
    # Both: later pages it could not reach may hold 2019.
    assert "site.year_not_found: no report of 2019 found" in result["health"]
    assert "site.list_incomplete" in result["health"]


def test_a_site_crawled_through_its_proxy(tmp_path):
    """A portal on a host that does not resolve here, reached only through the proxy its registry entry names."""
    with DemoServer(Column()) as proxy:
        registry = tmp_path / "sites.toml"
        registry.write_text(f'[[site]]\nid = "far"\nname = "某县"\nstart_urls = ["http://county.invalid/c/index.html"]\n'
                            f'proxy = "{proxy.url}"\n', encoding="utf-8")
        env = env_for(tmp_path, registry)
        result = _crawl(env)
        assert result["report_documents"] == 5
        assert {h.host for h in proxy.hits()} == {"county.invalid"}


class Portal(Column):
    """A home page (with a weather frame) whose navigation leads to the disclosure platform, and from there to
    the report column."""

    def __init__(self):
        super().__init__()
        self.resources = {path.replace("/c/", "/zwgk/ndbg/"): r for path, r in self.resources.items()}
        page = "<html><body><div class='{}'>{}</div><div class='main'>{}</div></body></html>"
        self.resources["/index.html"] = Resource(page.format(
            "nav", '<a href="/index.html">首页</a><a href="/xwzx/">新闻中心</a><a href="/zwgk/index.html">政务公开</a>',
            '<ul><li><a href="/xwzx/1.html">县长调研春耕生产</a></li></ul>'
            '<iframe src="/tq/index.html" width="220" height="60" scrolling="no"></iframe>').encode())
        self.resources["/zwgk/index.html"] = Resource(page.format(
            "menu", '<a href="/zwgk/zn/">政府信息公开指南</a><a href="/zwgk/ndbg/index.html">政府信息公开年报</a>',
            '<ul><li><a href="/zwgk/tz/1.html">关于做好春季防火工作的通知</a></li></ul>').encode())


def test_columns_found_from_the_home_page_and_recorded(tmp_path):
    with DemoServer(Portal()) as server:
        env = env_for(tmp_path, tmp_path / "none.toml")
        first = _crawl(env, "--url", f"{server.url}/index.html")
        assert first["report_documents"] == 5
        assert first["columns"] == [f"{server.url}/zwgk/index.html"]
        server.clear()
        again = _crawl(env, "--url", f"{server.url}/index.html")
        assert again["known_skipped"] == 5
        assert "/index.html" not in {h.path for h in server.hits()}
