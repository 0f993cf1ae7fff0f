"""Prefect flows: thin shells that run the crawler and the ingest functions as tasks.

Importing this package points Prefect at a home under ``NIANBAO_HOME``, keeps it
offline and gives the temporary local server time to start, unless the
environment already says otherwise.
"""

import os

from nianbao.core import config

os.environ.setdefault("PREFECT_HOME", str(config.home() / "prefect"))
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# A fresh home's first start migrates the server's database: 20 s (Prefect's default
# wait) is not always enough on a small machine.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
