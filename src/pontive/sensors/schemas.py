"""Inputs of the sensors service: entity drafts (deep insert) and links to existing entities.

A SensorThings create request is a tree: a Thing with inline Locations and Datastreams, each
Datastream with its Sensor, ObservedProperty and Observations, any node possibly a link
``{"@iot.id": n}`` to an entity that already exists (SensorThings 1.1, 10.2 "deep insert").
``Draft`` is one node of that tree, already checked and converted to column values by the
adapter that read it (``sta_body.py`` for HTTP); the service creates the whole tree in one
transaction or nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class EntitySet(StrEnum):
    """The SensorThings entity sets Pontive serves (names as in the URLs)."""

    THINGS = "Things"
    LOCATIONS = "Locations"
    HISTORICAL_LOCATIONS = "HistoricalLocations"
    DATASTREAMS = "Datastreams"
    SENSORS = "Sensors"
    OBSERVED_PROPERTIES = "ObservedProperties"
    OBSERVATIONS = "Observations"
    FEATURES_OF_INTEREST = "FeaturesOfInterest"


@dataclass(frozen=True, slots=True)
class Link:
    """A reference to an entity that already exists: ``{"@iot.id": 7}``."""

    entity_set: EntitySet
    id: int


@dataclass(frozen=True, slots=True)
class Draft:
    """An entity to create: its column values and the related entities, by navigation name.

    ``values`` are model attribute values (``encoding_type``, ``unit_of_measurement``…),
    except for Observations, whose ``values`` hold the SensorThings JSON of the observation
    (without navigation properties) because ingest parses observations itself.
    """

    entity_set: EntitySet
    values: Mapping[str, Any]
    related: Mapping[str, tuple[Draft | Link, ...]] = field(default_factory=dict)

    def with_related(self, navigation: str, item: Draft | Link) -> Draft:
        """A copy with ``item`` added under ``navigation`` (used for POST to a nav path)."""
        related = dict(self.related)
        related[navigation] = (*related.get(navigation, ()), item)
        return Draft(self.entity_set, self.values, related)


@dataclass(frozen=True, slots=True)
class Changes:
    """An update of one entity: new column values and links (no inline entities)."""

    values: Mapping[str, Any]
    links: Mapping[str, tuple[Link, ...]] = field(default_factory=dict)
    # PUT replaces every structural property: the ones not given return to their defaults.
    replace: bool = False


@dataclass(frozen=True, slots=True)
class Created:
    """The root entity a create request made, with its set and id."""

    entity_set: EntitySet
    id: int
