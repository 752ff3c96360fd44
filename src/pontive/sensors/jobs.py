"""Background work of the sensors domain, run by ``pontive worker``.

- jobs: ``history.JOBS`` (partitions ahead, retention) and ``health.JOBS`` (device health);
- services: ``sensors.mqtt_ingest`` (MQTT ingest, SensorThings A.7/A.8) when
  ``PONTIVE_MQTT_URL`` is set.
"""

from __future__ import annotations

from pontive.core.worker import Job, Service
from pontive.sensors import health, history
from pontive.sensors.mqtt import MQTT_INGEST

JOBS: tuple[Job, ...] = (*history.JOBS, *health.JOBS)
SERVICES: tuple[Service, ...] = (MQTT_INGEST,)
