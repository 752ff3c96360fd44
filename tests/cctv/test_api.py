"""The native CCTV API: public and staff views, registering, enrolling, reviewing, coverage."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.core.roles import Role
from tests.cctv.support import LAT, LON, city_camera, contributed

API = "/api/v1/cctv"
SECRETS = ("rahasia-123", "10.20.0.7", "Siti", "0812")


def camera_body(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Simpang Jl. Tanjungpura", "owner_type": "pd", "pd_kode": "dishub",
        "lon": LON, "lat": LAT, "direction_deg": 180, "purpose": "lalu_lintas",
        "sharing": "publik", "privacy_mask": "tidak_perlu",
        "rtsp_url": "rtsp://admin:rahasia-123@10.20.0.7:554/stream1",
    } | overrides  # fmt: skip


def test_the_api_is_documented(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {f"{API}/cameras", f"{API}/enrolments", f"{API}/coverage"} <= set(paths)
    assert f"{API}/mediamtx/auth" not in paths  # a machine callback, not an API


def test_the_public_see_public_cameras_only_and_no_secrets(
    client: TestClient, session: Session
) -> None:
    public = city_camera(session)
    internal = city_camera(session, sharing="internal")
    contributed(session)
    answer = client.get(f"{API}/cameras")
    codes = {item["code"] for item in answer.json()}
    assert public.code in codes
    assert internal.code not in codes
    assert client.get(f"{API}/cameras/{internal.code}").status_code == 404
    for text in (answer.text, client.get(f"{API}/cameras/{public.code}").text):
        assert not any(secret in text for secret in SECRETS)
        assert "status" not in client.get(f"{API}/cameras/{public.code}").json()


def test_staff_register_and_read_the_registry(client: TestClient, bearer) -> None:  # type: ignore[no-untyped-def]
    operator = bearer(Role.OPERATOR)
    created = client.post(f"{API}/cameras", json=camera_body(sharing="internal"), headers=operator)
    assert created.status_code == 201, created.text
    camera = created.json()
    assert camera["status"] == "aktif"
    assert camera["streams"] == ["rtsp_url"]
    assert "rahasia" not in created.text
    registry = client.get(f"{API}/cameras", headers=operator).json()
    assert camera["code"] in {item["code"] for item in registry}
    revealed = client.post(f"{API}/cameras/{camera['code']}/streams", headers=operator).json()
    assert revealed["rtsp_url"].startswith("rtsp://admin:rahasia-123@")
    officer = bearer(Role.PETUGAS_PD, pd_kode="bpbd")
    refused = client.post(f"{API}/cameras/{camera['code']}/streams", headers=officer)
    assert refused.status_code == 403
    bad = client.post(f"{API}/cameras", json=camera_body(lon=106.8, lat=-6.2), headers=operator)
    assert bad.status_code == 422
    assert "location" in bad.json()["errors"]
    assert (
        client.post(f"{API}/cameras", json=camera_body(), headers=bearer(Role.DEWAN)).status_code
        == 403
    )


def test_citizens_enrol_and_staff_review(client: TestClient, session: Session, bearer) -> None:  # type: ignore[no-untyped-def]
    body = camera_body(
        owner_type="warga", pd_kode=None, sharing="on_request", owner_name="Siti Aminah",
        owner_phone="0812-3456-7890", consent=True,
    )  # fmt: skip
    receipt = client.post(f"{API}/enrolments", json=body)
    assert receipt.status_code == 201, receipt.text
    code, link = receipt.json()["code"], receipt.json()["owner_link"]
    assert receipt.json()["status"] == "diajukan"
    assert link.startswith("/cctv/pemilik/")
    refused = client.post(f"{API}/enrolments", json=body | {"consent": False})
    assert refused.status_code == 422
    assert "consent" in refused.json()["errors"]
    operator = bearer(Role.OPERATOR)
    contact = client.post(f"{API}/cameras/{code}/owner", headers=operator).json()
    assert contact["phone"] == "0812-3456-7890"
    approved = client.post(f"{API}/cameras/{code}/review", json={"approve": True}, headers=operator)
    assert approved.json()["status"] == "aktif"
    token = link.rsplit("/", 1)[1]
    paused = client.post(f"{API}/owner/{token}/pause")
    assert paused.status_code == 200
    assert client.post(f"{API}/owner/{token}/pause").status_code == 409
    assert client.post(f"{API}/owner/nope/pause").status_code == 404


def test_enrolments_are_rate_limited_per_address(client: TestClient) -> None:
    body = camera_body(owner_type="warga", owner_name="A", owner_phone="1", consent=True)
    statuses = [client.post(f"{API}/enrolments", json=body).status_code for _ in range(6)]
    assert statuses == [201] * 5 + [429]


def test_coverage_counts_cameras_per_kelurahan(client: TestClient, session: Session) -> None:
    camera = city_camera(session)
    rows = {row["kode"]: row for row in client.get(f"{API}/coverage").json()}
    assert camera.kelurahan_kode in rows
    row = rows[camera.kelurahan_kode]
    assert (row["cameras"], row["public"], row["online"]) == (1, 1, 0)
    assert len(rows) >= 29  # every kelurahan of the city is listed


def test_the_player_url_needs_a_restreamer(client: TestClient, session: Session) -> None:
    camera = city_camera(session)
    stream = client.get(f"{API}/cameras/{camera.code}/stream").json()
    assert stream["hls_url"] is None  # no restreamer configured in the tests
    assert stream["snapshot_url"] == f"{API}/cameras/{camera.code}/snapshot"
    assert client.get(f"{API}/cameras/{camera.code}/snapshot").status_code == 404  # none yet


def test_the_viewing_log_is_for_its_readers(client: TestClient, bearer) -> None:  # type: ignore[no-untyped-def]
    assert client.get(f"{API}/views", headers=bearer(Role.ADMIN)).status_code == 200
    assert client.get(f"{API}/views", headers=bearer(Role.OPERATOR)).status_code == 403
    assert client.get(f"{API}/views").status_code in (401, 403)
