"""Ingest: stored report documents → parsed → one report per organ and year → validated → loaded.

Plain functions; the Prefect flows call them as tasks. Idempotent: a document
is parsed once per parser version, a report is rewritten only when its
fingerprint (primary source, sources and roles, figures, findings) changes, and
identity-5 findings are reconciled rather than appended.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, or_
from sqlmodel import Session, select

from nianbao.models.db import LOAD_LOCK, hold
from nianbao.models.tables import Document, Fetch, FindingRow, Figure, Report, ReportSource, Site, utcnow
from nianbao import __version__
from nianbao.core.errors import UnreadableDocument
from nianbao.core.findings import ERROR, Finding
from nianbao.core.merge import Merged, Source, merge
from nianbao.core.parse import ParsedReport, parse_bytes
from nianbao.core.store import RawStore
from nianbao.core.validate import validate_carry_over

PARSER_VERSION = __version__
CARRY_OVER = "identity.5"


@dataclass
class Parsed:
    sha256: str
    report: ParsedReport | None
    error: str | None = None


@dataclass
class IngestSummary:
    documents: int = 0
    unreadable: int = 0
    unidentified: int = 0
    reports_new: int = 0
    reports_updated: int = 0
    reports_unchanged: int = 0
    findings: Counter = field(default_factory=Counter)
    sites: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def to_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "unreadable": self.unreadable, "unidentified": self.unidentified,
                "reports_new": self.reports_new, "reports_updated": self.reports_updated,
                "reports_unchanged": self.reports_unchanged, "findings": dict(sorted(self.findings.items())),
                "sites": {site: dict(counts) for site, counts in sorted(self.sites.items())}}


def pending(session: Session, year: int | None = None, sites: list[str] | None = None) -> list[str]:
    """Report documents not yet parsed by this parser version (of ``year``, fetched from ``sites``, if given)."""
    query = select(Document.sha256).where(
        Document.is_report == True,  # noqa: E712
        or_(Document.parser_version.is_(None), Document.parser_version != PARSER_VERSION))
    if year is not None:
        query = query.where(Document.year == year)
    if sites:
        query = query.where(Document.sha256.in_(select(Fetch.sha256).where(Fetch.site_id.in_(sites))))
    return sorted(session.exec(query).all())


def parse_one(sha256: str, store: RawStore) -> Parsed:
    try:
        return Parsed(sha256, parse_bytes(store.get(sha256), source=sha256))
    except (UnreadableDocument, OSError) as exc:
        return Parsed(sha256, None, str(exc))


def parse_documents(shas: list[str], store: RawStore | None = None) -> list[Parsed]:
    store = store or RawStore()
    return [parse_one(sha, store) for sha in shas]


def load(session: Session, parsed: list[Parsed], year: int | None = None, store: RawStore | None = None,
         summary: IngestSummary | None = None) -> IngestSummary:
    """Group parsed documents into reports and write them; ``year`` keeps a backfill to that year.

    Every transaction holds the load lock, so that workers loading side by side into one
    PostgreSQL database each see the reports the other wrote; they only parse in parallel.
    """
    store = store or RawStore()
    summary = summary or IngestSummary()
    if not parsed:
        return summary
    hold(session, LOAD_LOCK)
    shas = [p.sha256 for p in parsed]
    docs = {d.sha256: d for d in session.exec(select(Document).where(Document.sha256.in_(shas))).all()}
    fetches = _first_fetches(session, shas)
    groups: dict[tuple[str, int], list[Parsed]] = defaultdict(list)
    for p in parsed:
        doc = docs[p.sha256]
        doc.parser_version, doc.parse_error = PARSER_VERSION, p.error
        session.add(doc)
        summary.documents += 1
        site = fetches[p.sha256].site_id if p.sha256 in fetches else None
        if p.report is None:
            summary.unreadable += 1
            _document_finding(session, p.sha256, site, "document.unreadable", p.error or "unreadable")
            continue
        organ, report_year = p.report.organ or doc.organ, p.report.year or doc.year
        if not organ or not report_year:
            summary.unidentified += 1
            _document_finding(session, p.sha256, site, "document.unidentified",
                              "neither the document nor its title names the organ and year")
            continue
        if year is not None and report_year != year:
            continue
        groups[(organ, report_year)].append(p)
    session.commit()
    for (organ, report_year), new in sorted(groups.items()):
        hold(session, LOAD_LOCK)
        _load_report(session, organ, report_year, new, docs, fetches, store, summary)
        if year is None:
            _reconcile_carry_over(session, organ, report_year + 1, summary)
        session.commit()
    return summary


def ingest(session: Session, year: int | None = None, store: RawStore | None = None) -> IngestSummary:
    """Everything in one call: pending documents parsed and loaded."""
    store = store or RawStore()
    return load(session, parse_documents(pending(session, year), store), year, store)


# ---- one report -------------------------------------------------------------------------------------------


def _first_fetches(session: Session, shas: list[str]) -> dict[str, Fetch]:
    out: dict[str, Fetch] = {}
    for fetch in session.exec(select(Fetch).where(Fetch.sha256.in_(shas)).order_by(Fetch.fetched_at, Fetch.id)):
        out.setdefault(fetch.sha256, fetch)
    return out


def _source(parsed: Parsed, doc: Document | None, fetch: Fetch | None) -> Source:
    assert parsed.report is not None
    return Source(parsed.sha256, parsed.report, doc.title if doc else None,
                  fetch.fetched_at.isoformat() if fetch else "")


def _load_report(session: Session, organ: str, year: int, new: list[Parsed], docs: dict[str, Document],
                 fetches: dict[str, Fetch], store: RawStore, summary: IngestSummary) -> None:
    report = session.exec(select(Report).where(Report.organ == organ, Report.year == year)).first()
    sources = {p.sha256: p for p in new}
    if report is not None:
        for row in session.exec(select(ReportSource).where(ReportSource.report_id == report.id)):
            if row.sha256 not in sources:
                old = parse_one(row.sha256, store)
                if old.report is not None:
                    sources[row.sha256] = old
    extra = [sha for sha in sources if sha not in docs]
    if extra:
        docs.update({d.sha256: d for d in session.exec(select(Document).where(Document.sha256.in_(extra)))})
        fetches.update(_first_fetches(session, extra))
    merged = merge([_source(p, docs.get(sha), fetches.get(sha)) for sha, p in sorted(sources.items())])
    primary = merged.primary.report
    findings = primary.findings + merged.findings
    fingerprint = _fingerprint(merged, findings)
    site_id = fetches[merged.primary.sha256].site_id if merged.primary.sha256 in fetches else None
    if report is not None and report.fingerprint == fingerprint:
        summary.reports_unchanged += 1
        _reconcile_carry_over(session, organ, year, summary)
        return
    if report is None:
        summary.reports_new += 1
        summary.sites[site_id or "-"]["reports_new"] += 1
        report = Report(organ=organ, year=year, source_sha256=merged.primary.sha256, parser_version=PARSER_VERSION)
    else:
        summary.reports_updated += 1
        summary.sites[site_id or "-"]["reports_updated"] += 1
        for table in (Figure, ReportSource):
            session.execute(delete(table).where(table.report_id == report.id))
        session.execute(delete(FindingRow).where(FindingRow.report_id == report.id, FindingRow.rule != CARRY_OVER))
    site = session.get(Site, site_id) if site_id else None
    report.site_id = site_id
    report.region = site.region if site else None
    report.table2_layout, report.table3_layout = primary.table2_layout, primary.table3_layout
    report.published_at = primary.published_at
    report.source_sha256 = merged.primary.sha256
    report.supersedes_sha256 = merged.supersedes
    report.parser_version = PARSER_VERSION
    report.fingerprint = fingerprint
    report.updated_at = utcnow()
    session.add(report)
    session.flush()
    for sha, parsed in sorted(sources.items()):
        assert parsed.report is not None
        session.add(ReportSource(
            report_id=report.id, sha256=sha, role=merged.roles[sha], format=parsed.report.format,
            is_correction=_source(parsed, docs.get(sha), None).is_correction,
            figure_count=len(parsed.report.figures),
            error_count=sum(f.severity == ERROR for f in parsed.report.findings)))
    rows = [{"report_id": report.id, "key": key, "value": float(fig.value), "raw": fig.raw,
             "source_sha256": merged.primary.sha256, "location": fig.location, "table_no": int(key[1]),
             "row": fig.location.get("row"), "col": fig.location.get("col"), "page": fig.location.get("page"),
             "parser_version": PARSER_VERSION} for key, fig in sorted(primary.figures.items())]
    if rows:
        session.execute(insert(Figure), rows)
    for finding in findings:
        session.add(_finding_row(finding, report.id, site_id, _finding_source(finding, merged)))
        summary.findings[finding.rule] += 1
    _reconcile_carry_over(session, organ, year, summary)


def _finding_source(finding: Finding, merged: Merged) -> str:
    evidence = finding.evidence if isinstance(finding.evidence, dict) else {}
    return evidence.get("source") or merged.primary.sha256


def _fingerprint(merged: Merged, findings: list[Finding]) -> str:
    primary = merged.primary.report
    state = {
        "parser": PARSER_VERSION,
        "primary": merged.primary.sha256,
        "roles": sorted(merged.roles.items()),
        "supersedes": merged.supersedes,
        "meta": [primary.table2_layout, primary.table3_layout, primary.published_at],
        "figures": sorted((k, f.value, f.raw, sorted(f.location.items())) for k, f in primary.figures.items()),
        "findings": sorted(json.dumps(f.to_dict(), ensure_ascii=False, sort_keys=True, default=str)
                           for f in findings),
    }
    return hashlib.sha256(json.dumps(state, ensure_ascii=False, default=str).encode()).hexdigest()


def _finding_row(finding: Finding, report_id: int | None, site_id: str | None, source: str | None) -> FindingRow:
    return FindingRow(report_id=report_id, site_id=site_id, source_sha256=source, rule=finding.rule,
                      severity=finding.severity, message=finding.message, keys=list(finding.keys),
                      expected=finding.expected, actual=finding.actual, evidence=finding.evidence)


def _document_finding(session: Session, sha256: str, site_id: str | None, rule: str, message: str) -> None:
    session.execute(delete(FindingRow).where(FindingRow.source_sha256 == sha256, FindingRow.report_id.is_(None),
                                          FindingRow.rule == rule))
    session.add(_finding_row(Finding(rule, ERROR, message), None, site_id, sha256))


def _figures(session: Session, report_id: int) -> dict[str, float]:
    return {f.key: f.value for f in session.exec(select(Figure).where(Figure.report_id == report_id))}


def _reconcile_carry_over(session: Session, organ: str, year: int, summary: IngestSummary) -> None:
    """Identity 5 of (organ, year) against the stored report of the year before: findings made to match."""
    report = session.exec(select(Report).where(Report.organ == organ, Report.year == year)).first()
    if report is None:
        return
    previous = session.exec(select(Report).where(Report.organ == organ, Report.year == year - 1)).first()
    wanted = (validate_carry_over(_figures(session, report.id), _figures(session, previous.id), year - 1)
              if previous is not None else [])
    existing = session.exec(select(FindingRow).where(FindingRow.report_id == report.id,
                                                     FindingRow.rule == CARRY_OVER)).all()
    key = lambda keys, expected, actual: (tuple(keys), float(expected), float(actual))  # noqa: E731
    if sorted(key(r.keys, r.expected, r.actual) for r in existing) == sorted(
            key(f.keys, f.expected, f.actual) for f in wanted):
        return
    for row in existing:
        session.delete(row)
    for finding in wanted:
        session.add(_finding_row(finding, report.id, report.site_id, report.source_sha256))
        summary.findings[finding.rule] += 1
