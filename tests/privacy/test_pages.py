"""The reporter's "my data" page, the data-protection console and the admins' banner."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.complaints.models import Complaint
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from pontive.privacy.models import AuditCheck
from tests.conftest import login

EMAIL = "warga.privasi@contoh.id"


def _csrf(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    return page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _reported(report: Any, session: Session) -> tuple[Complaint, str]:
    receipt = report(name="Rina", email=EMAIL, is_anonymous=False, consent=True)
    return receipt.complaint, str(receipt.access_token)


def test_the_private_report_page_links_to_my_data(
    client: TestClient, session: Session, report: Any
) -> None:
    complaint, token = _reported(report, session)
    private = client.get(f"/lapor/{complaint.tracking_number}?k={token}")
    assert f"/lapor/{complaint.tracking_number}/data-saya?k={token}" in private.text
    public = client.get(f"/lapor/{complaint.tracking_number}")
    assert "/data-saya" not in public.text


def test_my_data_needs_the_private_link(client: TestClient, session: Session, report: Any) -> None:
    complaint, _token = _reported(report, session)
    assert client.get(f"/lapor/{complaint.tracking_number}/data-saya?k=salah").status_code == 404
    assert client.get(f"/lapor/{complaint.tracking_number}/data-saya").status_code == 404


def test_the_reporter_downloads_and_then_erases_their_data(
    client: TestClient, session: Session, report: Any
) -> None:
    complaint, token = _reported(report, session)
    page = f"/lapor/{complaint.tracking_number}/data-saya?k={token}"
    csrf = _csrf(client, page)
    base = f"/lapor/{complaint.tracking_number}/data-saya"

    download = client.post(f"{base}/unduh", data={"csrf_token": csrf, "k": token})
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    assert download.headers["cache-control"] == "no-store"
    document = json.loads(download.text)
    values = [
        field["value"]
        for source in document["sources"]
        for record in source["records"]
        for field in record["fields"].values()
    ]
    assert EMAIL in values

    unconfirmed = client.post(f"{base}/hapus", data={"csrf_token": csrf, "k": token})
    assert unconfirmed.status_code == 422
    session.refresh(complaint)
    assert complaint.reporter_email == EMAIL

    erased = client.post(f"{base}/hapus", data={"csrf_token": csrf, "k": token, "confirm": "ya"})
    assert erased.status_code == 200
    assert 'id="erased"' in erased.text
    session.expire_all()
    stored = session.get(Complaint, complaint.id)
    assert stored is not None
    assert (stored.reporter_name, stored.reporter_email) == (None, None)


def test_a_stranger_cannot_erase_with_a_wrong_token(
    client: TestClient, session: Session, report: Any
) -> None:
    complaint, token = _reported(report, session)
    csrf = _csrf(client, f"/lapor/{complaint.tracking_number}/data-saya?k={token}")
    response = client.post(
        f"/lapor/{complaint.tracking_number}/data-saya/hapus",
        data={"csrf_token": csrf, "k": "salah", "confirm": "ya"},
    )
    assert response.status_code == 404
    session.refresh(complaint)
    assert complaint.reporter_email == EMAIL


def test_the_console_finds_exports_and_erases(
    client: TestClient, session: Session, report: Any, make_user: Any
) -> None:
    complaint, _token = _reported(report, session)
    admin = make_user(Role.ADMIN)
    login(client, admin.username)
    csrf = _csrf(client, "/console/privasi")
    form = {"csrf_token": csrf, "lookup": "contact", "value": EMAIL.upper()}

    found = client.post("/console/privasi/cari", data=form)
    assert found.status_code == 200
    assert "complaints.reports" in found.text
    assert EMAIL not in found.text.replace(f'value="{EMAIL.upper()}"', "")  # counts, no values

    exported = client.post("/console/privasi/ekspor", data=form)
    assert json.loads(exported.text)["sources"][0]["records"]

    refused = client.post("/console/privasi/hapus", data=form)
    assert refused.status_code == 422
    done = client.post("/console/privasi/hapus", data={**form, "confirm": "ya"})
    assert 'id="erase-done"' in done.text
    session.refresh(complaint)
    assert complaint.reporter_email is None
    assert "Penghapusan" in done.text
    assert "Salinan data" in done.text


def test_the_console_is_for_admins_only(client: TestClient, make_user: Any) -> None:
    login(client, make_user(Role.OPERATOR).username)
    assert client.get("/console/privasi").status_code == 403
    assert "/console/privasi" not in client.get("/console/").text


def test_admins_see_a_banner_while_the_audit_chain_is_broken(
    client: TestClient, session: Session, make_user: Any
) -> None:
    admin, operator = make_user(Role.ADMIN), make_user(Role.OPERATOR)
    session.add(
        AuditCheck(
            checked_at=utcnow(), is_intact=False, checked=9, broken_id=7, reason="hash mismatch"
        )
    )
    session.commit()
    login(client, admin.username)
    assert 'id="audit-chain-broken"' in client.get("/console/").text
    client.post("/keluar", data={"csrf_token": _csrf(client, "/console/")})
    login(client, operator.username)
    assert 'id="audit-chain-broken"' not in client.get("/console/").text

    session.add(AuditCheck(checked_at=utcnow(), is_intact=True, checked=10))
    session.commit()
    client.post("/keluar", data={"csrf_token": _csrf(client, "/console/")})
    login(client, admin.username)
    assert 'id="audit-chain-broken"' not in client.get("/console/").text
