"""The Prefect server the flows report to: one, started in the background once and reused.

``PREFECT_API_URL`` names a running server to use. Otherwise nianbao keeps one
local server under ``$NIANBAO_HOME/prefect`` (its state in ``server.json``, its
log in ``server.log``), starts it the first time a command needs it and leaves
it running, so later commands start no server at all and the runs stay
visible in its UI. ``nianbao server stop`` stops it. Requests to the local
server never go through an HTTP proxy.

Nothing here imports Prefect: the address is settled before Prefect reads its
settings.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests

from nianbao.core import config

HOST = "127.0.0.1"
DEFAULT_PORT = 4200
START_TIMEOUT = 300.0


class ServerError(RuntimeError):
    pass


def prefect_home() -> Path:
    return Path(os.environ.get("PREFECT_HOME") or config.home() / "prefect")


def _state_file() -> Path:
    return prefect_home() / "server.json"


def log_file() -> Path:
    return prefect_home() / "server.log"


def healthy(api_url: str, timeout: float = 5.0) -> bool:
    session = requests.Session()
    session.trust_env = False  # never through a proxy
    try:
        return session.get(f"{api_url.rstrip('/')}/health", timeout=timeout).ok
    except requests.RequestException:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_state() -> dict | None:
    try:
        state = json.loads(_state_file().read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return state if _alive(state.get("pid", -1)) else None


def running() -> str | None:
    """The API URL of the local server when it is running and answers, else None."""
    state = _read_state()
    return state["url"] if state and healthy(state["url"]) else None


def _free_port() -> int:
    with socket.socket() as s:
        try:
            s.bind((HOST, DEFAULT_PORT))
            return DEFAULT_PORT
        except OSError:
            s.bind((HOST, 0))
            return s.getsockname()[1]


def start(say: Callable[[str], None] = lambda _: None, timeout: float = START_TIMEOUT) -> str:
    """Start the local server in the background (or find it running); returns its API URL."""
    home = prefect_home()
    home.mkdir(parents=True, exist_ok=True)
    with open(home / "server.lock", "w") as lock:
        # Two commands starting at once start one server.
        fcntl.flock(lock, fcntl.LOCK_EX)
        state = _read_state()
        if state is None:
            state = _spawn(home)
            say(f"starting a Prefect server at {state['url'].removesuffix('/api')} (log: {log_file()}) …")
        _wait(state, timeout, say)
    return state["url"]


def _spawn(home: Path) -> dict:
    port = _free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "DO_NOT_TRACK": "1"}
    env.pop("PREFECT_API_URL", None)
    with open(log_file(), "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", HOST, "--port", str(port),
             "--analytics-off"], env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
    state = {"pid": process.pid, "port": port, "url": f"http://{HOST}:{port}/api", "started_at": time.time()}
    _state_file().write_text(json.dumps(state), encoding="utf-8")
    return state


def _wait(state: dict, timeout: float, say: Callable[[str], None]) -> None:
    deadline = time.monotonic() + timeout
    next_word = time.monotonic() + 15
    while not healthy(state["url"], timeout=2):
        if not _alive(state["pid"]):
            raise ServerError(f"the Prefect server stopped while starting; its log ends:\n{_log_tail()}")
        if time.monotonic() > deadline:
            raise ServerError(f"the Prefect server did not answer within {timeout:g} s; its log ends:\n{_log_tail()}")
        if time.monotonic() > next_word:
            say("… still waiting for the Prefect server (a fresh one migrates its database first)")
            next_word = time.monotonic() + 15
        time.sleep(0.5)


def _log_tail(lines: int = 15) -> str:
    try:
        return "\n".join(log_file().read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


def stop() -> bool:
    """Stop the local server; False when none was running."""
    state = _read_state()
    _state_file().unlink(missing_ok=True)
    if state is None:
        return False
    try:
        os.killpg(state["pid"], signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + 30
    while _alive(state["pid"]) and time.monotonic() < deadline:
        time.sleep(0.2)
    if _alive(state["pid"]):
        os.killpg(state["pid"], signal.SIGKILL)
    return True


def ensure(say: Callable[[str], None] = lambda _: None) -> str:
    """The API URL the flows report to: ``PREFECT_API_URL`` when set, else the local server, started if need be.

    Sets ``PREFECT_API_URL`` for this process and the processes it starts.
    """
    url = os.environ.get("PREFECT_API_URL")
    if url:
        if not healthy(url):
            raise ServerError(f"PREFECT_API_URL is {url}, and no Prefect server answers there")
        return url
    url = start(say)
    os.environ["PREFECT_API_URL"] = url
    return url
