from pathlib import Path

import pytest

from crawling import Served
from databases import PG_URL, fresh_postgres

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = FIXTURES / "samples"


@pytest.fixture
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="module")
def served():
    """The demo portal on loopback, fresh for each test module (its flaky page fails only at first)."""
    s = Served()
    yield s
    s.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """A fresh database: SQLite, and PostgreSQL when ``NIANBAO_TEST_DATABASE_URL`` names one."""
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("NIANBAO_TEST_DATABASE_URL is not set")
        return fresh_postgres(PG_URL)
    return f"sqlite:///{tmp_path / 'nianbao.db'}"
