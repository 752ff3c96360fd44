"""The meetings console over HTTP: scheduling a meeting (and a refused form that keeps what
was typed), minutes, decisions, an action item that becomes a task, the sign-off that freezes
the meeting and the minutes PDF, and who may see and do what (a PD officer only the meetings
its agency attends; the mayor reads without forms)."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.coordination import meetings
from pontive.coordination.choices import EntryKind, MeetingStatus
from pontive.coordination.models import Meeting, Task
from pontive.coordination.service import entries
from pontive.core.roles import Role
from pontive.core.timeutil import WIB, utcnow
from tests.conftest import login
from tests.coordination.support import OPERATOR, open_incident

MEETINGS = "/console/koordinasi/rapat"
HTML = {"Accept": "text/html"}
DECISION = "Dinas PUPR membersihkan saluran primer Jl. Gajah Mada malam ini."
SIGNER = "Kepala Pelaksana BPBD, Ir. Ahmad Yani"


def sign_in(client: TestClient, make_user: Any, role: Role, pd: str | None = None) -> None:
    """A new user of ``role`` signed in on ``client``."""
    login(client, make_user(role, pd_kode=pd).username)


def csrf(client: TestClient) -> str:
    """The session's CSRF token (every signed-in page has the sign-out form)."""
    page = client.get("/console/", headers=HTML)
    return page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def post(client: TestClient, path: str, data: dict[str, Any]) -> Any:
    """A console form post with the session's CSRF token."""
    return client.post(
        path, data={"csrf_token": csrf(client), **data}, headers=HTML, follow_redirects=False
    )


def local(hours: float) -> str:
    """A ``datetime-local`` value ``hours`` from now, in WIB."""
    return (utcnow() + timedelta(hours=hours)).astimezone(WIB).strftime("%Y-%m-%dT%H:%M")


def schedule(session: Session, *, hours: float = 2, **overrides: Any) -> Meeting:
    """A meeting about a new flood incident, BPBD and PUPR attending (committed)."""
    incident = open_incident(session)
    values: dict[str, Any] = {
        "title": "Rapat koordinasi banjir rob Gajah Mada",
        "starts_at": utcnow() + timedelta(hours=hours),
        "chair": "Kepala Pelaksana BPBD",
        "agenda": "Situasi terkini\nPembagian tugas",
        "incident_code": incident.code,
        "attendees": [("bpbd", "Kalaksa BPBD"), ("pupr", "Kabid SDA PUPR")],
    }
    values.update(overrides)
    meeting = meetings.create_meeting(session, actor=OPERATOR, data=meetings.MeetingInput(**values))
    session.commit()  # a refused form rolls the request's work back, never the test's setup
    return meeting


def held(session: Session, meeting: Meeting) -> int:
    """Minutes and one decision recorded; the decision's id."""
    meetings.record_minutes(
        session, actor=OPERATOR, meeting=meeting,
        minutes="BPBD melaporkan 120 rumah tergenang. PUPR menyiapkan dua pompa tambahan.",
    )  # fmt: skip
    decision = meetings.add_decision(session, actor=OPERATOR, meeting=meeting, text=DECISION)
    session.commit()
    return decision.id


