"""Where nianbao keeps its data: ``NIANBAO_HOME`` (default ``./data``) and the database URL."""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    return Path(os.environ.get("NIANBAO_HOME") or "data").resolve()


def raw_dir() -> Path:
    return home() / "raw"


def database_url() -> str:
    """``NIANBAO_DATABASE_URL``, else SQLite under ``NIANBAO_HOME``."""
    url = os.environ.get("NIANBAO_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{home() / 'nianbao.db'}"


def user_agent() -> str:
    from nianbao import __version__

    return os.environ.get("NIANBAO_USER_AGENT") or (
        f"nianbao/{__version__} (government disclosure annual-report collector; polite crawler)"
    )
