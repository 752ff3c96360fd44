"""A "not working" report is a real complaint in the Wi-Fi category at the hotspot, marks the
hotspot, and turns it to *gangguan* once enough different people reported it; the form keeps
the complaints form's consent rules, quota and idempotency."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.assets.wifi_choices import HotspotStatus, Problem
from pontive.assets.wifi_models import WifiReport
from pontive.assets.wifi_reports import (
    GANGGUAN_AFTER_REPORTS,
    GANGGUAN_WINDOW,
    Contact,
    get_reportable,
)
from pontive.complaints.choices import ComplaintStatus
from pontive.complaints.models import Notification
from pontive.complaints.ratelimit import REPORTS_PER_WINDOW
from pontive.complaints.service import check_access_token, get_by_tracking
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.registry.models import RegistryChange
from tests.assets.test_wifi_support import MakeUser, file_report, make_hotspot, status_of

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')


def test_a_report_becomes_a_complaint_at_the_hotspot(session: Session, media: MediaStore) -> None:
    hotspot = make_hotspot(session, name="Taman Akcaya")
    receipt = file_report(
        session, media, hotspot, problem=Problem.LAMBAT, details="Sejak pagi, di sisi panggung."
    )
    complaint = get_by_tracking(session, receipt.complaint.tracking_number)
    assert complaint.category.code == "wifi-publik"
    assert complaint.pd_kode == "diskominfo"  # the category's agency
    assert (complaint.lon, complaint.lat) == (hotspot.lon, hotspot.lat)
    assert complaint.kelurahan_kode == hotspot.kelurahan_kode
    assert complaint.attributes == {"masalah": "lambat", "hotspot": hotspot.code}
    assert "Taman Akcaya" in complaint.description
    assert "Sangat lambat" in complaint.description
    assert "Sejak pagi" in complaint.description
    assert complaint.is_anonymous
    assert complaint.reporter_phone is None
    assert check_access_token(complaint.tracking_number, receipt.access_token)
    assert hotspot.open_reports == 1
    assert hotspot.last_report_at == complaint.created_at
    assert status_of(hotspot) is HotspotStatus.AKTIF  # one report is not yet an outage


def test_enough_different_people_turn_a_hotspot_to_gangguan(
    session: Session, media: MediaStore, make_user: MakeUser
) -> None:
    team = make_user(Role.TIM_TEKNIS)
    officer = make_user(Role.PETUGAS_PD, pd_kode="diskominfo")
    bystander = make_user(Role.PETUGAS_PD, pd_kode="dlh")
    hotspot = make_hotspot(session, owner_pd="diskominfo")
    for number in range(GANGGUAN_AFTER_REPORTS - 1):
        file_report(session, media, hotspot, reporter=f"203.0.113.{number}")
    assert status_of(hotspot) is HotspotStatus.AKTIF
    before = session.scalar(select(Notification.id).order_by(Notification.id.desc())) or 0
    file_report(session, media, hotspot, reporter="203.0.113.99")
    assert status_of(hotspot) is HotspotStatus.GANGGUAN
    assert hotspot.status_by_reports is True
    assert hotspot.open_reports == GANGGUAN_AFTER_REPORTS
    change = session.scalars(
        select(RegistryChange)
        .where(
            RegistryChange.registry_name == "assets.wifi-hotspots",
            RegistryChange.object_id == hotspot.id,
        )
        .order_by(RegistryChange.id.desc())
    ).first()
    assert change is not None
    assert change.via == "system"
    assert '"status": ["aktif", "gangguan"]' in change.changes
    told = session.scalars(select(Notification).where(Notification.id > before)).all()
    about = {n.recipient for n in told if hotspot.code in n.subject and n.channel == "inapp"}
    assert about == {team.username, officer.username}
    assert bystander.username not in about


def test_one_person_reporting_again_and_again_counts_once(
    session: Session, media: MediaStore
) -> None:
    hotspot = make_hotspot(session)
    for _ in range(GANGGUAN_AFTER_REPORTS + 1):
        file_report(session, media, hotspot, reporter="203.0.113.7")
    assert hotspot.open_reports == GANGGUAN_AFTER_REPORTS + 1  # every complaint is kept
    assert status_of(hotspot) is HotspotStatus.AKTIF


def test_reports_older_than_the_window_do_not_add_up(session: Session, media: MediaStore) -> None:
    hotspot = make_hotspot(session)
    for number in range(GANGGUAN_AFTER_REPORTS - 1):
        file_report(session, media, hotspot, reporter=f"198.51.100.{number}")
    for link in session.scalars(select(WifiReport).where(WifiReport.hotspot_id == hotspot.id)):
        link.reported_at -= GANGGUAN_WINDOW + timedelta(minutes=5)
    file_report(session, media, hotspot, reporter="198.51.100.200")
    assert status_of(hotspot) is HotspotStatus.AKTIF


def test_the_same_form_sent_twice_is_one_report(session: Session, media: MediaStore) -> None:
    hotspot = make_hotspot(session)
    first = file_report(session, media, hotspot, key="kunci-uji-1")
    again = file_report(session, media, hotspot, key="kunci-uji-1")
    assert again.is_new is False
    assert again.complaint.tracking_number == first.complaint.tracking_number
    assert hotspot.open_reports == 1


def test_a_switched_off_or_planned_hotspot_takes_no_reports(session: Session) -> None:
    off = make_hotspot(session, status="nonaktif")
    planned = make_hotspot(session, status="direncanakan")
    with pytest.raises(Conflict):
        get_reportable(session, off.code)
    with pytest.raises(NotFound):
        get_reportable(session, planned.code)
    assert get_reportable(session, make_hotspot(session).code.lower()) is not None


def test_a_contact_needs_consent_as_in_the_complaints_form(
    session: Session, media: MediaStore
) -> None:
    hotspot = make_hotspot(session)
    with pytest.raises(InvalidInput) as refused:
        file_report(session, media, hotspot, contact=Contact(phone="0812-5555-0101"))
    assert "consent" in refused.value.errors
    assert hotspot.open_reports == 0
    receipt = file_report(
        session, media, hotspot, contact=Contact("Dewi", "0812-5555-0101", consent=True)
    )
    complaint = get_by_tracking(session, receipt.complaint.tracking_number)
    assert complaint.reporter_phone == "0812-5555-0101"
    assert complaint.reporter_name == "Dewi"
    assert complaint.is_anonymous is False


# --- the form at /wifi/<code>/lapor ----------------------------------------------------------


def _form(client: TestClient, code: str) -> tuple[str, str]:
    page = client.get(f"/wifi/{code}/lapor")
    assert page.status_code == 200, page.text
    assert page.headers["cache-control"] == "private, no-store"
    csrf, key = CSRF.search(page.text), KEY.search(page.text)
    assert csrf
    assert key
    return csrf.group(1), key.group(1)


def test_the_form_files_a_report_and_answers_with_the_private_link(
    session: Session, client: TestClient
) -> None:
    hotspot = make_hotspot(session, name="Taman Digulis")
    csrf, key = _form(client, hotspot.code)
    sent = {"csrf_token": csrf, "idempotency_key": key, "problem": "tidak-bisa-terhubung"}
    answer = client.post(f"/wifi/{hotspot.code}/lapor", data=sent, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    target = answer.headers["location"]
    match = re.match(r"^/lapor/(PTK-\d{4}-\d{6})\?k=([^&]+)&baru=1$", target)
    assert match, target
    assert check_access_token(match.group(1), match.group(2))
    receipt_page = client.get(target)
    assert receipt_page.status_code == 200
    assert match.group(1) in receipt_page.text
    again = client.post(f"/wifi/{hotspot.code}/lapor", data=sent, follow_redirects=False)
    assert again.headers["location"] == target  # the same form twice: the same report
    assert hotspot.open_reports == 1
    complaint = get_by_tracking(session, match.group(1))
    assert complaint.status is ComplaintStatus.DITERIMA
    assert complaint.attributes["masalah"] == "tidak-bisa-terhubung"


def test_the_form_keeps_what_was_typed_when_something_is_missing(
    session: Session, client: TestClient
) -> None:
    hotspot = make_hotspot(session)
    csrf, key = _form(client, hotspot.code)
    sent = {"csrf_token": csrf, "idempotency_key": key, "details": "Mati total sejak subuh"}
    answer = client.post(f"/wifi/{hotspot.code}/lapor", data=sent)
    assert answer.status_code == 422
    assert "Pilih apa yang terjadi." in answer.text
    assert "Mati total sejak subuh" in answer.text
    sent |= {"problem": "lainnya", "phone": "0812-5555-0101"}  # a contact without consent
    answer = client.post(f"/wifi/{hotspot.code}/lapor?lang=en", data=sent)
    assert answer.status_code == 422
    assert "Agree to the use of your contact" in answer.text
    assert hotspot.open_reports == 0


def test_the_form_shares_the_complaints_quota(session: Session, client: TestClient) -> None:
    hotspot = make_hotspot(session)
    csrf, _key = _form(client, hotspot.code)
    for number in range(REPORTS_PER_WINDOW):
        sent = {"csrf_token": csrf, "idempotency_key": f"kuota-{number}", "problem": "lambat"}
        answer = client.post(f"/wifi/{hotspot.code}/lapor", data=sent, follow_redirects=False)
        assert answer.status_code == 303
    sent = {"csrf_token": csrf, "idempotency_key": "kuota-lebih", "problem": "lambat"}
    refused = client.post(f"/wifi/{hotspot.code}/lapor", data=sent, follow_redirects=False)
    assert refused.status_code == 429
    assert hotspot.open_reports == REPORTS_PER_WINDOW
    # Each report was a complaint: the complaints form's own quota is used up as well.
    page = client.get("/lapor?kategori=wifi-publik")
    post = {"csrf_token": csrf, "category_code": "wifi-publik", "description": "x" * 20}
    assert page.status_code == 200
    assert client.post("/lapor", data=post, follow_redirects=False).status_code == 429


def test_the_form_refuses_a_post_without_its_token(session: Session, client: TestClient) -> None:
    hotspot = make_hotspot(session)
    answer = client.post(f"/wifi/{hotspot.code}/lapor", data={"problem": "lambat"})
    assert answer.status_code == 403
    assert hotspot.open_reports == 0


def test_no_form_for_a_switched_off_hotspot(session: Session, client: TestClient) -> None:
    hotspot = make_hotspot(session, status="nonaktif")
    assert client.get(f"/wifi/{hotspot.code}/lapor").status_code == 409
    assert client.get("/wifi/TIDAK-ADA/lapor").status_code == 404
