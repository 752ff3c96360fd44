"""The staff console for complaints: queue, report desk, actions, photos, contact."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.complaints.choices import ComplaintStatus, UpdateKind
from pontive.complaints.service import Upload
from pontive.core.audit import AuditEvent
from pontive.core.roles import Role
from tests.complaints.conftest import jpeg_bytes
from tests.conftest import login

S = ComplaintStatus
QUEUE = "/console/pengaduan"
# Street lights are Dishub's: a report of another agency than the officer's (PUPR).
LAMP = "Lampu jalan padam di depan sekolah sejak seminggu."


def csrf(client: TestClient, path: str = QUEUE) -> str:
    """The CSRF token of the signed-in session, read from a page's form."""
    page = client.get(path)
    return page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


@pytest.fixture
def operator(client: TestClient, make_user) -> TestClient:  # type: ignore[no-untyped-def]
    login(client, make_user(Role.OPERATOR).username)
    return client


@pytest.fixture
def officer(client: TestClient, make_user) -> TestClient:  # type: ignore[no-untyped-def]
    login(client, make_user(Role.PETUGAS_PD, pd_kode="pupr").username)
    return client


def test_the_console_home_shows_the_citizen_reports_card(operator: TestClient) -> None:
    page = operator.get("/console/")
    assert 'href="/console/pengaduan"' in page.text
    assert "Pengaduan Warga" in page.text


def test_operator_queue_lists_every_agencys_reports_with_status_tabs(operator, report) -> None:  # type: ignore[no-untyped-def]
    pupr = report("drainase").complaint
    dlh = report("lampu-jalan", description=LAMP).complaint
    page = operator.get(QUEUE)
    assert page.status_code == 200
    assert pupr.tracking_number in page.text
    assert dlh.tracking_number in page.text
    assert "Diterima" in page.text  # the tab of the state both are in
    assert 'id="bulk"' in page.text


def test_officer_queue_shows_only_their_own_agencys_reports(officer, report) -> None:  # type: ignore[no-untyped-def]
    own = report("drainase").complaint  # pupr
    other = report("lampu-jalan", description=LAMP)
    page = officer.get(QUEUE)
    assert own.tracking_number in page.text
    assert other.complaint.tracking_number not in page.text
    assert 'id="bulk"' not in page.text  # bulk triage is the command center's


def test_queue_filters_by_status_category_and_text(operator, report, report_in) -> None:  # type: ignore[no-untyped-def]
    fresh = report("drainase").complaint
    verified = report_in(S.DIVERIFIKASI)
    page = operator.get(QUEUE, params={"status": "diverifikasi"})
    assert verified.tracking_number in page.text
    assert fresh.tracking_number not in page.text
    page = operator.get(QUEUE, params={"q": fresh.tracking_number})
    assert fresh.tracking_number in page.text
    assert verified.tracking_number not in page.text
    page = operator.get(QUEUE, params={"category": "sampah"})
    assert fresh.tracking_number not in page.text


def test_queue_marks_overdue_reports(operator, report, session: Session) -> None:  # type: ignore[no-untyped-def]
    late = report("drainase").complaint
    late.due_on = late.created_at.date().replace(year=late.created_at.year - 1)
    session.commit()
    page = operator.get(QUEUE, params={"overdue": "1"})
    assert late.tracking_number in page.text
    assert "Lewat batas waktu" in page.text


def test_queue_sorted_by_due_date_puts_the_earliest_first(
    operator, report, session: Session
) -> None:  # type: ignore[no-untyped-def]
    first, second = report("drainase").complaint, report("drainase").complaint
    first.due_on, second.due_on = second.due_on, first.due_on.replace(year=2020)  # type: ignore[union-attr]
    session.commit()
    text = operator.get(QUEUE, params={"sort": "due"}).text
    assert text.index(second.tracking_number) < text.index(first.tracking_number)
    text = operator.get(QUEUE, params={"sort": "newest"}).text
    assert text.index(second.tracking_number) < text.index(first.tracking_number)
    text = operator.get(QUEUE, params={"sort": "oldest"}).text
    assert text.index(first.tracking_number) < text.index(second.tracking_number)


