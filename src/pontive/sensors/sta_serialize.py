"""Rows to SensorThings JSON: properties, control information and navigation links.

Every entity carries ``@iot.selfLink`` and ``@iot.id`` and a ``<Nav>@iot.navigationLink``
per navigation property (18-088 8.2, "entity control information"), all absolute. Times
are ISO 8601 in UTC with ``Z``; an Observation's phenomenonTime is an instant or a
``start/end`` interval, a Datastream's phenomenonTime and resultTime are intervals (null
before the first observation). A result is ``result_number`` when numeric, otherwise the
JSON stored in ``result_json`` (ingest writes one or the other).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime
from typing import Any

from pontive.sensors.schemas import EntitySet
from pontive.sensors.sta_meta import links

Row = Mapping[Any, Any]  # a row's mapping (column key → value)
_MAX_EXACT_INT = 2**53


def iso(instant: datetime | None) -> str | None:
    """ISO 8601 in UTC with ``Z`` (``2026-11-29T03:00:00Z``), or ``None``."""
    if instant is None:
        return None
    text = instant.astimezone(UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"


def interval(start: datetime | None, end: datetime | None) -> str | None:
    """A TM_Period as ``start/end``; ``None`` when the start is unknown."""
    if start is None:
        return None
    return f"{iso(start)}/{iso(end if end is not None else start)}"


def instant_or_interval(start: datetime | None, end: datetime | None) -> str | None:
    """A TM_Object: an instant, or ``start/end`` when there is an end."""
    if end is None:
        return iso(start)
    return interval(start, end)


def number(value: float) -> float | int:
    """A stored float, written as an integer when it is one (``5`` not ``5.0``)."""
    if math.isfinite(value) and value.is_integer() and abs(value) < _MAX_EXACT_INT:
        return int(value)
    return value


def result_of(row: Row) -> Any:
    """The Observation's result from whichever column holds it."""
    value = row["result_number"]
    return number(value) if value is not None else row["result_json"]


Getter = Callable[[Row], Any]


def _column(name: str) -> Getter:
    return lambda row: row[name]


_GETTERS: dict[EntitySet, dict[str, Getter]] = {
    EntitySet.THINGS: {
        "name": _column("name"),
        "description": _column("description"),
        "properties": _column("properties"),
    },
    EntitySet.LOCATIONS: {
        "name": _column("name"),
        "description": _column("description"),
        "encodingType": _column("encoding_type"),
        "location": _column("location"),
        "properties": _column("properties"),
    },
    EntitySet.HISTORICAL_LOCATIONS: {"time": lambda row: iso(row["time"])},
    EntitySet.DATASTREAMS: {
        "name": _column("name"),
        "description": _column("description"),
        "unitOfMeasurement": _column("unit_of_measurement"),
        "observationType": _column("observation_type"),
        "observedArea": _column("observed_area"),
        "phenomenonTime": lambda row: interval(
            row["phenomenon_time_start"], row["phenomenon_time_end"]
        ),
        "resultTime": lambda row: interval(row["result_time_start"], row["result_time_end"]),
        "properties": _column("properties"),
    },
    EntitySet.SENSORS: {
        "name": _column("name"),
        "description": _column("description"),
        "encodingType": _column("encoding_type"),
        "metadata": _column("metadata"),
        "properties": _column("properties"),
    },
    EntitySet.OBSERVED_PROPERTIES: {
        "name": _column("name"),
        "definition": _column("definition"),
        "description": _column("description"),
        "properties": _column("properties"),
    },
    EntitySet.OBSERVATIONS: {
        "phenomenonTime": lambda row: instant_or_interval(
            row["phenomenon_time"], row["phenomenon_time_end"]
        ),
        "resultTime": lambda row: iso(row["result_time"]),
        "result": result_of,
        "resultQuality": _column("result_quality"),
        "validTime": lambda row: (
            interval(row["valid_time_start"], row["valid_time_end"])
            if row["valid_time_end"] is not None
            else None
        ),
        "parameters": _column("parameters"),
    },
    EntitySet.FEATURES_OF_INTEREST: {
        "name": _column("name"),
        "description": _column("description"),
        "encodingType": _column("encoding_type"),
        "feature": _column("feature"),
        "properties": _column("properties"),
    },
}


def property_value(entity_set: EntitySet, name: str, row: Row) -> Any:
    """The SensorThings value of property ``name`` (``id`` included) of ``row``."""
    if name == "id":
        return row["id"]
    return _GETTERS[entity_set][name](row)


def self_link(root: str, entity_set: EntitySet, entity_id: int) -> str:
    """The absolute URL of one entity."""
    return f"{root}/{entity_set.value}({entity_id})"


def entity_json(
    root: str,
    entity_set: EntitySet,
    row: Row,
    select: Collection[str] | None = None,
) -> dict[str, Any]:
    """One entity as SensorThings JSON; ``select`` limits it to the named properties and
    navigation links (``$select``), control information only when ``id`` is selected."""
    link = self_link(root, entity_set, row["id"])
    body: dict[str, Any] = {}
    if select is None or "id" in select:
        body["@iot.selfLink"] = link
        body["@iot.id"] = row["id"]
    for name, getter in _GETTERS[entity_set].items():
        if select is None or name in select:
            body[name] = getter(row)
    for nav in links(entity_set):
        if select is None or nav.name in select:
            body[f"{nav.name}@iot.navigationLink"] = f"{link}/{nav.name}"
    return body
