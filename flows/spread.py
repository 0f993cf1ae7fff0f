"""Scale-out: the registry's sites spread over flow runs of a deployment, for any worker of its pool to take.

Each flow run crawls and ingests its share of the sites; the workers share one
PostgreSQL database (``NIANBAO_DATABASE_URL``) and one raw store (``NIANBAO_HOME``
on a shared mount). ``spread`` waits for its runs with Prefect's own
``wait_for_flow_run``, up to ``timeout`` seconds.
"""

from __future__ import annotations

import asyncio
from typing import Any

from nianbao.flows.crawl import resolve
from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment
from prefect.exceptions import FlowRunWaitTimeout
from prefect.flow_runs import wait_for_flow_run
from prefect.runtime import flow_run


def shares(site_ids: list[str], per_run: int) -> list[list[str]]:
    if per_run < 1:
        raise ValueError(f"per_run must be at least 1, not {per_run}")
    return [site_ids[i:i + per_run] for i in range(0, len(site_ids), per_run)]


def _name() -> str:
    year = (flow_run.parameters or {}).get("year")
    return "spread all sites" + (f" {year}" if year else "")


async def _finished(run: FlowRun, timeout: int) -> FlowRun | None:
    try:
        return await wait_for_flow_run(run.id, timeout=timeout)
    except FlowRunWaitTimeout:
        return None


@flow(name="spread", flow_run_name=_name)
async def spread_flow(year: int | None = None, sites: list[str] | None = None, per_run: int = 1,
                      deployment: str = "pipeline/sites", delay: float = 1.0,
                      timeout: int = 24 * 3600) -> dict[str, Any]:
    """Start one run of ``deployment`` per ``per_run`` sites (all registry sites by default) and wait for them all,
    at most ``timeout`` seconds."""
    site_ids = [entry.id for entry in resolve(sites)]
    runs = []
    for share in shares(site_ids, per_run):
        runs.append((share, await run_deployment(deployment, parameters={"sites": share, "year": year, "delay": delay},
                                                 tags=[f"site:{s}" for s in share], timeout=0)))
    get_run_logger().info("%d sites spread over %d runs of %s", len(site_ids), len(runs), deployment)
    finished = await asyncio.gather(*(_finished(run, timeout) for _, run in runs))
    done = {site: (run, end) for (share, run), end in zip(runs, finished) for site in share}
    states = {site: f"{run.name}: {end.state.name if end else f'not finished after {timeout} s'}"
              for site, (run, end) in done.items()}
    lines = ["| site | flow run: state |", "|---|---|"] + [f"| {s} | {states[s]} |" for s in site_ids]
    await create_markdown_artifact("\n".join(lines), key="spread", description=f"{len(runs)} runs of {deployment}")
    failed = sorted(site for site, (_, end) in done.items() if end is None or not end.state.is_completed())
    if failed:
        raise RuntimeError(f"runs of {deployment} did not complete for: {', '.join(failed)}")
    return states
