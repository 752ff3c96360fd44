"""Writing derived observations (ISPU, flood status) with Core statements, and their events.

A derived datastream holds at most one observation per phenomenon time: recomputing a time
(an hour's ISPU as its data grows, a flood status recomputed after a late batch) updates the
row in place instead of adding another. Rows go in with Core ``INSERT`` executemany (``COPY``
on PostgreSQL) and ``UPDATE`` executemany, not through ``store_observations`` (that would
recurse), and the derived stream's SensorThings periods and ``last_*`` columns are kept as
ingest keeps them for sources. Only the newest row's id is read back: a history recomputed
at once (a month of minutes, say) asked for every id with ``RETURNING`` spent most of its
time there on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from pontive.core.choices import Classification
from pontive.core.db import copy_rows
from pontive.core.events import Event, emit
from pontive.sensors import partitions
from pontive.sensors.ingest_batch import json_text
from pontive.sensors.models import Datastream, Observation, Thing

OBSERVATIONS = cast(Table, Observation.__table__)
DATASTREAMS = cast(Table, Datastream.__table__)


@dataclass(frozen=True, slots=True)
class DerivedStream:
    """A derived datastream as read at the start of a batch (before this batch's writes)."""

    id: int
    name: str
    thing_id: int
    thing_name: str
    pd_kode: str | None
    properties: dict[str, Any] | None
    last_phenomenon_time: datetime | None
    last_result: Any
    phenomenon_time_start: datetime | None
    phenomenon_time_end: datetime | None
    result_time_start: datetime | None

    def is_newest(self, instant: datetime) -> bool:
        """Whether a value at ``instant`` is the stream's latest (not a late arrival)."""
        return self.last_phenomenon_time is None or instant >= self.last_phenomenon_time


@dataclass(frozen=True, slots=True)
class DerivedValue:
    """One derived result to store at a phenomenon time (an instant or an interval)."""

    phenomenon_time: datetime
    phenomenon_time_end: datetime | None
    result: float | int | str
    parameters: dict[str, Any]


def derived_columns(stream: Any) -> tuple[Any, ...]:
    """Columns to select for a ``DerivedStream`` (``stream``: ``Datastream`` or an alias of it,
    joined with ``Thing``)."""
    return (
        stream.id,
        stream.name,
        stream.thing_id,
        Thing.name,
        Thing.pd_kode,
        stream.properties,
        stream.last_phenomenon_time,
        stream.last_result,
        stream.phenomenon_time_start,
        stream.phenomenon_time_end,
        stream.result_time_start,
    )


DERIVED_WIDTH = 11


def derived_from_row(row: Sequence[Any]) -> DerivedStream:
    """A ``DerivedStream`` from a row that starts with ``derived_columns(...)``."""
    return DerivedStream(*row[:DERIVED_WIDTH])


def _row(stream_id: int, value: DerivedValue, now: datetime) -> dict[str, Any]:
    number = value.result if isinstance(value.result, int | float) else None
    return {
        "datastream_id": stream_id,
        "phenomenon_time": value.phenomenon_time,
        "phenomenon_time_end": value.phenomenon_time_end,
        "result_time": now,
        "result_number": None if number is None else float(number),
        "result_json": None if number is not None else value.result,
        "result_quality": None,
        "parameters": value.parameters,
    }


def _existing_ids(session: Session, stream_id: int, times: Iterable[datetime]) -> dict[Any, int]:
    """The ids of the stream's rows at ``times``, read as one range (a recomputed history
    can hold tens of thousands of times: too many to bind one by one)."""
    wanted = set(times)
    rows = session.execute(
        select(Observation.phenomenon_time, Observation.id).where(
            Observation.datastream_id == stream_id,
            Observation.phenomenon_time >= min(wanted),
            Observation.phenomenon_time <= max(wanted),
        )
    )
    return {time: obs_id for time, obs_id in rows if time in wanted}


def _update_existing(session: Session, rows: list[dict[str, Any]]) -> None:
    statement = (
        update(OBSERVATIONS)
        # The time is in the key too: on PostgreSQL it prunes to one monthly partition.
        .where(
            OBSERVATIONS.c.id == bindparam("b_id"),
            OBSERVATIONS.c.phenomenon_time == bindparam("b_time"),
        )
        .values(
            phenomenon_time_end=bindparam("b_end"),
            result_time=bindparam("b_result_time"),
            result_number=bindparam("b_number"),
            result_json=bindparam("b_json"),
            parameters=bindparam("b_parameters"),
        )
    )
    session.execute(
        statement,
        [
            {
                "b_id": row["id"],
                "b_time": row["phenomenon_time"],
                "b_end": row["phenomenon_time_end"],
                "b_result_time": row["result_time"],
                "b_number": row["result_number"],
                "b_json": row["result_json"],
                "b_parameters": row["parameters"],
            }
            for row in rows
        ],
    )


def write_derived(
    session: Session, stream: DerivedStream, values: Sequence[DerivedValue], *, now: datetime
) -> DerivedValue | None:
    """Store ``values`` (one per phenomenon time); returns the newest when it is the latest."""
    if not values:
        return None
    by_time = {value.phenomenon_time: value for value in values}  # last one wins
    partitions.ensure_partitions(
        session.connection(), {partitions.month_of(time) for time in by_time}
    )
    existing = _existing_ids(session, stream.id, by_time)
    updates, inserts = [], []
    for time, value in by_time.items():
        row = _row(stream.id, value, now)
        if time in existing:
            updates.append({**row, "id": existing[time]})
        else:
            inserts.append(row)
    if updates:
        _update_existing(session, updates)
    if inserts:
        _insert_new(session, inserts)
    newest = by_time[max(by_time)]
    if not stream.is_newest(newest.phenomenon_time):
        _update_stream(session, stream, by_time, None, now)
        return None
    newest_id = existing.get(newest.phenomenon_time)
    if newest_id is None:
        newest_id = _id_at(session, stream.id, newest.phenomenon_time)
    _update_stream(session, stream, by_time, (newest, newest_id), now)
    return newest


def _insert_new(session: Session, rows: list[dict[str, Any]]) -> None:
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(insert(OBSERVATIONS), rows)
        return
    # COPY takes JSON as its text; a missing result_json or result_quality is SQL NULL, as
    # the INSERT stores it (none_as_null), and a derived value always has parameters.
    columns = list(rows[0])
    copy_rows(
        connection,
        OBSERVATIONS.name,
        columns,
        (
            [json_text(row[name]) if name in _JSON_COLUMNS else row[name] for name in columns]
            for row in rows
        ),
    )


_JSON_COLUMNS = frozenset({"result_json", "result_quality", "parameters"})


def _id_at(session: Session, stream_id: int, time: datetime) -> int:
    """The id of the stream's one row at ``time`` (just written)."""
    found = session.scalar(
        select(Observation.id).where(
            Observation.datastream_id == stream_id, Observation.phenomenon_time == time
        )
    )
    assert found is not None  # noqa: S101 - written above, in this transaction
    return found


def _update_stream(
    session: Session,
    stream: DerivedStream,
    by_time: dict[datetime, DerivedValue],
    newest: tuple[DerivedValue, int] | None,
    now: datetime,
) -> None:
    first = min(by_time)
    last = max(value.phenomenon_time_end or time for time, value in by_time.items())
    values: dict[str, Any] = {
        "phenomenon_time_start": min(first, stream.phenomenon_time_start or first),
        "phenomenon_time_end": max(last, stream.phenomenon_time_end or last),
        "result_time_start": stream.result_time_start or now,
        "result_time_end": now,
    }
    if newest is not None:
        value, newest_id = newest
        values |= {
            "last_observation_id": newest_id,
            "last_phenomenon_time": value.phenomenon_time,
            "last_result": value.result,
        }
    session.execute(update(DATASTREAMS).where(DATASTREAMS.c.id == stream.id).values(**values))


def emit_change(
    session: Session,
    event_type: str,
    stream: DerivedStream,
    *,
    old: str | None,
    new: str,
    value: float | int | None,
    time: datetime,
    **extra: Any,
) -> None:
    """Queue a public ``sensors.*_changed`` event for after commit."""
    data = {
        "thing": {"id": stream.thing_id, "name": stream.thing_name},
        "stream": {"id": stream.id, "name": stream.name},
        "old": old,
        "new": new,
        "value": value,
        "time": time.isoformat(),
        **extra,
    }
    emit(session, Event(event_type, data, Classification.PUBLIK, pd_kode=stream.pd_kode))
