"""Organs in the database: printed names resolved to organs of their site's region, aliases kept, coverage checked.

The rules are :mod:`nianbao.core.organs`'; this module holds what they need of the
database: the organs a region already has, the site's region and ``aliases``, and
after a load the organs' aliases (every printed name of their reports' sources, with
the first and last year) and their ``coverage.missing_year`` findings.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, select

from nianbao.core import organs
from nianbao.core.coverage import missing_years
from nianbao.core.divisions import Region
from nianbao.core.findings import Finding
from nianbao.core.organs import Resolution
from nianbao.core.rules import Rule
from nianbao.models.bulk import insert_rows
from nianbao.models.tables import FindingRow, Organ, OrganAlias, Parse, Report, ReportSource, Site, utcnow


class Directory:
    """The organs of the regions met so far; new ones are created in the caller's transaction."""

    def __init__(self, session: Session):
        self.session = session
        self._sites: dict[str | None, tuple[Region, dict[str, str]]] = {}
        self._known: dict[str, dict[str, int]] = {}
        self._resolved: dict[tuple[str, str | None], tuple[int, Resolution]] = {}

    def _site(self, site_id: str | None) -> tuple[Region, dict[str, str]]:
        if site_id not in self._sites:
            site = self.session.get(Site, site_id) if site_id else None
            region = organs.region_of(site.region if site else None, site_id)
            self._sites[site_id] = (region, organs.alias_rules(site.aliases if site else None, region))
        return self._sites[site_id]

    def _region(self, region: Region) -> dict[str, int]:
        if region.text not in self._known:
            self._known[region.text] = {key: oid for oid, key in self.session.exec(
                select(Organ.id, Organ.key).where(Organ.region == region.text))}
        return self._known[region.text]

    def resolve(self, name: str, site_id: str | None) -> tuple[int, Resolution]:
        """The organ ``name`` means on ``site_id``'s region: its id and how it was resolved."""
        if (name, site_id) in self._resolved:
            return self._resolved[(name, site_id)]
        region, rules = self._site(site_id)
        known = self._region(region)
        resolution = organs.resolve(name, region, set(known), rules)
        if resolution.key not in known:
            row = organs.describe(resolution.key, organs.clean(name), region)
            organ = Organ(**row)
            self.session.add(organ)
            self.session.flush()
            known[resolution.key] = organ.id
        self._resolved[(name, site_id)] = (known[resolution.key], resolution)
        return self._resolved[(name, site_id)]

    def ambiguity(self, name: str, site_id: str | None) -> Finding | None:
        """``organ.ambiguous`` for a name that could mean several organs of its region."""
        _, resolution = self.resolve(name, site_id)
        if not resolution.candidates:
            return None
        region, _ = self._site(site_id)
        return Finding(Rule.ORGAN_AMBIGUOUS,
                       f"{name!r} could be any of {', '.join(resolution.candidates)} in {region.text or 'its region'}; "
                       "kept as an organ of its own",
                       expected=list(resolution.candidates), actual=name,
                       evidence={"region": region.text, "key": resolution.key})


def refresh(session: Session, organ_ids: set[int]) -> None:
    """Each organ's aliases (the names its reports' sources printed, with their years), name, kind and code."""
    if not organ_ids:
        return
    spans: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for organ_id, year, printed, fallback in session.exec(
            select(Report.organ_id, Report.year, Parse.organ, Report.organ)
            .join(ReportSource, ReportSource.report_id == Report.id)
            .join(Parse, Parse.sha256 == ReportSource.sha256, isouter=True)
            .where(Report.organ_id.in_(organ_ids))):
        spans[organ_id][organs.clean(printed or fallback)].append(year)
    session.execute(delete(OrganAlias).where(OrganAlias.organ_id.in_(organ_ids)))
    rows = []
    for organ in session.exec(select(Organ).where(Organ.id.in_(organ_ids))):
        aliases = [(name, min(years), max(years)) for name, years in sorted(spans[organ.id].items())]
        rows += [{"organ_id": organ.id, "name": n, "first_year": first, "last_year": last}
                 for n, first, last in aliases]
        if aliases:
            described = organs.describe(organ.key, organs.canonical(aliases), organs.region_of(organ.region))
            session.execute(update(Organ).where(Organ.id == organ.id).values(
                **{k: v for k, v in described.items() if k not in ("region", "key")}))
    insert_rows(session, OrganAlias, rows)


def reconcile_coverage(session: Session, organ_ids: set[int]) -> list[Finding]:
    """``coverage.missing_year`` findings of the organs made to match the years their reports cover."""
    if not organ_ids:
        return []
    years: dict[int, set[int]] = defaultdict(set)
    sites: dict[int, str | None] = {}
    for organ_id, year, site_id in session.exec(select(Report.organ_id, Report.year, Report.site_id)
                                                .where(Report.organ_id.in_(organ_ids))):
        years[organ_id].add(year)
        sites.setdefault(organ_id, site_id)
    session.execute(delete(FindingRow).where(FindingRow.organ_id.in_(organ_ids), FindingRow.report_id.is_(None),
                                             FindingRow.rule == Rule.COVERAGE_MISSING_YEAR.id))
    found, rows = [], []
    for organ_id in sorted(years):
        for year in missing_years(years[organ_id]):
            finding = Finding(Rule.COVERAGE_MISSING_YEAR,
                              f"no report for {year}, though the organ published for years before and after it",
                              expected=year, evidence={"years": sorted(years[organ_id])})
            found.append(finding)
            rows.append(finding_row(finding, None, organ_id, sites[organ_id], None))
    insert_rows(session, FindingRow, rows)
    return found


def finding_row(finding: Finding, report_id: int | None, organ_id: int | None, site_id: str | None,
                source: str | None) -> dict[str, Any]:
    return {"report_id": report_id, "organ_id": organ_id, "site_id": site_id, "crawl_run_id": None,
            "source_sha256": source, "rule": finding.rule.id, "severity": str(finding.severity),
            "message": finding.message, "keys": list(finding.keys), "expected": finding.expected,
            "actual": finding.actual, "evidence": finding.evidence, "created_at": utcnow()}
