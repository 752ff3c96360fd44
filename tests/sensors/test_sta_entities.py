"""The SensorThings entity registry: names, properties, navigation and the joins it builds."""

from __future__ import annotations

import pytest
from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from pontive.sensors.schemas import EntitySet
from pontive.sensors.sta_entities import (
    ENTITIES,
    LinkKind,
    PropertyKind,
    entity_by_name,
    entity_by_set_name,
    find_entity_set,
    navigation_join,
    navigation_semijoin,
    related_to,
)
from tests.sensors.sta_query_support import (
    Rows,
    _forget_partitions,  # noqa: F401 - autouse fixture
    add,
    base_entities,
    link,
    minutes_ago,
    point,
    stream,
)

# 18-088 clause 8: entity → {navigation property: (target, to-many?)}
SPEC_NAVIGATION = {
    "Thing": {"Locations": ("Location", True), "HistoricalLocations": ("HistoricalLocation", True),
              "Datastreams": ("Datastream", True)},
    "Location": {"Things": ("Thing", True), "HistoricalLocations": ("HistoricalLocation", True)},
    "HistoricalLocation": {"Thing": ("Thing", False), "Locations": ("Location", True)},
    "Datastream": {"Thing": ("Thing", False), "Sensor": ("Sensor", False),
                   "ObservedProperty": ("ObservedProperty", False),
                   "Observations": ("Observation", True)},
    "Sensor": {"Datastreams": ("Datastream", True)},
    "ObservedProperty": {"Datastreams": ("Datastream", True)},
    "Observation": {"Datastream": ("Datastream", False),
                    "FeatureOfInterest": ("FeatureOfInterest", False)},
    "FeatureOfInterest": {"Observations": ("Observation", True)},
}  # fmt: skip


def test_the_eight_entity_sets_resolve_both_ways() -> None:
    assert [entity.entity_set for entity in ENTITIES] == list(EntitySet)
    for entity in ENTITIES:
        assert entity_by_set_name(entity.entity_set.value) is entity
        assert entity_by_name(entity.name) is entity
    assert find_entity_set("MultiDatastreams") is None
    with pytest.raises(KeyError):
        entity_by_set_name("MultiDatastreams")


def test_navigation_matches_the_specification() -> None:
    for entity in ENTITIES:
        found = {nav.name: (nav.target, nav.is_to_many) for nav in entity.navigations}
        assert found == SPEC_NAVIGATION[entity.name], entity.name


def test_each_navigation_has_its_inverse() -> None:
    for entity in ENTITIES:
        for nav in entity.navigations:
            back = nav.target_entity.navigation(nav.inverse)
            assert back is not None, f"{entity.name}.{nav.name}"
            assert back.target == entity.name
            if nav.kind is LinkKind.ASSOCIATION:
                assert back.association is nav.association
                assert (back.ours, back.theirs) == (nav.theirs, nav.ours)
            else:
                assert back.key == nav.key


def test_every_property_maps_to_existing_columns_and_attributes() -> None:
    for entity in ENTITIES:
        assert entity.property_names()[0] == "id"
        for prop in entity.properties:
            for attribute, column in zip(prop.attributes, prop.columns, strict=True):
                assert hasattr(entity.model, attribute), f"{entity.name}.{attribute}"
                assert column in entity.table.c, f"{entity.name}.{column}"


def test_property_lookup_and_kinds() -> None:
    observation, sensor = entity_by_name("Observation"), entity_by_name("Sensor")
    assert observation.property("@iot.id") is observation.property("id")
    result = observation.property("result")
    assert result is not None
    assert (result.kind, result.columns) == (PropertyKind.RESULT, ("result_number", "result_json"))
    phenomenon = observation.property("phenomenonTime")
    assert phenomenon is not None
    assert phenomenon.columns == ("phenomenon_time", "phenomenon_time_end")
    metadata = sensor.property("metadata")
    assert metadata is not None
    assert (metadata.attributes, metadata.columns) == (("metadata_",), ("metadata",))
    uom = entity_by_name("Datastream").property("unitOfMeasurement")
    assert uom is not None
    assert uom.has_members
    assert observation.property("Datastream") is None
    assert observation.navigation("name") is None


@pytest.fixture
def linked(session: Session) -> Rows:
    """Two Things, three Locations (one shared), a HistoricalLocation, streams, readings."""
    rows = Rows()
    base_entities(session, rows, {"T1": {"name": "Pos 1"}, "T2": {"name": "Pos 2"}})
    add(session, rows, "Location", {
        f"L{n}": {"name": f"Titik {n}", "location": point(109.3 + n / 100, -0.03)}
        for n in (1, 2, 3)
    })  # fmt: skip
    for thing, location in (("T1", "L1"), ("T1", "L3"), ("T2", "L2"), ("T2", "L3")):
        link(session, rows, thing, location)
    add(session, rows, "Datastream", {
        "D1": stream("T1", "S1", "P1", rows, name="A"),
        "D2": stream("T2", "S1", "P1", rows, name="B"),
    })  # fmt: skip
    add(session, rows, "Observation", {
        f"O{n}": {"datastream_id": rows.id("Datastream", ds), "phenomenon_time": minutes_ago(n),
                  "result_number": float(n)}
        for n, ds in ((1, "D1"), (2, "D1"), (3, "D2"))
    })  # fmt: skip
    return rows


def _related(session: Session, rows: Rows, entity: str, nav_name: str, parent: str) -> set[str]:
    source = entity_by_name(entity)
    nav = source.navigation(nav_name)
    assert nav is not None
    table = nav.target_entity.table
    parent_id = rows.id(entity, parent)
    found = session.scalars(select(table.c.id).where(related_to(nav, parent_id=parent_id)))
    return set(rows.labels(nav.target, list(found)))


def test_related_to_follows_each_kind_of_link(session: Session, linked: Rows) -> None:
    assert _related(session, linked, "Datastream", "Observations", "D1") == {"O1", "O2"}
    assert _related(session, linked, "Observation", "Datastream", "O3") == {"D2"}
    assert _related(session, linked, "Thing", "Locations", "T1") == {"L1", "L3"}
    assert _related(session, linked, "Location", "Things", "L3") == {"T1", "T2"}
    assert _related(session, linked, "Thing", "Datastreams", "T2") == {"D2"}


def test_joins_and_semijoins_relate_aliased_rows(session: Session, linked: Rows) -> None:
    thing = entity_by_name("Thing")
    nav = thing.navigation("Locations")
    assert nav is not None
    things, locations = thing.table.alias(), nav.target_entity.table.alias()
    joined = things.join(locations, navigation_join(nav, source=things, target=locations))
    pairs = session.execute(
        select(things.c.id, locations.c.id)
        .select_from(joined)
        .where(things.c.id.in_([linked.id("Thing", "T1"), linked.id("Thing", "T2")]))
    ).all()
    assert len(pairs) == 4
    named = navigation_semijoin(nav, source=things, target=locations,
                                where=locations.c.name == "Titik 2")  # fmt: skip
    found = session.scalars(select(things.c.id).where(named)).all()
    assert linked.labels("Thing", list(found)) == ["T2"]
    observations = entity_by_name("Datastream").navigation("Observations")
    assert observations is not None
    streams, readings = observations.source_entity.table.alias(), observations.target_entity.table
    condition = and_(navigation_join(observations, source=streams, target=readings),
                     readings.c.result_number > 2)  # fmt: skip
    found = session.scalars(select(streams.c.id).where(exists().where(condition))).all()
    assert linked.labels("Datastream", list(found)) == ["D2"]
