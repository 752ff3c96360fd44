"""Rollups: bucket arithmetic, recompute on insert and delete, late data, retention, rebuild."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.timeutil import WIB, utcnow
from pontive.sensors.models import Rollup, from_micros, to_micros
from pontive.sensors.rollups import (
    DAY,
    FIFTEEN_MINUTES,
    HOUR,
    merge_spans,
    read_buckets,
    rebuild_rollups,
    retention_cutoff,
    update_rollups,
)
from tests.sensors.history_support import (
    _forget_partitions,  # noqa: F401 - autouse fixture
    add_observations,
    delete_observations,
    expected_rollups,
    make_stream,
    raw_readings,
    stored_rollups,
)

T0 = datetime(2026, 11, 28, 16, 50, tzinfo=UTC)  # 23:50 WIB, ten minutes before a WIB day ends


def _t(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_fifteen_minute_and_hour_buckets_are_aligned_in_utc() -> None:
    moment = datetime(2026, 11, 29, 10, 44, 59, 999_999, tzinfo=UTC)
    assert FIFTEEN_MINUTES.floor(moment) == datetime(2026, 11, 29, 10, 30, tzinfo=UTC)
    assert FIFTEEN_MINUTES.floor(moment + timedelta(microseconds=1)) == datetime(
        2026, 11, 29, 10, 45, tzinfo=UTC
    )
    assert HOUR.floor(moment) == datetime(2026, 11, 29, 10, tzinfo=UTC)


def test_a_day_bucket_is_a_wib_calendar_day() -> None:
    before_midnight_wib = datetime(2026, 11, 29, 16, 59, 59, tzinfo=UTC)  # 23:59:59 WIB
    after_midnight_wib = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)  # 00:00 WIB, 30 Nov
    assert DAY.floor(before_midnight_wib) == datetime(2026, 11, 29, tzinfo=WIB)
    assert DAY.floor(after_midnight_wib) == datetime(2026, 11, 30, tzinfo=WIB)
    assert DAY.floor(after_midnight_wib) == after_midnight_wib


def test_buckets_before_1970_floor_downwards() -> None:
    moment = datetime(1969, 12, 31, 23, 59, tzinfo=UTC)
    assert FIFTEEN_MINUTES.floor(moment) == datetime(1969, 12, 31, 23, 45, tzinfo=UTC)
    # A fixed UTC+7: the zone database's Asia/Pontianak was +07:30 before 1988.
    assert DAY.floor(moment) == datetime(1970, 1, 1, tzinfo=timezone(timedelta(hours=7)))


def test_retention_cutoff_is_a_wib_midnight() -> None:
    now = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)  # 10:00 WIB on 29 Nov
    assert retention_cutoff(now=now, days=7) == datetime(2026, 11, 22, tzinfo=WIB)


def test_contiguous_buckets_merge_into_one_span() -> None:
    starts = [_t(15), _t(0), _t(45), _t(-10)]
    floors = {FIFTEEN_MINUTES.floor_micros(to_micros(s)) for s in starts}
    spans = merge_spans(7, floors, FIFTEEN_MINUTES)
    assert [(s.datastream_id, from_micros(s.start), from_micros(s.end)) for s in spans] == [
        (7, datetime(2026, 11, 28, 16, 30, tzinfo=UTC), datetime(2026, 11, 28, 17, 15, tzinfo=UTC)),
        (7, datetime(2026, 11, 28, 17, 30, tzinfo=UTC), datetime(2026, 11, 28, 17, 45, tzinfo=UTC)),
    ]


def test_new_observations_fill_every_interval(session: Session) -> None:
    stream = make_stream(session)
    readings = [(_t(m), 100.0 + m) for m in range(0, 40, 5)]  # across 15m, 1h and WIB-day edges
    add_observations(session, stream, readings)
    update_rollups(session=session, touched={stream: [t for t, _ in readings]})
    stored = stored_rollups(session, stream)
    assert stored == expected_rollups(readings)
    # 16:50 and 16:55 UTC are 28 Nov in WIB; 17:00 onwards is 29 Nov.
    assert stored[("1d", datetime(2026, 11, 28, tzinfo=WIB))] == (2, 205.0, 100.0, 105.0)
    assert stored[("1d", datetime(2026, 11, 29, tzinfo=WIB))][0] == 6
    assert stored[("15m", datetime(2026, 11, 28, 17, 0, tzinfo=UTC))] == (3, 345.0, 110.0, 120.0)


def test_a_reading_on_a_boundary_opens_the_next_bucket(session: Session) -> None:
    stream = make_stream(session)
    edge = datetime(2026, 11, 28, 17, 0, tzinfo=UTC)
    readings = [(edge - timedelta(microseconds=1), 1.0), (edge, 2.0)]
    add_observations(session, stream, readings)
    update_rollups(session=session, touched={stream: [t for t, _ in readings]})
    stored = stored_rollups(session, stream)
    assert stored[("15m", edge)] == (1, 2.0, 2.0, 2.0)
    assert stored[("15m", edge - timedelta(minutes=15))] == (1, 1.0, 1.0, 1.0)
    assert stored[("1d", edge)] == (1, 2.0, 2.0, 2.0)


def test_late_out_of_order_readings_are_merged(session: Session) -> None:
    stream = make_stream(session)
    first = [(_t(30), 5.0), (_t(31), 7.0)]
    add_observations(session, stream, first)
    update_rollups(session=session, touched={stream: [t for t, _ in first]})
    late = [(_t(32), 1.0), (_t(-600), 9.0)]  # one in an existing bucket, one ten hours back
    add_observations(session, stream, late)
    update_rollups(session=session, touched={stream: [t for t, _ in late]})
    assert stored_rollups(session, stream) == expected_rollups(first + late)


def test_deleting_readings_recomputes_and_removes_empty_buckets(session: Session) -> None:
    stream = make_stream(session)
    readings = [(_t(0), 3.0), (_t(1), 4.0), (_t(60), 8.0)]
    ids = add_observations(session, stream, readings)
    update_rollups(session=session, touched={stream: [t for t, _ in readings]})
    delete_observations(session, ids[1:])
    update_rollups(session=session, touched={stream: [t for t, _ in readings[1:]]})
    stored = stored_rollups(session, stream)
    assert stored == expected_rollups(readings[:1])
    assert ("1h", HOUR.floor(_t(60))) not in stored
    assert ("1d", DAY.floor(_t(60))) not in stored


def test_non_numeric_results_are_not_rolled_up(session: Session) -> None:
    stream = make_stream(session)
    readings = [(_t(0), 2.5), (_t(1), "siaga"), (_t(2), None), (_t(3), True)]
    add_observations(session, stream, readings)
    update_rollups(session=session, touched={stream: [t for t, _ in readings]})
    assert stored_rollups(session, stream) == expected_rollups([(_t(0), 2.5)])


def test_one_call_covers_many_streams_and_leaves_others_alone(session: Session) -> None:
    streams = [make_stream(session, name=f"Stream {n}") for n in range(3)]
    bystander = make_stream(session, name="Bystander")
    add_observations(session, bystander, [(_t(0), 1.0)])
    update_rollups(session=session, touched={bystander: [_t(0)]})
    before = stored_rollups(session, bystander)
    for number, stream in enumerate(streams):
        add_observations(session, stream, [(_t(number), float(number))])
    update_rollups(session=session, touched={s: [_t(n)] for n, s in enumerate(streams)})
    for number, stream in enumerate(streams):
        assert stored_rollups(session, stream) == expected_rollups([(_t(number), float(number))])
    assert stored_rollups(session, bystander) == before


def test_times_older_than_retention_do_not_touch_kept_rollups(session: Session) -> None:
    stream = make_stream(session, retention_days=7)
    old = utcnow() - timedelta(days=30)
    add_observations(session, stream, [(old, 10.0)])
    rebuild_rollups(session=session, datastream_id=stream)  # history from before retention
    kept = stored_rollups(session, stream)
    assert kept == expected_rollups([(old, 10.0)])
    add_observations(session, stream, [(old + timedelta(seconds=1), 99.0)])
    update_rollups(session=session, touched={stream: [old + timedelta(seconds=1)]})
    assert stored_rollups(session, stream) == kept
    recent = utcnow() - timedelta(hours=1)
    add_observations(session, stream, [(recent, 5.0)])
    update_rollups(session=session, touched={stream: [recent]})
    assert stored_rollups(session, stream)[("15m", FIFTEEN_MINUTES.floor(recent))][0] == 1


def test_rebuild_matches_incremental_updates_and_keeps_older_rollups(session: Session) -> None:
    stream = make_stream(session)
    readings = [(_t(m * 7), float(m % 11)) for m in range(200)]
    add_observations(session, stream, readings)
    update_rollups(session=session, touched={stream: [t for t, _ in readings]})
    incremental = stored_rollups(session, stream)
    session.add(
        Rollup(
            datastream_id=stream,
            interval="1d",
            bucket_start=DAY.floor(_t(-5 * 24 * 60)),
            count=3,
            total=6.0,
            minimum=1.0,
            maximum=3.0,
        )
    )
    session.flush()
    rebuild_rollups(session=session, datastream_id=stream)
    rebuilt = stored_rollups(session, stream)
    assert rebuilt.pop(("1d", DAY.floor(_t(-5 * 24 * 60)))) == (3, 6.0, 1.0, 3.0)
    assert rebuilt == incremental == expected_rollups(readings)


def test_random_batches_of_inserts_and_deletes_stay_exact(session: Session) -> None:
    rng = random.Random(20261129)
    stream = make_stream(session)
    live: dict[int, datetime] = {}
    for _batch in range(12):
        readings = [
            (_t(rng.uniform(-3000, 3000)), round(rng.uniform(-50, 250), 2)) for _ in range(25)
        ]
        ids = add_observations(session, stream, readings)
        live.update(zip(ids, (t for t, _ in readings), strict=True))
        doomed = rng.sample(sorted(live), 8)
        delete_observations(session, doomed)
        touched = [t for t, _ in readings] + [live.pop(i) for i in doomed]
        update_rollups(session=session, touched={stream: touched})
    assert stored_rollups(session, stream) == expected_rollups(raw_readings(session, stream))


def test_read_buckets_returns_a_window_oldest_first(session: Session) -> None:
    stream = make_stream(session)
    readings = [(_t(m), 1.0) for m in range(0, 180, 10)]
    add_observations(session, stream, readings)
    update_rollups(session=session, touched={stream: [t for t, _ in readings]})
    buckets = read_buckets(
        session=session, datastream_id=stream, interval=HOUR, start=_t(10), end=_t(130)
    )
    seventeen = int(datetime(2026, 11, 28, 17, tzinfo=UTC).timestamp())
    assert buckets == [(seventeen, 6, 6.0, 1.0, 1.0), (seventeen + 3600, 6, 6.0, 1.0, 1.0)]


@pytest.mark.parametrize("interval", ["15m", "1h", "1d"])
def test_every_interval_is_stored(session: Session, interval: str) -> None:
    stream = make_stream(session)
    add_observations(session, stream, [(_t(0), 1.0)])
    update_rollups(session=session, touched={stream: [_t(0)]})
    count = session.scalar(
        select(Rollup.count).where(Rollup.datastream_id == stream, Rollup.interval == interval)
    )
    assert count == 1
