from pathlib import Path

import pytest

from crawling import Served

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
