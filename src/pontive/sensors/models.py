"""Sensor tables: the OGC SensorThings 1.1 entities, observation history and rollups.

Table and column names follow the SensorThings entities (``sensor_things`` for Thing …).
Pontive additions are explicit columns, not hidden in ``properties``: where a Location lies
(kelurahan), what quantity a Datastream measures (for the city indices), how a device is
doing (last seen, expected interval, battery, signal) and how long raw history is kept.

Observations are the one hot table: times are stored compactly (``InstantColumn``: an
integer of microseconds on SQLite, ``timestamptz`` on PostgreSQL, where the table is
partitioned by month in the migration) and indexed for (datastream, phenomenon time).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator, TypeEngine

from pontive.core.db import Base, UTCDateTime, choice_column
from pontive.core.timeutil import utcnow
from pontive.sensors.choices import DeviceHealth, FloodDatum, Quantity

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class InstantColumn(TypeDecorator[datetime]):
    """An aware instant: ``timestamptz`` on PostgreSQL, integer microseconds on SQLite.

    SQLite would otherwise store a 26-character string per time column in the largest table;
    an integer is 8 bytes at most and compares faster. Use ``epoch_seconds`` in SQL that
    needs calendar functions.
    """

    impl = BigInteger
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store aware instants only")
        if dialect.name == "sqlite":
            return to_micros(value)
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, int):
            return from_micros(value)
        instant: datetime = value
        return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


def to_micros(value: datetime) -> int:
    """Microseconds since the Unix epoch of an aware instant (exact, no float rounding)."""
    delta = value - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(value: int) -> datetime:
    """The aware UTC instant ``value`` microseconds after the Unix epoch."""
    # Twice as fast as fromtimestamp + replace; this runs for every time read on SQLite.
    return _EPOCH + timedelta(microseconds=value)


class Thing(Base):
    """A device or station (SensorThings Thing): a water gauge, an air-quality station."""

    __tablename__ = "sensor_things"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    properties: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The agency that runs the device (Perangkat Daerah), when known.
    pd_kode: Mapped[str | None] = mapped_column(
        ForeignKey("perangkat_daerah.kode", ondelete="SET NULL"), index=True
    )
    # Device health (issue: last seen, expected interval, stale/offline, battery, signal).
    expected_interval_seconds: Mapped[int | None] = mapped_column(Integer)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    health: Mapped[DeviceHealth] = mapped_column(
        choice_column(DeviceHealth), default=DeviceHealth.UNKNOWN
    )
    health_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    battery_percent: Mapped[float | None] = mapped_column(Float)
    signal_dbm: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


thing_locations = Table(
    "sensor_thing_locations",
    Base.metadata,
    Column("thing_id", ForeignKey("sensor_things.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "location_id",
        ForeignKey("sensor_locations.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

historical_location_locations = Table(
    "sensor_historical_location_locations",
    Base.metadata,
    Column(
        "historical_location_id",
        ForeignKey("sensor_historical_locations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "location_id",
        ForeignKey("sensor_locations.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Location(Base):
    """Where Things are (SensorThings Location), resolved to its kelurahan on write."""

    __tablename__ = "sensor_locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    encoding_type: Mapped[str] = mapped_column(String(100), default="application/geo+json")
    location: Mapped[dict[str, Any]] = mapped_column(JSON)  # GeoJSON geometry or Feature
    properties: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # A representative point (the geometry's own for a Point) for maps and geo filters.
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    kelurahan_kode: Mapped[str | None] = mapped_column(ForeignKey("kelurahan.kode"), index=True)


class HistoricalLocation(Base):
    """When a Thing was where (SensorThings HistoricalLocation)."""

    __tablename__ = "sensor_historical_locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    thing_id: Mapped[int] = mapped_column(
        ForeignKey("sensor_things.id", ondelete="CASCADE"), index=True
    )
    time: Mapped[datetime] = mapped_column(UTCDateTime)


class Sensor(Base):
    """The instrument or procedure (SensorThings Sensor)."""

    __tablename__ = "sensor_sensors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    encoding_type: Mapped[str] = mapped_column(String(100))
    metadata_: Mapped[str] = mapped_column("metadata", Text, default="")
    properties: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ObservedProperty(Base):
    """The phenomenon observed (SensorThings ObservedProperty): water level, PM2.5 …"""

    __tablename__ = "sensor_observed_properties"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    properties: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Datastream(Base):
    """A series of observations of one property by one sensor on one Thing."""

    __tablename__ = "sensor_datastreams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # SensorThings unitOfMeasurement {name, symbol, definition} (UCUM where possible).
    unit_of_measurement: Mapped[dict[str, Any]] = mapped_column(JSON)
    observation_type: Mapped[str] = mapped_column(String(200))
    observed_area: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    properties: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    thing_id: Mapped[int] = mapped_column(
        ForeignKey("sensor_things.id", ondelete="CASCADE"), index=True
    )
    sensor_id: Mapped[int] = mapped_column(
        ForeignKey("sensor_sensors.id", ondelete="CASCADE"), index=True
    )
    observed_property_id: Mapped[int] = mapped_column(
        ForeignKey("sensor_observed_properties.id", ondelete="CASCADE"), index=True
    )
    # Maintained by ingest: the SensorThings phenomenonTime / resultTime periods and the
    # latest observation, so maps and lists never scan the observation table.
    phenomenon_time_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    phenomenon_time_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    result_time_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    result_time_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_observation_id: Mapped[int | None] = mapped_column(BigInteger)
    last_phenomenon_time: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_result: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    # What the city indices need to know (None: a stream Pontive only stores and shows).
    quantity: Mapped[Quantity | None] = mapped_column(choice_column(Quantity, 30))
    # Raw observations older than this many days are deleted; rollups are kept (None: keep).
    retention_days: Mapped[int | None] = mapped_column(Integer)
    # A derived stream (ISPU, flood status) names the stream it is computed from.
    derived_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("sensor_datastreams.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FeatureOfInterest(Base):
    """What an observation is about (SensorThings FeatureOfInterest)."""

    __tablename__ = "sensor_features"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    encoding_type: Mapped[str] = mapped_column(String(100), default="application/geo+json")
    feature: Mapped[dict[str, Any]] = mapped_column(JSON)
    properties: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Set when the feature was generated from a Location (SensorThings 10, special case #1),
    # so later observations of the same Thing reuse it.
    generated_from_location_id: Mapped[int | None] = mapped_column(
        ForeignKey("sensor_locations.id", ondelete="SET NULL"), index=True
    )


class Observation(Base):
    """One measurement (SensorThings Observation); the largest table by far."""

    __tablename__ = "sensor_observations"
    __table_args__ = (
        # FROST's advice (db_performance.md): (datastream, phenomenon time, id) serves the
        # latest-value, time-window and paging queries.
        Index("ix_sensor_observations_stream_time", "datastream_id", "phenomenon_time", "id"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    datastream_id: Mapped[int] = mapped_column(
        ForeignKey("sensor_datastreams.id", ondelete="CASCADE")
    )
    phenomenon_time: Mapped[datetime] = mapped_column(InstantColumn)  # instant, or start
    phenomenon_time_end: Mapped[datetime | None] = mapped_column(InstantColumn)  # interval end
    result_time: Mapped[datetime | None] = mapped_column(InstantColumn)
    # Numeric results (the common case) in a float column that aggregates read; any other
    # result (string, boolean, object, array, null) as JSON in ``result_json``.
    result_number: Mapped[float | None] = mapped_column(Float)
    result_json: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    result_quality: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    valid_time_start: Mapped[datetime | None] = mapped_column(InstantColumn)
    valid_time_end: Mapped[datetime | None] = mapped_column(InstantColumn)
    parameters: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    feature_of_interest_id: Mapped[int | None] = mapped_column(
        ForeignKey("sensor_features.id", ondelete="CASCADE"), index=True
    )


class Rollup(Base):
    """Pre-computed statistics of a datastream's numeric results per time bucket."""

    __tablename__ = "sensor_rollups"

    datastream_id: Mapped[int] = mapped_column(
        ForeignKey("sensor_datastreams.id", ondelete="CASCADE"), primary_key=True
    )
    interval: Mapped[str] = mapped_column(String(4), primary_key=True)  # 15m, 1h, 1d
    bucket_start: Mapped[datetime] = mapped_column(InstantColumn, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    total: Mapped[float] = mapped_column(Float)
    minimum: Mapped[float] = mapped_column(Float)
    maximum: Mapped[float] = mapped_column(Float)


class FloodThreshold(Base):
    """Flood status thresholds of a water-level datastream, with their datum."""

    __tablename__ = "sensor_flood_thresholds"

    datastream_id: Mapped[int] = mapped_column(
        ForeignKey("sensor_datastreams.id", ondelete="CASCADE"), primary_key=True
    )
    datum: Mapped[FloodDatum] = mapped_column(choice_column(FloodDatum))
    waspada: Mapped[float] = mapped_column(Float)
    siaga: Mapped[float] = mapped_column(Float)
    awas: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class IspuBreakpoint(Base):
    """One row of the ISPU table (PermenLHK 14/2020): a concentration range → index range."""

    __tablename__ = "sensor_ispu_breakpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    quantity: Mapped[Quantity] = mapped_column(choice_column(Quantity, 30), index=True)
    ispu_low: Mapped[float] = mapped_column(Float)
    ispu_high: Mapped[float] = mapped_column(Float)
    concentration_low: Mapped[float] = mapped_column(Float)
    concentration_high: Mapped[float] = mapped_column(Float)


class DeadLetter(Base):
    """A payload that could not be stored, with the reason; ingest goes on without it."""

    __tablename__ = "sensor_dead_letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    source: Mapped[str] = mapped_column(String(10))  # mqtt, http
    topic: Mapped[str] = mapped_column(String(300), default="")
    payload: Mapped[str] = mapped_column(Text)  # truncated to a sane size
    reason: Mapped[str] = mapped_column(Text)
