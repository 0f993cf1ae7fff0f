"""Organs: printed names resolved within a region, never across; codes from the bundled list; ambiguity said."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nianbao.models.db import session, writing
from nianbao.models.queries import coverage_rows, finding_rows, organ_rows, report_rows
from nianbao.models.tables import Organ, Report
from nianbao.spiders.journal import DOCUMENT, END, Journal
from nianbao.spiders.registry import SiteEntry
from sqlmodel import select

from nianbao.core import divisions, organs
from nianbao.core.deadlines import COUNTY, DEPARTMENT, STREET, TOWN
from nianbao.core.store import RawStore
from nianbao.demo import render, synth
from nianbao.ingest import crawls
from nianbao.ingest.reports import ingest

LANXI = divisions.region("某某省某某市岚溪县")


@pytest.mark.parametrize("name", ["白沙镇", "岚溪县白沙镇", "岚溪县白沙镇人民政府", "某某省某某市岚溪县白沙镇",
                                  "岚溪县 白沙镇 人民政府", "岚溪县白沙镇（党政办）", "白沙镇政府"])
def test_a_town_is_one_key_whatever_its_printed_name(name):
    assert organs.key_of(name, LANXI) == "白沙镇"


@pytest.mark.parametrize(("name", "key"), [
    ("岚溪县人民政府", ""), ("岚溪县政府", ""), ("岚溪县人民政府办公室", "政府办公室"), ("县政府办公室", "政府办公室"),
    ("岚溪县教育局", "教育局"), ("县教育局", "教育局"), ("教育局", "教育局"), ("白沙街道办事处", "白沙街道"),
    ("白沙街道办", "白沙街道"), ("ＡＢ镇", "AB镇"), ("邻县人民政府", "邻县"),
])
def test_names_reduce_to_keys(name, key):
    assert organs.key_of(name, LANXI) == key


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["白沙镇", "教育局", "白沙街道", "财政局", ""]), st.data())
def test_decorations_never_change_a_key(base, data):
    """Region prefixes, the government suffix, spaces, full-width forms and a bracketed note in any mix."""
    prefix = data.draw(st.sampled_from(["", "岚溪县", "某某市岚溪县", "某某省某某市岚溪县", "县"]))
    if not base and prefix == "县":
        prefix = "岚溪县"
    suffix = data.draw(st.sampled_from(["", "人民政府", "政府"])) if base.endswith("镇") or not base else ""
    if not base and not suffix:
        suffix = "人民政府"
    name = prefix + base + suffix + data.draw(st.sampled_from(["", "（本级）", "(机关)"]))
    spaced = "".join(ch + data.draw(st.sampled_from(["", " ", "\u3000"])) for ch in name)
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in spaced)
    assert organs.key_of(wide, LANXI) == base


def test_regions_are_read_with_the_code_list():
    pingtan = divisions.region("福建省福州市平潭县")
    assert pingtan.division.code == "350128" and pingtan.level == divisions.COUNTY
    assert divisions.region("山东省济南市市中区").division.code == "370103"
    assert divisions.region("湖北省仙桃市").division.code == "429004"
    assert divisions.region("北京市东城区").named(divisions.PROVINCE) == "北京市"
    unknown = divisions.region("某某省某某市岚溪县")
    assert unknown.division is None and unknown.parts == ("某某省", "某某市", "岚溪县") and unknown.level == divisions.COUNTY


def test_a_zone_name_means_the_government_only_by_the_registrys_rule():
    pingtan = divisions.region("福建省福州市平潭县")
    rules = organs.alias_rules({"平潭综合实验区管委会": "平潭县人民政府"}, pingtan)
    assert {organs.key_of(n, pingtan, rules) for n in ("平潭县人民政府", "平潭综合实验区管委会", "平潭综合实验区")} == {""}
    assert organs.key_of("平潭综合实验区管委会", pingtan) == "平潭综合实验区"
    row = organs.describe("", "平潭县人民政府", pingtan)
    assert (row["kind"], row["code"], row["province"], row["city"]) == (COUNTY, "350128", "福建省", "福州市")


def test_kinds_and_codes():
    assert organs.describe("白沙镇", "岚溪县白沙镇人民政府", LANXI)["kind"] == TOWN
    assert organs.describe("白沙街道", "白沙街道办事处", LANXI)["kind"] == STREET
    assert organs.describe("教育局", "岚溪县教育局", LANXI)["kind"] == DEPARTMENT
    city = divisions.region("福建省福州市")
    district = organs.describe("鼓楼区", "福州市鼓楼区人民政府", city)
    assert (district["kind"], district["code"], district["region_code"]) == (COUNTY, "350102", "350100")


def test_a_bare_stem_joins_its_one_organ_and_is_ambiguous_between_two():
    assert organs.resolve("白沙", LANXI, {"白沙镇", "教育局"}).key == "白沙镇"
    both = organs.resolve("白沙", LANXI, {"白沙镇", "白沙街道"})
    assert both.key == "白沙" and both.candidates == ("白沙街道", "白沙镇")
    assert organs.resolve("白沙", LANXI, set()) == organs.Resolution("白沙")


# ---- in the database ----------------------------------------------------------------------------------------


def _publish(db, site: SiteEntry, printed: list[tuple[str, int]], seed: int = 0) -> None:
    """Reports of ``printed`` (name, year) as one finished crawl of ``site``."""
    rng = random.Random(seed)
    job = crawls.prepare(db, site)
    out = Journal(job.journal)
    store = RawStore()
    for name, year in printed:
        t2, t3 = synth.layouts_for(year)
        spec = render.ReportSpec(name, year, synth.random_figures(rng, t2, t3), t2, t3, published_at=f"{year + 1}-01-20")
        data = render.render_html(spec, page=True)
        sha = store.put(data)
        url = f"{site.start_urls[0]}{year}/{sha[:12]}.html"
        out.write(DOCUMENT, sha256=sha, size=len(data), format="html", url=url, final_url=url, status=200,
                  title=spec.title, is_report=True, organ=name, year=year)
    out.write(END, status="finished", list_pages=1, report_documents=len(printed))
    out.close()
    crawls.record(db, job.journal)


@pytest.fixture
def home(tmp_path, database, monkeypatch):
    monkeypatch.setenv("NIANBAO_HOME", str(tmp_path))
    monkeypatch.setenv("NIANBAO_DATABASE_URL", database)
    return database


def _site(site_id: str, region: str | None, aliases: dict[str, str] | None = None) -> SiteEntry:
    return SiteEntry(site_id, site_id, (f"http://{site_id}.example/ndbg/",), region,
                     aliases=tuple(sorted((aliases or {}).items())))


def test_names_over_the_years_are_one_organ_and_the_same_name_elsewhere_is_another(home):
    lanxi, other = _site("lanxi", "某某省某某市岚溪县"), _site("other", "某某省某某市青山县")
    with writing(home) as db:
        _publish(db, lanxi, [("白沙镇", 2020), ("岚溪县白沙镇", 2021), ("岚溪县白沙镇", 2022),
                             ("岚溪县白沙镇人民政府", 2023), ("岚溪县白沙镇人民政府", 2024)])
        _publish(db, other, [("白沙镇", 2020)], seed=1)
        ingest(db)
    with session(home) as db:
        rows = organ_rows(db)
        assert len(rows) == 2
        lanxi_town = next(r for r in rows if r["region"] == "某某省某某市岚溪县")
        assert lanxi_town["organ"] == "岚溪县白沙镇人民政府" and lanxi_town["kind"] == TOWN
        assert lanxi_town["aliases"] == [{"name": "白沙镇", "first_year": 2020, "last_year": 2020},
                                         {"name": "岚溪县白沙镇", "first_year": 2021, "last_year": 2022},
                                         {"name": "岚溪县白沙镇人民政府", "first_year": 2023, "last_year": 2024}]
        assert {r["organ_id"] for r in report_rows(db) if r["region"] == "某某省某某市岚溪县"} == {lanxi_town["organ_id"]}
        # Random figures of consecutive years: the carry-over is checked across every change of name.
        identity5 = [f for f in finding_rows(db) if f["rule"] == "identity.5"]
        assert {(f["organ_id"], f["year"]) for f in identity5} == {(lanxi_town["organ_id"], y) for y in range(2021, 2025)}


def test_sites_without_a_region_never_share_an_organ(home):
    with writing(home) as db:
        _publish(db, _site("one", None), [("教育局", 2022)])
        _publish(db, _site("two", None), [("教育局", 2022)], seed=1)
        ingest(db)
    with session(home) as db:
        assert sorted((o["region"], o["organ"]) for o in organ_rows(db)) == [("site:one", "教育局"),
                                                                            ("site:two", "教育局")]


def test_an_ambiguous_stem_is_a_finding_not_a_merge(home):
    lanxi = _site("lanxi", "某某省某某市岚溪县")
    with writing(home) as db:
        _publish(db, lanxi, [("岚溪县白沙镇", 2022), ("岚溪县白沙街道", 2022), ("白沙", 2023), ("岚溪县白沙镇", 2023)])
        ingest(db)
    with session(home) as db:
        assert sorted(o.key for o in db.exec(select(Organ))) == ["白沙", "白沙街道", "白沙镇"]
        ambiguous = [f for f in finding_rows(db) if f["rule"] == "organ.ambiguous"]
        assert [(f["printed_name"], f["year"], f["expected"]) for f in ambiguous] == [
            ("白沙", 2023, ["白沙街道", "白沙镇"])]


def test_the_registrys_aliases_join_a_zone_to_its_government_and_codes_come_along(home):
    pingtan = _site("pingtan", "福建省福州市平潭县", {"平潭综合实验区管委会": "平潭县人民政府"})
    with writing(home) as db:
        _publish(db, pingtan, [("平潭县人民政府", 2019), ("平潭综合实验区管委会", 2020), ("平潭综合实验区", 2021),
                               ("平潭县人民政府", 2023)])
        ingest(db)
    with session(home) as db:
        (organ,) = organ_rows(db)
        assert (organ["kind"], organ["code"], organ["region_code"]) == (COUNTY, "350128", "350128")
        assert [a["name"] for a in organ["aliases"]] == ["平潭县人民政府", "平潭综合实验区管委会", "平潭综合实验区"]
        (row,) = coverage_rows(db)
        assert (row["2022"], row["missing"]) == ("missing", 1)
        gaps = [f for f in finding_rows(db) if f["rule"] == "coverage.missing_year"]
        assert [(f["organ_id"], f["expected"]) for f in gaps] == [(organ["organ_id"], 2022)]
        assert db.exec(select(Report.organ_id).distinct()).all() == [organ["organ_id"]]


def test_the_migration_makes_organs_of_the_reports_already_stored(bare_database):
    """A database of revision 0004 (reports on free-text names) upgraded: organs, aliases, reports and findings
    pointing at them; two reports that turn out to be one organ's year merged by the next load."""
    import json

    import sqlalchemy
    from alembic import command
    from nianbao.models import db as dbmod

    from nianbao.core.parse import PARSER_VERSION, parse_bytes
    from nianbao.ingest.reports import load

    command.upgrade(dbmod.alembic_config(bare_database), "0004")
    engine = sqlalchemy.create_engine(bare_database)
    rng = random.Random(5)
    stored = [("白沙镇", 2020), ("岚溪县白沙镇", 2021), ("白沙镇", 2021), ("岚溪县教育局", 2021)]
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text("INSERT INTO sites (id, name, region, start_urls, domains) "
                                     "VALUES ('lanxi', 'lanxi', '某某省某某市岚溪县', '[]', '[]')"))
        conn.execute(sqlalchemy.text("INSERT INTO crawl_runs (id, site_id, status, started_at, stats) "
                                     "VALUES ('run', 'lanxi', 'finished', CURRENT_TIMESTAMP, '{}')"))
        for n, (name, year) in enumerate(stored):
            t2, t3 = synth.layouts_for(year)
            spec = render.ReportSpec(name, year, synth.random_figures(rng, t2, t3), t2, t3,
                                     published_at=f"{year + 1}-01-20")
            record = parse_bytes(render.render_html(spec, page=True)).to_record()
            sha = f"{n:064x}"
            conn.execute(sqlalchemy.text(
                "INSERT INTO documents (sha256, size, format, is_report, organ, year, first_seen_at) "
                "VALUES (:sha, 1, 'html', true, :organ, :year, CURRENT_TIMESTAMP)"), {"sha": sha, "organ": name, "year": year})
            conn.execute(sqlalchemy.text(
                "INSERT INTO fetches (url, final_url, sha256, site_id, crawl_run_id, status, size, fetched_at, checked_at) "
                "VALUES (:url, :url, :sha, 'lanxi', 'run', 200, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                {"url": f"http://lanxi.example/{n}.html", "sha": sha})
            conn.execute(sqlalchemy.text(
                "INSERT INTO parses (sha256, parser_version, parsed_at, organ, year, result, loaded) "
                "VALUES (:sha, :v, CURRENT_TIMESTAMP, :organ, :year, :result, true)"),
                {"sha": sha, "v": PARSER_VERSION, "organ": name, "year": year, "result": json.dumps(record)})
            report_id = conn.execute(sqlalchemy.text(
                "INSERT INTO reports (organ, year, site_id, region, table_format, source_sha256, parser_version, "
                "fingerprint, updated_at) VALUES (:organ, :year, 'lanxi', '某某省某某市岚溪县', '2019+', :sha, :v, '', "
                "CURRENT_TIMESTAMP) RETURNING id"), {"organ": name, "year": year, "sha": sha, "v": PARSER_VERSION}).scalar()
            conn.execute(sqlalchemy.text(
                "INSERT INTO report_sources (report_id, sha256, role, format, is_correction, figure_count, error_count) "
                "VALUES (:r, :sha, 'primary', 'html', false, 1, 0)"), {"r": report_id, "sha": sha})
            conn.execute(sqlalchemy.text(
                "INSERT INTO findings (report_id, rule, severity, message, keys, created_at) "
                "VALUES (:r, 'timeliness.unknown', 'info', 'm', '[]', CURRENT_TIMESTAMP)"), {"r": report_id})
    engine.dispose()
    dbmod.upgrade(bare_database)
    with session(bare_database) as db:
        by_key = {o.key: o for o in db.exec(select(Organ))}
        assert set(by_key) == {"白沙镇", "教育局"} and by_key["白沙镇"].kind == TOWN
        reports = {(r.organ, r.year): r.organ_id for r in db.exec(select(Report))}
        # The two 2021 reports of the town were taken out, to be merged by the next load.
        assert reports == {("白沙镇", 2020): by_key["白沙镇"].id, ("岚溪县教育局", 2021): by_key["教育局"].id}
        assert {f["organ_id"] for f in finding_rows(db)} == {by_key["白沙镇"].id, by_key["教育局"].id}
    with writing(bare_database) as db:
        load(db)
    with session(bare_database) as db:
        rows = {(r["organ_id"], r["year"]): r for r in report_rows(db)}
        town_id, bureau_id = by_key["白沙镇"].id, by_key["教育局"].id
        assert set(rows) == {(town_id, 2020), (town_id, 2021), (bureau_id, 2021)}
        town = next(o for o in organ_rows(db) if o["organ_id"] == by_key["白沙镇"].id)
        assert [(a["name"], a["first_year"], a["last_year"]) for a in town["aliases"]] == [
            ("白沙镇", 2020, 2021), ("岚溪县白沙镇", 2021, 2021)]
        sources = {s["sha256"] for s in rows[(town_id, 2021)]["sources"]}
        assert sources == {f"{1:064x}", f"{2:064x}"}
    command.downgrade(dbmod.alembic_config(bare_database), "0004")
    command.upgrade(dbmod.alembic_config(bare_database), "head")
