"""Compatibility with the real ``frost-sta-client`` (FraunhoferIOSB's Python client), unmodified,
against the app served by uvicorn on a real port over its own migrated database: create,
find, query (filter, select, expand, orderby, top, skip, count), paging through
``@iot.nextLink``, update (PUT), JSON-Patch, CreateObservations and delete, all with HTTP
Basic credentials of an operator as the client sends them.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.error import URLError

import pytest
import requests
import uvicorn

from pontive.app import create_app
from pontive.core import auth
from pontive.core.db import Database
from pontive.core.identity import system_actor
from pontive.core.roles import Role
from tests.conftest import PASSWORD, _fresh_database_url, make_settings, prepare_database

frost = pytest.importorskip("frost_sta_client", reason="frost-sta-client is a dev dependency")
# The client calls furl's deprecated ``pathstr``; the warning is theirs, not ours.
pytestmark = pytest.mark.filterwarnings("ignore:furl.pathstr is deprecated:DeprecationWarning")

OM_MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"
T0 = datetime(2026, 11, 5, tzinfo=UTC)
USERNAME = "operator.sta"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait(url: str, server: uvicorn.Server) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if server.started:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2):  # noqa: S310 - our own server
                    return
            except (URLError, ConnectionError):
                pass
        time.sleep(0.05)
    raise RuntimeError("the SensorThings test server did not start")


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a free port with an operator account; yields the service root URL."""
    for database_url in _fresh_database_url(tmp_path_factory, "frost"):
        prepare_database(database_url)
        database = Database(database_url)
        with database.session() as session:
            auth.create_user(
                session=session, actor=system_actor("test"), username=USERNAME,
                password=PASSWORD, role=Role.OPERATOR,
            )  # fmt: skip
        database.dispose()
        port = _free_port()
        config = uvicorn.Config(
            create_app(make_settings(database_url)), host="127.0.0.1", port=port,
            log_level="warning", access_log=False, lifespan="on",
        )  # fmt: skip
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, name="sta-frost-server", daemon=True)
        thread.start()
        try:
            _wait(f"http://127.0.0.1:{port}", server)
            yield f"http://127.0.0.1:{port}/sta/v1.1"
        finally:
            server.should_exit = True
            thread.join(timeout=10)


@pytest.fixture
def service(server_url: str) -> Any:
    """A SensorThingsService that authenticates with Basic credentials."""
    return frost.SensorThingsService(server_url, frost.AuthHandler(USERNAME, PASSWORD))


def _station(service: Any, name: str) -> tuple[Any, Any]:
    location = frost.Location(
        name=f"Lokasi {name}", description="Tepi Sungai Kapuas",
        encoding_type="application/geo+json",
        location={"type": "Point", "coordinates": [109.3425, -0.0264]},
    )  # fmt: skip
    thing = frost.Thing(name=name, description="Pos duga air", properties={"sungai": "Kapuas"},
                        locations=[location])  # fmt: skip
    service.create(thing)
    sensor = frost.Sensor(
        name="Radar level", description="Sensor radar", encoding_type="text/html",
        metadata="https://contoh.id/radar",
    )  # fmt: skip
    prop = frost.ObservedProperty(name="Tinggi muka air", definition="https://contoh.id/tma",
                                  description="Tinggi muka air sungai")  # fmt: skip
    service.create(sensor)
    service.create(prop)
    stream = frost.Datastream(
        name=f"TMA {name}", description="Tinggi muka air", observation_type=OM_MEASUREMENT,
        unit_of_measurement=frost.UnitOfMeasurement("centimetre", "cm", "ucum:cm"),
        thing=thing, sensor=sensor, observed_property=prop,
    )  # fmt: skip
    service.create(stream)
    return thing, stream


def test_create_find_query_and_page_through_observations(service: Any) -> None:
    thing, stream = _station(service, "Pos Kapuas I")
    assert isinstance(thing.id, int)
    assert isinstance(stream.id, int)
    for index in range(7):
        when = (T0 + timedelta(minutes=10 * index)).isoformat()
        service.create(
            frost.Observation(phenomenon_time=when, result=150 + index, datastream=stream)
        )
    found = service.things().find(thing.id)
    assert found.name == "Pos Kapuas I"
    assert found.properties == {"sungai": "Kapuas"}
    page = (
        service.observations().query()
        .filter(f"Datastream/id eq {stream.id} and result ge 152")
        .select("result", "phenomenonTime")
        .orderby("phenomenonTime", "ASC").skip(1).top(2).count()
        .list()
    )  # fmt: skip
    assert page.count == 5
    assert [o.result for o in page.entities] == [153, 154]
    everything = (
        service.observations().query().filter(f"Datastream/id eq {stream.id}").top(3).list()
    )
    assert sorted(o.result for o in everything) == [150 + i for i in range(7)]  # via nextLink
    expanded = (
        service.things()
        .query()
        .filter(f"id eq {thing.id}")
        .expand("Datastreams($expand=Observations($orderby=phenomenonTime desc;$top=1))")
        .list()
    )
    newest = expanded.entities[0].datastreams.entities[0].observations.entities[0]
    assert newest.result == 156


def test_update_with_put_patch_with_json_patch_and_delete(service: Any, server_url: str) -> None:
    created, stream = _station(service, "Pos Landak")
    # Update what was read back (find → change → PUT); the object used for the deep insert
    # still holds its inline Locations, which an update may not carry (18-088 10.3).
    thing = service.things().find(created.id)
    thing.description = "Pos duga air Sungai Landak"
    service.update(thing)
    assert service.things().find(thing.id).description == "Pos duga air Sungai Landak"
    service.patch(thing, [{"op": "add", "path": "/properties/operator", "value": "BPBD"}])
    assert service.things().find(thing.id).properties == {"sungai": "Kapuas", "operator": "BPBD"}
    observation = frost.Observation(phenomenon_time=T0.isoformat(), result=1, datastream=stream)
    service.create(observation)
    service.delete(observation)
    assert (
        requests.get(f"{server_url}/Observations({observation.id})", timeout=10).status_code == 404
    )
    service.delete(thing)
    assert requests.get(f"{server_url}/Datastreams({stream.id})", timeout=10).status_code == 404


def test_create_observations_with_a_data_array_document(service: Any) -> None:
    _thing, stream = _station(service, "Pos Jeruju")
    value = frost.DataArrayValue()
    value.datastream = stream
    value.components = {
        frost.DataArrayValue.Property.PHENOMENON_TIME,
        frost.DataArrayValue.Property.RESULT,
    }
    for index in range(3):
        when = (T0 + timedelta(hours=index)).isoformat()
        value.add_observation(frost.Observation(phenomenon_time=when, result=90 + index,
                                                datastream=stream))  # fmt: skip
    document = frost.DataArrayDocument()
    document.add_data_array_value(value)
    created = service.observations().create(document)
    assert len(created) == 3
    assert all(o.self_link.startswith("http://127.0.0.1:") for o in created)
    results = service.observations().query().filter(f"Datastream/id eq {stream.id}").list()
    assert sorted(o.result for o in results) == [90, 91, 92]


def test_wrong_credentials_are_refused(server_url: str) -> None:
    service = frost.SensorThingsService(server_url, frost.AuthHandler(USERNAME, "salah-sandi-1"))
    with pytest.raises(requests.HTTPError) as caught:
        service.create(frost.Thing(name="x", description="y"))
    assert caught.value.response is not None
    assert caught.value.response.status_code == 401
