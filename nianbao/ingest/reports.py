"""Ingest: stored report documents → parsed → one report per organ and year → validated → loaded.

Two steps, each safe to kill and run again:

1. **parse** — every report document without a parse by this parser version is
   parsed (in worker processes when the batch is big enough to pay for them) and
   the result stored in ``parses``, ``loaded`` false, a batch per commit;
2. **load** — parses not yet loaded, grouped by organ and year, a chunk of reports
   per transaction: merged with the stored parses of each report's other sources
   (never parsed again), validated, and written — reports, sources, figures,
   findings — in the same transaction that marks those parses loaded.

Idempotent: a report is rewritten only when its fingerprint (parser version,
primary source, sources and roles, findings) changes; identity-5 findings are
reconciled rather than appended.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Any

from sqlalchemy import delete, or_, tuple_, update
from sqlmodel import Session, select

from nianbao.core.deadlines import timeliness
from nianbao.core.findings import Finding
from nianbao.core.keys import table_number
from nianbao.core.merge import Merged, Source, merge
from nianbao.core.organs import precedence
from nianbao.core.parse import PARSER_VERSION, ParsedReport, parse_stored
from nianbao.core.rules import Rule
from nianbao.core.store import RawStore
from nianbao.core.validate import validate_carry_over
from nianbao.ingest.organs import Directory, finding_row, reconcile_coverage, refresh
from nianbao.models.bulk import insert_rows, upsert
from nianbao.models.db import LOAD_LOCK, JSONText, hold, json_text
from nianbao.models.tables import Document, Fetch, Figure, FindingRow, Organ, Parse, Report, ReportSource, utcnow

PARSE_BATCH = 200
# Documents per task sent to a parse worker, and tasks in flight per worker.
PARSE_TASK = 16
PARSE_WINDOW = 4
LOAD_CHUNK = 200
# Below this many documents, starting worker processes costs more than it saves.
PARALLEL_FROM = 64
_CARRY = ("t3.carried_over.", "t3.carried_forward.")


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


def _from_sites(query, column, sites: list[str] | None):
    if sites:
        query = query.where(column.in_(select(Fetch.sha256).where(Fetch.site_id.in_(sites))))
    return query


# ---- parse -------------------------------------------------------------------------------------------------


def pending(session: Session, year: int | None = None, sites: list[str] | None = None) -> list[str]:
    """Report documents without a parse by this parser version (of ``year``, fetched from ``sites``, if given)."""
    query = (select(Document.sha256).outerjoin(Parse, Parse.sha256 == Document.sha256)
             .where(Document.is_report == True,
                    or_(Parse.sha256.is_(None), Parse.parser_version != PARSER_VERSION)))
    if year is not None:
        query = query.where(Document.year == year)
    return sorted(session.exec(_from_sites(query, Document.sha256, sites)).all())


# A parse as the workers hand it over: sha256, organ, year, the record as JSON text, why it cannot be read.
Parsed = tuple[str, str | None, int | None, JSONText | None, str | None]


def parse_documents(shas: list[str], store: RawStore | None = None, workers: int | None = None) -> Iterator[Parsed]:
    """Each document's parse (:func:`~nianbao.core.parse.parse_stored`, its record as JSON text), in order;
    in worker processes when there are enough documents to pay for them."""
    root = str((store or RawStore()).root)
    workers = workers or min(4, os.cpu_count() or 1)
    if len(shas) < PARALLEL_FROM or workers < 2:
        for sha in shas:
            yield from _parse_batch([sha], root)
        return
    # forkserver: the flows run this inside threads, which fork does not copy safely.
    with ProcessPoolExecutor(workers, mp_context=get_context("forkserver")) as pool:
        # Documents go to the workers a few at a time, and come back as JSON text: one by one, or as
        # records to unpickle, this process's share costs as much as a parse. A bounded window of batches
        # in flight (Executor.map submits everything at once): results wait for the database in memory
        # only as far as the window.
        window: deque = deque()
        for start in range(0, len(shas), PARSE_TASK):
            window.append(pool.submit(_parse_batch, shas[start:start + PARSE_TASK], root))
            if len(window) >= PARSE_WINDOW * workers:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()


def _parse_batch(shas: list[str], root: str) -> list[Parsed]:
    out = []
    for sha in shas:
        _, record, error = parse_stored(sha, root)
        out.append((sha, None, None, None, error) if record is None else
                   (sha, record["organ"], record["year"], JSONText(json_text(record)), error))
    return out


def store_parses(session: Session, results: list[Parsed]) -> None:
    """Store parse results, not yet loaded; the organ and year fall back on the document's title."""
    titles = {d.sha256: d for d in session.exec(select(Document).where(Document.sha256.in_([r[0] for r in results])))}
    rows = []
    for sha, organ, year, record, error in results:
        doc = titles[sha]
        rows.append({"sha256": sha, "parser_version": PARSER_VERSION, "parsed_at": utcnow(), "error": error,
                     "organ": organ or doc.organ, "year": year or doc.year, "result": record, "loaded": False})
    upsert(session, Parse, rows, ["sha256"], [c for c in rows[0] if c != "sha256"])


