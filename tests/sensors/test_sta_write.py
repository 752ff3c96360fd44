"""SensorThings writes over HTTP (A.3), modelled on FROST-Server's ``c02cud`` tests:
create with links and deep insert, invalid (deep) inserts that create nothing, PATCH, PUT,
JSON-Patch, DELETE with its cascades, HistoricalLocation auto-creation, and who may write.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.core import auth
from pontive.core.audit import AuditEvent
from pontive.core.identity import system_actor
from pontive.core.roles import Role
from pontive.sensors.models import (
    Datastream,
    FeatureOfInterest,
    HistoricalLocation,
    Location,
    Observation,
    Rollup,
    Thing,
)
from tests.conftest import PASSWORD
from tests.sensors.conftest import OM_MEASUREMENT, datastream, observations, sta_thing

ROOT = "http://testserver/sta/v1.1"
T0 = datetime(2026, 11, 2, tzinfo=UTC)
UNIT = {"name": "centimetre", "symbol": "cm", "definition": "ucum:cm"}
SENSOR = {"name": "Sensor radar", "description": "", "encodingType": "text/html",
          "metadata": "https://contoh.id/radar"}  # fmt: skip
PROPERTY = {"name": "Tinggi muka air", "definition": "https://contoh.id/tma", "description": ""}
POINT = {"type": "Point", "coordinates": [109.3425, -0.0264]}


@pytest.fixture
def operator(session: Session) -> dict[str, str]:
    """Headers of an operator's API key."""
    _key, secret = auth.create_api_key(
        session=session, actor=system_actor("test"), name="operator-key", role=Role.OPERATOR
    )
    return {"X-API-Key": secret}


