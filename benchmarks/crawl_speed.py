"""Crawl speed on the demo portal over loopback, and what a re-crawl of the unchanged portal costs.

    .venv/bin/python benchmarks/crawl_speed.py

Politeness is switched off (no delay, no AutoThrottle) to measure the crawler,
not the waiting; the two-requests-per-site limit stays.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nianbao.demo.portal import Portal
from nianbao.demo.server import DemoServer


def main() -> None:
    with tempfile.TemporaryDirectory() as home, DemoServer(Portal()) as server:
        registry = Path(home) / "sites.toml"
        registry.write_text(server.portal.registry_toml(server.url), encoding="utf-8")
        env = {**os.environ, "NIANBAO_HOME": home, "NIANBAO_REGISTRY": str(registry)}
        env.pop("NIANBAO_DATABASE_URL", None)
        command = [sys.executable, "-m", "nianbao", "crawl", "--json", "--delay", "0", "-s", "AUTOTHROTTLE_ENABLED=false",
                   "-s", "RETRY_BACKOFF_BASE=0.05"]
        for label in ("first crawl", "re-crawl (unchanged)"):
            server.clear()
            started = time.perf_counter()
            out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
            wall = time.perf_counter() - started
            results = [json.loads(line) for line in out.splitlines()]
            pages = sum(r["list_pages"] for r in results)
            docs = sum(r["documents_new"] for r in results)
            crawl_s = max(r["seconds"] for r in results)
            print(f"{label}: {len(server.log)} requests ({sum(r['not_modified'] for r in results)} answered 304), "
                  f"{pages} list pages, {docs} documents downloaded in {crawl_s:.2f} s of crawling "
                  f"({wall:.2f} s with process start): {pages / crawl_s:.1f} list pages/s, "
                  f"{docs / crawl_s:.1f} documents/s, {len(server.log) / crawl_s:.1f} requests/s")


if __name__ == "__main__":
    main()