def test_bulk_dispose_routes_every_chosen_report_to_the_agency(operator, report) -> None:  # type: ignore[no-untyped-def]
    a, b = report("drainase").complaint, report("drainase").complaint
    response = operator.post(
        f"{QUEUE}/massal",
        data={
            "csrf_token": csrf(operator),
            "action": "dispose",
            "pd_kode": "dlh",
            "tracking": [a.tracking_number, b.tracking_number],
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"{QUEUE}?ok=bulk"
    for complaint in (a, b):
        assert complaint.status is S.DIDISPOSISIKAN
        assert complaint.pd_kode == "dlh"


def test_bulk_verify_reports_the_ones_the_workflow_refuses(operator, report, report_in) -> None:  # type: ignore[no-untyped-def]
    fresh = report("drainase").complaint
    done = report_in(S.SELESAI)
    response = operator.post(
        f"{QUEUE}/massal",
        data={
            "csrf_token": csrf(operator),
            "action": "verify",
            "tracking": [fresh.tracking_number, done.tracking_number],
        },
    )
    assert response.status_code == 409
    assert fresh.status is S.DIVERIFIKASI
    assert done.status is S.SELESAI
    assert done.tracking_number in response.text


def test_bulk_dispose_without_an_agency_is_refused_with_the_reason(operator, report) -> None:  # type: ignore[no-untyped-def]
    fresh = report("drainase").complaint
    response = operator.post(
        f"{QUEUE}/massal",
        data={"csrf_token": csrf(operator), "action": "dispose", "tracking": fresh.tracking_number},
    )
    assert response.status_code == 422
    assert "Pilih Perangkat Daerah tujuan" in response.text
    assert fresh.status is S.DITERIMA


def test_bulk_action_is_refused_to_officers(officer, report) -> None:  # type: ignore[no-untyped-def]
    fresh = report("drainase").complaint
    response = officer.post(
        f"{QUEUE}/massal",
        data={"csrf_token": csrf(officer), "action": "verify", "tracking": fresh.tracking_number},
    )
    assert response.status_code == 403
    assert fresh.status is S.DITERIMA


def test_forms_without_the_csrf_token_are_refused(operator, report) -> None:  # type: ignore[no-untyped-def]
    fresh = report("drainase").complaint
    response = operator.post(f"{QUEUE}/{fresh.tracking_number}/status", data={"to": "diverifikasi"})
    assert response.status_code == 403
    assert fresh.status is S.DITERIMA


def test_desk_shows_the_report_timeline_and_the_actors_next_states(officer, report_in) -> None:  # type: ignore[no-untyped-def]
    complaint = report_in(S.DIDISPOSISIKAN)
    page = officer.get(f"{QUEUE}/{complaint.tracking_number}")
    assert page.status_code == 200
    assert complaint.description in page.text
    offered = set(re.findall(r'name="to" value="([a-z_]+)"', page.text))
    # A PD officer works the report; triage states (duplicate) are the command center's.
    assert offered == {"dikerjakan", "bukan_kewenangan", "menunggu_pelapor", "selesai"}


def test_desk_of_another_agencys_report_is_forbidden_to_an_officer(officer, report) -> None:  # type: ignore[no-untyped-def]
    other = report("lampu-jalan", description=LAMP)
    assert officer.get(f"{QUEUE}/{other.complaint.tracking_number}").status_code == 403


def test_desk_never_shows_contact_details_until_asked(operator, report, session: Session) -> None:  # type: ignore[no-untyped-def]
    complaint = report(
        "drainase",
        is_anonymous=False,
        name="Ahmad Rahasia",
        phone="081234567890",
        consent=True,
    ).complaint
    desk = operator.get(f"{QUEUE}/{complaint.tracking_number}")
    assert "Ahmad Rahasia" not in desk.text
    assert "081234567890" not in desk.text
    shown = operator.post(
        f"{QUEUE}/{complaint.tracking_number}/kontak",
        data={"csrf_token": csrf(operator, f"{QUEUE}/{complaint.tracking_number}")},
    )
    assert shown.status_code == 200
    assert "Ahmad Rahasia" in shown.text
    assert "081234567890" in shown.text
    assert shown.headers["cache-control"] == "no-store"
    reads = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "complaint.read_contact",
            AuditEvent.object_id == complaint.tracking_number,
        )
    ).all()
    assert len(reads) == 1


