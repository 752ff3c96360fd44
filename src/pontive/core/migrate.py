"""Run Alembic migrations from code (CLI, tests, ``make run``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, text

# PostgreSQL advisory lock key held while migrating: web units starting together on several
# hosts each run ``pontive db upgrade``; one migrates, the others wait and find it done.
MIGRATION_LOCK_KEY = 0x504F4E54495645  # "PONTIVE"


def alembic_config(engine: Engine) -> Config:
    """A Config pointing at Pontive's migrations, bound to ``engine``."""
    config = Config()
    config.set_main_option("script_location", "pontive:migrations")
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection to migrate through.

    SQLite alters a table by copying it and dropping the original, which foreign-key
    enforcement refuses while other rows point at it: enforcement is switched off for the
    migration (it can only change outside a transaction), every reference is checked
    afterwards, and it is switched on again before the connection goes back to the pool.
    """
    with engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            yield connection
            return
        raw = connection.connection.driver_connection
        assert raw is not None  # noqa: S101 - a live pooled connection
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            yield connection
            broken = raw.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database to ``revision``."""
    with migration_connection(engine) as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            lock = text("SELECT pg_advisory_xact_lock(:key)")
            connection.execute(lock, {"key": MIGRATION_LOCK_KEY})
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def check(engine: Engine) -> None:
    """Raise when the models differ from the migrations (``alembic check``)."""
    with engine.connect() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.check(config)
