"""Ingest killed at any moment, or run twice at once, loses no report and loads none twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from crawling import crawl, env_for
from databases import stored_figures
from nianbao.models.db import session
from nianbao.models.tables import Parse, Report
from sqlmodel import func, select

INGEST = ("from nianbao.models.db import writing\n"
          "from nianbao.ingest.reports import ingest\n"
          "with writing() as db:\n"
          "    print(ingest(db).to_dict())\n")


@pytest.fixture
def crawled(tmp_path, database, served):
    env = env_for(tmp_path, served.registry(tmp_path / "sites.toml"), NIANBAO_DATABASE_URL=database)
    crawl(env)
    return env


def _ingest(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", INGEST], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def _as_published(env: dict[str, str], served) -> None:
    with session(env["NIANBAO_DATABASE_URL"]) as db:
        stored = stored_figures(db)
        assert db.exec(select(func.count()).select_from(Report)).one() == len(served.portal.reports)
        assert db.exec(select(func.count()).select_from(Parse).where(Parse.loaded == False)).one() == 0
    for report in served.portal.reports:
        assert stored[(report.organ, report.year)] == {k: float(v) for k, v in report.figures.items()}


def test_an_ingest_killed_at_any_moment_is_finished_by_the_next(crawled, served):
    # Killed while parsing, between the parse and the load, and while loading; each time the re-run finishes it.
    for after in (0.5, 1.5, 2.5, 3.5):
        process = _ingest(crawled)
        time.sleep(after)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    process = _ingest(crawled)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    _as_published(crawled, served)


def test_two_ingests_at_once_load_each_report_once(crawled, served):
    processes = [_ingest(crawled) for _ in range(2)]
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    _as_published(crawled, served)
