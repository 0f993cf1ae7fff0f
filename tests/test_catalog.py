"""The crawl catalogue under crawls side by side."""

from __future__ import annotations

from sqlmodel import select

from nianbao.models import catalog
from nianbao.models.db import session
from nianbao.models.tables import Document, Fetch

SHA = "ab" * 32


def store(db, site: str) -> tuple[bool, bool]:
    fetch = {"url": f"http://{site}.example/ndbg/2023.pdf", "final_url": f"http://{site}.example/ndbg/2023.pdf",
             "site_id": site, "crawl_run_id": f"run-{site}", "status": 200}
    document = {"title": "2023年政府信息公开工作年度报告", "is_report": True, "year": 2023}
    return catalog.record_document(db, sha256=SHA, size=3, fmt="pdf", fetch=fetch, document=document)


def test_a_content_another_crawl_stored_meanwhile_is_kept_once_with_both_urls(database):
    with session(database) as first, session(database) as second:
        for site in ("a", "b"):
            catalog.upsert_site(first, {"id": site, "name": site})
            catalog.start_run(first, f"run-{site}", site, 2023)
        look = second.get

        def stale_look(entity, ident, **kw):
            # The other crawl writes the same content between this crawl's look and its write.
            if entity is Document and not second.info.get("raced"):
                second.info["raced"] = True
                assert store(first, "a") == (True, True)
                return None
            return look(entity, ident, **kw)

        second.get = stale_look
        assert store(second, "b") == (False, True)
        assert second.info["raced"]
    with session(database) as db:
        assert [d.sha256 for d in db.exec(select(Document))] == [SHA]
        assert sorted(f.site_id for f in db.exec(select(Fetch))) == ["a", "b"]
