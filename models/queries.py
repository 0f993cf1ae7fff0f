"""Flat export rows: organs, reports (long or wide), figures, findings and coverage, with their provenance.

Every row that concerns an organ carries its ``organ_id`` and canonical name; a report's
row also carries the name its primary source printed (``printed_name``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from nianbao.models.tables import Fetch, Figure, FindingRow, Organ, OrganAlias, Report, ReportSource, Site
from sqlmodel import Session, select

from nianbao.core import coverage
from nianbao.core.export import figure_keys, is_amount
from nianbao.core.extract import METHODS
from nianbao.core.organs import region_of


def _source_urls(session: Session) -> dict[str, str]:
    urls: dict[str, str] = {}
    for fetch in session.exec(select(Fetch).order_by(Fetch.fetched_at, Fetch.id)):
        urls.setdefault(fetch.sha256, fetch.url)
    return urls


def value_of(key: str, value: float) -> int | Decimal:
    """A stored figure as exported: an integer, or for an amount a decimal (never a binary float)."""
    if is_amount(key):
        return Decimal(repr(value))
    return int(value)


def _organs(session: Session) -> dict[int, Organ]:
    return {o.id: o for o in session.exec(select(Organ))}


def _organ_columns(organ: Organ) -> dict[str, Any]:
    return {"organ_id": organ.id, "organ": organ.name, "kind": organ.kind, "code": organ.code,
            "region": organ.region or None, "region_code": organ.region_code}


def _reports(session: Session, year: int | None) -> list[Report]:
    query = select(Report)
    if year is not None:
        query = query.where(Report.year == year)
    return list(session.exec(query.order_by(Report.organ_id, Report.year)).all())


def report_rows(session: Session, year: int | None = None) -> list[dict[str, Any]]:
    organs = _organs(session)
    urls = _source_urls(session)
    sources: dict[int, list[ReportSource]] = defaultdict(list)
    for row in session.exec(select(ReportSource).order_by(ReportSource.sha256)):
        sources[row.report_id].append(row)
    return [{**_organ_columns(organs[r.organ_id]), "printed_name": r.organ, "year": r.year, "site": r.site_id,
             "table_format": r.table_format, "table2_layout": r.table2_layout, "table3_layout": r.table3_layout,
             "published_at": r.published_at, "source_url": urls.get(r.source_sha256), "document_sha256": r.source_sha256,
             "sources": [{"sha256": s.sha256, "url": urls.get(s.sha256), "role": s.role, "format": s.format}
                         for s in sources[r.id]],
             "supersedes": r.supersedes_sha256, "supersedes_url": urls.get(r.supersedes_sha256 or ""),
             "parser_version": r.parser_version} for r in _reports(session, year)]


def wide_report_rows(session: Session, year: int | None = None) -> list[dict[str, Any]]:
    """One row per report: the organ, the year, the layouts, how many figures each method read, then a column
    per key (empty where the report has no such figure)."""
    organs = _organs(session)
    urls = _source_urls(session)
    reports = _reports(session, year)
    values: dict[int, dict[str, Any]] = defaultdict(dict)
    methods: dict[int, Counter] = defaultdict(Counter)
    query = select(Figure.report_id, Figure.key, Figure.value, Figure.method)
    if year is not None:
        query = query.join(Report, Report.id == Figure.report_id).where(Report.year == year)
    for report_id, key, value, method in session.exec(query):
        values[report_id][key] = value_of(key, value)
        methods[report_id][method] += 1
    columns = figure_keys()
    return [{**_organ_columns(organs[r.organ_id]), "printed_name": r.organ, "year": r.year,
             "table_format": r.table_format, "table2_layout": r.table2_layout, "table3_layout": r.table3_layout,
             "published_at": r.published_at, **{f"figures_{m}": methods[r.id][m] for m in METHODS},
             "source_url": urls.get(r.source_sha256),
             **{key: values[r.id].get(key) for key in columns}} for r in reports]


def figure_rows(session: Session, year: int | None = None) -> list[dict[str, Any]]:
    query = select(Figure, Report).join(Report, Report.id == Figure.report_id)
    if year is not None:
        query = query.where(Report.year == year)
    organs = _organs(session)
    urls = _source_urls(session)
    return [{"organ_id": r.organ_id, "organ": organs[r.organ_id].name, "year": r.year, "key": f.key,
             "value": value_of(f.key, f.value), "raw": f.raw, "source_url": urls.get(f.source_sha256),
             "document_sha256": f.source_sha256, "table": f.table_no, "row": f.row, "col": f.col, "page": f.page,
             "line": f.location.get("line"), "method": f.method, "parser_version": f.parser_version}
            for f, r in session.exec(query.order_by(Report.organ_id, Report.year, Figure.key)).all()]


def finding_rows(session: Session, year: int | None = None) -> list[dict[str, Any]]:
    query = select(FindingRow, Report).join(Report, Report.id == FindingRow.report_id, isouter=True)
    if year is not None:
        query = query.where(Report.year == year)
    organs = _organs(session)
    urls = _source_urls(session)
    rows = []
    for f, r in session.exec(query.order_by(FindingRow.rule, FindingRow.id)).all():
        organ = organs.get(f.organ_id) if f.organ_id is not None else None
        rows.append({"organ_id": f.organ_id, "organ": organ.name if organ else None,
                     "printed_name": r.organ if r else None, "year": r.year if r else None, "site": f.site_id,
                     "rule": f.rule, "severity": f.severity, "keys": f.keys, "expected": f.expected,
                     "actual": f.actual, "message": f.message, "source_url": urls.get(f.source_sha256 or ""),
                     "document_sha256": f.source_sha256})
    return rows


def organ_rows(session: Session, year: int | None = None) -> list[dict[str, Any]]:
    """Every organ with the divisions it belongs to and every name it printed (``year``: organs reporting on it)."""
    aliases: dict[int, list[OrganAlias]] = defaultdict(list)
    for alias in session.exec(select(OrganAlias).order_by(OrganAlias.first_year, OrganAlias.name)):
        aliases[alias.organ_id].append(alias)
    wanted = None
    if year is not None:
        wanted = set(session.exec(select(Report.organ_id).where(Report.year == year)))
    return [{**_organ_columns(o), "province": o.province, "city": o.city, "county": o.county,
             "aliases": [{"name": a.name, "first_year": a.first_year, "last_year": a.last_year}
                         for a in aliases[o.id]]}
            for o in session.exec(select(Organ).order_by(Organ.region, Organ.id)) if wanted is None or o.id in wanted]


def coverage_rows(session: Session, year: int | None = None, sites: list[str] | None = None) -> list[dict[str, Any]]:
    """Organs × years, per region: ``published``, ``missing`` (a year between two published ones) or empty;
    the years run from the first any organ of the database reported on to the last (``year``: that one only; ``sites``: the
    organs of those sites' regions)."""
    regions = None
    if sites is not None:
        regions = {region_of(text, site).text for site, text in session.exec(select(Site.id, Site.region).where(Site.id.in_(sites)))}
    years: dict[int, set[int]] = defaultdict(set)
    for organ_id, report_year in session.exec(select(Report.organ_id, Report.year)):
        years[organ_id].add(report_year)
    every = set().union(*years.values()) if years else set()
    span = list(range(min(every), max(every) + 1)) if every else []
    if year is not None:
        span = [year]
    rows = []
    for o in session.exec(select(Organ).order_by(Organ.region, Organ.kind, Organ.name)):
        have = years.get(o.id, set())
        if not have or (regions is not None and o.region not in regions):
            continue
        rows.append({**_organ_columns(o), "first_year": min(have), "last_year": max(have),
                     "published": len(have), "missing": len(coverage.missing_years(have)),
                     **{str(y): coverage.cell(y, have) for y in span}})
    return rows
