"""Running crawls: one Scrapy process, one crawler per site, each a crawl run in the database.

Scrapy's reactor runs once per process, so callers that crawl repeatedly (the
Prefect flows) run this in a subprocess: ``nianbao crawl …``.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from nianbao.models import catalog
from nianbao.models.db import session
from nianbao.spiders.registry import SiteEntry
from nianbao.spiders.settings import settings

_COUNTERS = ("list_pages", "documents_new", "documents_unchanged", "contents_new", "report_documents",
             "known_skipped", "lookalikes_skipped", "lookalikes_by_content", "other_years_skipped", "ignored",
             "failures", "list_page_failures")


def summarize(stats: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {name: stats.get(f"nianbao/{name}", 0) for name in _COUNTERS}
    out["requests"] = stats.get("downloader/request_count", 0)
    out["responses"] = stats.get("downloader/response_count", 0)
    out["not_modified"] = stats.get("downloader/response_status_count/304", 0)
    out["bytes"] = stats.get("downloader/response_bytes", 0)
    out["offsite_filtered"] = stats.get("offsite/filtered", 0)
    out["robots_forbidden"] = stats.get("robotstxt/forbidden", 0)
    out["retries"] = stats.get("retry/count", 0)
    start, finish = stats.get("start_time"), stats.get("finish_time")
    out["seconds"] = round((finish - start).total_seconds(), 3) if start and finish else None
    out["finish_reason"] = stats.get("finish_reason")
    out["failure_list"] = stats.get("nianbao/failure_list", [])
    return out


def crawl(sites: list[SiteEntry], *, year: int | None = None, delay: float = 1.0, refresh: bool = False,
          overrides: dict[str, Any] | None = None, run_id: str | None = None) -> list[dict[str, Any]]:
    """Crawl ``sites`` together; returns one summary per site (``run_id``, ``site``, counters, failures)."""
    from scrapy.crawler import CrawlerProcess

    from nianbao.spiders.portal import PortalSpider

    if run_id is not None and len(sites) != 1:
        raise ValueError("a run id names the crawl of one site")
    process = CrawlerProcess(settings(delay, overrides))
    runs = []
    for site in sites:
        rid = run_id or uuid.uuid4().hex
        with session() as db:
            catalog.upsert_site(db, site.to_dict())
            catalog.start_run(db, rid, site.id, year)
            known = catalog.known_urls(db, site.id)
        crawler = process.create_crawler(PortalSpider)
        process.crawl(crawler, site=site, run_id=rid, year=year, known=known, refresh=refresh)
        runs.append((site, rid, crawler))
    process.start()
    logging.getLogger("scrapy").handlers.clear()
    results = []
    for site, rid, crawler in runs:
        summary = summarize(crawler.stats.get_stats())
        status = "finished" if summary["finish_reason"] == "finished" else f"stopped: {summary['finish_reason']}"
        with session() as db:
            catalog.finish_run(db, rid, status, summary)
        results.append({"run_id": rid, "site": site.id, "status": status, **summary})
    return results