def parse_pending(session: Session, year: int | None = None, sites: list[str] | None = None,
                  store: RawStore | None = None, progress: Callable[[int, int], None] | None = None) -> int:
    """Parse and store every pending document, committing batch by batch; returns how many were parsed."""
    shas = pending(session, year, sites)
    session.commit()
    batch: list = []
    done = 0
    for result in parse_documents(shas, store):
        batch.append(result)
        if len(batch) == PARSE_BATCH:
            done += _commit_parses(session, batch, progress, len(shas), done)
            batch = []
    if batch:
        done += _commit_parses(session, batch, progress, len(shas), done)
    return done


def _commit_parses(session: Session, batch: list, progress, total: int, done: int) -> int:
    store_parses(session, batch)
    session.commit()
    if progress is not None:
        progress(done + len(batch), total)
    return len(batch)


# ---- load --------------------------------------------------------------------------------------------------


def load(session: Session, year: int | None = None, sites: list[str] | None = None,
         summary: IngestSummary | None = None) -> IngestSummary:
    """Load every stored parse not yet loaded (of ``year``, fetched from ``sites``, if given)."""
    summary = summary or IngestSummary()
    query = select(Parse.sha256, Parse.organ, Parse.year, Parse.error).where(
        Parse.loaded == False, Parse.parser_version == PARSER_VERSION)
    if year is not None:
        query = query.where(Parse.year == year)
    rows = session.exec(_from_sites(query, Parse.sha256, sites)).all()
    session.commit()
    named: list[tuple[str, str, int]] = []
    failed: list[tuple[str, Rule, str]] = []
    for sha, organ, report_year, error in sorted(rows):
        if error is not None:
            failed.append((sha, Rule.DOCUMENT_UNREADABLE, error))
        elif not organ or not report_year:
            failed.append((sha, Rule.DOCUMENT_UNIDENTIFIED, "neither the document nor its title names the organ "
                                                            "and year it reports on"))
        else:
            named.append((sha, organ, report_year))
    if failed:
        hold(session, LOAD_LOCK)
        _document_findings(session, failed, summary)
        session.commit()
    if not named:
        return summary
    # Organs are resolved (and new ones created) before the reports are grouped by them.
    hold(session, LOAD_LOCK)
    directory = Directory(session)
    sites = {sha: f.site_id for sha, f in _first_fetches(session, [sha for sha, _, _ in named]).items()}
    groups: dict[tuple[int, int], list[str]] = defaultdict(list)
    for sha, organ, report_year in sorted(named, key=lambda n: (precedence(n[1]), n)):
        groups[(directory.resolve(organ, sites.get(sha))[0], report_year)].append(sha)
    session.commit()
    keys = sorted(groups)
    touched: set[int] = set()
    for start in range(0, len(keys), LOAD_CHUNK):
        chunk = {key: groups[key] for key in keys[start:start + LOAD_CHUNK]}
        hold(session, LOAD_LOCK)
        # A directory per chunk: between chunks the lock is let go, and another ingest may add organs.
        _Chunk(session, chunk, summary, Directory(session), reconcile_next=year is None).load()
        session.commit()
        touched |= {organ_id for organ_id, _ in chunk}
    hold(session, LOAD_LOCK)
    for finding in reconcile_coverage(session, touched):
        summary.findings[finding.rule.id] += 1
    session.commit()
    return summary


