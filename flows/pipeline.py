"""The pipeline (crawl, then ingest) and the backfill of one year."""

from __future__ import annotations

from typing import Any

from nianbao.flows.crawl import crawl_flow, run_name
from nianbao.flows.ingest import ingest_flow
from nianbao.flows.summary import markdown
from nianbao.models.db import session
from nianbao.models.queries import coverage_rows
from prefect import flow
from prefect.artifacts import create_markdown_artifact


@flow(name="pipeline", flow_run_name=lambda: run_name("pipeline"))
def pipeline_flow(sites: list[str] | None = None, url: str | None = None, name: str | None = None,
                  year: int | None = None, delay: float = 1.0, settings: list[str] | None = None) -> dict[str, Any]:
    """Crawl the sites (all registry sites by default), then ingest what is new."""
    crawled = crawl_flow(sites=sites, url=url, name=name, year=year, delay=delay, settings=settings)
    chosen = [c["site"] for c in crawled["crawls"]] if sites or url else None
    ingested = ingest_flow(year=year, sites=chosen)
    with session() as db:
        covered = coverage_rows(db, sites=[c["site"] for c in crawled["crawls"]])
    create_markdown_artifact(markdown(crawled["crawls"], ingested, crawled["health"], covered), key="run-summary",
                             description="sites crawled, documents and reports, findings by rule, failures, "
                                         "coverage of organs × years")
    return {**crawled, "ingest": ingested, "coverage": covered}


@flow(name="backfill", flow_run_name=lambda: run_name("backfill"))
def backfill_flow(year: int, sites: list[str] | None = None, delay: float = 1.0) -> dict[str, Any]:
    """One year again, on every registry site by default: its list pages walked back as far as it needs."""
    return pipeline_flow(sites=sites, year=year, delay=delay)