def basic(username: str, password: str = PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def count(session: Session, model: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def post(
    client: TestClient, path: str, body: Any, headers: dict[str, str], status: int = 201
) -> Any:
    response = client.post(f"/sta/v1.1/{path}", json=body, headers=headers)
    assert response.status_code == status, response.text
    return response


def deep_thing() -> dict[str, Any]:
    return {
        "name": "AWLR Jembatan Kapuas",
        "description": "Pos duga air otomatis",
        "properties": {"sungai": "Kapuas"},
        "Locations": [{"name": "Jembatan Kapuas I", "description": "", "encodingType":
                       "application/geo+json", "location": POINT}],
        "Datastreams": [{
            "name": "Tinggi muka air", "description": "", "unitOfMeasurement": UNIT,
            "observationType": OM_MEASUREMENT, "Sensor": SENSOR, "ObservedProperty": PROPERTY,
            "Observations": [{"phenomenonTime": "2026-11-02T01:00:00Z", "result": 182}],
        }],
    }  # fmt: skip


# --- create ---------------------------------------------------------------------------------


def test_deep_insert_creates_everything_and_answers_201_with_location(
    client: TestClient, session: Session, operator: dict[str, str]
) -> None:
    response = post(client, "Things", deep_thing(), operator)
    thing_id = response.json()["@iot.id"]
    assert response.headers["location"] == f"{ROOT}/Things({thing_id})"
    assert response.json()["name"] == "AWLR Jembatan Kapuas"
    streams = client.get(f"/sta/v1.1/Things({thing_id})/Datastreams?$expand=Observations").json()
    observation = streams["value"][0]["Observations"][0]
    assert observation["result"] == 182
    # SensorThings 10.2 special case #1: the FeatureOfInterest comes from the Location.
    feature = client.get(f"/sta/v1.1/Observations({observation['@iot.id']})/FeatureOfInterest")
    assert feature.json()["feature"] == POINT
    # req historical-location-auto-creation
    history = client.get(f"/sta/v1.1/Things({thing_id})/HistoricalLocations?$expand=Locations")
    assert history.json()["value"][0]["Locations"][0]["name"] == "Jembatan Kapuas I"
    location = session.scalar(select(Location).where(Location.name == "Jembatan Kapuas I"))
    assert location is not None
    assert (location.lon, location.lat) == (109.3425, -0.0264)
    assert location.kelurahan_kode is not None


def test_links_to_existing_entities_and_posting_to_a_navigation_path(
    client: TestClient, session: Session, operator: dict[str, str]
) -> None:
    thing = sta_thing(session)
    sensor_id = post(client, "Sensors", SENSOR, operator).json()["@iot.id"]
    prop_id = post(client, "ObservedProperties", PROPERTY, operator).json()["@iot.id"]
    stream = post(client, f"Things({thing.id})/Datastreams", {
        "name": "Curah hujan", "description": "", "unitOfMeasurement": UNIT,
        "observationType": OM_MEASUREMENT, "Sensor": {"@iot.id": sensor_id},
        "ObservedProperty": {"@iot.id": prop_id},
    }, operator).json()  # fmt: skip
    assert client.get(f"/sta/v1.1/Datastreams({stream['@iot.id']})/Thing/name").json() == {
        "name": thing.name
    }
    obs = post(client, f"Datastreams({stream['@iot.id']})/Observations", {"result": 4.5}, operator)
    stored = session.get(Observation, obs.json()["@iot.id"])
    assert stored is not None
    assert stored.result_number == 4.5
    assert stored.phenomenon_time


@pytest.mark.parametrize(
    "body",
    [
        # FROST createInvalidEntitiesWithDeepInsert: a Datastream without its Sensor.
        {"name": "x", "description": "", "Datastreams": [
            {"name": "d", "description": "", "unitOfMeasurement": UNIT,
             "observationType": OM_MEASUREMENT, "ObservedProperty": PROPERTY}]},
        # A bad nested Location (not GeoJSON) after a valid Datastream.
        {"name": "x", "description": "", "Datastreams": [
            {"name": "d", "description": "", "unitOfMeasurement": UNIT,
             "observationType": OM_MEASUREMENT, "Sensor": SENSOR, "ObservedProperty": PROPERTY}],
         "Locations": [{"name": "l", "description": "", "encodingType": "application/geo+json",
                        "location": {"type": "Point"}}]},
        # A link to a Sensor that does not exist.
        {"name": "x", "description": "", "Datastreams": [
            {"name": "d", "description": "", "unitOfMeasurement": UNIT,
             "observationType": OM_MEASUREMENT, "Sensor": {"@iot.id": 999999},
             "ObservedProperty": PROPERTY}]},
        # An observation without a result, deep down.
        {"name": "x", "description": "", "Datastreams": [
            {"name": "d", "description": "", "unitOfMeasurement": UNIT,
             "observationType": OM_MEASUREMENT, "Sensor": SENSOR, "ObservedProperty": PROPERTY,
             "Observations": [{"phenomenonTime": "2026-11-02T01:00:00Z"}]}]},
    ],
)  # fmt: skip
def test_a_failed_deep_insert_creates_nothing(
    client: TestClient, session: Session, operator: dict[str, str], body: dict[str, Any]
) -> None:
    before = [count(session, model) for model in (Thing, Datastream, Location, Observation)]
    error = post(client, "Things", body, operator, 400).json()
    assert error["type"] == "error"
    assert error["code"] == 400
    after = [count(session, model) for model in (Thing, Datastream, Location, Observation)]
    assert after == before


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"description": "no name"}, "name: required"),
        ({"name": 5}, "name: must be a string"),
        ({"name": "x", "colour": "red"}, "no property 'colour'"),
        ([], "must be a JSON object"),
    ],
)
def test_invalid_entities_are_400_saying_what(
    client: TestClient, operator: dict[str, str], body: Any, words: str
) -> None:
    assert words in post(client, "Things", body, operator, 400).json()["message"]


