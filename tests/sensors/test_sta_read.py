"""SensorThings reading over HTTP, modelled on FROST-Server's conformance tests:
``c01sensingcore/Capability1Tests`` (A.1: entities, control information, properties,
``$value``, resource paths) and ``c03filtering/Capability3Tests`` (A.2: ``$select``,
``$expand``, ``$top``, ``$skip``, ``$orderby``, ``$count``, ``$filter``, their order).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from pontive.sensors.choices import Quantity
from pontive.sensors.sta_root import CONFORMANCE, MQTT_CREATE, MQTT_RECEIVE
from tests.sensors.conftest import datastream, observations, sta_thing

ROOT = "http://testserver/sta/v1.1"
T0 = datetime(2026, 11, 1, tzinfo=UTC)
MANDATORY = {
    "Things": (["name", "description"], ["Locations", "HistoricalLocations", "Datastreams"]),
    "Locations": (["name", "description", "encodingType", "location"],
                  ["Things", "HistoricalLocations"]),
    "HistoricalLocations": (["time"], ["Thing", "Locations"]),
    "Datastreams": (["name", "description", "unitOfMeasurement", "observationType"],
                    ["Thing", "Sensor", "ObservedProperty", "Observations"]),
    "Sensors": (["name", "description", "encodingType", "metadata"], ["Datastreams"]),
    "ObservedProperties": (["name", "definition", "description"], ["Datastreams"]),
    "Observations": (["phenomenonTime", "result", "resultTime"],
                     ["Datastream", "FeatureOfInterest"]),
    "FeaturesOfInterest": (["name", "description", "encodingType", "feature"],
                           ["Observations"]),
}  # fmt: skip


@pytest.fixture
def station(session: Session) -> dict[str, Any]:
    """Two Things; the first with a water-level stream of 5 readings and a rain stream."""
    kapuas = sta_thing(session, name="Pos Kapuas", properties={"sungai": "Kapuas"})
    landak = sta_thing(session, name="Pos Landak", lon=109.35, lat=-0.02)
    level = datastream(session, thing=kapuas, unit="cm")
    rain = datastream(session, thing=kapuas, quantity=Quantity.RAINFALL, unit="mm")
    readings = [(T0 + timedelta(minutes=10 * i), 100 + i) for i in range(5)]
    ids = observations(session, datastream=level, values=readings)
    observations(session, datastream=rain, values=[(T0, 0.5)])
    return {"kapuas": kapuas, "landak": landak, "level": level, "rain": rain, "obs": ids}


def get(client: TestClient, path: str, status: int = 200, /, **params: str) -> Any:
    response = client.get(f"/sta/v1.1/{path}", params=params or None)
    assert response.status_code == status, response.text
    return response.json() if response.content else None


# --- A.1 sensing core -----------------------------------------------------------------------


def test_service_root_lists_every_entity_set_and_exactly_what_is_implemented(
    client: TestClient,
) -> None:
    body = get(client, "")
    names = [item["name"] for item in body["value"]]
    assert names == list(MANDATORY)
    assert body["value"][0]["url"] == f"{ROOT}/Things"
    assert body["serverSettings"]["conformance"] == list(CONFORMANCE)
    assert not any("mqtt" in uri for uri in body["serverSettings"]["conformance"])
    assert client.get("/sta/v1.1").json() == body


def test_service_root_advertises_mqtt_without_credentials_when_ingest_runs(
    app: FastAPI, client: TestClient
) -> None:
    settings = app.state.settings
    app.state.settings = settings.model_copy(
        update={"mqtt_url": "mqtt://ingest:rahasia@broker.pontianak.go.id"}
    )
    try:
        server = get(client, "")["serverSettings"]
    finally:
        app.state.settings = settings
    assert MQTT_CREATE in server["conformance"]
    assert MQTT_RECEIVE in server["conformance"]
    assert server[MQTT_CREATE] == {"endpoints": ["mqtt://broker.pontianak.go.id:1883"]}
    assert "rahasia" not in str(server)


def test_links_start_at_the_configured_public_address(app: FastAPI, client: TestClient) -> None:
    settings = app.state.settings
    app.state.settings = settings.model_copy(update={"base_url": "https://smartcity.contoh.id/"})
    try:
        body = get(client, "")
    finally:
        app.state.settings = settings
    assert body["value"][0]["url"] == "https://smartcity.contoh.id/sta/v1.1/Things"


@pytest.mark.parametrize("entity_set", list(MANDATORY))
def test_every_collection_has_control_information_and_mandatory_properties(
    client: TestClient, station: dict[str, Any], entity_set: str
) -> None:
    body = get(client, entity_set)
    assert body["value"], f"{entity_set} is empty"
    properties, navigations = MANDATORY[entity_set]
    for item in body["value"]:
        assert item["@iot.selfLink"] == f"{ROOT}/{entity_set}({item['@iot.id']})"
        for name in properties:
            assert name in item, f"{entity_set} lacks {name}"
        for nav in navigations:
            link = item[f"{nav}@iot.navigationLink"]
            assert link == f"{item['@iot.selfLink']}/{nav}"
            assert client.get(link).status_code == 200


def test_times_are_utc_with_z_and_observation_results_are_numbers(
    client: TestClient, station: dict[str, Any]
) -> None:
    first = get(client, f"Observations({station['obs'][0]})")
    assert first["phenomenonTime"] == "2026-11-01T00:00:00Z"
    assert first["result"] == 100
    assert isinstance(first["result"], int)
    assert first["resultTime"] is None
    stream = get(client, f"Datastreams({station['level'].id})")
    assert stream["phenomenonTime"] == "2026-11-01T00:00:00Z/2026-11-01T00:40:00Z"
    location = get(client, f"Things({station['kapuas'].id})/Locations")["value"][0]
    assert location["location"]["type"] == "Point"


def test_missing_entities_are_404_in_the_frost_error_shape(
    client: TestClient, station: dict[str, Any]
) -> None:
    body = get(client, "Things(999999)", 404)
    assert body["code"] == 404
    assert body["type"] == "error"
    assert "Thing 999999" in body["message"]
    other = station["landak"].id
    get(client, f"Things({other})/Datastreams({station['level'].id})", 404)
    get(client, f"Things({other})/Datastreams", 200)


def test_properties_their_raw_value_and_null_properties(
    client: TestClient, station: dict[str, Any]
) -> None:
    thing = station["kapuas"].id
    assert get(client, f"Things({thing})/name") == {"name": "Pos Kapuas"}
    raw = client.get(f"/sta/v1.1/Things({thing})/name/$value")
    assert raw.text == "Pos Kapuas"
    assert raw.headers["content-type"].startswith("text/plain")
    assert get(client, f"Things({thing})/properties/sungai") == {"sungai": "Kapuas"}
    assert client.get(f"/sta/v1.1/Observations({station['obs'][0]})/resultTime").status_code == 204
    time = client.get(f"/sta/v1.1/Observations({station['obs'][0]})/phenomenonTime/$value")
    assert time.text == "2026-11-01T00:00:00Z"
    get(client, f"Things({thing})/properties/missing", 404)


def test_resource_paths_nest_and_ref_returns_self_links(
    client: TestClient, station: dict[str, Any]
) -> None:
    level, obs = station["level"].id, station["obs"][2]
    nested = get(client, f"Things({station['kapuas'].id})/Datastreams({level})/Observations({obs})")
    assert nested["@iot.id"] == obs
    assert get(client, f"Observations({obs})/Datastream/Thing/name") == {"name": "Pos Kapuas"}
    refs = get(client, f"Datastreams({level})/Observations/$ref")
    assert {"@iot.selfLink": f"{ROOT}/Observations({obs})"} in refs["value"]
    assert all(set(item) == {"@iot.selfLink"} for item in refs["value"])
    assert get(client, f"Datastreams({level})/Thing/$ref") == {
        "@iot.selfLink": f"{ROOT}/Things({station['kapuas'].id})"
    }


@pytest.mark.parametrize("path", ["Things(x)", "Things('1')", "Things(1)/Datastreams/name"])
def test_bad_ids_and_paths_are_400(client: TestClient, path: str) -> None:
    assert get(client, path, 400)["type"] == "error"


def test_unknown_names_versions_and_methods_answer_in_the_frost_shape(client: TestClient) -> None:
    get(client, "Thingz", 404)
    other_version = client.get("/sta/v1.0/Things")
    assert other_version.status_code == 404
    assert other_version.json()["type"] == "error"
    options = client.options("/sta/v1.1/Things")
    assert options.status_code == 405
    assert options.json() == {"code": 405, "type": "error", "message": options.json()["message"]}


# --- A.2 filtering ------------------------------------------------------------------------


def test_select_returns_only_what_was_asked(client: TestClient, station: dict[str, Any]) -> None:
    body = get(client, f"Datastreams({station['level'].id})/Observations", **{"$select": "result"})
    assert all(set(item) == {"result"} for item in body["value"])
    with_id = get(client, "Things", **{"$select": "id,Datastreams"})
    assert set(with_id["value"][0]) == {
        "@iot.id",
        "@iot.selfLink",
        "Datastreams@iot.navigationLink",
    }


def test_expand_nests_with_its_own_options(client: TestClient, station: dict[str, Any]) -> None:
    body = get(
        client,
        f"Things({station['kapuas'].id})",
        **{"$expand": "Datastreams($orderby=id;$expand=Observations($top=2;$count=true;"
                      "$orderby=phenomenonTime desc;$select=result),ObservedProperty)"},
    )  # fmt: skip
    level = next(d for d in body["Datastreams"] if d["@iot.id"] == station["level"].id)
    assert level["Observations@iot.count"] == 5
    assert [o["result"] for o in level["Observations"]] == [104, 103]
    assert level["Observations@iot.nextLink"].startswith(
        f"{ROOT}/Datastreams({station['level'].id})/Observations?"
    )
    assert level["ObservedProperty"]["name"] == "Tinggi muka air"
    follow = client.get(level["Observations@iot.nextLink"]).json()
    assert [o["result"] for o in follow["value"]] == [102, 101]


def test_multilevel_expand_by_slash(client: TestClient, station: dict[str, Any]) -> None:
    body = get(client, "Observations", **{"$expand": "Datastream/Thing", "$top": "1"})
    assert body["value"][0]["Datastream"]["Thing"]["name"] == "Pos Kapuas"


def test_top_skip_and_absolute_next_links(client: TestClient, station: dict[str, Any]) -> None:
    path = f"Datastreams({station['level'].id})/Observations"
    seen, url = [], f"/sta/v1.1/{path}?$top=2&$orderby=result"
    while url:
        page = client.get(url).json()
        seen += [item["result"] for item in page["value"]]
        url = page.get("@iot.nextLink")
        assert url is None or url.startswith(ROOT)
    assert seen == [100, 101, 102, 103, 104]
    assert [
        o["result"] for o in get(client, path, **{"$skip": "3", "$orderby": "result"})["value"]
    ] == [103, 104]


def test_orderby_puts_nulls_first_ascending_and_last_descending(
    client: TestClient, station: dict[str, Any]
) -> None:
    ascending = get(client, "Things", **{"$orderby": "properties/sungai asc"})["value"]
    assert ascending[0]["properties"] is None
    descending = get(client, "Things", **{"$orderby": "properties/sungai desc"})["value"]
    assert descending[-1]["properties"] is None


def test_count_ignores_top_and_counts_the_filter(
    client: TestClient, station: dict[str, Any]
) -> None:
    path = f"Datastreams({station['level'].id})/Observations"
    body = get(client, path, **{"$count": "true", "$top": "1", "$filter": "result ge 102"})
    assert body["@iot.count"] == 3
    assert len(body["value"]) == 1
    assert next(iter(body)) == "@iot.count"
    assert get(client, path, 400, **{"$count": "perhaps"})["code"] == 400


def test_filter_query_and_the_evaluation_order(client: TestClient, station: dict[str, Any]) -> None:
    body = get(
        client,
        "Observations",
        **{"$filter": f"Datastream/id eq {station['level'].id} and result gt 100",
           "$orderby": "result desc", "$skip": "1", "$top": "2", "$count": "true"},
    )  # fmt: skip
    assert body["@iot.count"] == 4
    assert [o["result"] for o in body["value"]] == [103, 102]


def test_filter_functions_reach_sql_through_http(
    client: TestClient, station: dict[str, Any]
) -> None:
    around_kapuas = (
        "POLYGON((109.34 -0.03, 109.345 -0.03, 109.345 -0.02, 109.34 -0.02, 109.34 -0.03))"
    )
    within = get(
        client,
        "Things",
        **{"$filter": f"st_within(Locations/location, geography'{around_kapuas}')"},
    )
    assert [t["name"] for t in within["value"]] == ["Pos Kapuas"]
    named = get(
        client,
        "Things",
        **{"$filter": "startswith(name, 'Pos L') or substringof('Kap', name)", "$orderby": "name"},
    )
    assert [t["name"] for t in named["value"]] == ["Pos Kapuas", "Pos Landak"]
    november = get(
        client, "Observations", **{"$filter": "month(phenomenonTime) eq 11 and result lt 101"}
    )
    assert [o["result"] for o in november["value"]] == [100, 0.5]


def test_bad_filters_say_where_and_unknown_options_are_501(client: TestClient) -> None:
    body = get(client, "Things", 400, **{"$filter": "name eq"})
    assert "$filter" in body["message"]
    assert get(client, "Things", 501, **{"$apply": "x"})["code"] == 501


def test_data_array_groups_observations_by_datastream(
    client: TestClient, station: dict[str, Any]
) -> None:
    body = get(client, "Observations", **{"$resultFormat": "dataArray", "$orderby": "id"})
    groups = {g["Datastream@iot.navigationLink"]: g for g in body["value"]}
    level = groups[f"{ROOT}/Datastreams({station['level'].id})"]
    assert level["components"] == ["id", "phenomenonTime", "resultTime", "result"]
    assert level["dataArray"][0] == [station["obs"][0], "2026-11-01T00:00:00Z", None, 100]
    picked = get(
        client, "Observations", **{"$resultFormat": "dataArray", "$select": "result,phenomenonTime"}
    )
    assert picked["value"][0]["components"] == ["result", "phenomenonTime"]


def test_latest_value_per_stream_is_one_query_per_level(
    client: TestClient, session: Session, station: dict[str, Any]
) -> None:
    for index in range(6):
        extra = datastream(session, thing=station["landak"], name=f"Aliran {index}")
        observations(
            session, datastream=extra, values=[(T0, index), (T0 + timedelta(hours=1), 10 + index)]
        )
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    engine = session.get_bind().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        body = get(
            client,
            "Datastreams",
            **{"$expand": "Observations($orderby=phenomenonTime desc;$top=1)"},
        )
    finally:
        event.remove(engine, "before_cursor_execute", count)
    latest = {d["name"]: d["Observations"][0]["result"] for d in body["value"] if d["Observations"]}
    assert latest["Aliran 3"] == 13
    assert len(body["value"]) == 8
    assert len(statements) <= 2, statements  # the page, then one query for every stream
