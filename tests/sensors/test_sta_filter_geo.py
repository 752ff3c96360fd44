"""Geo functions without PostGIS, checked against FROST-Server's ``GeoTests``.

The eight Locations (points, a triangle, three lines), their features of interest and the
expected answers are those of FROST-Server's ``c03filtering/GeoTests.java``; distances and
lengths are planar degrees, as FROST computes them.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from pontive.sensors import sta_filter_geo
from pontive.sensors.sta_entities import entity_by_name
from pontive.sensors.sta_filter import FilterError, QueryNotImplemented, compile_filter
from tests.sensors.sta_query_support import (
    Rows,
    _forget_partitions,  # noqa: F401 - autouse fixture
    add,
    base_entities,
    link,
    matching,
    minutes_ago,
    ordered,
    point,
    stream,
)

BOX = "geography'POLYGON((7.5 51.5, 7.5 53.5, 8.5 53.5, 8.5 51.5, 7.5 51.5))'"
GEOMETRIES: list[dict[str, Any]] = [
    point(8, 51), point(8, 52), point(8, 53), point(8, 54),
    {"type": "Polygon", "coordinates": [[[8, 53], [7, 52], [7, 53], [8, 53]]]},
    {"type": "LineString", "coordinates": [[5, 52], [5, 53]]},
    {"type": "LineString", "coordinates": [[5, 52], [6, 53]]},
    {"type": "LineString", "coordinates": [[4, 52], [8, 52]]},
]  # fmt: skip


@pytest.fixture
def frost(session: Session) -> Rows:
    """FROST's GeoTests entities: 4 Things, 3 Datastreams, 8 Locations and features."""
    rows = Rows()
    base_entities(session, rows, {f"T{n}": {"name": f"Thing {n + 1}"} for n in range(4)})
    add(session, rows, "Location", {
        f"L{n}": {"name": f"Location {n}", "location": g,
                  "encoding_type": "application/vnd.geo+json"}
        for n, g in enumerate(GEOMETRIES)
    })  # fmt: skip
    for thing, location in (("T0", "L0"), ("T0", "L1"), ("T1", "L2"), ("T2", "L3"), ("T3", "L4")):
        link(session, rows, thing, location)
    add(session, rows, "FeatureOfInterest", {
        f"F{n}": {"name": f"FoI {n}", "feature": g} for n, g in enumerate(GEOMETRIES)
    })  # fmt: skip
    areas = [{"type": "LineString", "coordinates": [[8, 51], [8, 52]]}, point(8, 53), point(8, 54)]
    add(session, rows, "Datastream", {
        f"D{n}": stream(f"T{n}", "S1", "P1", rows, name=f"Datastream {n + 1}", observed_area=a)
        for n, a in enumerate(areas)
    })  # fmt: skip
    streams = ("D0", "D0", "D1", "D2")
    add(session, rows, "Observation", {
        f"O{n}": {"datastream_id": rows.id("Datastream", ds), "phenomenon_time": minutes_ago(n),
                  "result_number": float(n + 1),
                  "feature_of_interest_id": rows.id("FeatureOfInterest", f"F{n}")}
        for n, ds in enumerate(streams)
    })  # fmt: skip
    return rows


def _set(prefix: str, *numbers: int) -> set[str]:
    return {f"{prefix}{n}" for n in numbers}


