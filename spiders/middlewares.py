"""Downloader and spider middlewares: retries that back off within a deadline, and bounds against traps."""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware
from twisted.internet.error import TimeoutError as DeadlineError

_DEADLINE = "nianbao_deadline"


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, waiting ``RETRY_BACKOFF_BASE × 2^(n-1)`` seconds (at most ``RETRY_BACKOFF_MAX``)
    before the n-th retry of a 5xx, a timeout or a dropped connection, so a struggling county server gets
    room to recover; and all tries of one URL together take at most ``NIANBAO_RESPONSE_DEADLINE`` seconds,
    so a body dripped a byte at a time cannot hold a crawl for the retries' sum of download timeouts."""

    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)
        self.timeout = settings.getfloat("DOWNLOAD_TIMEOUT", 180.0)
        self.deadline = settings.getfloat("NIANBAO_RESPONSE_DEADLINE", 180.0)

    def process_request(self, request, spider=None):
        remaining = request.meta.setdefault(_DEADLINE, time.monotonic() + self.deadline) - time.monotonic()
        if remaining <= 0:
            raise DeadlineError(f"no response within the deadline of {self.deadline:g} s over all tries")
        request.meta["download_timeout"] = min(self.timeout, remaining)
        return None

    def _past_deadline(self, request) -> bool:
        return time.monotonic() >= request.meta.get(_DEADLINE, float("inf"))

    async def _wait(self, result):
        if isinstance(result, Request):
            tries = result.meta.get("retry_times", 1)
            pause = min(self.cap, self.base * 2 ** (tries - 1), max(0.0, result.meta[_DEADLINE] - time.monotonic()))
            await asyncio.sleep(pause)
        return result

    async def process_response(self, request, response, spider=None):
        if self._past_deadline(request):
            return response
        return await self._wait(super().process_response(request, response))

    async def process_exception(self, request, exception, spider=None):
        if self._past_deadline(request):
            return None
        return await self._wait(super().process_exception(request, exception))


class CrawlBounds(BaseSpiderMiddleware):
    """Bounds one site's crawl: at most ``NIANBAO_MAX_REQUESTS`` requests, and at most
    ``NIANBAO_MAX_QUERY_VARIANTS`` distinct query strings on one list page path (a page linking to itself
    with ever-new query strings is a trap, not a column). Requests over a bound are dropped and counted;
    the crawl's result names the bounds hit, and the site's health says so."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.max_requests = crawler.settings.getint("NIANBAO_MAX_REQUESTS", 20000)
        self.max_variants = crawler.settings.getint("NIANBAO_MAX_QUERY_VARIANTS", 200)
        self.requests = 0
        self.variants: dict[tuple[str, str], set[str]] = {}
        self.hit: dict[str, str] = {}

    def get_processed_request(self, request: Request, response) -> Request | None:
        if request.meta.get("kind") == "list":
            parts = urlsplit(request.url)
            if parts.query:
                seen = self.variants.setdefault((parts.netloc, parts.path), set())
                if parts.query not in seen and len(seen) >= self.max_variants:
                    return self._over(f"query:{parts.netloc}{parts.path}",
                                      f"more than {self.max_variants} query strings on {parts.netloc}{parts.path}")
                seen.add(parts.query)
        if self.requests >= self.max_requests:
            return self._over("requests", f"more than {self.max_requests} requests")
        self.requests += 1
        return request

    def _over(self, key: str, reason: str) -> None:
        stats = self.crawler.stats
        stats.inc_value("nianbao/bounded")
        if key not in self.hit and len(self.hit) < 20:
            self.hit[key] = reason
            stats.set_value("nianbao/bounds", list(self.hit.values()))
        return None


class SiteProxy:
    """Every request of a site whose registry entry names a ``proxy`` goes through it (robots.txt included);
    other sites use Scrapy's own reading of the ``http_proxy`` / ``https_proxy`` environment."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        proxy = getattr(getattr(self.crawler.spider, "site", None), "proxy", None)
        if proxy and "proxy" not in request.meta:
            request.meta["proxy"] = proxy
        return None