def test_bodies_must_be_json(client: TestClient, operator: dict[str, str]) -> None:
    response = client.post("/sta/v1.1/Things", content=b"name=x", headers={
        **operator, "Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert response.status_code == 415
    broken = client.post("/sta/v1.1/Things", content=b"{", headers={
        **operator, "Content-Type": "application/json"})  # fmt: skip
    assert broken.status_code == 400
    assert "Could not parse JSON" in broken.json()["message"]
    assert post(client, "Things(1)", {"name": "x"}, operator, 400).json()["code"] == 400


# --- update ---------------------------------------------------------------------------------


def test_patch_merges_and_put_replaces(
    client: TestClient, session: Session, operator: dict[str, str]
) -> None:
    thing = sta_thing(session, properties={"sungai": "Kapuas"})
    patched = client.patch(f"/sta/v1.1/Things({thing.id})", json={"description": "Diperbarui"},
                           headers=operator)  # fmt: skip
    assert patched.status_code == 200
    assert patched.json()["description"] == "Diperbarui"
    assert patched.json()["properties"] == {"sungai": "Kapuas"}
    replaced = client.put(f"/sta/v1.1/Things({thing.id})", json={"name": "Pos baru"},
                          headers=operator)  # fmt: skip
    assert replaced.status_code == 200
    assert replaced.json()["properties"] is None
    assert replaced.json()["description"] == ""
    missing = client.put(
        f"/sta/v1.1/Things({thing.id})", json={"description": "x"}, headers=operator
    )
    assert missing.status_code == 400
    assert "name" in missing.json()["message"]


def test_moving_a_location_resolves_its_point_again(
    client: TestClient, session: Session, operator: dict[str, str]
) -> None:
    thing = sta_thing(session)
    location = client.get(f"/sta/v1.1/Things({thing.id})/Locations").json()["value"][0]["@iot.id"]
    polygon = {"type": "Polygon", "coordinates": [[[109.30, -0.05], [109.31, -0.05],
                                                    [109.31, -0.04], [109.30, -0.04],
                                                    [109.30, -0.05]]]}  # fmt: skip
    response = client.patch(f"/sta/v1.1/Locations({location})", json={"location": polygon},
                            headers=operator)  # fmt: skip
    assert response.status_code == 200
    stored = session.get(Location, location)
    assert stored is not None
    session.refresh(stored)
    assert stored.lon is not None
    assert 109.30 < stored.lon < 109.31
    assert stored.lat is not None
    assert -0.05 < stored.lat < -0.04


def test_json_patch_applies_rfc6902_operations(
    client: TestClient, session: Session, operator: dict[str, str]
) -> None:
    thing = sta_thing(session, properties={"sungai": "Kapuas", "tipe": "AWLR"})
    operations = [
        {"op": "add", "path": "/properties/operator", "value": "BPBD"},
        {"op": "remove", "path": "/properties/tipe"},
        {"op": "replace", "path": "/name", "value": "Pos Kapuas Hilir"},
    ]
    headers = {**operator, "Content-Type": "application/json-patch+json"}
    response = client.patch(f"/sta/v1.1/Things({thing.id})", json=operations, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["properties"] == {"sungai": "Kapuas", "operator": "BPBD"}
    assert response.json()["name"] == "Pos Kapuas Hilir"
    failed = client.patch(f"/sta/v1.1/Things({thing.id})", headers=headers,
                          json=[{"op": "test", "path": "/name", "value": "lain"}])  # fmt: skip
    assert failed.status_code == 409


def test_updates_link_but_never_create_related_entities(
    client: TestClient, session: Session, operator: dict[str, str]
) -> None:
    first, second = sta_thing(session, name="A"), sta_thing(session, name="B", lon=109.3, lat=-0.05)
    stream = datastream(session, thing=first)
    moved = client.patch(f"/sta/v1.1/Datastreams({stream.id})",
                         json={"Thing": {"@iot.id": second.id}},
                         headers=operator)  # fmt: skip
    assert moved.status_code == 200
    assert client.get(f"/sta/v1.1/Datastreams({stream.id})/Thing").json()["@iot.id"] == second.id
    inline = client.patch(f"/sta/v1.1/Datastreams({stream.id})", headers=operator,
                          json={"Thing": {"name": "baru", "description": ""}})  # fmt: skip
    assert inline.status_code == 400


def test_a_thing_that_gains_a_location_gets_a_historical_location(
    client: TestClient, session: Session, operator: dict[str, str]
) -> None:
    thing = sta_thing(session)
    before = count(session, HistoricalLocation)
    post(client, f"Things({thing.id})/Locations", {
        "name": "Lokasi baru", "description": "", "encodingType": "application/geo+json",
        "location": {"type": "Point", "coordinates": [109.33, -0.03]}}, operator)  # fmt: skip
    assert count(session, HistoricalLocation) == before + 1


def test_observation_edits_keep_the_summary_and_rollups_true(
    client: TestClient, session: Session, operator: dict[str, str]
) -> None:
    stream = datastream(session, thing=sta_thing(session))
    ids = observations(session, datastream=stream, values=[(T0, 10), (T0 + timedelta(hours=1), 20)])
    response = client.patch(f"/sta/v1.1/Observations({ids[1]})", json={"result": 25},
                            headers=operator)  # fmt: skip
    assert response.status_code == 200
    assert response.json()["result"] == 25
    session.refresh(stream)
    assert stream.last_result == 25
    assert client.delete(f"/sta/v1.1/Observations({ids[1]})", headers=operator).status_code == 200
    session.refresh(stream)
    assert stream.last_observation_id == ids[0]
    assert stream.last_result == 10
    assert stream.phenomenon_time_end == T0
    hours = session.scalars(select(Rollup.total).where(
        Rollup.datastream_id == stream.id, Rollup.interval == "1h")).all()  # fmt: skip
    assert list(hours) == [10.0]


# --- delete ---------------------------------------------------------------------------------


def test_deleting_a_thing_cascades_and_is_audited(
    client: TestClient, session: Session, operator: dict[str, str]
) -> None:
    thing_id = post(client, "Things", deep_thing(), operator).json()["@iot.id"]
    assert client.delete(f"/sta/v1.1/Things({thing_id})", headers=operator).status_code == 200
    assert client.get(f"/sta/v1.1/Things({thing_id})").status_code == 404
    assert session.scalar(select(Datastream.id).where(Datastream.thing_id == thing_id)) is None
    assert (
        session.scalar(select(HistoricalLocation.id).where(HistoricalLocation.thing_id == thing_id))
        is None
    )
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == str(thing_id))
    )
    assert {"sensors.thing.create", "sensors.thing.delete"} <= set(actions)
    assert client.delete(f"/sta/v1.1/Things({thing_id})", headers=operator).status_code == 404


def test_deleting_a_location_deletes_its_historical_locations(
    client: TestClient, session: Session, operator: dict[str, str]
) -> None:
    thing = sta_thing(session)
    location_id = client.get(f"/sta/v1.1/Things({thing.id})/Locations").json()["value"][0][
        "@iot.id"
    ]
    assert client.delete(f"/sta/v1.1/Locations({location_id})", headers=operator).status_code == 200
    assert client.get(f"/sta/v1.1/Things({thing.id})/HistoricalLocations").json()["value"] == []


def test_deleting_a_feature_deletes_its_observations(
    client: TestClient, session: Session, operator: dict[str, str]
) -> None:
    stream = datastream(session, thing=sta_thing(session))
    observations(session, datastream=stream, values=[(T0, 1), (T0 + timedelta(minutes=5), 2)])
    feature = session.scalar(select(FeatureOfInterest.id).order_by(FeatureOfInterest.id.desc()))
    assert (
        client.delete(f"/sta/v1.1/FeaturesOfInterest({feature})", headers=operator).status_code
        == 200
    )
    session.refresh(stream)
    assert stream.last_observation_id is None
    assert stream.phenomenon_time_start is None


# --- who may write --------------------------------------------------------------------------


def test_writing_needs_credentials_and_the_right_role(
    client: TestClient, session: Session, make_user: Any
) -> None:
    missing = client.post("/sta/v1.1/Things", json={"name": "x"})
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == 'Basic realm="Pontive SensorThings"'
    assert client.post("/sta/v1.1/Things", json={"name": "x"},
                       headers={"X-API-Key": "pk_wrong"}).status_code == 401  # fmt: skip
    citizen = make_user(Role.WARGA)
    assert post(client, "Things", {"name": "x"}, basic(citizen.username), 403).json()["code"] == 403
    staff = make_user(Role.TIM_TEKNIS)
    assert post(client, "Things", {"name": "x"}, basic(staff.username)).status_code == 201
    assert post(client, "Things", {"name": "x"}, basic(staff.username, "salah"), 401)
    assert client.get("/sta/v1.1/Things", headers=basic("nobody", "bad")).status_code == 200


def test_a_gateway_key_writes_observations_of_its_things_only(
    client: TestClient, session: Session
) -> None:
    mine, other = sta_thing(session, name="Gateway A"), sta_thing(session, name="Gateway B")
    my_stream, other_stream = datastream(session, thing=mine), datastream(session, thing=other)
    _key, secret = auth.create_api_key(
        session=session, actor=system_actor("test"), name="gw", role=Role.OPERATOR,
        scopes=[f"sta:thing:{mine.id}"],
    )  # fmt: skip
    bearer = {"Authorization": f"Bearer {secret}"}
    post(client, f"Datastreams({my_stream.id})/Observations", {"result": 1}, bearer)
    post(client, f"Datastreams({other_stream.id})/Observations", {"result": 1}, bearer, 403)
    post(client, "Things", {"name": "x"}, bearer, 403)
    assert client.delete(f"/sta/v1.1/Things({mine.id})", headers=bearer).status_code == 403
    feature = {"name": "f", "description": "", "encodingType": "application/geo+json",
               "feature": POINT}  # fmt: skip
    post(client, "Observations", {"result": 2, "Datastream": {"@iot.id": my_stream.id},
                                  "FeatureOfInterest": feature}, bearer, 403)  # fmt: skip
