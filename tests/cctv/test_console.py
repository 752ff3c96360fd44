"""The CCTV staff console over HTTP: who may open which page and do what, the registry and
the wall a PD officer sees, registering and correcting cameras through the forms, review,
status, audited readings of secrets, footage requests and the viewing log."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from pontive.cctv import access, service, service_health
from pontive.cctv.choices import (
    CameraStatus,
    FootageStatus,
    Health,
    OwnerType,
    Sharing,
)
from pontive.cctv.models import Camera, CameraView, FootageRequest
from pontive.core.audit import AuditEvent
from pontive.core.choices import LabelledChoice
from pontive.core.roles import Role
from pontive.core.timeutil import WIB, utcnow
from tests.cctv.support import LAT, LON, actor, city_camera, contributed
from tests.conftest import login

CONSOLE = "/console/cctv"
HTML = {"Accept": "text/html"}
CSS = Path(__file__).resolve().parents[2] / "src/pontive/web/static/cctv/console_cctv.css"
RTSP = "rtsp://admin:rahasia-123@10.20.0.7:554/stream1"


def sign_in(client: TestClient, make_user: Any, role: Role, pd: str | None = None) -> None:
    """A new user of ``role`` signed in on ``client``."""
    user = make_user(role, pd_kode=pd)
    login(client, user.username)


def csrf(client: TestClient, path: str = CONSOLE) -> str:
    """The session's CSRF token, read from a page's forms."""
    page = client.get(path, headers=HTML)
    return page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def post(client: TestClient, path: str, data: dict[str, str], **kwargs: Any) -> Any:
    """A console form post with the session's CSRF token."""
    return client.post(
        path, data={"csrf_token": csrf(client), **data}, follow_redirects=False, **kwargs
    )


def audit_actions(session: Session, code: str) -> list[str]:
    """The audit trail's actions about the camera ``code``, oldest first."""
    query = select(AuditEvent.action).where(AuditEvent.object_id == code)
    return list(session.scalars(query.order_by(AuditEvent.id)))


@pytest.fixture
def cameras(session: Session) -> dict[str, Camera]:
    """A small network: public, internal of two PDs, on request, paused, awaiting review."""
    network = {
        "public": city_camera(session, name="Bundaran Digulis", pd_kode="pupr"),
        "dishub": city_camera(session, name="Jembatan Kapuas I", sharing="internal"),
        "bpbd": city_camera(session, name="Genangan Hasanuddin", sharing="internal",
                            pd_kode="bpbd", purpose="banjir"),
        "paused": city_camera(session, name="Pasar Flamboyan", sharing="publik"),
    }  # fmt: skip
    service.set_status(
        session=session, actor=actor(Role.OPERATOR), camera=network["paused"],
        status=CameraStatus.DIJEDA, reason="Perbaikan tiang",
    )  # fmt: skip
    network["on_request"], _token = contributed(
        session, name="Gang Mawar", sharing="on_request", privacy_mask="di_kamera"
    )
    network["enrolled"], _token = contributed(
        session, name="Depan rumah Jl. Tanjung Raya", status=CameraStatus.DIAJUKAN,
        privacy_mask="di_kamera",
    )  # fmt: skip
    return network


# --- who may open what ---------------------------------------------------------------------

PAGES = ("", "/baru", "/dinding", "/rekaman", "/tayangan", "/cakupan", "/{public}")
ACCESS = {
    Role.OPERATOR: (200, 200, 200, 200, 403, 200, 200),
    Role.TIM_TEKNIS: (200, 200, 200, 403, 200, 200, 200),
    Role.ADMIN: (200, 200, 200, 200, 200, 200, 200),
    Role.PETUGAS_PD: (200, 403, 200, 403, 403, 200, 200),
    Role.DEWAN: (200, 403, 200, 403, 403, 200, 200),
    Role.WALIKOTA: (200, 403, 200, 403, 403, 200, 200),
    Role.WARGA: (403, 403, 403, 403, 403, 403, 403),
}


