"""Rows and helpers for the SensorThings query tests: insert labelled entities, run filters.

Every inserted row gets a label ("T1", "o3" …); ``matching`` runs a compiled ``$filter``
on the test's database (SQLite or PostgreSQL) and answers with the labels of the rows found,
so that tests read like the specification tables they come from.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from pontive.sensors import partitions
from pontive.sensors.models import thing_locations
from pontive.sensors.sta_entities import entity_by_name
from pontive.sensors.sta_filter import compile_filter, compile_orderby, parse_orderby

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)  # 10:00 WIB


@pytest.fixture(autouse=True)
def _forget_partitions() -> Iterator[None]:
    """Partitions made inside a rolled-back test transaction are gone afterwards."""
    partitions.forget_partitions()
    yield
    partitions.forget_partitions()


@dataclass
class Rows:
    """Labels of inserted rows, per entity type."""

    ids: dict[str, dict[str, int]] = field(default_factory=dict)

    def id(self, entity: str, label: str) -> int:
        """The id of the row labelled ``label``."""
        return self.ids[entity][label]

    def labels(self, entity: str, ids: Sequence[int]) -> list[str]:
        """Labels of ``ids`` in the given order."""
        by_id = {row_id: label for label, row_id in self.ids.get(entity, {}).items()}
        return [by_id[row_id] for row_id in ids]


def add(session: Session, rows: Rows, entity: str, items: Mapping[str, dict[str, Any]]) -> None:
    """Insert ``items`` (label → column values) into ``entity``'s table with Core."""
    if not items:
        return
    table = entity_by_name(entity).table
    values = [_columns(table, item) for item in items.values()]
    if entity == "Observation":
        months = {partitions.month_of(value["phenomenon_time"]) for value in values}
        partitions.ensure_partitions(session.connection(), months)
    # One statement per row: rows may leave different columns to their defaults.
    ids = [session.scalars(insert(table).values(v).returning(table.c.id)).one() for v in values]
    rows.ids.setdefault(entity, {}).update(zip(items, ids, strict=True))


def _columns(table: Table, item: dict[str, Any]) -> dict[str, Any]:
    defaults: dict[str, Any] = {"description": ""} if "description" in table.c else {}
    return {**defaults, **{("metadata" if k == "metadata_" else k): v for k, v in item.items()}}


def link(session: Session, rows: Rows, thing: str, location: str) -> None:
    """Put a Thing at a Location."""
    thing_id, location_id = rows.id("Thing", thing), rows.id("Location", location)
    session.execute(insert(thing_locations).values(thing_id=thing_id, location_id=location_id))


def matching(
    session: Session, rows: Rows, entity: str, text: str, *, now: datetime = NOW
) -> set[str]:
    """Labels of the ``entity`` rows (among those inserted) that ``$filter=text`` selects."""
    target = entity_by_name(entity)
    condition = compile_filter(text, entity=target, session=session, now=now)
    found = session.scalars(select(target.table.c.id).where(condition)).all()
    mine = set(rows.ids.get(entity, {}).values())
    return set(rows.labels(entity, [row_id for row_id in found if row_id in mine]))


def ordered(session: Session, rows: Rows, entity: str, text: str) -> list[str]:
    """Labels of the inserted ``entity`` rows in ``$orderby=text`` order."""
    target = entity_by_name(entity)
    clauses = compile_orderby(parse_orderby(text), entity=target, session=session, now=NOW)
    mine = list(rows.ids.get(entity, {}).values())
    query = select(target.table.c.id).where(target.table.c.id.in_(mine)).order_by(*clauses)
    return rows.labels(entity, session.scalars(query).all())


def minutes_ago(minutes: float) -> datetime:
    """``NOW`` minus ``minutes``."""
    return NOW - timedelta(minutes=minutes)


def point(lon: float, lat: float) -> dict[str, Any]:
    """A GeoJSON point."""
    return {"type": "Point", "coordinates": [lon, lat]}


def stream(thing: str, sensor: str, prop: str, rows: Rows, **values: Any) -> dict[str, Any]:
    """Datastream column values linked to labelled Thing, Sensor and ObservedProperty."""
    return {
        "observation_type": "OM_Measurement",
        "unit_of_measurement": {"name": "centimetre", "symbol": "cm", "definition": "ucum:cm"},
        "thing_id": rows.id("Thing", thing),
        "sensor_id": rows.id("Sensor", sensor),
        "observed_property_id": rows.id("ObservedProperty", prop),
        **values,
    }


def base_entities(session: Session, rows: Rows, things: Mapping[str, dict[str, Any]]) -> None:
    """Things plus one Sensor ("S1") and one ObservedProperty ("P1")."""
    add(session, rows, "Thing", things)
    sensor = {"name": "Sensor tekanan", "encoding_type": "text/html", "metadata_": "https://x"}
    add(session, rows, "Sensor", {"S1": sensor})
    prop = {"name": "Tinggi muka air", "definition": "https://example.org/level"}
    add(session, rows, "ObservedProperty", {"P1": prop})
