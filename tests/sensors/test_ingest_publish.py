"""After commit: the bus event of a batch and the A.8 messages; nothing for rolled-back work."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.events import MemoryBus
from pontive.core.timeutil import WIB
from pontive.sensors import ingest
from pontive.sensors.ingest import ObservationIn, store_observations
from pontive.sensors.ingest_publish import observation_json
from pontive.sensors.models import Datastream, Observation
from pontive.sensors.schemas import EntitySet
from pontive.sensors.sta_serialize import entity_json
from tests.bus_support import collect_events
from tests.sensors.conftest import datastream, sta_thing
from tests.sensors.indices_support import (
    _fresh_process_caches,  # noqa: F401 - autouse fixture
)

T0 = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)


ROOT = "https://data.pontianak.go.id/sta/v1.1"


class Recorder:
    """A publisher that keeps what it is asked to send (the real one is in test_mqtt)."""

    sta_root = ROOT

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes]] = []

    def publish_many(self, messages: Sequence[tuple[str, bytes]]) -> None:
        self.sent.extend(messages)


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    publisher = Recorder()
    ingest.set_publisher(publisher)
    yield publisher
    ingest.set_publisher(None)


@pytest.fixture
def stream(session: Session) -> Datastream:
    return datastream(session, thing=sta_thing(session))


def item(stream: Datastream, minute: int, result: Any) -> ObservationIn:
    return ObservationIn(stream.id, T0 + timedelta(minutes=minute), None, result)


def test_one_bus_event_per_batch_with_each_streams_latest_value(
    session: Session, bus: MemoryBus, stream: Datastream
) -> None:
    other = datastream(session, thing=sta_thing(session, name="Pos duga Landak"))
    ids: list[int] = []

    def store() -> None:
        batch = [item(stream, 1, 301.0), item(stream, 2, 302.5), item(other, 0, 120.0)]
        ids.extend(store_observations(session=session, items=batch, source="mqtt"))

    (event,) = collect_events(bus, session, "sensors.observations", store)
    assert event.classification.value == "publik"
    assert event.data == {
        "source": "mqtt",
        "count": 3,
        "datastreams": sorted(
            [
                {
                    "id": stream.id,
                    "count": 2,
                    "observation_id": ids[1],
                    "phenomenon_time": "2026-11-29T02:02:00Z",
                    "result": 302.5,
                },
                {
                    "id": other.id,
                    "count": 1,
                    "observation_id": ids[2],
                    "phenomenon_time": "2026-11-29T02:00:00Z",
                    "result": 120,
                },
            ],
            key=lambda entry: entry["id"],
        ),
    }


def test_a8_messages_go_out_after_commit_on_both_topics(
    session: Session, stream: Datastream, recorder: Recorder
) -> None:
    (observation_id,) = store_observations(
        session=session, items=[item(stream, 0, 4.5)], source="http"
    )
    assert recorder.sent == []  # nothing before the commit
    session.commit()
    topics = [topic for topic, _ in recorder.sent]
    assert topics == [f"v1.1/Datastreams({stream.id})/Observations", "v1.1/Observations"]
    body = orjson.loads(recorder.sent[0][1])
    assert body["@iot.id"] == observation_id
    assert body["@iot.selfLink"] == f"{ROOT}/Observations({observation_id})"
    assert (body["result"], body["phenomenonTime"]) == (4.5, "2026-11-29T02:00:00Z")


def test_a_rolled_back_savepoint_takes_its_a8_messages_with_it(
    session: Session, stream: Datastream, recorder: Recorder
) -> None:
    kept = store_observations(session=session, items=[item(stream, 0, 1.0)], source="http")
    nested = session.begin_nested()
    store_observations(session=session, items=[item(stream, 1, 2.0)], source="http")
    nested.rollback()
    session.commit()
    assert [orjson.loads(body)["@iot.id"] for _, body in recorder.sent[::2]] == kept


def test_a_rolled_back_transaction_publishes_nothing(
    session: Session, stream: Datastream, recorder: Recorder
) -> None:
    store_observations(session=session, items=[item(stream, 0, 1.0)], source="http")
    session.rollback()
    session.commit()
    assert recorder.sent == []


@pytest.mark.parametrize(
    ("item", "number"),
    [
        (ObservationIn(3, T0, None, 4.0), 4.0),
        (ObservationIn(3, T0, None, {"level": "siaga"}), None),
        (ObservationIn(3, T0.astimezone(WIB), None, 1.5), 1.5),  # a time not given in UTC
        (
            ObservationIn(
                3,
                T0,
                T0 + timedelta(hours=1),
                1.5,
                result_time=T0 + timedelta(hours=1, seconds=3),
                result_quality={"flag": "ok"},
                valid_time_start=T0,
                valid_time_end=T0 + timedelta(days=1),
                parameters={"battery": 90},
            ),
            1.5,
        ),
    ],
)
def test_the_a8_document_is_what_the_sensorthings_api_serves(
    item: ObservationIn, number: float | None
) -> None:
    time = item.phenomenon_time or T0
    row = {
        "id": 41,
        "phenomenon_time": time,
        "phenomenon_time_end": item.phenomenon_time_end,
        "result_time": item.result_time,
        "result_number": number,
        "result_json": None if number is not None else item.result,
        "result_quality": item.result_quality,
        "valid_time_start": item.valid_time_start,
        "valid_time_end": item.valid_time_end,
        "parameters": item.parameters,
    }
    expected = entity_json(ROOT, EntitySet.OBSERVATIONS, row)
    assert orjson.loads(observation_json(ROOT, 41, item, number, time)) == expected


def test_the_a8_document_matches_the_stored_row(
    session: Session, stream: Datastream, recorder: Recorder
) -> None:
    store_observations(session=session, items=[item(stream, 3, 7)], source="http")
    session.commit()
    body = orjson.loads(recorder.sent[0][1])
    row = session.execute(select(Observation.__table__).where(Observation.id == body["@iot.id"]))
    stored = entity_json(ROOT, EntitySet.OBSERVATIONS, row.mappings().one())
    assert body == stored
