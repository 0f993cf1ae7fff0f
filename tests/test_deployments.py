"""The deployments: their schedules, and runs through a real Prefect server and process workers.

The server test follows the README's "Deployments" section step by step: start a
server, create the work pool, deploy, trigger a backfill, start a worker.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
import sqlalchemy
import yaml
from crawling import env_for
from databases import PG_URL, fresh_postgres, stored_figures
from nianbao.models.db import session
from nianbao.models.tables import Report
from prefect.server.schemas.schedules import CronSchedule
from sqlmodel import select

ROOT = Path(__file__).resolve().parents[1]
PREFECT_FILE = ROOT / "deployments" / "prefect.yaml"
PREFECT = [sys.executable, "-m", "prefect"]
PREFECT_DB = "nianbao_prefect_test"


def deployments() -> dict[str, dict]:
    return {d["name"]: d for d in yaml.safe_load(PREFECT_FILE.read_text(encoding="utf-8"))["deployments"]}


def run_days(name: str, year: int) -> set[date]:
    days: set[date] = set()
    for schedule in deployments()[name].get("schedules", []):
        zone = ZoneInfo(schedule["timezone"])
        cron = CronSchedule(cron=schedule["cron"], timezone=schedule["timezone"],
                            day_or=schedule.get("day_or", True))
        dates = asyncio.run(cron.get_dates(n=1000, start=datetime(year, 1, 1, tzinfo=zone),
                                           end=datetime(year, 12, 31, 23, tzinfo=zone)))
        days |= {d.astimezone(zone).date() for d in dates}
    return days


@pytest.mark.parametrize("year", [2027, 2028])
def test_weekly_outside_the_season_daily_inside(year):
    every_day = {date(year, 1, 1) + timedelta(days=i) for i in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)}
    season = {d for d in every_day if date(year, 1, 15) <= d <= date(year, 3, 31)}
    assert run_days("season", year) == season
    assert run_days("weekly", year) == {d for d in every_day - season if d.weekday() == 0}
    assert not run_days("backfill", year) and not run_days("sites", year)


def test_every_entrypoint_names_a_flow():
    from prefect.flows import load_flow_from_entrypoint

    names = {}
    for name, deployment in deployments().items():
        path, function = deployment["entrypoint"].split(":")
        names[name] = load_flow_from_entrypoint(str(ROOT / path) + ":" + function).name
    assert names == {"weekly": "pipeline", "season": "pipeline", "backfill": "backfill", "spread": "spread",
                     "sites": "pipeline"}


def test_spread_shares_the_sites_out_in_order():
    from nianbao.flows.spread import shares

    assert shares(["a", "b", "c", "d", "e"], 2) == [["a", "b"], ["c", "d"], ["e"]]
    assert shares(["a", "b"], 5) == [["a", "b"]]
    with pytest.raises(ValueError, match="per_run must be at least 1"):
        shares(["a"], 0)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prefect(args: list[str], env: dict[str, str], timeout: float = 300) -> str:
    result = subprocess.run(PREFECT + args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise AssertionError(f"prefect {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def prefect_database(url: str, create: bool) -> str:
    """A fresh database for the Prefect server, beside the one the flows load into (dropped with ``create=False``)."""
    server = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(sqlalchemy.text(f"DROP DATABASE IF EXISTS {PREFECT_DB} WITH (FORCE)"))
        if create:
            conn.execute(sqlalchemy.text(f"CREATE DATABASE {PREFECT_DB}"))
    server.dispose()
    return sqlalchemy.make_url(url).set(drivername="postgresql+asyncpg", database=PREFECT_DB).render_as_string(
        hide_password=False)


@pytest.fixture(scope="module")
def prefect_env(tmp_path_factory):
    """A Prefect server of its own, its work pool created and the deployments deployed."""
    home = tmp_path_factory.mktemp("prefect")
    port = free_port()
    env = dict(os.environ, PREFECT_HOME=str(home), DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false", PWD=str(ROOT),
               PREFECT_WORKER_QUERY_SECONDS="2",
               PREFECT_API_URL=f"http://127.0.0.1:{port}/api")
    if PG_URL:
        # As the README advises for several workers: on SQLite the server's own database
        # stalls for a minute at a time under their heartbeats and logs.
        env["PREFECT_API_DATABASE_CONNECTION_URL"] = prefect_database(PG_URL, create=True)
    log = open(home / "server.log", "w")
    server = subprocess.Popen(PREFECT + ["server", "start", "--host", "127.0.0.1", "--port", str(port),
                                         "--analytics-off"], env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        prefect(["server", "status", "--wait", "--timeout", "120"], env)
        prefect(["work-pool", "create", "nianbao", "--type", "process", "--overwrite"], env)
        prefect(["--no-prompt", "deploy", "--all", "--prefect-file", "deployments/prefect.yaml"], env)
        yield env
    finally:
        stop(server)
        log.close()
        if PG_URL:
            prefect_database(PG_URL, create=False)


def api(env: dict[str, str], path: str, body: dict | None = None):
    url = env["PREFECT_API_URL"] + path
    response = requests.post(url, json=body or {}, timeout=10) if body is not None else requests.get(url, timeout=10)
    response.raise_for_status()
    return response.json()


def test_deployments_load_with_their_schedules(prefect_env):
    loaded = {d["name"]: d for d in api(prefect_env, "/deployments/filter", {})}
    assert set(loaded) == set(deployments())
    schedules = {name: sorted(s["schedule"]["cron"] for s in d["schedules"]) for name, d in loaded.items()}
    assert schedules["weekly"] == ["0 2 * 4-12 1", "0 2 1-14 1 1"]
    assert schedules["season"] == ["0 2 * 2-3 *", "0 2 15-31 1 *"]
    assert schedules["backfill"] == schedules["spread"] == schedules["sites"] == []
    assert loaded["backfill"]["parameter_openapi_schema"]["required"] == ["year"]
    for deployment in loaded.values():
        assert deployment["pull_steps"] == [
            {"prefect.deployments.steps.set_working_directory": {"directory": str(ROOT)}},
            {"nianbao.flows.steps.upgrade_database": {}}]


def flow_run_id(output: str) -> str:
    match = re.search(r"UUID: ([0-9a-f-]{36})", output)
    assert match, output
    return match.group(1)


def test_backfill_through_a_worker_touches_only_that_year(prefect_env, served, tmp_path):
    env = {**env_for(tmp_path, served.registry(tmp_path / "sites.toml")), **prefect_env}
    run = flow_run_id(prefect(["deployment", "run", "backfill/backfill", "-p", "year=2023", "-p", "delay=0"], env))
    prefect(["worker", "start", "--pool", "nianbao", "--run-once"], env)
    state = api(env, f"/flow_runs/{run}")
    assert (state["name"], state["state_type"]) == ("backfill all sites 2023", "COMPLETED")
    with session(f"sqlite:///{tmp_path / 'nianbao.db'}") as db:
        loaded = {(r.organ, r.year) for r in db.exec(select(Report))}
    assert loaded == {(r.organ, r.year) for r in served.portal.reports if r.year == 2023}


def ran_by(worker_log: str) -> set[str]:
    """The flow runs a worker took; both workers may try a run, and the server turns one away."""
    tried = set(re.findall(r"submitting flow run '([0-9a-f-]{36})'", worker_log))
    return tried - set(re.findall(r"Aborted submission of flow run '([0-9a-f-]{36})'", worker_log))


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="NIANBAO_TEST_DATABASE_URL is not set")
def test_sites_spread_over_two_workers_sharing_postgresql(prefect_env, served, tmp_path):
    env = {**env_for(tmp_path, served.registry(tmp_path / "sites.toml"), NIANBAO_DATABASE_URL=fresh_postgres(PG_URL)),
           **prefect_env}
    logs = [tmp_path / f"worker{i}.log" for i in (1, 2)]
    workers = [subprocess.Popen(PREFECT + ["worker", "start", "--pool", "nianbao", "--name", log.stem, "--limit", "2"],
                                env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT,
                                start_new_session=True) for log in logs]
    try:
        run = flow_run_id(prefect(["deployment", "run", "spread/spread", "-p", "delay=0", "--watch",
                                   "--watch-timeout", "240"], env))
    finally:
        for worker in workers:
            stop(worker)
    state = api(env, f"/flow_runs/{run}")
    assert state["state_type"] == "COMPLETED"
    children = api(env, "/flow_runs/filter", {"flow_runs": {"parent_flow_run_id": {"any_": [run]}}})
    taken = {json.dumps(r["parameters"]["sites"]): r["state_type"] for r in children}
    assert taken == {'["demo-trs"]': "COMPLETED", '["demo-hanweb"]': "COMPLETED", '["demo-xxgk"]': "COMPLETED"}
    ran = [ran_by(log.read_text()) for log in logs]
    assert all(ran) and sorted(ran[0] | ran[1]) == sorted([run] + [r["id"] for r in children]), ran
    with session(env["NIANBAO_DATABASE_URL"]) as db:
        stored = stored_figures(db)
    assert stored == {(r.organ, r.year): {k: float(v) for k, v in r.figures.items()} for r in served.portal.reports}
