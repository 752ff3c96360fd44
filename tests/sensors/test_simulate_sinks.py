"""The simulator's sinks against the real things: ``CreateObservations`` on the app with a
gateway key (stored, then visible on the station's stream), the SensorThings API to find the
demo streams, a real MQTT broker at QoS 1, and the ``pontive sensors simulate`` command."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from fastapi.testclient import TestClient
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from pontive.cli import app as cli_app
from pontive.core import auth
from pontive.core.identity import system_actor
from pontive.core.roles import Role
from pontive.sensors.choices import Quantity
from pontive.sensors.demo_stations import DEMO_KEY, station_by_key
from pontive.sensors.models import Datastream, Observation
from pontive.sensors.service import gateway_scope
from pontive.sensors.simulate import (
    Outgoing,
    Simulation,
    SimulatorError,
    Target,
    choose_stations,
    observation_json,
    targets_from_database,
)
from pontive.sensors.simulate_city import CityModel
from pontive.sensors.simulate_sinks import HttpSink, MqttSink, Transport, targets_from_sta
from tests.sensors.conftest import datastream, sta_thing
from tests.sensors.mqtt_support import MQTT_URL, needs_mqtt

AT = datetime(2026, 11, 29, 7, 0, tzinfo=UTC)


def client_transport(client: TestClient) -> Transport:
    """The app under test as the simulator's HTTP transport."""

    def send(
        method: str, url: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        response = client.request(method, url, content=body, headers=headers)
        return response.status_code, response.content

    return send


@pytest.fixture
def gauge(session: Session) -> Datastream:
    """The Kapuas Indah demo gauge's water-level stream, registered as the demo does."""
    thing = sta_thing(
        session, name="Pos Duga Air Kapuas Indah", properties={DEMO_KEY: "kapuas-indah"}
    )
    return datastream(
        session, thing=thing, quantity=Quantity.WATER_LEVEL, properties={DEMO_KEY: "water_level"}
    )


def test_the_simulator_finds_demo_streams_in_the_database(
    session: Session, gauge: Datastream
) -> None:
    targets = targets_from_database(session, choose_stations())
    assert [(t.station.key, t.quantity, t.datastream_id) for t in targets] == [
        ("kapuas-indah", Quantity.WATER_LEVEL, gauge.id)
    ]


def test_the_simulator_finds_demo_streams_through_sensorthings(
    client: TestClient, gauge: Datastream
) -> None:
    targets = targets_from_sta("http://testserver", choose_stations(), client_transport(client))
    assert [(t.station.key, t.datastream_id) for t in targets] == [("kapuas-indah", gauge.id)]


def test_readings_are_posted_with_a_gateway_key_and_stored(
    client: TestClient, session: Session, gauge: Datastream
) -> None:
    _key, secret = auth.create_api_key(
        session=session,
        actor=system_actor("test"),
        name="gateway-kapuas-indah",
        role=Role.WARGA,
        scopes=[gateway_scope(gauge.thing_id)],
    )
    target = Target(station_by_key("kapuas-indah"), Quantity.WATER_LEVEL, gauge.id)
    sink = HttpSink("http://testserver", secret, client_transport(client))
    simulation = Simulation(CityModel(), [target], sink, speed=60)
    simulation.step(AT, AT + timedelta(minutes=30))
    assert simulation.published == 3
    stored = session.execute(
        select(Observation.phenomenon_time, Observation.result_number)
        .where(Observation.datastream_id == gauge.id)
        .order_by(Observation.phenomenon_time)
    ).all()
    model = CityModel()
    expected = [model.water_level(target.station, AT + timedelta(minutes=m)) for m in (10, 20, 30)]
    assert [r for _, r in stored] == expected
    with pytest.raises(SimulatorError, match="refused the API key"):
        HttpSink("http://testserver", "pk_wrong", client_transport(client)).send(
            simulation.due(AT, AT + timedelta(minutes=10))
        )


@needs_mqtt
def test_each_reading_is_one_observation_message_at_qos_1() -> None:
    station = station_by_key("jembatan-landak")
    target = Target(station, Quantity.WATER_LEVEL, 424242)
    readings = [
        Outgoing(target, r) for r in CityModel().history(station, AT, AT + timedelta(minutes=40))
    ]
    received: list[tuple[str, int, dict[str, Any]]] = []
    arrived = threading.Event()

    def on_message(_client: Any, _userdata: Any, message: mqtt.MQTTMessage) -> None:
        received.append((message.topic, message.qos, json.loads(message.payload)))
        if len(received) == len(readings):
            arrived.set()

    listener = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"pontive-test-{time.time_ns()}")
    listener.on_message = on_message
    address = MQTT_URL.removeprefix("mqtt://")
    host, _, port = address.partition(":")
    listener.connect(host, int(port or 1883))
    listener.subscribe("v1.1/Datastreams(424242)/Observations", qos=1)
    listener.loop_start()
    try:
        time.sleep(0.5)  # the subscription is in place before publishing
        sink = MqttSink(MQTT_URL)
        try:
            assert sink.send(readings) == len(readings)
        finally:
            sink.close()
        assert arrived.wait(10), f"received {len(received)} of {len(readings)}"
    finally:
        listener.loop_stop()
        listener.disconnect()
    assert {topic for topic, _, _ in received} == {"v1.1/Datastreams(424242)/Observations"}
    assert {qos for _, qos, _ in received} == {1}
    assert [payload for _, _, payload in received] == [observation_json(r) for r in readings]


def test_the_command_refuses_unknown_stations_and_missing_sinks() -> None:
    runner = CliRunner()
    result = runner.invoke(cli_app, ["sensors", "simulate"])
    assert result.exit_code == 2
    assert "give exactly one of --mqtt URL or --http BASE_URL" in result.output
    result = runner.invoke(cli_app, ["sensors", "simulate", "--http", "http://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "--http needs --api-key" in result.output
    result = runner.invoke(
        cli_app, ["sensors", "simulate", "--mqtt", "mqtt://127.0.0.1", "--stations", "nowhere"]
    )
    assert result.exit_code == 2
    assert "unknown stations: nowhere" in result.output
