"""SensorThings request bodies to service inputs: entity JSON → ``Draft`` / ``Changes``.

Creation (18-088 10.2): each entity's properties are checked and converted to column
values; a nested object with ``@iot.id`` is a link to an existing entity (its other members
are ignored, as FROST-Server does, so clients may send back what they read); a nested object
without it is a deep insert. Updates (10.3) accept properties and links only. Control
annotations (``@iot.selfLink``, ``…@iot.navigationLink``) are ignored; unknown members are
refused, naming the path (``Datastreams[0].Sensor.encodingType``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pontive.sensors.schemas import Changes, Draft, EntitySet, Link
from pontive.sensors.sta_errors import StaError, bad_request
from pontive.sensors.sta_meta import SINGULAR, navigation, target_set
from pontive.sensors.sta_values import (
    as_geojson,
    as_instant,
    as_interval,
    as_json_object,
    as_text,
)

Converter = Callable[[Any, str], Any]


@dataclass(frozen=True, slots=True)
class Field:
    """A SensorThings property: its column, converter and whether create requires it."""

    column: str
    convert: Converter
    required: bool = False
    default: Any = None  # what PUT sets when the property is left out


def _text(limit: int | None = None) -> Converter:
    return lambda value, where: as_text(value, where, limit=limit)


def _nullable_object(value: Any, where: str) -> Any:
    return None if value is None else as_json_object(value, where)


_DESCRIPTION = Field("description", _text(), default="")
_PROPERTIES = Field("properties", _nullable_object)
_GEOJSON_TYPE = "application/geo+json"

FIELDS: dict[EntitySet, dict[str, Field]] = {
    EntitySet.THINGS: {
        "name": Field("name", _text(200), required=True),
        "description": _DESCRIPTION,
        "properties": _PROPERTIES,
    },
    EntitySet.LOCATIONS: {
        "name": Field("name", _text(200), required=True),
        "description": _DESCRIPTION,
        "encodingType": Field("encoding_type", _text(100), default=_GEOJSON_TYPE),
        "location": Field("location", as_json_object, required=True),
        "properties": _PROPERTIES,
    },
    EntitySet.HISTORICAL_LOCATIONS: {
        "time": Field("time", as_instant, required=True),
    },
    EntitySet.DATASTREAMS: {
        "name": Field("name", _text(200), required=True),
        "description": _DESCRIPTION,
        "unitOfMeasurement": Field("unit_of_measurement", as_json_object, required=True),
        "observationType": Field("observation_type", _text(200), required=True),
        "observedArea": Field("observed_area", _nullable_object),
        "phenomenonTime": Field("phenomenon_time", as_interval),
        "resultTime": Field("result_time", as_interval),
        "properties": _PROPERTIES,
    },
    EntitySet.SENSORS: {
        "name": Field("name", _text(200), required=True),
        "description": _DESCRIPTION,
        "encodingType": Field("encoding_type", _text(100), required=True),
        "metadata": Field("metadata_", _text(), default=""),
        "properties": _PROPERTIES,
    },
    EntitySet.OBSERVED_PROPERTIES: {
        "name": Field("name", _text(200), required=True),
        "definition": Field("definition", _text(500), required=True),
        "description": _DESCRIPTION,
        "properties": _PROPERTIES,
    },
    EntitySet.FEATURES_OF_INTEREST: {
        "name": Field("name", _text(200), required=True),
        "description": _DESCRIPTION,
        "encodingType": Field("encoding_type", _text(100), default=_GEOJSON_TYPE),
        "feature": Field("feature", as_json_object, required=True),
        "properties": _PROPERTIES,
    },
}
PERIODS = frozenset({"phenomenon_time", "result_time"})  # Datastream periods
OBSERVATION_PROPERTIES = frozenset(
    {"phenomenonTime", "resultTime", "result", "resultQuality", "validTime", "parameters"}
)


def _is_annotation(name: str) -> bool:
    return name.startswith("@iot.") or "@iot." in name


def _where(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _require_object(value: Any, where: str, entity_set: EntitySet) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        noun = SINGULAR[entity_set]
        raise bad_request(f"{where or 'The body'} must be a JSON object (a {noun}).")
    return value


def link_id(value: Mapping[str, Any], where: str) -> int | None:
    """The ``@iot.id`` of a nested object, if it is a link."""
    if "@iot.id" not in value:
        return None
    raw = value["@iot.id"]
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise bad_request(f"{where}.@iot.id must be an integer id.")
    try:
        return int(raw)
    except ValueError:
        raise bad_request(f"{where}.@iot.id must be an integer id, not {raw!r}.") from None


def parse_entity(entity_set: EntitySet, body: Any, *, where: str = "") -> Draft:
    """A create body (with nested links and deep inserts) as a ``Draft``."""
    document = _require_object(body, where, entity_set)
    navs = navigation(entity_set)
    values: dict[str, Any] = {}
    related: dict[str, tuple[Draft | Link, ...]] = {}
    for name, value in document.items():
        if _is_annotation(name):
            continue
        if name in navs:
            related[name] = _related(entity_set, name, value, _where(where, name))
        elif entity_set is EntitySet.OBSERVATIONS:
            if name not in OBSERVATION_PROPERTIES:
                raise _unknown(entity_set, name, where)
            values[name] = value  # parsed by ingest (parse_observation_json)
        else:
            _set_value(entity_set, name, value, values, where)
    if entity_set is not EntitySet.OBSERVATIONS:
        _check_required(entity_set, values, where)
    return Draft(entity_set, values, related)


def _unknown(entity_set: EntitySet, name: str, where: str) -> StaError:
    return bad_request(f"{_where(where, name)}: {SINGULAR[entity_set]} has no property {name!r}.")


def _set_value(
    entity_set: EntitySet, name: str, value: Any, values: dict[str, Any], where: str
) -> None:
    field = FIELDS[entity_set].get(name)
    if field is None:
        raise _unknown(entity_set, name, where)
    converted = field.convert(value, _where(where, name))
    if field.column in PERIODS:  # one TM_Period, two columns
        values[f"{field.column}_start"], values[f"{field.column}_end"] = converted or (None, None)
    else:
        values[field.column] = converted


def _check_required(entity_set: EntitySet, values: Mapping[str, Any], where: str) -> None:
    for name, field in FIELDS[entity_set].items():
        if field.required and values.get(field.column) is None:
            raise bad_request(f"{_where(where, name)}: required for a {SINGULAR[entity_set]}.")
    if entity_set is EntitySet.LOCATIONS:
        as_geojson(values, "location", where)
    if entity_set is EntitySet.FEATURES_OF_INTEREST:
        as_geojson(values, "feature", where)


def _related(entity_set: EntitySet, name: str, value: Any, where: str) -> tuple[Draft | Link, ...]:
    nav = navigation(entity_set)[name]
    target = target_set(nav)
    if nav.is_to_many:
        if not isinstance(value, list):
            raise bad_request(f"{where} must be a JSON array.")
        items = [(item, f"{where}[{index}]") for index, item in enumerate(value)]
    else:
        items = [(value, where)]
    result: list[Draft | Link] = []
    for item, item_where in items:
        document = _require_object(item, item_where, target)
        target_id = link_id(document, item_where)
        if target_id is not None:
            result.append(Link(target, target_id))
        else:
            result.append(parse_entity(target, document, where=item_where))
    return tuple(result)


def parse_changes(entity_set: EntitySet, body: Any, *, replace: bool) -> Changes:
    """An update body (PATCH merge or PUT replace): properties and links only."""
    document = _require_object(body, "", entity_set)
    navs = navigation(entity_set)
    values: dict[str, Any] = {}
    linked: dict[str, tuple[Link, ...]] = {}
    for name, value in document.items():
        if _is_annotation(name):
            continue
        if name in navs:
            linked[name] = _links_only(entity_set, name, value)
        elif entity_set is EntitySet.OBSERVATIONS:
            if name not in OBSERVATION_PROPERTIES:
                raise _unknown(entity_set, name, "")
            values[name] = value
        else:
            _set_value(entity_set, name, value, values, "")
    if entity_set is not EntitySet.OBSERVATIONS:
        values = _complete(entity_set, values, replace=replace)
    return Changes(values, linked, replace)


def _complete(entity_set: EntitySet, values: dict[str, Any], *, replace: bool) -> dict[str, Any]:
    fields = FIELDS[entity_set]
    for name, field in fields.items():
        if field.column in PERIODS:
            continue  # maintained from the observations: PUT without them keeps them
        given = field.column in values
        if given and values[field.column] is None and field.required:
            raise bad_request(f"{name}: a {SINGULAR[entity_set]} needs a value, not null.")
        if replace and not given:
            if field.required:
                raise bad_request(f"{name}: required when replacing (PUT) an entity.")
            values[field.column] = field.default
    for column in ("location", "feature"):
        if values.get(column) is not None:
            as_geojson(values, column, "")
    return values


def _links_only(entity_set: EntitySet, name: str, value: Any) -> tuple[Link, ...]:
    items = _related(entity_set, name, value, name)
    if any(isinstance(item, Draft) for item in items):
        raise bad_request(
            f"{name}: related entities cannot be created in an update; "
            'link existing ones with {"@iot.id": n}.'
        )
    return tuple(item for item in items if isinstance(item, Link))
