from pathlib import Path

import pytest
from crawling import Served
from databases import PG_URL, fresh_postgres
from hypothesis import settings
from nianbao.models.db import upgrade
from prefect.testing.utilities import prefect_test_harness

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = FIXTURES / "samples"


@pytest.fixture
def samples_dir() -> Path:
    return SAMPLES


# Lanes follow from what a test needs, so that no slow test can forget its marker.
LANES = {"served": "slow", "prefect_server": "prefect", "prefect_env": "prefect"}


def pytest_configure(config):
    # The default run leaves the slow lane out and is the fast lane: property tests draw fewer examples
    # there. The whole suite (CI, the README's test command) draws them all.
    settings.register_profile("fast", max_examples=10)
    if "not slow" in (config.option.markexpr or ""):
        settings.load_profile("fast")


def pytest_collection_modifyitems(items):
    for item in items:
        for fixture, lane in LANES.items():
            if fixture in item.fixturenames:
                item.add_marker(lane)


@pytest.fixture(scope="session")
def prefect_server():
    """One temporary Prefect server (on its own temporary database) for every flow test."""
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="module")
def served():
    """The demo portal on loopback, fresh for each test module (its flaky page fails only at first)."""
    s = Served()
    yield s
    s.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def bare_database(request, tmp_path):
    """An empty database: SQLite, and PostgreSQL when ``NIANBAO_TEST_DATABASE_URL`` names one."""
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("NIANBAO_TEST_DATABASE_URL is not set")
        return fresh_postgres(PG_URL)
    return f"sqlite:///{tmp_path / 'nianbao.db'}"


@pytest.fixture
def database(bare_database):
    """A fresh database at this version's schema."""
    upgrade(bare_database)
    return bare_database
