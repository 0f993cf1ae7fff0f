"""Where fetched documents go: bytes into the raw store, a line into the crawl's journal.

Each document is journalled as soon as it arrives, so a crawl killed midway keeps
everything it fetched, and the next crawl records it and resumes from there.
"""

from __future__ import annotations

import asyncio

from nianbao.spiders.journal import DOCUMENT, UNCHANGED

from nianbao.core.readers import format_of
from nianbao.core.store import RawStore

_FIELDS = ("url", "final_url", "referrer", "anchor", "status", "content_type", "etag", "last_modified", "filename",
           "title", "is_report", "organ", "year")


class JournalPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.store = RawStore()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_item(self, item, spider=None):
        journal = self.crawler.spider.journal
        if item["kind"] == "unchanged":
            journal.write(UNCHANGED, url=item["url"], sha256=item["sha256"])
            return item
        body = item.pop("body")
        # Creating and renaming files waits on the disk: off the reactor thread, which meanwhile
        # handles other responses. The journal names the document only once its bytes are stored.
        item["sha256"] = await asyncio.to_thread(self.store.put, body)
        journal.write(DOCUMENT, sha256=item["sha256"], size=len(body), format=format_of(body),
                      **{name: item.get(name) for name in _FIELDS})
        if item.get("is_report"):
            self.crawler.stats.inc_value("nianbao/report_documents")
        return item
