"""SensorThings Observation JSON → ObservationIn: times, links, deep inserts, refusals."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from pontive.core.errors import InvalidInput
from pontive.sensors.ingest import ObservationIn, parse_observation_json


def parse(payload: Any, *, datastream: int | None = 7, feature: int | None = None) -> ObservationIn:
    return parse_observation_json(payload, datastream_id=datastream, feature_of_interest_id=feature)


def refused_field(payload: Any, **kwargs: Any) -> str:
    with pytest.raises(InvalidInput) as caught:
        parse(payload, **kwargs)
    (field,) = caught.value.errors
    return field


def test_a_gauge_on_a_datastream_topic_sends_only_a_time_and_a_result() -> None:
    item = parse({"phenomenonTime": "2026-11-29T10:15:00+07:00", "result": 312.5})
    assert item == ObservationIn(
        datastream_id=7,
        phenomenon_time=datetime(2026, 11, 29, 3, 15, tzinfo=UTC),  # WIB → UTC
        phenomenon_time_end=None,
        result=312.5,
    )
    assert item.phenomenon_time is not None
    assert item.phenomenon_time.tzinfo is UTC


def test_without_phenomenon_time_the_server_stamps_it_later() -> None:
    assert parse({"result": 1}).phenomenon_time is None


def test_intervals_and_the_optional_properties_are_read() -> None:
    item = parse(
        {
            "phenomenonTime": "2026-11-29T00:00:00Z/2026-11-29T01:00:00Z",
            "resultTime": "2026-11-29T01:00:05Z",
            "validTime": "2026-11-29T01:00:00Z",
            "resultQuality": {"flag": "ok"},
            "parameters": {"battery": 87},
            "result": 4.2,
            "@iot.selfLink": "ignored",
        }
    )
    assert (item.phenomenon_time, item.phenomenon_time_end) == (
        datetime(2026, 11, 29, tzinfo=UTC),
        datetime(2026, 11, 29, 1, tzinfo=UTC),
    )
    assert item.result_time == datetime(2026, 11, 29, 1, 0, 5, tzinfo=UTC)
    assert item.valid_time_start == item.valid_time_end == datetime(2026, 11, 29, 1, tzinfo=UTC)
    assert (item.result_quality, item.parameters) == ({"flag": "ok"}, {"battery": 87})


def test_the_compact_offsets_of_the_data_array_example_are_understood() -> None:
    item = parse({"phenomenonTime": "2010-12-23T10:20:00-0700", "result": 20})
    assert item.phenomenon_time == datetime(2010, 12, 23, 17, 20, tzinfo=UTC)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"phenomenonTime": "2026-11-29T10:15:00", "result": 1}, "phenomenonTime"),
        ({"phenomenonTime": "kemarin sore", "result": 1}, "phenomenonTime"),
        ({"phenomenonTime": 1764400000, "result": 1}, "phenomenonTime"),
        ({"phenomenonTime": "2026-11-29T02:00Z/2026-11-29T01:00Z", "result": 1}, "phenomenonTime"),
        ({"resultTime": "2026-11-29T00:00:00Z/2026-11-29T01:00:00Z", "result": 1}, "resultTime"),
        ({"phenomenonTime": "2026-11-29T10:15:00Z"}, "result"),
        ({"result": 1, "parameters": [1, 2]}, "parameters"),
        ({"result": 1, "tinggi": 3}, "tinggi"),
        ({"result": 1, "MultiDatastream": {"@iot.id": 1}}, "MultiDatastream"),
    ],
)
def test_a_bad_observation_is_refused_naming_the_field(payload: Any, field: str) -> None:
    assert refused_field(payload) == field


def test_an_observation_that_is_not_an_object_is_refused() -> None:
    assert refused_field([1, 2, 3]) == "observation"


def test_the_datastream_comes_from_the_path_or_the_body_but_they_must_agree() -> None:
    assert parse({"result": 1, "Datastream": {"@iot.id": 9}}, datastream=None).datastream_id == 9
    assert parse({"result": 1, "Datastream": {"@iot.id": "7"}}).datastream_id == 7
    assert refused_field({"result": 1, "Datastream": {"@iot.id": 9}}) == "Datastream"
    assert refused_field({"result": 1}, datastream=None) == "Datastream"
    assert refused_field({"result": 1, "Datastream": {"name": "x"}}, datastream=None) == (
        "Datastream"
    )


def test_a_feature_is_linked_from_the_path_or_body_or_deep_inserted() -> None:
    assert parse({"result": 1}, feature=3).feature_of_interest_id == 3
    linked = parse({"result": 1, "FeatureOfInterest": {"@iot.id": 4}})
    assert (linked.feature_of_interest_id, linked.feature_of_interest) == (4, None)
    feature = {
        "name": "Jembatan Kapuas I",
        "description": "Titik ukur",
        "encodingType": "application/geo+json",
        "feature": {"type": "Point", "coordinates": [109.3425, -0.0264]},
    }
    inline = parse({"result": 1, "FeatureOfInterest": feature})
    assert (inline.feature_of_interest_id, inline.feature_of_interest) == (None, feature)
    assert refused_field({"result": 1, "FeatureOfInterest": {"@iot.id": 4}}, feature=3) == (
        "FeatureOfInterest"
    )
    assert refused_field({"result": 1, "FeatureOfInterest": feature}, feature=3) == (
        "FeatureOfInterest"
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "FeatureOfInterest.name"),
        ({"encodingType": None}, "FeatureOfInterest.encodingType"),
        ({"feature": "POINT(109 0)"}, "FeatureOfInterest.feature"),
        ({"warna": "merah"}, "FeatureOfInterest.warna"),
    ],
)
def test_a_deep_inserted_feature_needs_its_mandatory_properties(
    change: dict[str, Any], field: str
) -> None:
    feature = {
        "name": "Titik",
        "encodingType": "application/geo+json",
        "feature": {"type": "Point", "coordinates": [109.3, -0.03]},
    }
    assert refused_field({"result": 1, "FeatureOfInterest": feature | change}) == field


@pytest.mark.parametrize(
    "payload",
    [
        {"phenomenonTime": "2026-11-29T10:15:00+07:00", "result": 312.5},
        {"phenomenonTime": "2026-11-29T00:00:00Z/2026-11-29T01:00:00Z", "result": "hujan"},
        {"result": True, "resultTime": "2026-11-29T01:00:05Z"},
        {"result": None, "Datastream": {"@iot.id": 7}},
    ],
)
def test_the_short_path_for_plain_payloads_agrees_with_the_full_one(payload: Any) -> None:
    # An annotation is ignored by the parser but sends the payload down the general path.
    general = parse(payload | {"@iot.selfLink": "x"})
    assert parse(payload) == general
    if "Datastream" in payload:  # a gateway on v1.1/Observations
        assert parse(payload, datastream=None) == general
