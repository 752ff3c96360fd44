"""The native complaints API: public and staff views, the workflow, the catalogue, errors."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.complaints.choices import ComplaintStatus
from pontive.complaints.models import Complaint
from pontive.complaints.ratelimit import SlidingWindowLimiter
from pontive.complaints.service import Upload
from pontive.core.audit import AuditEvent
from pontive.core.identity import system_actor
from pontive.core.roles import Role
from tests.complaints.conftest import GAJAH_MADA, jpeg_bytes

S = ComplaintStatus
API = "/api/v1/complaints"
CONTACT = {"is_anonymous": False, "name": "Ahmad Rahasia", "phone": "081234567890", "consent": True}


def test_the_api_is_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        API,
        f"{API}/{{tracking}}",
        f"{API}/{{tracking}}/contact",
        f"{API}/{{tracking}}/transitions",
        f"{API}/{{tracking}}/updates",
        f"{API}/{{tracking}}/moderation",
        f"{API}/nearby",
        f"{API}/categories",
        f"{API}/categories/{{code}}",
    ):
        assert path in paths, path
    assert paths[API]["get"]["tags"] == ["complaints"]


def test_anonymous_create_returns_the_tracking_number_and_private_link(client: TestClient) -> None:
    body = {
        "category_code": "drainase",
        "description": "Parit tersumbat, air meluap ke jalan depan pasar.",
        "lon": GAJAH_MADA[0],
        "lat": GAJAH_MADA[1],
        "idempotency_key": "api-test-1",
    }
    first = client.post(API, json=body)
    assert first.status_code == 201
    receipt = first.json()
    assert receipt["tracking_number"].startswith("PTK-")
    assert receipt["status"] == "diterima"
    assert (
        receipt["private_url"] == f"/lapor/{receipt['tracking_number']}?k={receipt['access_token']}"
    )
    assert receipt["is_new"] is True
    again = client.post(API, json=body).json()
    assert again["tracking_number"] == receipt["tracking_number"]
    assert again["is_new"] is False


def test_invalid_reports_answer_detail_and_field_errors(client: TestClient) -> None:
    response = client.post(API, json={"category_code": "drainase", "description": "pendek"})
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert "description" in body["errors"]
    response = client.post(
        API, json={"category_code": "drainase", "description": "Parit tersumbat di sini sekali."}
    )
    assert response.status_code == 422
    assert "location" in response.json()["errors"]


def test_public_read_has_no_personal_data_and_no_internal_notes(
    client: TestClient, report, session: Session
) -> None:  # type: ignore[no-untyped-def]
    from pontive.complaints import workflow

    complaint = report("drainase", **CONTACT).complaint
    workflow.add_update(
        session=session,
        actor=system_actor("t"),
        tracking_number=complaint.tracking_number,
        message="Catatan rahasia staf",
        is_public=False,
    )
    response = client.get(f"{API}/{complaint.tracking_number}")
    assert response.status_code == 200
    text = response.text
    assert "Ahmad" not in text
    assert "081234567890" not in text
    assert "Catatan rahasia staf" not in text
    body = response.json()
    assert "original_description" not in body
    assert body["status"] == "diterima"
    assert body["kelurahan"]  # resolved name


def test_staff_read_has_internal_notes_but_still_no_contact(
    client: TestClient, report, bearer, session: Session
) -> None:  # type: ignore[no-untyped-def]
    from pontive.complaints import workflow

    complaint = report("drainase", **CONTACT).complaint
    workflow.add_update(
        session=session,
        actor=system_actor("t"),
        tracking_number=complaint.tracking_number,
        message="Catatan rahasia staf",
        is_public=False,
    )
    body = client.get(f"{API}/{complaint.tracking_number}", headers=bearer(Role.OPERATOR)).json()
    assert body["has_contact"] is True
    assert body["original_description"] == complaint.description
    assert [e["kind"] for e in body["timeline"]][-1] == "note"
    assert "081234567890" not in str(body)


def test_hidden_reports_are_not_found_for_the_public(
    client: TestClient, report, session: Session
) -> None:  # type: ignore[no-untyped-def]
    complaint = report("drainase").complaint
    complaint.is_public = False
    session.commit()
    assert client.get(f"{API}/{complaint.tracking_number}").status_code == 404
    assert client.get(f"{API}/PTK-1999-000001").status_code == 404


def test_public_list_hides_hidden_reports_and_staff_list_is_the_queue(
    client: TestClient, report, bearer, session: Session
) -> None:  # type: ignore[no-untyped-def]
    shown = report("drainase").complaint
    hidden = report("drainase").complaint
    hidden.is_public = False
    session.commit()
    public = client.get(API, params={"category": "drainase", "page_size": 200}).json()
    numbers = {item["tracking_number"] for item in public["items"]}
    assert shown.tracking_number in numbers
    assert hidden.tracking_number not in numbers
    assert all("original_description" not in item for item in public["items"])

    staff = client.get(
        API, params={"category": "drainase", "page_size": 200}, headers=bearer(Role.OPERATOR)
    ).json()
    numbers = {item["tracking_number"] for item in staff["items"]}
    assert {shown.tracking_number, hidden.tracking_number} <= numbers
    assert all("original_description" in item for item in staff["items"])


def test_officer_list_is_limited_to_their_agency(client: TestClient, report, bearer) -> None:  # type: ignore[no-untyped-def]
    report("drainase")  # pupr
    report("lampu-jalan", description="Lampu jalan padam di depan sekolah.")  # dishub
    items = client.get(API, headers=bearer(Role.PETUGAS_PD, "pupr")).json()["items"]
    assert items
    assert {item["pd_kode"] for item in items} == {"pupr"}


def test_list_filters_and_pagination(client: TestClient, report, report_in) -> None:  # type: ignore[no-untyped-def]
    verified = report_in(S.DIVERIFIKASI)
    report("drainase")
    body = client.get(API, params={"status": "diverifikasi", "page_size": 1}).json()
    assert body["page_size"] == 1
    assert body["total"] >= 1
    assert body["items"][0]["status"] == "diverifikasi"
    found = client.get(API, params={"q": verified.tracking_number}).json()
    assert [i["tracking_number"] for i in found["items"]] == [verified.tracking_number]
    assert client.get(API, params={"status": "nonsense"}).status_code == 422


def test_contact_read_is_audited_and_refused_to_others(
    client: TestClient, report, bearer, session: Session
) -> None:  # type: ignore[no-untyped-def]
    complaint = report("drainase", **CONTACT).complaint
    path = f"{API}/{complaint.tracking_number}/contact"
    assert client.get(path).status_code == 401
    assert client.get(path, headers=bearer(Role.DEWAN)).status_code == 403
    assert client.get(path, headers=bearer(Role.PETUGAS_PD, "dlh")).status_code == 403
    response = client.get(path, headers=bearer(Role.PETUGAS_PD, "pupr"))
    assert response.json() == {"name": "Ahmad Rahasia", "phone": "081234567890", "email": None}
    audited = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "complaint.read_contact")
    ).all()
    assert [event.object_id for event in audited][-1] == complaint.tracking_number


def test_transitions_follow_the_workflow(client: TestClient, report, bearer) -> None:  # type: ignore[no-untyped-def]
    complaint = report("drainase").complaint
    path = f"{API}/{complaint.tracking_number}/transitions"
    operator = bearer(Role.OPERATOR)
    response = client.post(path, json={"to": "didisposisikan", "pd_kode": "pupr"}, headers=operator)
    assert response.status_code == 200
    assert response.json()["status"] == "didisposisikan"
    refused = client.post(path, json={"to": "diterima"}, headers=operator)
    assert refused.status_code == 409
    assert set(refused.json()) == {"detail", "errors"}
    missing = client.post(
        path, json={"to": "bukan_kewenangan"}, headers=bearer(Role.PETUGAS_PD, "pupr")
    )
    assert missing.status_code == 422
    assert "message" in missing.json()["errors"]


def test_updates_add_replies_and_notes(client: TestClient, report_in, bearer) -> None:  # type: ignore[no-untyped-def]
    complaint = report_in(S.DIKERJAKAN)
    path = f"{API}/{complaint.tracking_number}/updates"
    officer = bearer(Role.PETUGAS_PD, "pupr")
    response = client.post(
        path, json={"message": "Sedang dikerjakan.", "is_public": True}, headers=officer
    )
    assert response.status_code == 201
    assert response.json()["timeline"][-1]["kind"] == "reply"
    client.post(path, json={"message": "Catatan dalam.", "is_public": False}, headers=officer)
    public = client.get(f"{API}/{complaint.tracking_number}").json()
    assert "Sedang dikerjakan." in str(public["timeline"])
    assert "Catatan dalam." not in str(public["timeline"])


def test_moderation_chooses_public_photos(client: TestClient, report, bearer) -> None:  # type: ignore[no-untyped-def]
    complaint = report("drainase", photos=[Upload("a.jpg", jpeg_bytes())]).complaint
    photo_id = complaint.photos[0].id
    assert client.get(f"{API}/{complaint.tracking_number}").json()["photo_urls"] == []
    response = client.post(
        f"{API}/{complaint.tracking_number}/moderation",
        json={"public_photo_ids": [photo_id], "public_description": "Parit tersumbat."},
        headers=bearer(Role.OPERATOR),
    )
    assert response.status_code == 200
    public = client.get(f"{API}/{complaint.tracking_number}").json()
    assert public["photo_urls"] == [f"/media/complaints/{photo_id}"]
    assert public["description"] == "Parit tersumbat."
    denied = client.post(
        f"{API}/{complaint.tracking_number}/moderation",
        json={"is_public": False},
        headers=bearer(Role.PETUGAS_PD, "pupr"),
    )
    assert denied.status_code == 403


def test_nearby_finds_open_reports_of_the_same_kind(client: TestClient, report) -> None:  # type: ignore[no-untyped-def]
    complaint = report("drainase").complaint
    params = {"category": "drainase", "lon": GAJAH_MADA[0], "lat": GAJAH_MADA[1]}
    found = client.get(f"{API}/nearby", params=params).json()
    assert complaint.tracking_number in {item["tracking_number"] for item in found}
    far = client.get(f"{API}/nearby", params={**params, "lat": GAJAH_MADA[1] + 0.05}).json()
    assert complaint.tracking_number not in {item["tracking_number"] for item in far}


def test_cookie_authenticated_writes_need_the_csrf_header(
    client: TestClient, make_user, report
) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import login

    complaint = report("drainase").complaint
    login(client, make_user(Role.OPERATOR).username)
    path = f"{API}/{complaint.tracking_number}/transitions"
    assert client.post(path, json={"to": "diverifikasi"}).status_code == 403
    page = client.get("/console/pengaduan")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post(path, json={"to": "diverifikasi"}, headers={"X-CSRF-Token": token})
    assert response.status_code == 200


def test_categories_are_listed_created_and_changed(client: TestClient, bearer) -> None:
    listed = client.get(f"{API}/categories").json()
    assert "jalan-rusak" in {c["code"] for c in listed}
    body = {
        "code": "reklame-liar",
        "name_id": "Reklame liar",
        "name_en": "Illegal billboard",
        "pd_kode": "satpolpp",
        "sla_days": 4,
        "attributes": [
            {
                "code": "ukuran",
                "datatype": "singlevaluelist",
                "required": True,
                "description_id": "Ukuran reklame",
                "description_en": "Billboard size",
                "values": [{"key": "kecil", "name_id": "Kecil", "name_en": "Small"}],
            }
        ],
    }
    assert client.post(f"{API}/categories", json=body).status_code == 401
    assert (
        client.post(
            f"{API}/categories", json=body, headers=bearer(Role.PETUGAS_PD, "pupr")
        ).status_code
        == 403
    )
    created = client.post(f"{API}/categories", json=body, headers=bearer(Role.OPERATOR))
    assert created.status_code == 201
    assert created.json()["attributes"][0]["values"][0]["key"] == "kecil"
    patched = client.patch(
        f"{API}/categories/reklame-liar",
        json={"sla_days": 2, "is_active": False},
        headers=bearer(Role.TIM_TEKNIS),
    )
    assert patched.json()["sla_days"] == 2
    assert "reklame-liar" not in {c["code"] for c in client.get(f"{API}/categories").json()}
    assert client.get(f"{API}/categories", params={"include_inactive": True}).status_code == 401


def _report_body(number: int) -> dict[str, object]:
    return {
        "category_code": "drainase",
        "description": f"Parit tersumbat nomor {number}, air meluap ke jalan.",
        "lon": GAJAH_MADA[0],
        "lat": GAJAH_MADA[1],
    }


def test_anonymous_callers_share_the_report_forms_quota_per_address(
    client: TestClient, app: FastAPI
) -> None:
    app.state.complaint_report_limiter = SlidingWindowLimiter(2, 600)
    assert client.post(API, json=_report_body(1)).status_code == 201
    assert client.post(API, json=_report_body(2)).status_code == 201
    refused = client.post(API, json=_report_body(3), headers={"Accept-Language": "id"})
    assert refused.status_code == 429
    assert "Paling banyak 2 laporan per 10 menit" in refused.json()["detail"]


def test_staff_filing_for_callers_are_not_limited(client: TestClient, app: FastAPI, bearer) -> None:
    app.state.complaint_report_limiter = SlidingWindowLimiter(1, 600)
    headers = bearer(Role.OPERATOR)
    for number in range(3):
        assert client.post(API, json=_report_body(number), headers=headers).status_code == 201


def test_a_report_with_photos_is_filed_as_multipart(client: TestClient, session: Session) -> None:
    files = [("photos", ("parit.jpg", jpeg_bytes(), "image/jpeg"))] * 2
    response = client.post(API, data={"data": json.dumps(_report_body(7))}, files=files)
    assert response.status_code == 201, response.text
    tracking = response.json()["tracking_number"]
    complaint = session.scalars(
        select(Complaint).where(Complaint.tracking_number == tracking)
    ).one()
    assert len(complaint.photos) == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "data"),
        ({"data": "{not json"}, "_"),
        ({"data": json.dumps({"category_code": "drainase"})}, "description"),
    ],
)
def test_a_bad_multipart_report_answers_field_errors(
    client: TestClient, data: dict[str, str], field: str
) -> None:
    files = [("photos", ("parit.jpg", jpeg_bytes(), "image/jpeg"))]
    response = client.post(API, data=data, files=files)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_more_than_five_photos_are_refused_and_nothing_is_filed(
    client: TestClient, session: Session
) -> None:
    files = [("photos", (f"{n}.jpg", jpeg_bytes(64, 48), "image/jpeg")) for n in range(6)]
    before = session.scalar(select(func.count()).select_from(Complaint))
    response = client.post(API, data={"data": json.dumps(_report_body(8))}, files=files)
    assert response.status_code == 422
    assert "photos" in response.json()["errors"]
    assert session.scalar(select(func.count()).select_from(Complaint)) == before


def test_the_openapi_document_offers_json_and_multipart_for_new_reports(
    client: TestClient,
) -> None:
    content = client.get("/api/v1/openapi.json").json()["paths"][API]["post"]["requestBody"]
    assert set(content["content"]) == {"application/json", "multipart/form-data"}
    ref = content["content"]["application/json"]["schema"]["$ref"]
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert ref.rsplit("/", 1)[-1] in schemas
    assert "description" in schemas["ComplaintCreate"]["properties"]
