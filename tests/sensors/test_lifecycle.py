"""Each web process publishes the observations it stores as A.8 updates when a broker is set."""

from __future__ import annotations

from fastapi.testclient import TestClient

from pontive.app import create_app
from pontive.sensors import ingest
from pontive.sensors.mqtt_publish import MqttPublisher
from tests.conftest import make_settings


def test_a_web_process_with_a_broker_starts_and_stops_its_publisher(database_url: str) -> None:
    # A closed port: the publisher connects in the background and never blocks start-up.
    settings = make_settings(database_url, mqtt_url="mqtt://127.0.0.1:9")
    with TestClient(create_app(settings)):
        assert isinstance(ingest.get_publisher(), MqttPublisher)
    assert ingest.get_publisher() is None


def test_without_a_broker_no_publisher_is_started(database_url: str) -> None:
    with TestClient(create_app(make_settings(database_url))):
        assert ingest.get_publisher() is None
