"""Retention of raw history (chunked deletes, whole partitions on PostgreSQL) and the jobs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.core.events import MemoryBus
from pontive.core.timeutil import WIB
from pontive.core.worker import JobContext, registered_jobs
from pontive.sensors import history, partitions
from pontive.sensors.models import Observation
from pontive.sensors.rollups import rebuild_rollups
from tests.sensors.history_support import (
    _forget_partitions,  # noqa: F401 - autouse fixture
    add_observations,
    make_stream,
    stored_rollups,
)

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)  # 10:00 WIB
CUTOFF = datetime(2026, 11, 22, tzinfo=WIB)  # seven days back, at 00:00 WIB


def _times(session: Session, stream: int) -> list[datetime]:
    query = (
        select(Observation.phenomenon_time)
        .where(Observation.datastream_id == stream)
        .order_by(Observation.phenomenon_time)
    )
    return list(session.scalars(query))


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def test_retention_deletes_only_expired_raw_rows_and_keeps_rollups(session: Session) -> None:
    kept_stream = make_stream(session, retention_days=7)
    forever = make_stream(session, name="Tanpa batas")
    edge = [CUTOFF - timedelta(microseconds=1), CUTOFF, CUTOFF + timedelta(days=1)]
    old = [CUTOFF - timedelta(days=d) for d in (1, 2, 3)]
    add_observations(session, kept_stream, [(t, 1.0) for t in old + edge])
    add_observations(session, forever, [(t, 2.0) for t in old])
    rebuild_rollups(session=session, datastream_id=kept_stream)
    rollups_before = stored_rollups(session, kept_stream)

    report = history.apply_retention(session=session, now=NOW)

    assert report.deleted_rows == 4
    assert report.is_complete
    assert _times(session, kept_stream) == edge[1:]
    assert len(_times(session, forever)) == 3
    assert stored_rollups(session, kept_stream) == rollups_before


def test_retention_works_in_chunks_within_a_budget(session: Session) -> None:
    stream = make_stream(session, retention_days=1)
    add_observations(session, stream, [(CUTOFF - timedelta(hours=h), 1.0) for h in range(1, 11)])
    first = history.apply_retention(session=session, now=NOW, chunk=3, budget=7)
    assert (first.deleted_rows, first.is_complete) == (7, False)
    second = history.apply_retention(session=session, now=NOW, chunk=3, budget=7)
    assert (second.deleted_rows, second.is_complete) == (3, True)
    assert history.apply_retention(session=session, now=NOW).deleted_rows == 0
    remaining = select(func.count()).where(Observation.datastream_id == stream)
    assert session.scalar(remaining) == 0


def test_retention_deletes_the_oldest_rows_first(session: Session) -> None:
    stream = make_stream(session, retention_days=7)
    times = [CUTOFF - timedelta(days=d) for d in (1, 5, 3)]
    add_observations(session, stream, [(t, 1.0) for t in times])
    history.apply_retention(session=session, now=NOW, chunk=1, budget=2)
    assert _times(session, stream) == [CUTOFF - timedelta(days=1)]


def test_whole_expired_month_partitions_are_dropped(session: Session) -> None:
    if not _is_postgresql(session):
        pytest.skip("PostgreSQL only: SQLite has no partitions")
    short = make_stream(session, retention_days=30)
    forever = make_stream(session, name="Tanpa batas")
    add_observations(session, short, [(datetime(2025, 1, 15, tzinfo=UTC), 1.0)])
    add_observations(session, short, [(datetime(2025, 2, 15, tzinfo=UTC), 1.0)])
    add_observations(session, forever, [(datetime(2025, 2, 20, tzinfo=UTC), 2.0)])
    rebuild_rollups(session=session, datastream_id=short)
    rollups_before = stored_rollups(session, short)

    report = history.apply_retention(session=session, now=NOW)

    assert report.dropped_partitions == ("sensor_observations_p202501",)
    assert (2025, 1) not in partitions.list_partitions(session.connection())
    assert (2025, 2) in partitions.list_partitions(session.connection())
    assert report.deleted_rows == 1  # the February row of the short stream, by delete
    assert len(_times(session, forever)) == 1
    assert stored_rollups(session, short) == rollups_before


def test_recent_partitions_are_never_dropped(session: Session) -> None:
    if not _is_postgresql(session):
        pytest.skip("PostgreSQL only: SQLite has no partitions")
    stream = make_stream(session, retention_days=1)
    now = datetime.now(UTC)
    history.prepare_partitions(session=session, now=now)
    report = history.apply_retention(session=session, now=now + timedelta(days=90))
    assert report.dropped_partitions == ()
    assert stream


def test_no_partition_is_dropped_on_sqlite(session: Session) -> None:
    if _is_postgresql(session):
        pytest.skip("SQLite only")
    assert history.drop_expired_partitions(session=session, cutoffs={1: NOW}, now=NOW) == []


def test_the_partitions_job_is_idempotent(session: Session) -> None:
    context = JobContext(session=session, bus=MemoryBus())
    history.run_partitions(context)
    history.run_partitions(context)
    if _is_postgresql(session):
        months = set(partitions.list_partitions(session.connection()))
        assert set(partitions.months_from(datetime.now(UTC), 3)) <= months


def test_the_retention_job_runs_in_a_job_context(session: Session) -> None:
    stream = make_stream(session, retention_days=1)
    add_observations(session, stream, [(datetime.now(UTC) - timedelta(days=3), 1.0)])
    history.run_retention(JobContext(session=session, bus=MemoryBus()))
    assert _times(session, stream) == []


def test_jobs_are_exported_for_the_worker() -> None:
    names = {job.name: job.interval_seconds for job in history.JOBS}
    assert names == {"sensors.partitions": 6 * 3600.0, "sensors.retention": 3600.0}
    registered = {job.name for job in registered_jobs()}
    if "sensors.retention" not in registered:
        pytest.skip("sensors/jobs.py does not gather history.JOBS yet (the lead wires it)")


def test_readings_are_read_from_the_index(session: Session) -> None:
    stream = make_stream(session)
    add_observations(session, stream, [(NOW - timedelta(minutes=m), float(m)) for m in range(5)])
    latest = history.latest_reading(session=session, datastream_id=stream)
    assert latest is not None
    assert (latest.phenomenon_time, latest.result) == (NOW, 0.0)
    window = history.reading_window(
        session=session,
        datastream_id=stream,
        start=NOW - timedelta(minutes=3),
        end=NOW,
        limit=2,
    )
    assert [r.result for r in window] == [3.0, 2.0]
