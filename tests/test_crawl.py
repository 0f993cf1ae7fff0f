"""The crawler over real HTTP on loopback against the demo portal."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter

import pytest
from crawling import crawl, documents, env_for
from nianbao.spiders.portal import INLINE_PAGE_CHARS

from nianbao.demo import render, synth
from nianbao.demo.portal import Resource
from nianbao.demo.server import DemoServer


@pytest.fixture(scope="module")
def full_crawl(served, tmp_path_factory):
    """One crawl of every site, then a second crawl of the unchanged portal."""
    home = tmp_path_factory.mktemp("home")
    env = env_for(home, served.registry(home / "sites.toml"))
    served.server.clear()
    first = crawl(env)
    first_hits = served.server.hits()
    max_in_flight = served.server.max_in_flight
    docs_after_first = documents(env)
    served.server.clear()
    second = crawl(env)
    second_hits = served.server.hits()
    served.server.clear()
    recheck = crawl(env, "-s", "NIANBAO_RECHECK_DAYS=0")
    return {"env": env, "first": first, "first_hits": first_hits, "docs": docs_after_first, "second": second,
            "second_hits": second_hits, "recheck": recheck, "recheck_hits": served.server.hits(),
            "max_in_flight": max_in_flight}


def test_every_report_found(served, full_crawl):
    docs = {d["url"]: d for d in full_crawl["docs"]}
    wanted = served.report_urls()
    assert wanted - set(docs) == set()
    assert all(docs[u]["is_report"] for u in wanted)
    assert {r["site"] for r in full_crawl["first"]} == {"demo-trs", "demo-hanweb", "demo-xxgk"}


def test_reports_carry_organ_year_and_provenance(served, full_crawl):
    docs = {d["url"]: d for d in full_crawl["docs"]}
    for report in served.portal.reports:
        for path in report.urls:
            doc = docs[served.url + path]
            assert doc["year"] == report.year, path
            assert doc["organ"] == report.organ, path
            assert doc["site"] == report.site
            assert doc["status"] == 200 and doc["size"] > 0 and len(doc["sha256"]) == 64
            assert doc["referrer"].startswith(served.url)
            assert doc["etag"] and doc["last_modified"]


def test_servlet_downloads_keep_final_url_and_disposition_name(served, full_crawl):
    servlet = [d for d in full_crawl["docs"] if "downfile.jsp" in d["url"]]
    assert servlet
    for doc in servlet:
        assert "/module/download/file/" in doc["final_url"]
        assert doc["filename"].endswith((".pdf", ".docx", ".doc")) and "年度报告" in doc["filename"]
        assert doc["format"] in ("pdf", "docx")


def test_no_lookalike_taken(served, full_crawl):
    docs = {d["url"]: d for d in full_crawl["docs"]}
    hits = {h.path for h in full_crawl["first_hits"]}
    for path in served.portal.lookalikes:
        if path in hits:
            # Only an ambiguous title (某某县统计局2023年度报告) is fetched, and its content rejects it.
            assert not docs[served.url + path]["is_report"], path
    fetched = [p for p in served.portal.lookalikes if p in hits]
    assert len(fetched) == 1
    reports = {u for u, d in docs.items() if d["is_report"] and d["format"] != "html"}
    assert reports <= served.report_urls()


def test_nothing_off_site_or_disallowed(served, full_crawl):
    assert served.offsite.hits() == []
    paths = {h.path for h in full_crawl["first_hits"]}
    assert not any(p.startswith("/trs/private/") for p in paths)
    assert "/robots.txt" in paths
    trs = next(r for r in full_crawl["first"] if r["site"] == "demo-trs")
    assert trs["offsite_filtered"] >= 1 and trs["robots_forbidden"] >= 1


def test_polite(full_crawl):
    # Three sites crawled together, each with its own two-request limit, on one loopback host.
    assert full_crawl["max_in_flight"] <= 2 * 3
    agents = {h.user_agent for h in full_crawl["first_hits"]}
    assert len(agents) == 1 and agents.pop().startswith("nianbao/")


def test_failures_and_retries_reported(served, full_crawl):
    trs = next(r for r in full_crawl["first"] if r["site"] == "demo-trs")
    dead = [f for f in trs["failure_list"] if f["reason"] == "HTTP 404"]
    assert [f["url"] for f in dead] == [served.url + p for p in served.portal.never if "/private/" not in p]
    assert trs["retries"] >= 2
    statuses = Counter(h.status for h in full_crawl["first_hits"])
    assert statuses[503] == 2


def _lists(hit) -> bool:
    return "/index" in hit.path or "/col/" in hit.path or "dataproxy" in hit.path or hit.path == "/robots.txt"


def test_second_crawl_requests_only_the_list_pages(full_crawl):
    # Dead links are tried again; everything else known and unchanged is not requested.
    assert [h.path for h in full_crawl["second_hits"] if not _lists(h) and h.status != 404] == []
    assert all(r["documents_new"] == 0 and r["not_modified"] == 0 for r in full_crawl["second"])
    assert sum(r["known_skipped"] for r in full_crawl["second"]) >= len(
        [d for d in full_crawl["docs"] if d["is_report"]])
    assert documents(full_crawl["env"]) == full_crawl["docs"]


def test_known_pages_past_their_recheck_time_are_asked_for_conditionally(full_crawl):
    downloads = [h for h in full_crawl["recheck_hits"] if h.status == 200 and h.method == "GET" and not _lists(h)]
    assert downloads == []
    assert all(r["documents_new"] == 0 for r in full_crawl["recheck"])
    assert sum(r["not_modified"] for r in full_crawl["recheck"]) > 0
    assert documents(full_crawl["env"]) == full_crawl["docs"]


def test_year_takes_only_that_year(served, tmp_path):
    env = env_for(tmp_path, served.registry(tmp_path / "sites.toml"))
    served.server.clear()
    results = crawl(env, "--year", "2023")
    docs = documents(env)
    reports = {d["url"] for d in docs if d["is_report"]}
    assert served.report_urls(year=2023) <= reports
    assert all(d["year"] == 2023 for d in docs if d["is_report"])
    assert not served.report_urls(year=2020) & {d["url"] for d in docs}
    paths = {h.path for h in served.server.hits()}
    trs_pages = sorted(p for p in served.portal.resources if p.startswith("/trs/zwgk/ndbg/index"))
    assert trs_pages[-1] not in paths, "walked to the oldest list page for a recent year"
    assert "/xxgk/ndbg/2021/index.html" not in paths
    assert all(r["failures"] == 0 for r in results)


def test_url_without_registry_entry(served, tmp_path):
    env = env_for(tmp_path, served.registry(tmp_path / "sites.toml"))
    served.server.clear()
    (result,) = crawl(env, "--url", served.url + "/xxgk/ndbg/index.html", "--name", "某某新县")
    assert 1 <= served.server.max_in_flight <= 2
    assert result["site"].startswith("127.0.0.1-")
    docs = documents(env)
    assert served.report_urls(site="demo-xxgk") <= {d["url"] for d in docs if d["is_report"]}


def test_killed_crawl_resumes(served, tmp_path):
    env = env_for(tmp_path, served.registry(tmp_path / "sites.toml"))
    served.server.clear()
    slow = [sys.executable, "-m", "nianbao", "crawl", "--site", "demo-hanweb", "--delay", "0.3",
            "-s", "AUTOTHROTTLE_ENABLED=false"]
    process = subprocess.Popen(slow, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    journals = tmp_path / "crawls"
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and process.poll() is None and stored < 8:
        time.sleep(0.2)
        stored = sum(line.startswith('{"type": "document"') for path in journals.glob("*.jsonl")
                     for line in path.read_text(encoding="utf-8").splitlines())
    assert process.poll() is None, "the crawl ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert stored >= 8
    crawl(env, "--site", "demo-hanweb")
    docs = documents(env)
    assert served.report_urls(site="demo-hanweb") <= {d["url"] for d in docs if d["is_report"]}
    downloads = Counter(h.path for h in served.server.hits() if (h.status == 200 and "/art/" in h.path)
                        or ("/module/download/file/" in h.path and h.status == 200))
    assert downloads and max(downloads.values()) == 1, [p for p, n in downloads.items() if n > 1]
    runs = sqlite3.connect(tmp_path / "nianbao.db").execute("select status from crawl_runs").fetchall()
    assert sorted(status for (status,) in runs) == ["finished", "interrupted"]


class _Pages:
    def __init__(self, pages: dict[str, bytes]):
        self.pages = pages

    def respond(self, method: str, target: str, body: bytes) -> Resource | None:
        return Resource(self.pages[target]) if target in self.pages else None


def test_pages_long_and_short_are_judged_by_their_text(tmp_path):
    """Ordinary pages are read on the reactor thread and long ones off it: both judged alike, a report by
    its text whatever its title, a look-alike not."""
    filler = "<p>" + "本页附有说明。" * (INLINE_PAGE_CHARS // 5) + "</p>"
    layouts = synth.layouts_for(2023)
    spec = render.ReportSpec("某县教育局", 2023, synth.random_figures(random.Random(1), *layouts), *layouts)
    report = render.render_html(spec, page=True)
    long_report = render.render_html(spec, page=True, after=filler)
    long_other = f"<html><body><h1>某县教育局2023年度工作总结</h1>{filler}</body></html>".encode()
    assert len(long_report.decode()) > INLINE_PAGE_CHARS
    entries = {"/a/1.html": "某县教育局2023年度报告", "/a/2.html": "某县财政局2023年度报告",
               "/a/3.html": "某县民政局2023年度报告"}
    listing = "".join(f'<li><a href="{path}">{title}</a><span>2024-01-20</span></li>' for path, title in entries.items())
    pages = {"/col/index.html": f"<html><body><ul>{listing}</ul></body></html>".encode(),
             "/a/1.html": report, "/a/2.html": long_report.replace("某县教育局".encode(), "某县财政局".encode()),
             "/a/3.html": long_other}
    with DemoServer(_Pages(pages)) as server:
        registry = tmp_path / "sites.toml"
        registry.write_text(f'[[site]]\nid = "long"\nname = "某县"\nstart_urls = ["{server.url}/col/index.html"]\n',
                            encoding="utf-8")
        env = env_for(tmp_path, registry)
        crawl(env)
        docs = {d["url"].removeprefix(server.url): d["is_report"] for d in documents(env)}
    assert docs == {"/a/1.html": True, "/a/2.html": True, "/a/3.html": False}
