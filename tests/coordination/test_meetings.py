"""Coordination meetings through the service: scheduling, minutes, decisions that become
tasks, the sign-off that freezes the record and stores the PDF once."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from pontive.coordination import meetings, reports, service, tasks
from pontive.coordination.choices import EntryKind, MeetingStatus
from pontive.coordination.models import Meeting
from pontive.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from tests.coordination.support import BPBD, DISHUB, OPERATOR, PUPR, WALIKOTA, open_incident


def _meeting(session: Session, **overrides: object) -> Meeting:
    values: dict[str, object] = {
        "title": "Rapat koordinasi genangan Jl. Gajah Mada",
        "starts_at": utcnow() + timedelta(hours=1),
        "chair": "Sekretaris Daerah",
        "agenda": "- Situasi\n- Tindak lanjut",
        "attendees": [("pupr", "Kabid SDA"), ("bpbd", "Kalaksa"), ("", "")],
    }
    values.update(overrides)
    return meetings.create_meeting(
        session,
        actor=OPERATOR,
        data=meetings.MeetingInput(**values),  # type: ignore[arg-type]
    )


def test_scheduling_checks_every_field(session: Session) -> None:
    with pytest.raises(InvalidInput) as refused:
        _meeting(
            session,
            title="Rpt",
            starts_at=None,
            incident_code="INS-2026-9999",
            attendees=[("bukan-pd", "Siapa")],
        )
    assert set(refused.value.errors) == {"title", "starts_at", "incident_code", "attendees"}
    with pytest.raises(PermissionDenied):
        meetings.create_meeting(
            session,
            actor=PUPR,
            data=meetings.MeetingInput(title="Rapat PUPR sendiri", starts_at=utcnow()),
        )
    meeting = _meeting(session)
    assert meeting.code.startswith("RPT-")
    assert len(meeting.attendees) == 2  # the blank row skipped


def test_officers_see_the_meetings_their_agency_attends(session: Session) -> None:
    meeting = _meeting(session)
    assert meetings.get_meeting(session, actor=PUPR, code=meeting.code) is meeting
    with pytest.raises(NotFound):
        meetings.get_meeting(session, actor=DISHUB, code=meeting.code)
    assert meeting not in meetings.list_meetings(session, actor=DISHUB)
    assert meeting in meetings.list_meetings(session, actor=WALIKOTA)


def test_decisions_reach_the_incident_and_become_tasks(session: Session) -> None:
    incident = open_incident(session)
    meeting = _meeting(session, incident_code=incident.code)
    decision = meetings.add_decision(
        session, actor=OPERATOR, meeting=meeting, text="BPBD membuka posko di Kantor Lurah."
    )
    task = meetings.decision_to_task(
        session,
        actor=OPERATOR,
        meeting=meeting,
        decision_id=decision.id,
        data=tasks.TaskInput(
            "Buka posko di Kantor Lurah", "bpbd", "tinggi", utcnow() + timedelta(hours=2)
        ),
    )
    assert (task.meeting_id, task.decision_id, task.incident_id) == (
        meeting.id,
        decision.id,
        incident.id,
    )
    lines = [(e.kind, e.ref) for e in service.entries(session, incident)]
    assert (EntryKind.MEETING, meeting.code) in lines
    assert (EntryKind.DECISION, meeting.code) in lines
    assert (EntryKind.TASK, task.code) in lines
    with pytest.raises(NotFound):
        meetings.decision_to_task(
            session,
            actor=OPERATOR,
            meeting=meeting,
            decision_id=-1,
            data=tasks.TaskInput("Apa saja", "bpbd"),
        )
    tasks.move_task(session, actor=BPBD, task=task, status="selesai", note="Posko dibuka.")


def test_sign_off_freezes_the_minutes_and_stores_the_pdf(
    session: Session, media: MediaStore
) -> None:
    meeting = _meeting(session)
    with pytest.raises(InvalidInput) as early:
        meetings.sign_off(session, actor=OPERATOR, meeting=meeting, signed_by="", media=media)
    assert set(early.value.errors) == {"minutes", "signed_by"}
    meetings.record_minutes(
        session,
        actor=OPERATOR,
        meeting=meeting,
        minutes="Rapat berjalan lancar; semua PD hadir.",
        absent=[],
    )
    draft = meetings.minutes_document(session, meeting=meeting, media=media)
    assert draft == reports.minutes_pdf(session, meeting)  # the same content, the same bytes
    meetings.sign_off(
        session,
        actor=OPERATOR,
        meeting=meeting,
        media=media,
        signed_by="Sekretaris Daerah Kota Pontianak, Dr. H. Ali Akbar",
    )
    assert meeting.status is MeetingStatus.DISAHKAN
    stored = media.read(meeting.minutes_key or "")
    assert hashlib.sha256(stored).hexdigest() == meeting.minutes_sha256
    assert meetings.minutes_document(session, meeting=meeting, media=media) == stored
    for change in (
        lambda: meetings.add_decision(session, actor=OPERATOR, meeting=meeting, text="Satu lagi."),
        lambda: meetings.record_minutes(
            session, actor=OPERATOR, meeting=meeting, minutes="Notulen diubah diam-diam."
        ),
        lambda: meetings.sign_off(
            session, actor=OPERATOR, meeting=meeting, media=media, signed_by="Orang lain, Nama"
        ),
    ):
        with pytest.raises(Conflict):
            change()