@pytest.mark.parametrize("role", list(ACCESS), ids=lambda role: role.value)
def test_console_pages_by_role(
    client: TestClient, make_user: Any, cameras: dict[str, Camera], role: Role
) -> None:
    sign_in(client, make_user, role, "dishub" if role is Role.PETUGAS_PD else None)
    paths = [CONSOLE + p.format(public=cameras["public"].code) for p in PAGES]
    statuses = tuple(client.get(path, headers=HTML).status_code for path in paths)
    assert statuses == ACCESS[role]


def test_anonymous_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    for path in (CONSOLE, f"{CONSOLE}/dinding", f"{CONSOLE}/tayangan"):
        response = client.get(path, headers=HTML, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == f"/masuk?next={path}"


def test_the_console_home_shows_the_cctv_cards_to_staff(client: TestClient, make_user: Any) -> None:
    sign_in(client, make_user, Role.DEWAN)
    home = client.get("/console/", headers=HTML).text
    assert f'href="{CONSOLE}"' in home
    assert f'href="{CONSOLE}/dinding"' in home


def test_a_pd_officer_sees_the_pds_own_and_public_cameras_only(
    client: TestClient, make_user: Any, cameras: dict[str, Camera]
) -> None:
    sign_in(client, make_user, Role.PETUGAS_PD, "dishub")
    registry = client.get(CONSOLE, headers=HTML).text
    shown = set(re.findall(r'<tr data-code="(CAM-\d+)"', registry))
    assert cameras["dishub"].code in shown
    assert cameras["public"].code in shown
    assert cameras["bpbd"].code not in shown
    assert client.get(f"{CONSOLE}/{cameras['bpbd'].code}", headers=HTML).status_code == 404
    page = client.get(f"{CONSOLE}/{cameras['dishub'].code}", headers=HTML).text
    assert f"{CONSOLE}/{cameras['dishub'].code}/ubah" not in page  # no edit for officers
    assert f"{CONSOLE}/{cameras['dishub'].code}/status" not in page
    assert "/tinjau" not in page


def test_the_registry_counts_filters_and_maps_the_cameras(
    client: TestClient, make_user: Any, cameras: dict[str, Camera], session: Session
) -> None:
    service_health.record_checks(session, results=[
        service_health.CheckResult(cameras["public"].id, Health.ONLINE, "snapshot", 40.0, "ok"),
        service_health.CheckResult(cameras["dishub"].id, Health.OFFLINE, "rtsp", None, "timeout"),
    ])  # fmt: skip
    sign_in(client, make_user, Role.OPERATOR)
    page = client.get(CONSOLE, headers=HTML).text
    assert re.search(r'id="count-active">4<', page)  # public, dishub, bpbd, on request
    assert re.search(r'id="count-online">1<', page)
    assert re.search(r'id="count-pending">1<', page)
    assert f'href="{CONSOLE}/{cameras["enrolled"].code}#tinjau"' in page
    offline = client.get(CONSOLE, params={"health": "offline"}, headers=HTML).text
    assert re.findall(r'<tr data-code="(CAM-\d+)"', offline) == [cameras["dishub"].code]
    public = client.get(CONSOLE, params={"sharing": "publik", "status": "aktif"}, headers=HTML)
    assert set(re.findall(r'<tr data-code="(CAM-\d+)"', public.text)) == {cameras["public"].code}
    # The map's data: every listed camera with its health, nothing secret.
    assert "&#34;health&#34;: &#34;online&#34;" in public.text
    assert "rtsp://" not in page
    assert "Siti Aminah" not in page
    assert client.get(CONSOLE, params={"health": "bukan"}, headers=HTML).status_code == 200


def test_registering_a_camera_through_the_form(
    client: TestClient, make_user: Any, session: Session
) -> None:
    sign_in(client, make_user, Role.TIM_TEKNIS)
    assert 'name="rtsp_url"' in client.get(f"{CONSOLE}/baru", headers=HTML).text
    response = post(client, f"{CONSOLE}/baru", {
        "name": "Simpang Jl. Ahmad Yani — Jl. Sutan Syahrir", "owner_type": "pd",
        "pd_kode": "dishub", "purpose": "lalu_lintas", "sharing": "internal",
        "privacy_mask": "tidak_perlu", "lat": f"{LAT}", "lon": f"{LON}".replace(".", ","),
        "direction_deg": "90", "rtsp_url": RTSP, "description": "Tiang lampu sisi timur.",
    })  # fmt: skip
    assert response.status_code == 303
    match = re.fullmatch(rf"{CONSOLE}/(CAM-\d+)\?ok=registered", response.headers["location"])
    assert match
    camera = service.get_camera(session, match.group(1))
    assert camera.status is CameraStatus.AKTIF
    assert camera.rtsp_url == RTSP
    assert camera.pd_kode == "dishub"
    assert camera.direction_deg == 90
    assert "cctv.camera_registered" in audit_actions(session, camera.code)
    shown = client.get(response.headers["location"], headers=HTML).text
    assert "Kamera terdaftar dan langsung aktif." in shown
    assert RTSP not in shown  # the address is stored, never shown unasked


def test_refused_camera_forms_keep_what_was_typed(client: TestClient, make_user: Any) -> None:
    sign_in(client, make_user, Role.OPERATOR)
    typed = {
        "name": "Pos Jaga Parit Tokaya", "owner_type": "pemkot", "purpose": "banjir",
        "sharing": "publik", "privacy_mask": "tidak_perlu", "lat": "utara", "lon": "109.34",
        "snapshot_url": "http://10.1.2.3/snap.jpg",
    }  # fmt: skip
    first = post(client, f"{CONSOLE}/baru", typed)
    assert first.status_code == 422
    assert 'value="Pos Jaga Parit Tokaya"' in first.text
    assert 'value="utara"' in first.text
    assert 'id="f-location-error"' in first.text
    assert 'value="http://10.1.2.3/snap.jpg"' in first.text
    second = post(client, f"{CONSOLE}/baru", typed | {
        "name": "Po", "purpose": "", "lat": str(LAT), "lon": str(LON), "snapshot_url": "",
        "rtsp_url": "ftp://kamera",
    })  # fmt: skip
    assert second.status_code == 422
    for field in ("name", "purpose", "rtsp_url"):
        assert f'id="f-{field}-error"' in second.text, field
    assert 'value="Po"' in second.text
    assert 'value="ftp://kamera"' in second.text
    assert '<option value="banjir" ' not in second.text.split('name="purpose"')[1][:60]
    assert '<option value="pemkot" selected' in second.text


def test_an_empty_address_field_keeps_the_stored_address(
    client: TestClient, make_user: Any, cameras: dict[str, Camera], session: Session
) -> None:
    camera = cameras["dishub"]
    sign_in(client, make_user, Role.TIM_TEKNIS)
    page = client.get(f"{CONSOLE}/{camera.code}", headers=HTML).text
    assert RTSP not in page
    assert 'name="clear_rtsp_url"' in page
    form = {
        "name": "Jembatan Kapuas I — sisi Tanjung Hulu", "owner_type": "pd", "pd_kode": "dishub",
        "purpose": "lalu_lintas", "sharing": "internal", "privacy_mask": "tidak_perlu",
        "lat": str(camera.lat), "lon": str(camera.lon), "direction_deg": "225",
    }  # fmt: skip
    saved = post(client, f"{CONSOLE}/{camera.code}/ubah", form)
    assert saved.status_code == 303, saved.text
    session.refresh(camera)
    assert camera.name == "Jembatan Kapuas I — sisi Tanjung Hulu"
    assert camera.rtsp_url == RTSP
    snapshot = "http://10.20.0.7/cgi-bin/snapshot.jpg"
    form |= {"clear_rtsp_url": "1", "snapshot_url": snapshot}
    assert post(client, f"{CONSOLE}/{camera.code}/ubah", form).status_code == 303
    session.refresh(camera)
    assert camera.rtsp_url is None
    assert camera.snapshot_url == snapshot
    # Removing the only address is refused, with the form kept.
    refused = post(client, f"{CONSOLE}/{camera.code}/ubah", form | {
        "snapshot_url": "", "clear_snapshot_url": "1", "name": "Jembatan Kapuas Satu",
    })  # fmt: skip
    assert refused.status_code == 422
    assert 'id="f-streams-error"' in refused.text
    assert 'value="Jembatan Kapuas Satu"' in refused.text
    session.refresh(camera)
    assert camera.snapshot_url == snapshot


def test_showing_the_addresses_is_audited(
    client: TestClient, make_user: Any, cameras: dict[str, Camera], session: Session
) -> None:
    camera = cameras["dishub"]
    sign_in(client, make_user, Role.OPERATOR)
    assert "cctv.streams_read" not in audit_actions(session, camera.code)
    shown = post(client, f"{CONSOLE}/{camera.code}/alamat", {})
    assert shown.status_code == 200
    assert shown.headers["cache-control"] == "private, no-store"
    assert f'value="{RTSP}"' in shown.text  # in the edit form, ready to correct
    assert 'id="streams-shown"' in shown.text
    assert audit_actions(session, camera.code).count("cctv.streams_read") == 1
    assert RTSP not in client.get(f"{CONSOLE}/{camera.code}", headers=HTML).text


def test_showing_an_owners_contact_is_audited_and_for_reviewers_only(
    client: TestClient, make_user: Any, cameras: dict[str, Camera], session: Session
) -> None:
    camera = cameras["enrolled"]
    sign_in(client, make_user, Role.TIM_TEKNIS)
    page = client.get(f"{CONSOLE}/{camera.code}", headers=HTML).text
    assert f"{camera.code}/kontak" not in page
    assert post(client, f"{CONSOLE}/{camera.code}/kontak", {}).status_code == 403
    client.post("/keluar", data={"csrf_token": csrf(client)})
    sign_in(client, make_user, Role.OPERATOR)
    page = client.get(f"{CONSOLE}/{camera.code}", headers=HTML).text
    assert "Siti Aminah" not in page
    assert f"{camera.code}/kontak" in page
    shown = post(client, f"{CONSOLE}/{camera.code}/kontak", {})
    assert shown.status_code == 200
    assert "Siti Aminah" in shown.text
    assert "0812-3456-7890" in shown.text
    assert audit_actions(session, camera.code).count("cctv.owner_contact_read") == 1


def test_an_enrolled_camera_is_rejected_with_a_reason_or_approved(
    client: TestClient, make_user: Any, cameras: dict[str, Camera], session: Session
) -> None:
    camera = cameras["enrolled"]
    sign_in(client, make_user, Role.OPERATOR)
    page = client.get(f"{CONSOLE}/{camera.code}", headers=HTML).text
    assert 'id="tinjau"' in page
    refused = post(client, f"{CONSOLE}/{camera.code}/tinjau", {"decision": "reject"})
    assert refused.status_code == 422
    assert 'id="rv-reason-error"' in refused.text
    assert service.get_camera(session, camera.code).status is CameraStatus.DIAJUKAN
    approved = post(
        client, f"{CONSOLE}/{camera.code}/tinjau", {"decision": "approve", "pd_kode": "bpbd"}
    )
    assert approved.headers["location"] == f"{CONSOLE}/{camera.code}?ok=approved"
    session.refresh(camera)
    assert camera.status is CameraStatus.AKTIF
    assert camera.pd_kode == "bpbd"
    again = post(client, f"{CONSOLE}/{camera.code}/tinjau", {"decision": "approve"})
    assert again.status_code == 409  # not awaiting review any more


def test_a_rejection_keeps_its_reason(
    client: TestClient, make_user: Any, cameras: dict[str, Camera], session: Session
) -> None:
    camera = cameras["enrolled"]
    sign_in(client, make_user, Role.ADMIN)
    reason = "Kamera menghadap jendela rumah tetangga."
    rejected = post(client, f"{CONSOLE}/{camera.code}/tinjau", {
        "decision": "reject", "reason": reason,
    })  # fmt: skip
    assert rejected.headers["location"] == f"{CONSOLE}/{camera.code}?ok=rejected"
    session.refresh(camera)
    assert camera.status is CameraStatus.DITOLAK
    assert camera.status_reason == reason
    assert reason in client.get(rejected.headers["location"], headers=HTML).text
    assert "cctv.camera_rejected" in audit_actions(session, camera.code)


def test_staff_pause_resume_and_retire_a_camera(
    client: TestClient, make_user: Any, cameras: dict[str, Camera], session: Session
) -> None:
    camera = cameras["public"]
    sign_in(client, make_user, Role.OPERATOR)
    page = client.get(f"{CONSOLE}/{camera.code}", headers=HTML).text
    assert 'value="dijeda"' in page
    assert 'value="nonaktif"' in page
    for target in (CameraStatus.DIJEDA, CameraStatus.AKTIF, CameraStatus.NONAKTIF):
        moved = post(client, f"{CONSOLE}/{camera.code}/status", {
            "status": target.value, "reason": "Pemeliharaan rutin",
        })  # fmt: skip
        assert moved.headers["location"] == f"{CONSOLE}/{camera.code}?ok=status"
        session.refresh(camera)
        assert camera.status is target
    assert post(client, f"{CONSOLE}/{camera.code}/status", {"status": "ditarik"}).status_code == 422


def test_staff_are_not_offered_to_resume_a_contributed_camera_its_owner_paused(
    client: TestClient, make_user: Any, session: Session
) -> None:
    camera, _token = contributed(session, status=CameraStatus.DIJEDA, privacy_mask="di_kamera")
    sign_in(client, make_user, Role.OPERATOR)
    page = client.get(f"{CONSOLE}/{camera.code}", headers=HTML).text
    assert 'name="status" value="aktif"' not in page
    assert 'name="status" value="nonaktif"' in page
    assert "hanya dapat dilanjutkan oleh pemiliknya" in page


def _local(moment: datetime) -> str:
    return moment.astimezone(WIB).strftime("%Y-%m-%dT%H:%M")


def test_a_footage_request_shows_the_owners_answer_link_once(
    client: TestClient, make_user: Any, cameras: dict[str, Camera], session: Session
) -> None:
    camera = cameras["on_request"]
    sign_in(client, make_user, Role.OPERATOR)
    page = client.get(f"{CONSOLE}/{camera.code}", headers=HTML).text
    assert f"{camera.code}/rekaman" in page
    start = (utcnow() - timedelta(hours=5)).replace(second=0, microsecond=0)
    sent = post(client, f"{CONSOLE}/{camera.code}/rekaman", {
        "window_start": _local(start), "window_end": _local(start + timedelta(hours=2)),
        "reason": "Laporan pencurian helm di mulut gang.", "complaint_tracking": "ptk-2026-000123",
    })  # fmt: skip
    assert sent.status_code == 201, sent.text
    link = re.search(r'id="answer-link">(http[^<]+/cctv/rekaman/([\w-]+))<', sent.text)
    assert link, sent.text
    request = session.scalars(select(FootageRequest).where(
        FootageRequest.camera_id == camera.id)).one()  # fmt: skip
    assert request.token_hash == service.secret_hash(link.group(2))
    assert request.window_start == start  # typed in WIB, stored in UTC
    assert request.window_end == start + timedelta(hours=2)
    assert request.complaint_tracking == "PTK-2026-000123"
    listing = client.get(f"{CONSOLE}/rekaman", headers=HTML).text
    assert link.group(2) not in listing  # shown once, then never again
    assert f'data-request="{request.id}"' in listing


def test_a_refused_footage_request_keeps_what_was_typed(
    client: TestClient, make_user: Any, cameras: dict[str, Camera]
) -> None:
    camera = cameras["on_request"]
    sign_in(client, make_user, Role.OPERATOR)
    refused = post(client, f"{CONSOLE}/{camera.code}/rekaman", {
        "window_start": _local(utcnow() - timedelta(hours=3)), "window_end": "kemarin",
        "reason": "Cek rekaman",
    })  # fmt: skip
    assert refused.status_code == 422
    assert 'id="fr-window_end-error"' in refused.text
    start = _local(utcnow() - timedelta(hours=3))
    unlinked = post(client, f"{CONSOLE}/{camera.code}/rekaman", {
        "window_start": start, "window_end": _local(utcnow() - timedelta(hours=2)),
        "reason": "Pencurian sepeda motor dilaporkan warga.",
    })  # fmt: skip
    assert unlinked.status_code == 422
    assert 'id="fr-complaint_tracking-error"' in unlinked.text
    assert f'value="{start}"' in unlinked.text
    assert "Pencurian sepeda motor dilaporkan warga." in unlinked.text
    # Cameras with a live view get no footage form.
    public = client.get(f"{CONSOLE}/{cameras['public'].code}", headers=HTML).text
    assert "/rekaman" not in public.split('id="image-heading"')[1].split("ubah")[0]


def test_a_waiting_footage_request_can_be_withdrawn(
    client: TestClient, make_user: Any, cameras: dict[str, Camera], session: Session
) -> None:
    from pontive.cctv import footage

    requested = footage.request_footage(
        session=session, actor=actor(Role.OPERATOR), camera=cameras["on_request"],
        window_start=utcnow() - timedelta(hours=4), window_end=utcnow() - timedelta(hours=3),
        reason="Dugaan pembuangan sampah liar.", incident_ref="KEJ-2026-0099",
    )  # fmt: skip
    sign_in(client, make_user, Role.OPERATOR)
    listing = client.get(f"{CONSOLE}/rekaman", headers=HTML).text
    assert "KEJ-2026-0099" in listing
    path = f"{CONSOLE}/rekaman/{requested.request.id}/batalkan"
    assert path in listing
    assert post(client, path, {}).headers["location"] == f"{CONSOLE}/rekaman?ok=cancelled"
    session.refresh(requested.request)
    assert requested.request.status is FootageStatus.DIBATALKAN
    assert post(client, path, {}).status_code == 409
    assert path not in client.get(f"{CONSOLE}/rekaman", headers=HTML).text


def _wall_codes(client: TestClient, **params: Any) -> list[str]:
    page = client.get(f"{CONSOLE}/dinding", params=params, headers=HTML).text
    return re.findall(r'<li class="cv-tile" data-cv-viewer data-code="(CAM-\d+)"', page)


def test_the_wall_offers_only_the_cameras_the_viewer_may_watch(
    client: TestClient, make_user: Any, cameras: dict[str, Camera], session: Session
) -> None:
    service_health.record_checks(session, results=[
        service_health.CheckResult(cameras["dishub"].id, Health.ONLINE, "rtsp", 20.0, "ok"),
    ])  # fmt: skip
    sign_in(client, make_user, Role.PETUGAS_PD, "dishub")
    # Online first; no other PD's internal camera, no paused or on-request one.
    assert _wall_codes(client) == [cameras["dishub"].code, cameras["public"].code]
    asked = [cameras["bpbd"].code, cameras["public"].code]
    assert _wall_codes(client, cam=asked, grid=3) == [cameras["public"].code]
    client.post("/keluar", data={"csrf_token": csrf(client)})
    sign_in(client, make_user, Role.DEWAN)
    assert _wall_codes(client) == [cameras["public"].code]
    client.post("/keluar", data={"csrf_token": csrf(client)})
    sign_in(client, make_user, Role.OPERATOR)
    codes = _wall_codes(client)
    assert codes[0] == cameras["dishub"].code
    assert set(codes) == {cameras[k].code for k in ("dishub", "bpbd", "public")}
    page = client.get(f"{CONSOLE}/dinding", params={"grid": 4}, headers=HTML).text
    assert 'class="cv-wall-grid cv-wall-4"' in page
    assert page.count('class="cv-tile cv-tile-empty"') == 13


def test_opening_a_wall_tile_records_a_view_until_it_closes(
    client: TestClient, make_user: Any, cameras: dict[str, Camera], session: Session
) -> None:
    code = cameras["dishub"].code
    sign_in(client, make_user, Role.OPERATOR)
    page = client.get(f"{CONSOLE}/dinding", headers=HTML).text
    token = page.split('<meta name="csrf-token" content="', 1)[1].split('"', 1)[0]
    url = f"/api/v1/cctv/cameras/{code}/views?via=wall"
    assert client.post(url).status_code == 403  # a cookie session's write needs the token
    opened = client.post(url, headers={"X-CSRF-Token": token})
    assert opened.status_code == 201
    view = session.get(CameraView, opened.json()["view"])
    assert view is not None
    assert (view.camera_code, view.via, view.allowed, view.ended_at) == (code, "wall", True, None)
    ended = client.post(f"/api/v1/cctv/views/{view.id}/end", headers={"X-CSRF-Token": token})
    assert ended.json() == {"closed": True}
    session.refresh(view)
    assert view.ended_at is not None
    public = client.post(
        f"/api/v1/cctv/cameras/{cameras['public'].code}/views?via=wall",
        headers={"X-CSRF-Token": token},
    )
    assert public.json() == {"view": None}  # public cameras: nothing to record


def test_the_camera_page_opens_a_view_only_when_there_is_something_to_see(
    app: FastAPI, client: TestClient, make_user: Any, cameras: dict[str, Camera],
    session: Session,
) -> None:  # fmt: skip
    camera = cameras["dishub"]
    sign_in(client, make_user, Role.OPERATOR)
    page = client.get(f"{CONSOLE}/{camera.code}", headers=HTML).text
    assert 'data-opens-view="false"' in page  # no image yet: no view opened for nothing
    assert "Belum ada gambar dari kamera ini" in page
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 64 + b"\xff\xd9"
    service_health.record_checks(session, results=[service_health.CheckResult(
        camera.id, Health.ONLINE, "snapshot", 30.0, "ok", snapshot=jpeg)],
        media=app.state.media)  # fmt: skip
    page = client.get(f"{CONSOLE}/{camera.code}", headers=HTML).text
    assert 'data-opens-view="true"' in page
    assert 'data-has-snapshot="true"' in page
    token = page.split('<meta name="csrf-token" content="', 1)[1].split('"', 1)[0]
    view = client.post(
        f"/api/v1/cctv/cameras/{camera.code}/views?via=page", headers={"X-CSRF-Token": token}
    ).json()["view"]
    image = client.get(f"/api/v1/cctv/cameras/{camera.code}/snapshot?view={view}&t=1")
    assert image.content == jpeg
    assert session.scalars(select(CameraView).where(CameraView.camera_id == camera.id)).all()
    on_request = client.get(f"{CONSOLE}/{cameras['on_request'].code}", headers=HTML).text
    assert "data-cv-viewer" not in on_request
    assert "tidak ada tayangan langsung" in on_request


def test_the_viewing_log_shows_views_and_refusals_by_camera(
    client: TestClient, make_user: Any, cameras: dict[str, Camera], session: Session
) -> None:
    dishub, bpbd = cameras["dishub"].code, cameras["bpbd"].code
    officer = actor(Role.PETUGAS_PD, pd="dishub", number=41)
    access.watch(session, actor=officer, camera_code=dishub, via=access.Via.WALL)
    access.watch(session, actor=officer, camera_code=bpbd, via=access.Via.PAGE)
    sign_in(client, make_user, Role.TIM_TEKNIS)
    log = client.get(f"{CONSOLE}/tayangan", headers=HTML).text
    assert 'data-allowed="true"' in log
    assert 'data-allowed="false"' in log
    assert "Kamera internal Perangkat Daerah lain." in log
    assert "masih berlangsung" in log
    only = client.get(f"{CONSOLE}/tayangan", params={"camera": bpbd}, headers=HTML).text
    assert re.findall(r'<span class="code muted small">(CAM-\d+)</span>', only) == [bpbd]
    assert "dinding video" not in only.split("<tbody>")[1]


def test_coverage_lists_every_kelurahan(client: TestClient, make_user: Any) -> None:
    sign_in(client, make_user, Role.WALIKOTA)
    page = client.get(f"{CONSOLE}/cakupan", headers=HTML).text
    assert page.count("<tr data-kode=") >= 29  # Kota Pontianak's kelurahan
    assert "Cakupan CCTV per Kelurahan" in page


def test_console_pages_speak_english_when_asked(
    client: TestClient, make_user: Any, cameras: dict[str, Camera]
) -> None:
    sign_in(client, make_user, Role.ADMIN)
    for path, title in ((CONSOLE, "CCTV Camera Registry"), ("/dinding", "CCTV Video Wall"),
                        ("/tayangan", "Camera Viewing Log"), ("/rekaman", "Footage Requests"),
                        ("/cakupan", "CCTV Coverage by Kelurahan")):  # fmt: skip
        full = path if path.startswith("/console") else CONSOLE + path
        page = client.get(full, params={"lang": "en"}, headers=HTML).text
        assert title in page.split("<h1", 1)[1].split("</h1>", 1)[0], path
        assert "cctv.cc." not in page  # no key without its text
    for camera in cameras.values():  # every state's page: review, footage, status forms
        page = client.get(f"{CONSOLE}/{camera.code}", params={"lang": "en"}, headers=HTML).text
        assert "cctv.cc." not in page, camera.status
        assert "Edit camera details" in page
    on_request = client.get(f"{CONSOLE}/{cameras['on_request'].code}?lang=en", headers=HTML)
    assert "On-request camera: no live view" in on_request.text
    assert "Request footage" in on_request.text


CHOICE_CLASSES = {
    "cv-st": CameraStatus, "cv-he": Health, "cv-sh": Sharing, "cv-ot": OwnerType,
    "cv-fs": FootageStatus,
}  # fmt: skip


@pytest.mark.parametrize("prefix", list(CHOICE_CLASSES))
def test_badge_colours_are_those_of_the_choices(prefix: str) -> None:
    css = CSS.read_text(encoding="utf-8")
    member: LabelledChoice
    for member in CHOICE_CLASSES[prefix]:
        rule = re.search(rf"\.{prefix}-{member.value} \{{ background: (#[0-9a-f]{{6}}); \}}", css)
        assert rule, f"{prefix}-{member.value} has no badge colour"
        assert rule.group(1) == member.meta.colour.lower()


def test_list_pages_do_not_query_once_per_camera(
    client: TestClient, make_user: Any, session: Session
) -> None:
    sign_in(client, make_user, Role.OPERATOR)
    city_camera(session, sharing="internal")

    def selects(path: str) -> int:
        seen: list[str] = []

        def listen(*args: Any) -> None:
            if args[2].lstrip().upper().startswith("SELECT"):
                seen.append(args[2])

        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", listen)
        try:
            assert client.get(path, headers=HTML).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listen)
        return len(seen)

    paths = (CONSOLE, f"{CONSOLE}/dinding", f"{CONSOLE}/rekaman", f"{CONSOLE}/cakupan")
    for path in paths:
        selects(path)  # warm the reference lists' cache
    few = {path: selects(path) for path in paths}
    for number in range(6):
        city_camera(session, name=f"Kamera uji {number}", sharing="internal")
    assert {path: selects(path) for path in paths} == few
