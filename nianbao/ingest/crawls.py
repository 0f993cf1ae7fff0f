"""Crawls into the database: a job out (the site, what earlier crawls stored), the journal back in.

:func:`prepare` registers the site and its crawl run and hands the crawler what it
needs as data; the crawler writes only its journal and the raw store; :func:`record`
loads a journal into ``documents`` and ``fetches`` in one transaction, finishes the
run and records the site's health. A crawl that died leaves a journal no process
holds: the next crawl records it (:func:`recover`) and marks its run interrupted,
so nothing it fetched is lost or fetched again.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, tuple_, update
from sqlmodel import Session, select

from nianbao.core import config
from nianbao.ingest import health
from nianbao.models import catalog
from nianbao.models.bulk import upsert
from nianbao.models.tables import CrawlRun, Document, Fetch, Site, utcnow
from nianbao.spiders import journal
from nianbao.spiders.registry import SiteEntry
from nianbao.spiders.run import CrawlJob, Known

RUNNING, INTERRUPTED = "running", "interrupted"
_IN_CLAUSE = 5000


def journal_dir() -> Path:
    return config.home() / "crawls"


def upsert_site(session: Session, site: SiteEntry) -> None:
    data = site.to_dict()
    fields = ("name", "region", "cms", "start_urls", "domains", "aliases")
    upsert(session, Site, [{k: data[k] for k in ("id", *fields)}], ["id"], list(fields))


def prepare(session: Session, site: SiteEntry, year: int | None = None, refresh: bool = False,
            run_id: str | None = None) -> CrawlJob:
    """Register the site and a new crawl run of it; the job the crawler needs. A site given by its home
    page starts from the columns an earlier crawl found from there, when there are any."""
    upsert_site(session, site)
    columns = catalog.recorded_columns(session, site.id) if site.home else []
    if columns:
        site = replace(site, start_urls=tuple(columns))
    run = CrawlRun(id=run_id or uuid.uuid4().hex, site_id=site.id, year=year)
    session.add(run)
    known = {url: Known(**k) for url, k in catalog.known_urls(session, site.id).items()}
    session.commit()
    return CrawlJob(site, run.id, journal_dir() / f"{run.id}.jsonl", year, refresh, known)


def recover(session: Session) -> list[dict[str, Any]]:
    """Record the journals of crawls that ended without being recorded (killed, or their recorder was)."""
    results = []
    directory = journal_dir()
    for path in sorted(directory.glob("*.jsonl")) if directory.is_dir() else []:
        result = record(session, path, wait=False)
        if result is not None:
            results.append(result)
    return results


@contextmanager
def _claimed(path: Path, wait: bool) -> Iterator[bool]:
    """Hold the journal's lock; False when it is gone, held elsewhere (and not waited for) or recorded already."""
    try:
        fh = open(path, "r+", encoding="utf-8")
    except FileNotFoundError:
        yield False
        return
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            same = os.fstat(fh.fileno()).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        yield same


def record(session: Session, path: Path, wait: bool = True) -> dict[str, Any] | None:
    """Load a finished crawl's journal into the database and delete it; returns the crawl's result.

    None when another process recorded it (or, with ``wait=False``, holds it still).
    """
    with _claimed(path, wait) as mine:
        if not mine:
            return None
        records = list(journal.read(path))
        result = _record(session, path.stem, records)
        session.commit()
        path.unlink()
    return result


def result_of(session: Session, run_id: str) -> dict[str, Any]:
    """A recorded crawl's result, as :func:`record` returned it."""
    run = session.get(CrawlRun, run_id, populate_existing=True)
    if run is None:
        raise LookupError(f"no crawl run {run_id}")
    return {"run_id": run.id, "site": run.site_id, "status": run.status, **run.stats}


def _record(session: Session, run_id: str, records: list[dict[str, Any]]) -> dict[str, Any]:
    start = next((r for r in records if r["type"] == journal.START), {})
    end = next((r for r in reversed(records) if r["type"] == journal.END), None)
    run = session.get(CrawlRun, run_id)
    site_id = run.site_id if run is not None else start.get("site")
    had_reports = catalog.had_reports(session, site_id)
    counts = _store(session, site_id, run_id, records)
    failures = [{k: r[k] for k in ("url", "kind", "reason")} for r in records if r["type"] == journal.FAILURE]
    if end is not None:
        summary = {k: v for k, v in end.items() if k not in ("type", "at", "run_id", "site")}
    else:
        summary = {"status": INTERRUPTED, "list_pages": sum(r["type"] == journal.LIST for r in records),
                   "failures": len(failures), "failure_list": failures[:500],
                   "report_documents": sum(bool(r.get("is_report")) for r in records if r["type"] == journal.DOCUMENT)}
    summary.update(counts)
    result = {"run_id": run_id, "site": site_id, **summary}
    if run is None:
        run = CrawlRun(id=run_id, site_id=site_id, year=start.get("year"))
    run.status = summary["status"]
    run.stats = {k: v for k, v in summary.items() if k != "status"}
    run.finished_at = utcnow()
    session.add(run)
    if end is not None:
        verdict = health.record(session, site_id, run_id, result, had_reports)
        if verdict is not None:
            result["health"] = verdict
    return result


