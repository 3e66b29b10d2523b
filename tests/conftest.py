"""Shared fixtures: one Prefect test server, one demo site, one PostgreSQL server per session."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from flows.demo_site import serve
from tests.support.pg import NoPostgres, postgres_server

FIXTURES = Path(__file__).parent / "fixtures"
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no internet to send it to


@pytest.fixture(scope="session")
def prefect_harness():
    """The temporary Prefect server takes seconds to start: one for the whole session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def demo_url() -> str:
    server, url = serve()
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def pg_server() -> str:
    try:
        with postgres_server() as url:
            yield url
    except NoPostgres as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL tests must run in CI: {exc}")
        pytest.skip(f"no PostgreSQL server: {exc}")


@pytest.fixture
def pg_url(pg_server: str) -> str:
    """A fresh, empty database on the session's server, dropped afterwards."""
    name = f"storyminer_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'warehouse.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def warehouse_url(request: pytest.FixtureRequest) -> str:
    """Each warehouse test runs on a real SQLite file and on a real PostgreSQL database."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def fault_server():
    from tests.support.fault_server import FaultServer

    server = FaultServer()
    yield server
    server.close()


@pytest.fixture
def smtp_server():
    from tests.support.smtp_server import SmtpServer

    server = SmtpServer()
    yield server
    server.close()
