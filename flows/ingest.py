"""The ingest flow: pending report documents parsed (results stored), then loaded as validated reports."""

from __future__ import annotations

from typing import Any

from nianbao.models.db import prepare, session, writing
from nianbao.models.tables import FindingRow, Report
from prefect import flow, task
from prefect.artifacts import create_progress_artifact, create_table_artifact, update_progress_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from sqlmodel import select

from nianbao.ingest import reports


@task(task_run_name="parse pending documents", cache_policy=NO_CACHE)
def parse_task(year: int | None, sites: list[str] | None) -> int:
    progress = create_progress_artifact(0.0, key="parse-progress", description="documents parsed (percent)")

    def advance(done: int, total: int) -> None:
        update_progress_artifact(progress, 100.0 * done / total)

    with writing() as db:
        return reports.parse_pending(db, year, sites, progress=advance)


@task(task_run_name="merge, validate and load", cache_policy=NO_CACHE)
def load_task(year: int | None, sites: list[str] | None, parsed: int) -> dict[str, Any]:
    with writing() as db:
        summary = reports.load(db, year, sites)
    summary.documents = parsed
    return summary.to_dict()


def _name() -> str:
    params = flow_run.parameters or {}
    year, sites = params.get("year"), params.get("sites")
    return "ingest " + (",".join(sites) + " " if sites else "") + (str(year) if year else "all years")


@flow(name="ingest", flow_run_name=_name)
def ingest_flow(year: int | None = None, sites: list[str] | None = None) -> dict[str, Any]:
    """Parse every stored report document not yet parsed by this parser version, then load what is pending.

    ``sites`` keeps it to the documents fetched from those sites: a flow run that crawled
    some sites ingests what it found, and leaves the rest to the runs that crawl them.
    """
    prepare()
    summary = load_task(year, sites, parse_task(year, sites))
    with session() as db:
        query = select(FindingRow, Report).join(Report, Report.id == FindingRow.report_id)
        if year is not None:
            query = query.where(Report.year == year)
        rows = [{"organ": r.organ, "year": r.year, "rule": f.rule, "severity": f.severity, "keys": ", ".join(f.keys),
                 "expected": str(f.expected), "actual": str(f.actual), "message": f.message}
                for f, r in db.exec(query.order_by(Report.organ, Report.year, FindingRow.rule).limit(1000)).all()]
    create_table_artifact(rows, key="findings", description="findings (the first 1000)")
    return summary
