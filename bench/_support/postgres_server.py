"""The PostgreSQL server a benchmark's ``_postgres`` figures run on, if it answers."""

from __future__ import annotations

import os

import psycopg

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def reachable_postgres(postgres_url: str | None, *, skip_postgres: bool) -> str | None:
    """``--postgres-url``, else ``$PONTIVE_BENCH_POSTGRES_URL``, ``$PONTIVE_TEST_DATABASE_URL``
    or the local server — ``None`` (said why) when skipped or unreachable."""
    server = (
        postgres_url
        or os.environ.get("PONTIVE_BENCH_POSTGRES_URL")
        or os.environ.get("PONTIVE_TEST_DATABASE_URL")
        or DEFAULT_URL
    )
    if skip_postgres:
        print("postgres: skipped (--no-postgres)")
        return None
    try:
        psycopg.connect(server, connect_timeout=5).close()
    except psycopg.OperationalError as error:
        print(f"postgres: unreachable at {server} ({error}); SQLite only")
        return None
    return server
