"""The data array extension (A.6): ``CreateObservations`` and ``$resultFormat=dataArray``,
modelled on FROST-Server's ``c06dataarrays/DataArrayTests`` (test03PostDataArray)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core import auth
from pontive.core.identity import system_actor
from pontive.core.roles import Role
from pontive.sensors import sta_dataarray
from pontive.sensors.models import Observation
from tests.sensors.conftest import datastream, feature_of_interest, sta_thing

ROOT = "http://testserver/sta/v1.1"


@pytest.fixture
def operator(session: Session) -> dict[str, str]:
    """Headers of an operator's API key."""
    _key, secret = auth.create_api_key(
        session=session, actor=system_actor("test"), name="array-key", role=Role.OPERATOR
    )
    return {"Authorization": f"Bearer {secret}"}


def create(client: TestClient, body: Any, headers: dict[str, str], status: int = 201) -> Any:
    response = client.post("/sta/v1.1/CreateObservations", json=body, headers=headers)
    assert response.status_code == status, response.text
    return response.json()


def test_rows_are_stored_in_order_and_bad_rows_answer_error(
    client: TestClient, session: Session, operator: dict[str, str]
) -> None:
    thing = sta_thing(session)
    level, rain = datastream(session, thing=thing), datastream(session, thing=thing, unit="mm")
    feature = feature_of_interest(session, name="Titik hujan")
    body = [
        {"Datastream": {"@iot.id": level.id},
         "components": ["phenomenonTime", "result", "resultTime"],
         "dataArray": [["2026-11-03T00:00:00+07:00", 181, "2026-11-03T00:00:05+07:00"],
                       ["bukan waktu", 182, None],
                       ["2026-11-03T00:10:00+07:00", 183],
                       ["2026-11-03T00:20:00+07:00", "tinggi", None]]},
        {"Datastream": {"@iot.id": rain.id},
         "components": ["phenomenonTime", "result", "FeatureOfInterest/id"],
         "dataArray": [["2026-11-03T00:00:00Z", 0.4, feature],
                       ["2026-11-03T00:05:00Z", 0.6, 999999]]},
        {"Datastream": {"@iot.id": 999999}, "components": ["phenomenonTime", "result"],
         "dataArray": [["2026-11-03T00:00:00Z", 1]]},
    ]  # fmt: skip
    answer = create(client, body, operator)
    # bad time, short row, a text result in an OM_Measurement stream; an unknown feature;
    # an unknown Datastream.
    assert [item == "error" for item in answer] == [False, True, True, True, False, True, True]
    first = client.get(answer[0]).json()
    assert first["phenomenonTime"] == "2026-11-02T17:00:00Z"
    assert first["resultTime"] == "2026-11-02T17:00:05Z"
    assert first["result"] == 181
    rainy = int(answer[4].rsplit("(", 1)[1].rstrip(")"))
    stored = session.get(Observation, rainy)
    assert stored is not None
    assert stored.feature_of_interest_id == feature
    assert answer[0].startswith(f"{ROOT}/Observations(")


@pytest.mark.parametrize(
    "body",
    [
        {"Datastream": {"@iot.id": 1}},
        [{"Datastream": {"@iot.id": 1}, "components": ["result"], "dataArray": []}],
        [{"Datastream": {"@iot.id": 1}, "components": ["phenomenonTime", "result", "warna"],
          "dataArray": []}],
        [{"components": ["phenomenonTime", "result"], "dataArray": []}],
        [{"Datastream": {"@iot.id": 1}, "components": ["phenomenonTime", "result"],
          "dataArray": "x"}],
    ],
)  # fmt: skip
def test_malformed_documents_are_refused_whole(
    client: TestClient, operator: dict[str, str], body: Any
) -> None:
    assert create(client, body, operator, 400)["type"] == "error"


def test_gateways_send_arrays_only_for_their_things(client: TestClient, session: Session) -> None:
    mine, theirs = sta_thing(session, name="Pos A"), sta_thing(session, name="Pos B")
    my_stream, their_stream = datastream(session, thing=mine), datastream(session, thing=theirs)
    _key, secret = auth.create_api_key(
        session=session, actor=system_actor("test"), name="gw-array", role=Role.WARGA,
        scopes=[f"sta:thing:{mine.id}"],
    )  # fmt: skip
    headers = {"X-API-Key": secret}
    row = {"components": ["phenomenonTime", "result"], "dataArray": [["2026-11-03T00:00:00Z", 5]]}
    assert create(client, [{"Datastream": {"@iot.id": my_stream.id}, **row}], headers)[0] != "error"
    before = session.scalars(select(Observation.id)).all()
    create(client, [{"Datastream": {"@iot.id": their_stream.id}, **row}], headers, 403)
    assert session.scalars(select(Observation.id)).all() == before
    assert client.post("/sta/v1.1/CreateObservations", json=[]).status_code == 401
    assert client.get("/sta/v1.1/CreateObservations").status_code == 405


def test_rows_of_times_and_results_parse_as_the_full_parser_reads_them(
    session: Session,
) -> None:
    # Blocks of only times and results skip the JSON object per row; the answer must be the
    # one parse_observation_json gives for that object.
    stream = datastream(session, thing=sta_thing(session))
    components = ("id", "resultTime", "phenomenonTime", "result")
    rows = (
        [1, None, "2026-11-03T00:00:00+07:00", 181],
        [2, "2026-11-03T00:00:05Z", "2026-11-03T00:00:00Z/2026-11-03T00:10:00Z", 0.25],
        [3, None, None, "banjir"],
        [4, None, "2026-11-03T00:00:00", 1],  # no zone
        [5, 12, "2026-11-03T00:00:00Z", 1],  # resultTime not a string
        [6, None, "2026-11-03T00:00:00Z"],  # short
        "not a row",
        [7, None, " 2026-11-03T00:00:00+07:00 ", None],
    )
    block = sta_dataarray.Block(stream.id, components, rows)
    fast = sta_dataarray.parse_rows(session, [block])
    slow = [
        sta_dataarray._to_item((*sta_dataarray._row_payload(block, row), stream.id), set())
        if isinstance(row, list) and len(row) == len(components)
        else None
        for row in rows
    ]
    assert fast == slow
    assert [item is None for item in fast] == [False, False, False, True, True, True, True, False]
