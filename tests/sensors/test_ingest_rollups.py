"""Ingest adds each batch to the rollups: the same buckets a recompute from the raw rows gives."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from pontive.core.timeutil import utcnow
from pontive.sensors.ingest import ObservationIn, store_observations
from pontive.sensors.ingest_check import OM
from pontive.sensors.models import Observation, from_micros, to_micros
from pontive.sensors.rollups import bucket_increments, rebuild_rollups
from tests.sensors.conftest import datastream, sta_thing
from tests.sensors.history_support import (
    _forget_partitions,  # noqa: F401 - autouse fixture
    expected_rollups,
    raw_readings,
    stored_rollups,
)
from tests.sensors.indices_support import _fresh_process_caches  # noqa: F401 - autouse

T0 = datetime(2026, 11, 28, 16, 50, tzinfo=UTC)  # 23:50 WIB: a WIB day ends ten minutes later


def _stream(session: Session, **fields: Any) -> int:
    return datastream(session, thing=sta_thing(session), **fields).id


def _store(session: Session, stream: int, readings: list[tuple[datetime, Any]]) -> None:
    items = [ObservationIn(stream, when, None, result) for when, result in readings]
    store_observations(session=session, items=items, source="http")


def test_increments_are_the_buckets_of_the_numeric_rows() -> None:
    rng = random.Random(20261201)
    readings = [
        (stream, T0 + timedelta(seconds=rng.randrange(-90_000, 90_000)), rng.uniform(-5, 300))
        for stream in (4, 9)
        for _ in range(400)
    ]
    values: list[float | None] = [value for _, _, value in readings]
    values[::7] = [None] * len(values[::7])  # not numbers: left out
    rows = bucket_increments(
        [stream for stream, _, _ in readings], [to_micros(t) for _, t, _ in readings], values
    )
    for stream in (4, 9):
        mine = [(t, v) for (s, t, _), v in zip(readings, values, strict=True) if s == stream]
        numeric = [(t, v) for t, v in mine if v is not None]
        got = {
            (interval, from_micros(start)): (count, round(total, 6), low, high)
            for ds, interval, start, count, total, low, high in rows
            if ds == stream
        }
        assert got == expected_rollups(numeric)
    keys = [(interval, ds, start) for ds, interval, start, *_ in rows]
    assert len(set(keys)) == len(keys)  # one row per bucket: one upsert may not hit a row twice


def test_late_and_out_of_order_batches_add_up_to_a_recompute(session: Session) -> None:
    rng = random.Random(11)
    stream = _stream(session, quantity=None, observation_type=OM + "OM_Observation")  # any result
    for _batch in range(8):
        readings: list[tuple[datetime, Any]] = [
            (T0 + timedelta(seconds=rng.randrange(-20_000, 20_000)), round(rng.uniform(0, 9), 3))
            for _ in range(60)
        ]
        readings += [(T0 + timedelta(seconds=rng.randrange(-20_000, 20_000)), "rusak")]
        _store(session, stream, readings)
    added = stored_rollups(session, stream)
    assert added == expected_rollups(raw_readings(session, stream))
    rebuild_rollups(session=session, datastream_id=stream)  # recomputed from the raw rows
    assert stored_rollups(session, stream) == added


def test_a_late_reading_older_than_retention_joins_the_kept_history(session: Session) -> None:
    # Rollups older than a stream's retention outlive their raw rows: a late reading from
    # then is added to them, where a recompute from the raw rows would have erased them.
    kept = _stream(session, retention_days=7)
    old = utcnow().replace(microsecond=0) - timedelta(days=30)
    _store(session, kept, [(old, 10.0), (old + timedelta(seconds=5), 30.0)])
    history = stored_rollups(session, kept)
    # The retention job took the raw rows; their rollups stay.
    session.execute(delete(Observation).where(Observation.datastream_id == kept))
    _store(session, kept, [(old + timedelta(seconds=10), 2.0)])
    after = stored_rollups(session, kept)
    assert after.keys() == history.keys()
    for key, (count, total, low, high) in history.items():
        assert after[key] == (count + 1, total + 2.0, min(low, 2.0), high)
