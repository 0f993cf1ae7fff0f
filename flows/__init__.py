"""Prefect flows: thin shells that run the crawls and the ingest steps as tasks.

Importing this package points Prefect at a home under ``NIANBAO_HOME`` and keeps
it offline, unless the environment already says otherwise, and keeps every
loopback address (the local Prefect server, the local database) out of reach of
an HTTP proxy the environment may set for crawling.
"""

import os

from nianbao.core import config

os.environ.setdefault("PREFECT_HOME", str(config.home() / "prefect"))
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
for _name in ("NO_PROXY", "no_proxy"):
    _hosts = [h for h in os.environ.get(_name, "").split(",") if h]
    os.environ[_name] = ",".join(_hosts + [h for h in ("127.0.0.1", "localhost", "::1") if h not in _hosts])
