"""Monthly partitions of the observation table: creation, listing, dropping, the cache."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from pontive.sensors import history, partitions
from pontive.sensors.models import to_micros
from tests.sensors.history_support import (
    _forget_partitions,  # noqa: F401 - autouse fixture
    add_observations,
    make_stream,
)


@pytest.fixture
def pg(session: Session) -> Session:
    """The session, on PostgreSQL only (SQLite has no partitions)."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no partitions")
    return session


def test_names_and_bounds() -> None:
    assert partitions.partition_name(2026, 3) == "sensor_observations_p202603"
    assert partitions.is_partition_name("sensor_observations_p202603")
    assert not partitions.is_partition_name("sensor_observations_p2026")
    assert partitions.partition_bounds(2026, 12) == (
        datetime(2026, 12, 1, tzinfo=UTC),
        datetime(2027, 1, 1, tzinfo=UTC),
    )
    assert partitions.month_of(datetime(2026, 11, 30, 23, 59, tzinfo=UTC)) == (2026, 11)


def test_months_from_crosses_the_year() -> None:
    start = datetime(2026, 11, 15, tzinfo=UTC)
    assert partitions.months_from(start, 3) == [(2026, 11), (2026, 12), (2027, 1)]


def test_the_months_of_a_batch_are_those_of_its_utc_days() -> None:
    instants = [
        datetime(2026, 11, 30, 23, 59, 59, 999_999, tzinfo=UTC),  # 06:59 WIB on 1 December
        datetime(2026, 12, 1, tzinfo=UTC),
        datetime(2026, 12, 31, 12, tzinfo=UTC),
        datetime(1969, 12, 31, 23, 59, tzinfo=UTC),  # before the epoch: floors downwards
        datetime(2026, 12, 1, 5, tzinfo=UTC),
    ]
    micros = [to_micros(instant) for instant in instants]
    expected = {partitions.month_of(instant) for instant in instants}
    assert sorted(set(partitions.months_of_micros(micros))) == sorted(expected)
    assert expected == {(1969, 12), (2026, 11), (2026, 12)}


def test_sqlite_has_nothing_to_do(session: Session) -> None:
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite only")
    partitions.ensure_partitions(session.connection(), [(2026, 1)])
    assert partitions.list_partitions(session.connection()) == []


def test_partitions_are_created_once_and_listed(pg: Session) -> None:
    connection = pg.connection()
    partitions.ensure_partitions(connection, [(2024, 2), (2024, 3)])
    partitions.ensure_partitions(connection, [(2024, 3), (2024, 2)])
    listed = partitions.list_partitions(connection)
    assert [m for m in listed if m[0] == 2024] == [(2024, 2), (2024, 3)]
    bound = connection.scalar(
        text(
            "SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_class AS c"
            " WHERE c.relname = 'sensor_observations_p202402'"
        )
    )
    assert "2024-02-01" in bound
    assert "2024-03-01" in bound


def test_rows_land_in_their_month(pg: Session) -> None:
    stream = make_stream(pg)
    add_observations(pg, stream, [(datetime(2024, 5, 31, 23, 59, 59, tzinfo=UTC), 1.0)])
    add_observations(pg, stream, [(datetime(2024, 6, 1, tzinfo=UTC), 2.0)])
    may = pg.scalar(text("SELECT count(*) FROM sensor_observations_p202405"))
    june = pg.scalar(text("SELECT count(*) FROM sensor_observations_p202406"))
    assert (may, june) == (1, 1)


def test_a_dropped_old_month_is_made_again_when_a_late_row_comes(pg: Session) -> None:
    stream = make_stream(pg)
    add_observations(pg, stream, [(datetime(2023, 7, 1, tzinfo=UTC), 1.0)])
    partitions.drop_partition(pg.connection(), 2023, 7)
    assert (2023, 7) not in partitions.list_partitions(pg.connection())
    add_observations(pg, stream, [(datetime(2023, 7, 2, tzinfo=UTC), 2.0)])
    assert pg.scalar(text("SELECT count(*) FROM sensor_observations_p202307")) == 1


def test_old_months_are_not_remembered(pg: Session) -> None:
    partitions.ensure_partitions(pg.connection(), [(2023, 8)])
    # Another process drops it: this one must not trust an old memory.
    pg.execute(text("ALTER TABLE sensor_observations DETACH PARTITION sensor_observations_p202308"))
    pg.execute(text("DROP TABLE sensor_observations_p202308"))
    partitions.ensure_partitions(pg.connection(), [(2023, 8)])
    assert (2023, 8) in partitions.list_partitions(pg.connection())


def test_prepare_partitions_makes_this_and_the_next_two_months(pg: Session) -> None:
    now = datetime(2031, 12, 10, tzinfo=UTC)
    history.prepare_partitions(session=pg, now=now)
    history.prepare_partitions(session=pg, now=now)  # idempotent
    listed = partitions.list_partitions(pg.connection())
    assert {(2031, 12), (2032, 1), (2032, 2)} <= set(listed)
    assert (2032, 3) not in listed
