"""Facility care through the app: the public map data and list (no volunteer), the
application form, the volunteer's private page with reports and photos, and damage leading
to the complaint form."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy.orm import Session

from pontive.participation import moderation
from pontive.participation.models import Adoption, AdoptionReport
from pontive.participation.service import ADOPTIONS_PER_HOUR, private_token
from tests.participation.support import MODERATOR
from tests.participation.test_pages import csrf_of


def _application(csrf: str, **changes: str) -> dict[str, str]:
    values = {
        "csrf_token": csrf,
        "facility_name": "Taman Gang Mawar",
        "kind": "taman",
        "lat": "-0.0398",
        "lon": "109.3321",
        "name": "Budi Relawan",
        "group_name": "Karang Taruna Mawar",
        "contact": "relawan@contoh.id",
        "consent": "ya",
        "idempotency_key": "adopsi-1",
    }
    values.update(changes)
    return values


def _approved(client: TestClient, session: Session) -> Adoption:
    csrf = csrf_of(client, "/adopsi-fasilitas")
    sent = client.post("/adopsi-fasilitas", data=_application(csrf), follow_redirects=False)
    assert sent.status_code == 303
    adoption = session.query(Adoption).one()
    return moderation.approve_adoption(session, actor=MODERATOR, adoption_id=adoption.id)


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 40, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_an_application_is_received_and_waits(client: TestClient, session: Session) -> None:
    csrf = csrf_of(client, "/adopsi-fasilitas")
    sent = client.post("/adopsi-fasilitas", data=_application(csrf), follow_redirects=False)
    assert sent.headers["location"] == "/adopsi-fasilitas?ok=diajukan#ajukan"
    page = client.get(sent.headers["location"])
    assert 'id="applied"' in page.text
    assert "Taman Gang Mawar" not in page.text.split('id="ajukan"')[0]  # not public yet
    assert session.query(Adoption).one().kelurahan_kode is not None


def test_a_bad_application_comes_back_with_its_errors(client: TestClient) -> None:
    csrf = csrf_of(client, "/adopsi-fasilitas")
    answer = client.post("/adopsi-fasilitas", data=_application(csrf, lat="", consent=""))
    assert answer.status_code == 422
    assert 'id="err-location"' in answer.text
    assert 'id="err-consent"' in answer.text
    assert 'value="Taman Gang Mawar"' in answer.text


def test_applications_are_limited_per_address(client: TestClient) -> None:
    csrf = csrf_of(client, "/adopsi-fasilitas")
    for n in range(ADOPTIONS_PER_HOUR):
        client.post("/adopsi-fasilitas", data=_application(csrf, idempotency_key=f"a{n}"))
    refused = client.post("/adopsi-fasilitas", data=_application(csrf, idempotency_key="z"))
    assert refused.status_code == 429


def test_the_public_map_and_list_show_the_group_not_the_volunteer(
    client: TestClient, session: Session
) -> None:
    adoption = _approved(client, session)
    page = client.get("/adopsi-fasilitas")
    markers = client.get("/adopsi-fasilitas/peta.json").json()["items"]
    assert [m["id"] for m in markers] == [adoption.id]
    assert markers[0]["lat"] == -0.0398
    for text in (page.text, str(markers)):
        assert "Karang Taruna Mawar" in text
        assert "Budi Relawan" not in text
        assert "relawan@contoh.id" not in text


def test_the_volunteer_reports_through_the_private_link(
    client: TestClient, session: Session
) -> None:
    adoption = _approved(client, session)
    token = private_token("adoption", adoption.id)
    path = f"/adopsi-fasilitas/{adoption.id}"
    assert client.get(path).status_code == 404
    assert client.get(f"{path}?k={'0' * 32}").status_code == 404
    csrf = csrf_of(client, f"{path}?k={token}")
    sent = client.post(
        f"{path}/laporan",
        data={"csrf_token": csrf, "k": token, "condition": "rusak", "note": "Bangku patah."},
        files={"photo": ("foto.jpg", _jpeg(), "image/jpeg")},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == f"{path}?k={token}&ok=rusak#laporan"
    page = client.get(sent.headers["location"])
    assert 'href="/lapor?kategori=fasilitas-umum"' in page.text
    report = session.query(AdoptionReport).one()
    photo = client.get(f"{path}/foto/{report.id}?k={token}")
    assert photo.status_code == 200
    assert photo.headers["content-type"] == "image/jpeg"
    assert client.get(f"{path}/foto/{report.id}").status_code == 404


def test_a_report_with_a_bad_photo_is_refused_on_the_photo(
    client: TestClient, session: Session
) -> None:
    adoption = _approved(client, session)
    token = private_token("adoption", adoption.id)
    path = f"/adopsi-fasilitas/{adoption.id}"
    csrf = csrf_of(client, f"{path}?k={token}")
    answer = client.post(
        f"{path}/laporan",
        data={"csrf_token": csrf, "k": token, "condition": "baik"},
        files={"photo": ("foto.jpg", b"bukan gambar", "image/jpeg")},
    )
    assert answer.status_code == 422
    assert 'id="err-photo"' in answer.text
    assert session.query(AdoptionReport).count() == 0
