"""Opening the database: SQLite under ``NIANBAO_HOME`` or any URL, migrated to the newest schema."""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, create_engine

from nianbao.core import config

_MIGRATIONS = Path(__file__).parent / "migrations"
_migrate_lock = threading.Lock()

# Keys of the PostgreSQL advisory locks that let several workers share one database.
MIGRATE_LOCK = 0x6E62_0001
LOAD_LOCK = 0x6E62_0002


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Several crawl processes share one file: WAL lets readers run beside the
    # writer, and the busy timeout makes writers queue instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def engine(url: str | None = None) -> Engine:
    """An engine on ``url`` (default: :func:`nianbao.core.config.database_url`), its schema migrated."""
    return _engine(url or config.database_url())


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    eng = create_engine(url, pool_pre_ping=True)
    if eng.dialect.name == "sqlite":
        event.listen(eng, "connect", _sqlite_pragmas)
    with _migrate_lock, eng.begin() as connection:
        hold(connection, MIGRATE_LOCK)
        cfg = alembic_config(url)
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
    return eng


def hold(connection: Connection | Session, key: int) -> None:
    """Hold ``key`` until the current transaction ends, across processes and machines.

    Only PostgreSQL needs it: SQLite already lets one writer in at a time.
    """
    dialect = connection.dialect if isinstance(connection, Connection) else connection.get_bind().dialect
    if dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def session(url: str | None = None) -> Session:
    return Session(engine(url), expire_on_commit=False)
