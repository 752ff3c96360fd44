"""The sensor console: who may open it, registering a device with its place and first
Datastream, adding streams and flood thresholds, and gateway keys that write only their
device's observations. Forms are posted as a browser would, CSRF token included."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.audit import AuditEvent
from pontive.core.models import ApiKey
from pontive.core.roles import Role
from pontive.sensors.choices import FloodDatum, Quantity
from pontive.sensors.models import (
    Datastream,
    FloodThreshold,
    Location,
    Sensor,
    Thing,
    thing_locations,
)
from tests.conftest import login
from tests.sensors.indices_support import _fresh_process_caches  # noqa: F401 - autouse fixture

CONSOLE = "/console/sensor"
# Jl. Rahadi Usman by the Kapuas, in Kelurahan Darat Sekip (Pontianak Kota).
RIVERSIDE = {"lat": "-0.0262", "lon": "109.3432"}


def csrf(client: TestClient, path: str) -> str:
    """The CSRF token of the signed-in session, read from a page's form."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    return page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


@pytest.fixture
def operator(client: TestClient, make_user: Any) -> TestClient:
    login(client, make_user(Role.OPERATOR).username)
    return client


def _device(client: TestClient, **changes: str) -> dict[str, str]:
    form = {
        "csrf_token": csrf(client, f"{CONSOLE}/baru"),
        "name": "Pos Duga Air Parit Tokaya",
        "description": "Sensor ultrasonik di muara Parit Tokaya.",
        "pd_kode": "pupr",
        "interval_minutes": "10",
        **RIVERSIDE,
        "ds_quantity": "water_level",
        "ds_unit": "cm",
        "ds_retention_days": "365",
        "ds_sensor": "baru",
        "ds_sensor_name": "Sensor ultrasonik 5 m",
        "ds_sensor_encoding": "text/plain",
        "ds_sensor_metadata": "Jangkauan 0-5 m, resolusi 1 mm",
        "ds_property": "baru",
        "th_datum": "gauge_cm",
        "th_waspada": "270",
        "th_siaga": "285",
        "th_awas": "300",
    }
    form.update(changes)
    return form


def _register(client: TestClient, **changes: str) -> Any:
    return client.post(f"{CONSOLE}/baru", data=_device(client, **changes), follow_redirects=False)


def _thing_id(response: Any) -> int:
    assert response.status_code == 303, response.text
    match = re.fullmatch(rf"{CONSOLE}/(\d+)\?ok=created", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.OPERATOR, 200),
        (Role.TIM_TEKNIS, 200),
        (Role.ADMIN, 200),
        (Role.PETUGAS_PD, 403),
        (Role.DEWAN, 403),
        (Role.WARGA, 403),
    ],
)
def test_the_console_is_for_command_center_and_technical_staff(
    client: TestClient, make_user: Any, role: Role, status: int
) -> None:
    login(client, make_user(role, pd_kode="bpbd" if role is Role.PETUGAS_PD else None).username)
    assert client.get(CONSOLE).status_code == status
    assert client.get(f"{CONSOLE}/baru").status_code == status
    home = client.get("/console/").text
    assert ('href="/console/sensor"' in home) is (status == 200)


