"""Distinctive personal values planted in the matrix's copy of the demo through the public
API (so they are sealed and stored as a citizen's or an officer's would be), and the scan that
looks for them in what other people are shown."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlalchemy import select

from pontive.complaints.models import ServiceCategory
from pontive.core.db import Database
from pontive.institutions.models import CouncilMember, Participant

NAME = "Qadira Wibisono Matrikswati"
PHONE = "0812-7391-4466"
EMAIL = "qadira.matriks@contoh-bocor.id"
NIP = "198703142010011077"  # a civil servant's number (18 digits), in the NIP field
OWNER_NAME = "Harun Kameravidi Pemilik"
OWNER_EMAIL = "harun.kamera@contoh-bocor.id"
OWNER_PHONE = "0857-2093-1188"
AUTHOR_NAME = "Nurlela Gagasanwati Rahasia"
AUTHOR_EMAIL = "nurlela.gagasan@contoh-bocor.id"
MEMBER_PHONE = "0813-5566-0921"
MEMBER_EMAIL = "anggota.dewan.rahasia@contoh-bocor.id"
# An internal note on the planted report: staff of the owning PD only, never the public.
NOTE = "Catatan internal matriks: rumah pelapor di gang buntu nomor 7731"
VALUES = (
    NAME, PHONE, EMAIL, NIP, OWNER_NAME, OWNER_EMAIL, OWNER_PHONE, AUTHOR_NAME, AUTHOR_EMAIL,
    MEMBER_PHONE, MEMBER_EMAIL, NOTE,
)  # fmt: skip
# Point of a report inside Pontianak (Jl. Gajah Mada).
LON, LAT = 109.3366, -0.0349


@dataclass(frozen=True)
class Planted:
    """Where the planted values live: the report (routed to ``pd_kode``) and its token."""

    tracking: str
    access_token: str
    pd_kode: str
    idea_id: int
    camera_code: str
    owner_link: str


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    found = []
    for value in VALUES:
        digits = re.sub(r"\D", "", value)
        if len(digits) >= 10 and digits == value.replace("-", ""):
            # A phone number also as bare digits or as +62 (what a formatter might print).
            found.append((value, re.compile(rf"{digits}|62{digits[1:]}")))
        found.append((value, re.compile(re.escape(value), re.IGNORECASE)))
    return found


PATTERNS = _patterns()


def leaked_values(body: str) -> list[str]:
    """The planted values that appear in ``body`` (in any case, phones also as digits)."""
    return sorted({value for value, pattern in PATTERNS if pattern.search(body)})


def _category_of(database: Database, pd_kode: str) -> str:
    with database.session(write=False) as session:
        code = session.scalar(
            select(ServiceCategory.code)
            .where(ServiceCategory.pd_kode == pd_kode, ServiceCategory.is_active.is_(True))
            .order_by(ServiceCategory.code)
        )
    assert code is not None, f"no active category routed to {pd_kode}"
    return code


def _first_row_ids(database: Database, pd_kode: str) -> tuple[int, int]:
    with database.session(write=False) as session:
        participant = session.scalar(
            select(Participant.id).where(Participant.pd_kode == pd_kode).order_by(Participant.id)
        )
        member = session.scalar(select(CouncilMember.id).order_by(CouncilMember.id))
    assert participant is not None
    assert member is not None
    return participant, member


def plant_personal_data(client: TestClient, admin: dict[str, str], database: Database) -> Planted:
    """File a named report, an idea, a camera enrolment and officers' contacts."""
    pd_kode = "pupr"
    report = client.post(
        "/api/v1/complaints",
        headers=admin,
        json={
            "category_code": _category_of(database, pd_kode),
            "description": "Jalan berlubang dalam di depan toko, motor sering jatuh.",
            "lon": LON,
            "lat": LAT,
            "address": "Jl. Gajah Mada",
            "is_anonymous": False,
            "name": NAME,
            "phone": PHONE,
            "email": EMAIL,
            "consent": True,
        },
    )
    assert report.status_code == 201, report.text
    idea = client.post(
        "/api/v1/participation/gagasan",
        headers=admin,
        json={
            "title": "Taman baca di tepi Sungai Kapuas",
            "description": "Rak buku terbuka dan bangku teduh di tepian untuk anak-anak.",
            "dimensi_kode": "society",
            "contact": AUTHOR_EMAIL,
            "consent": True,
            "name": AUTHOR_NAME,
            "show_name": False,
        },
    )
    assert idea.status_code in (200, 201), idea.text
    camera = client.post(
        "/api/v1/cctv/enrolments",
        headers=admin,
        json={
            "name": "Kamera Toko Matriks",
            "owner_type": "warga",
            "owner_name": OWNER_NAME,
            "owner_phone": OWNER_PHONE,
            "owner_email": OWNER_EMAIL,
            "lon": LON,
            "lat": LAT,
            "purpose": "ketertiban",
            "sharing": "on_request",
            "consent": True,
            "snapshot_url": "http://192.0.2.10/snap.jpg",
        },
    )
    assert camera.status_code in (200, 201), camera.text
    receipt = report.json()
    note = client.post(
        f"/api/v1/complaints/{receipt['tracking_number']}/updates",
        headers=admin,
        json={"message": NOTE, "is_public": False},
    )
    assert note.status_code == 201, note.text
    participant, member = _first_row_ids(database, pd_kode)
    for path, body in (
        (f"/api/v1/institutions/participants/{participant}", {"nip": NIP}),
        (
            f"/api/v1/institutions/council-members/{member}",
            {"phone": MEMBER_PHONE, "email": MEMBER_EMAIL},
        ),
    ):
        changed = client.patch(path, headers=admin, json=body)
        assert changed.status_code == 200, (path, changed.text)
    return Planted(
        tracking=receipt["tracking_number"],
        access_token=receipt["access_token"],
        pd_kode=pd_kode,
        idea_id=idea.json()["id"],
        camera_code=camera.json()["code"],
        owner_link=camera.json()["owner_link"],
    )
