"""Crawl, ingest and load the demo portal on SQLite and on PostgreSQL; figures equal the known ones."""

from __future__ import annotations

import pytest
from crawling import crawl, env_for
from databases import stored_figures
from nianbao.models.db import session
from nianbao.models.queries import figure_rows, finding_rows, report_rows
from nianbao.models.tables import Figure, FindingRow, Report, ReportSource
from sqlmodel import select

from nianbao.ingest.reports import ingest


@pytest.fixture
def home(tmp_path, database, served, monkeypatch):
    env = env_for(tmp_path, served.registry(tmp_path / "sites.toml"), NIANBAO_DATABASE_URL=database)
    for name in ("NIANBAO_HOME", "NIANBAO_REGISTRY", "NIANBAO_DATABASE_URL"):
        monkeypatch.setenv(name, env[name])
    return env


def test_figures_equal_the_known_ones_and_a_second_run_adds_nothing(home, served):
    crawl(home)
    with session() as db:
        summary = ingest(db)
        assert summary.reports_new == len(served.portal.reports) and summary.unreadable == 0
        stored = stored_figures(db)
        for report in served.portal.reports:
            assert stored[(report.organ, report.year)] == {k: float(v) for k, v in report.figures.items()}
        counts = [len(db.exec(select(t)).all()) for t in (Report, Figure, FindingRow, ReportSource)]
    crawl(home)
    with session() as db:
        again = ingest(db)
        assert (again.documents, again.reports_new, again.reports_updated) == (0, 0, 0)
        assert [len(db.exec(select(t)).all()) for t in (Report, Figure, FindingRow, ReportSource)] == counts


def test_identity5_findings_where_the_demo_breaks_it(home, served):
    crawl(home)
    with session() as db:
        ingest(db)
        rows = [r for r in finding_rows(db) if r["rule"] == "identity.5"]
    broken = {(r.organ, r.year) for r in served.portal.reports if "identity.5" in r.breaks}
    assert broken and {(r["organ"], r["year"]) for r in rows} == broken
    assert {tuple(r["keys"]) for r in rows} >= {("t3.carried_over.natural_person", "t3.carried_forward.natural_person")}


def test_a_report_published_after_its_deadline_is_late(home, served):
    crawl(home)
    with session() as db:
        ingest(db)
        rows = [r for r in finding_rows(db) if r["rule"].startswith("timeliness.")]
    late = [r for r in served.portal.reports if "timeliness.late" in r.breaks]
    assert late and [(r["rule"], r["organ"], r["year"]) for r in rows] == [
        ("timeliness.late", r.organ, r.year) for r in late]
    assert rows[0]["actual"] == late[0].published_at and rows[0]["expected"] == f"{late[0].year + 1}-01-31"


def test_correction_supersedes_and_sources_are_recorded(home, served):
    crawl(home)
    with session() as db:
        ingest(db)
        reports = {(r["organ"], r["year"]): r for r in report_rows(db)}
        findings = finding_rows(db)
    corrected = next(r for r in served.portal.reports if r.superseded_urls)
    row = reports[(corrected.organ, corrected.year)]
    assert row["supersedes_url"] in {served.url + u for u in corrected.superseded_urls}
    assert row["source_url"] in {served.url + u for u in corrected.urls}
    roles = {s["role"] for s in row["sources"]}
    assert "superseded" in roles and "primary" in roles
    assert not [f for f in findings if (f["organ"], f["year"]) == (corrected.organ, corrected.year)
                and f["rule"] == "identity.2"]
    twice = [r for r in served.portal.reports if len(r.urls) == 2 and r.urls[0].endswith(".html")]
    assert twice and all({s["role"] for s in reports[(r.organ, r.year)]["sources"]} >= {"primary", "alternate"}
                         for r in twice)
    assert not [f for f in findings if f["rule"] == "sources.disagree"]


def test_figure_rows_carry_provenance(home, served):
    crawl(home, "--site", "demo-xxgk")
    with session() as db:
        ingest(db)
        rows = figure_rows(db)
    assert rows and all(r["source_url"].startswith(served.url) and len(r["document_sha256"]) == 64 for r in rows)
    assert all(r["table"] == int(r["key"][1]) and (r["raw"] != "" or r["value"] == 0) for r in rows)
    assert {r["method"] for r in rows} == {"label"}
    pdf = [r for r in rows if r["source_url"].endswith(".pdf")]
    assert pdf and all(r["page"] for r in pdf)
    html = [r for r in rows if r["source_url"].endswith(".html")]
    assert html and all(r["row"] is not None and r["col"] is not None for r in html)


def test_backfill_touches_only_that_year(home, served):
    crawl(home)
    with session() as db:
        ingest(db, year=2022)
        years = {r.year for r in db.exec(select(Report))}
    assert years == {2022}