CASES = [
    ("Location", "geo.distance(location, geography'POINT(8 54.1)') lt 1", _set("L", 3)),
    ("Location", "geo.distance(location, geography'POINT(8 54.1)') gt 1",
     _set("L", 0, 1, 2, 4, 5, 6, 7)),
    ("Observation", "geo.distance(FeatureOfInterest/feature, geography'POINT(8 54.1)') lt 1",
     _set("O", 3)),
    ("Observation", "geo.distance(FeatureOfInterest/feature, geography'POINT(8 54.1)') gt 1",
     _set("O", 0, 1, 2)),
    ("Location", "geo.intersects(location, geography'LINESTRING(7.5 51, 7.5 54)')",
     _set("L", 4, 7)),
    ("FeatureOfInterest", "geo.intersects(feature, geography'LINESTRING(7.5 51, 7.5 54)')",
     _set("F", 4, 7)),
    ("Datastream", f"geo.intersects(observedArea, {BOX})", _set("D", 0, 1)),
    ("Location", "geo.length(location) gt 1", _set("L", 6, 7)),
    ("Location", "geo.length(location) ge 1", _set("L", 5, 6, 7)),
    ("Location", "geo.length(location) eq 1", _set("L", 5)),
    ("Location", "geo.length(location) ne 1", _set("L", 0, 1, 2, 3, 4, 6, 7)),
    ("Location", "geo.length(location) le 4", _set("L", *range(8))),
    ("Location", "geo.length(location) lt 4", _set("L", *range(7))),
    ("FeatureOfInterest", "geo.length(feature) gt 1", _set("F", 6, 7)),
    ("Location", f"st_contains({BOX}, location)", _set("L", 1, 2)),
    ("Observation", f"st_contains({BOX}, FeatureOfInterest/feature)", _set("O", 1, 2)),
    ("Datastream", f"st_contains({BOX}, observedArea)", _set("D", 1)),
    ("Location", "st_crosses(geography'LINESTRING(7.5 51.5, 7.5 53.5)', location)",
     _set("L", 4, 7)),
    ("Location", f"st_disjoint({BOX}, location)", _set("L", 0, 3, 5, 6)),
    ("FeatureOfInterest", f"st_disjoint({BOX}, feature)", _set("F", 0, 3, 5, 6)),
    ("Location", "st_equals(location, geography'POINT(8 53)')", _set("L", 2)),
    ("Location", "st_intersects(location, geography'LINESTRING(7.5 51, 7.5 54)')",
     _set("L", 4, 7)),
    ("Datastream", f"st_intersects(observedArea, {BOX})", _set("D", 0, 1)),
    ("Location", f"st_overlaps({BOX}, location)", _set("L", 4)),
    ("Location", f"st_relate({BOX}, location, 'T********')", _set("L", 1, 2, 4, 7)),
    ("Location", "st_touches(geography'POLYGON((8 53, 7.5 54.5, 8.5 54.5, 8 53))', location)",
     _set("L", 2, 4)),
    ("Location", "st_within(geography'POINT(7.5 52.75)', location)", _set("L", 4)),
    ("FeatureOfInterest", "st_within(geography'POINT(7.5 52.75)', feature)", _set("F", 4)),
    # Through to-many navigation: Things that have (any) Location in the box.
    ("Thing", f"st_within(Locations/location, {BOX})", _set("T", 0, 1)),
    ("Thing", f"not st_within(Locations/location, {BOX})", _set("T", 0, 2, 3)),
    ("Location", "geo.distance(location, geography'POINT(8 54.1)') mul 111.32 lt 20", _set("L", 3)),
    ("Location", "round(geo.length(location)) eq 4", _set("L", 7)),
    ("Location", "st_equals(geometry'POINT(1 1)', geography'POINT(1 1)')", _set("L", *range(8))),
    ("Location", "geo.distance(geography'POINT(0 0)', geography'POINT(3 4)') eq 5",
     _set("L", *range(8))),
]  # fmt: skip


@pytest.mark.parametrize(("entity", "text", "expected"), CASES, ids=[c[1] for c in CASES])
def test_geo_functions_answer_as_frost(
    session: Session, frost: Rows, entity: str, text: str, expected: set[str]
) -> None:
    assert matching(session, frost, entity, text) == expected


def test_nearest_stations_order_by_distance(session: Session, frost: Rows) -> None:
    labels = ordered(session, frost, "Location", "geo.distance(location, geography'POINT(8 54.1)')")
    assert labels[:4] == ["L3", "L2", "L4", "L1"]
    assert ordered(session, frost, "Location", "geo.length(location) desc, id")[:3] == [
        "L7", "L6", "L5"
    ]  # fmt: skip


def test_stations_in_a_kecamatan_polygon(session: Session) -> None:
    rows = Rows()
    base_entities(session, rows, {"A": {"name": "Pos Sungai Jawi"}, "B": {"name": "Pos Landak"}})
    add(session, rows, "Location", {
        "LA": {"name": "Sungai Jawi", "location": point(109.318, -0.035)},
        "LB": {"name": "Landak", "location": point(109.352, -0.012)},
    })  # fmt: skip
    link(session, rows, "A", "LA")
    link(session, rows, "B", "LB")
    # A rough box around Pontianak Kota (west bank, south of the Kapuas).
    kota = (
        "geography'POLYGON((109.30 -0.06, 109.34 -0.06, 109.34 -0.02, 109.30 -0.02, 109.30 -0.06))'"
    )
    assert matching(session, rows, "Thing", f"st_within(Locations/location, {kota})") == {"A"}
    text = "geo.distance(Locations/location, geography'POINT(109.3427 -0.0391)') lt 0.026"
    assert matching(session, rows, "Thing", text) == {"A"}


