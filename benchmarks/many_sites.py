"""A registry of many sites through the pipeline flow: time, and the peak of processes and memory it takes.

    .venv/bin/python benchmarks/many_sites.py [SITES] [--concurrency N]

Serves SITES (default 500) tiny county columns on loopback — one list page and
one report each — writes a registry of them, and runs ``nianbao run`` on it (the
pipeline flow: a crawl task per site, at most ``NIANBAO_CRAWL_CONCURRENCY`` at
once, each crawl a process; then the ingest), against nianbao's local Prefect
server. While it runs, the process tree under the command is sampled every half
second: the peak number of processes and their summed resident memory are
printed, with the wall time and what was loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from nianbao.demo import render, synth
from nianbao.demo.server import LoopbackServer


def _pages(n: int) -> dict[str, bytes]:
    rng = random.Random(n)
    pages = {}
    for i in range(n):
        organ = f"某某县第{i}镇"
        layouts = synth.layouts_for(2023)
        spec = render.ReportSpec(organ, 2023, synth.random_figures(rng, *layouts), *layouts)
        pages[f"/s{i}/report.html"] = render.render_html(spec, "grid", seed=i)
        pages[f"/s{i}/index.html"] = (
            f"<html><head><meta charset='utf-8'></head><body><ul><li><a href='report.html'>{spec.title}</a>"
            "<span>2024-01-20</span></li></ul></body></html>").encode()
    return pages


def serve(pages: dict[str, bytes]) -> LoopbackServer:
    """``pages`` served on a loopback port; ``server.hits`` lists the paths asked for.

    Not the demo portal's server: that one hashes every body for its ETag and logs every request, and
    at ten thousand reports it, not the crawler, sets the pace (a bare spider then takes 34 s, not 15 s),
    which would hide the crawler's own cost the benchmarks measure."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            hits.append(self.path)
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    server = LoopbackServer(("127.0.0.1", 0), Handler)
    server.hits = hits
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            match = re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text())
        except OSError:
            continue
        total += int(match.group(1)) if match else 0
    return total / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", nargs="?", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=None, help="NIANBAO_CRAWL_CONCURRENCY (default: its own)")
    args = parser.parse_args()
    server = serve(_pages(args.sites))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory() as home:
        registry = Path(home) / "sites.toml"
        registry.write_text("".join(
            f'[[site]]\nid = "s{i}"\nname = "某某县第{i}镇"\nstart_urls = ["{base}/s{i}/index.html"]\n\n'
            for i in range(args.sites)), encoding="utf-8")
        env = {**os.environ, "NIANBAO_HOME": home, "NIANBAO_REGISTRY": str(registry)}
        env.pop("NIANBAO_DATABASE_URL", None)
        if args.concurrency:
            env["NIANBAO_CRAWL_CONCURRENCY"] = str(args.concurrency)
        subprocess.run([sys.executable, "-m", "nianbao", "server", "start"], env=env, check=True,
                       capture_output=True)
        try:
            started = time.perf_counter()
            process = subprocess.Popen([sys.executable, "-m", "nianbao", "run", "--delay", "0"], env=env,
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            peak_processes, peak_mb = 0, 0.0
            while process.poll() is None:
                pids = _tree(process.pid)
                peak_processes = max(peak_processes, len(pids))
                peak_mb = max(peak_mb, _rss_mb(pids))
                time.sleep(0.5)
            out = process.stdout.read()
            wall = time.perf_counter() - started
        finally:
            subprocess.run([sys.executable, "-m", "nianbao", "server", "stop"], env=env, capture_output=True)
        loaded = subprocess.run([sys.executable, "-m", "nianbao", "export", "reports", "--format", "jsonl"], env=env,
                                capture_output=True, text=True, check=True).stdout.splitlines()
    server.shutdown()
    print(json.dumps({"sites": args.sites, "exit": process.returncode, "seconds": round(wall, 1),
                      "reports_loaded": len(loaded), "peak_processes": peak_processes,
                      "peak_rss_mb": round(peak_mb)}), flush=True)
    if process.returncode != 0:
        print(out[-2000:], file=sys.stderr)


if __name__ == "__main__":
    main()
