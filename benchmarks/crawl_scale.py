"""Crawl of a county-sized TRS-style column against a bare Scrapy spider, and what a re-crawl of it costs.

    .venv/bin/python benchmarks/crawl_scale.py [REPORTS ...]

For each count (default 1000 and 10000) a column of that many report pages is
served on loopback as a TRS portal draws it: ``index.html``, ``index_1.html`` …
with 20 entries each and a ``createPageHTML`` pager. Three runs, each timed by
the crawler's own clock (process start excluded):

- ``nianbao crawl`` of the column into an empty home;
- the floor: a bare Scrapy spider fetching the same URLs (every list page and
  every report, given up front) with the same concurrency and nothing done with
  the bodies;
- ``nianbao crawl`` again over the unchanged column, counting the requests the
  server saw (the goal: the list pages only).

Politeness is off in all three (no delay, no AutoThrottle); the per-site limit
of two requests at once stays, as it does in production.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from many_sites import serve

from nianbao.demo import render, synth

PER_PAGE = 20

BARE = """
import json, sys, time
import scrapy
from scrapy.crawler import CrawlerProcess

urls = json.load(open(sys.argv[1]))

class Bare(scrapy.Spider):
    name = "bare"

    async def start(self):
        for url in urls:
            yield scrapy.Request(url, callback=self.parse)

    def parse(self, response):
        pass

process = CrawlerProcess({"CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 2, "DOWNLOAD_DELAY": 0,
                          "AUTOTHROTTLE_ENABLED": False, "ROBOTSTXT_OBEY": False, "LOG_LEVEL": "ERROR",
                          "TELNETCONSOLE_ENABLED": False})
started = time.perf_counter()
process.crawl(Bare)
process.start()
print(time.perf_counter() - started)
"""


def column(n: int) -> tuple[dict[str, bytes], list[str]]:
    """The pages of a column of ``n`` reports, and the paths of its list pages."""
    rng = random.Random(n)
    pages: dict[str, bytes] = {}
    entries = []
    for i in range(n):
        year = 2019 + i % 6
        layouts = synth.layouts_for(year)
        spec = render.ReportSpec(f"某某县第{i // 6}单位", year, synth.random_figures(rng, *layouts), *layouts)
        path = f"/col/{year + 1}01/t{year + 1}0120_{i}.html"
        pages[path] = render.render_html(spec, "grid", seed=i)
        entries.append((spec.title, path, f"{year + 1}-01-20"))
    entries.sort(key=lambda e: e[2], reverse=True)
    count = -(-n // PER_PAGE)
    lists = []
    for p in range(count):
        items = "".join(f'<li><a href=".{path.removeprefix("/col")}" title="{title}">{title}</a><span>{date}</span></li>'
                        for title, path, date in entries[p * PER_PAGE:(p + 1) * PER_PAGE])
        path = f"/col/index{'' if p == 0 else f'_{p}'}.html"
        pages[path] = (f'<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>'
                       f'<div class="list"><ul>{items}</ul></div>'
                       f'<script>createPageHTML({count}, {p}, "index", "html");</script></body></html>').encode()
        lists.append(path)
    return pages, lists


def crawl(env: dict[str, str]) -> dict:
    command = [sys.executable, "-m", "nianbao", "crawl", "--json", "--delay", "0", "-s", "AUTOTHROTTLE_ENABLED=false"]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out.splitlines()[-1])


def run(n: int) -> None:
    started = time.perf_counter()
    pages, lists = column(n)
    server = serve(pages)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"{n} reports: column of {len(lists)} list pages served in {time.perf_counter() - started:.1f} s",
          flush=True)
    with tempfile.TemporaryDirectory() as home:
        registry = Path(home) / "sites.toml"
        registry.write_text(f'[[site]]\nid = "col"\nname = "某某县"\nstart_urls = ["{base}/col/index.html"]\n',
                            encoding="utf-8")
        env = {**os.environ, "NIANBAO_HOME": home, "NIANBAO_REGISTRY": str(registry)}
        env.pop("NIANBAO_DATABASE_URL", None)
        subprocess.run([sys.executable, "-m", "nianbao", "db", "upgrade"], env=env, check=True, capture_output=True)
        first = crawl(env)
        first_requests = len(server.hits)
        urls = Path(home) / "urls.json"
        urls.write_text(json.dumps([base + path for path in pages]), encoding="utf-8")
        server.hits.clear()
        bare = float(subprocess.run([sys.executable, "-c", BARE, str(urls)], capture_output=True, text=True,
                                    check=True).stdout.split()[-1])
        bare_requests = len(server.hits)
        server.hits.clear()
        again = crawl(env)
    server.shutdown()
    print(f"  first crawl: {first_requests} requests, {first['documents_new']} documents in {first['seconds']:.1f} s; "
          f"bare spider: {bare_requests} requests in {bare:.1f} s → crawl/bare {first['seconds'] / bare:.2f}×", flush=True)
    print(f"  re-crawl (unchanged): {len(server.hits)} requests for {len(lists)} list pages "
          f"({again['not_modified']} answered 304, {again['documents_new']} new) in {again['seconds']:.1f} s "
          f"→ re-crawl/first {again['seconds'] / first['seconds']:.2f}×", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("counts", nargs="*", type=int, default=[1000, 10000])
    for n in parser.parse_args().counts:
        run(n)


if __name__ == "__main__":
    main()