def test_status_change_redirects_with_a_confirmation(officer, report_in) -> None:  # type: ignore[no-untyped-def]
    complaint = report_in(S.DIDISPOSISIKAN)
    path = f"{QUEUE}/{complaint.tracking_number}"
    response = officer.post(
        f"{path}/status",
        data={"csrf_token": csrf(officer, path), "to": "dikerjakan", "message": "Tim berangkat."},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"{path}?ok=status"
    assert complaint.status is S.DIKERJAKAN
    assert "Status laporan diperbarui" in officer.get(response.headers["location"]).text


def test_a_missing_reason_is_shown_at_its_field(officer, report_in) -> None:  # type: ignore[no-untyped-def]
    complaint = report_in(S.DIDISPOSISIKAN)
    path = f"{QUEUE}/{complaint.tracking_number}"
    response = officer.post(
        f"{path}/status", data={"csrf_token": csrf(officer, path), "to": "bukan_kewenangan"}
    )
    assert response.status_code == 422
    assert 'id="message-error"' in response.text
    assert complaint.status is S.DIDISPOSISIKAN


def test_operator_reroutes_a_not_responsible_report_to_another_agency(
    operator, report_in, session: Session
) -> None:  # type: ignore[no-untyped-def]
    from pontive.complaints import workflow
    from tests.complaints.conftest import STAFF

    complaint = report_in(S.DIDISPOSISIKAN)
    workflow.transition(
        session=session,
        actor=STAFF,
        tracking_number=complaint.tracking_number,
        to=S.BUKAN_KEWENANGAN,
        message="Saluran ini milik DLH.",
    )
    path = f"{QUEUE}/{complaint.tracking_number}"
    response = operator.post(
        f"{path}/status",
        data={"csrf_token": csrf(operator, path), "to": "didisposisikan", "pd_kode": "dlh"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert complaint.status is S.DIDISPOSISIKAN
    assert complaint.pd_kode == "dlh"


def test_reply_with_a_fix_photo_is_public_and_the_photo_is_served_to_staff(
    officer, report_in
) -> None:  # type: ignore[no-untyped-def]
    complaint = report_in(S.DIKERJAKAN)
    path = f"{QUEUE}/{complaint.tracking_number}"
    response = officer.post(
        f"{path}/tanggapan",
        data={"csrf_token": csrf(officer, path), "kind": "reply", "message": "Sudah dibersihkan."},
        files={"photos": ("fix.jpg", jpeg_bytes(), "image/jpeg")},
        follow_redirects=False,
    )
    assert response.headers["location"] == f"{path}?ok=reply"
    reply = complaint.updates[-1]
    assert reply.kind is UpdateKind.REPLY
    assert reply.is_public
    fix = [photo for photo in complaint.photos if photo.is_fix]
    assert len(fix) == 1
    assert fix[0].update_id == reply.id
    served = officer.get(f"{path}/foto/{fix[0].id}")
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert served.content[:2] == b"\xff\xd8"


def test_internal_note_is_marked_internal_on_the_desk(officer, report_in) -> None:  # type: ignore[no-untyped-def]
    complaint = report_in(S.DIKERJAKAN)
    path = f"{QUEUE}/{complaint.tracking_number}"
    officer.post(
        f"{path}/tanggapan",
        data={"csrf_token": csrf(officer, path), "kind": "note", "message": "Butuh alat berat."},
    )
    assert complaint.updates[-1].kind is UpdateKind.NOTE
    assert not complaint.updates[-1].is_public
    desk = officer.get(path).text
    entry = desk.split("Butuh alat berat.")[0].rsplit("<li", 1)[1]
    assert "cc-kind-note" in entry
    assert "Internal" in entry


def test_an_empty_reply_is_refused_at_its_field(officer, report_in) -> None:  # type: ignore[no-untyped-def]
    complaint = report_in(S.DIKERJAKAN)
    path = f"{QUEUE}/{complaint.tracking_number}"
    response = officer.post(
        f"{path}/tanggapan", data={"csrf_token": csrf(officer, path), "kind": "reply"}
    )
    assert response.status_code == 422
    assert "Tulis isi tanggapan" in response.text


def test_photos_of_other_agencies_are_not_served_to_an_officer(officer, report) -> None:  # type: ignore[no-untyped-def]
    other = report(
        "lampu-jalan",
        description=LAMP,
        photos=[Upload("a.jpg", jpeg_bytes())],
    ).complaint
    photo_id = other.photos[0].id
    response = officer.get(f"{QUEUE}/{other.tracking_number}/foto/{photo_id}")
    assert response.status_code == 403


def test_a_photo_id_of_another_report_is_not_found(operator, report) -> None:  # type: ignore[no-untyped-def]
    one = report("drainase", photos=[Upload("a.jpg", jpeg_bytes())]).complaint
    two = report("drainase").complaint
    response = operator.get(f"{QUEUE}/{two.tracking_number}/foto/{one.photos[0].id}")
    assert response.status_code == 404


def test_moderation_edits_the_public_text_visibility_and_photos(operator, report) -> None:  # type: ignore[no-untyped-def]
    complaint = report(
        "drainase", photos=[Upload("a.jpg", jpeg_bytes()), Upload("b.jpg", jpeg_bytes())]
    ).complaint
    keep = complaint.photos[1].id
    path = f"{QUEUE}/{complaint.tracking_number}"
    response = operator.post(
        f"{path}/moderasi",
        data={
            "csrf_token": csrf(operator, path),
            "public_description": "Parit tersumbat di Jl. Gajah Mada.",
            "public_photo": [str(keep)],
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == f"{path}?ok=moderated"
    assert complaint.public_description == "Parit tersumbat di Jl. Gajah Mada."
    assert complaint.is_public is False  # box left unticked: hidden
    assert [p.id for p in complaint.photos if p.is_public] == [keep]


def test_moderation_is_not_offered_to_officers(officer, report_in) -> None:  # type: ignore[no-untyped-def]
    complaint = report_in(S.DIDISPOSISIKAN)
    path = f"{QUEUE}/{complaint.tracking_number}"
    assert "/moderasi" not in officer.get(path).text
    response = officer.post(
        f"{path}/moderasi",
        data={"csrf_token": csrf(officer, path), "public_description": "Teks baru sekali."},
    )
    assert response.status_code == 403


def test_desk_suggests_nearby_duplicates_and_merges_with_one_click(operator, report) -> None:  # type: ignore[no-untyped-def]
    original = report("drainase").complaint
    copy = report("drainase", description="Got mampet di Gajah Mada, air naik ke jalan.").complaint
    path = f"{QUEUE}/{copy.tracking_number}"
    desk = operator.get(path).text
    assert f"Tandai duplikat dari {original.tracking_number}" in desk
    assert f"Tandai duplikat dari {copy.tracking_number}" not in desk
    response = operator.post(
        f"{path}/status",
        data={
            "csrf_token": csrf(operator, path),
            "to": "duplikat",
            "duplicate_of": original.tracking_number,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert copy.status is S.DUPLIKAT
    assert copy.duplicate_of_id == original.id


def test_pages_are_in_english_on_request(operator, report) -> None:  # type: ignore[no-untyped-def]
    complaint = report("drainase").complaint
    assert "Citizen Reports" in operator.get(QUEUE, params={"lang": "en"}).text
    desk = operator.get(f"{QUEUE}/{complaint.tracking_number}", params={"lang": "en"}).text
    assert "Handling history" in desk


def test_citizens_and_anonymous_visitors_are_kept_out(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    response = client.get(QUEUE, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/masuk")
    login(client, make_user(Role.WARGA).username)
    assert client.get(QUEUE).status_code == 403
