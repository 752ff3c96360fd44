"""Monthly partitions of the observation table on PostgreSQL (no-ops on SQLite).

Migration 0004 makes ``sensor_observations`` a table partitioned by range of
``phenomenon_time``; rows can only be written once the partition of their month exists.
Ingest calls ``ensure_partitions`` for the months of each batch (cheap: known months are
remembered per process), and a worker job keeps the next months ready.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import Connection, text

PARENT = "sensor_observations"
_NAME = re.compile(rf"^{PARENT}_p(\d{{4}})(\d{{2}})$")
_known: set[tuple[str, str]] = set()
_lock = threading.Lock()


def partition_name(year: int, month: int) -> str:
    """The name of the partition that holds ``year``-``month``."""
    return f"{PARENT}_p{year:04d}{month:02d}"


def is_partition_name(name: str) -> bool:
    """Whether ``name`` is one of the monthly observation partitions."""
    return _NAME.match(name) is not None


def month_of(instant: datetime) -> tuple[int, int]:
    """(year, month) of an aware instant, in UTC."""
    utc = instant.astimezone(UTC)
    return utc.year, utc.month


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def ensure_partitions(connection: Connection, months: Iterable[tuple[int, int]]) -> None:
    """Create the partitions of ``months`` that do not exist yet (PostgreSQL only)."""
    if connection.dialect.name != "postgresql":
        return
    database = str(connection.engine.url)
    with _lock:
        missing = sorted({m for m in months if (database, partition_name(*m)) not in _known})
    for year, month in missing:
        name = partition_name(year, month)
        start = datetime(year, month, 1, tzinfo=UTC)
        end = datetime(*_next_month(year, month), 1, tzinfo=UTC)
        # IF NOT EXISTS: another process may have made it a moment ago.
        connection.execute(
            text(
                f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {PARENT} "
                f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
            )
        )
        with _lock:
            _known.add((database, name))


def forget_partitions() -> None:
    """Forget which partitions exist (tests drop and recreate databases)."""
    with _lock:
        _known.clear()
