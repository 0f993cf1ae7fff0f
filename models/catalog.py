"""The crawl side of the database: sites, crawl runs, documents and their fetches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from nianbao.models.tables import CrawlRun, Document, Fetch, Site, utcnow


@dataclass(frozen=True)
class Known:
    """What the last crawls stored for a URL: enough for a conditional request or a skip."""

    sha256: str
    etag: str | None
    last_modified: str | None
    is_report: bool
    title: str | None


def upsert_site(session: Session, site: dict) -> Site:
    row = session.get(Site, site["id"])
    if row is None:
        row = Site(id=site["id"], name=site["name"])
    row.name = site["name"]
    row.region = site.get("region")
    row.cms = site.get("cms")
    row.start_urls = list(site.get("start_urls") or [])
    row.domains = list(site.get("domains") or [])
    session.add(row)
    session.commit()
    return row


def start_run(session: Session, run_id: str, site_id: str, year: int | None) -> CrawlRun:
    run = CrawlRun(id=run_id, site_id=site_id, year=year)
    session.add(run)
    session.commit()
    return run


def finish_run(session: Session, run_id: str, status: str, stats: dict[str, Any]) -> CrawlRun:
    run = session.get(CrawlRun, run_id)
    assert run is not None, run_id
    run.status = status
    run.stats = stats
    run.finished_at = utcnow()
    session.add(run)
    session.commit()
    return run


def known_urls(session: Session, site_id: str) -> dict[str, Known]:
    """The newest stored fetch of every URL of ``site_id``."""
    newest = (select(Fetch.url, func.max(Fetch.fetched_at).label("at"))
              .where(Fetch.site_id == site_id).group_by(Fetch.url).subquery())
    rows = session.exec(
        select(Fetch, Document)
        .join(newest, (Fetch.url == newest.c.url) & (Fetch.fetched_at == newest.c.at))
        .join(Document, Document.sha256 == Fetch.sha256)
        .where(Fetch.site_id == site_id)
    ).all()
    return {f.url: Known(f.sha256, f.etag, f.last_modified, d.is_report, d.title) for f, d in rows}


def record_document(session: Session, *, sha256: str, size: int, fmt: str, fetch: dict[str, Any],
                    document: dict[str, Any]) -> tuple[bool, bool]:
    """Store one fetch of one content. Returns (new content, new URL-content pair)."""
    try:
        return _record_document(session, sha256, size, fmt, fetch, document)
    except IntegrityError:
        # Crawls side by side met the same content (a report posted on two sites): the
        # other one stored it between this one's look and its write. Look again.
        session.rollback()
        return _record_document(session, sha256, size, fmt, fetch, document)


def _record_document(session: Session, sha256: str, size: int, fmt: str, fetch: dict[str, Any],
                     document: dict[str, Any]) -> tuple[bool, bool]:
    doc = session.get(Document, sha256)
    new_content = doc is None
    if doc is None:
        doc = Document(sha256=sha256, size=size, format=fmt, **document)
    elif document.get("is_report") and not doc.is_report:
        # A content first seen under a neutral name (附件.pdf) and later under a report title.
        for name, value in document.items():
            if value is not None:
                setattr(doc, name, value)
    session.add(doc)
    row = session.exec(select(Fetch).where(Fetch.url == fetch["url"], Fetch.sha256 == sha256)).first()
    now = utcnow()
    new_pair = row is None
    if row is None:
        row = Fetch(sha256=sha256, size=size, fetched_at=now, checked_at=now, **fetch)
    else:
        row.checked_at = now
        row.etag = fetch.get("etag")
        row.last_modified = fetch.get("last_modified")
    session.add(row)
    session.commit()
    return new_content, new_pair


def mark_unchanged(session: Session, url: str, sha256: str, when: datetime | None = None) -> None:
    row = session.exec(select(Fetch).where(Fetch.url == url, Fetch.sha256 == sha256)).first()
    if row is not None:
        row.checked_at = when or utcnow()
        session.add(row)
        session.commit()


def document_rows(session: Session, year: int | None = None) -> list[dict[str, Any]]:
    """Every stored document at every URL it was fetched from, flat."""
    query = select(Fetch, Document).join(Document, Document.sha256 == Fetch.sha256)
    if year is not None:
        query = query.where(Document.year == year)
    rows = session.exec(query.order_by(Fetch.site_id, Fetch.url)).all()
    return [{"url": f.url, "final_url": f.final_url, "sha256": f.sha256, "content_type": f.content_type,
             "format": d.format, "size": f.size, "site": f.site_id, "is_report": d.is_report, "organ": d.organ,
             "year": d.year, "title": d.title, "filename": d.filename, "referrer": f.referrer, "anchor": f.anchor,
             "status": f.status, "etag": f.etag, "last_modified": f.last_modified,
             "fetched_at": f.fetched_at.isoformat(), "crawl_run": f.crawl_run_id} for f, d in rows]
