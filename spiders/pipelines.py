"""Where fetched documents go: bytes into the raw store, provenance into the database.

Each document is committed as soon as it arrives, so a crawl killed midway
keeps everything it fetched and the next crawl resumes from there.
"""

from __future__ import annotations

from nianbao.models import catalog
from nianbao.models.db import session
from nianbao.core.readers import format_of
from nianbao.core.store import RawStore


class StorePipeline:
    def __init__(self, stats):
        self.stats = stats
        self.store = RawStore()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item, spider=None):
        with session() as db:
            if item["kind"] == "unchanged":
                catalog.mark_unchanged(db, item["url"], item["sha256"])
                self.stats.inc_value("nianbao/documents_unchanged")
                return item
            body = item.pop("body")
            sha256 = self.store.put(body)
            fetch = {k: item.get(k) for k in ("url", "final_url", "site_id", "crawl_run_id", "referrer", "anchor",
                                              "status", "content_type", "etag", "last_modified")}
            document = {k: item.get(k) for k in ("content_type", "filename", "title", "is_report", "organ", "year")}
            new_content, new_pair = catalog.record_document(db, sha256=sha256, size=len(body), fmt=format_of(body),
                                                            fetch=fetch, document=document)
        item["sha256"] = sha256
        self.stats.inc_value("nianbao/documents_new" if new_pair else "nianbao/documents_unchanged")
        if new_content:
            self.stats.inc_value("nianbao/contents_new")
        if item.get("is_report"):
            self.stats.inc_value("nianbao/report_documents")
        return item
