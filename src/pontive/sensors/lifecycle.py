"""What a ``pontive serve`` process starts and stops for the sensors domain.

With a broker configured (``PONTIVE_MQTT_URL``), each web process keeps one MQTT connection
to publish the observations it stores over HTTP as SensorThings A.8 updates
(``mqtt_publish``); the worker publishes what it ingests on its own connection.
"""

from __future__ import annotations

from pontive.core.db import Database
from pontive.core.events import EventBus
from pontive.sensors.mqtt_publish import MqttPublisher, start_publisher, stop_publisher
from pontive.settings import Settings


def start(settings: Settings, _database: Database, _bus: EventBus) -> MqttPublisher | None:
    """Start the A.8 publisher when a broker is configured."""
    return start_publisher(settings)


def stop(handle: MqttPublisher | None) -> None:
    """Stop what ``start`` started."""
    stop_publisher(handle)
