"""Databases of ``bench/ingest.py``: where they live, their Datastreams, cleaning up.

SQLite is a file in the run's temporary folder; PostgreSQL a fresh database
``pontive_bench_ingest_<random>`` on the server named by ``--postgres-url``,
``$PONTIVE_BENCH_POSTGRES_URL``, ``$PONTIVE_TEST_DATABASE_URL`` or the local default (the
same order as ``bench/sta_query.py``), dropped at the end. Datastreams are made with
Pontive's own models: a Thing with a Location in Pontianak, and the FeatureOfInterest
ingest generates from that Location (so both the HTTP run and the raw baseline use it).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from postgres_server import reachable_postgres
from sqlalchemy import Engine, create_engine, insert, make_url, select, text

from pontive.core.db import Database, normalise_url
from pontive.domains import load_models
from pontive.sensors import partitions
from pontive.sensors.models import (
    Datastream,
    FeatureOfInterest,
    Location,
    ObservedProperty,
    Sensor,
    Thing,
    thing_locations,
)

OM_MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"
UNIT = {
    "name": "centimetre",
    "symbol": "cm",
    "definition": "http://unitsofmeasure.org/ucum.html#cm",
}


@dataclass
class Backend:
    name: str  # sqlite, postgres
    url: str
    server_url: str = ""
    _engine: Engine | None = None

    def last_id(self) -> int:
        """The highest observation id (0 when none)."""
        with self.engine().connect() as connection:
            return int(connection.scalar(text("SELECT max(id) FROM sensor_observations")) or 0)

    def count_after(self, observation_id: int) -> int:
        """How many committed observations have an id above ``observation_id``."""
        query = text("SELECT count(*) FROM sensor_observations WHERE id > :id")
        with self.engine().connect() as connection:
            return int(connection.scalar(query, {"id": observation_id}) or 0)

    def prepare_months(self, start: datetime, end: datetime) -> None:
        """Make the PostgreSQL partitions of the months from ``start`` to ``end`` (the raw
        baseline writes past Pontive, which would make them itself)."""
        months, current = set(), start
        while current <= end:
            months.add(partitions.month_of(current))
            current += timedelta(days=28)
        months.add(partitions.month_of(end))
        with self.engine().connect() as connection:
            partitions.ensure_partitions(connection, months)
            connection.commit()

    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = create_engine(normalise_url(self.url))
        return self._engine

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    def features(self, stream_ids: Sequence[int]) -> list[int]:
        """The FeatureOfInterest generated from each Datastream's Thing's Location."""
        database = Database(self.url)
        try:
            with database.session(write=False) as session:
                query = (
                    select(Datastream.id, FeatureOfInterest.id)
                    .join(thing_locations, thing_locations.c.thing_id == Datastream.thing_id)
                    .join(
                        FeatureOfInterest,
                        FeatureOfInterest.generated_from_location_id
                        == thing_locations.c.location_id,
                    )
                    .where(Datastream.id.in_(stream_ids))
                )
                found = dict(session.execute(query).tuples().all())
        finally:
            database.dispose()
        return [found[stream] for stream in stream_ids]


def pontive_env(backend: Backend, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a ``pontive`` process on ``backend``: this one's, minus any
    ``PONTIVE_*`` of the caller's, in dev mode, logging warnings (or
    ``$PONTIVE_BENCH_LOG_LEVEL``), plus ``extra``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PONTIVE_")}
    env |= {
        "PONTIVE_ENV": "dev",
        "PONTIVE_DATABASE_URL": backend.url,
        "PONTIVE_LOG_LEVEL": os.environ.get("PONTIVE_BENCH_LOG_LEVEL", "WARNING"),
    }
    return env | (extra or {})


def available_backends(
    tmp: Path, postgres_url: str | None, skip_postgres: bool
) -> Iterator[Backend]:
    """SQLite always; PostgreSQL when its server answers."""
    yield Backend("sqlite", f"sqlite:///{tmp / 'ingest.db'}")
    server = reachable_postgres(postgres_url, skip_postgres=skip_postgres)
    if server is None:
        return
    name = f"pontive_bench_ingest_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(normalise_url(server)), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(normalise_url(server)).set(database=name)
    yield Backend("postgres", url.render_as_string(hide_password=False), server_url=server)


def drop_backend(backend: Backend) -> None:
    """Drop the PostgreSQL database (the SQLite file goes with the temporary folder)."""
    backend.dispose()
    if backend.name != "postgres":
        return
    name = make_url(backend.url).database
    admin = create_engine(make_url(normalise_url(backend.server_url)), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def create_streams(backend: Backend, count: int, label: str) -> list[int]:
    """``count`` Datastreams, each of its own Thing with a Location and generated feature."""
    load_models()
    database = Database(backend.url)
    try:
        with database.session() as session:
            sensor = Sensor(
                name=f"bench {label}", description="", encoding_type="text/html", metadata_=""
            )
            prop = ObservedProperty(
                name="Tinggi muka air", definition="https://contoh.id/tma", description=""
            )
            session.add_all([sensor, prop])
            session.flush()
            ids = []
            for number in range(count):
                point = {"type": "Point", "coordinates": [109.30 + number / 1000, -0.03]}
                thing = Thing(name=f"bench {label} {number}", description="")
                location = Location(
                    name=f"Lokasi {label} {number}",
                    description="",
                    encoding_type="application/geo+json",
                    location=point,
                )
                session.add_all([thing, location])
                session.flush()
                session.execute(
                    insert(thing_locations).values(thing_id=thing.id, location_id=location.id)
                )
                session.add(
                    FeatureOfInterest(
                        name=location.name,
                        description="",
                        encoding_type="application/geo+json",
                        feature=point,
                        generated_from_location_id=location.id,
                    )
                )
                stream = Datastream(
                    name=f"bench {label} {number}",
                    description="",
                    unit_of_measurement=UNIT,
                    observation_type=OM_MEASUREMENT,
                    thing_id=thing.id,
                    sensor_id=sensor.id,
                    observed_property_id=prop.id,
                )
                session.add(stream)
                session.flush()
                ids.append(stream.id)
            session.commit()
    finally:
        database.dispose()
    return ids
