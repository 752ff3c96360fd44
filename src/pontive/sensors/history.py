"""Raw observation history: reading windows of it, retention, and the monthly partitions.

Reads serve the native API (``native_api.py``): the latest reading of a stream and a window
of raw readings, both from the (datastream, phenomenon time, id) index.

Retention (issue #4, "raw for N days, rollups kept"): a stream with ``retention_days`` loses
its raw observations older than that many days, counted back to 00:00 WIB so whole WIB days
go at once (``rollups.retention_cutoff``); its rollups stay. Rows are deleted in chunks, each
committed, so ingest never waits long behind the job. On PostgreSQL a month's partition in
which every row has expired is detached and dropped instead: that costs no row deletes, no
vacuum and returns the disk at once.

Jobs (``JOBS``, run by ``pontive worker``):

- ``sensors.partitions`` (every 6 h): the current and the next two months' partitions exist.
- ``sensors.retention`` (hourly): expired raw history is dropped or deleted.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import delete, select, text, tuple_
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from pontive.core.errors import NotFound
from pontive.core.timeutil import utcnow
from pontive.core.worker import Job, JobContext
from pontive.sensors import partitions
from pontive.sensors.models import Datastream, Observation
from pontive.sensors.rollups import retention_cutoff

log = logging.getLogger(__name__)

PARTITION_MONTHS = 3  # the current month and the next two
DELETE_CHUNK = 5_000  # rows per committed delete
DELETE_BUDGET = 500_000  # rows per run; the next run goes on
_LOCK_TIMEOUT = "5s"  # detaching waits at most this long for running queries

_when = Observation.phenomenon_time


class Reading(NamedTuple):
    """One raw observation as the native API shows it."""

    id: int
    phenomenon_time: datetime
    result: Any


@dataclass(frozen=True, slots=True)
class RetentionReport:
    """What one retention run removed."""

    deleted_rows: int
    dropped_partitions: tuple[str, ...]
    is_complete: bool  # False when the run stopped at its row budget


# --- reads ---------------------------------------------------------------------------------


def get_unit(*, session: Session, datastream_id: int) -> dict[str, Any]:
    """The stream's unit of measurement; ``NotFound`` when there is no such stream."""
    unit = session.scalar(
        select(Datastream.unit_of_measurement).where(Datastream.id == datastream_id)
    )
    if unit is None:
        raise NotFound("Datastream tidak ditemukan.", "Datastream not found.")
    return dict(unit)


def latest_reading(*, session: Session, datastream_id: int) -> Reading | None:
    """The stream's newest observation by phenomenon time, if any."""
    rows = _readings(session, datastream_id, None, None, limit=1, newest_first=True)
    return rows[0] if rows else None


def reading_window(
    *, session: Session, datastream_id: int, start: datetime, end: datetime, limit: int
) -> list[Reading]:
    """Up to ``limit`` observations with phenomenon time in [start, end), oldest first."""
    return _readings(session, datastream_id, start, end, limit=limit, newest_first=False)


def _readings(
    session: Session,
    datastream_id: int,
    start: datetime | None,
    end: datetime | None,
    *,
    limit: int,
    newest_first: bool,
) -> list[Reading]:
    query = select(Observation.id, _when, Observation.result_number, Observation.result_json).where(
        Observation.datastream_id == datastream_id
    )
    if start is not None:
        query = query.where(_when >= start)
    if end is not None:
        query = query.where(_when < end)
    order = (_when.desc(), Observation.id.desc()) if newest_first else (_when, Observation.id)
    rows = session.execute(query.order_by(*order).limit(limit))
    return [Reading(i, t, json if number is None else number) for i, t, number, json in rows]


# --- retention -----------------------------------------------------------------------------


def retention_cutoffs(*, session: Session, now: datetime) -> dict[int, datetime]:
    """Datastream id → the instant before which its raw rows are expired."""
    rows = session.execute(
        select(Datastream.id, Datastream.retention_days).where(
            Datastream.retention_days.is_not(None)
        )
    )
    return {ds: retention_cutoff(now=now, days=days) for ds, days in rows if days is not None}