def test_anonymous_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    response = client.get(CONSOLE, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/masuk?next=")


def test_an_operator_registers_a_device_with_its_place_stream_and_thresholds(
    operator: TestClient, session: Session
) -> None:
    thing_id = _thing_id(_register(operator))
    thing = session.get(Thing, thing_id)
    assert thing is not None
    assert (thing.name, thing.pd_kode, thing.expected_interval_seconds) == (
        "Pos Duga Air Parit Tokaya",
        "pupr",
        600,
    )
    location = session.scalar(
        select(Location).join(thing_locations).where(thing_locations.c.thing_id == thing_id)
    )
    assert location is not None
    assert location.location == {"type": "Point", "coordinates": [109.3432, -0.0262]}
    assert location.kelurahan_kode is not None  # resolved by the service
    streams = session.scalars(select(Datastream).where(Datastream.thing_id == thing_id)).all()
    level = next(s for s in streams if s.quantity is Quantity.WATER_LEVEL)
    assert level.unit_of_measurement == {
        "name": "centimetre",
        "symbol": "cm",
        "definition": "ucum:cm",
    }
    assert level.retention_days == 365
    assert level.name == "Tinggi muka air · Pos Duga Air Parit Tokaya"
    assert {s.quantity for s in streams} == {Quantity.WATER_LEVEL, Quantity.FLOOD_STATUS}
    sensor = session.get(Sensor, level.sensor_id)
    assert sensor is not None
    assert sensor.name == "Sensor ultrasonik 5 m"
    threshold = session.get(FloodThreshold, level.id)
    assert threshold is not None
    assert (threshold.datum, threshold.waspada, threshold.siaga, threshold.awas) == (
        FloodDatum.GAUGE_CM,
        270,
        285,
        300,
    )
    actions = Counter(session.scalars(select(AuditEvent.action)))
    assert actions["sensors.thing.create"] == 1
    assert actions["sensors.datastream.create"] == 1
    assert actions["sensors.flood_threshold.set"] == 1
    page = operator.get(f"{CONSOLE}/{thing_id}?ok=created")
    assert "Perangkat terdaftar." in page.text
    assert "Tinggi muka air · Pos Duga Air Parit Tokaya" in page.text
    assert page.headers["Cache-Control"] == "private, no-store"


def test_a_registration_with_mistakes_comes_back_with_field_errors(
    operator: TestClient, session: Session
) -> None:
    before = session.scalar(select(Thing.id).order_by(Thing.id.desc()).limit(1))
    response = _register(
        operator, name="", lat="sembilan", lon="200", ds_unit="ug/m3", th_siaga="260"
    )
    assert response.status_code == 422
    html = response.text
    assert 'id="name-error">Wajib diisi.' in html
    assert 'id="lat-error">Isi dengan angka.' in html
    assert 'id="lon-error">Bujur harus antara -180 dan 180.' in html
    assert 'id="ds_unit-error">Satuan ini tidak cocok dengan besaran yang dipilih.' in html
    assert 'value="Pos Duga Air Parit Tokaya"' not in html  # the name was left empty
    assert 'value="sembilan"' in html  # what was typed comes back
    assert session.scalar(select(Thing.id).order_by(Thing.id.desc()).limit(1)) == before


def test_thresholds_out_of_order_are_refused_in_english_too(operator: TestClient) -> None:
    operator.get("/sensor?lang=en")  # remembers English
    response = _register(operator, th_siaga="260")
    assert response.status_code == 422
    assert "The Siaga threshold must be above the Waspada threshold." in response.text


def test_a_form_without_its_csrf_token_is_refused(operator: TestClient, session: Session) -> None:
    form = _device(operator)
    form.pop("csrf_token")
    assert operator.post(f"{CONSOLE}/baru", data=form).status_code == 403
    assert session.scalar(select(Thing.id).where(Thing.name == form["name"])) is None


def test_a_stream_with_an_existing_sensor_is_added_to_a_device(
    operator: TestClient, session: Session
) -> None:
    thing_id = _thing_id(_register(operator))
    sensor_id = session.scalar(select(Sensor.id).where(Sensor.name == "Sensor ultrasonik 5 m"))
    token = csrf(operator, f"{CONSOLE}/{thing_id}")
    form = {
        "csrf_token": token,
        "ds_quantity": "rainfall",
        "ds_unit": "mm",
        "ds_sensor": str(sensor_id),
        "ds_property": "baru",
    }
    response = operator.post(f"{CONSOLE}/{thing_id}/datastream", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    rain = session.scalar(
        select(Datastream).where(
            Datastream.thing_id == thing_id, Datastream.quantity == Quantity.RAINFALL
        )
    )
    assert rain is not None
    assert rain.sensor_id == sensor_id
    bad = operator.post(f"{CONSOLE}/{thing_id}/datastream", data=form | {"ds_unit": "cm"})
    assert bad.status_code == 422
    assert "Satuan ini tidak cocok" in bad.text


def test_thresholds_are_changed_on_the_device_page(operator: TestClient, session: Session) -> None:
    thing_id = _thing_id(_register(operator, th_waspada="", th_siaga="", th_awas=""))
    level = session.scalar(
        select(Datastream.id).where(
            Datastream.thing_id == thing_id, Datastream.quantity == Quantity.WATER_LEVEL
        )
    )
    assert session.get(FloodThreshold, level) is None
    token = csrf(operator, f"{CONSOLE}/{thing_id}")
    path = f"{CONSOLE}/{thing_id}/ambang/{level}"
    wrong = {
        "csrf_token": token,
        "th_datum": "gauge_cm",
        "th_waspada": "280",
        "th_siaga": "270",
        "th_awas": "300",
    }
    refused = operator.post(path, data=wrong)
    assert refused.status_code == 422
    assert "Ambang Siaga harus lebih tinggi dari ambang Waspada." in refused.text
    right = wrong | {"th_siaga": "290", "th_awas": "305", "th_note": "SK BPBD 2026"}
    assert operator.post(path, data=right, follow_redirects=False).status_code == 303
    saved = session.get(FloodThreshold, level)
    assert saved is not None
    assert (saved.waspada, saved.siaga, saved.awas, saved.note) == (280, 290, 305, "SK BPBD 2026")


def _new_key(client: TestClient, thing_id: int) -> str:
    token = csrf(client, f"{CONSOLE}/{thing_id}")
    page = client.post(f"{CONSOLE}/{thing_id}/kunci", data={"csrf_token": token, "key_name": ""})
    assert page.status_code == 200, page.text
    assert page.headers["Cache-Control"] == "private, no-store"
    found = re.search(r'<code id="key-secret" class="sc-secret">([^<]+)</code>', page.text)
    assert found
    return found.group(1)


def test_a_gateway_key_is_shown_once_and_writes_only_its_devices_observations(
    operator: TestClient, session: Session
) -> None:
    own = _thing_id(_register(operator))
    other = _thing_id(_register(operator, name="Pos Duga Air Lain"))
    secret = _new_key(operator, own)
    key = session.scalar(select(ApiKey).where(ApiKey.scopes == f"sta:thing:{own}"))
    assert key is not None
    assert key.role is Role.WARGA
    assert secret not in operator.get(f"{CONSOLE}/{own}").text  # never shown again
    stream = {
        thing: session.scalar(
            select(Datastream.id).where(
                Datastream.thing_id == thing, Datastream.quantity == Quantity.WATER_LEVEL
            )
        )
        for thing in (own, other)
    }
    body = [
        {
            "Datastream": {"@iot.id": stream[own]},
            "components": ["phenomenonTime", "result"],
            "dataArray": [["2026-11-29T10:00:00+07:00", 231.4]],
        }
    ]
    headers = {"X-API-Key": secret}
    assert (
        operator.post("/sta/v1.1/CreateObservations", json=body, headers=headers).status_code == 201
    )
    body[0]["Datastream"] = {"@iot.id": stream[other]}
    assert (
        operator.post("/sta/v1.1/CreateObservations", json=body, headers=headers).status_code == 403
    )
    audit = session.scalar(select(AuditEvent).where(AuditEvent.action == "apikey.create"))
    assert audit is not None
    assert audit.actor_role == "operator"


def test_a_gateway_key_is_revoked_from_its_device_only(
    operator: TestClient, session: Session
) -> None:
    own = _thing_id(_register(operator))
    other = _thing_id(_register(operator, name="Pos Duga Air Lain"))
    _new_key(operator, own)
    key = session.scalar(select(ApiKey).where(ApiKey.scopes == f"sta:thing:{own}"))
    assert key is not None
    token = csrf(operator, f"{CONSOLE}/{own}")
    assert (
        operator.post(
            f"{CONSOLE}/{other}/kunci/{key.id}/cabut", data={"csrf_token": token}
        ).status_code
        == 404
    )
    revoked = operator.post(
        f"{CONSOLE}/{own}/kunci/{key.id}/cabut", data={"csrf_token": token}, follow_redirects=False
    )
    assert revoked.status_code == 303
    session.refresh(key)
    assert key.revoked_at is not None
    assert "Dicabut" in operator.get(f"{CONSOLE}/{own}").text


def test_the_device_list_shows_health(operator: TestClient) -> None:
    _thing_id(_register(operator))
    page = operator.get(CONSOLE)
    assert "Pos Duga Air Parit Tokaya" in page.text
    assert "Belum pernah melapor" in page.text  # registered, not reporting yet
    assert 'class="health-badge health-unknown"' in page.text
