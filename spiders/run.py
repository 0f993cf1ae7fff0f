"""Running crawls: one Scrapy process, one crawler per job, each writing its journal.

A :class:`CrawlJob` is plain data — the site, what earlier crawls stored for its
URLs, the journal to write — so a crawl can run in this process
(:func:`crawl`) or in a process of its own (``python -m nianbao.spiders.run
JOB.json``, what the flows do: Scrapy's reactor runs once per process).
Nothing here touches the database.
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from nianbao.spiders.journal import END, START, Journal
from nianbao.spiders.registry import SiteEntry
from nianbao.spiders.settings import settings

_COUNTERS = ("list_pages", "report_documents", "unchanged", "known_skipped", "lookalikes_skipped",
             "lookalikes_by_content", "other_years_skipped", "unreadable", "ignored", "failures",
             "list_page_failures", "bounded", "lists_by_content", "year_entries")


@dataclass(frozen=True)
class Known:
    """What earlier crawls stored for a URL: enough for a conditional request or a skip."""

    sha256: str
    etag: str | None = None
    last_modified: str | None = None
    is_report: bool = False
    title: str | None = None
    # When a crawl last saw it unchanged (ISO 8601, UTC).
    checked_at: str | None = None

    def fresh(self, days: float) -> bool:
        """Checked within the last ``days``: a list entry pointing to it is not requested again."""
        if self.checked_at is None or days <= 0:
            return False
        checked = datetime.fromisoformat(self.checked_at)
        return datetime.now(UTC) - checked.replace(tzinfo=checked.tzinfo or UTC) < timedelta(days=days)


@dataclass
class CrawlJob:
    site: SiteEntry
    run_id: str
    journal: Path
    year: int | None = None
    refresh: bool = False
    known: dict[str, Known] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"site": self.site.to_dict(), "run_id": self.run_id, "journal": str(self.journal), "year": self.year,
                "refresh": self.refresh, "known": {url: asdict(k) for url, k in self.known.items()}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CrawlJob:
        return cls(SiteEntry.from_dict(data["site"]), data["run_id"], Path(data["journal"]), data.get("year"),
                   data.get("refresh", False), {url: Known(**k) for url, k in data.get("known", {}).items()})


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
    out["bounds"] = stats.get("nianbao/bounds", [])
    out["families"] = stats.get("nianbao/families", [])
    out["columns"] = stats.get("nianbao/columns", [])
    out["incomplete"] = stats.get("nianbao/incomplete", [])
    return out


def crawl(jobs: list[CrawlJob], *, delay: float = 1.0, overrides: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Crawl every job side by side; each journal ends with the crawl's summary, which is also returned."""
    from nianbao.spiders.portal import PortalSpider
    from scrapy.crawler import CrawlerProcess

    process = CrawlerProcess(settings(delay, overrides))
    runs = []
    for job in jobs:
        journal = Journal(job.journal)
        journal.write(START, run_id=job.run_id, site=job.site.id, year=job.year)
        crawler = process.create_crawler(PortalSpider)
        process.crawl(crawler, job=job, journal=journal)
        runs.append((job, journal, crawler))
    process.start()
    logging.getLogger("scrapy").handlers.clear()
    results = []
    for job, journal, crawler in runs:
        summary = summarize(crawler.stats.get_stats())
        status = "finished" if summary["finish_reason"] == "finished" else f"stopped: {summary['finish_reason']}"
        result = {"run_id": job.run_id, "site": job.site.id, "year": job.year, "status": status, **summary}
        journal.write(END, **result)
        journal.close()
        results.append(result)
    return results


def main(argv: list[str]) -> int:
    """``python -m nianbao.spiders.run JOB.json``: the jobs, delay and Scrapy overrides the file names."""
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    crawl([CrawlJob.from_dict(j) for j in spec["jobs"]], delay=spec.get("delay", 1.0), overrides=spec.get("overrides"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
