"""What the HTTP adapter reads of the entity registry (``sta_entities``), by entity set.

The registry maps every entity type to its table, properties and navigation properties;
this module adds what only writing needs: which to-one links SensorThings requires on
creation (18-088 10.2, table "Integrity constraints when creating an entity").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Column, Table

from pontive.sensors.schemas import EntitySet
from pontive.sensors.sta_entities import (
    LinkKind,
    StaEntity,
    StaNavigation,
    entity_by_set_name,
)

__all__ = ["LinkKind", "StaNavigation"]

# Required on create. Observation.FeatureOfInterest is required too, but ingest generates
# it from the Thing's Location when absent (special case #1), so it is not listed.
_REQUIRED = frozenset(
    {
        (EntitySet.HISTORICAL_LOCATIONS, "Thing"),
        (EntitySet.DATASTREAMS, "Thing"),
        (EntitySet.DATASTREAMS, "Sensor"),
        (EntitySet.DATASTREAMS, "ObservedProperty"),
        (EntitySet.OBSERVATIONS, "Datastream"),
    }
)


def entity(entity_set: EntitySet) -> StaEntity:
    """The registry entry of ``entity_set``."""
    return entity_by_set_name(entity_set.value)


def navigation(entity_set: EntitySet) -> dict[str, StaNavigation]:
    """The navigation properties of ``entity_set`` by name."""
    return {nav.name: nav for nav in entity(entity_set).navigations}


def links(entity_set: EntitySet) -> tuple[StaNavigation, ...]:
    """The navigation properties of ``entity_set`` in their documented order."""
    return entity(entity_set).navigations


def target_set(nav: StaNavigation) -> EntitySet:
    """The entity set a navigation property leads to."""
    return nav.target_entity.entity_set


def is_required(entity_set: EntitySet, nav: StaNavigation) -> bool:
    """Whether creating an ``entity_set`` entity needs this to-one link."""
    return (entity_set, nav.name) in _REQUIRED


def association_columns(nav: StaNavigation) -> tuple[Column[Any], Column[Any]]:
    """(our id column, their id column) of an association navigation's table."""
    if nav.association is None:  # pragma: no cover - registry invariant
        raise LookupError(f"{nav.source}.{nav.name} has no association table")
    return nav.association.c[nav.ours], nav.association.c[nav.theirs]


def property_names(entity_set: EntitySet) -> tuple[str, ...]:
    """The SensorThings property names of ``entity_set`` (``id`` first)."""
    return entity(entity_set).property_names()


def model(entity_set: EntitySet) -> type[Any]:
    """The ORM model that stores ``entity_set``."""
    return entity(entity_set).model


def table(entity_set: EntitySet) -> Table:
    """The table that stores ``entity_set``."""
    return entity(entity_set).table


SINGULAR: Mapping[EntitySet, str] = {item: entity(item).name for item in EntitySet}
