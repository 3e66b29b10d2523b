"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from warehouse.db import open_warehouse
from warehouse.models import Base


def test_migrations_match_the_models(warehouse_url):
    engine = open_warehouse(warehouse_url)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    engine.dispose()
