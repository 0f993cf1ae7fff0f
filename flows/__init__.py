"""Prefect flows: thin shells that run the crawler and the ingest functions as tasks.

Importing this package points Prefect at a home under ``NIANBAO_HOME`` and keeps
it offline, unless the environment already says otherwise.
"""

import os

from nianbao import config

os.environ.setdefault("PREFECT_HOME", str(config.home() / "prefect"))
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