def _store(session: Session, site_id: str, run_id: str, records: list[dict[str, Any]]) -> dict[str, int]:
    """The journal's documents and fetches, written in bulk; the counts of what was new."""
    fetched = {(r["url"], r["sha256"]): r for r in records if r["type"] == journal.DOCUMENT}
    unchanged = {(r["url"], r["sha256"]): r for r in records if r["type"] == journal.UNCHANGED}
    shas = sorted({sha for _, sha in fetched})
    known_docs = {}
    for part in _parts(shas):
        known_docs.update({d.sha256: d for d in session.exec(select(Document).where(Document.sha256.in_(part)))})
    pairs = sorted(fetched)
    known_pairs = set()
    for part in _parts(pairs):
        known_pairs.update(session.exec(select(Fetch.url, Fetch.sha256).where(
            tuple_(Fetch.url, Fetch.sha256).in_(part))).all())
    new_docs, upgraded = {}, []
    for (_url, sha), r in fetched.items():
        doc = {"sha256": sha, "size": r["size"], "format": r["format"], "content_type": r.get("content_type"),
               "filename": r.get("filename"), "title": r.get("title"), "is_report": bool(r.get("is_report")),
               "organ": r.get("organ"), "year": r.get("year"), "first_seen_at": _at(r)}
        old = known_docs.get(sha)
        if old is None:
            new_docs.setdefault(sha, doc)
        elif doc["is_report"] and not old.is_report:
            # A content first seen under a neutral name (附件.pdf), now under a report title.
            upgraded.append({"sha": sha, **{k: doc[k] for k in ("title", "is_report", "organ", "year")}})
    upsert(session, Document, list(new_docs.values()), ["sha256"])
    if upgraded:
        session.execute(update(Document.__table__).where(Document.__table__.c.sha256 == bindparam("sha"))
                        .values(title=bindparam("title"), is_report=bindparam("is_report"),
                                organ=bindparam("organ"), year=bindparam("year")), upgraded)
    rows = [{"url": url, "final_url": r["final_url"], "sha256": sha, "site_id": site_id, "crawl_run_id": run_id,
             "referrer": r.get("referrer"), "anchor": r.get("anchor"), "status": r["status"],
             "content_type": r.get("content_type"), "etag": r.get("etag"), "last_modified": r.get("last_modified"),
             "size": r["size"], "fetched_at": _at(r), "checked_at": _at(r)} for (url, sha), r in fetched.items()]
    upsert(session, Fetch, rows, ["url", "sha256"], ["checked_at", "etag", "last_modified"])
    if unchanged:
        table = Fetch.__table__
        session.execute(update(table).where(table.c.url == bindparam("u"), table.c.sha256 == bindparam("s"))
                        .values(checked_at=bindparam("at")),
                        [{"u": url, "s": sha, "at": _at(r)} for (url, sha), r in unchanged.items()])
    new_pairs = len(set(fetched) - known_pairs)
    return {"documents_new": new_pairs, "documents_unchanged": len(fetched) - new_pairs + len(unchanged),
            "contents_new": len(new_docs)}


def _parts(items: list) -> Iterator[list]:
    for start in range(0, len(items), _IN_CLAUSE):
        yield items[start:start + _IN_CLAUSE]


def _at(record: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(record["at"])


# ---- running crawls ------------------------------------------------------------------------------------------


def crawl(session: Session, sites: list[SiteEntry], *, year: int | None = None, delay: float = 1.0,
          refresh: bool = False, overrides: dict[str, Any] | None = None,
          run_id: str | None = None) -> list[dict[str, Any]]:
    """Crawl ``sites`` together in this process (Scrapy's reactor runs once per process) and record them."""
    from nianbao.spiders.run import crawl as run_crawl

    if run_id is not None and len(sites) != 1:
        raise ValueError("a run id names the crawl of one site")
    recover(session)
    jobs = [prepare(session, site, year, refresh, run_id) for site in sites]
    run_crawl(jobs, delay=delay, overrides=overrides)
    return [record(session, job.journal) or result_of(session, job.run_id) for job in jobs]


def crawl_in_subprocess(session: Session, site: SiteEntry, *, year: int | None = None, delay: float = 1.0,
                        overrides: dict[str, Any] | None = None, timeout: float | None = None) -> dict[str, Any]:
    """One site's crawl in a process of its own, stopped after ``timeout`` seconds; recorded here."""
    recover(session)
    job = prepare(session, site, year)
    spec = job.journal.with_suffix(".job.json")
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(json.dumps({"jobs": [job.to_dict()], "delay": delay, "overrides": overrides or {}},
                               ensure_ascii=False), encoding="utf-8")
    error = None
    try:
        process = subprocess.run([sys.executable, "-m", "nianbao.spiders.run", str(spec)], capture_output=True,
                                 text=True, timeout=timeout)
        if process.returncode != 0:
            error = (process.stderr.strip().splitlines() or [f"exit status {process.returncode}"])[-1]
    except subprocess.TimeoutExpired:
        error = f"the crawl took longer than {timeout:g} s and was stopped"
    finally:
        spec.unlink(missing_ok=True)
    result = finish(session, job)
    if error is not None:
        result["error"] = error
    return result


def finish(session: Session, job: CrawlJob) -> dict[str, Any]:
    """Record the journal of a crawl whose process has ended; its result.

    Another crawl's recovery may have recorded the journal between the crawler's
    exit and this call, or the crawler died before it opened one: the run's row tells which.
    """
    result = record(session, job.journal)
    if result is None:
        result = result_of(session, job.run_id)
        if result["status"] == RUNNING:
            result = _record(session, job.run_id, [])
            session.commit()
    return result
