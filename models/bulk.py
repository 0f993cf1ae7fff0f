"""Writing many rows at once: executemany on SQLite, COPY on PostgreSQL, upserts on both."""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from nianbao.models.db import json_text
from sqlalchemy import JSON, Dialect, Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, SQLModel


def _table(model: type[SQLModel] | Table) -> Table:
    return model if isinstance(model, Table) else model.__table__  # type: ignore[attr-defined]


def insert_rows(session: Session, model: type[SQLModel] | Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts of column values; every row the same keys)."""
    if not rows:
        return
    table = _table(model)
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        _copy(session, table, rows)
    elif dialect.name == "sqlite" and _plain_defaults(table, rows[0]):
        _executemany(session, dialect, table, rows)
    else:
        session.execute(table.insert(), list(rows))


def _plain_defaults(table: Table, row: dict[str, Any]) -> bool:
    """Whether every column the rows leave out is empty or has a value or function as its default."""
    return all(c.default is None or c.default.is_scalar or c.default.is_callable for c in table.c if c.name not in row)


def _executemany(session: Session, dialect: Dialect, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """The driver's own executemany, each value converted by its column type as SQLAlchemy converts it:
    SQLAlchemy's per-row work costs more than SQLite's own when a load writes millions of figures."""
    names = list(rows[0])
    defaulted = [c for c in table.c if c.name not in rows[0] and c.default is not None]
    columns = names + [c.name for c in defaulted]
    processors = [(i, p) for i, name in enumerate(columns)
                  if (p := table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) is not None]
    defaults = [(c.default.arg, c.default.is_callable) for c in defaulted]
    pick = itemgetter(*names)
    quote = dialect.identifier_preparer.quote

    def values(row: dict[str, Any]) -> Sequence[Any]:
        picked = pick(row)
        out = [picked] if len(names) == 1 else list(picked)
        out += [arg(None) if call else arg for arg, call in defaults]
        for i, process in processors:
            out[i] = process(out[i])
        return out

    cursor = session.connection().connection.driver_connection.cursor()
    # Most tables' rows need no conversion: their picked values go to the driver as they are.
    converted = map(pick, rows) if len(names) > 1 and not processors and not defaults else map(values, rows)
    cursor.executemany(f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, columns))}) "
                       f"VALUES ({', '.join('?' * len(columns))})", converted)


def _copy(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    names = list(rows[0])
    as_json = {n for n in names if isinstance(table.c[n].type, JSON)}
    cursor = session.connection().connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([json_text(row[n]) if n in as_json and row[n] is not None
                            else row[n] for n in names])


def upsert(session: Session, model: type[SQLModel] | Table, rows: Sequence[dict[str, Any]], keys: Sequence[str],
           update: Sequence[str] = ()) -> None:
    """Insert ``rows``; a row whose ``keys`` exist already updates the ``update`` columns (or is skipped)."""
    if not rows:
        return
    table = _table(model)
    dialect = session.get_bind().dialect.name
    statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(table)
    if update:
        statement = statement.on_conflict_do_update(index_elements=list(keys),
                                                    set_={c: statement.excluded[c] for c in update})
    else:
        statement = statement.on_conflict_do_nothing(index_elements=list(keys))
    session.execute(statement, list(rows))
