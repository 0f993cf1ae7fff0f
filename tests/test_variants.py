"""Crawls of random portal variants: every report found, no chrome followed, no spurious report, counts met.

Each variant draws its markup at random (:mod:`nianbao.demo.variants`); all are
served on loopback at once and crawled side by side in one crawl.
"""

from __future__ import annotations

import collections
from urllib.parse import urlsplit

import pytest
from crawling import crawl_variants

from nianbao.demo.variants import KINDS, Variants

SEEDS = range(60)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    return crawl_variants(Variants(SEEDS), tmp_path_factory.mktemp("variants"))


def test_variants_cover_every_kind():
    assert {v.kind for v in Variants(SEEDS).variants.values()} == set(KINDS)


@pytest.mark.slow
def test_every_report_found_and_nothing_else_taken(crawled):
    url = crawled["url"]
    reports = {d["url"] for d in crawled["docs"] if d["is_report"]}
    missing = collections.defaultdict(list)
    spurious = []
    for prefix, variant in crawled["variants"].variants.items():
        for path in variant.report_paths:
            if url + path not in reports:
                missing[f"{prefix} ({variant.kind})"].append(path)
        spurious += [u for u in reports if u.startswith(url + prefix + "/") and u.removeprefix(url) not in
                     variant.report_paths]
    assert not missing, {k: len(v) for k, v in missing.items()}
    assert not spurious


@pytest.mark.slow
def test_no_chrome_followed(crawled):
    fetched = {h.path for h in crawled["hits"]}
    for variant in crawled["variants"].variants.values():
        assert not variant.chrome_paths & fetched, variant.kind


@pytest.mark.slow
def test_announced_counts_met(crawled):
    for site, result in crawled["results"].items():
        assert result["incomplete"] == [], site
        assert result["families"], site


@pytest.mark.slow
def test_gkmlpt_columns_are_listed_by_their_api_and_read_from_their_embedded_records(crawled):
    url = crawled["url"]
    gkmlpt = {prefix: v for prefix, v in crawled["variants"].variants.items() if v.kind == "gkmlpt"}
    assert gkmlpt
    api_hits = {h.path for h in crawled["hits"] if "/gkmlpt/api/all/" in h.path}
    reports = {d["url"]: d for d in crawled["docs"] if d["is_report"]}
    for prefix, variant in gkmlpt.items():
        assert crawled["results"][f"v{variant.seed}"]["families"] == ["gkmlpt"]
        assert any(p.startswith(prefix + "/gkmlpt/api/all/") for p in api_hits)
        assert all(url + p in reports for p in variant.report_paths)


@pytest.mark.slow
def test_script_endpoints_are_asked_for_by_get_and_framed_lists_are_read(crawled):
    hits = crawled["hits"]
    kinds = collections.Counter()
    for prefix, variant in crawled["variants"].variants.items():
        mine = [h for h in hits if h.path.startswith(prefix + "/")]
        if variant.kind == "jpaas":
            kinds["jpaas"] += 1
            assert crawled["results"][f"v{variant.seed}"]["families"] == ["jpaas"]
            units = [h for h in mine if urlsplit(h.path).path.endswith("/front/page/build/unit")]
            assert units and all(h.method == "GET" for h in units)
        elif variant.kind == "jsonp":
            kinds["jsonp"] += 1
            answers = [h for h in mine if urlsplit(h.path).path.endswith("/getMessage.do")]
            assert answers and all(h.method == "GET" and "callback=" in h.path for h in answers)
        elif variant.kind == "epoint":
            kinds["epoint"] += 1
            assert crawled["results"][f"v{variant.seed}"]["families"] == ["epoint"]
            lists = [h for h in mine if h.path.endswith("/rest/lightfrontaction/getgovinfolist")]
            assert lists and all(h.method == "POST" for h in lists)
        elif variant.kind == "search":
            kinds["search"] += 1
            assert crawled["results"][f"v{variant.seed}"]["families"] == ["trs"]
            searches = [h for h in mine if urlsplit(h.path).path.endswith(("/igs/front/search/list.html", "/was5/web/search"))]
            posted = [h for h in mine if "/irs/front/" in h.path]
            assert searches or posted
            assert all(h.method == "GET" and ("CHANNELID" in h.path or "chnlid" in h.path) for h in searches)
            assert all(h.method == "POST" for h in posted)
        elif variant.kind == "module":
            kinds["module"] += 1
            assert crawled["results"][f"v{variant.seed}"]["families"] == ["hanweb"]
            searches = [h for h in mine if urlsplit(h.path).path.endswith("/module/xxgk/search.jsp")]
            assert searches and all(h.method == "POST" for h in searches)
        elif variant.kind == "frame":
            kinds["frame"] += 1
            assert any(h.path.startswith(prefix + "/ndbg/frame/") for h in mine)
    assert all(kinds[k] for k in ("jpaas", "jsonp", "epoint", "frame", "search", "module"))
