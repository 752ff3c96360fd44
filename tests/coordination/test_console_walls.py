"""The situation room's walls over HTTP: who may see them, an operator changing a wall's
layers and panels or setting up a new wall (refused input shown as field errors), the wall
screen itself, and the snapshot it draws (layers as configured, the key figures)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.complaints.schemas import ComplaintCreate
from pontive.complaints.service import create_complaint
from pontive.coordination import tasks, walls
from pontive.coordination.models import Wall
from pontive.core.audit import AuditEvent
from pontive.core.identity import ANONYMOUS
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from tests.conftest import login
from tests.coordination.support import LAT, LON, OPERATOR, make_task, open_incident

WALLS = "/console/koordinasi/dinding"
HTML = {"Accept": "text/html"}


def sign_in(client: TestClient, make_user: Any, role: Role, pd: str | None = None) -> None:
    """A new user of ``role`` signed in on ``client``."""
    login(client, make_user(role, pd_kode=pd).username)


def csrf(client: TestClient) -> str:
    """The session's CSRF token, read from the walls page's forms."""
    page = client.get(WALLS, headers=HTML)
    return page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def settings(**overrides: Any) -> dict[str, Any]:
    """A valid settings form for a wall."""
    values: dict[str, Any] = {
        "name": "Dinding banjir BPBD",
        "layers": ["incidents", "sensors", "alerts"],
        "panels": ["numbers", "ticker"],
        "order_numbers": "2",
        "order_ticker": "1",
        "center_lat": "",
        "center_lon": "",
        "zoom": "",
        "complaint_days": "3",
    }
    values.update(overrides)
    return values


def post(client: TestClient, path: str, data: dict[str, Any]) -> Any:
    """A form post with the session's CSRF token."""
    return client.post(path, data={"csrf_token": csrf(client), **data}, follow_redirects=False)


def main_wall(session: Session) -> Wall:
    """The wall ``pontive db upgrade`` seeds, as stored now."""
    session.expire_all()
    return walls.get_wall(session, actor=OPERATOR, code="utama")


def test_the_mayor_reads_the_walls(client: TestClient, make_user: Any) -> None:
    sign_in(client, make_user, Role.WALIKOTA)
    page = client.get(WALLS, headers=HTML)
    assert page.status_code == 200
    assert "Dinding utama Pontive Center" in page.text
    assert f'href="{WALLS}/utama"' in page.text
    assert "Ubah pengaturan" not in page.text  # reading only
    assert 'action="/console/koordinasi/dinding' not in page.text
    assert client.get(f"{WALLS}/utama", headers=HTML).status_code == 200
    assert client.get(f"{WALLS}/utama/data.json").status_code == 200


def test_an_operator_may_change_the_walls(client: TestClient, make_user: Any) -> None:
    sign_in(client, make_user, Role.OPERATOR)
    page = client.get(WALLS, headers=HTML)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "private, no-store"
    assert "Ubah pengaturan" in page.text
    assert f'action="{WALLS}/utama/atur"' in page.text
    assert f'action="{WALLS}"' in page.text  # the new wall's form
    assert 'aria-current="page">Dinding situasi</a>' in page.text


