"""Stakeholders offer their technology through the public form (Pasal 22f): it lands as
*diajukan*, hidden, for staff review; the public list shows only verified ones, without any
contact."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.assets.wifi_choices import TechnologyStatus
from pontive.assets.wifi_models import StakeholderTechnology
from pontive.assets.wifi_tech import SUBMISSIONS_PER_HOUR
from pontive.complaints.models import Notification
from pontive.core.roles import Role
from pontive.registry.models import RegistryChange
from tests.assets.test_wifi_support import MakeUser, make_technology

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
FORM = "/teknologi-mitra/ajukan"


def _csrf(client: TestClient) -> str:
    page = client.get(FORM)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "private, no-store"
    found = CSRF.search(page.text)
    assert found
    return found.group(1)


def _submission(csrf: str, **values: str) -> dict[str, Any]:
    return {
        "csrf_token": csrf,
        "name": "Jaringan sensor banjir sekolah",
        "organisation": "SMA Uji Pontianak",
        "stakeholder_kind": "lembaga_masyarakat",
        "technology_kind": "sensor",
        "description": "Lima sensor muka air di parit sekitar sekolah, data dibuka per jam.",
        "coverage": "Kel. Parit Tokaya",
        "website": "https://sma-uji.contoh.id",
        "contact_name": "Bu Ratna Uji",
        "contact_phone": "0812-7777-1212",
        "consent": "ya",
        "status": "aktif",  # not the public's to set: ignored
        "is_public": "true",
    } | values


def test_a_submission_lands_hidden_for_staff_review(
    session: Session, client: TestClient, make_user: MakeUser
) -> None:
    team = make_user(Role.TIM_TEKNIS)
    answer = client.post(FORM, data=_submission(_csrf(client)), follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == f"{FORM}?terkirim=1"
    row = session.scalar(
        select(StakeholderTechnology).where(
            StakeholderTechnology.organisation == "SMA Uji Pontianak"
        )
    )
    assert row is not None
    assert row.status is TechnologyStatus.DIAJUKAN
    assert row.is_public is False
    assert row.contact_name == "Bu Ratna Uji"
    assert row.contact_phone == "0812-7777-1212"
    change = session.scalar(
        select(RegistryChange).where(
            RegistryChange.registry_name == "assets.stakeholder-technologies",
            RegistryChange.object_id == row.id,
        )
    )
    assert change is not None
    assert change.via == "form"
    assert change.actor == "system:teknologi-mitra-publik"
    told = session.scalars(select(Notification).where(Notification.channel == "inapp")).all()
    assert any(n.recipient == team.username and row.name in n.subject for n in told)
    thanks = client.get(answer.headers["location"])
    assert "Terima kasih, pengajuan diterima" in thanks.text
    public = client.get("/teknologi-mitra")
    assert row.name not in public.text  # not before staff verify it


def test_a_submission_needs_a_contact_and_consent(session: Session, client: TestClient) -> None:
    csrf = _csrf(client)
    bad = _submission(csrf, contact_phone="", consent="", website="bukan-alamat")
    answer = client.post(FORM, data=bad)
    assert answer.status_code == 422
    assert "Isi nomor telepon atau e-mail narahubung." in answer.text
    assert "Setujui pemakaian data kontak" in answer.text
    assert "Alamat harus diawali http" in answer.text
    assert "Jaringan sensor banjir sekolah" in answer.text  # typing kept
    english = client.post(f"{FORM}?lang=en", data=_submission(csrf, name="", consent=""))
    assert english.status_code == 422
    assert "Required." in english.text
    assert "Agree to the use" in english.text
    assert session.scalar(select(StakeholderTechnology.id)) is None


def test_submissions_are_rate_limited(session: Session, client: TestClient) -> None:
    csrf = _csrf(client)
    for number in range(SUBMISSIONS_PER_HOUR):
        sent = _submission(csrf, name=f"Teknologi uji {number}")
        assert client.post(FORM, data=sent, follow_redirects=False).status_code == 303
    refused = client.post(FORM, data=_submission(csrf, name="Satu lagi"), follow_redirects=False)
    assert refused.status_code == 429
    count = len(session.scalars(select(StakeholderTechnology.id)).all())
    assert count == SUBMISSIONS_PER_HOUR


def test_the_public_list_shows_verified_technologies_without_contacts(
    session: Session, client: TestClient
) -> None:
    shown = make_technology(session, status="aktif", is_public="true", technology_kind="jaringan")
    other = make_technology(session, status="diverifikasi", is_public="true")
    hidden = make_technology(session, status="diajukan", is_public="true")
    page = client.get("/teknologi-mitra")
    assert page.status_code == 200
    assert shown.name in page.text
    assert other.name in page.text
    assert hidden.name not in page.text
    for secret in ("Narahubung Rahasia", "0812-9999-0002", "rahasia@contoh.id", "Catatan moderasi"):
        assert secret not in page.text
    networks = client.get("/teknologi-mitra?jenis=jaringan")
    assert shown.name in networks.text
    assert other.name not in networks.text
    english = client.get("/teknologi-mitra?lang=en")
    assert "Technology from the city" in english.text
    assert "Network" in english.text
