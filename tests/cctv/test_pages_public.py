"""The public and owner CCTV pages over HTTP: the map, one camera, coverage, enrolment without
JavaScript, the owner's private pages and footage answers, and what never appears on them."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from pontive.app import create_app
from pontive.cctv import footage, service
from pontive.cctv.choices import CameraStatus, FootageStatus, Health, Sharing
from pontive.cctv.demo import DEMO_HOST, OWNERS
from pontive.cctv.models import Camera
from pontive.cctv.service_health import CheckResult, record_checks
from pontive.core.db import Database
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from tests.cctv.support import LAT, LON, actor, city_camera, contributed
from tests.conftest import DemoDatabase, make_settings

PHONE = "0812-3456-7890"  # the owner's phone in tests/cctv/support.py
RTSP = "rtsp://admin:rahasia-123@10.20.0.7:554/stream1"


def _csrf(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    return page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


# A business's camera, as the form sends it.
FORM = {
    "owner_type": "usaha", "organisation": "Toko Kopi Asiang",
    "name": "Depan Warung Kopi Asiang, Jl. Merdeka",
    "description": "Jalan Merdeka arah ke Jl. Gajah Mada.", "purpose": "lalu_lintas",
    "direction": "90", "privacy_mask": "tidak_perlu", "lon": str(LON), "lat": str(LAT),
    "sharing": "publik", "rtsp_url": RTSP, "snapshot_url": "", "owner_name": "Asiang",
    "owner_phone": "0813-5000-1234", "owner_email": "asiang@contoh.id", "consent": "ya",
}  # fmt: skip


def _enrolment(client: TestClient, **fields: str) -> dict[str, str]:
    return {"csrf_token": _csrf(client, "/cctv/daftar"), **FORM, **fields}


def _count(session: Session) -> int:
    return session.scalar(select(func.count(Camera.id))) or 0


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 36), (20, 90, 160)).save(buffer, format="JPEG")
    return buffer.getvalue()


# --- the map, one camera, coverage ---------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "heading"), [("id", "CCTV Kota Pontianak"), ("en", "Pontianak City CCTV")]
)
def test_the_map_lists_public_cameras_only(
    client: TestClient, session: Session, lang: str, heading: str
) -> None:
    public = city_camera(session, name="Bundaran Digulis uji")
    internal = city_camera(session, name="Jembatan uji internal", sharing="internal")
    shop, _ = contributed(session, name="Teras toko uji")
    waiting, _ = contributed(session, name="Rumah uji menunggu", status=CameraStatus.DIAJUKAN)
    page = client.get(f"/cctv?lang={lang}")
    assert page.status_code == 200
    assert f"<h1>{heading}</h1>" in page.text
    assert f'href="/cctv/{public.code}"' in page.text
    assert f'href="/cctv/{shop.code}"' in page.text
    assert internal.name not in page.text
    assert waiting.name not in page.text
    assert 'href="/cctv/daftar"' in page.text  # the call to action (Pasal 22d)
    assert "/static/vendor/leaflet/leaflet.js" in page.text
    home = client.get(f"/?lang={lang}").text
    assert 'href="/cctv"' in home


def test_the_markers_carry_public_facts_and_the_purpose_filter(
    client: TestClient, session: Session
) -> None:
    flood = city_camera(session, name="Pintu air uji", purpose="banjir")
    traffic = city_camera(session, name="Simpang uji")
    items = client.get("/cctv/peta.json").json()["items"]
    mine = {item["code"]: item for item in items if item["code"] in (flood.code, traffic.code)}
    assert set(mine) == {flood.code, traffic.code}
    assert mine[flood.code]["colour"] == Health.UNKNOWN.meta.colour
    assert mine[flood.code]["url"] == f"/cctv/{flood.code}"
    assert set(mine[flood.code]) == {
        "code", "name", "lon", "lat", "direction", "health", "health_label", "colour",
        "purpose_label", "owner_label", "place", "checked", "url",
    }  # fmt: skip
    filtered = client.get("/cctv/peta.json?tujuan=banjir").json()["items"]
    assert flood.code in {item["code"] for item in filtered}
    assert traffic.code not in {item["code"] for item in filtered}
    assert f'href="/cctv/{traffic.code}"' not in client.get("/cctv?tujuan=banjir").text


def _statements(session: Session, call: Callable[[], Any]) -> int:
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(str(args[2]))

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", count)
    try:
        call()
    finally:
        event.remove(connection, "before_cursor_execute", count)
    return len(seen)


def test_the_map_and_its_markers_cost_the_same_queries_for_many_cameras(
    client: TestClient, session: Session
) -> None:
    city_camera(session)
    client.get("/cctv")  # the reference lists are cached from here on
    # Each query string is a page of its own (no shared copy answers it).
    few = _statements(session, lambda: client.get("/cctv?tujuan=lalu_lintas"))
    few_markers = _statements(session, lambda: client.get("/cctv/peta.json?tujuan=lalu_lintas"))
    assert few > 0
    assert few_markers > 0
    for number in range(6):
        city_camera(session, name=f"Simpang uji {number}")
    assert _statements(session, lambda: client.get("/cctv?tujuan=banjir")) == few
    assert _statements(session, lambda: client.get("/cctv/peta.json")) == few_markers


@pytest.mark.parametrize(
    ("lang", "placeholder"), [("id", "Belum ada gambar"), ("en", "No image yet")]
)
def test_a_camera_without_an_image_yet_shows_a_placeholder(
    client: TestClient, session: Session, lang: str, placeholder: str
) -> None:
    camera = city_camera(session, direction_deg=45)
    page = client.get(f"/cctv/{camera.code.lower()}?lang={lang}")
    assert page.status_code == 200
    assert f"<h1>{camera.name}</h1>" in page.text
    assert placeholder in page.text
    assert "/snapshot" not in page.text.split('id="camera-view"', 1)[1].split("</figure>", 1)[0]
    assert ("timur laut (45°)" if lang == "id" else "north-east (45°)") in page.text
    assert page.text.count('class="bar-none"') == 7  # a week without checks
    assert 'data-live="false"' in page.text


def test_a_camera_with_a_thumbnail_shows_it_and_its_uptime(
    client: TestClient, session: Session, app: FastAPI
) -> None:
    camera = city_camera(session)
    result = CheckResult(camera.id, Health.ONLINE, "snapshot", 40.0, "frame 64x36", _jpeg())
    record_checks(session, results=[result], media=app.state.media)
    page = client.get(f"/cctv/{camera.code}")
    image = re.search(r'<img src="(/api/v1/cctv/cameras/CAM-\d+/snapshot\?v=\d+)"', page.text)
    assert image, page.text
    assert client.get(image.group(1)).headers["content-type"] == "image/jpeg"
    assert "100%" in page.text
    assert 'class="bar-good"' in page.text
    status = client.get(f"/cctv/{camera.code}/status.json").json()
    assert status["available"] is True
    assert status["health"] == "online"
    assert status["snapshot_url"] == image.group(1)


@pytest.mark.parametrize(
    "kind", ["internal", "on_request", "diajukan", "dijeda", "ditarik", "unknown"]
)
def test_a_camera_that_is_not_public_is_not_found(
    client: TestClient, session: Session, kind: str
) -> None:
    code = "CAM-9999"
    if kind in ("internal", "on_request"):
        code = city_camera(session, sharing=kind).code
    elif kind != "unknown":
        status = CameraStatus.DIAJUKAN if kind == "diajukan" else CameraStatus.AKTIF
        camera, token = contributed(session, status=status)
        if kind != "diajukan":
            action = "pause" if kind == "dijeda" else "withdraw"
            service.owner_action(session=session, actor=actor(None), token=token, action=action)
        code = camera.code
    page = client.get(f"/cctv/{code}")
    assert page.status_code == 404
    assert "Kamera tidak ditemukan." in page.text
    assert client.get(f"/cctv/{code}/status.json").json() == {"available": False}


@pytest.mark.parametrize(("lang", "heading"), [("id", "Cakupan CCTV"), ("en", "CCTV coverage")])
def test_the_coverage_page_sums_cameras_per_kelurahan(
    client: TestClient, session: Session, lang: str, heading: str
) -> None:
    city_camera(session)
    city_camera(session, sharing="internal")
    page = client.get(f"/cctv/cakupan?lang={lang}")
    assert page.status_code == 200
    assert heading in page.text
    assert '<th scope="rowgroup"' in page.text
    total = re.search(r'<tfoot>.*?<td class="num">(\d+)</td>', page.text, re.DOTALL)
    assert total is not None
    assert int(total.group(1)) >= 2


# --- enrolment ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "button"), [("id", "Kirim pendaftaran kamera"), ("en", "Send the camera enrolment")]
)
def test_the_enrolment_form_works_without_javascript(
    client: TestClient, lang: str, button: str
) -> None:
    page = client.get(f"/cctv/daftar?lang={lang}")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "private, no-store"
    assert button in page.text
    for name in ("lon", "lat", "rtsp_url", "snapshot_url", "owner_name", "consent"):
        assert f'name="{name}"' in page.text
    assert page.text.count('type="radio" id="sharing-') == 3
    assert service.CONSENT_VERSION in page.text
    assert "UU 27/2022" in page.text or "Law 27/2022" in page.text


def test_an_enrolment_creates_a_camera_awaiting_review_and_shows_the_owner_link(
    client: TestClient, session: Session
) -> None:
    response = client.post("/cctv/daftar", data=_enrolment(client), follow_redirects=False)
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/cctv/pemilik/([\w-]+)/terdaftar", response.headers["location"])
    assert match, response.headers["location"]
    token = match.group(1)
    camera = service.owner_camera(session, token)
    assert camera.status is CameraStatus.DIAJUKAN
    assert camera.owner_type.value == "usaha"
    assert camera.organisation == "Toko Kopi Asiang"
    assert camera.direction_deg == 90
    assert camera.rtsp_url == RTSP
    assert camera.owner_phone == "0813-5000-1234"
    receipt = client.get(response.headers["location"])
    assert receipt.status_code == 200
    assert f'id="new-code">{camera.code}<' in receipt.text
    assert f"/cctv/pemilik/{token}</code>" in receipt.text
    assert "Simpan tautan ini sekarang." in receipt.text
    assert receipt.headers["cache-control"] == "private, no-store"
    assert receipt.headers["x-robots-tag"] == "noindex, nofollow"
    assert RTSP not in receipt.text
    assert "0813-5000-1234" not in receipt.text


def test_a_bad_enrolment_keeps_everything_typed_and_names_each_problem(
    client: TestClient, session: Session
) -> None:
    before = _count(session)
    data = _enrolment(
        client, name="x", purpose="", rtsp_url="ftp://kamera", owner_phone="", owner_email=""
    )
    page = client.post("/cctv/daftar", data=data)
    assert page.status_code == 422
    for field in ("name", "purpose", "rtsp_url", "owner_phone"):
        assert f'id="{field}-error"' in page.text, field
    assert 'value="x"' in page.text
    assert 'aria-invalid="true"' in page.text
    assert 'value="ftp://kamera"' in page.text
    assert data["description"] in page.text
    assert 'value="usaha" checked' in page.text
    assert 'name="consent" value="ya" checked' in page.text
    assert _count(session) == before


def test_an_enrolment_without_consent_is_refused(client: TestClient, session: Session) -> None:
    before = _count(session)
    data = _enrolment(client)
    del data["consent"]
    page = client.post("/cctv/daftar", data=data)
    assert page.status_code == 422
    assert 'id="consent-error"' in page.text
    assert "Centang persetujuan" in page.text
    assert data["name"] in page.text
    assert _count(session) == before


def test_form_problems_are_worded_in_english_on_english_pages(client: TestClient) -> None:
    data = _enrolment(client, lon="sebelah pasar", owner_email="bukan-email")
    page = client.post("/cctv/daftar?lang=en", data=data)
    assert page.status_code == 422
    assert "Longitude and latitude must be decimal numbers" in page.text
    assert "The e-mail address is not valid." in page.text
    assert 'value="sebelah pasar"' in page.text
    missing = client.post(
        "/cctv/daftar?lang=en", data=_enrolment(client, lon="", lat="", sharing="")
    )
    assert "Mark the camera&#39;s place on the map" in missing.text
    assert "Choose who may see this camera." in missing.text


def test_a_place_outside_the_city_is_refused(client: TestClient) -> None:
    page = client.post("/cctv/daftar", data=_enrolment(client, lon="106.8456", lat="-6.2088"))
    assert page.status_code == 422
    assert "Lokasi kamera harus di Kota Pontianak." in page.text


def test_enrolments_are_limited_per_client_address(client: TestClient, session: Session) -> None:
    for _ in range(5):
        assert client.post("/cctv/daftar", data=_enrolment(client, name="")).status_code == 422
    page = client.post("/cctv/daftar", data=_enrolment(client))
    assert page.status_code == 429
    assert "paling banyak 5 per jam" in page.text
    assert 'value="Depan Warung Kopi Asiang, Jl. Merdeka"' in page.text  # nothing typed is lost
    body = {
        "name": "Kamera lewat API", "owner_type": "warga", "lon": LON, "lat": LAT,
        "purpose": "banjir", "sharing": "publik", "rtsp_url": RTSP, "owner_name": "Siti",
        "owner_phone": PHONE, "consent": True,
    }  # fmt: skip
    assert client.post("/api/v1/cctv/enrolments", json=body).status_code == 429  # one quota


def test_an_enrolment_without_the_form_token_is_refused(client: TestClient) -> None:
    data = _enrolment(client)
    data["csrf_token"] = "palsu"
    assert client.post("/cctv/daftar", data=data).status_code == 403


# --- the owner's pages -----------------------------------------------------------------------


def _act(client: TestClient, token: str, action: str, **extra: str) -> str:
    data = {"csrf_token": _csrf(client, f"/cctv/pemilik/{token}"), "action": action, **extra}
    response = client.post(f"/cctv/pemilik/{token}/tindakan", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def test_the_owner_page_is_private_and_offers_what_applies(
    client: TestClient, session: Session
) -> None:
    camera, token = contributed(session)
    page = client.get(f"/cctv/pemilik/{token}?lang=en")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "private, no-store"
    assert page.headers["x-robots-tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in page.text
    assert '<meta name="referrer" content="no-referrer">' in page.text
    assert camera.name in page.text
    assert "Active" in page.text
    assert 'id="action-pause"' in page.text
    assert 'id="action-resume"' not in page.text
    assert f'href="/cctv/pemilik/{token}/tarik"' in page.text
    assert RTSP not in page.text
    assert PHONE not in page.text


def test_pausing_resuming_and_withdrawing_take_effect_at_once(
    client: TestClient, session: Session
) -> None:
    camera, token = contributed(session, name="Teras toko yang dijeda")
    assert f'href="/cctv/{camera.code}"' in client.get("/cctv").text
    assert _act(client, token, "pause").endswith("?ok=pause#status")
    assert camera.status is CameraStatus.DIJEDA
    assert f'href="/cctv/{camera.code}"' not in client.get("/cctv").text
    assert client.get(f"/cctv/{camera.code}").status_code == 404
    client.cookies.clear()  # an anonymous visitor gets no shared copy of the old map either
    assert camera.name not in client.get("/cctv").text
    owner = client.get(f"/cctv/pemilik/{token}?ok=pause").text
    assert "Berbagi dijeda." in owner
    assert 'id="action-resume"' in owner

    _act(client, token, "resume")
    assert camera.status is CameraStatus.AKTIF
    assert client.get(f"/cctv/{camera.code}").status_code == 200

    assert _act(client, token, "withdraw").endswith(f"/cctv/pemilik/{token}/tarik")
    assert camera.status is CameraStatus.AKTIF  # not without the confirmation
    confirm = client.get(f"/cctv/pemilik/{token}/tarik")
    assert 'name="confirm" value="ya"' in confirm.text
    _act(client, token, "withdraw", confirm="ya")
    assert camera.status is CameraStatus.DITARIK
    assert camera.rtsp_url is None
    assert "tidak ada (sudah dihapus)" in client.get(f"/cctv/pemilik/{token}").text
    data = {"csrf_token": _csrf(client, "/cctv/daftar"), "action": "resume"}
    refused = client.post(f"/cctv/pemilik/{token}/tindakan", data=data)
    assert refused.status_code == 409
    assert "tidak berlaku untuk status kamera sekarang" in refused.text


def _requested(session: Session, camera: Camera) -> footage.Requested:
    now = utcnow()
    return footage.request_footage(
        session=session, actor=actor(Role.OPERATOR), camera=camera,
        window_start=now - timedelta(days=1, hours=2), window_end=now - timedelta(days=1),
        reason="Tabrak lari di mulut gang, perlu rekaman untuk polisi.", incident_ref="KEJ-2026-7",
    )  # fmt: skip


def test_the_owner_answers_footage_requests_on_the_camera_page(
    client: TestClient, session: Session
) -> None:
    camera, token = contributed(session, sharing="on_request")
    requested = _requested(session, camera)
    page = client.get(f"/cctv/pemilik/{token}")
    assert "Tabrak lari di mulut gang" in page.text
    assert "KEJ-2026-7" in page.text
    assert "1 menunggu jawaban" in page.text
    assert " WIB" in page.text
    data = {
        "csrf_token": _csrf(client, f"/cctv/pemilik/{token}"),
        "answer": "setuju",
        "note": "Silakan ambil sore ini.",
    }
    url = f"/cctv/pemilik/{token}/rekaman/{requested.request.id}"
    response = client.post(url, data=data, follow_redirects=False)
    assert response.status_code == 303
    assert requested.request.status is FootageStatus.DISETUJUI
    assert "Silakan ambil sore ini." in client.get(response.headers["location"]).text
    assert client.post(url, data=data).status_code == 409  # answered already


def test_the_owner_answers_through_the_request_link(client: TestClient, session: Session) -> None:
    camera, _ = contributed(session, sharing="on_request")
    requested = _requested(session, camera)
    path = f"/cctv/rekaman/{requested.answer_token}"
    page = client.get(f"{path}?lang=en")
    assert page.status_code == 200
    assert page.headers["x-robots-tag"] == "noindex, nofollow"
    assert camera.name in page.text
    assert "KEJ-2026-7" in page.text
    assert re.search(r"\d\d-\d\d-\d{4} \d\d:\d\d .+ \d\d:\d\d WIB", page.text)
    data = {"csrf_token": _csrf(client, path), "answer": "tolak"}
    response = client.post(path, data=data, follow_redirects=False)
    assert response.headers["location"] == f"{path}?ok=1"
    assert requested.request.status is FootageStatus.DITOLAK
    assert 'id="answer-agree"' not in client.get(response.headers["location"]).text
    odd = client.post(path, data={**data, "answer": "mungkin"})
    assert odd.status_code == 422


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/cctv/pemilik/tidak-dikenal"),
        ("get", "/cctv/pemilik/tidak-dikenal/terdaftar"),
        ("get", "/cctv/pemilik/tidak-dikenal/tarik"),
        ("post", "/cctv/pemilik/tidak-dikenal/tindakan"),
        ("post", "/cctv/pemilik/tidak-dikenal/rekaman/1"),
        ("get", "/cctv/rekaman/tidak-dikenal"),
        ("post", "/cctv/rekaman/tidak-dikenal"),
    ],
)
def test_unknown_private_links_are_not_found(client: TestClient, method: str, path: str) -> None:
    if method == "get":
        assert client.get(path).status_code == 404
        return
    token = _csrf(client, "/cctv/daftar")
    data = {"csrf_token": token, "action": "pause", "answer": "setuju"}
    assert client.post(path, data=data).status_code == 404


# --- what never appears ------------------------------------------------------------------------


def test_no_stream_address_or_owner_contact_on_any_public_page(demo_database: DemoDatabase) -> None:
    database = Database(demo_database.url)
    try:
        app = create_app(make_settings(demo_database.url), database=database)
        with TestClient(app) as client:
            with database.session(write=False) as session:
                cameras = session.scalars(select(Camera)).all()
                public = [c.code for c in cameras if c.is_shared and c.sharing is Sharing.PUBLIK]
            assert len(public) == 6
            paths = ["/cctv", "/cctv?lang=en", "/cctv/peta.json", "/cctv/cakupan", "/cctv/daftar"]
            paths += [f"/cctv/{code}" for code in public]
            paths += [f"/cctv/{code}/status.json" for code in public]
            for path in paths:
                page = client.get(path)
                assert page.status_code == 200, path
                assert DEMO_HOST not in page.text, path
                assert "demo-" not in page.text, path  # the demo devices' passwords
                for name, phone in OWNERS:
                    assert phone not in page.text, path
                    assert name not in page.text, path
    finally:
        database.dispose()