def apply_retention(
    *,
    session: Session,
    now: datetime | None = None,
    chunk: int = DELETE_CHUNK,
    budget: int = DELETE_BUDGET,
) -> RetentionReport:
    """Drop expired partitions, then delete the other expired raw rows chunk by chunk.

    Each chunk is committed; rollups are never touched.
    """
    now = now or utcnow()
    cutoffs = retention_cutoffs(session=session, now=now)
    dropped = drop_expired_partitions(session=session, cutoffs=cutoffs, now=now)
    deleted = 0
    for datastream_id, cutoff in sorted(cutoffs.items()):
        while deleted < budget:
            count = _delete_chunk(session, datastream_id, cutoff, min(chunk, budget - deleted))
            session.commit()
            deleted += count
            if count < chunk:
                break
    is_complete = deleted < budget
    if deleted or dropped:
        log.info(
            "raw observation history expired",
            extra={"deleted": deleted, "dropped": dropped, "complete": is_complete},
        )
    return RetentionReport(deleted, tuple(dropped), is_complete)


def _delete_chunk(session: Session, datastream_id: int, cutoff: datetime, size: int) -> int:
    oldest = (
        select(Observation.id, _when)
        .where(Observation.datastream_id == datastream_id, _when < cutoff)
        .order_by(_when)
        .limit(size)
    )
    if session.get_bind().dialect.name == "postgresql":
        # (id, phenomenon_time) is the partitioned table's key and lets PostgreSQL prune.
        target = tuple_(Observation.id, _when).in_(oldest)
    else:
        target = Observation.id.in_(select(oldest.subquery().c.id))
    result = session.execute(delete(Observation).where(target))
    return int(getattr(result, "rowcount", 0) or 0)


def drop_expired_partitions(
    *, session: Session, cutoffs: Mapping[int, datetime], now: datetime
) -> list[str]:
    """Detach and drop the monthly partitions whose rows have all expired (PostgreSQL).

    A month qualifies when no stream that still keeps rows of that month (no retention, or a
    cut-off before the month's end) has any row in it. The current and previous months are
    never dropped: ingest processes remember that they exist.
    """
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return []
    oldest_kept = min(_previous(now), _previous(utcnow()))
    streams = list(session.scalars(select(Datastream.id)))
    dropped: list[str] = []
    for year, month in partitions.list_partitions(connection):
        if (year, month) >= oldest_kept:
            break
        end = partitions.partition_bounds(year, month)[1]
        keepers = [ds for ds in streams if ds not in cutoffs or cutoffs[ds] < end]
        if _holds_rows(session, partitions.partition_name(year, month), keepers):
            continue
        if _try_drop(session, year, month):
            dropped.append(partitions.partition_name(year, month))
    return dropped


def _previous(now: datetime) -> tuple[int, int]:
    year, month = partitions.month_of(now)
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _holds_rows(session: Session, partition: str, datastream_ids: list[int]) -> bool:
    if not datastream_ids:
        return False
    # One index probe per stream on the partition's (datastream_id, phenomenon_time, id).
    found = session.scalar(
        text(
            f"SELECT EXISTS (SELECT 1 FROM {partition}"  # noqa: S608 - our partition name
            " WHERE datastream_id = ANY(CAST(:ids AS integer[])))"
        ),
        {"ids": datastream_ids},
    )
    return bool(found)


def _try_drop(session: Session, year: int, month: int) -> bool:
    try:
        with session.begin_nested():
            session.execute(text(f"SET LOCAL lock_timeout = '{_LOCK_TIMEOUT}'"))
            partitions.drop_partition(session.connection(), year, month)
    except OperationalError:  # busy: queries held the table past the timeout
        log.warning("partition %s busy; dropping it at the next run", (year, month))
        return False
    session.commit()  # release the parent table's lock at once
    return True


# --- partitions and jobs -------------------------------------------------------------------


def prepare_partitions(*, session: Session, now: datetime | None = None) -> None:
    """Make the partitions of the current and the next two months (PostgreSQL; idempotent)."""
    months = partitions.months_from(now or utcnow(), PARTITION_MONTHS)
    partitions.ensure_partitions(session.connection(), months)


def run_partitions(context: JobContext) -> None:
    """Job: keep the coming months' partitions ready."""
    prepare_partitions(session=context.session)


def run_retention(context: JobContext) -> None:
    """Job: remove expired raw history."""
    apply_retention(session=context.session)


JOBS: tuple[Job, ...] = (
    Job("sensors.partitions", 6 * 3600.0, run_partitions),
    Job("sensors.retention", 3600.0, run_retention),
)
