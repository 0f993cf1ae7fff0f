"""Opening the database: SQLite under ``NIANBAO_HOME`` or any URL.

The schema is migrated once, by :func:`upgrade` (``nianbao db upgrade``, and the
commands that create a new database); every other opening checks the schema's
revision and stops with a clear message when it is behind.

Writers open :func:`session` with ``write=True``. On SQLite their transactions
begin with ``BEGIN IMMEDIATE``, so a second writer waits for the first (bounded
by ``NIANBAO_DB_LOCK_TIMEOUT``) instead of failing halfway; on PostgreSQL,
:func:`hold` takes an advisory lock where writers must not interleave.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import orjson
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

from nianbao.core import config

_MIGRATIONS = Path(__file__).parent / "migrations"
_migrate_lock = threading.Lock()

# Keys of the PostgreSQL advisory locks that let several workers share one database.
MIGRATE_LOCK = 0x6E62_0001
LOAD_LOCK = 0x6E62_0002
_WRITE = "nianbao_write"


class SchemaError(RuntimeError):
    """The database does not exist yet, or its schema is older than this nianbao."""


class DatabaseBusy(RuntimeError):
    """Another process held the SQLite database's write lock for longer than the lock timeout."""


class JSONText(str):
    """A value already encoded as JSON text, written to a JSON column as it is."""


def json_text(value: object) -> str:
    """JSON columns' text: orjson, because a load encodes and decodes millions of small values (figures'
    locations, stored parses), where the standard library's encoder is most of the cost."""
    if isinstance(value, JSONText):
        return value
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def json_value(text: str | int | float) -> object:
    # SQLite gives a JSON column's plain number back as a number (the column's affinity is NUMERIC).
    return text if isinstance(text, (int, float)) else orjson.loads(text)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@lru_cache(maxsize=1)
def head() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def engine(url: str | None = None) -> Engine:
    """An engine on ``url`` (default: :func:`nianbao.core.config.database_url`); nothing is migrated."""
    return _engine(url or config.database_url())


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    eng = create_engine(url, pool_pre_ping=True, json_serializer=json_text, json_deserializer=json_value)
    if eng.dialect.name == "sqlite":
        timeout_ms = int(config.settings().db_lock_timeout * 1000)

        @event.listens_for(eng, "connect")
        def _connect(dbapi_connection, _record) -> None:
            # The driver's own transaction handling off, so that BEGIN is ours to emit.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={timeout_ms}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(eng, "begin")
        def _begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")

    return eng


def revision(url: str | None = None) -> str | None:
    """The schema revision the database is at; None when it has no nianbao schema."""
    with engine(url).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(url: str | None = None) -> str:
    """Migrate the database to this nianbao's schema (creating it if need be); returns the revision."""
    url = url or config.database_url()
    with _migrate_lock, engine(url).execution_options(**{_WRITE: True}).connect() as connection:
        raw = connection.connection.dbapi_connection
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite alters a table by copying it; its foreign keys are checked once the copy is whole.
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            # A writer's transaction, so that two first openings of one SQLite file queue instead of racing.
            with connection.begin():
                hold(connection, MIGRATE_LOCK)
                cfg = alembic_config(url)
                cfg.attributes["connection"] = connection
                command.upgrade(cfg, "head")
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise SchemaError("the migration left rows pointing at rows that do not exist; nothing was changed")
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys=ON")
    _checked.discard(url)
    return head()


_checked: set[str] = set()


def check(url: str | None = None) -> None:
    """Stop with a clear message unless the database is at this nianbao's schema revision."""
    url = url or config.database_url()
    if url in _checked:
        return
    at = revision(url)
    if at != head():
        where = _describe(url)
        if at is None:
            raise SchemaError(f"{where} holds no nianbao database yet: run `nianbao db upgrade` "
                              "(or a crawl, which creates it)")
        raise SchemaError(f"{where} is at schema revision {at}, this nianbao needs {head()}: "
                          "run `nianbao db upgrade`")
    _checked.add(url)


def prepare(url: str | None = None) -> None:
    """For the commands that may create the database: create it when it is new, else check it."""
    url = url or config.database_url()
    if url not in _checked and revision(url) is None and not inspect(engine(url)).get_table_names():
        upgrade(url)
    check(url)


def _describe(url: str) -> str:
    return f"the database {engine(url).url.render_as_string(hide_password=True)}"


def hold(connection: Connection | Session, key: int) -> None:
    """Hold ``key`` until the current transaction ends, across processes and machines.

    Only PostgreSQL needs it: a SQLite writer already holds the only write lock.
    """
    dialect = connection.dialect if isinstance(connection, Connection) else connection.get_bind().dialect
    if dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def session(url: str | None = None, write: bool = False) -> Session:
    """A session on a database at this nianbao's schema; ``write`` for the transactions that write."""
    url = url or config.database_url()
    check(url)
    bind = engine(url)
    return Session(bind.execution_options(**{_WRITE: True}) if write else bind, expire_on_commit=False)


@contextmanager
def writing(url: str | None = None) -> Iterator[Session]:
    """A write session; a SQLite write lock held too long by another process becomes :class:`DatabaseBusy`."""
    url = url or config.database_url()
    try:
        with session(url, write=True) as db:
            yield db
    except OperationalError as exc:
        if "database is locked" in str(exc):
            raise DatabaseBusy(f"{_describe(url)} stayed locked by another nianbao process for more than "
                               f"{config.settings().db_lock_timeout:g} s (NIANBAO_DB_LOCK_TIMEOUT); "
                               "nothing was lost: run again when it has finished") from exc
        raise