def ingest(session: Session, year: int | None = None, sites: list[str] | None = None,
           store: RawStore | None = None) -> IngestSummary:
    """Both steps in one call."""
    summary = IngestSummary()
    summary.documents = parse_pending(session, year, sites, store)
    return load(session, year, sites, summary)


def _document_findings(session: Session, failed: list[tuple[str, Rule, str]], summary: IngestSummary) -> None:
    shas = [sha for sha, _, _ in failed]
    session.execute(delete(FindingRow).where(FindingRow.source_sha256.in_(shas), FindingRow.report_id.is_(None),
                                             FindingRow.rule.in_([Rule.DOCUMENT_UNREADABLE.id,
                                                                  Rule.DOCUMENT_UNIDENTIFIED.id])))
    sites = {sha: f.site_id for sha, f in _first_fetches(session, shas).items()}
    insert_rows(session, FindingRow, [finding_row(Finding(rule, message), None, None, sites.get(sha), sha)
                                      for sha, rule, message in failed])
    for _, rule, _ in failed:
        if rule is Rule.DOCUMENT_UNREADABLE:
            summary.unreadable += 1
        else:
            summary.unidentified += 1
    session.execute(update(Parse).where(Parse.sha256.in_(shas)).values(loaded=True))


def _first_fetches(session: Session, shas: list[str]) -> dict[str, Fetch]:
    out: dict[str, Fetch] = {}
    for fetch in session.exec(select(Fetch).where(Fetch.sha256.in_(shas)).order_by(Fetch.fetched_at, Fetch.id)):
        out.setdefault(fetch.sha256, fetch)
    return out


