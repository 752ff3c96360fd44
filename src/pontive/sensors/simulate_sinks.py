"""Where the simulator's readings go: an MQTT broker (QoS 1, one Observation per message) or a
SensorThings endpoint over HTTP (``CreateObservations`` with a gateway key), and how it finds
the demo Datastreams through the SensorThings API when it has no database.

Library and network errors are caught here and raised again as ``SimulatorError`` (STYLE.md,
habit 7), naming what failed.
"""

from __future__ import annotations

import json
import logging
import os
import ssl
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http.client import HTTPException
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import unquote, urlencode, urlsplit

import orjson
import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from pontive.sensors.demo_stations import Station
from pontive.sensors.simulate import (
    Outgoing,
    SimulatorError,
    Target,
    create_observations_body,
    match_targets,
    observation_json,
)

log = logging.getLogger(__name__)
STA_PATH = "/sta/v1.1"
PUBLISH_TIMEOUT = 30.0
HTTP_TIMEOUT = 30.0
TOPIC = "v1.1/Datastreams({id})/Observations"  # SensorThings 1.1, 14.2.1

# (method, url, body, headers) -> (status, body): urllib by default; tests pass the app's client.
Transport = Callable[[str, str, bytes | None, dict[str, str]], tuple[int, bytes]]


def urllib_transport(
    method: str, url: str, body: bytes | None, headers: dict[str, str]
) -> tuple[int, bytes]:
    """One HTTP request with the standard library (no extra dependency for the simulator)."""
    if not url.startswith(("http://", "https://")):
        raise SimulatorError(f"not an http(s) URL: {url}")
    request = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310 - scheme checked above
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:  # noqa: S310 - scheme checked above
            return response.status, response.read()
    except HTTPError as error:
        return error.code, error.read()
    except (URLError, HTTPException, OSError) as error:
        raise SimulatorError(f"{method} {url} failed: {error}") from error


@dataclass
class HttpSink:
    """``POST /sta/v1.1/CreateObservations`` with an API key, one request per batch."""

    base_url: str
    api_key: str
    transport: Transport = urllib_transport

    def send(self, batch: Sequence[Outgoing]) -> int:
        """Post the batch; the number of observations the server created."""
        url = self.base_url.rstrip("/") + STA_PATH + "/CreateObservations"
        headers = {"Content-Type": "application/json", "X-API-Key": self.api_key}
        status, body = self.transport(
            "POST", url, orjson.dumps(create_observations_body(batch)), headers
        )
        if status in (401, 403):
            raise SimulatorError(f"the server refused the API key ({status}): {body[:300]!r}")
        if status != 201:
            raise SimulatorError(f"CreateObservations answered {status}: {body[:300]!r}")
        links = json.loads(body)
        failed = [link for link in links if not str(link).startswith("http")]
        if failed:
            log.warning("%d observations refused by the server: %s", len(failed), failed[:3])
        return len(links) - len(failed)

    def close(self) -> None:
        """Nothing to release: each request has its own connection."""


def targets_from_sta(
    base_url: str, stations: Sequence[Station], transport: Transport = urllib_transport
) -> list[Target]:
    """The demo Datastreams of ``stations``, read from the SensorThings API (public reads)."""
    query = urlencode({"$select": "id,properties", "$expand": "Datastreams", "$top": "200"})
    url: str | None = f"{base_url.rstrip('/')}{STA_PATH}/Things?{query}"
    rows: list[tuple[Any, int, Any]] = []
    while url:
        status, body = transport("GET", url, None, {"Accept": "application/json"})
        if status != 200:
            raise SimulatorError(f"GET {url} answered {status}: {body[:300]!r}")
        page = json.loads(body)
        for thing in page.get("value", []):
            for stream in thing.get("Datastreams", []):
                rows.append(
                    (thing.get("properties"), int(stream["@iot.id"]), stream.get("properties"))
                )
        url = page.get("@iot.nextLink")
    return match_targets(stations, rows)


@dataclass(frozen=True, slots=True)
class BrokerAddress:
    """Where an MQTT broker listens, from ``mqtt://user:password@host:port``."""

    host: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool


def parse_mqtt_url(url: str) -> BrokerAddress:
    """``mqtt://`` (1883) or ``mqtts://`` (8883), with optional credentials."""
    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
        raise SimulatorError(f"not an mqtt:// or mqtts:// URL: {url}")
    use_tls = parts.scheme == "mqtts"
    return BrokerAddress(
        host=parts.hostname,
        port=parts.port or (8883 if use_tls else 1883),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=use_tls,
    )


class MqttSink:
    """Publishes each reading at QoS 1 and waits for the broker's PUBACKs per batch."""

    def __init__(self, url: str, *, client_id: str | None = None) -> None:
        address = parse_mqtt_url(url)
        self._client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=client_id or f"pontive-simulator-{os.getpid()}",
            clean_session=True,
        )
        self._client.max_inflight_messages_set(200)
        self._client.max_queued_messages_set(0)  # 0: no limit on the client side
        if address.username:
            self._client.username_pw_set(address.username, address.password)
        if address.use_tls:
            self._client.tls_set_context(ssl.create_default_context())
        try:
            self._client.connect(address.host, address.port, keepalive=30)
        except (OSError, ValueError) as error:
            raise SimulatorError(
                f"cannot connect to {address.host}:{address.port}: {error}"
            ) from error
        self._client.loop_start()

    def send(self, batch: Sequence[Outgoing]) -> int:
        """Publish every reading; the number the broker acknowledged."""
        pending = []
        for item in batch:
            topic = TOPIC.format(id=item.target.datastream_id)
            pending.append(self._client.publish(topic, orjson.dumps(observation_json(item)), qos=1))
        acknowledged = 0
        for info in pending:
            try:
                info.wait_for_publish(timeout=PUBLISH_TIMEOUT)
            except (RuntimeError, ValueError) as error:
                raise SimulatorError(f"publishing failed: {error}") from error
            acknowledged += int(info.is_published())
        if acknowledged < len(pending):
            raise SimulatorError(
                f"the broker acknowledged {acknowledged} of {len(pending)} messages"
            )
        return acknowledged

    def close(self) -> None:
        """Disconnect cleanly."""
        self._client.disconnect()
        self._client.loop_stop()
