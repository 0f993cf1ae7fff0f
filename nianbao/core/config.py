"""nianbao's settings, from the environment (``NIANBAO_*``), in one object.

Read afresh on every call, so a process that changes its environment (a test, the
demo command) sees the change.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

MIB = 1024 * 1024


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NIANBAO_", extra="ignore")

    # Where the raw store, the SQLite database, crawl journals and the local Prefect server live.
    home: Path = Path("data")
    # Any SQLAlchemy URL; SQLite under ``home`` when unset.
    database_url: str | None = None
    # The site registry; the bundled one when unset.
    registry: Path | None = None
    user_agent: str | None = None
    # Documents larger than this are refused before they are read or downloaded.
    max_document_bytes: int = 64 * MIB
    # Crawls at once in a flow run; each is a process of its own.
    crawl_concurrency: int = max(2, 2 * (os.cpu_count() or 1))
    # Seconds one site's crawl may take before it is stopped (and retried).
    crawl_timeout: float = 4 * 3600
    crawl_retries: int = 1
    # Bounds against spider traps: requests in one site's crawl, and distinct query strings of one list page path.
    max_requests: int = 20000
    max_query_variants: int = 200
    # A known page listed under the same title is asked for again (conditionally) after this many days.
    recheck_days: float = 30
    # Seconds one URL may take to download, over all its retries (a body dripped a byte at a time).
    response_deadline: float = 180
    # Seconds a writer waits for another process's write to the SQLite database.
    db_lock_timeout: float = 120


def settings() -> Settings:
    return Settings()


def home() -> Path:
    return settings().home.resolve()


def raw_dir() -> Path:
    return home() / "raw"


def database_url() -> str:
    url = settings().database_url
    return url or f"sqlite:///{home() / 'nianbao.db'}"


def user_agent() -> str:
    from nianbao import __version__

    return settings().user_agent or (
        f"nianbao/{__version__} (government disclosure annual-report collector; polite crawler)"
    )
