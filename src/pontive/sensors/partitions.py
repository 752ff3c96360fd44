"""Monthly partitions of the observation table on PostgreSQL (no-ops on SQLite).

Migration 0004 makes ``sensor_observations`` a table partitioned by range of
``phenomenon_time``; rows can only be written once the partition of their month exists.
Ingest calls ``ensure_partitions`` for the months of each batch (cheap: recent months are
remembered per process), and a worker job keeps the next months ready
(``history.prepare_partitions``). The retention job drops a month's partition once every row
in it has expired (``drop_partition``); a late observation for such a month simply creates
it again, since months before the previous one are always checked in the catalogue (another
process may have dropped them).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, event, text

from pontive.sensors.models import from_micros

PARENT = "sensor_observations"
_CREATED_KEY = "pontive_partitions_created"  # in Connection.info until commit or rollback
_NAME = re.compile(rf"^{PARENT}_p(\d{{4}})(\d{{2}})$")
_known: set[tuple[str, str]] = set()
_lock = threading.Lock()
_DAY_MICROS = 86_400 * 1_000_000


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


def months_of_micros(micros: Iterable[int]) -> Iterator[tuple[int, int]]:
    """The (year, month) in UTC of each distinct day among instants in microseconds since
    the epoch: a month is whole UTC days, so a batch of thousands of readings converts only
    its few days. A generator: nothing is read until iterated (on SQLite, never)."""
    days = {at // _DAY_MICROS for at in micros}
    for day in sorted(days):
        yield month_of(from_micros(day * _DAY_MICROS))


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def partition_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """[start, end) of the partition of ``year``-``month`` (UTC month boundaries)."""
    return datetime(year, month, 1, tzinfo=UTC), datetime(*_next_month(year, month), 1, tzinfo=UTC)


def months_from(instant: datetime, count: int) -> list[tuple[int, int]]:
    """The month of ``instant`` and the ``count - 1`` months after it."""
    months = [month_of(instant)]
    while len(months) < count:
        months.append(_next_month(*months[-1]))
    return months


def _is_cacheable(month: tuple[int, int]) -> bool:
    # Older months may be dropped by retention in another process: never trust a memory.
    this_year, this_month = month_of(datetime.now(UTC))
    previous = (this_year - 1, 12) if this_month == 1 else (this_year, this_month - 1)
    return month >= previous


def ensure_partitions(connection: Connection, months: Iterable[tuple[int, int]]) -> None:
    """Create the partitions of ``months`` that do not exist yet (PostgreSQL only)."""
    if connection.dialect.name != "postgresql":
        return
    database = str(connection.engine.url)
    with _lock:
        missing = sorted({m for m in months if (database, partition_name(*m)) not in _known})
    if missing:
        # Ask the catalogue first: CREATE TABLE ... PARTITION OF takes an exclusive lock on
        # the parent even when IF NOT EXISTS finds the partition there, so a freshly started
        # process would otherwise queue behind (and block) every reader of the table.
        existing = set(list_partitions(connection))
        with _lock:
            _known.update((database, partition_name(*m)) for m in existing if _is_cacheable(m))
        missing = [m for m in missing if m not in existing]
    for year, month in missing:
        name = partition_name(year, month)
        start, end = partition_bounds(year, month)
        # IF NOT EXISTS: another process may have made it a moment ago.
        connection.execute(
            text(
                f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {PARENT} "
                f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
            )
        )
        if _is_cacheable((year, month)):
            # Remembered when the transaction commits: a rolled-back CREATE leaves no table.
            connection.info.setdefault(_CREATED_KEY, set()).add((database, name))


def list_partitions(connection: Connection) -> list[tuple[int, int]]:
    """(year, month) of every monthly partition that exists, oldest first (PostgreSQL)."""
    if connection.dialect.name != "postgresql":
        return []
    names = connection.scalars(
        text(
            "SELECT c.relname FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = CAST(:parent AS regclass)"
        ),
        {"parent": PARENT},
    )
    found = (_NAME.match(name) for name in names)
    return sorted((int(m.group(1)), int(m.group(2))) for m in found if m is not None)


def drop_partition(connection: Connection, year: int, month: int) -> None:
    """Detach and drop the partition of ``year``-``month`` with every row in it (PostgreSQL)."""
    name = partition_name(year, month)
    connection.execute(text(f"ALTER TABLE {PARENT} DETACH PARTITION {name}"))
    connection.execute(text(f"DROP TABLE {name}"))
    with _lock:
        _known.discard((str(connection.engine.url), name))


@event.listens_for(Engine, "commit")
def _remember_created(connection: Connection) -> None:
    created = connection.info.pop(_CREATED_KEY, None)
    if created:
        with _lock:
            _known.update(created)


@event.listens_for(Engine, "rollback")
def _forget_created(connection: Connection) -> None:
    connection.info.pop(_CREATED_KEY, None)


@event.listens_for(Engine, "rollback_savepoint")
def _forget_created_in_savepoint(connection: Connection, _name: object, _context: object) -> None:
    # Which savepoint made which table is not tracked: forget them all (at worst one more
    # CREATE TABLE IF NOT EXISTS later).
    connection.info.pop(_CREATED_KEY, None)


def forget_partitions() -> None:
    """Forget which partitions exist (tests drop and recreate databases)."""
    with _lock:
        _known.clear()
