"""Demo sensors for ``pontive demo load``: Pontianak's river gauges, rain gauges and one air
station per kecamatan, with a month of history from the simulator's model.

Every entity is created through the sensors service (a SensorThings deep insert per
station), thresholds through ``flood.set_flood_threshold`` and the ISPU and flood-status
streams through ``indices.ensure_derived_datastreams``, so the demo holds what an operator
registering real devices would get. The history is written by ``demo_history``. Deterministic:
the model's seed fixes every reading, and ``now`` is cut to the whole ten minutes.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.sensors import flood, indices, service
from pontive.sensors.choices import Quantity
from pontive.sensors.console_vocabulary import OM_MEASUREMENT, PROPERTIES, UNITS, default_unit
from pontive.sensors.demo_history import DemoThing, load_history
from pontive.sensors.demo_stations import (
    DEMO_KEY,
    Station,
    StationKind,
    demo_sensors,
    demo_stations,
)
from pontive.sensors.models import Datastream
from pontive.sensors.schemas import Draft, EntitySet, Link
from pontive.sensors.simulate_city import DEFAULT_SEED, CityModel

HISTORY_DAYS = 30
# Raw readings are kept this long (rollups forever): air at 15 minutes is the bulk of it.
RETENTION_DAYS = {StationKind.WATER_GAUGE: 730, StationKind.RAIN_GAUGE: 730}
AIR_RETENTION_DAYS = 180
THRESHOLD_NOTE = (
    "Nilai demo dari rekaman banjir Kapuas (285-308 cm) dan prakiraan rob BMKG Maritim "
    "(1,6-2,0 m), bukan ambang resmi BPBD. / Demo values, not official BPBD thresholds."
)


def _create_sensors(session: Session, actor: Actor) -> dict[Quantity, int]:
    ids: dict[Quantity, int] = {}
    for spec in demo_sensors():
        values = {
            "name": spec.name,
            "description": spec.description,
            "encoding_type": spec.encoding_type,
            "metadata_": spec.metadata,
            "properties": {DEMO_KEY: spec.key},
        }
        created = service.create_entity(
            session=session, actor=actor, draft=Draft(EntitySet.SENSORS, values)
        )
        ids |= dict.fromkeys(spec.quantities, created.id)
    return ids


def _create_properties(
    session: Session, actor: Actor, quantities: set[Quantity]
) -> dict[Quantity, int]:
    ids: dict[Quantity, int] = {}
    for quantity in sorted(quantities, key=list(Quantity).index):
        spec = PROPERTIES[quantity]
        values = {
            "name": quantity.label("id"),
            "definition": spec.definition,
            "description": spec.description,
            "properties": {DEMO_KEY: quantity.value, "quantity": quantity.value},
        }
        created = service.create_entity(
            session=session, actor=actor, draft=Draft(EntitySet.OBSERVED_PROPERTIES, values)
        )
        ids[quantity] = created.id
    return ids


def _stream_draft(station: Station, quantity: Quantity, sensor: int, prop: int) -> Draft:
    unit = UNITS[station.level_unit] if quantity is Quantity.WATER_LEVEL else default_unit(quantity)
    retention = RETENTION_DAYS.get(station.kind, AIR_RETENTION_DAYS)
    values = {
        "name": f"{quantity.label('id')} · {station.name}"[:200],
        "description": f"{quantity.label('id')} / {quantity.label('en')}",
        "unit_of_measurement": unit.as_json(),
        "observation_type": OM_MEASUREMENT,
        "properties": {DEMO_KEY: quantity.value},
        "quantity": quantity,
        "retention_days": retention,
    }
    related: dict[str, tuple[Draft | Link, ...]] = {
        "Sensor": (Link(EntitySet.SENSORS, sensor),),
        "ObservedProperty": (Link(EntitySet.OBSERVED_PROPERTIES, prop),),
    }
    return Draft(EntitySet.DATASTREAMS, values, related)


def _thing_draft(
    station: Station, sensors: dict[Quantity, int], props: dict[Quantity, int]
) -> Draft:
    location = Draft(
        EntitySet.LOCATIONS,
        {
            "name": station.name,
            "description": f"Lokasi {station.name}",
            "encoding_type": "application/geo+json",
            "location": {"type": "Point", "coordinates": [station.lon, station.lat]},
            "properties": {DEMO_KEY: station.key},
        },
    )
    properties: dict[str, object] = {DEMO_KEY: station.key, "kind": station.kind.value}
    if station.river:
        properties["river"] = station.river
    values = {
        "name": station.name,
        "description": station.description,
        "properties": properties,
        "pd_kode": station.pd_kode,
        "expected_interval_seconds": station.interval_minutes * 60,
    }
    streams = tuple(_stream_draft(station, q, sensors[q], props[q]) for q in station.quantities)
    return Draft(EntitySet.THINGS, values, {"Locations": (location,), "Datastreams": streams})


def _create_station(
    session: Session,
    actor: Actor,
    station: Station,
    sensors: dict[Quantity, int],
    props: dict[Quantity, int],
) -> DemoThing:
    created = service.create_entity(
        session=session, actor=actor, draft=_thing_draft(station, sensors, props)
    )
    rows = session.execute(
        select(Datastream.id, Datastream.quantity).where(Datastream.thing_id == created.id)
    )
    streams = {quantity: stream_id for stream_id, quantity in rows if quantity is not None}
    if station.datum is not None and station.thresholds is not None:
        waspada, siaga, awas = station.thresholds
        flood.set_flood_threshold(
            session=session,
            actor=actor,
            datastream_id=streams[Quantity.WATER_LEVEL],
            thresholds=flood.Thresholds(station.datum, waspada, siaga, awas),
            note=THRESHOLD_NOTE,
        )
    indices.ensure_derived_datastreams(session=session, thing_id=created.id)
    session.commit()
    return DemoThing(station, created.id, streams)


def create_demo_things(session: Session, actor: Actor) -> list[DemoThing]:
    """Register every demo station (Thing, Location, Datastreams, thresholds, indices)."""
    stations = demo_stations()
    sensors = _create_sensors(session, actor)
    props = _create_properties(session, actor, {q for s in stations for q in s.quantities})
    return [_create_station(session, actor, s, sensors, props) for s in stations]


def demo_now() -> datetime:
    """The demo's "now": the current time cut to the whole ten minutes."""
    now = utcnow().replace(second=0, microsecond=0)
    return now - timedelta(minutes=now.minute % 10)


def load(session: Session, actor: Actor) -> str:
    """Load the demo stations and their month of history; a one-line summary."""
    borrowed_bus = SESSION_BUS_KEY not in session.info
    if borrowed_bus:  # demo history is not live news: nobody listens to this bus
        session.info[SESSION_BUS_KEY] = MemoryBus()
    try:
        things = create_demo_things(session, actor)
        end = demo_now()
        stored = load_history(
            session,
            actor,
            CityModel(DEFAULT_SEED),
            things,
            start=end - timedelta(days=HISTORY_DAYS),
            end=end,
        )
    finally:
        if borrowed_bus:
            session.info.pop(SESSION_BUS_KEY, None)
    kinds = Counter(thing.station.kind for thing in things)
    return (
        f"{len(things)} stasiun ({kinds[StationKind.WATER_GAUGE]} pos duga air, "
        f"{kinds[StationKind.RAIN_GAUGE]} penakar hujan, {kinds[StationKind.AIR_STATION]} "
        f"stasiun udara), {stored} observasi {HISTORY_DAYS} hari"
    )
