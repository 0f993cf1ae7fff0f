"""The databases tests load into: a fresh PostgreSQL schema, and what a database holds of the figures."""

from __future__ import annotations

import os

import sqlalchemy
from nianbao.models.db import _checked, _engine
from nianbao.models.tables import Figure, Report
from sqlmodel import select

PG_URL = os.environ.get("NIANBAO_TEST_DATABASE_URL")


def fresh_postgres(url: str) -> str:
    # Fails, not skips, when the variable is set and the server is unreachable.
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text("DROP SCHEMA public CASCADE"))
        conn.execute(sqlalchemy.text("CREATE SCHEMA public"))
    engine.dispose()
    # An engine this process already opened on the URL believes the schema checked.
    _engine.cache_clear()
    _checked.discard(url)
    return url


def stored_figures(db) -> dict[tuple[str, int], dict[str, float]]:
    out: dict[tuple[str, int], dict[str, float]] = {}
    for figure, report in db.exec(select(Figure, Report).join(Report, Report.id == Figure.report_id)):
        out.setdefault((report.organ, report.year), {})[figure.key] = figure.value
    return out
