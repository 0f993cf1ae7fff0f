"""Ingest of the whole demo portal into SQLite and into PostgreSQL: wall time and peak memory.

    .venv/bin/python benchmarks/ingest_speed.py [postgresql+psycopg://postgres@127.0.0.1:5432/test]

The portal is crawled into each fresh database; the ingest then runs in a process
of its own (peak memory is that process's maximum resident set). On the
PostgreSQL server named, if any, the benchmark creates a database of its own
and drops it afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import sqlalchemy

from nianbao.demo.portal import Portal
from nianbao.demo.server import DemoServer

CRAWL = [sys.executable, "-m", "nianbao", "crawl", "--delay", "0", "-s", "AUTOTHROTTLE_ENABLED=false",
         "-s", "RETRY_BACKOFF_BASE=0.05"]
# A process's peak memory, read inside it: VmHWM, not ru_maxrss, which Linux carries over from the parent
# across fork and exec (a benchmark holding gigabytes would report them as its child's).
PEAK_MB = 'int(next(line for line in open("/proc/self/status") if line.startswith("VmHWM:")).split()[1]) / 1024'
INGEST = f"""
import json, time
from nianbao.models.db import session
from nianbao.ingest.reports import ingest
with session() as db:
    started = time.perf_counter()
    summary = ingest(db)
    seconds = time.perf_counter() - started
print(json.dumps({{"seconds": seconds, "peak_mb": {PEAK_MB},
                  "documents": summary.documents, "reports": summary.reports_new}}))
"""


@contextmanager
def scratch_database(url: str, suffix: str = "") -> Iterator[str]:
    """A database of its own on the server ``url`` points at, dropped afterwards."""
    server = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"nianbao_bench_{os.getpid()}{suffix}"
    with server.connect() as conn:
        conn.execute(sqlalchemy.text(f"CREATE DATABASE {name}"))
    try:
        yield sqlalchemy.make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(sqlalchemy.text(f"DROP DATABASE {name} WITH (FORCE)"))
        server.dispose()


def main(postgres: str | None) -> None:
    with tempfile.TemporaryDirectory() as home, DemoServer(Portal()) as server:
        registry = Path(home) / "sites.toml"
        registry.write_text(server.portal.registry_toml(server.url), encoding="utf-8")
        env = {**os.environ, "NIANBAO_HOME": home, "NIANBAO_REGISTRY": str(registry)}
        targets = {"SQLite": nullcontext(f"sqlite:///{Path(home) / 'nianbao.db'}")}
        if postgres:
            targets["PostgreSQL"] = scratch_database(postgres)
        for label, database in targets.items():
            with database as url:
                ingest(label, url, env)


def ingest(label: str, url: str, env: dict[str, str]) -> None:
    env = {**env, "NIANBAO_DATABASE_URL": url}
    subprocess.run(CRAWL, env=env, capture_output=True, check=True)
    out = subprocess.run([sys.executable, "-c", INGEST], env=env, capture_output=True, text=True, check=True).stdout
    result = json.loads(out.splitlines()[-1])
    print(f"{label}: {result['documents']} documents → {result['reports']} reports in "
          f"{result['seconds']:.2f} s, peak {result['peak_mb']:.0f} MB (the whole ingest process)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
