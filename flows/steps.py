"""Deployment steps: what a worker does before it runs a flow of nianbao."""

from __future__ import annotations

from nianbao.models.db import upgrade


def upgrade_database() -> dict[str, str]:
    """Pull step: bring the database (``NIANBAO_DATABASE_URL``) to this nianbao's schema before any work starts,
    so that flow runs only check the revision."""
    return {"revision": upgrade()}
