"""Alembic environment: one set of migrations for SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from pontive.core.db import Base, make_engine
from pontive.core.migrate import migration_connection
from pontive.domains import load_models
from pontive.sensors.partitions import is_partition_name
from pontive.settings import get_settings

load_models()
target_metadata = Base.metadata
config = context.config


def _include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Leave PostgreSQL's monthly observation partitions out of model comparison."""
    return not (
        type_ == "table" and reflected and compare_to is None and is_partition_name(name or "")
    )


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite alters tables by copying them; batch mode does that for us.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=_include_object,
    )


def run_migrations_online() -> None:
    """Run against a live connection (passed in by the CLI and tests, or made here)."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = make_engine(url)
    with migration_connection(engine) as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run against a database")
run_migrations_online()
