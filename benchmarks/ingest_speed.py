"""Ingest of the whole demo portal into SQLite and into PostgreSQL: wall time and peak memory.

    .venv/bin/python benchmarks/ingest_speed.py [postgresql+psycopg://postgres@127.0.0.1:5432/bench]

The portal is crawled into each fresh database; the ingest then runs in a process
of its own (peak memory is that process's maximum resident set). The PostgreSQL
database named, if any, is emptied first.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import sqlalchemy

from nianbao.demo.portal import Portal
from nianbao.demo.server import DemoServer

INGEST = """
import json, resource, sys, time
from models.db import session
from models.ingest import ingest
with session() as db:
    started = time.perf_counter()
    summary = ingest(db)
    seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "documents": summary.documents, "reports": summary.reports_new}))
"""


def empty(url: str) -> None:
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text("DROP SCHEMA public CASCADE"))
        conn.execute(sqlalchemy.text("CREATE SCHEMA public"))
    engine.dispose()


def main(postgres: str | None) -> None:
    with tempfile.TemporaryDirectory() as home, DemoServer(Portal()) as server:
        registry = Path(home) / "sites.toml"
        registry.write_text(server.portal.registry_toml(server.url), encoding="utf-8")
        env = {**os.environ, "NIANBAO_HOME": home, "NIANBAO_REGISTRY": str(registry)}
        crawl = [sys.executable, "-m", "nianbao", "crawl", "--delay", "0", "-s", "AUTOTHROTTLE_ENABLED=false",
                 "-s", "RETRY_BACKOFF_BASE=0.05"]
        targets = {"SQLite": f"sqlite:///{Path(home) / 'nianbao.db'}"}
        if postgres:
            empty(postgres)
            targets["PostgreSQL"] = postgres
        for label, url in targets.items():
            env["NIANBAO_DATABASE_URL"] = url
            subprocess.run(crawl, env=env, capture_output=True, check=True)
            out = subprocess.run([sys.executable, "-c", INGEST], env=env, capture_output=True, text=True,
                                 check=True).stdout
            result = json.loads(out.splitlines()[-1])
            print(f"{label}: {result['documents']} documents → {result['reports']} reports in "
                  f"{result['seconds']:.2f} s, peak {result['peak_mb']:.0f} MB (the whole ingest process)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
