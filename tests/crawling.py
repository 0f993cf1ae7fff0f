"""Helpers for tests that crawl the demo portal: a served portal, a registry for it, the CLI in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from nianbao.demo.portal import Portal
from nianbao.demo.server import DemoServer

FAST = ["--delay", "0", "-s", "RETRY_BACKOFF_BASE=0.05", "-s", "AUTOTHROTTLE_START_DELAY=0.01"]


class Served:
    """The demo portal and an off-site server it links to, on loopback."""

    def __init__(self):
        self.offsite = DemoServer(None).start()
        host, port = self.offsite.httpd.server_address[:2]
        self.portal = Portal(offsite=f"http://localhost:{port}")
        self.server = DemoServer(self.portal).start()
        self.url = self.server.url

    def stop(self) -> None:
        self.server.stop()
        self.offsite.stop()

    def registry(self, path: Path) -> Path:
        path.write_text(self.portal.registry_toml(self.url), encoding="utf-8")
        return path

    def report_urls(self, site: str | None = None, year: int | None = None) -> set[str]:
        return {self.url + u for r in self.portal.reports if (site is None or r.site == site)
                and (year is None or r.year == year) for u in r.urls + r.superseded_urls}


def env_for(home: Path, registry: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("NIANBAO_DATABASE_URL", None)
    env.update(NIANBAO_HOME=str(home), NIANBAO_REGISTRY=str(registry), **extra)
    return env


def nianbao(args: list[str], env: dict[str, str], check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "nianbao", *args], env=env, capture_output=True, text=True,
                            timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"nianbao {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def crawl(env: dict[str, str], *args: str) -> list[dict]:
    result = nianbao(["crawl", "--json", *FAST, *args], env)
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def documents(env: dict[str, str]) -> list[dict]:
    result = nianbao(["export", "documents", "--format", "jsonl"], env)
    return [json.loads(line) for line in result.stdout.splitlines()]


def crawl_variants(variants, home: Path, timeout: float = 600) -> dict:
    """Random portal variants served on loopback and crawled side by side in one crawl: each site's result,
    the documents stored, and every request the server saw."""
    with DemoServer(variants) as server:
        registry = home / "sites.toml"
        registry.write_text(variants.registry_toml(server.url), encoding="utf-8")
        env = env_for(home, registry)
        result = nianbao(["crawl", "--json", *FAST], env, timeout=timeout)
        hits = server.hits()
    results = {r["site"]: r for r in map(json.loads, result.stdout.splitlines())}
    return {"variants": variants, "url": server.url, "results": results, "docs": documents(env), "hits": hits}
