"""The SensorThings service root (18-088 9.2, usage 1) and the conformance list it carries.

``serverSettings.conformance`` names exactly what this server implements, in the form
FROST-Server and other v1.1 servers publish: the requirement-class URIs of 02_conformance
(``req/datamodel``, ``req/request-data``, ``req/create-update-delete``) and, for classes
with one requirement, that requirement's URI (``req/resource-path/resource-path-to-entities``,
``req/data-array/data-array``). Batch requests (``req/batch-request``) and MultiDatastream
(``req/multi-datastream``) are not implemented and not listed. The MQTT classes are listed,
with their endpoints, only when ``PONTIVE_MQTT_URL`` is set (ingest runs then).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from pontive.sensors.schemas import EntitySet

SPEC = "http://www.opengis.net/spec/iot_sensing/1.1/"
CONFORMANCE = (
    f"{SPEC}req/datamodel",
    f"{SPEC}req/resource-path/resource-path-to-entities",
    f"{SPEC}req/request-data",
    f"{SPEC}req/create-update-delete",
    f"{SPEC}req/data-array/data-array",
)
MQTT_CREATE = f"{SPEC}req/create-observations-via-mqtt/observations-creation"
MQTT_RECEIVE = f"{SPEC}req/receive-updates-via-mqtt/receive-updates"
_DEFAULT_PORTS = {"mqtt": 1883, "mqtts": 8883, "ws": 80, "wss": 443}


def public_mqtt_endpoint(mqtt_url: str) -> str | None:
    """The broker address clients may use: scheme, host and port only (never credentials)."""
    parts = urlsplit(mqtt_url)
    if not parts.scheme or not parts.hostname:
        return None
    port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}:{port}" if port else f"{parts.scheme}://{host}"


def service_document(root: str, *, mqtt_url: str = "") -> dict[str, Any]:
    """The JSON of ``GET /sta/v1.1``: entity sets with absolute URLs and server settings."""
    conformance = list(CONFORMANCE)
    settings: dict[str, Any] = {"conformance": conformance}
    endpoint = public_mqtt_endpoint(mqtt_url) if mqtt_url else None
    if endpoint is not None:
        conformance += [MQTT_CREATE, MQTT_RECEIVE]
        settings[MQTT_CREATE] = {"endpoints": [endpoint]}
        settings[MQTT_RECEIVE] = {"endpoints": [endpoint]}
    return {
        "value": [{"name": item.value, "url": f"{root}/{item.value}"} for item in EntitySet],
        "serverSettings": settings,
    }
