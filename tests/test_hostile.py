"""Hostile servers: a spider trap and a dripping body, each bounded, each said in the site's health."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

import pytest
from crawling import env_for, nianbao

from nianbao.demo.server import LoopbackServer

LIST = ("<html><head><meta charset='utf-8'></head><body><ul>{entries}</ul>"
        "<a href='{next}'>下一页</a></body></html>")


class Hostile(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, body: bytes, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path == "/trap/list.html":
            # Every page links to a "next" page with a query string never seen before.
            n = int(parse_qs(url.query).get("n", ["0"])[0])
            self._send(LIST.format(entries="", next=f"list.html?n={n + 1}&t={time.monotonic_ns()}").encode())
        elif url.path == "/drip/list.html":
            entry = "<li><a href='/drip/report.html'>2023年某某县人民政府政府信息公开工作年度报告</a></li>"
            self._send(LIST.format(entries=entry, next="#").encode())
        elif url.path == "/drip/report.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                for _ in range(100000):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
        else:
            self._send(b"not found", 404)


@pytest.fixture(scope="module")
def hostile():
    server = LoopbackServer(("127.0.0.1", 0), Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _crawl(env: dict[str, str], url: str, *settings: str) -> dict:
    args = ["crawl", "--json", "--delay", "0", "--url", url, "--name", "某某县人民政府",
            "-s", "RETRY_BACKOFF_BASE=0.05", "-s", "AUTOTHROTTLE_START_DELAY=0.01"]
    for setting in settings:
        args += ["-s", setting]
    done = nianbao(args, env, timeout=120)
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.slow
def test_a_spider_trap_is_bounded_and_named(hostile, tmp_path):
    env = env_for(tmp_path, tmp_path / "none.toml", NIANBAO_MAX_QUERY_VARIANTS="15")
    result = _crawl(env, f"{hostile}/trap/list.html")
    assert result["list_pages"] == 16  # the start page and 15 query strings of it
    assert result["bounded"] >= 1 and "more than 15 query strings" in result["bounds"][0]
    assert result["health"].startswith("site.crawl_bounded")


@pytest.mark.slow
def test_a_request_bound_stops_a_crawl_of_ever_new_pages(hostile, tmp_path):
    env = env_for(tmp_path, tmp_path / "none.toml", NIANBAO_MAX_REQUESTS="10")
    result = _crawl(env, f"{hostile}/trap/list.html")
    assert result["requests"] <= 11  # robots.txt, then ten
    assert "more than 10 requests" in result["bounds"][0]


@pytest.mark.slow
def test_a_dripping_body_is_given_up_at_the_deadline_over_all_tries(hostile, tmp_path):
    env = env_for(tmp_path, tmp_path / "none.toml")
    # Each try may take 2 s and there are three retries; the deadline over all of them is 3 s.
    result = _crawl(env, f"{hostile}/drip/list.html", "DOWNLOAD_TIMEOUT=2", "RETRY_TIMES=3",
                       "NIANBAO_RESPONSE_DEADLINE=3")
    assert [f["reason"] for f in result["failure_list"]] == ["timed out"]
    assert result["report_documents"] == 0
    # Without the deadline: four tries of 2 s each, three retries.
    assert result["retries"] <= 1 and result["seconds"] < 5
