"""Crawl journals recorded into the database, side by side and after a crawl that died."""

from __future__ import annotations

import threading

from nianbao.models.db import session, writing
from nianbao.models.tables import CrawlRun, Document, Fetch
from nianbao.spiders.journal import DOCUMENT, END, Journal
from nianbao.spiders.registry import SiteEntry
from sqlmodel import select

from nianbao.ingest import crawls

SHA = "ab" * 32


def journal(db, site: str, finished: bool = True):
    job = crawls.prepare(db, SiteEntry(site, site, (f"http://{site}.example/ndbg/",)), 2023)
    out = Journal(job.journal)
    out.write(DOCUMENT, sha256=SHA, size=3, format="pdf", url=f"http://{site}.example/ndbg/2023.pdf",
              final_url=f"http://{site}.example/ndbg/2023.pdf", status=200, title="2023年政府信息公开工作年度报告",
              is_report=True, year=2023)
    if finished:
        out.write(END, status="finished", list_pages=1, report_documents=1)
    out.close()
    return job


def test_one_content_recorded_by_two_crawls_at_once_is_one_document_with_both_urls(database, tmp_path, monkeypatch):
    monkeypatch.setenv("NIANBAO_HOME", str(tmp_path))
    with writing(database) as db:
        jobs = [journal(db, site) for site in ("a", "b")]
    start = threading.Barrier(2)

    def record(job):
        with writing(database) as db:
            start.wait()
            crawls.record(db, job.journal)

    threads = [threading.Thread(target=record, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with session(database) as db:
        assert [d.sha256 for d in db.exec(select(Document))] == [SHA]
        assert sorted(f.site_id for f in db.exec(select(Fetch))) == ["a", "b"]
        assert {r.status for r in db.exec(select(CrawlRun))} == {"finished"}
    assert not any(job.journal.exists() for job in jobs)


def test_the_journal_of_a_crawl_that_died_is_recorded_by_the_next(database, tmp_path, monkeypatch):
    monkeypatch.setenv("NIANBAO_HOME", str(tmp_path))
    with writing(database) as db:
        died = journal(db, "a", finished=False)
        recovered = crawls.recover(db)
    assert [r["run_id"] for r in recovered] == [died.run_id]
    with session(database) as db:
        assert db.get(CrawlRun, died.run_id).status == "interrupted"
        assert [f.url for f in db.exec(select(Fetch))] == ["http://a.example/ndbg/2023.pdf"]


def test_a_journal_recovered_by_another_crawl_before_its_own_recorder_stays_finished(database, tmp_path, monkeypatch):
    """The crawler has exited; another site's crawl, starting, recovers every unheld journal, this
    one too, before this crawl's own recorder gets to it: the run is finished, not interrupted."""
    monkeypatch.setenv("NIANBAO_HOME", str(tmp_path))
    with writing(database) as db:
        job = journal(db, "a")
        with writing(database) as other:
            assert [r["run_id"] for r in crawls.recover(other)] == [job.run_id]
        result = crawls.finish(db, job)
    assert result["status"] == "finished"
    with session(database) as db:
        assert db.get(CrawlRun, job.run_id).status == "finished"


def test_a_crawler_that_died_before_its_journal_leaves_an_interrupted_run(database, tmp_path, monkeypatch):
    monkeypatch.setenv("NIANBAO_HOME", str(tmp_path))
    with writing(database) as db:
        job = crawls.prepare(db, SiteEntry("a", "a", ("http://a.example/ndbg/",)), 2023)
        assert crawls.finish(db, job)["status"] == "interrupted"
