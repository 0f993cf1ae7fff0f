"""Ingest at the scale of a real county against its floor: the same rows written straight into the database.

    .venv/bin/python benchmarks/ingest_scale.py [REPORTS ...] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]

For each count (default 1000 and 10000) the benchmark renders that many distinct
reports (HTML, 2021 tables, one organ and year each), puts them in a fresh raw
store and catalogue as a crawl would, and runs the ingest in a process of its
own: the parse (worker processes) and the load are timed apart, with the peak
memory of the ingest process. The floor is the load's own rows — reports,
figures, sources, parses' loaded flags — inserted into an empty database of the
same schema with bulk inserts (executemany on SQLite, COPY on PostgreSQL). It
prints the load's ratio to that floor. With ``--postgres`` the same runs go to
a scratch database on that server, dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ingest_speed import PEAK_MB, scratch_database

INGEST = f"""
import json, time
from nianbao.models.db import writing
from nianbao.ingest import reports
with writing() as db:
    started = time.perf_counter()
    parsed = reports.parse_pending(db)
    parse_seconds = time.perf_counter() - started
    started = time.perf_counter()
    summary = reports.load(db)
    load_seconds = time.perf_counter() - started
print(json.dumps({{"parsed": parsed, "reports": summary.reports_new, "parse_seconds": parse_seconds,
                  "load_seconds": load_seconds, "peak_mb": {PEAK_MB}}}))
"""


def stage(n: int, url: str, home: Path) -> None:
    """``n`` rendered reports in the raw store and the catalogue, as a crawl leaves them."""
    from nianbao.models.bulk import insert_rows
    from nianbao.models.db import upgrade, writing
    from nianbao.models.tables import Document, utcnow

    from nianbao.core.readers import format_of
    from nianbao.core.store import RawStore
    from nianbao.demo import render, synth

    upgrade(url)
    store = RawStore(home / "raw")
    rng = random.Random(n)
    rows = []
    for i in range(n):
        year = 2021 + i % 4
        layouts = synth.layouts_for(year)
        organ = f"某某县第{i // 4}镇人民政府"
        spec = render.ReportSpec(organ, year, synth.random_figures(rng, *layouts), *layouts)
        data = render.render_html(spec, "grid", seed=i)
        sha = store.put(data)
        rows.append({"sha256": sha, "size": len(data), "format": format_of(data), "content_type": "text/html",
                     "filename": None, "title": spec.title, "is_report": True, "organ": organ, "year": year,
                     "first_seen_at": utcnow()})
    with writing(url) as db:
        insert_rows(db, Document, rows)
        db.commit()


def floor(source: str, target: str) -> float:
    """Seconds to write the rows the load wrote (organs and their aliases, reports, sources, figures, findings)
    into an empty database."""
    from nianbao.models.bulk import insert_rows
    from nianbao.models.db import session, upgrade, writing
    from nianbao.models.tables import Document, Figure, FindingRow, Organ, OrganAlias, Report, ReportSource

    upgrade(target)
    tables = [Document, Organ, OrganAlias, Report, ReportSource, Figure, FindingRow]
    with session(source) as db:
        data = {t: [dict(row._mapping) for row in db.execute(t.__table__.select())] for t in tables}
    with writing(target) as db:
        insert_rows(db, Document, data.pop(Document))
        db.commit()
    started = time.perf_counter()
    with writing(target) as db:
        for table, rows in data.items():
            insert_rows(db, table, rows)
        db.commit()
    return time.perf_counter() - started


def run(label: str, n: int, url: str, floor_url: str, home: Path) -> None:
    started = time.perf_counter()
    stage(n, url, home)
    staged = time.perf_counter() - started
    env = {**os.environ, "NIANBAO_HOME": str(home), "NIANBAO_DATABASE_URL": url}
    out = subprocess.run([sys.executable, "-c", INGEST], env=env, capture_output=True, text=True, check=True).stdout
    result = json.loads(out.splitlines()[-1])
    base = floor(url, floor_url)
    print(f"{label} {n} reports (staged in {staged:.1f} s): parse {result['parse_seconds']:.1f} s, "
          f"load {result['load_seconds']:.1f} s, floor {base:.1f} s → load/floor {result['load_seconds'] / base:.1f}×; "
          f"ingest {result['parse_seconds'] + result['load_seconds']:.1f} s, peak {result['peak_mb']:.0f} MB; "
          f"{result['reports']} reports", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("counts", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--postgres", help="a PostgreSQL server URL for a scratch database")
    args = parser.parse_args()
    for n in args.counts:
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp)
            run("SQLite", n, f"sqlite:///{home / 'nianbao.db'}", f"sqlite:///{home / 'floor.db'}", home)
        if args.postgres:
            with tempfile.TemporaryDirectory() as tmp, scratch_database(args.postgres) as url, \
                    scratch_database(args.postgres, "floor") as floor_url:
                run("PostgreSQL", n, url, floor_url, Path(tmp))


if __name__ == "__main__":
    main()
