"""City indices as derived datastreams: ISPU per air station, flood status per water gauge.

``on_observations`` is called by ingest (``sensors.ingest.store_observations``) in the same
transaction, after the source rows and their rollups are written. For streams no index
depends on it returns after one dictionary lookup per observation (the set of source streams
is cached, see ``indices_cache``). Derived observations are written with Core statements,
never through ``store_observations``.

How the derived streams are linked (docs/sensors.md, "Indeks kota"):

- flood status: one ``quantity = flood_status`` stream per water-level stream, with
  ``derived_from_id`` = that stream and the same Thing; computed once the water-level stream
  has a ``FloodThreshold`` row (``flood.set_flood_threshold``).
- ISPU: one ``quantity = ispu`` stream per air station Thing, ``derived_from_id`` null; its
  sources are every pollutant stream (PM10, PM2.5, SO2, CO, O3, NO2, HC) of the same Thing.

``ensure_derived_datastreams`` creates whichever of them a Thing lacks;
``recompute_indices`` fills them from history already stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.errors import NotFound
from pontive.core.timeutil import utcnow
from pontive.sensors.choices import ISPU_POLLUTANTS, Quantity
from pontive.sensors.indices_cache import breakpoint_table, forget_index_cache, source_streams
from pontive.sensors.indices_flood import FLOOD_STATUS_CHANGED, update_flood_status
from pontive.sensors.indices_ispu import ISPU_CATEGORY_CHANGED, update_ispu
from pontive.sensors.indices_quality import usable
from pontive.sensors.indices_types import StoredLike, StoredRow
from pontive.sensors.models import Datastream, Observation, ObservedProperty, Sensor, Thing

__all__ = [
    "FLOOD_STATUS_CHANGED",
    "ISPU_CATEGORY_CHANGED",
    "ensure_derived_datastreams",
    "forget_index_cache",
    "on_observations",
    "recompute_indices",
]

OM_MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"
OM_CATEGORY = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_CategoryObservation"
ISPU_SENSOR_NAME = "Pontive ISPU (PermenLHK 14/2020)"
FLOOD_SENSOR_NAME = "Pontive status banjir (ambang Waspada/Siaga/Awas)"
ISPU_PROPERTY_NAME = "Indeks Standar Pencemar Udara (ISPU)"
FLOOD_PROPERTY_NAME = "Status banjir"
_KLHK_ISPU = (
    "https://ditppu.menlhk.go.id/portal/read/"
    "indeks-standar-pencemar-udara-ispu-sebagai-informasi-mutu-udara-ambien-di-indonesia"
)
_NULL_UNIT = {"name": None, "symbol": None, "definition": None}  # SensorThings: non-numeric


def on_observations(*, session: Session, stored: Sequence[StoredLike]) -> None:
    """Compute the derived streams (flood status, ISPU) fed by the observations just stored."""
    if not stored:
        return
    sources = source_streams(session)
    if not sources:
        return
    flood: dict[int, list[StoredLike]] = {}
    air: dict[int, list[StoredLike]] = {}
    for observation in stored:
        quantity = sources.get(observation.datastream_id)
        if quantity is None:
            continue
        target = flood if quantity is Quantity.WATER_LEVEL else air
        target.setdefault(observation.datastream_id, []).append(observation)
    now = utcnow()
    if flood:
        update_flood_status(session, flood, now=now)
    if air:
        update_ispu(session, air, now=now, breakpoints=breakpoint_table(session))


def _sensor(session: Session, name: str, description: str, encoding: str, metadata: str) -> int:
    found = session.scalar(select(Sensor.id).where(Sensor.name == name).order_by(Sensor.id))
    if found is not None:
        return found
    sensor = Sensor(name=name, description=description, encoding_type=encoding, metadata_=metadata)
    session.add(sensor)
    session.flush()
    return sensor.id


def _observed_property(session: Session, name: str, definition: str, description: str) -> int:
    found = session.scalar(
        select(ObservedProperty.id)
        .where(ObservedProperty.definition == definition)
        .order_by(ObservedProperty.id)
    )
    if found is not None:
        return found
    prop = ObservedProperty(name=name, definition=definition, description=description)
    session.add(prop)
    session.flush()
    return prop.id


def _ispu_stream(session: Session, thing: Thing) -> Datastream:
    return Datastream(
        name=f"ISPU {thing.name}"[:200],
        description=(
            "Indeks Standar Pencemar Udara dihitung Pontive dari parameter pencemar stasiun ini "
            "(PermenLHK P.14/2020). / Air quality index computed from this station's pollutants."
        ),
        unit_of_measurement={
            "name": "Indeks Standar Pencemar Udara",
            "symbol": "ISPU",
            "definition": _KLHK_ISPU,
        },
        observation_type=OM_MEASUREMENT,
        thing_id=thing.id,
        sensor_id=_sensor(
            session,
            ISPU_SENSOR_NAME,
            "Perhitungan ISPU per jam oleh Pontive. / Hourly ISPU computed by Pontive.",
            "text/html",
            _KLHK_ISPU,
        ),
        observed_property_id=_observed_property(
            session,
            ISPU_PROPERTY_NAME,
            _KLHK_ISPU,
            "Angka tanpa satuan tentang mutu udara ambien. / Unitless ambient air quality index.",
        ),
        quantity=Quantity.ISPU,
        derived_from_id=None,
    )


def _flood_stream(session: Session, thing: Thing, source: Datastream) -> Datastream:
    return Datastream(
        name=f"Status banjir {source.name}"[:200],
        description=(
            "Normal / Waspada / Siaga / Awas dari ambang tinggi muka air. / Flood status from "
            "the water-level thresholds."
        ),
        unit_of_measurement=dict(_NULL_UNIT),
        observation_type=OM_CATEGORY,
        thing_id=thing.id,
        sensor_id=_sensor(
            session,
            FLOOD_SENSOR_NAME,
            "Status banjir dari ambang per datastream. / Flood status from per-stream thresholds.",
            "text/plain",
            "Waspada <= level < Siaga <= level < Awas; thresholds in sensor_flood_thresholds.",
        ),
        observed_property_id=_observed_property(
            session,
            FLOOD_PROPERTY_NAME,
            "urn:pontive:def:observed-property:flood-status",
            "Status banjir Normal, Waspada, Siaga, Awas. / Flood status levels.",
        ),
        quantity=Quantity.FLOOD_STATUS,
        derived_from_id=source.id,
    )


def ensure_derived_datastreams(*, session: Session, thing_id: int) -> list[Datastream]:
    """Create the ISPU and flood-status streams a Thing's sources call for; returns new ones."""
    thing = session.get(Thing, thing_id)
    if thing is None:
        raise NotFound("Thing tidak ditemukan.", "Thing not found.")
    streams = session.scalars(select(Datastream).where(Datastream.thing_id == thing_id)).all()
    created: list[Datastream] = []
    has_ispu = any(s.quantity is Quantity.ISPU and s.derived_from_id is None for s in streams)
    if not has_ispu and any(s.quantity in ISPU_POLLUTANTS for s in streams):
        created.append(_ispu_stream(session, thing))
    with_status = {s.derived_from_id for s in streams if s.quantity is Quantity.FLOOD_STATUS}
    for source in streams:
        if source.quantity is Quantity.WATER_LEVEL and source.id not in with_status:
            created.append(_flood_stream(session, thing, source))
    if created:
        session.add_all(created)
        session.flush()
        forget_index_cache()
    return created


