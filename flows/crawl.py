"""The crawl flow: a task per site, at most ``NIANBAO_CRAWL_CONCURRENCY`` at once, each crawl a process.

Scrapy's reactor cannot restart inside one process, so every site's crawl runs
in a process of its own, stopped after ``NIANBAO_CRAWL_TIMEOUT`` seconds and
retried ``NIANBAO_CRAWL_RETRIES`` times; the crawler hands back its journal,
which the task records, and the task returns the crawl's result as data.
"""

from __future__ import annotations

from typing import Any

from nianbao.models.db import prepare, writing
from nianbao.spiders import registry
from nianbao.spiders.settings import overrides
from prefect import flow, get_run_logger, tags, task
from prefect.artifacts import create_progress_artifact, update_progress_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner

from nianbao.core import config
from nianbao.ingest import crawls, health

SETTINGS = config.settings()


class CrawlFailed(RuntimeError):
    pass


def resolve(sites: list[str] | None = None, url: str | None = None, name: str | None = None) -> list[registry.SiteEntry]:
    if url:
        return [registry.for_url(url, name)]
    if sites:
        return [registry.find(s) for s in sites]
    return registry.load()


def run_name(prefix: str) -> str:
    params = flow_run.parameters or {}
    what = params.get("url") or ",".join(params.get("sites") or []) or "all sites"
    year = params.get("year")
    return f"{prefix} {what}" + (f" {year}" if year else "")


@task(task_run_name="crawl {site[id]}", cache_policy=NO_CACHE, retries=SETTINGS.crawl_retries,
      retry_delay_seconds=30)
def crawl_site(site: dict[str, Any], year: int | None, delay: float, settings: list[str] | None = None) -> dict[str, Any]:
    with writing() as db:
        result = crawls.crawl_in_subprocess(db, registry.SiteEntry.from_dict(site), year=year, delay=delay,
                                            overrides=overrides(settings or []),
                                            timeout=config.settings().crawl_timeout)
    if "error" in result:
        raise CrawlFailed(f"crawl of {site['id']} failed: {result['error']}")
    return result


@flow(name="crawl", flow_run_name=lambda: run_name("crawl"),
      task_runner=ThreadPoolTaskRunner(max_workers=SETTINGS.crawl_concurrency))
def crawl_flow(sites: list[str] | None = None, url: str | None = None, name: str | None = None,
               year: int | None = None, delay: float = 1.0, settings: list[str] | None = None) -> dict[str, Any]:
    """Crawl registry sites (all by default) or one portal by URL; returns per-site results and health."""
    entries = resolve(sites, url, name)
    prepare()
    progress = create_progress_artifact(0.0, key="crawl-progress", description="sites crawled (percent)")
    futures = {}
    for entry in entries:
        with tags(f"site:{entry.id}"):
            futures[crawl_site.submit(entry.to_dict(), year, delay, settings)] = entry
    results, verdicts = [], {}
    for done, future in enumerate(as_completed(list(futures)), 1):
        entry = futures[future]
        try:
            result = future.result()
        except Exception as exc:  # the task's last try failed: the site's finding says so, the flow goes on
            get_run_logger().error("%s", exc)
            with writing() as db:
                verdicts[entry.id] = health.record_failure(db, entry.id, None, str(exc))
                db.commit()
            result = {"site": entry.id, "status": "failed", "error": str(exc), "list_pages": 0, "failures": 1,
                      "failure_list": [{"url": entry.start_urls[0], "kind": "crawl", "reason": str(exc)}]}
        if result.get("health"):
            verdicts[entry.id] = result["health"]
        results.append(result)
        update_progress_artifact(progress, 100.0 * done / len(futures))
    order = {entry.id: i for i, entry in enumerate(entries)}
    return {"crawls": sorted(results, key=lambda r: order[r["site"]]), "health": verdicts}
