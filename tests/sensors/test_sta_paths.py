"""Resource paths (18-088 9.2, usages 1 to 8) parsed into steps, and the paths refused."""

from __future__ import annotations

import pytest

from pontive.sensors.schemas import EntitySet
from pontive.sensors.sta_errors import StaError
from pontive.sensors.sta_paths import ResourcePath, Step, parse_path


def test_the_empty_path_is_the_service_root() -> None:
    assert parse_path("") == ResourcePath()
    assert parse_path("/") == ResourcePath()


def test_a_collection_and_an_entity() -> None:
    assert parse_path("Things") == ResourcePath((Step(EntitySet.THINGS, None, None, True),))
    path = parse_path("Things(7)")
    assert path.target.key == 7
    assert not path.is_collection


def test_navigation_nests_to_any_depth() -> None:
    path = parse_path("Datastreams(1)/Observations(5)/FeatureOfInterest/Observations")
    assert [(s.entity_set, s.navigation, s.key) for s in path.steps] == [
        (EntitySet.DATASTREAMS, None, 1),
        (EntitySet.OBSERVATIONS, "Observations", 5),
        (EntitySet.FEATURES_OF_INTEREST, "FeatureOfInterest", None),
        (EntitySet.OBSERVATIONS, "Observations", None),
    ]
    assert path.is_collection


def test_property_value_and_members_of_json_properties() -> None:
    path = parse_path("Observations(1)/resultTime/$value")
    assert (path.property_name, path.raw_value, path.sub_path) == ("resultTime", True, ())
    nested = parse_path("Things(2)/properties/owner/name")
    assert (nested.property_name, nested.sub_path) == ("properties", ("owner", "name"))


def test_ref_after_collections_and_single_navigations() -> None:
    assert parse_path("Datastreams(1)/Observations/$ref").ref
    assert parse_path("Datastreams(1)/Thing/$ref").ref
    assert parse_path("Things/$ref").ref


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("Things(abc)", 400),
        ("Things('1')", 400),
        ("Things(1.5)", 400),
        ("Things(1)/Datastreams/name", 400),  # a property needs one entity
        ("Things(1)/$ref/name", 400),
        ("Datastreams(1)/Thing(2)", 400),  # a single entity takes no id
        ("Things//Datastreams", 400),
        ("Thingz", 404),
        ("Things(1)/Nothing", 404),
        ("Things(1)/name(1)", 404),
        ("Things(1)/properties/$ref", 400),
    ],
)
def test_bad_paths_are_refused_with_the_right_status(path: str, status: int) -> None:
    with pytest.raises(StaError) as caught:
        parse_path(path)
    assert caught.value.status_code == status