def test_a_pd_officer_may_not_open_a_wall(client: TestClient, make_user: Any) -> None:
    sign_in(client, make_user, Role.PETUGAS_PD, pd="pupr")
    assert client.get(WALLS, headers=HTML).status_code == 403
    assert client.get(f"{WALLS}/utama", headers=HTML).status_code == 403
    assert client.get(f"{WALLS}/utama/data.json").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    response = client.get(f"{WALLS}/utama", headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/masuk?next=")


def test_an_operator_chooses_a_walls_layers_and_panels(
    client: TestClient, make_user: Any, session: Session
) -> None:
    sign_in(client, make_user, Role.OPERATOR)
    response = post(client, f"{WALLS}/utama/atur", settings(center_lat="-0,0391",
                    center_lon="109.3427", zoom="15"))  # fmt: skip
    assert response.status_code == 303
    assert response.headers["location"] == f"{WALLS}?ok=wall_saved"
    wall = main_wall(session)
    assert wall.name == "Dinding banjir BPBD"
    assert wall.layers == ["incidents", "sensors", "alerts"]
    assert wall.panels == ["ticker", "numbers"]  # as numbered, not as ticked
    assert (wall.center_lat, wall.center_lon, wall.zoom) == (-0.0391, 109.3427, 15)
    assert wall.complaint_days == 3
    audit = session.scalars(select(AuditEvent).where(AuditEvent.object_id == "utama")).all()
    assert [event.action for event in audit] == ["coordination.wall.saved"]

    listed = client.get(f"{WALLS}?ok=wall_saved", headers=HTML).text
    assert "Pengaturan dinding tersimpan." in listed
    screen = client.get(f"{WALLS}/utama", headers=HTML).text
    assert re.findall(r'class="wall-legend-item" data-layer="(\w+)"', screen) == [
        "incidents", "sensors", "alerts",
    ]  # fmt: skip
    assert re.findall(r'data-panel="(\w+)" aria-labelledby', screen) == ["ticker", "numbers"]
    assert 'data-center="-0.0391,109.3427"' in screen


def test_bad_settings_come_back_with_field_errors(
    client: TestClient, make_user: Any, session: Session
) -> None:
    sign_in(client, make_user, Role.OPERATOR)
    typed = settings(name="Dinding lantai dua", zoom="dekat", center_lat="-0.04",
                     order_ticker="x")  # fmt: skip
    response = post(client, f"{WALLS}/utama/atur", typed)
    assert response.status_code == 422
    page = response.text
    assert 'id="w-utama-zoom-error"' in page
    assert 'id="w-utama-panels-error"' in page
    assert "Zoom berupa angka 10 sampai 19." in page
    assert 'value="Dinding lantai dua"' in page  # nothing typed is lost
    assert re.search(r'<details class="cw-edit" open>', page)
    assert main_wall(session).name == "Dinding utama Pontive Center"

    # What only the service refuses: a centre half given, an unknown layer, a short name.
    typed = settings(name="AB", center_lat="-0.04", layers=["incidents", "satelit"])
    response = post(client, f"{WALLS}/utama/atur", typed)
    assert response.status_code == 422
    for field in ("name", "center", "layers"):
        assert f'id="w-utama-{field}-error"' in response.text
    assert "Lapisan peta tidak dikenal." in response.text
    assert main_wall(session).layers == [
        "incidents", "complaints", "sensors", "cameras", "alerts", "modes",
    ]  # fmt: skip

    english = client.post(
        f"{WALLS}/utama/atur?lang=en",
        data={"csrf_token": csrf(client), **settings(zoom="99")},
        follow_redirects=False,
    )
    assert english.status_code == 422
    assert "Zoom is a number from 10 to 19." in english.text


def test_an_operator_sets_up_a_new_wall_once(
    client: TestClient, make_user: Any, session: Session
) -> None:
    sign_in(client, make_user, Role.OPERATOR)
    response = post(client, WALLS, settings(code="banjir-bpbd"))
    assert response.status_code == 303
    page = client.get(WALLS, headers=HTML).text
    assert 'id="wall-banjir-bpbd"' in page
    assert client.get(f"{WALLS}/banjir-bpbd", headers=HTML).status_code == 200

    again = post(client, WALLS, settings(code="banjir-bpbd", name="Dinding kedua"))
    assert again.status_code == 422
    assert 'id="w-baru-code-error"' in again.text
    assert "Kode ini sudah dipakai dinding lain." in again.text
    assert 'value="Dinding kedua"' in again.text
    bad = post(client, WALLS, settings(code="Dinding Besar!"))
    assert bad.status_code == 422
    assert "Kode 2 sampai 39 huruf kecil" in bad.text
    session.expire_all()
    codes = session.scalars(select(Wall.code).order_by(Wall.code)).all()
    assert codes == ["banjir-bpbd", "utama"]


def test_the_mayor_may_not_change_a_wall(
    client: TestClient, make_user: Any, session: Session
) -> None:
    sign_in(client, make_user, Role.WALIKOTA)
    assert post(client, f"{WALLS}/utama/atur", settings()).status_code == 403
    assert post(client, WALLS, settings(code="ruang-rapat")).status_code == 403
    assert main_wall(session).name == "Dinding utama Pontive Center"


def test_the_wall_is_a_screen_of_its_own(client: TestClient, make_user: Any) -> None:
    sign_in(client, make_user, Role.OPERATOR)
    response = client.get(f"{WALLS}/utama", headers=HTML)
    assert response.headers["cache-control"] == "private, no-store"
    page = response.text
    assert '<html lang="id" class="wall-html">' in page
    assert "site-header" not in page
    assert "site-footer" not in page
    assert "Pontive Center · Ruang Situasi" in page
    assert f'data-data-url="{WALLS}/utama/data.json"' in page
    assert "/static/coordination/wall.js" in page
    assert "<script>" not in page  # CSP: no inline script
    assert "style=" not in page  # nor inline style
    stream = re.search(r'data-stream="([^"]+)"', page)
    assert stream is not None
    assert "coordination.%3E" in stream.group(1)
    english = client.get(f"{WALLS}/utama?lang=en", headers=HTML).text
    assert '<html lang="en" class="wall-html">' in english
    assert "Pontive Center · Situation Room" in english
    assert client.get(f"{WALLS}/tidak-ada", headers=HTML).status_code == 404


def test_the_snapshot_shows_the_layers_chosen_and_the_key_figures(
    client: TestClient, make_user: Any, session: Session, media: MediaStore
) -> None:
    incident = open_incident(session, severity="kritis")
    now = utcnow()
    late = tasks.TaskInput(title="Karung pasir ke Jl. Gajah Mada", pd_kode="pupr",
                           priority="mendesak", due_at=now - timedelta(hours=3))  # fmt: skip
    tasks.create_task(session, actor=OPERATOR, data=late, now=now - timedelta(days=1))
    make_task(session, title="Posko pengungsian di aula kelurahan")
    report = create_complaint(
        session=session,
        data=ComplaintCreate(
            category_code="banjir-genangan", description="Air setinggi lutut di gang Mawar.",
            lon=LON + 0.002, lat=LAT,
        ),
        actor=ANONYMOUS,
        media=media,
    )  # fmt: skip
    sign_in(client, make_user, Role.OPERATOR)

    response = client.get(f"{WALLS}/utama/data.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert set(body["layers"]) == {"incidents", "complaints", "sensors", "cameras", "alerts",
                                   "modes"}  # fmt: skip
    assert [f["ref"] for f in body["layers"]["incidents"]] == [incident.code]
    assert body["layers"]["incidents"][0]["severity"] == "kritis"
    assert report.complaint.tracking_number in {f["ref"] for f in body["layers"]["complaints"]}
    numbers = body["numbers"]
    assert numbers["incidents_open"] == 1
    assert numbers["incidents_critical"] == 1
    assert numbers["tasks_open"] == 2
    assert numbers["tasks_overdue"] == 1
    assert numbers["reports_open"] == 1
    assert sum(numbers["reports_by_urgency"].values()) == 1
    assert [item["ref"] for item in body["incidents"]] == [incident.code]
    assert any(incident.code in line["text"] for line in body["ticker"])

    post(client, f"{WALLS}/utama/atur", settings(layers=["incidents"]))
    narrowed = client.get(f"{WALLS}/utama/data.json").json()
    assert list(narrowed["layers"]) == ["incidents"]
    assert narrowed["numbers"]["reports_open"] == 1  # the figures stay
