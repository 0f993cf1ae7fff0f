"""Flat export rows: reports, figures and findings, with their provenance."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from nianbao.models.tables import Fetch, Figure, FindingRow, Report, ReportSource
from sqlmodel import Session, select


def _source_urls(session: Session) -> dict[str, str]:
    urls: dict[str, str] = {}
    for fetch in session.exec(select(Fetch).order_by(Fetch.fetched_at, Fetch.id)):
        urls.setdefault(fetch.sha256, fetch.url)
    return urls


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def report_rows(session: Session, year: int | None = None) -> list[dict[str, Any]]:
    query = select(Report)
    if year is not None:
        query = query.where(Report.year == year)
    reports = session.exec(query.order_by(Report.organ, Report.year)).all()
    urls = _source_urls(session)
    sources: dict[int, list[ReportSource]] = defaultdict(list)
    for row in session.exec(select(ReportSource).order_by(ReportSource.sha256)):
        sources[row.report_id].append(row)
    return [{"organ": r.organ, "year": r.year, "region": r.region, "site": r.site_id,
             "table_format": r.table_format, "table2_layout": r.table2_layout, "table3_layout": r.table3_layout, "published_at": r.published_at,
             "source_url": urls.get(r.source_sha256), "document_sha256": r.source_sha256,
             "sources": [{"sha256": s.sha256, "url": urls.get(s.sha256), "role": s.role, "format": s.format}
                         for s in sources[r.id]],
             "supersedes": r.supersedes_sha256, "supersedes_url": urls.get(r.supersedes_sha256 or ""),
             "parser_version": r.parser_version} for r in reports]


def figure_rows(session: Session, year: int | None = None) -> list[dict[str, Any]]:
    query = select(Figure, Report).join(Report, Report.id == Figure.report_id)
    if year is not None:
        query = query.where(Report.year == year)
    urls = _source_urls(session)
    return [{"organ": r.organ, "year": r.year, "key": f.key, "value": _number(f.value), "raw": f.raw,
             "source_url": urls.get(f.source_sha256), "document_sha256": f.source_sha256, "table": f.table_no,
             "row": f.row, "col": f.col, "page": f.page, "line": f.location.get("line"),
             "method": f.method, "parser_version": f.parser_version}
            for f, r in session.exec(query.order_by(Report.organ, Report.year, Figure.key)).all()]


def finding_rows(session: Session, year: int | None = None) -> list[dict[str, Any]]:
    query = select(FindingRow, Report).join(Report, Report.id == FindingRow.report_id, isouter=True)
    if year is not None:
        query = query.where(Report.year == year)
    urls = _source_urls(session)
    return [{"organ": r.organ if r else None, "year": r.year if r else None, "site": f.site_id, "rule": f.rule,
             "severity": f.severity, "keys": f.keys, "expected": f.expected, "actual": f.actual,
             "message": f.message, "source_url": urls.get(f.source_sha256 or ""), "document_sha256": f.source_sha256}
            for f, r in session.exec(query.order_by(FindingRow.rule, FindingRow.id)).all()]
