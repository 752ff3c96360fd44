"""Prometheus metrics of MQTT ingest, in the process's default registry.

``pontive worker`` serves them at ``http://$PONTIVE_WORKER_METRICS_ADDRESS/metrics``
(``core/worker.py``). What to alert on is in docs/sensors.md ("What to monitor"): the lag,
dead letters, database retries, and a connection gauge at zero.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

RECEIVED = Counter("pontive_sensors_mqtt_messages_received", "MQTT messages received")
STORED = Counter("pontive_sensors_mqtt_observations_stored", "Observations stored from MQTT")
DEAD_LETTERS = Counter(
    "pontive_sensors_mqtt_dead_letters",
    "MQTT messages refused and kept as dead letters",
    ["reason"],  # json, topic, invalid, database
)
IGNORED = Counter(
    "pontive_sensors_mqtt_messages_ignored",
    "MQTT messages ignored: A.8 updates (with @iot.id) published by Pontive itself",
)
REDELIVERED = Counter(
    "pontive_sensors_mqtt_redeliveries_skipped",
    "Redelivered MQTT messages whose observation was already stored",
)
BATCHES = Counter("pontive_sensors_mqtt_batches", "Batches committed")
BATCH_SECONDS = Histogram(
    "pontive_sensors_mqtt_batch_duration_seconds",
    "Time to store one batch, commit and acknowledgements included",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
LAG_SECONDS = Gauge(
    "pontive_sensors_mqtt_lag_seconds",
    "Age of the oldest message of the last committed batch when it was committed",
)
PENDING = Gauge("pontive_sensors_mqtt_pending_messages", "Messages received and not yet committed")
CONNECTED = Gauge("pontive_sensors_mqtt_connected", "1 while connected to the broker")
CONNECTED_SINCE = Gauge(
    "pontive_sensors_mqtt_connected_since_seconds",
    "Unix time of the current connection to the broker (0 while disconnected)",
)
CONNECTIONS = Counter("pontive_sensors_mqtt_connections", "Successful (re)connections")
DATABASE_RETRIES = Counter(
    "pontive_sensors_mqtt_database_retries",
    "Batches retried because the database was unavailable (nothing acknowledged meanwhile)",
)
