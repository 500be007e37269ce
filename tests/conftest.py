"""Common fixtures: the bundled public data, the baseline, real SQLite and PostgreSQL stores."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
BASELINE = SCENARIOS / "baseline" / "thames-valley.yaml"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real ONS and mySociety data that ships in the package (``restructure/data``)."""
    from restructure import data

    return data.path("ons/LAD23_CSP23_PFA23_EW_LU.csv").parents[1]


@pytest.fixture(scope="session")
def _baseline_session():
    from restructure.structure import Structure

    return Structure.load(BASELINE)


@pytest.fixture
def baseline(_baseline_session):
    """The Thames Valley baseline (a fresh copy per test: tests may edit it)."""
    return _baseline_session.copy()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A real SQLite file in the test's temporary directory."""
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The real PostgreSQL test database (``RESTRUCTURE_TEST_DATABASE_URL``).

    ``make test`` starts the machine's cluster and sets the variable. Outside
    it, tests that need PostgreSQL skip with the reason; in CI they fail.
    """
    url = os.environ.get("RESTRUCTURE_TEST_DATABASE_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("RESTRUCTURE_TEST_DATABASE_URL is not set in CI (run `make test`)")
        pytest.skip(reason="RESTRUCTURE_TEST_DATABASE_URL not set: run `make test` to start PostgreSQL")
    return url


def drain_pty(master: int) -> bytes:
    """Everything a command writes to a pseudo-terminal, read while it runs (so a full buffer never
    blocks it) until it closes its end; closes ``master``."""
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the command closed its end
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    return seen


@pytest.fixture
def counted_reads(monkeypatch):
    """Every parse of a YAML file, by path (yamlfile.load is the one function that parses them)."""
    from restructure.io import yamlfile

    reads = []
    real = yamlfile.load
    monkeypatch.setattr(yamlfile, "load", lambda p: reads.append(str(p)) or real(p))
    return reads
