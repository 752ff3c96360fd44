"""The data set of ``bench/sta_query.py``: build it once, keep it, and probe it with bare SQL.

Half of the datastreams report every 30 s, half every 5 min, each a tide-like water level
(an M2 tide of 12.42 h, a daily swing and noise) ending at 2026-11-01 00:00 UTC. SQLite is
loaded with ``executemany``, PostgreSQL with binary ``COPY`` into its monthly partitions;
the rollups are built with ``pontive.sensors.rollups.rebuild_rollups``. A database is reused
while its key (data version, rows, migration head) is unchanged; stale ones are removed.
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
from alembic.script import ScriptDirectory
from postgres_server import reachable_postgres
from sqlalchemy import create_engine, insert, make_url, text
from sqlalchemy.exc import DBAPIError

from pontive.core.db import Database, normalise_url
from pontive.core.migrate import alembic_config
from pontive.domains import load_models
from pontive.sensors import partitions
from pontive.sensors.models import (
    Datastream,
    Observation,
    ObservedProperty,
    Sensor,
    Thing,
    to_micros,
)
from pontive.sensors.rollups import add_readings, rebuild_rollups, update_rollups

DATA_VERSION = 1
END = datetime(2026, 11, 1, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent.parent
CACHE_DIR = ROOT / "var" / "bench"
PG_EPOCH = 946_684_800  # 2000-01-01 in Unix seconds: PostgreSQL's binary timestamp origin
COPY_ROW = np.dtype(
    [("n", ">i2"), ("l1", ">i4"), ("ds", ">i4"), ("l2", ">i4"), ("t", ">i8"), ("l3", ">i4"),
     ("v", ">f8")]
)  # fmt: skip
PAGE_SQL = (
    "SELECT id, phenomenon_time, phenomenon_time_end, result_time, result_number, result_json,"
    " result_quality, valid_time_start, valid_time_end, parameters FROM sensor_observations"
    " WHERE datastream_id = {p} AND phenomenon_time >= {p} AND phenomenon_time < {p}"
    " AND result_number > {p} ORDER BY phenomenon_time DESC, id DESC LIMIT 100"
)
AGGREGATE_SQL = (
    "SELECT bucket_start, count, total, minimum, maximum FROM sensor_rollups"
    " WHERE datastream_id = {p} AND interval = '1h' AND bucket_start >= {p}"
    " AND bucket_start < {p} ORDER BY bucket_start"
)


@dataclass(frozen=True)
class Dataset:
    streams: int
    readings: int  # per stream

    @classmethod
    def full(cls) -> Dataset:
        return cls(100, 100_000)

    @classmethod
    def quick(cls) -> Dataset:
        return cls(100, 10_000)

    @property
    def rows(self) -> int:
        return self.streams * self.readings

    @staticmethod
    def spacing(index: int) -> int:
        return 30 if index % 2 == 0 else 300

    def first(self, index: int) -> datetime:
        return END - timedelta(seconds=self.spacing(index) * self.readings)

    def series(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """(Unix seconds, water level in cm) of one stream."""
        spacing = self.spacing(index)
        seconds = END.timestamp() - spacing * (self.readings - np.arange(self.readings))
        rng = np.random.default_rng(index)
        level = (
            150
            + 60 * np.sin(2 * np.pi * seconds / 44_712)
            + 25 * np.sin(2 * np.pi * seconds / 86_400 + index)
            + rng.normal(0, 3, self.readings)
        )
        return seconds.astype(np.int64), np.round(level, 1)

    def random_day(self, rng: random.Random, ids: Sequence[int]) -> tuple[int, str, str]:
        """A random stream and one whole UTC day of its data."""
        index = rng.randrange(self.streams)
        days = (END - self.first(index)).days - 1
        start = END - timedelta(days=rng.randint(1, days))
        return ids[index], _iso(start), _iso(start + timedelta(days=1))

    def random_month(self, rng: random.Random, ids: Sequence[int]) -> tuple[int, str, str]:
        """A random stream holding 31 days or more, and 30 days (720 hours) of it."""
        long_enough = [i for i in range(self.streams) if END - self.first(i) >= timedelta(days=31)]
        index = rng.choice(long_enough)
        hours = int((END - self.first(index)).total_seconds() // 3600) - 721
        start = END - timedelta(hours=720 + rng.randint(0, hours))
        return ids[index], _iso(start), _iso(start + timedelta(days=30))


def _iso(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Backend:
    name: str  # sqlite, postgres
    url: str = ""
    server_url: str = ""
    rebuild: bool = False
    ids: list[int] = field(default_factory=list)

    @staticmethod
    def available(postgres_url: str | None, *, skip_postgres: bool) -> Iterator[Backend]:
        """SQLite always; PostgreSQL when its server answers."""
        yield Backend("sqlite")
        server = reachable_postgres(postgres_url, skip_postgres=skip_postgres)
        if server is None:
            return
        yield Backend("postgres", server_url=server)


@dataclass(frozen=True)
class Info:
    bytes_total: int


def _key(dataset: Dataset) -> str:
    engine = create_engine("sqlite://")
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head() or "none"
    return f"{dataset.rows // 1000}k_v{DATA_VERSION}_{head}".lower()


def prepare(backend: Backend, dataset: Dataset) -> Info:
    """Reuse the cached database of ``dataset`` or build it; fills ``backend.url``, ``ids``."""
    key = _key(dataset)
    if backend.name == "sqlite":
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        path = CACHE_DIR / f"sta_query_{key}.db"
        # Older versions of the same size go; the other size (quick or full) stays.
        for stale in CACHE_DIR.glob(f"sta_query_{dataset.rows // 1000}k_*.db*"):
            if not stale.name.startswith(path.name):
                stale.unlink()
        backend.url = f"sqlite:///{path}"
    else:
        backend.url = _pg_database(
            backend.server_url, "pontive_bench_sta_", f"{dataset.rows // 1000}k_", key
        )
    database = Database(backend.url)
    try:
        if backend.rebuild or not _is_ready(database, key):
            _build(backend, database, dataset, key)
        with database.engine.connect() as connection:
            backend.ids = list(
                connection.scalars(
                    text("SELECT id FROM sensor_datastreams WHERE name LIKE 'bench %' ORDER BY id")
                )
            )
        return Info(_size(backend, database))
    finally:
        database.dispose()


def _pg_database(server: str, prefix: str, size: str, key: str) -> str:
    """The bench database of ``key`` on ``server``; older versions of the same size go."""
    name = prefix + key
    url = make_url(normalise_url(server))
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        names = connection.scalars(
            text("SELECT datname FROM pg_database WHERE datname LIKE :like"),
            {"like": f"{prefix}{size}%"},
        ).all()
        for stale in names:
            if stale != name:
                connection.execute(text(f'DROP DATABASE "{stale}" WITH (FORCE)'))
        if name not in names:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _is_ready(database: Database, key: str) -> bool:
    with database.engine.connect() as connection:
        try:
            found = connection.scalar(text("SELECT value FROM bench_meta WHERE key = 'key'"))
        except DBAPIError:  # no such table: a database not built (or not finished) yet
            return False
    return bool(found == key)


def _build(backend: Backend, database: Database, dataset: Dataset, key: str) -> None:
    started = time.monotonic()
    print(f"{backend.name}: building {dataset.rows:,} observations (kept for later runs)")
    if backend.name == "sqlite":
        database.dispose()
        Path(backend.url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        _reset_pg_schema(database)
    _pontive(backend.url, "db", "upgrade")
    ids = _create_streams(database, dataset)
    if backend.name == "sqlite":
        _load_sqlite(backend.url.removeprefix("sqlite:///"), dataset, ids)
    else:
        _load_postgres(database, backend.url, dataset, ids)
    loaded = time.monotonic()
    with database.session() as session:
        for stream in ids:
            rebuild_rollups(session=session, datastream_id=stream)
            session.commit()
    rolled = time.monotonic()
    _analyze(database)
    with database.begin() as session:
        session.execute(text("CREATE TABLE bench_meta (key VARCHAR(20) PRIMARY KEY, value TEXT)"))
        session.execute(text("INSERT INTO bench_meta VALUES ('key', :key)"), {"key": key})
    print(
        f"{backend.name}: loaded in {loaded - started:.0f} s, rollups rebuilt in "
        f"{rolled - loaded:.0f} s, analysed in {time.monotonic() - rolled:.0f} s"
    )


def _reset_pg_schema(database: Database) -> None:
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("DROP SCHEMA public CASCADE"))
        c.execute(text("CREATE SCHEMA public"))


def _pontive(url: str, *verb: str) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PONTIVE_")}
    env.update(PONTIVE_ENV="dev", PONTIVE_DATABASE_URL=url, PONTIVE_LOG_LEVEL="WARNING")
    command = Path(sys.executable).parent / "pontive"
    subprocess.run([str(command), *verb], env=env, cwd=ROOT, check=True, timeout=600)


def _create_streams(database: Database, dataset: Dataset) -> list[int]:
    load_models()  # every table, so that the mapper resolves the foreign keys
    with database.begin() as session:
        sensor = Sensor(name="bench gauge", encoding_type="text/plain")
        prop = ObservedProperty(name="Tinggi muka air", definition="https://example.org/level")
        session.add_all([sensor, prop])
        session.flush()
        streams = []
        for index in range(dataset.streams):
            thing = Thing(name=f"bench station {index}")
            session.add(thing)
            session.flush()
            stream = Datastream(
                name=f"bench {index:03d}",
                unit_of_measurement={"name": "centimetre", "symbol": "cm", "definition": "cm"},
                observation_type="OM_Measurement",
                thing_id=thing.id,
                sensor_id=sensor.id,
                observed_property_id=prop.id,
            )
            session.add(stream)
            streams.append(stream)
        session.flush()
        return [stream.id for stream in streams]


def _load_sqlite(path: str, dataset: Dataset, ids: Sequence[int]) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("PRAGMA cache_size=-262144")
    insert_sql = (
        "INSERT INTO sensor_observations (datastream_id, phenomenon_time, result_number)"
        " VALUES (?, ?, ?)"
    )
    for index, stream in enumerate(ids):
        seconds, level = dataset.series(index)
        micros = (seconds * 1_000_000).tolist()
        with connection:
            connection.executemany(
                insert_sql, zip([stream] * len(micros), micros, level.tolist(), strict=True)
            )
    connection.close()


def _load_postgres(database: Database, url: str, dataset: Dataset, ids: Sequence[int]) -> None:
    with database.begin() as session:
        months = {
            partitions.month_of(dataset.first(i) + timedelta(days=d))
            for i in range(dataset.streams)
            for d in range(0, (END - dataset.first(i)).days + 1, 10)
        }
        months.add(partitions.month_of(END - timedelta(seconds=1)))
        partitions.ensure_partitions(session.connection(), months)
    copy_sql = (
        "COPY sensor_observations (datastream_id, phenomenon_time, result_number)"
        " FROM STDIN (FORMAT BINARY)"
    )
    plain_url = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain_url) as connection:
        _skip_foreign_key_triggers(connection)
        with connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
            _copy_rows(copy, dataset, ids)


def _skip_foreign_key_triggers(connection: psycopg.Connection[Any]) -> None:
    """The rows are known to be valid: skip 10 million foreign-key trigger calls (superuser).

    The streams exist (made just before); without superuser rights the load is only slower.
    """
    try:
        connection.execute("SET session_replication_role = replica")
    except psycopg.errors.InsufficientPrivilege:
        connection.rollback()
        print("postgres: not a superuser, foreign keys are checked during the load (slower)")


def _copy_rows(copy: psycopg.Copy, dataset: Dataset, ids: Sequence[int]) -> None:
    """The binary COPY stream: header, one 34-byte tuple per row built by numpy, trailer."""
    copy.write(b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8)  # signature, flags, extension
    for index, stream in enumerate(ids):
        seconds, level = dataset.series(index)
        rows = np.empty(len(seconds), dtype=COPY_ROW)
        rows["n"], rows["l1"], rows["l2"], rows["l3"] = 3, 4, 8, 8  # fields and their sizes
        rows["ds"], rows["v"] = stream, level
        rows["t"] = (seconds - PG_EPOCH) * 1_000_000
        copy.write(rows.tobytes())
    copy.write(b"\xff\xff")


def _analyze(database: Database) -> None:
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("ANALYZE" if database.is_sqlite else "VACUUM ANALYZE"))


def _size(backend: Backend, database: Database) -> int:
    if backend.name == "sqlite":
        path = Path(backend.url.removeprefix("sqlite:///"))
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    with database.engine.connect() as connection:
        size = connection.scalar(
            text(
                "SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits"
                " WHERE inhparent = 'sensor_observations'::regclass"
            )
        )
        rollups = connection.scalar(text("SELECT pg_total_relation_size('sensor_rollups')"))
    print(f"postgres: rollups take {int(rollups) / 1e6:.1f} MB")
    return int(size)


def median_ms(samples: Sequence[float]) -> float:
    return statistics.median(samples) * 1000


def rollup_batch_cost(url: str, ids: Sequence[int], rounds: int = 15) -> tuple[float, float, float]:
    """Median ms, for 1,000 observations in 10 streams, of adding them to the rollups (what
    ingest does, ``add_readings``), of recomputing their buckets (what a delete or an edit
    does, ``update_rollups``) and of the bulk insert."""
    database = Database(url)
    streams = list(ids[:10])
    insert_times: list[float] = []
    add_times: list[float] = []
    recompute_times: list[float] = []
    try:
        with database.session() as session:
            start = END + timedelta(days=3)
            partitions.ensure_partitions(session.connection(), [partitions.month_of(start)])
            for round_number in range(rounds):
                at = start + timedelta(hours=round_number)
                rows = [
                    {"datastream_id": s, "phenomenon_time": at + timedelta(seconds=30 * k),
                     "result_number": 100.0 + k % 9}
                    for k in range(100) for s in streams
                ]  # fmt: skip
                # What ingest has at hand by then (its batch's columns), made before timing.
                of_rows = [s for _ in range(100) for s in streams]
                micros = [
                    to_micros(at + timedelta(seconds=30 * k)) for k in range(100) for _ in streams
                ]
                values = [100.0 + k % 9 for k in range(100) for _ in streams]
                began = time.perf_counter()
                session.execute(insert(Observation), rows)
                inserted = time.perf_counter()
                add_readings(session=session, streams=of_rows, micros=micros, values=values)
                added = time.perf_counter()
                times = [at + timedelta(seconds=30 * k) for k in range(100)]
                update_rollups(session=session, touched={s: times for s in streams})
                insert_times.append(inserted - began)
                add_times.append(added - inserted)
                recompute_times.append(time.perf_counter() - added)
            session.rollback()
    finally:
        partitions.forget_partitions()
        database.dispose()
    return median_ms(add_times[3:]), median_ms(recompute_times[3:]), median_ms(insert_times[3:])
