"""MQTT ingest against a real Mosquitto: A.7 creates, A.8 updates, dead letters, outages.

Each test runs the ingest service in this process (``MqttIngest`` in a thread, as the
worker runs it) on its own database and a private broker with Pontive's configuration;
``test_mqtt_worker.py`` runs the real ``pontive worker`` process and kills it.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import orjson
import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from prometheus_client import REGISTRY
from sqlalchemy import func, select

from pontive.core.db import Database
from pontive.core.events import MemoryBus
from pontive.sensors.ingest_check import OM
from pontive.sensors.models import DeadLetter, FeatureOfInterest, Observation
from pontive.sensors.mqtt import IngestOptions, MqttIngest
from tests.sensors.mqtt_support import (
    MQTT_URL,
    Broker,
    Listener,
    broker,  # noqa: F401 - fixture
    make_stream,
    needs_mosquitto,
    needs_mqtt,
    own_database,  # noqa: F401 - fixture
    publish,
)

pytestmark = needs_mqtt
ROOT = "http://testserver/sta/v1.1"


def options(url: str, client_id: str | None = None) -> IngestOptions:
    return IngestOptions(
        url=url,
        client_id=client_id or f"pontive-test-{uuid.uuid4().hex[:8]}",
        sta_root=ROOT,
        batch_size=50,
        batch_seconds=0.02,
        session_expiry=300,
    )


@contextmanager
def running(database: Database, opts: IngestOptions) -> Iterator[MqttIngest]:
    """The ingest service in a thread, subscribed, until the block ends."""
    ingest = MqttIngest(database=database, bus=MemoryBus(), options=opts)
    stop = threading.Event()
    thread = threading.Thread(target=ingest.run, args=(stop,))
    thread.start()
    try:
        assert ingest.wait_subscribed(10), "ingest did not subscribe"
        time.sleep(0.2)  # SUBACK on its way
        yield ingest
    finally:
        stop.set()
        thread.join(timeout=20)
        assert not thread.is_alive()


def wait_until(check: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def results(database: Database, stream_id: int) -> list[Any]:
    with database.session(write=False) as session:
        query = (
            select(Observation.result_number)
            .where(Observation.datastream_id == stream_id)
            .order_by(Observation.phenomenon_time)
        )
        return list(session.scalars(query))


def body(minute: int, result: Any, **extra: Any) -> bytes:
    document = {"phenomenonTime": f"2026-11-29T03:{minute:02d}:00Z", "result": result}
    return orjson.dumps(document | extra)


def metric(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels or None) or 0.0


@needs_mosquitto
def test_a7_observations_arrive_through_each_topic_form(
    own_database: Database,  # noqa: F811 - the fixture imported above
    broker: Broker,  # noqa: F811
) -> None:
    stream = make_stream(own_database, "Pos duga Kapuas A.7")
    with own_database.session() as session:
        feature = FeatureOfInterest(
            name="Dermaga Seng Hie",
            description="",
            encoding_type="application/geo+json",
            feature={"type": "Point", "coordinates": [109.341, -0.027]},
        )
        session.add(feature)
        session.commit()
        feature_id = feature.id
    deep = {
        "name": "Muara Landak",
        "description": "",
        "encodingType": "application/geo+json",
        "feature": {"type": "Point", "coordinates": [109.349, -0.024]},
    }
    link = {"Datastream": {"@iot.id": stream}}
    with running(own_database, options(broker.url)):
        publish(
            broker.url,
            [
                (f"v1.1/Datastreams({stream})/Observations", body(0, 301.0)),
                (f"v1.1/FeaturesOfInterest({feature_id})/Observations", body(1, 302.0, **link)),
                ("v1.1/Observations", body(2, 303.0, **link, FeatureOfInterest=deep)),
            ],
        )
        wait_until(lambda: len(results(own_database, stream)) == 3)
    assert results(own_database, stream) == [301.0, 302.0, 303.0]
    with own_database.session(write=False) as session:
        features = session.execute(
            select(Observation.result_number, FeatureOfInterest.name, FeatureOfInterest.id)
            .join(FeatureOfInterest, FeatureOfInterest.id == Observation.feature_of_interest_id)
            .where(Observation.datastream_id == stream)
            .order_by(Observation.result_number)
        ).all()
    assert features[1][1:] == ("Dermaga Seng Hie", feature_id)
    assert features[2][1] == "Muara Landak"
    assert features[0][1] == "Lokasi Pos duga Kapuas A.7"  # generated from the Location


@needs_mosquitto
def test_a8_subscribers_receive_each_new_observation_once(
    own_database: Database,  # noqa: F811
    broker: Broker,  # noqa: F811
) -> None:
    stream = make_stream(own_database, "Pos duga Kapuas A.8")
    topic = f"v1.1/Datastreams({stream})/Observations"
    listener = Listener(broker.url, topic)
    everything = Listener(broker.url, "v1.1/Observations")
    try:
        with running(own_database, options(broker.url)):
            publish(broker.url, [(topic, body(5, 3.5))])
            received = listener.wait_for(2)  # the gauge's message, then our update
            updates = everything.wait_for(1)
            time.sleep(0.5)  # an echo of our own update would come back now
            assert len(results(own_database, stream)) == 1
    finally:
        listener.close()
        everything.close()
    documents = [orjson.loads(payload) for _, payload in received]
    update = next(d for d in documents if "@iot.id" in d)
    assert update["result"] == 3.5
    assert update["phenomenonTime"] == "2026-11-29T03:05:00Z"
    assert update["@iot.selfLink"] == f"{ROOT}/Observations({update['@iot.id']})"
    assert update["Datastream@iot.navigationLink"].endswith("/Datastream")
    assert [orjson.loads(p)["@iot.id"] for _, p in updates] == [update["@iot.id"]]


@needs_mosquitto
def test_bad_messages_become_dead_letters_and_ingest_goes_on(
    own_database: Database,  # noqa: F811
    broker: Broker,  # noqa: F811
) -> None:
    stream = make_stream(own_database, "Pos duga Kapuas surat mati")
    counted = make_stream(own_database, "Penghitung", observation_type=OM + "OM_CountObservation")
    topic = f"v1.1/Datastreams({stream})/Observations"
    before = {kind: metric("pontive_sensors_mqtt_dead_letters_total", reason=kind) for kind in (
        "json", "invalid", "topic", "database")}  # fmt: skip
    bad = [
        (topic, b"{tinggi: 3"),
        (topic, body(0, "tiga")),
        (f"v1.1/Datastreams({counted})/Observations", body(0, 2.5)),
        ("v1.1/Datastreams(999999)/Observations", body(0, 1.0)),
        ("v1.1/Things(1)/Observations", body(0, 1.0)),
        # An id beyond 64-bit signed integers: the database, not the parser, refuses it.
        ("v1.1/Observations", body(0, 1.0, Datastream={"@iot.id": 2**64 - 1})),
    ]
    with own_database.session(write=False) as session:
        first = (session.scalar(select(func.max(DeadLetter.id))) or 0) + 1
    query = (
        select(DeadLetter.topic, DeadLetter.payload, DeadLetter.reason, DeadLetter.source)
        .where(DeadLetter.id >= first)
        .order_by(DeadLetter.id)
    )
    with running(own_database, options(broker.url)):
        publish(broker.url, [*bad, (topic, body(9, 4.0))])
        wait_until(lambda: results(own_database, stream) == [4.0])
        with own_database.session(write=False) as session:
            wait_until(lambda: len(session.execute(query).all()) == len(bad))
            letters = session.execute(query).all()
    reasons = [reason for _, _, reason, _ in letters]
    assert reasons[0].startswith("invalid JSON")
    assert reasons[1] == "result: must be a number (OM_Measurement)"
    assert reasons[2] == "result: must be an integer (OM_CountObservation)"
    assert reasons[3] == "Datastream: no Datastream 999999"
    assert reasons[4] == "not a SensorThings observation topic (A.7)"
    assert reasons[5].startswith("could not be stored")
    assert letters[0][:2] == (topic, "{tinggi: 3")
    assert {source for *_, source in letters} == {"mqtt"}
    after = {kind: metric("pontive_sensors_mqtt_dead_letters_total", reason=kind) - count
             for kind, count in before.items()}  # fmt: skip
    assert after == {"json": 1, "invalid": 3, "topic": 1, "database": 1}


@needs_mosquitto
def test_our_own_a8_updates_are_ignored_not_stored_again(
    own_database: Database,  # noqa: F811
    broker: Broker,  # noqa: F811
) -> None:
    stream = make_stream(own_database, "Pos duga gema")
    topic = f"v1.1/Datastreams({stream})/Observations"
    ignored = metric("pontive_sensors_mqtt_messages_ignored_total")
    echo = body(1, 2.0, **{"@iot.id": 77, "@iot.selfLink": f"{ROOT}/Observations(77)"})
    with running(own_database, options(broker.url)):
        publish(broker.url, [(topic, echo), (topic, body(2, 3.0))])
        wait_until(lambda: results(own_database, stream) == [3.0])
    assert metric("pontive_sensors_mqtt_messages_ignored_total") - ignored == 1
    with own_database.session(write=False) as session:
        echoed = select(func.count(DeadLetter.id)).where(DeadLetter.topic == topic)
        assert session.scalar(echoed) == 0


@needs_mosquitto
def test_while_the_database_is_away_nothing_is_acknowledged_or_lost(
    own_database: Database,  # noqa: F811
    broker: Broker,  # noqa: F811
    tmp_path: Any,
) -> None:
    stream = make_stream(own_database, "Pos duga saat basis data mati")
    topic = f"v1.1/Datastreams({stream})/Observations"
    same = options(broker.url)
    away = Database(f"sqlite:///{tmp_path}")  # a directory: every connection fails
    retries = metric("pontive_sensors_mqtt_database_retries_total")
    with running(away, same):
        publish(broker.url, [(topic, body(m, float(m))) for m in range(5)])
        wait_until(lambda: metric("pontive_sensors_mqtt_database_retries_total") > retries)
    with running(own_database, same):  # the same session: the broker sends them again
        wait_until(lambda: len(results(own_database, stream)) >= 5)
        time.sleep(0.3)
    assert results(own_database, stream) == [0.0, 1.0, 2.0, 3.0, 4.0]


@needs_mosquitto
def test_ingest_reconnects_after_the_broker_restarts(
    own_database: Database,  # noqa: F811
    broker: Broker,  # noqa: F811
) -> None:
    stream = make_stream(own_database, "Pos duga saat broker mati")
    topic = f"v1.1/Datastreams({stream})/Observations"
    with running(own_database, options(broker.url)) as ingest:
        publish(broker.url, [(topic, body(0, 1.0))])
        wait_until(lambda: results(own_database, stream) == [1.0])
        broker.stop()
        broker.start()  # same port, its persistence file kept the session
        assert ingest.wait_subscribed(40)
        publish(broker.url, [(topic, body(1, 2.0))])
        wait_until(lambda: results(own_database, stream) == [1.0, 2.0], timeout=40)


def test_the_configured_broker_delivers_to_ingest(
    own_database: Database,  # noqa: F811
) -> None:
    # The machine's broker (PONTIVE_TEST_MQTT_URL) as CI runs it: one message, end to end.
    stream = make_stream(own_database, "Pos duga broker mesin")
    marker = 1000 + uuid.uuid4().int % 10_000  # other tests may share this broker
    with running(own_database, options(MQTT_URL)):
        publish(MQTT_URL, [(f"v1.1/Datastreams({stream})/Observations", body(0, float(marker)))])
        wait_until(lambda: float(marker) in results(own_database, stream))


@needs_mosquitto
def test_qos_0_properties_and_oversized_messages_all_find_their_way(
    own_database: Database,  # noqa: F811
    broker: Broker,  # noqa: F811
) -> None:
    # Ingest reads plain PUBLISHes itself and leaves the rest to paho: a QoS 0 message (no
    # packet identifier, nothing to acknowledge), one carrying MQTT 5 properties, and one
    # larger than a single read of the socket all arrive, on one connection that never drops.
    stream = make_stream(own_database, "Pos duga campuran")
    topic = f"v1.1/Datastreams({stream})/Observations"
    host, port = broker.url.removeprefix("mqtt://").split(":")
    sender = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    sender.connect(host, int(port))
    sender.loop_start()
    described = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
    described.ContentType = "application/json"
    described.UserProperty = ("gateway", "pintu-air-1")
    huge = body(3, 5.0, parameters={"catatan": "x" * 300_000})
    letters = metric("pontive_sensors_mqtt_dead_letters_total", reason="invalid")
    with running(own_database, options(broker.url)):
        connections = metric("pontive_sensors_mqtt_connections_total")
        sent = [
            sender.publish(topic, body(0, 1.0), qos=0),
            sender.publish(topic, body(1, 2.0), qos=1, properties=described),
            sender.publish(topic, huge, qos=1),
            *(sender.publish(topic, body(10 + n, 10.0 + n), qos=n % 2) for n in range(40)),
        ]
        for info in sent:
            info.wait_for_publish(timeout=10)
        wait_until(lambda: len(results(own_database, stream)) == 42)
        time.sleep(0.5)  # a PUBACK the broker refused would drop the connection by now
        assert metric("pontive_sensors_mqtt_connections_total") == connections
        assert metric("pontive_sensors_mqtt_connected") == 1
    sender.disconnect()
    sender.loop_stop()
    assert results(own_database, stream) == [1.0, 2.0, *(10.0 + n for n in range(40))]
    assert metric("pontive_sensors_mqtt_dead_letters_total", reason="invalid") - letters == 1
