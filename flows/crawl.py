"""The crawl flow: a task per site, each crawl a ``nianbao crawl`` subprocess.

Scrapy's reactor cannot restart inside one process, so every site's crawl runs
in a process of its own; the tasks run side by side.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from typing import Any

from prefect import flow, get_run_logger, tags, task
from prefect.artifacts import create_progress_artifact, update_progress_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from nianbao.models import catalog
from nianbao.ingest import health
from nianbao.models.db import session
from nianbao.spiders import registry


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


@task(task_run_name="crawl {site[id]}", cache_policy=NO_CACHE)
def crawl_site(site: dict[str, Any], year: int | None, delay: float, run_id: str,
               settings: list[str] | None = None) -> dict[str, Any]:
    command = [sys.executable, "-m", "nianbao", "crawl", "--json", "--delay", str(delay), "--run-id", run_id]
    in_registry = any(s.id == site["id"] for s in registry.load())
    command += ["--site", site["id"]] if in_registry else ["--url", site["start_urls"][0], "--name", site["name"]]
    if year:
        command += ["--year", str(year)]
    for setting in settings or []:
        command += ["-s", setting]
    process = subprocess.run(command, capture_output=True, text=True)
    results = [json.loads(line) for line in process.stdout.splitlines() if line.startswith("{")]
    if not results:
        error = (process.stderr.strip().splitlines() or [f"exit status {process.returncode}"])[-1]
        get_run_logger().error("crawl of %s failed: %s", site["id"], error)
        return {"site": site["id"], "list_pages": 0, "failures": 1, "error": error,
                "failure_list": [{"url": site["start_urls"][0], "kind": "list", "reason": error}]}
    return results[0]


@flow(name="crawl", flow_run_name=lambda: run_name("crawl"))
def crawl_flow(sites: list[str] | None = None, url: str | None = None, name: str | None = None,
               year: int | None = None, delay: float = 1.0, settings: list[str] | None = None) -> dict[str, Any]:
    """Crawl registry sites (all by default) or one portal by URL; returns per-site results and health."""
    entries = resolve(sites, url, name)
    # Migrate and register the sites here, once: the crawl subprocesses start side by side
    # and would otherwise race each other to create a fresh database.
    with session() as db:
        for entry in entries:
            catalog.upsert_site(db, entry.to_dict())
    progress = create_progress_artifact(0.0, key="crawl-progress", description="sites crawled (percent)")
    futures = []
    for entry in entries:
        with tags(f"site:{entry.id}"):
            futures.append(crawl_site.submit(entry.to_dict(), year, delay, uuid.uuid4().hex, settings))
    results, verdicts = [], {}
    for done, future in enumerate(futures, 1):
        result = future.result()
        results.append(result)
        with session() as db:
            row = health.record(db, result["site"], result.get("run_id", ""), result)
        if row is not None:
            verdicts[result["site"]] = f"{row.rule}: {row.message}"
        update_progress_artifact(progress, 100.0 * done / len(futures))
    return {"crawls": results, "health": verdicts}
