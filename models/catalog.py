"""Queries over the crawl side of the database: what earlier crawls stored, every document with its fetches."""

from __future__ import annotations

from typing import Any

from nianbao.models.tables import CrawlRun, Document, Fetch
from sqlalchemy import func
from sqlmodel import Session, select


def known_urls(session: Session, site_id: str) -> dict[str, dict[str, Any]]:
    """The newest stored fetch of every URL of ``site_id``: its sha256, validators, report flag, title and when it
    was last checked."""
    newest = (select(Fetch.url, func.max(Fetch.fetched_at).label("at"))
              .where(Fetch.site_id == site_id).group_by(Fetch.url).subquery())
    rows = session.exec(
        select(Fetch.url, Fetch.sha256, Fetch.etag, Fetch.last_modified, Document.is_report, Document.title,
               Fetch.checked_at)
        .join(newest, (Fetch.url == newest.c.url) & (Fetch.fetched_at == newest.c.at))
        .join(Document, Document.sha256 == Fetch.sha256)
        .where(Fetch.site_id == site_id)
    ).all()
    return {url: {"sha256": sha, "etag": etag, "last_modified": modified, "is_report": is_report, "title": title,
                  "checked_at": checked.isoformat() if checked else None}
            for url, sha, etag, modified, is_report, title, checked in rows}


def recorded_columns(session: Session, site_id: str) -> list[str]:
    """The columns the site's latest finished crawl found reports in (``columns`` in its stats)."""
    runs = session.exec(select(CrawlRun).where(CrawlRun.site_id == site_id, CrawlRun.status == "finished")
                        .order_by(CrawlRun.started_at.desc()))
    for run in runs:
        if run.stats.get("columns"):
            return list(run.stats["columns"])
    return []


def had_reports(session: Session, site_id: str) -> bool:
    """Whether any crawl of the site has stored a report document."""
    return session.exec(select(Fetch.id).join(Document, Document.sha256 == Fetch.sha256)
                        .where(Fetch.site_id == site_id, Document.is_report == True).limit(1)
                        ).first() is not None


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
