"""Serving the demo portal on loopback, with the manners of a real portal server.

Conditional requests (ETag, Last-Modified) answer 304; a resource may be slow,
fail with 503 a few times before it serves, or redirect. Every request is logged,
so tests can tell what a crawler asked for.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from nianbao.demo.portal import Portal

LAST_MODIFIED = "Thu, 25 Jan 2024 08:00:00 GMT"


@dataclass(frozen=True)
class Hit:
    method: str
    path: str
    status: int
    host: str
    user_agent: str


class LoopbackServer(ThreadingHTTPServer):
    """A thread per connection, and a listen backlog deep enough for a crawler's bursts of connections:
    the default of 5 drops SYNs, and each dropped one costs the client a one-second retransmit."""

    daemon_threads = True
    request_queue_size = 128


class DemoServer:
    """``with DemoServer(Portal()) as server: server.url``; ``portal=None`` answers every path with 200."""

    def __init__(self, portal: Portal | None, host: str = "127.0.0.1", port: int = 0):
        self.portal = portal
        self.log: list[Hit] = []
        self._failures: dict[str, int] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self.httpd = LoopbackServer((host, port), self._handler())
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> DemoServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="demo-portal", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def hits(self, prefix: str = "") -> list[Hit]:
        with self._lock:
            return [h for h in self.log if h.path.startswith(prefix)]

    def clear(self) -> None:
        with self._lock:
            self.log.clear()
            self.max_in_flight = 0

    def _record(self, hit: Hit) -> None:
        with self._lock:
            self.log.append(hit)

    def _enter(self, delta: int) -> None:
        with self._lock:
            self.in_flight += delta
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def _fails(self, target: str, times: int) -> bool:
        with self._lock:
            seen = self._failures.get(target, 0)
            self._failures[target] = seen + 1
            return seen < times

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
                server._record(Hit(self.command, self.path, status, self.headers.get("Host", ""),
                                   self.headers.get("User-Agent", "")))

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                payload = self.rfile.read(length) if length else b""
                if server.portal is None:
                    self._send(200, b"off-site", {"Content-Type": "text/plain"})
                    return
                resource = server.portal.respond(self.command, self.path, payload)
                if resource is None:
                    self._send(404, b"<html><body>404 Not Found</body></html>", {"Content-Type": "text/html"})
                    return
                if resource.delay:
                    time.sleep(resource.delay)
                if resource.fail_first and server._fails(self.path, resource.fail_first):
                    self._send(503, b"Service Unavailable", {"Content-Type": "text/plain"})
                    return
                if resource.redirect:
                    self._send(302, headers={"Location": resource.redirect})
                    return
                etag = '"' + hashlib.sha1(resource.body).hexdigest()[:16] + '"'
                validators = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
                if self.command == "GET" and (self.headers.get("If-None-Match") == etag or (
                        "If-None-Match" not in self.headers and self.headers.get("If-Modified-Since") == LAST_MODIFIED)):
                    self._send(304, headers=validators)
                    return
                self._send(200, resource.body, {"Content-Type": resource.content_type, **validators, **resource.headers})

            def _counted(self) -> None:
                server._enter(1)
                try:
                    self._serve()
                finally:
                    server._enter(-1)

            do_GET = do_POST = do_HEAD = _counted

        return Handler
