"""Scale-out: the registry's sites spread over flow runs of a deployment, for any worker of its pool to take.

Each flow run crawls and ingests its share of the sites; the workers share one
PostgreSQL database (``NIANBAO_DATABASE_URL``) and one raw store (``NIANBAO_HOME``
on a shared mount).
"""

from __future__ import annotations

import time
from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.client.orchestration import get_client
from prefect.deployments import run_deployment
from prefect.runtime import flow_run

from nianbao.flows.crawl import resolve

POLL = 2.0


def shares(site_ids: list[str], per_run: int) -> list[list[str]]:
    if per_run < 1:
        raise ValueError(f"per_run must be at least 1, not {per_run}")
    return [site_ids[i:i + per_run] for i in range(0, len(site_ids), per_run)]


def _name() -> str:
    year = (flow_run.parameters or {}).get("year")
    return "spread all sites" + (f" {year}" if year else "")


@flow(name="spread", flow_run_name=_name)
def spread_flow(year: int | None = None, sites: list[str] | None = None, per_run: int = 1,
                deployment: str = "pipeline/sites", delay: float = 1.0) -> dict[str, Any]:
    """Start one run of ``deployment`` per ``per_run`` sites (all registry sites by default) and wait for them all."""
    site_ids = [entry.id for entry in resolve(sites)]
    runs = []
    for share in shares(site_ids, per_run):
        runs.append((share, run_deployment(deployment, parameters={"sites": share, "year": year, "delay": delay},
                                           tags=[f"site:{s}" for s in share], timeout=0)))
    get_run_logger().info("%d sites spread over %d runs of %s", len(site_ids), len(runs), deployment)
    finished = {}
    with get_client(sync_client=True) as client:
        while len(finished) < len(runs):
            for _, run in runs:
                if run.id not in finished:
                    current = client.read_flow_run(run.id)
                    if current.state is not None and current.state.is_final():
                        finished[run.id] = current
            if len(finished) < len(runs):
                time.sleep(POLL)
    done = {site: finished[run.id] for share, run in runs for site in share}
    states = {site: f"{run.name}: {run.state.name}" for site, run in done.items()}
    lines = ["| site | flow run: state |", "|---|---|"] + [f"| {s} | {states[s]} |" for s in site_ids]
    create_markdown_artifact("\n".join(lines), key="spread", description=f"{len(runs)} runs of {deployment}")
    failed = sorted(site for site, run in done.items() if not run.state.is_completed())
    if failed:
        raise RuntimeError(f"runs of {deployment} did not complete for: {', '.join(failed)}")
    return states
