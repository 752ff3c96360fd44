"""The participation API: published ideas for anyone (no personal data), submitting an idea
(idempotent, rate-limited), asking for a code and confirming it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.core.roles import Role
from pontive.participation import moderation
from pontive.participation.service import CODES_PER_IP_PER_HOUR
from tests.participation.support import MODERATOR, last_code, programme, published, submit

BODY = {
    "title": "Jadwal bus real-time di halte",
    "description": "Layar kecil di halte yang menunjukkan kapan bus berikutnya datang.",
    "dimensi_kode": "living",
    "contact": "penulis.api@contoh.id",
    "consent": True,
    "idempotency_key": "api-1",
}


def test_submitting_is_idempotent_and_waits_for_moderation(client: TestClient) -> None:
    first = client.post("/api/v1/participation/gagasan", json=BODY)
    assert first.status_code == 201, first.text
    receipt = first.json()
    assert receipt["status"] == "menunggu"
    assert receipt["is_new"] is True
    assert receipt["private_url"].startswith(f"/gagasan/{receipt['id']}?k=")
    again = client.post("/api/v1/participation/gagasan", json=BODY).json()
    assert again["id"] == receipt["id"]
    assert again["is_new"] is False
    assert client.get(f"/api/v1/participation/gagasan/{receipt['id']}").status_code == 404


def test_a_bad_submission_names_its_fields(client: TestClient) -> None:
    answer = client.post(
        "/api/v1/participation/gagasan", json=BODY | {"consent": False, "contact": "x"}
    )
    assert answer.status_code == 422
    assert {"consent", "contact"} <= set(answer.json()["errors"])
    english = client.post(
        "/api/v1/participation/gagasan?lang=en", json=BODY | {"title": "ab", "idempotency_key": ""}
    )
    assert english.json()["errors"]["title"] == ["A title is required (5 to 200)."]


def test_the_list_filters_and_shows_the_linked_programme(
    client: TestClient, session: Session
) -> None:
    programme(session)
    realised = published(session, title="Sensor air di parit utama")
    moderation.link_programme(
        session, actor=MODERATOR, idea_id=realised.id, programme_code="LIV-03"
    )
    published(session, title="Etalase UMKM online", dimensi_kode="economy")
    submit(session, title="Belum dimoderasi")
    everything = client.get("/api/v1/participation/gagasan").json()
    assert everything["count"] == 2
    living = client.get("/api/v1/participation/gagasan?dimensi=living").json()
    [item] = living["results"]
    assert item["programme"]["code"] == "LIV-03"
    assert item["programme"]["url"] == "/smartcity/living#programme-LIV-03"
    assert item["status"] == "diwujudkan"


def test_a_code_then_its_confirmation_records_the_support(
    client: TestClient, session: Session
) -> None:
    idea = published(session)
    sent = client.post(
        f"/api/v1/participation/gagasan/{idea.id}/kode", json={"contact": "0813-2222-3333"}
    )
    assert sent.status_code == 202, sent.text
    token = sent.json()["verification"]
    assert sent.json()["masked_contact"].startswith("+6281")
    code = last_code(session, "+6281322223333")
    done = client.post(
        f"/api/v1/participation/gagasan/{idea.id}/konfirmasi",
        json={"verification": token, "code": code},
    )
    assert done.status_code == 200, done.text
    assert done.json() == {"outcome": "dukungan", "idea_id": idea.id, "supports": 1}
    second = client.post(
        f"/api/v1/participation/gagasan/{idea.id}/kode", json={"contact": "+6281322223333"}
    )
    assert second.status_code == 409


def test_codes_are_limited_per_address_but_not_for_staff(
    client: TestClient, session: Session, bearer
) -> None:  # type: ignore[no-untyped-def]
    idea = published(session)
    for n in range(CODES_PER_IP_PER_HOUR):
        answer = client.post(
            f"/api/v1/participation/gagasan/{idea.id}/kode",
            json={"contact": f"orang{n}@contoh.id"},
        )
        assert answer.status_code == 202
    refused = client.post(
        f"/api/v1/participation/gagasan/{idea.id}/kode", json={"contact": "lagi@contoh.id"}
    )
    assert refused.status_code == 429
    staff = client.post(
        f"/api/v1/participation/gagasan/{idea.id}/kode",
        json={"contact": "petugas@contoh.id"},
        headers=bearer(Role.OPERATOR),
    )
    assert staff.status_code == 202


def test_approved_adoptions_are_public_without_the_volunteer(client: TestClient) -> None:
    answer = client.get("/api/v1/participation/adopsi")
    assert answer.status_code == 200
    assert answer.json() == []
