"""Scrapy settings: polite and safe by default.

One portal is one county's small web server: at most two requests at a time,
AutoThrottle on top of a delay, robots.txt obeyed, retries that back off, a
download size limit, a deadline per URL over all its tries, bounds against spider
traps (requests per crawl, query strings per list page path), and nothing fetched outside the portal's own domains
(``allowed_domains`` on the spider).
"""

from __future__ import annotations

import json

from nianbao.core import config
from nianbao.core.parse import MAX_DOCUMENT_BYTES


def settings(delay: float = 1.0, overrides: dict | None = None) -> dict:
    cfg = config.settings()
    out = {
        "BOT_NAME": "nianbao",
        "USER_AGENT": config.user_agent(),
        "ROBOTSTXT_OBEY": True,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        "DOWNLOAD_DELAY": delay,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": max(delay, 0.05),
        "AUTOTHROTTLE_MAX_DELAY": 60.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "DOWNLOAD_TIMEOUT": 60,
        "DOWNLOAD_MAXSIZE": MAX_DOCUMENT_BYTES,
        "DOWNLOAD_WARNSIZE": MAX_DOCUMENT_BYTES // 4,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 3,
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        "RETRY_BACKOFF_BASE": 1.0,
        "RETRY_BACKOFF_MAX": 60.0,
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "nianbao.spiders.middlewares.BackoffRetryMiddleware": 550,
            # Before Scrapy's HttpProxyMiddleware (750), which honours a proxy set in the request's meta.
            "nianbao.spiders.middlewares.SiteProxy": 700,
        },
        "SPIDER_MIDDLEWARES": {"nianbao.spiders.middlewares.CrawlBounds": 50},
        "NIANBAO_MAX_REQUESTS": cfg.max_requests,
        "NIANBAO_MAX_QUERY_VARIANTS": cfg.max_query_variants,
        "NIANBAO_RESPONSE_DEADLINE": cfg.response_deadline,
        "NIANBAO_RECHECK_DAYS": cfg.recheck_days,
        "ITEM_PIPELINES": {"nianbao.spiders.pipelines.JournalPipeline": 300},
        # Scrapy starts this many tasks for every response's output, however little it yields; ours yields
        # a few requests and at most one small item per response.
        "CONCURRENT_ITEMS": 8,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "INFO",
        "LOGSTATS_INTERVAL": 30.0,
    }
    out.update(overrides or {})
    return out


def overrides(pairs: list[str]) -> dict[str, object]:
    """Scrapy settings given as ``NAME=VALUE`` strings; numbers, lists, objects and booleans as JSON."""
    out: dict[str, object] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ValueError(f"{pair!r}: expected NAME=VALUE")
        out[name] = json.loads(value) if value[:1] in "[{0123456789-." or value in ("true", "false") else value
    return out