class _Chunk:
    """Some reports' worth of pending parses, written in one transaction."""

    def __init__(self, session: Session, groups: dict[tuple[int, int], list[str]], summary: IngestSummary,
                 directory: Directory, reconcile_next: bool):
        self.session = session
        self.groups = groups
        self.summary = summary
        self.directory = directory
        self.reconcile_next = reconcile_next

    def load(self) -> None:
        session = self.session
        keys = list(self.groups)
        existing = {(r.organ_id, r.year): r for r in session.exec(
            select(Report).where(tuple_(Report.organ_id, Report.year).in_(keys)))}
        sources: dict[tuple[int, int], set[str]] = {key: set(shas) for key, shas in self.groups.items()}
        by_id = {r.id: key for key, r in existing.items()}
        for report_id, sha in session.exec(select(ReportSource.report_id, ReportSource.sha256)
                                           .where(ReportSource.report_id.in_(list(by_id)))):
            sources[by_id[report_id]].add(sha)
        shas = sorted(set().union(*sources.values()))
        parses = {p.sha256: p for p in session.exec(select(Parse.sha256, Parse.organ, Parse.year, Parse.result).where(
            Parse.sha256.in_(shas), Parse.parser_version == PARSER_VERSION, Parse.error.is_(None)))}
        docs = {d.sha256: d for d in session.exec(select(Document).where(Document.sha256.in_(shas)))}
        fetches = _first_fetches(session, shas)
        site_of = {sha: fetches[sha].site_id if sha in fetches else None for sha in shas}
        kinds = dict(session.exec(select(Organ.id, Organ.kind).where(Organ.id.in_([k[0] for k in keys]))).all())
        writes = []
        for key in keys:
            # A source whose stored parse now names another organ or year belongs to that report.
            own = [p for sha in sorted(sources[key]) if (p := parses.get(sha)) is not None and p.organ
                   and (self.directory.resolve(p.organ, site_of[sha])[0], p.year) == key]
            if not own:
                continue
            merged = merge([Source(p.sha256, ParsedReport.from_record(p.result), docs[p.sha256].title,
                                   fetches[p.sha256].fetched_at.isoformat() if p.sha256 in fetches else "")
                            for p in own])
            findings = merged.primary.report.findings + merged.findings
            for name in sorted({p.organ for p in own}):
                ambiguous = self.directory.ambiguity(name, site_of[own[0].sha256])
                if ambiguous is not None:
                    findings.append(ambiguous)
            late = timeliness(kinds[key[0]], key[1], merged.primary.report.published_at)
            if late is not None:
                findings.append(late)
            fingerprint = _fingerprint(merged, findings)
            report = existing.get(key)
            site_id = fetches[merged.primary.sha256].site_id if merged.primary.sha256 in fetches else None
            if report is not None and report.fingerprint == fingerprint:
                self.summary.reports_unchanged += 1
                continue
            counter = "reports_new" if report is None else "reports_updated"
            setattr(self.summary, counter, getattr(self.summary, counter) + 1)
            self.summary.sites[site_id or "-"][counter] += 1
            writes.append((key, report, merged, findings, fingerprint, site_id))
        self._write(writes, {p.sha256: p.organ for p in parses.values()})
        session.execute(update(Parse).where(Parse.sha256.in_([s for g in self.groups.values() for s in g]))
                        .values(loaded=True))
        refresh(session, {organ_id for organ_id, _ in keys})
        touched = set(keys) | ({(organ, year + 1) for organ, year in keys} if self.reconcile_next else set())
        _reconcile_carry_over(session, touched, self.summary)

    def _write(self, writes: list, printed: dict[str, str]) -> None:
        session = self.session
        stale = [report.id for _, report, *_ in writes if report is not None]
        if stale:
            for table in (Figure, ReportSource):
                session.execute(delete(table).where(table.report_id.in_(stale)))
            session.execute(delete(FindingRow).where(FindingRow.report_id.in_(stale),
                                                     FindingRow.rule != Rule.IDENTITY_5.id))
        now = utcnow()
        rows = []
        regions = dict(self.session.exec(select(Organ.id, Organ.region)
                                         .where(Organ.id.in_([key[0] for key, *_ in writes]))).all())
        for (organ_id, year), report, merged, _, fingerprint, site_id in writes:
            primary = merged.primary.report
            row = {"organ_id": organ_id, "organ": printed[merged.primary.sha256], "year": year, "site_id": site_id,
                   "region": regions[organ_id] or None,
                   "table_format": primary.table_format,
                   "table2_layout": primary.table2_layout, "table3_layout": primary.table3_layout,
                   "published_at": primary.published_at, "source_sha256": merged.primary.sha256,
                   "supersedes_sha256": merged.supersedes, "parser_version": PARSER_VERSION,
                   "fingerprint": fingerprint, "updated_at": now}
            rows.append(row if report is None else {"id": report.id, **row})
        updated = [r for r in rows if "id" in r]
        if updated:
            session.execute(update(Report), updated)
        ids = {(r.organ_id, r.year): r.id for _, r, *_ in writes if r is not None}
        created = [r for r in rows if "id" not in r]
        if created:
            returned = session.execute(Report.__table__.insert().returning(
                Report.__table__.c.id, Report.__table__.c.organ_id, Report.__table__.c.year), created)
            ids.update({(organ_id, year): rid for rid, organ_id, year in returned})
        figures, sources, findings = [], [], []
        for key, _, merged, found, _, site_id in writes:
            report_id = ids[key]
            primary = merged.primary
            for sha, role in sorted(merged.roles.items()):
                source = merged.sources[sha]
                sources.append({"report_id": report_id, "sha256": sha, "role": role, "format": source.report.format,
                                "is_correction": source.is_correction, "figure_count": len(source.report.figures),
                                "error_count": source.errors})
            for k, fig in sorted(primary.report.figures.items()):
                loc = fig.location
                figures.append({"report_id": report_id, "key": k, "value": float(fig.value), "raw": fig.raw,
                                "source_sha256": primary.sha256, "location": loc, "table_no": table_number(k), "method": fig.method,
                                "row": loc.get("row"), "col": loc.get("col"), "page": loc.get("page"),
                                "parser_version": PARSER_VERSION})
            for finding in found:
                findings.append(finding_row(finding, report_id, key[0], site_id, _finding_source(finding, merged)))
                self.summary.findings[finding.rule.id] += 1
        insert_rows(session, Figure, figures)
        insert_rows(session, ReportSource, sources)
        insert_rows(session, FindingRow, findings)


