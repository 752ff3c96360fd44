"""The coordination API (``/api/v1/coordination``) over HTTP with bearer tokens: incidents from
opening to the published report, walls and the executive figures, the error shape, and the
OpenAPI document (tasks and meetings: ``test_api_tasks.py``)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy.orm import Session

from pontive.complaints.schemas import ComplaintCreate
from pontive.complaints.service import create_complaint
from pontive.coordination.models import Incident
from pontive.core.identity import ANONYMOUS
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from tests.coordination.support import LAT, LON

API = "/api/v1/coordination"
UTC_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)$")
Headers = dict[str, str]


def _incident_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Genangan rob di Jl. Gajah Mada",
        "kind": "banjir",
        "severity": "tinggi",
        "lon": LON,
        "lat": LAT,
        "description": "Air setinggi 30 cm menutup badan jalan.",
        "lead_pd_kode": "bpbd",
        "agencies": ["pupr"],
    }
    return body | overrides


def due(hours: int = 6) -> str:
    return (utcnow() + timedelta(hours=hours)).isoformat()


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def operator(bearer: Callable[..., Headers]) -> Headers:
    return bearer(Role.OPERATOR)


def open_via_api(client: TestClient, headers: Headers, **overrides: Any) -> dict[str, Any]:
    answer = client.post(f"{API}/incidents", json=_incident_body(**overrides), headers=headers)
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_an_incident_is_opened_corrected_moved_and_noted(
    client: TestClient, operator: Headers, session: Session
) -> None:
    answer = client.post(f"{API}/incidents", json=_incident_body(), headers=operator)
    assert answer.status_code == 201
    code = answer.json()["code"]
    assert re.fullmatch(r"INS-\d{4}-\d{4}", code)
    assert answer.headers["location"] == f"{API}/incidents/{code}"
    incident = session.query(Incident).filter_by(code=code).one()
    assert incident.kelurahan_kode is not None  # stored, placed by the service

    read = client.get(answer.headers["location"], headers=operator).json()
    assert read["status"] == "dibuka"
    assert read["severity"] == "tinggi"
    assert [a["pd_kode"] for a in read["agencies"]] == ["bpbd", "pupr"]
    assert UTC_ISO.match(read["opened_at"])
    assert read["closed_at"] is None
    assert [e["kind"] for e in read["entries"]] == ["opened"]
    assert read["response_times"]["to_handled_s"] is None

    patched = client.patch(
        f"{API}/incidents/{code}",
        json={"severity": "kritis", "agencies": ["dishub"], "lead_pd_kode": None, "title": None},
        headers=operator,
    ).json()
    assert patched["severity"] == "kritis"
    assert patched["lead_pd_kode"] is None  # cleared
    assert patched["title"] == "Genangan rob di Jl. Gajah Mada"  # a title cannot be cleared
    assert {"bpbd", "pupr", "dishub"} == {a["pd_kode"] for a in patched["agencies"]}

    moved = client.post(
        f"{API}/incidents/{code}/status",
        json={"status": "ditangani", "note": "Tim tiba."},
        headers=operator,
    ).json()
    assert moved["status"] == "ditangani"
    assert moved["response_times"]["to_handled_s"] >= 0

    entry = client.post(
        f"{API}/incidents/{code}/entries",
        json={"kind": "decision", "text": "Jalan ditutup sementara untuk kendaraan kecil."},
        headers=operator,
    )
    assert entry.status_code == 201
    assert entry.json()["kind"] == "decision"
    assert entry.json()["has_photo"] is False

    added = client.post(
        f"{API}/incidents/{code}/agencies",
        json={"agencies": ["dinsos"], "role": "Dapur umum"},
        headers=operator,
    ).json()
    assert {"pd_kode": "dinsos", "role": "Dapur umum"}.items() <= added["agencies"][-1].items()
    kinds = [e["kind"] for e in added["entries"]]
    assert kinds == ["opened", "update", "status", "decision", "agency"]


def test_nearby_reports_are_suggested_linked_and_unlinked(
    client: TestClient, operator: Headers, session: Session, media: MediaStore
) -> None:
    code = open_via_api(client, operator)["code"]
    receipt = create_complaint(
        session=session,
        data=ComplaintCreate(
            category_code="banjir-genangan",
            description="Air masuk ke rumah warga setinggi 40 cm di gang.",
            lon=LON + 0.001,
            lat=LAT,
        ),
        actor=ANONYMOUS,
        media=media,
    )
    tracking = receipt.complaint.tracking_number
    found = client.get(
        f"{API}/incidents/{code}/suggestions", params={"radius_m": 500}, headers=operator
    ).json()
    assert found["radius_m"] == 500
    assert set(found) == {"radius_m", "complaint", "camera", "station", "alert"}
    nearby = {c["item_ref"]: c for c in found["complaint"]}
    assert tracking in nearby
    assert 50 < nearby[tracking]["distance_m"] < 200

    link = client.post(
        f"{API}/incidents/{code}/links",
        json={"item_type": "complaint", "ref": tracking},
        headers=operator,
    )
    assert link.status_code == 201
    assert link.json()["item_ref"] == tracking
    again = client.post(
        f"{API}/incidents/{code}/links",
        json={"item_type": "complaint", "ref": tracking},
        headers=operator,
    )
    assert again.status_code == 409
    assert again.json()["detail"]
    detail = client.get(f"{API}/incidents/{code}", headers=operator).json()
    assert [item["item_ref"] for item in detail["links"]] == [tracking]
    suggested = client.get(f"{API}/incidents/{code}/suggestions", headers=operator).json()
    assert tracking not in {c["item_ref"] for c in suggested["complaint"]}

    removed = client.delete(f"{API}/incidents/{code}/links/{link.json()['id']}", headers=operator)
    assert removed.status_code == 204
    assert removed.content == b""
    assert client.get(f"{API}/incidents/{code}", headers=operator).json()["links"] == []
    missing = client.delete(f"{API}/incidents/{code}/links/999999", headers=operator)
    assert missing.status_code == 404


def test_closing_publishing_and_the_report_pdf(client: TestClient, operator: Headers) -> None:
    code = open_via_api(client, operator)["code"]
    interim = client.get(f"{API}/incidents/{code}/report.pdf", headers=operator)
    assert interim.status_code == 200
    assert interim.headers["content-type"] == "application/pdf"
    assert "(sementara)" in pdf_text(interim.content)

    early = client.post(f"{API}/incidents/{code}/publish", headers=operator)
    assert early.status_code == 409

    short = client.post(
        f"{API}/incidents/{code}/close",
        json={"summary": "Surut.", "lessons": "-"},
        headers=operator,
    )
    assert short.status_code == 422
    assert set(short.json()["errors"]) == {"summary", "lessons"}

    closed = client.post(
        f"{API}/incidents/{code}/close",
        json={
            "summary": "Genangan surut pukul 23.00 WIB setelah pompa dipasang.",
            "lessons": "Saluran primer dibersihkan sebelum pasang purnama.",
        },
        headers=operator,
    ).json()
    assert closed["status"] == "selesai"
    assert closed["has_report"] is True
    assert UTC_ISO.match(closed["closed_at"])
    report = client.get(f"{API}/incidents/{code}/report.pdf", headers=operator)
    text = pdf_text(report.content)
    assert "Ringkasan penanganan" in text
    assert "(sementara)" not in text

    published = client.post(f"{API}/incidents/{code}/publish", headers=operator).json()
    assert published["published_at"] is not None
    moved = client.post(
        f"{API}/incidents/{code}/status", json={"status": "ditangani"}, headers=operator
    )
    assert moved.status_code == 409
    listed = client.get(f"{API}/incidents", params={"status": "selesai"}, headers=operator)
    assert code in [item["code"] for item in listed.json()]
    assert code not in [
        item["code"] for item in client.get(f"{API}/incidents", headers=operator).json()
    ]


def test_incident_list_filters(client: TestClient, operator: Headers) -> None:
    fire = open_via_api(
        client, operator, kind="kebakaran", severity="kritis", title="Kebakaran gudang"
    )
    flood = open_via_api(client, operator)

    def codes(**params: str) -> list[str]:
        answer = client.get(f"{API}/incidents", params=params, headers=operator)
        return [item["code"] for item in answer.json()]

    assert codes(kind="kebakaran") == [fire["code"]]
    assert flood["code"] in codes(severity="tinggi")
    assert fire["code"] not in codes(severity="tinggi")
    everything = codes()
    assert everything.index(fire["code"]) < everything.index(flood["code"])  # worst first
    assert flood["code"] in codes(pd="pupr")
    bad = client.get(f"{API}/incidents", params={"severity": "parah"}, headers=operator)
    assert bad.status_code == 422
    assert "severity" in bad.json()["errors"]


def test_bad_input_answers_the_platform_error_shape(client: TestClient, operator: Headers) -> None:
    outside = client.post(
        f"{API}/incidents",
        json=_incident_body(lon=110.5, lat=-1.5, lead_pd_kode="tidak-ada"),
        headers=operator,
    )
    assert outside.status_code == 422
    assert {"location", "lead_pd_kode"} <= set(outside.json()["errors"])
    assert outside.json()["detail"]
    missing = client.post(f"{API}/incidents", json={"kind": "banjir"}, headers=operator)
    assert missing.status_code == 422
    assert set(missing.json()) == {"detail", "errors"}
    assert client.get(f"{API}/incidents/INS-1999-0001", headers=operator).status_code == 404
    anonymous = client.get(f"{API}/incidents")
    assert anonymous.status_code == 401
    assert set(anonymous.json()) == {"detail", "errors"}
    naive = client.post(
        f"{API}/tasks",
        json={"title": "Pompa", "pd_kode": "pupr", "due_at": "2030-01-01T10:00"},
        headers=operator,
    )
    assert naive.status_code == 422
    assert "due_at" in str(naive.json()["errors"])


def test_walls_and_their_snapshot(client: TestClient, operator: Headers) -> None:
    code = open_via_api(client, operator, severity="kritis")["code"]
    walls = client.get(f"{API}/walls", headers=operator).json()
    assert "utama" in [w["code"] for w in walls]
    snapshot = client.get(f"{API}/walls/utama/snapshot", headers=operator)
    assert snapshot.status_code == 200
    body = snapshot.json()
    assert body["wall"]["code"] == "utama"
    assert UTC_ISO.match(body["at"])
    assert code in [i["ref"] for i in body["layers"]["incidents"]]
    assert body["numbers"]["incidents_open"] >= 1
    assert body["mode"]["value"] == "normal"
    assert client.get(f"{API}/walls/tidak-ada/snapshot", headers=operator).status_code == 404


def test_executive_figures(client: TestClient, operator: Headers) -> None:
    code = open_via_api(client, operator, severity="kritis")["code"]
    body = client.get(f"{API}/executive", headers=operator).json()
    assert UTC_ISO.match(body["at"])
    assert body["incidents_open"][0]["code"] == code
    assert body["incidents_open"][0]["severity"] == "kritis"
    assert len(body["week"]) == 7
    assert body["week"][-1]["incidents_opened"] >= 1
    assert set(body["reports_by_urgency"]) == {
        "lewat_tenggat",
        "jatuh_tempo",
        "dalam_tenggat",
        "belum_diverifikasi",
    }
    assert isinstance(body["agencies"], list)
    assert body["mode"] == "normal"


def test_the_openapi_document_lists_every_route_with_its_answer(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    paths = {path: item for path, item in document["paths"].items() if path.startswith(API)}
    expected = {
        "/incidents": {"get", "post"},
        "/incidents/{code}": {"get", "patch"},
        "/incidents/{code}/status": {"post"},
        "/incidents/{code}/entries": {"post"},
        "/incidents/{code}/suggestions": {"get"},
        "/incidents/{code}/links": {"post"},
        "/incidents/{code}/links/{link_id}": {"delete"},
        "/incidents/{code}/agencies": {"post"},
        "/incidents/{code}/close": {"post"},
        "/incidents/{code}/publish": {"post"},
        "/incidents/{code}/report.pdf": {"get"},
        "/tasks": {"get", "post"},
        "/tasks/{code}": {"get", "patch"},
        "/tasks/{code}/status": {"post"},
        "/meetings": {"get", "post"},
        "/meetings/{code}": {"get"},
        "/meetings/{code}/minutes": {"post"},
        "/meetings/{code}/decisions": {"post"},
        "/meetings/{code}/decisions/{decision_id}/tasks": {"post"},
        "/meetings/{code}/sign-off": {"post"},
        "/meetings/{code}/minutes.pdf": {"get"},
        "/walls": {"get"},
        "/walls/{code}/snapshot": {"get"},
        "/executive": {"get"},
    }
    assert {path.removeprefix(API): set(item) for path, item in paths.items()} == expected
    for path, item in paths.items():
        for method, operation in item.items():
            assert operation["tags"] == ["coordination"], (path, method)
            answers = operation["responses"]
            good = next(code for code in answers if code.startswith("2"))
            if good == "204":
                continue
            content = answers[good]["content"]
            if path.endswith(".pdf"):
                assert "application/pdf" in content
            else:
                assert content["application/json"]["schema"], (path, method)