def pdf_text(document: bytes) -> str:
    """The text of a PDF, its lines joined by single spaces."""
    pages = PdfReader(io.BytesIO(document)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_an_operator_schedules_a_meeting_about_an_incident(
    client: TestClient, make_user: Any, session: Session
) -> None:
    incident = open_incident(session)
    session.commit()
    sign_in(client, make_user, Role.OPERATOR)
    form = client.get(f"{MEETINGS}/baru?insiden={incident.code.lower()}", headers=HTML)
    assert form.status_code == 200
    assert f'<option value="{incident.code}" selected>' in form.text
    assert form.text.count('name="att_pd_') == 8  # attendee rows without JavaScript

    answer = post(client, f"{MEETINGS}/baru", {
        "title": "Rapat koordinasi penanganan banjir rob", "starts_at": local(24),
        "place": "Ruang Rapat Pontive Center", "chair": "Sekretaris Daerah",
        "agenda": "Situasi terkini\n- Pembagian tugas", "incident_code": incident.code,
        "att_pd_0": "bpbd", "att_name_0": "Kalaksa BPBD", "att_pd_3": "pupr", "att_name_3": "",
        "att_pd_5": "", "att_name_5": "Camat Pontianak Utara",
    })  # fmt: skip
    assert answer.status_code == 303
    code = re.fullmatch(
        rf"{MEETINGS}/(RPT-\d{{4}}-\d{{4}})\?ok=meeting_created", answer.headers["location"]
    )
    assert code is not None
    meeting = session.scalar(select(Meeting).where(Meeting.code == code.group(1)))
    assert meeting is not None
    assert meeting.incident_id == incident.id
    assert [(a.pd_kode, a.name) for a in meeting.attendees] == [
        ("bpbd", "Kalaksa BPBD"), ("pupr", ""), (None, "Camat Pontianak Utara"),
    ]  # fmt: skip
    assert meeting.starts_at.astimezone(WIB).strftime("%Y-%m-%dT%H:%M") == local(24)
    assert [e.ref for e in entries(session, incident) if e.kind is EntryKind.MEETING] == [
        meeting.code
    ]

    page = client.get(answer.headers["location"], headers=HTML)
    assert "Rapat dijadwalkan." in page.text
    assert "<li>Pembagian tugas</li>" in page.text
    listed = client.get(MEETINGS, headers=HTML).text
    upcoming = listed.split('id="akan-datang"', 1)[1].split("</ol>", 1)[0]
    assert f'data-code="{meeting.code}"' in upcoming
    assert f'href="/console/koordinasi/{incident.code}"' in upcoming


def test_a_refused_meeting_form_shows_its_errors_and_keeps_what_was_typed(
    client: TestClient, make_user: Any, session: Session
) -> None:
    sign_in(client, make_user, Role.OPERATOR)
    before = session.scalars(select(Meeting.id)).all()
    answer = post(client, f"{MEETINGS}/baru", {
        "title": "Rpt", "starts_at": "besok pagi", "agenda": "Situasi terkini",
        "att_pd_0": "pupr", "att_name_0": "Kabid SDA PUPR", "att_pd_1": "tidak-ada",
    })  # fmt: skip
    assert answer.status_code == 422
    assert 'role="alert"' in answer.text
    assert 'id="f-title-error"' in answer.text
    assert "Judul rapat 5 sampai 200 huruf." in answer.text
    assert "Tanggal dan jam tidak terbaca" in answer.text  # the page's reading, not "missing"
    assert "Perangkat Daerah tidak dikenal: tidak-ada." in answer.text
    assert 'value="Kabid SDA PUPR"' in answer.text
    assert '<option value="pupr" selected>' in answer.text
    assert 'value="besok pagi"' in answer.text
    assert session.scalars(select(Meeting.id)).all() == before


def test_minutes_a_decision_and_its_action_item_made_a_task(
    client: TestClient, make_user: Any, session: Session
) -> None:
    meeting = schedule(session)
    absent = meeting.attendees[1].id
    sign_in(client, make_user, Role.OPERATOR)
    page = f"{MEETINGS}/{meeting.code}"
    assert "Diundang" in client.get(page, headers=HTML).text

    answer = post(client, f"{page}/notulen", {"minutes": "Rapat", "absent": absent})
    assert answer.status_code == 422
    assert "Notulen 10 sampai 50.000 huruf." in answer.text
    assert re.search(rf'name="absent" value="{absent}" checked', answer.text)  # kept as ticked

    minutes = "BPBD melaporkan 120 rumah tergenang.\nPUPR menyiapkan dua pompa tambahan."
    answer = post(client, f"{page}/notulen", {"minutes": minutes, "absent": str(absent)})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{page}?ok=minutes#notulen"
    session.refresh(meeting)
    assert meeting.status is MeetingStatus.SELESAI
    assert meeting.minutes == minutes
    assert [a.present for a in meeting.attendees] == [True, False]

    answer = post(client, f"{page}/keputusan", {"decision": DECISION})
    assert answer.status_code == 303
    session.refresh(meeting)
    (decision,) = meeting.decisions
    assert decision.number == 1
    assert decision.text == DECISION
    assert meeting.incident is not None
    decided = [e.text for e in entries(session, meeting.incident) if e.kind is EntryKind.DECISION]
    assert decided == [f"Keputusan rapat {meeting.code} no. 1: {DECISION}"]

    task_form = f"{page}/keputusan/{decision.id}/tugas"
    late = post(client, task_form, {"title": "Bersihkan saluran primer", "pd_kode": "pupr",
                                    "priority": "tinggi", "due_at": local(-2)})  # fmt: skip
    assert late.status_code == 422
    assert "Batas waktu harus di masa depan." in late.text
    assert (
        f'id="t{decision.id}-title" name="title" maxlength="200" value="Bersihkan saluran primer"'
        in late.text
    )
    assert session.scalars(select(Task).where(Task.meeting_id == meeting.id)).all() == []

    answer = post(client, task_form, {
        "title": "Bersihkan saluran primer Jl. Gajah Mada", "pd_kode": "pupr",
        "priority": "tinggi", "due_at": local(12), "description": "Dua regu, mulai pukul 20.00.",
    })  # fmt: skip
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{page}?ok=task_created#keputusan-{decision.id}"
    (task,) = session.scalars(select(Task).where(Task.meeting_id == meeting.id))
    assert (task.decision_id, task.incident_id, task.pd_kode) == (
        decision.id, meeting.incident_id, "pupr",
    )  # fmt: skip
    shown = client.get(answer.headers["location"], headers=HTML).text
    assert f'href="/console/koordinasi/tugas/{task.code}"' in shown
    assert "Tugas dibuat dan dikirim ke Perangkat Daerah." in shown


def test_signing_off_freezes_the_meeting_and_serves_the_stored_pdf(
    client: TestClient, make_user: Any, session: Session
) -> None:
    meeting = schedule(session)
    sign_in(client, make_user, Role.OPERATOR)
    page = f"{MEETINGS}/{meeting.code}"
    early = post(client, f"{page}/sahkan", {"signed_by": SIGNER})
    assert early.status_code == 422
    assert "Tulis notulen dulu sebelum disahkan." in early.text

    draft = client.get(f"{page}/notulen.pdf")
    assert draft.status_code == 200
    assert "(draf, belum disahkan)" in pdf_text(draft.content)

    decision_id = held(session, meeting)
    answer = post(client, f"{page}/sahkan", {"signed_by": SIGNER})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{page}?ok=signed#pengesahan"
    session.refresh(meeting)
    assert meeting.status is MeetingStatus.DISAHKAN
    assert meeting.minutes_sha256

    shown = client.get(page, headers=HTML).text
    assert f'id="minutes-sha">{meeting.minutes_sha256}<' in shown
    assert SIGNER in shown
    for action in ("ubah", "notulen", "keputusan", "sahkan"):
        assert f'action="{page}/{action}"' not in shown
    assert f'action="{page}/keputusan/{decision_id}/tugas"' in shown  # follow-up goes on

    refused = post(client, f"{page}/ubah", {"title": "Judul baru setelah disahkan",
                                           "starts_at": local(1)})  # fmt: skip
    assert refused.status_code == 409
    assert "Notulen sudah disahkan dan tidak dapat diubah." in refused.text
    assert (
        post(client, f"{page}/keputusan", {"decision": "Keputusan terlambat."}).status_code == 409
    )
    session.refresh(meeting)
    assert meeting.title == "Rapat koordinasi banjir rob Gajah Mada"
    assert len(meeting.decisions) == 1

    document = client.get(f"{page}/notulen.pdf")
    assert document.status_code == 200
    assert document.headers["content-type"] == "application/pdf"
    assert document.headers["content-disposition"] == (
        f'inline; filename="notulen-{meeting.code}.pdf"'
    )
    assert hashlib.sha256(document.content).hexdigest() == meeting.minutes_sha256
    text = pdf_text(document.content)
    assert DECISION in text
    assert "Ir. Ahmad Yani" in text
    assert "draf" not in text


def test_a_pd_officer_sees_only_the_meetings_its_agency_attends(
    client: TestClient, make_user: Any, session: Session
) -> None:
    meeting = schedule(session, attendees=[("bpbd", "Kalaksa BPBD")])
    held(session, meeting)
    page = f"{MEETINGS}/{meeting.code}"
    sign_in(client, make_user, Role.PETUGAS_PD, "pupr")
    assert f'data-code="{meeting.code}"' not in client.get(MEETINGS, headers=HTML).text
    assert client.get(page, headers=HTML).status_code == 404
    assert client.get(f"{page}/notulen.pdf").status_code == 404

    client.cookies.clear()
    sign_in(client, make_user, Role.PETUGAS_PD, "bpbd")
    assert f'data-code="{meeting.code}"' in client.get(MEETINGS, headers=HTML).text
    shown = client.get(page, headers=HTML)
    assert shown.status_code == 200
    assert DECISION in shown.text
    assert 'id="minutes-text"' in shown.text
    assert f'action="{page}/' not in shown.text
    assert (
        post(client, f"{page}/keputusan", {"decision": "Keputusan dari BPBD."}).status_code == 403
    )


def test_the_mayor_reads_meetings_without_forms(
    client: TestClient, make_user: Any, session: Session
) -> None:
    meeting = schedule(session)
    decision_id = held(session, meeting)
    page = f"{MEETINGS}/{meeting.code}"
    sign_in(client, make_user, Role.WALIKOTA)
    listed = client.get(MEETINGS, headers=HTML).text
    assert f'data-code="{meeting.code}"' in listed
    assert f'href="{MEETINGS}/baru"' not in listed
    shown = client.get(page, headers=HTML).text
    assert DECISION in shown
    assert "<form" not in shown.split('id="rapat"', 1)[1]  # only the sign-out form, above
    assert client.get(f"{MEETINGS}/baru", headers=HTML).status_code == 403
    for path, data in (
        (f"{page}/notulen", {"minutes": "Notulen dari Wali Kota."}),
        (f"{page}/keputusan/{decision_id}/tugas", {"title": "Tugas", "pd_kode": "pupr"}),
        (f"{page}/sahkan", {"signed_by": SIGNER}),
        (f"{MEETINGS}/baru", {"title": "Rapat Wali Kota", "starts_at": local(3)}),
    ):
        assert post(client, path, data).status_code == 403, path
    assert client.get(f"{page}/notulen.pdf").status_code == 200


def test_the_list_puts_upcoming_meetings_first_soonest_first(
    client: TestClient, make_user: Any, session: Session
) -> None:
    later = schedule(session, hours=48, title="Rapat evaluasi pompa air")
    sooner = schedule(session, hours=3, title="Rapat siaga malam ini")
    past = schedule(session, hours=-30, title="Rapat kemarin sore")
    sign_in(client, make_user, Role.TIM_TEKNIS)
    listed = client.get(MEETINGS, headers=HTML).text
    upcoming, held_part = listed.split('id="sudah-lewat"', 1)
    codes = re.findall(r'data-code="(RPT-[\d-]+)"', upcoming)
    assert codes.index(sooner.code) < codes.index(later.code)
    assert past.code not in codes
    assert f'data-code="{past.code}"' in held_part


@pytest.mark.parametrize(
    ("lang", "heading"), [("id", "Rapat Koordinasi"), ("en", "Coordination Meetings")]
)
def test_the_meetings_pages_speak_both_languages(
    client: TestClient, make_user: Any, session: Session, lang: str, heading: str
) -> None:
    meeting = schedule(session)
    sign_in(client, make_user, Role.OPERATOR)
    listed = client.get(f"{MEETINGS}?lang={lang}", headers=HTML).text
    assert f"<h1>{heading}</h1>" in listed
    shown = client.get(f"{MEETINGS}/{meeting.code}?lang={lang}", headers=HTML).text
    assert ("Sahkan notulen" if lang == "id" else "Sign off the minutes") in shown
    assert client.get(f"{MEETINGS}/RPT-1999-0001", headers=HTML).status_code == 404


def test_a_meeting_is_corrected_before_sign_off(
    client: TestClient, make_user: Any, session: Session
) -> None:
    meeting = schedule(session)
    sign_in(client, make_user, Role.TIM_TEKNIS)
    page = f"{MEETINGS}/{meeting.code}"
    shown = client.get(page, headers=HTML).text
    edit = shown.split('id="ubah"', 1)[1]
    assert 'id="e-title" name="title" maxlength="200" value="Rapat koordinasi banjir rob' in edit
    assert re.search(
        r'id="e-att_pd_1" name="att_pd_1">.*?<option value="pupr" selected>', edit, re.S
    )
    assert edit.count('name="att_pd_') == 8  # two attendees and spare rows

    refused = post(client, f"{page}/ubah", {"title": meeting.title, "starts_at": ""})
    assert refused.status_code == 422
    assert 'id="e-starts_at-error"' in refused.text
    assert re.search(
        r'<details class="co-details" open>\s*<summary id="edit-heading"', refused.text
    )

    answer = post(client, f"{page}/ubah", {
        "title": "Rapat koordinasi banjir rob (dimajukan)", "starts_at": local(1),
        "place": "Posko BPBD", "chair": "Kepala Pelaksana BPBD", "agenda": "Situasi terkini",
        "att_pd_0": "bpbd", "att_name_0": "Kalaksa BPBD", "att_pd_1": "dishub",
        "att_name_1": "Kabid Lalu Lintas",
    })  # fmt: skip
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{page}?ok=meeting_saved#rapat"
    session.refresh(meeting)
    assert meeting.title == "Rapat koordinasi banjir rob (dimajukan)"
    assert meeting.place == "Posko BPBD"
    assert meeting.incident is None  # the incident left blank: the meeting stands alone
    assert [a.pd_kode for a in meeting.attendees] == ["bpbd", "dishub"]
