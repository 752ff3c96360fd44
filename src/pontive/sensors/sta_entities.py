"""The eight SensorThings 1.1 entity types Pontive serves, mapped onto the sensor tables.

One registry (18-088, clause 8 "Sensing Entities") that the query compiler, paths, ``$select``,
``$expand`` and serialisation all read: entity set name ↔ entity name, the ORM model, every
property (SensorThings name → columns and kind) and every navigation property (target,
cardinality, how the tables join: a key on this table, a key on the related table, or an
association table). MultiDatastream (clause 12) is not served.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import ColumnElement, FromClause, Table, exists, inspect, select

from pontive.sensors.models import (
    Datastream,
    FeatureOfInterest,
    HistoricalLocation,
    Location,
    Observation,
    ObservedProperty,
    Sensor,
    Thing,
    historical_location_locations,
    thing_locations,
)
from pontive.sensors.schemas import EntitySet

ID_ALIASES = frozenset({"id", "@iot.id"})


class PropertyKind(StrEnum):
    """What a property holds, which decides how filters compare it and how it is written."""

    ID = "id"
    TEXT = "text"
    JSON = "json"  # a JSON object: properties, unitOfMeasurement, parameters, resultQuality
    GEOMETRY = "geometry"  # GeoJSON: Location.location, FeatureOfInterest.feature, observedArea
    INSTANT = "instant"  # TM_Instant (one column)
    INTERVAL = "interval"  # TM_Period (start, end columns)
    TIME = "time"  # TM_Object: an instant, or an interval when the end column is set
    RESULT = "result"  # Observation.result: result_number, else result_json


@dataclass(frozen=True, slots=True)
class StaProperty:
    """A SensorThings property and the columns that store it (in ``attributes`` order)."""

    name: str
    kind: PropertyKind
    attributes: tuple[str, ...]  # ORM attribute names, e.g. ("phenomenon_time", "…_end")
    columns: tuple[str, ...]  # table column keys (``Sensor.metadata_`` is column "metadata")

    @property
    def has_members(self) -> bool:
        """Whether paths may go inside it (``properties/owner``, ``result/level``)."""
        return self.kind in (PropertyKind.JSON, PropertyKind.GEOMETRY, PropertyKind.RESULT)

    def sql(self, selectable: FromClause) -> tuple[ColumnElement[Any], ...]:
        """The property's columns on ``selectable`` (the entity's table or an alias of it)."""
        return tuple(selectable.c[key] for key in self.columns)


class LinkKind(StrEnum):
    """How a navigation property is stored."""

    OWN_KEY = "own_key"  # to-one: a foreign key column on this entity's table
    THEIR_KEY = "their_key"  # to-many: a foreign key column on the related table
    ASSOCIATION = "association"  # to-many: rows of an association table


@dataclass(frozen=True, slots=True)
class StaNavigation:
    """A navigation property: ``source`` → ``target`` (entity names) and how to join them."""

    name: str
    source: str
    target: str
    kind: LinkKind
    key: str = ""  # OWN_KEY: the key column on source; THEIR_KEY: the key column on target
    association: Table | None = None
    ours: str = ""  # ASSOCIATION: the column holding the source id
    theirs: str = ""  # ASSOCIATION: the column holding the target id
    inverse: str = ""  # the navigation property back from the target

    @property
    def is_to_many(self) -> bool:
        """Whether the property addresses a collection."""
        return self.kind is not LinkKind.OWN_KEY

    @property
    def target_entity(self) -> StaEntity:
        """The related entity type."""
        return entity_by_name(self.target)

    @property
    def source_entity(self) -> StaEntity:
        """The entity type this property belongs to."""
        return entity_by_name(self.source)


@dataclass(frozen=True, slots=True)
class StaEntity:
    """One entity type: names, model, properties and navigation properties."""

    name: str  # "Thing"
    entity_set: EntitySet  # "Things"
    model: type[Any]
    properties: tuple[StaProperty, ...]
    navigations: tuple[StaNavigation, ...]

    @property
    def table(self) -> Table:
        """The table that stores this entity type."""
        return cast(Table, self.model.__table__)

    @property
    def id_property(self) -> StaProperty:
        """The ``id`` property (``@iot.id``)."""
        return self.properties[0]

    def property(self, name: str) -> StaProperty | None:
        """The property called ``name`` (``@iot.id`` is ``id``), or ``None``."""
        if name in ID_ALIASES:
            return self.properties[0]
        return next((prop for prop in self.properties if prop.name == name), None)

    def navigation(self, name: str) -> StaNavigation | None:
        """The navigation property called ``name``, or ``None``."""
        return next((nav for nav in self.navigations if nav.name == name), None)

    def property_names(self) -> tuple[str, ...]:
        """The SensorThings property names, ``id`` first."""
        return tuple(prop.name for prop in self.properties)

    def navigation_names(self) -> tuple[str, ...]:
        """The navigation property names."""
        return tuple(nav.name for nav in self.navigations)


def _column_key(model: type[Any], attribute: str) -> str:
    return str(inspect(model).mapper.columns[attribute].key)


def _prop(model: type[Any], name: str, kind: PropertyKind, *attributes: str) -> StaProperty:
    keys = tuple(_column_key(model, attribute) for attribute in attributes)
    return StaProperty(name, kind, attributes, keys)


def _props(
    model: type[Any], *items: tuple[str, PropertyKind, tuple[str, ...]]
) -> tuple[StaProperty, ...]:
    head = _prop(model, "id", PropertyKind.ID, "id")
    return (head, *(_prop(model, name, kind, *attrs) for name, kind, attrs in items))


K = PropertyKind
_NAME = ("name", K.TEXT, ("name",))
_DESCRIPTION = ("description", K.TEXT, ("description",))
_PROPERTIES = ("properties", K.JSON, ("properties",))
_ENCODING = ("encodingType", K.TEXT, ("encoding_type",))


def _own(source: str, name: str, target: str, key: str, inverse: str) -> StaNavigation:
    return StaNavigation(name, source, target, LinkKind.OWN_KEY, key=key, inverse=inverse)


def _theirs(source: str, name: str, target: str, key: str, inverse: str) -> StaNavigation:
    return StaNavigation(name, source, target, LinkKind.THEIR_KEY, key=key, inverse=inverse)


def _assoc(
    source: str, name: str, target: str, table: Table, ours: str, theirs: str, inverse: str
) -> StaNavigation:
    return StaNavigation(
        name, source, target, LinkKind.ASSOCIATION, association=table, ours=ours,
        theirs=theirs, inverse=inverse,
    )  # fmt: skip


_HL_LOC = historical_location_locations
ENTITIES: tuple[StaEntity, ...] = (
    StaEntity(
        "Thing", EntitySet.THINGS, Thing,
        _props(Thing, _NAME, _DESCRIPTION, _PROPERTIES),
        (
            _assoc("Thing", "Locations", "Location", thing_locations, "thing_id", "location_id",
                   "Things"),
            _theirs("Thing", "HistoricalLocations", "HistoricalLocation", "thing_id", "Thing"),
            _theirs("Thing", "Datastreams", "Datastream", "thing_id", "Thing"),
        ),
    ),
    StaEntity(
        "Location", EntitySet.LOCATIONS, Location,
        _props(Location, _NAME, _DESCRIPTION, _ENCODING,
               ("location", K.GEOMETRY, ("location",)), _PROPERTIES),
        (
            _assoc("Location", "Things", "Thing", thing_locations, "location_id", "thing_id",
                   "Locations"),
            _assoc("Location", "HistoricalLocations", "HistoricalLocation", _HL_LOC,
                   "location_id", "historical_location_id", "Locations"),
        ),
    ),
    StaEntity(
        "HistoricalLocation", EntitySet.HISTORICAL_LOCATIONS, HistoricalLocation,
        _props(HistoricalLocation, ("time", K.INSTANT, ("time",))),
        (
            _own("HistoricalLocation", "Thing", "Thing", "thing_id", "HistoricalLocations"),
            _assoc("HistoricalLocation", "Locations", "Location", _HL_LOC,
                   "historical_location_id", "location_id", "HistoricalLocations"),
        ),
    ),
    StaEntity(
        "Datastream", EntitySet.DATASTREAMS, Datastream,
        _props(
            Datastream, _NAME, _DESCRIPTION,
            ("unitOfMeasurement", K.JSON, ("unit_of_measurement",)),
            ("observationType", K.TEXT, ("observation_type",)),
            ("observedArea", K.GEOMETRY, ("observed_area",)),
            ("phenomenonTime", K.INTERVAL, ("phenomenon_time_start", "phenomenon_time_end")),
            ("resultTime", K.INTERVAL, ("result_time_start", "result_time_end")),
            _PROPERTIES,
        ),
        (
            _own("Datastream", "Thing", "Thing", "thing_id", "Datastreams"),
            _own("Datastream", "Sensor", "Sensor", "sensor_id", "Datastreams"),
            _own("Datastream", "ObservedProperty", "ObservedProperty", "observed_property_id",
                 "Datastreams"),
            _theirs("Datastream", "Observations", "Observation", "datastream_id", "Datastream"),
        ),
    ),
    StaEntity(
        "Sensor", EntitySet.SENSORS, Sensor,
        _props(Sensor, _NAME, _DESCRIPTION, _ENCODING, ("metadata", K.TEXT, ("metadata_",)),
               _PROPERTIES),
        (_theirs("Sensor", "Datastreams", "Datastream", "sensor_id", "Sensor"),),
    ),
    StaEntity(
        "ObservedProperty", EntitySet.OBSERVED_PROPERTIES, ObservedProperty,
        _props(ObservedProperty, _NAME, ("definition", K.TEXT, ("definition",)), _DESCRIPTION,
               _PROPERTIES),
        (_theirs("ObservedProperty", "Datastreams", "Datastream", "observed_property_id",
                 "ObservedProperty"),),
    ),
    StaEntity(
        "Observation", EntitySet.OBSERVATIONS, Observation,
        _props(
            Observation,
            ("phenomenonTime", K.TIME, ("phenomenon_time", "phenomenon_time_end")),
            ("resultTime", K.INSTANT, ("result_time",)),
            ("result", K.RESULT, ("result_number", "result_json")),
            ("resultQuality", K.JSON, ("result_quality",)),
            ("validTime", K.INTERVAL, ("valid_time_start", "valid_time_end")),
            ("parameters", K.JSON, ("parameters",)),
        ),
        (
            _own("Observation", "Datastream", "Datastream", "datastream_id", "Observations"),
            _own("Observation", "FeatureOfInterest", "FeatureOfInterest",
                 "feature_of_interest_id", "Observations"),
        ),
    ),
    StaEntity(
        "FeatureOfInterest", EntitySet.FEATURES_OF_INTEREST, FeatureOfInterest,
        _props(FeatureOfInterest, _NAME, _DESCRIPTION, _ENCODING,
               ("feature", K.GEOMETRY, ("feature",)), _PROPERTIES),
        (_theirs("FeatureOfInterest", "Observations", "Observation", "feature_of_interest_id",
                 "FeatureOfInterest"),),
    ),
)  # fmt: skip

_BY_NAME = {entity.name: entity for entity in ENTITIES}
_BY_SET = {entity.entity_set.value: entity for entity in ENTITIES}


def entity_by_name(name: str) -> StaEntity:
    """The entity type called ``name`` ("Thing"); ``KeyError`` for an unknown name."""
    return _BY_NAME[name]


def entity_by_set_name(name: str) -> StaEntity:
    """The entity type of entity set ``name`` ("Things"); ``KeyError`` for an unknown name."""
    return _BY_SET[str(name)]


def find_entity_set(name: str) -> StaEntity | None:
    """The entity type of entity set ``name``, or ``None`` (paths answer 404 then)."""
    return _BY_SET.get(name)


def navigation_join(
    nav: StaNavigation, *, source: FromClause, target: FromClause
) -> ColumnElement[bool]:
    """The condition that a ``source`` row and a ``target`` row are related through ``nav``."""
    if nav.kind is LinkKind.OWN_KEY:
        return target.c.id == source.c[nav.key]
    if nav.kind is LinkKind.THEIR_KEY:
        return target.c[nav.key] == source.c.id
    link = _association(nav)
    return exists().where(link.c[nav.ours] == source.c.id, link.c[nav.theirs] == target.c.id)


def related_to(
    nav: StaNavigation, *, parent_id: int | ColumnElement[Any], target: FromClause | None = None
) -> ColumnElement[bool]:
    """Rows of ``target`` (default: the target table) related to the source row ``parent_id``.

    ``Datastreams(1)/Observations`` is ``select(Observation).where(related_to(nav,
    parent_id=1))``.
    """
    into = target if target is not None else nav.target_entity.table
    if nav.kind is LinkKind.THEIR_KEY:
        return into.c[nav.key] == parent_id
    if nav.kind is LinkKind.OWN_KEY:
        source = nav.source_entity.table
        key = select(source.c[nav.key]).where(source.c.id == parent_id).scalar_subquery()
        return into.c.id == key
    link = _association(nav)
    return into.c.id.in_(select(link.c[nav.theirs]).where(link.c[nav.ours] == parent_id))


def navigation_semijoin(
    nav: StaNavigation,
    *,
    source: FromClause,
    target: FromClause,
    where: ColumnElement[bool],
    correlate: Sequence[FromClause] = (),
) -> ColumnElement[bool]:
    """``source`` rows with at least one ``target`` row through ``nav`` that meets ``where``.

    Written as ``key IN (SELECT …)`` so that both SQLite and PostgreSQL drive the outer
    query from the foreign-key indexes. ``correlate`` names the enclosing FROMs that
    ``where`` may refer to.
    """
    if nav.kind is LinkKind.OWN_KEY:
        inner = select(target.c.id).where(where)
        outer_key = source.c[nav.key]
    elif nav.kind is LinkKind.THEIR_KEY:
        inner = select(target.c[nav.key]).where(where)
        outer_key = source.c.id
    else:
        link = _association(nav).alias()
        inner = (
            select(link.c[nav.ours])
            .select_from(link.join(target, link.c[nav.theirs] == target.c.id))
            .where(where)
        )
        outer_key = source.c.id
    if correlate:
        inner = inner.correlate(*correlate)
    return outer_key.in_(inner)


def _association(nav: StaNavigation) -> Table:
    if nav.association is None:  # pragma: no cover - registry invariant
        raise LookupError(f"{nav.source}.{nav.name} has no association table")
    return nav.association
