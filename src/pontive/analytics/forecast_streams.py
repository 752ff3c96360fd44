"""Forecasts as SensorThings Datastreams, written through ``sensors.service``.

Each gauge gets one forecast Datastream on its own Thing: "Prakiraan <gauge>", the gauge's
unit and ObservedProperty, ``derived_from_id`` = the gauge's stream, ``quantity`` None (so
the city indices never read it) and ``properties.pontive_forecast`` naming the model. A run
replaces the points from its first hour onward (each earlier point stays: the record of what
was forecast) by its 72 hourly points through ``replace_observations`` (one delete, one
ingest batch, one audit record), so ingest announces them as ``sensors.observations`` and
the alert rules hear them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.analytics.forecast_data import FORECAST_KEY, Gauge, forecast_streams
from pontive.core.identity import system_actor
from pontive.sensors import service as sensors
from pontive.sensors.ingest import ObservationIn
from pontive.sensors.models import Datastream, Observation, Sensor
from pontive.sensors.schemas import Changes, Draft, EntitySet, Link

# Forecasts are posted by the model, not by the person who asked for a refit.
FORECASTER = system_actor("analytics.forecast")
SENSOR_NAME = "Pontive prakiraan muka air (harmonik pasang surut + hujan + AR(1))"
RETENTION_DAYS = 400  # a year of issued forecasts to verify against what happened
_MAX_REPLACED = 24 * 14  # points looked at when replacing a run (a run holds 72)
_REPLACED_SPAN = timedelta(days=30)  # a run reaches 72 hours ahead; this is all of it


def _sensor_id(session: Session) -> int:
    found = session.scalar(select(Sensor.id).where(Sensor.name == SENSOR_NAME).order_by(Sensor.id))
    if found is not None:
        return found
    draft = Draft(
        EntitySet.SENSORS,
        {
            "name": SENSOR_NAME,
            "description": (
                "Prakiraan tinggi muka air 1-72 jam dari harmonik pasang surut, hujan terkini "
                "dan koreksi sisa AR(1), dihitung Pontive dari riwayat pos itu sendiri. / "
                "1-72 h water-level forecast from tidal harmonics, recent rain and an AR(1) "
                "residual correction, fitted on the gauge's own history."
            ),
            "encoding_type": "text/html",
            "metadata_": "/console/analitik/prakiraan",
            "properties": {FORECAST_KEY: "model"},
        },
    )
    return sensors.create_entity(session=session, actor=FORECASTER, draft=draft).id


def _properties(gauge: Gauge, version: int) -> dict[str, Any]:
    return {
        FORECAST_KEY: {
            "model": "harmonic+rain+ar1",
            "model_version": version,
            "horizon_hours": 72,
            "step_hours": 1,
            "source_datastream": gauge.datastream_id,
        }
    }


def ensure_forecast_stream(session: Session, gauge: Gauge, version: int) -> int:
    """The gauge's forecast Datastream id (made on first use; its model version kept
    current in ``properties``)."""
    existing = forecast_streams(session, [gauge.datastream_id]).get(gauge.datastream_id)
    properties = _properties(gauge, version)
    if existing is not None:
        stored = session.scalar(select(Datastream.properties).where(Datastream.id == existing))
        if (stored or {}).get(FORECAST_KEY) != properties[FORECAST_KEY]:
            sensors.update_entity(
                session=session,
                actor=FORECASTER,
                entity_set=EntitySet.DATASTREAMS,
                entity_id=existing,
                changes=Changes({"properties": {**(stored or {}), **properties}}),
            )
        return existing
    unit, observation_type = session.execute(
        select(Datastream.unit_of_measurement, Datastream.observation_type).where(
            Datastream.id == gauge.datastream_id
        )
    ).one()
    draft = Draft(
        EntitySet.DATASTREAMS,
        {
            "name": f"Prakiraan {gauge.name}"[:200],
            "description": (
                f"Prakiraan per jam 72 jam ke depan dari {gauge.stream_name}, dengan selang 90%. "
                f"/ Hourly 72-hour forecast of {gauge.stream_name}, with a 90% interval."
            ),
            "unit_of_measurement": dict(unit),
            "observation_type": observation_type,
            "properties": properties,
            "quantity": None,
            "derived_from_id": gauge.datastream_id,
            "retention_days": RETENTION_DAYS,
        },
        {
            "Thing": (Link(EntitySet.THINGS, gauge.thing_id),),
            "Sensor": (Link(EntitySet.SENSORS, _sensor_id(session)),),
            "ObservedProperty": (Link(EntitySet.OBSERVED_PROPERTIES, gauge.observed_property_id),),
        },
    )
    return sensors.create_entity(session=session, actor=FORECASTER, draft=draft).id


def stored_run(session: Session, stream_id: int, since: datetime) -> list[tuple[int, Any]]:
    """``(observation id, parameters)`` of the stream's points at or after ``since``."""
    rows = session.execute(
        select(Observation.id, Observation.parameters)
        .where(Observation.datastream_id == stream_id, Observation.phenomenon_time >= since)
        .order_by(Observation.phenomenon_time, Observation.id)
        .limit(_MAX_REPLACED)
    )
    return [(observation_id, parameters) for observation_id, parameters in rows]


def replace_points(
    session: Session, stream_id: int, points: Sequence[ObservationIn], since: datetime
) -> int:
    """Replace the stream's points from ``since`` on by ``points`` (one delete and one ingest
    batch, audited once by the sensors service); how many were stored. Nothing is written
    when there is nothing to remove or add."""
    if not points and not stored_run(session, stream_id, since):
        return 0
    stored = sensors.replace_observations(
        session=session,
        actor=FORECASTER,
        datastream_id=stream_id,
        start=since,
        end=since + _REPLACED_SPAN,
        items=points,
    )
    session.commit()
    return len(stored)