def test_bad_geometry_input_is_a_400(session: Session, frost: Rows) -> None:
    location = entity_by_name("Location")
    with pytest.raises(FilterError, match="9 characters"):
        compile_filter(f"st_relate({BOX}, location, 'T*')", entity=location, session=session)
    with pytest.raises(FilterError, match="must be a geometry"):
        compile_filter("st_within(name, location)", entity=location, session=session)


@pytest.fixture
def far(session: Session, frost: Rows) -> Rows:
    """One more Observation: on D1 (the point 8 53), its feature the line 4 52 - 8 52."""
    add(session, frost, "Observation", {
        "O4": {"datastream_id": frost.id("Datastream", "D1"), "phenomenon_time": minutes_ago(9),
               "result_number": 5.0,
               "feature_of_interest_id": frost.id("FeatureOfInterest", "F7")},
    })  # fmt: skip
    return frost


TWO_STORED = [
    ("Observation", "st_within(FeatureOfInterest/feature, Datastream/observedArea)",
     _set("O", 2, 3)),  # a line's end points are its boundary, not within it
    ("Observation", "st_intersects(FeatureOfInterest/feature, Datastream/observedArea)",
     _set("O", 0, 1, 2, 3)),
    ("Observation", "st_disjoint(Datastream/observedArea, FeatureOfInterest/feature)",
     _set("O", 4)),
    ("Observation", "st_relate(FeatureOfInterest/feature, Datastream/observedArea, 'T********')",
     _set("O", 2, 3)),
    ("Observation", "geo.distance(FeatureOfInterest/feature, Datastream/observedArea) gt 0.5",
     _set("O", 4)),
    ("Observation", "geo.distance(Datastream/observedArea, FeatureOfInterest/feature) eq 1",
     _set("O", 4)),
    ("Observation", "round(geo.distance(FeatureOfInterest/feature, Datastream/observedArea)) eq 0",
     _set("O", 0, 1, 2, 3)),
    # Through to-many navigation: any pair of a Thing's Locations and Datastreams.
    ("Thing", "st_within(Locations/location, Datastreams/observedArea)", _set("T", 1, 2)),
    ("Thing", "not st_within(Locations/location, Datastreams/observedArea)", _set("T", 0)),
    # A Location and the Locations of its own Things: itself at least, when linked.
    ("Location", "st_intersects(location, Things/Locations/location)", _set("L", 0, 1, 2, 3, 4)),
]  # fmt: skip


@pytest.mark.parametrize(("entity", "text", "expected"), TWO_STORED, ids=[c[1] for c in TWO_STORED])
def test_two_stored_geometries_are_related_pair_by_pair(
    session: Session, far: Rows, entity: str, text: str, expected: set[str]
) -> None:
    assert matching(session, far, entity, text) == expected


def test_observations_order_by_the_distance_of_their_feature_from_the_area(
    session: Session, far: Rows
) -> None:
    text = "geo.distance(FeatureOfInterest/feature, Datastream/observedArea) desc, id"
    assert ordered(session, far, "Observation", text) == ["O4", "O0", "O1", "O2", "O3"]


def test_too_many_pairs_is_a_501(
    session: Session, far: Rows, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sta_filter_geo, "MAX_PAIRS", 10)  # 8 features by 3 areas
    with pytest.raises(QueryNotImplemented, match="PostGIS") as caught:
        compile_filter("st_within(FeatureOfInterest/feature, Datastream/observedArea)",
                       entity=entity_by_name("Observation"), session=session)  # fmt: skip
    assert caught.value.status_code == 501
    monkeypatch.setattr(sta_filter_geo, "MAX_PAIRS", 1_000)
    monkeypatch.setattr(sta_filter_geo, "MAX_MATCHING_PAIRS", 2)  # four pairs intersect
    with pytest.raises(QueryNotImplemented, match="matching pairs"):
        compile_filter("st_intersects(FeatureOfInterest/feature, Datastream/observedArea)",
                       entity=entity_by_name("Observation"), session=session)  # fmt: skip


def test_too_many_geometries_is_a_501(
    session: Session, frost: Rows, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sta_filter_geo, "MAX_GEOMETRY_ROWS", 3)
    with pytest.raises(QueryNotImplemented, match="PostGIS"):
        compile_filter(f"st_within(location, {BOX})", entity=entity_by_name("Location"),
                       session=session)  # fmt: skip
