"""A.8 from ``pontive serve``: an observation created over HTTP reaches MQTT subscribers."""

from __future__ import annotations

import time
from collections.abc import Iterator

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.core import auth
from pontive.core.identity import system_actor
from pontive.core.roles import Role
from pontive.sensors import ingest
from pontive.sensors.mqtt_publish import MqttPublisher, start_publisher, stop_publisher
from tests.conftest import make_settings
from tests.sensors.conftest import datastream, sta_thing
from tests.sensors.mqtt_support import (
    Broker,
    Listener,
    broker,  # noqa: F401 - fixture
    needs_mosquitto,
)

pytestmark = needs_mosquitto
ROOT = "http://testserver/sta/v1.1"


@pytest.fixture
def publisher(broker: Broker) -> Iterator[MqttPublisher]:  # noqa: F811 - the fixture above
    started = MqttPublisher(url=broker.url, sta_root=ROOT)
    started.start()
    ingest.set_publisher(started)
    deadline = time.monotonic() + 10
    while not started.is_connected():
        assert time.monotonic() < deadline, "publisher did not connect"
        time.sleep(0.05)
    yield started
    stop_publisher(started)


def test_an_observation_posted_over_http_is_published_on_its_topics(
    client: TestClient,
    session: Session,
    broker: Broker,  # noqa: F811 - the fixture imported above
    publisher: MqttPublisher,
) -> None:
    stream = datastream(session, thing=sta_thing(session))
    _key, secret = auth.create_api_key(
        session=session, actor=system_actor("test"), name="gateway", role=Role.OPERATOR
    )
    listener = Listener(broker.url, f"v1.1/Datastreams({stream.id})/Observations")
    everything = Listener(broker.url, "v1.1/Observations")
    try:
        response = client.post(
            f"/sta/v1.1/Datastreams({stream.id})/Observations",
            json={"phenomenonTime": "2026-11-29T04:00:00Z", "result": 288},
            headers={"X-API-Key": secret},
        )
        assert response.status_code == 201, response.text
        (topic, payload), *_ = listener.wait_for(1)
        (other, same), *_ = everything.wait_for(1)
    finally:
        listener.close()
        everything.close()
    document = orjson.loads(payload)
    location = response.headers["location"]
    assert document["@iot.selfLink"] == location
    assert (document["result"], document["phenomenonTime"]) == (288, "2026-11-29T04:00:00Z")
    assert (topic, other, same) == (
        f"v1.1/Datastreams({stream.id})/Observations",
        "v1.1/Observations",
        payload,
    )


def test_a_process_without_a_broker_starts_no_publisher() -> None:
    settings = make_settings("sqlite://", mqtt_url="")
    assert start_publisher(settings) is None
    assert ingest.get_publisher() is None


def test_updates_are_dropped_not_queued_while_the_broker_is_away(broker: Broker) -> None:  # noqa: F811
    away = MqttPublisher(url=broker.url, sta_root=ROOT)  # never started: not connected
    away.publish_many([("v1.1/Observations", b"{}")] * 3)
    assert away.dropped == 3
