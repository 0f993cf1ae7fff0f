"""The Prefect flows, run for real against a temporary Prefect server, on the demo portal."""

from __future__ import annotations

import pytest
from crawling import FAST, env_for, nianbao
from nianbao.models.db import session
from nianbao.models.tables import CrawlRun, Report
from sqlmodel import select

SETTINGS = [FAST[i + 1] for i, flag in enumerate(FAST) if flag == "-s"]


@pytest.fixture
def home(tmp_path, served, monkeypatch):
    env = env_for(tmp_path, served.registry(tmp_path / "sites.toml"))
    for name in ("NIANBAO_HOME", "NIANBAO_REGISTRY"):
        monkeypatch.setenv(name, env[name])
    monkeypatch.delenv("NIANBAO_DATABASE_URL", raising=False)
    return tmp_path


def test_pipeline_flow_loads_everything_once(prefect_server, served, home):
    from nianbao.flows.pipeline import pipeline_flow

    first = pipeline_flow(delay=0.0, settings=SETTINGS)
    assert first["ingest"]["reports_new"] == len(served.portal.reports)
    assert {c["site"] for c in first["crawls"]} == {"demo-trs", "demo-hanweb", "demo-xxgk"}
    assert first["health"] == {}
    second = pipeline_flow(delay=0.0, settings=SETTINGS)
    assert second["ingest"]["documents"] == 0
    assert (second["ingest"]["reports_new"], second["ingest"]["reports_updated"]) == (0, 0)
    assert all(c["documents_new"] == 0 for c in second["crawls"])
    with session() as db:
        assert len(db.exec(select(Report)).all()) == len(served.portal.reports)
        assert [r.status for r in db.exec(select(CrawlRun))] == ["finished"] * 6


def test_backfill_flow_takes_one_year(prefect_server, served, home):
    from nianbao.flows.pipeline import backfill_flow

    result = backfill_flow(year=2023, sites=["demo-trs", "demo-xxgk"], delay=0.0)
    with session() as db:
        reports = db.exec(select(Report)).all()
    assert {r.year for r in reports} == {2023}
    expected = {(r.organ, r.year) for r in served.portal.reports if r.year == 2023 and r.site != "demo-hanweb"}
    assert {(r.organ, r.year) for r in reports} == expected
    assert result["ingest"]["reports_new"] == len(expected)


def test_unreachable_site_gets_a_finding(prefect_server, home, tmp_path, monkeypatch):
    from nianbao.flows.crawl import crawl_flow

    registry = tmp_path / "dead.toml"
    registry.write_text('[[site]]\nid = "dead"\nname = "x"\nstart_urls = ["http://127.0.0.1:9/ndbg/index.html"]\n')
    monkeypatch.setenv("NIANBAO_REGISTRY", str(registry))
    result = crawl_flow(delay=0.0, settings=["RETRY_TIMES=0"])
    assert result["health"]["dead"].startswith("site.unreachable")
    assert "connection refused" in result["health"]["dead"]


def test_commands_reach_the_server_past_a_proxy(prefect_server, tmp_path):
    """With every proxy variable pointing at a dead port, the Prefect server is still reached directly
    (nianbao's health check ignores proxies; Prefect's client brings its own transport, which does too)."""
    from prefect.settings import PREFECT_API_URL

    dead = "http://127.0.0.1:9"
    env = env_for(tmp_path, tmp_path / "none.toml", PREFECT_API_URL=PREFECT_API_URL.value(), http_proxy=dead,
                  https_proxy=dead, HTTP_PROXY=dead, HTTPS_PROXY=dead, ALL_PROXY=dead)
    for name in ("no_proxy", "NO_PROXY"):
        env.pop(name, None)
    nianbao(["db", "upgrade"], env)
    result = nianbao(["ingest"], env)
    assert PREFECT_API_URL.value().removesuffix("/api") in result.stdout + result.stderr
