"""Crawl, ingest and load the demo portal on SQLite and on PostgreSQL; figures equal the known ones."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from crawling import crawl, env_for, nianbao
from databases import stored_figures
from nianbao.models.db import session
from nianbao.models.queries import coverage_rows, figure_rows, finding_rows, organ_rows, report_rows
from nianbao.models.tables import Document, Figure, FindingRow, Report, ReportSource
from sqlmodel import select

from nianbao.core.parse import parse_stored
from nianbao.ingest.reports import PARALLEL_FROM, ingest, parse_documents


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
    assert broken and {(r["printed_name"], r["year"]) for r in rows} == broken
    assert {tuple(r["keys"]) for r in rows} >= {("t3.carried_over.natural_person", "t3.carried_forward.natural_person")}


def test_a_report_published_after_its_deadline_is_late(home, served):
    crawl(home)
    with session() as db:
        ingest(db)
        rows = [r for r in finding_rows(db) if r["rule"].startswith("timeliness.")]
    late = [r for r in served.portal.reports if "timeliness.late" in r.breaks]
    assert late and [(r["rule"], r["printed_name"], r["year"]) for r in rows] == [
        ("timeliness.late", r.organ, r.year) for r in late]
    assert rows[0]["actual"] == late[0].published_at and rows[0]["expected"] == f"{late[0].year + 1}-01-31"


def test_correction_supersedes_and_sources_are_recorded(home, served):
    crawl(home)
    with session() as db:
        ingest(db)
        reports = {(r["printed_name"], r["year"]): r for r in report_rows(db)}
        findings = finding_rows(db)
    corrected = next(r for r in served.portal.reports if r.superseded_urls)
    row = reports[(corrected.organ, corrected.year)]
    assert row["supersedes_url"] in {served.url + u for u in corrected.superseded_urls}
    assert row["source_url"] in {served.url + u for u in corrected.urls}
    roles = {s["role"] for s in row["sources"]}
    assert "superseded" in roles and "primary" in roles
    assert not [f for f in findings if (f["printed_name"], f["year"]) == (corrected.organ, corrected.year)
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


def test_every_organ_of_the_portal_is_one_organ_whatever_it_printed(home, served):
    crawl(home)
    with session() as db:
        ingest(db)
        reports = {(r["printed_name"], r["year"]): r for r in report_rows(db)}
        organs = {o["organ_id"]: o for o in organ_rows(db)}
        gaps = [(f["organ"], f["expected"]) for f in finding_rows(db) if f["rule"] == "coverage.missing_year"]
        covered = coverage_rows(db)
    ids: dict[str, set[int]] = {}
    for report in served.portal.reports:
        ids.setdefault(report.entity, set()).add(reports[(report.organ, report.year)]["organ_id"])
    assert all(len(found) == 1 for found in ids.values()) and len(organs) == len(ids)
    town = organs[next(iter(ids["某某县城关镇人民政府"]))]
    assert town["organ"] == "某某县城关镇人民政府" and town["kind"] == "town"
    assert [(a["name"], a["first_year"], a["last_year"]) for a in town["aliases"]] == [
        ("城关镇", 2019, 2020), ("某某县城关镇", 2021, 2022), ("某某县城关镇人民政府", 2023, 2024)]
    district = organs[next(iter(ids["某某区人民政府"]))]
    assert district["kind"] == "county_government" and len(district["aliases"]) == 2
    skipped = {(r.entity, y) for r in served.portal.reports for y in (r.year + 1,)
               if y < 2025 and not any(o.entity == r.entity and o.year == y for o in served.portal.reports)}
    assert gaps == [(organs[next(iter(ids[e]))]["organ"], y) for e, y in sorted(skipped)] and gaps
    row = next(r for r in covered if r["organ"] == gaps[0][0])
    assert row[str(gaps[0][1])] == "missing" and row["missing"] == 1


@pytest.mark.slow
def test_wide_exports_read_back_in_pandas_and_duckdb_as_the_database_holds_them(home, served, tmp_path):
    import duckdb
    import pandas as pd

    crawl(home)
    with session() as db:
        ingest(db)
        stored = stored_figures(db)
        reports = report_rows(db)
    for fmt in ("csv", "parquet", "xlsx"):
        nianbao(["export", "reports", "--wide", "--format", fmt, "-o", str(tmp_path / f"wide.{fmt}")], home)
    frames = {"parquet": pd.read_parquet(tmp_path / "wide.parquet", dtype_backend="numpy_nullable"),
              "csv": pd.read_csv(tmp_path / "wide.csv", dtype_backend="numpy_nullable"),
              "xlsx": pd.read_excel(tmp_path / "wide.xlsx", sheet_name="reports")}
    amount, count = "t2.admin_fees.amount_10k_yuan", "t3.new_received.total"
    assert str(frames["parquet"][count].dtype) == "Int64" and str(frames["csv"][count].dtype) == "Int64"
    assert all(isinstance(v, Decimal) for v in frames["parquet"][amount].dropna())
    for fmt, frame in frames.items():
        assert len(frame) == len(reports), fmt
        for _, row in frame.iterrows():
            want = stored[(row["printed_name"], row["year"])]
            got = {k: float(row[k]) for k in frame.columns if k[:2] in ("t2", "t3", "t4") and not pd.isna(row[k])}
            assert got == want, (fmt, row["printed_name"], row["year"])
    types = {r[0]: r[1] for r in duckdb.sql(f"DESCRIBE SELECT * FROM '{tmp_path / 'wide.parquet'}'").fetchall()}
    assert (types[count], types[amount], types["legacy.fees_10k_yuan"]) == ("BIGINT", "DECIMAL(18,4)", "DECIMAL(18,4)")
    csv_types = {r[0]: r[1] for r in duckdb.sql(f"DESCRIBE SELECT * FROM read_csv('{tmp_path / 'wide.csv'}')").fetchall()}
    assert csv_types[count] == "BIGINT" and csv_types["organ_id"] == "BIGINT"
    labels = pd.read_excel(tmp_path / "wide.xlsx", sheet_name="keys")
    assert set(labels["key"]) >= {c for c in frames["xlsx"].columns if c[:2] in ("t2", "t3", "t4")}
    assert labels.set_index("key").loc[count, "label"].endswith("本年新收政府信息公开申请数量 · 总计")


def test_parses_from_the_workers_are_the_parsers_own_records(home):
    """Worker processes hand parses over as JSON text in batches: what is stored reads back as the record the
    parser made, unreadable documents included, in the order asked for, as when parsed in this process."""
    crawl(home)
    with session() as db:
        shas = [d.sha256 for d in db.exec(select(Document).where(Document.is_report == True))]
    shas = sorted(shas) + ["0" * 64]
    assert len(shas) > PARALLEL_FROM
    in_workers = list(parse_documents(shas, workers=2))
    assert in_workers == list(parse_documents(shas, workers=1))
    assert [r[0] for r in in_workers] == shas
    for sha, organ, year, text, error in in_workers:
        record = parse_stored(sha)[1]
        assert (json.loads(text) if text else None, organ, year) == (
            record, record and record["organ"], record and record["year"])
        assert (error is None) == (record is not None)
