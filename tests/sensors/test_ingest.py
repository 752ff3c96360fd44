"""The observation write path: checks, features, bulk rows, summaries, rollups, concurrency."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from pontive.core.db import Database
from pontive.core.errors import InvalidInput
from pontive.core.timeutil import utcnow
from pontive.sensors import partitions
from pontive.sensors.ingest import ObservationIn, store_acceptable, store_observations
from pontive.sensors.ingest_check import OM, OM_MEASUREMENT
from pontive.sensors.models import (
    Datastream,
    FeatureOfInterest,
    Location,
    Observation,
    Rollup,
    Thing,
)
from tests.sensors.conftest import datastream, sta_thing
from tests.sensors.history_support import expected_rollups, raw_readings, stored_rollups
from tests.sensors.indices_support import _fresh_process_caches  # noqa: F401 - autouse
from tests.sensors.mqtt_support import make_stream, own_database, stream_of  # noqa: F401 - fixture

T0 = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)  # 09:00 WIB


def obs(stream: Datastream | int, minute: int, result: Any, **fields: Any) -> ObservationIn:
    stream_id = stream if isinstance(stream, int) else stream.id
    when = T0 + timedelta(minutes=minute)
    return ObservationIn(stream_id, fields.pop("at", when), None, result, **fields)


@pytest.fixture
def stream(session: Session) -> Datastream:
    return datastream(session, thing=sta_thing(session))


def rows(session: Session, ids: list[int]) -> list[Any]:
    query = select(Observation).where(Observation.id.in_(ids)).order_by(Observation.id)
    return list(session.scalars(query))


def test_numbers_land_in_result_number_and_everything_else_in_result_json(
    session: Session,
) -> None:
    thing = sta_thing(session)
    measured = datastream(session, thing=thing)
    anything = datastream(session, thing=thing, observation_type=OM + "OM_Observation")
    ids = store_observations(
        session=session,
        items=[obs(measured, 0, 312), obs(anything, 0, "banjir"), obs(anything, 1, True)],
        source="http",
    )
    stored = rows(session, ids)
    assert [(r.result_number, r.result_json) for r in stored] == [
        (312.0, None),
        (None, "banjir"),
        (None, True),
    ]
    assert [r.phenomenon_time for r in stored] == [T0, T0, T0 + timedelta(minutes=1)]
    assert ids == sorted(ids)


def test_every_optional_property_is_stored(session: Session, stream: Datastream) -> None:
    item = obs(
        stream,
        0,
        1.25,
        result_time=T0 + timedelta(seconds=5),
        result_quality={"flag": "ok"},
        valid_time_start=T0,
        valid_time_end=T0 + timedelta(hours=1),
        parameters={"battery": 80},
    )
    (row,) = rows(session, store_observations(session=session, items=[item], source="http"))
    assert row.result_time == T0 + timedelta(seconds=5)
    assert (row.result_quality, row.parameters) == ({"flag": "ok"}, {"battery": 80})
    assert (row.valid_time_start, row.valid_time_end) == (T0, T0 + timedelta(hours=1))


def test_a_large_mixed_batch_keeps_every_value_on_its_own_row(session: Session) -> None:
    # Thousands of rows take several multi-row statements; one row with every optional
    # property makes all columns named, the others leave them NULL; ids stay in order.
    thing = sta_thing(session)
    measured = datastream(session, thing=thing)
    anything = datastream(session, thing=thing, observation_type=OM + "OM_Observation")
    items = [obs(measured, n, float(n)) for n in range(2_500)]
    items[1_234] = obs(anything, 1_234, {"level": "siaga"}, parameters={"battery": 51})
    items[2_345] = obs(measured, 2_345, 7.5, result_time=T0, result_quality="ok")
    ids = store_observations(session=session, items=items, source="http")
    assert ids == list(range(ids[0], ids[0] + 2_500))
    stored = {row.id: row for row in rows(session, ids)}
    for index in (0, 999, 1_000, 1_233, 1_235, 2_499):
        row = stored[ids[index]]
        assert (row.datastream_id, row.result_number, row.parameters) == (
            measured.id, float(index), None
        )  # fmt: skip
        assert row.phenomenon_time == T0 + timedelta(minutes=index)
    odd = stored[ids[1_234]]
    assert (odd.datastream_id, odd.result_json, odd.result_number) == (
        anything.id, {"level": "siaga"}, None
    )  # fmt: skip
    assert odd.parameters == {"battery": 51}
    stamped = stored[ids[2_345]]
    assert (stamped.result_time, stamped.result_quality, stamped.result_number) == (T0, "ok", 7.5)


def test_phenomenon_time_defaults_to_the_time_of_storing(
    session: Session, stream: Datastream
) -> None:
    before = utcnow()
    item = ObservationIn(stream.id, None, None, 2.0)
    (row,) = rows(session, store_observations(session=session, items=[item], source="http"))
    assert before <= row.phenomenon_time <= utcnow()


@pytest.mark.parametrize(
    ("observation_type", "good", "bad"),
    [
        (OM_MEASUREMENT, 3.5, "3.5"),
        (OM_MEASUREMENT, 7, True),
        (OM + "OM_CountObservation", 12, 12.5),
        (OM + "OM_TruthObservation", False, 0),
        (OM + "OM_CategoryObservation", "http://contoh.id/hujan-lebat", 4),
    ],
)
def test_the_result_must_fit_the_observation_type(
    session: Session, observation_type: str, good: Any, bad: Any
) -> None:
    stream = datastream(session, thing=sta_thing(session), observation_type=observation_type)
    assert store_observations(session=session, items=[obs(stream, 0, good)], source="http")
    with pytest.raises(InvalidInput) as caught:
        store_observations(session=session, items=[obs(stream, 1, bad)], source="http")
    assert set(caught.value.errors) == {"result"}


def test_one_bad_item_refuses_the_whole_http_batch(session: Session, stream: Datastream) -> None:
    count = select(func.count()).select_from(Observation)
    before = session.scalar(count)
    with pytest.raises(InvalidInput) as caught:
        store_observations(
            session=session, items=[obs(stream, 0, 1.0), obs(999_999, 0, 1.0)], source="http"
        )
    assert caught.value.errors == {"Datastream": ["no Datastream 999999"]}
    assert session.scalar(count) == before


def test_store_acceptable_keeps_the_good_items_and_names_the_bad(
    session: Session, stream: Datastream
) -> None:
    outcome = store_acceptable(
        session=session,
        items=[obs(stream, 0, 1.0), obs(stream, 1, "x"), obs(999_999, 0, 1.0), obs(stream, 2, 2)],
        source="mqtt",
    )
    assert outcome.ids[1] is None
    assert outcome.ids[2] is None
    assert [r.result_number for r in rows(session, [i for i in outcome.ids if i])] == [1.0, 2.0]
    assert sorted(outcome.errors) == [1, 2]


def test_a_deleted_datastream_is_refused_at_once(session: Session, stream: Datastream) -> None:
    store_observations(session=session, items=[obs(stream, 0, 1.0)], source="http")
    session.execute(delete(Datastream).where(Datastream.id == stream.id))
    with pytest.raises(InvalidInput):
        store_observations(session=session, items=[obs(stream.id, 1, 1.0)], source="http")


def _feature_ids(session: Session, ids: list[int]) -> list[int | None]:
    return [r.feature_of_interest_id for r in rows(session, ids)]


def test_the_feature_is_generated_from_the_location_once_and_then_reused(
    session: Session, stream: Datastream
) -> None:
    first = store_observations(session=session, items=[obs(stream, 0, 1.0)], source="http")
    again = store_observations(
        session=session, items=[obs(stream, 1, 2.0), obs(stream, 2, 3.0)], source="http"
    )
    features = set(_feature_ids(session, first + again))
    assert len(features) == 1
    feature = session.get(FeatureOfInterest, features.pop())
    assert feature is not None
    location = session.get(Location, feature.generated_from_location_id)
    assert location is not None
    assert (feature.feature, feature.name) == (location.location, location.name)


def test_a_location_moved_elsewhere_gets_a_new_feature(
    session: Session, stream: Datastream
) -> None:
    (first,) = store_observations(session=session, items=[obs(stream, 0, 1.0)], source="http")
    (old,) = _feature_ids(session, [first])
    feature = session.get(FeatureOfInterest, old)
    assert feature is not None
    moved = {"type": "Point", "coordinates": [109.35, -0.05]}
    session.execute(
        update(Location)
        .where(Location.id == feature.generated_from_location_id)
        .values(location=moved)
    )
    (second,) = store_observations(session=session, items=[obs(stream, 1, 1.0)], source="http")
    (new,) = _feature_ids(session, [second])
    assert new != old
    created = session.get(FeatureOfInterest, new)
    assert created is not None
    assert created.feature == moved


def test_a_linked_or_deep_inserted_feature_is_used_and_a_missing_one_refused(
    session: Session, stream: Datastream
) -> None:
    document = {
        "name": "Muara Sungai Landak",
        "description": "",
        "encodingType": "application/geo+json",
        "feature": {"type": "Point", "coordinates": [109.349, -0.024]},
    }
    (made,) = store_observations(
        session=session, items=[obs(stream, 0, 1.0, feature_of_interest=document)], source="http"
    )
    (feature_id,) = _feature_ids(session, [made])
    feature = session.get(FeatureOfInterest, feature_id)
    assert feature is not None
    assert (feature.name, feature.generated_from_location_id) == ("Muara Sungai Landak", None)
    (linked,) = store_observations(
        session=session,
        items=[obs(stream, 1, 2.0, feature_of_interest_id=feature_id)],
        source="http",
    )
    assert _feature_ids(session, [linked]) == [feature_id]
    with pytest.raises(InvalidInput) as caught:
        store_observations(
            session=session,
            items=[obs(stream, 2, 2.0, feature_of_interest_id=999_999)],
            source="http",
        )
    assert set(caught.value.errors) == {"FeatureOfInterest"}


def test_a_thing_without_a_location_needs_a_feature(session: Session) -> None:
    stream = datastream(session, thing=sta_thing(session, lon=None, lat=None))
    with pytest.raises(InvalidInput) as caught:
        store_observations(session=session, items=[obs(stream, 0, 1.0)], source="http")
    assert set(caught.value.errors) == {"FeatureOfInterest"}


def test_the_datastream_summary_follows_each_batch_and_never_goes_back(
    session: Session, stream: Datastream
) -> None:
    store_observations(
        session=session,
        items=[obs(stream, 10, 5.0, result_time=T0), obs(stream, 20, 6.0)],
        source="http",
    )
    (late,) = store_observations(session=session, items=[obs(stream, 30, 7.0)], source="http")
    store_observations(session=session, items=[obs(stream, 0, 1.0)], source="http")  # old
    session.refresh(stream)
    assert (stream.phenomenon_time_start, stream.phenomenon_time_end) == (
        T0,
        T0 + timedelta(minutes=30),
    )
    assert (stream.result_time_start, stream.result_time_end) == (T0, T0)
    assert (stream.last_observation_id, stream.last_result) == (late, 7.0)
    assert stream.last_phenomenon_time == T0 + timedelta(minutes=30)


def test_the_thing_is_seen_and_its_battery_read_from_parameters(
    session: Session, stream: Datastream
) -> None:
    before = utcnow()
    store_observations(
        session=session,
        items=[
            obs(stream, 0, 1.0, parameters={"battery": 40}),
            obs(stream, 5, 1.0, parameters={"battery": 38, "rssi": -71}),
        ],
        source="http",
    )
    thing = session.get(Thing, stream.thing_id)
    assert thing is not None
    session.refresh(thing)
    assert thing.last_seen_at is not None
    assert thing.last_seen_at >= before
    assert (thing.battery_percent, thing.signal_dbm) == (38, -71)


def test_points_posted_ahead_of_time_are_no_sign_of_life(
    session: Session, stream: Datastream
) -> None:
    # A forecast run posts a stream's next hours; the device itself may be silent.
    store_observations(
        session=session,
        items=[obs(stream, 0, 1.0, at=utcnow() + timedelta(hours=6))],
        source="http",
    )
    thing = session.get(Thing, stream.thing_id)
    assert thing is not None
    session.refresh(thing)
    assert thing.last_seen_at is None
    store_observations(session=session, items=[obs(stream, 0, 1.0, at=utcnow())], source="http")
    session.refresh(thing)
    assert thing.last_seen_at is not None


def test_numeric_observations_update_the_rollups(session: Session, stream: Datastream) -> None:
    store_observations(
        session=session, items=[obs(stream, m, float(m)) for m in range(4)], source="http"
    )
    bucket = session.execute(
        select(Rollup.count, Rollup.total).where(
            Rollup.datastream_id == stream.id, Rollup.interval == "15m"
        )
    ).one()
    assert tuple(bucket) == (4, 6.0)


def test_a_partition_made_in_a_rolled_back_transaction_is_made_again(
    database: Database, session: Session
) -> None:
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no partitions")
    month = (2027, 2)
    with database.session() as other:
        partitions.ensure_partitions(other.connection(), [month])
        other.rollback()
    exists = text("SELECT to_regclass('sensor_observations_p202702') IS NOT NULL")
    partitions.ensure_partitions(session.connection(), [month])
    assert session.scalar(exists) is True


def test_concurrent_batches_on_one_stream_lose_nothing(
    own_database: Database,  # noqa: F811 - the fixture imported above
) -> None:
    stream_id = make_stream(own_database, "Pos uji serentak")
    errors: list[BaseException] = []

    def writer(offset: int) -> None:
        try:
            for batch in range(5):
                items = [obs(stream_id, offset + batch * 10 + m, float(m)) for m in range(10)]
                with own_database.session() as session:
                    store_observations(session=session, items=items, source="http")
                    session.commit()
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n * 1000,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with own_database.session(write=False) as check:
        of_stream = Observation.datastream_id == stream_id
        assert check.scalar(select(func.count()).where(of_stream)) == 150
        assert stream_of(check, stream_id).last_phenomenon_time == T0 + timedelta(minutes=2049)
        features = select(func.count(func.distinct(Observation.feature_of_interest_id)))
        assert check.scalar(features.where(of_stream)) == 1  # one generated, not one per writer
        # Each batch added itself to the same buckets: none lost another's rows.
        assert stored_rollups(check, stream_id) == expected_rollups(raw_readings(check, stream_id))