def recompute_indices(
    *, session: Session, thing_id: int, since: datetime, chunk: timedelta = timedelta(days=1)
) -> int:
    """Recompute a Thing's derived streams from its stored history since ``since``.

    For derived streams added (or thresholds changed) after data arrived; returns the source
    observations read. Works a day at a time so memory stays bounded.
    """
    sources = source_streams(session)
    stream_ids = list(session.scalars(select(Datastream.id).where(Datastream.thing_id == thing_id)))
    stream_ids = [stream_id for stream_id in stream_ids if stream_id in sources]
    read, start, end = 0, since, utcnow()
    while stream_ids and start <= end:
        rows = _numeric_rows(session, stream_ids, start, start + chunk)
        on_observations(session=session, stored=rows)
        read += len(rows)
        start += chunk
    return read


def _numeric_rows(
    session: Session, stream_ids: Sequence[int], start: datetime, end: datetime
) -> list[StoredRow]:
    rows = session.execute(
        select(
            Observation.id,
            Observation.datastream_id,
            Observation.phenomenon_time,
            Observation.result_number,
        )
        .where(
            Observation.datastream_id.in_(stream_ids),
            Observation.phenomenon_time >= start,
            Observation.phenomenon_time < end,
            Observation.result_number.is_not(None),
            usable(Observation.result_quality),
        )
        .order_by(Observation.phenomenon_time, Observation.id)
    )
    return [StoredRow(*row) for row in rows]
