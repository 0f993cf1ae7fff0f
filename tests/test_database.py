"""Migrations once: openings check the schema revision; ``nianbao db upgrade`` moves it; SQLite has one writer."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime

import pytest
from alembic import command
from crawling import nianbao
from nianbao.models import db
from nianbao.models.bulk import insert_rows
from nianbao.models.tables import Document, FindingRow, Site
from sqlalchemy import inspect
from sqlmodel import select


def test_a_database_that_does_not_exist_is_not_created_by_reading_it(bare_database):
    with pytest.raises(db.SchemaError, match="nianbao db upgrade"):
        db.session(bare_database)


@pytest.mark.slow
def test_an_older_schema_stops_openings_until_upgraded(bare_database, tmp_path):
    command.upgrade(db.alembic_config(bare_database), "0002")
    with pytest.raises(db.SchemaError, match=r"revision 0002.*nianbao db upgrade"):
        db.session(bare_database)
    env = {"NIANBAO_DATABASE_URL": bare_database, "NIANBAO_HOME": str(tmp_path)}
    status = nianbao(["db", "status"], env, check=False)
    assert status.returncode == 1 and "schema revision 0002" in status.stdout
    assert db.head() in nianbao(["db", "upgrade"], env).stdout
    assert nianbao(["db", "status"], env).returncode == 0
    with db.session(bare_database) as s:
        assert s.exec(select(Site)).all() == []


def test_upgrade_twice_is_harmless(database):
    assert db.upgrade(database) == db.upgrade(database) == db.head()


@pytest.fixture
def sqlite_file(tmp_path, monkeypatch):
    def at(timeout: float) -> str:
        monkeypatch.setenv("NIANBAO_DB_LOCK_TIMEOUT", str(timeout))
        db._engine.cache_clear()
        return url

    url = f"sqlite:///{tmp_path / 'nianbao.db'}"
    db.upgrade(url)
    yield at
    db._engine.cache_clear()


def _hold_write_lock(path: str, seconds: float) -> threading.Thread:
    """Another writer (a plain sqlite3 connection, as another process would be) holding the write lock."""
    locked = threading.Event()

    def hold() -> None:
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        locked.set()
        time.sleep(seconds)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=hold)
    thread.start()
    locked.wait()
    return thread


def _add_site(url: str, site_id: str) -> None:
    with db.writing(url) as s:
        s.add(Site(id=site_id, name=site_id, start_urls=[], domains=[]))
        s.commit()


def test_a_second_sqlite_writer_waits_for_the_first(sqlite_file):
    url = sqlite_file(10)
    holder = _hold_write_lock(url.removeprefix("sqlite:///"), 1.0)
    started = time.monotonic()
    _add_site(url, "waited")
    assert time.monotonic() - started >= 0.9
    holder.join()
    with db.session(url) as s:
        assert [site.id for site in s.exec(select(Site))] == ["waited"]


def test_a_second_sqlite_writer_stops_clearly_when_the_lock_outlasts_its_patience(sqlite_file):
    url = sqlite_file(0.3)
    holder = _hold_write_lock(url.removeprefix("sqlite:///"), 1.5)
    with pytest.raises(db.DatabaseBusy, match="NIANBAO_DB_LOCK_TIMEOUT"):
        _add_site(url, "impatient")
    holder.join()
    with db.session(url) as s:
        assert s.exec(select(Site)).all() == []


def test_bulk_rows_on_sqlite_are_stored_as_sqlalchemy_stores_them(tmp_path):
    """The driver's executemany with the column types' own conversions: JSON (None as JSON null too),
    datetimes, booleans and the columns' defaults come out as from SQLAlchemy's insert, byte for byte."""
    stored = {}
    for how in ("core", "bulk"):
        url = f"sqlite:///{tmp_path / how}.db"
        db.upgrade(url)
        documents = [{"sha256": f"{i:064x}", "size": i, "format": "html", "content_type": "text/html",
                      "filename": None, "title": f"标题{i}", "is_report": i % 2 == 0, "organ": None, "year": 2020 + i,
                      "first_seen_at": datetime(2024, 1, 2, 3, 4, i, i * 1000, tzinfo=UTC)}
                     for i in range(3)]
        findings = [{"source_sha256": f"{i:064x}", "rule": "identity.1", "severity": "error", "message": "式一",
                     "keys": ["t1.a", "t2.b"], "expected": i or None, "actual": {"值": [1, 2.5]}, "evidence": None}
                    for i in range(3)]
        with db.writing(url) as s:
            if how == "core":
                s.execute(Document.__table__.insert(), documents)
                s.execute(FindingRow.__table__.insert(), findings)
            else:
                insert_rows(s, Document, documents)
                insert_rows(s, FindingRow, findings)
            s.commit()
        path = str(tmp_path / f"{how}.db")
        with sqlite3.connect(path) as raw:
            stored[how] = (raw.execute("SELECT * FROM documents ORDER BY sha256").fetchall(),
                           raw.execute("SELECT id, source_sha256, rule, severity, message, keys, expected, actual, "
                                       "evidence, typeof(created_at) FROM findings ORDER BY id").fetchall())
    assert stored["bulk"] == stored["core"]
    assert stored["bulk"][1][1][6:9] == (1, '{"值":[1,2.5]}', "null")


def test_figures_are_looked_up_by_report_through_their_unique_index(database):
    """One index per lookup: (report_id, key) serves lookups by report, and a load writes no second one."""
    with db.session(database) as s:
        inspector = inspect(s.connection())
        indexes = {tuple(ix["column_names"]) for ix in inspector.get_indexes("figures")}
        uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints("figures")}
    assert ("report_id",) not in indexes
    assert ("report_id", "key") in uniques | indexes
    command.downgrade(db.alembic_config(database), "0005")
    with db.session(database) as s:
        assert ("report_id",) in {tuple(ix["column_names"]) for ix in inspect(s.connection()).get_indexes("figures")}
    db.upgrade(database)