def _finding_source(finding: Finding, merged: Merged) -> str:
    evidence = finding.evidence if isinstance(finding.evidence, dict) else {}
    return evidence.get("source") or merged.primary.sha256


def _fingerprint(merged: Merged, findings: list[Finding]) -> str:
    # The figures and layouts written are the primary's stored parse as it is: fixed by its sha256 and the
    # parser version, both named here, so they need not be hashed figure by figure.
    state = {
        "parser": PARSER_VERSION,
        "primary": merged.primary.sha256,
        "roles": sorted(merged.roles.items()),
        "supersedes": merged.supersedes,
        "findings": sorted(json.dumps(f.to_dict(), ensure_ascii=False, sort_keys=True, default=str)
                           for f in findings),
    }
    return hashlib.sha256(json.dumps(state, ensure_ascii=False, default=str).encode()).hexdigest()


def _reconcile_carry_over(session: Session, keys: set[tuple[int, int]], summary: IngestSummary) -> None:
    """Identity 5 of each (organ, year) against the stored report of the year before, whatever names the
    organ printed in the two years: findings made to match."""
    wanted_keys = keys | {(organ, year - 1) for organ, year in keys}
    reports = {(organ, year): (rid, site, source) for rid, organ, year, site, source in session.exec(
        select(Report.id, Report.organ_id, Report.year, Report.site_id, Report.source_sha256)
        .where(tuple_(Report.organ_id, Report.year).in_(list(wanted_keys))))}
    ids = [rid for rid, _, _ in reports.values()]
    figures: dict[int, dict[str, float]] = defaultdict(dict)
    for rid, key, value in session.exec(select(Figure.report_id, Figure.key, Figure.value).where(
            Figure.report_id.in_(ids), or_(*(Figure.key.startswith(p) for p in _CARRY)))):
        figures[rid][key] = value
    existing: dict[int, list[FindingRow]] = defaultdict(list)
    for row in session.exec(select(FindingRow).where(FindingRow.report_id.in_(ids),
                                                     FindingRow.rule == Rule.IDENTITY_5.id)):
        existing[row.report_id].append(row)

    def signature(keys_, expected, actual):
        return tuple(keys_), float(expected), float(actual)

    stale, fresh = [], []
    for organ, year in sorted(keys):
        if (organ, year) not in reports:
            continue
        rid, site, source = reports[(organ, year)]
        previous = reports.get((organ, year - 1))
        wanted = validate_carry_over(figures[rid], figures[previous[0]], year - 1) if previous else []
        if sorted(signature(r.keys, r.expected, r.actual) for r in existing[rid]) == sorted(
                signature(f.keys, f.expected, f.actual) for f in wanted):
            continue
        stale += [r.id for r in existing[rid]]
        for finding in wanted:
            fresh.append(finding_row(finding, rid, organ, site, source))
            summary.findings[finding.rule.id] += 1
    if stale:
        session.execute(delete(FindingRow).where(FindingRow.id.in_(stale)))
    insert_rows(session, FindingRow, fresh)
