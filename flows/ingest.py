"""The ingest flow: stored report documents parsed in batches, merged into reports, validated and loaded."""

from __future__ import annotations

from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.artifacts import create_table_artifact
from prefect.runtime import flow_run
from sqlmodel import select

from nianbao.ingest import reports as ingest
from nianbao.models.db import session
from nianbao.models.tables import FindingRow, Report

BATCH = 50


@task(task_run_name="parse {count} documents", cache_policy=NO_CACHE)
def parse_batch(shas: list[str], count: int) -> list[ingest.Parsed]:
    return ingest.parse_documents(shas)


@task(task_run_name="merge, validate and load {count} documents", cache_policy=NO_CACHE)
def load_all(parsed: list[ingest.Parsed], count: int, year: int | None) -> ingest.IngestSummary:
    # One load over every parsed document, so that a report's sources meet in one merge
    # however the batches fell.
    with session() as db:
        return ingest.load(db, parsed, year)


def _name() -> str:
    params = flow_run.parameters or {}
    year, sites = params.get("year"), params.get("sites")
    return "ingest " + (",".join(sites) + " " if sites else "") + (str(year) if year else "all years")


@flow(name="ingest", flow_run_name=_name)
def ingest_flow(year: int | None = None, sites: list[str] | None = None) -> dict[str, Any]:
    """Parse and load every stored report document not yet parsed by this parser version.

    ``sites`` keeps it to the documents fetched from those sites: a flow run that crawled
    some sites ingests what it found, and leaves the rest to the runs that crawl them.
    """
    with session() as db:
        shas = ingest.pending(db, year, sites)
    parsed: list[ingest.Parsed] = []
    for start in range(0, len(shas), BATCH):
        batch = shas[start:start + BATCH]
        parsed += parse_batch(batch, len(batch))
    summary = load_all(parsed, len(parsed), year)
    with session() as db:
        query = select(FindingRow, Report).join(Report, Report.id == FindingRow.report_id)
        if year is not None:
            query = query.where(Report.year == year)
        rows = [{"organ": r.organ, "year": r.year, "rule": f.rule, "severity": f.severity, "keys": ", ".join(f.keys),
                 "expected": str(f.expected), "actual": str(f.actual), "message": f.message}
                for f, r in db.exec(query.order_by(Report.organ, Report.year, FindingRow.rule)).all()]
    create_table_artifact(rows[:1000], key="findings", description=f"findings ({len(rows)} in all)")
    return summary.to_dict()
