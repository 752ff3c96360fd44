"""Coordination meetings (rapat koordinasi): the agenda, who attends by agency, the minutes,
the decisions and their action items (which become tasks), and the sign-off.

Once the minutes are signed off (``sign_off``), the meeting is frozen: the PDF is generated
once, stored with its SHA-256 and served as stored, so the signed text cannot drift.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from pontive.coordination import reports, tasks, timeline
from pontive.coordination.choices import EntryKind, IncidentStatus, MeetingStatus
from pontive.coordination.models import (
    Incident,
    Meeting,
    MeetingAttendee,
    MeetingDecision,
    Task,
)
from pontive.coordination.service import MANAGE_MEETINGS, READ
from pontive.core import audit, permissions
from pontive.core.choices import Classification
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.events import Event, emit
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from pontive.reference import service as reference


@dataclass(slots=True)
class MeetingInput:
    """A meeting as typed; ``attendees`` are ``(pd_kode, name and position)`` pairs."""

    title: str
    starts_at: datetime | None
    place: str = "Pontive Center"
    chair: str = ""
    agenda: str = ""
    incident_code: str | None = None
    attendees: Sequence[tuple[str, str]] = ()


def meeting_state(meeting: Meeting) -> dict[str, Any]:
    """What the audit trail records of a meeting."""
    return {
        "code": meeting.code,
        "title": meeting.title,
        "status": meeting.status.value,
        "starts_at": meeting.starts_at.isoformat(),
        "incident_id": meeting.incident_id,
        "attendees": [[a.pd_kode, a.name, a.present] for a in meeting.attendees],
        "decisions": [d.text for d in meeting.decisions],
        "minutes_sha256": meeting.minutes_sha256,
    }


def _record(
    session: Session, actor: Actor, meeting: Meeting, verb: str, before: dict[str, Any] | None
) -> None:
    audit.record(
        session,
        actor=actor,
        action=f"coordination.meeting.{verb}",
        object_type="coord_meeting",
        object_id=meeting.code,
        before=before,
        after=meeting_state(meeting),
    )
    data = {"code": meeting.code, "title": meeting.title, "status": meeting.status.value}
    emit(session, Event(f"coordination.meeting.{verb}", data, Classification.TERBATAS))


def _load(session: Session) -> Select[Meeting]:
    return select(Meeting).options(
        selectinload(Meeting.attendees),
        selectinload(Meeting.decisions),
        selectinload(Meeting.incident),
    )


def _attending(meeting: Meeting, pd_kode: str | None) -> bool:
    return pd_kode is not None and any(a.pd_kode == pd_kode for a in meeting.attendees)


def get_meeting(session: Session, *, actor: Actor, code: str) -> Meeting:
    """A meeting ``actor`` may see (a PD officer: those its agency attends)."""
    permissions.require(actor, READ)
    meeting = session.scalar(_load(session).where(Meeting.code == code.strip().upper()))
    if meeting is None or (
        actor.role is Role.PETUGAS_PD and not _attending(meeting, actor.pd_kode)
    ):
        raise NotFound("Rapat tidak ditemukan.", "Meeting not found.")
    return meeting


def list_meetings(
    session: Session, *, actor: Actor, incident_id: int | None = None, limit: int = 200
) -> list[Meeting]:
    """Meetings ``actor`` may see, the newest first."""
    permissions.require(actor, READ)
    query = _load(session)
    if incident_id is not None:
        query = query.where(Meeting.incident_id == incident_id)
    rows = session.scalars(query.order_by(Meeting.starts_at.desc()).limit(limit)).all()
    if actor.role is Role.PETUGAS_PD:
        rows = [m for m in rows if _attending(m, actor.pd_kode)]
    return list(rows)


def _validated(session: Session, actor: Actor, data: MeetingInput) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    title = " ".join(data.title.split())
    if not 5 <= len(title) <= 200:
        errors["title"] = ["Judul rapat 5 sampai 200 huruf."]
    if data.starts_at is None:
        errors["starts_at"] = ["Isi tanggal dan jam rapat."]
    incident = None
    if data.incident_code:
        incident = session.scalar(select(Incident).where(Incident.code == data.incident_code))
        if incident is None:
            errors["incident_code"] = ["Insiden tidak ditemukan."]
    attendees: list[tuple[str | None, str]] = []
    for pd_kode, name in data.attendees:
        pd_kode, name = (pd_kode or "").strip(), " ".join((name or "").split())[:200]
        if not pd_kode and not name:
            continue
        if pd_kode and reference.get_perangkat_daerah(session=session, kode=pd_kode) is None:
            errors.setdefault("attendees", []).append(f"Perangkat Daerah tidak dikenal: {pd_kode}.")
            continue
        attendees.append((pd_kode or None, name))
    if len(data.agenda) > 10_000:
        errors["agenda"] = ["Agenda paling banyak 10.000 huruf."]
    if errors:
        raise InvalidInput("Data rapat tidak valid.", "Invalid meeting details.", errors=errors)
    return {
        "title": title,
        "starts_at": data.starts_at,
        "place": " ".join(data.place.split())[:200] or "Pontive Center",
        "chair": " ".join(data.chair.split())[:200],
        "agenda": data.agenda.strip(),
        "incident": incident,
        "attendees": attendees,
    }


def _require_editable(meeting: Meeting) -> None:
    if meeting.status is MeetingStatus.DISAHKAN:
        raise Conflict(
            "Notulen sudah disahkan dan tidak dapat diubah.",
            "The minutes are signed off and can no longer change.",
        )


def create_meeting(
    session: Session, *, actor: Actor, data: MeetingInput, now: datetime | None = None
) -> Meeting:
    """Schedule a meeting, optionally about an incident (noted in its timeline)."""
    permissions.require(actor, MANAGE_MEETINGS)
    now = now or utcnow()
    clean = _validated(session, actor, data)
    incident: Incident | None = clean.pop("incident")
    attendees = clean.pop("attendees")
    meeting = Meeting(
        code=timeline.next_code(session, Meeting, "RPT", at=now),
        incident_id=incident.id if incident else None,
        created_by=actor.label,
        created_at=now,
        updated_at=now,
        **clean,
    )
    meeting.attendees = [MeetingAttendee(pd_kode=p, name=n) for p, n in attendees]
    session.add(meeting)
    session.flush()
    if incident is not None and incident.status is not IncidentStatus.SELESAI:
        timeline.note(
            session,
            incident,
            actor=actor,
            kind=EntryKind.MEETING,
            at=now,
            ref=meeting.code,
            text=f"Rapat koordinasi {meeting.code} dijadwalkan: {meeting.title}",
        )
    _record(session, actor, meeting, "scheduled", None)
    return meeting


def update_meeting(
    session: Session, *, actor: Actor, meeting: Meeting, data: MeetingInput
) -> Meeting:
    """Correct the agenda, time, place, chair or attendees before sign-off."""
    permissions.require(actor, MANAGE_MEETINGS)
    _require_editable(meeting)
    before = meeting_state(meeting)
    clean = _validated(session, actor, data)
    incident: Incident | None = clean.pop("incident")
    attendees = clean.pop("attendees")
    for key, value in clean.items():
        setattr(meeting, key, value)
    meeting.incident_id = incident.id if incident else None
    present = {(a.pd_kode, a.name): a.present for a in meeting.attendees}
    meeting.attendees = [
        MeetingAttendee(pd_kode=p, name=n, present=present.get((p, n), True)) for p, n in attendees
    ]
    meeting.updated_at = utcnow()
    _record(session, actor, meeting, "updated", before)
    return meeting


def record_minutes(
    session: Session,
    *,
    actor: Actor,
    meeting: Meeting,
    minutes: str,
    absent: Sequence[int] = (),
    now: datetime | None = None,
) -> Meeting:
    """Write the minutes and who was absent (attendee ids); the meeting counts as held."""
    permissions.require(actor, MANAGE_MEETINGS)
    _require_editable(meeting)
    minutes = minutes.strip()
    if not 10 <= len(minutes) <= 50_000:
        raise InvalidInput(errors={"minutes": ["Notulen 10 sampai 50.000 huruf."]})
    before = meeting_state(meeting)
    for attendee in meeting.attendees:
        attendee.present = attendee.id not in set(absent)
    meeting.minutes = minutes
    meeting.status = MeetingStatus.SELESAI
    meeting.updated_at = now or utcnow()
    _record(session, actor, meeting, "minuted", before)
    return meeting


def add_decision(
    session: Session, *, actor: Actor, meeting: Meeting, text: str, now: datetime | None = None
) -> MeetingDecision:
    """Record a decision; it is also written into the incident's timeline."""
    permissions.require(actor, MANAGE_MEETINGS)
    _require_editable(meeting)
    text = text.strip()
    if not 5 <= len(text) <= 5000:
        raise InvalidInput(errors={"decision": ["Keputusan 5 sampai 5.000 huruf."]})
    before = meeting_state(meeting)
    number = max((d.number for d in meeting.decisions), default=0) + 1
    now = now or utcnow()
    decision = MeetingDecision(number=number, text=text, created_at=now)
    meeting.decisions.append(decision)
    meeting.updated_at = now
    session.flush()
    incident = meeting.incident
    if incident is not None and incident.status is not IncidentStatus.SELESAI:
        timeline.note(
            session,
            incident,
            actor=actor,
            kind=EntryKind.DECISION,
            at=now,
            ref=meeting.code,
            text=f"Keputusan rapat {meeting.code} no. {number}: {text}",
        )
    _record(session, actor, meeting, "decided", before)
    return decision


def decision_to_task(
    session: Session,
    *,
    actor: Actor,
    meeting: Meeting,
    decision_id: int,
    data: tasks.TaskInput,
    now: datetime | None = None,
) -> Task:
    """An action item of a decision, assigned as a task (also after sign-off)."""
    decision = next((d for d in meeting.decisions if d.id == decision_id), None)
    if decision is None:
        raise NotFound("Keputusan tidak ditemukan.", "Decision not found.")
    return tasks.create_task(
        session, actor=actor, data=data, meeting=meeting, decision=decision, now=now
    )


def sign_off(
    session: Session,
    *,
    actor: Actor,
    meeting: Meeting,
    signed_by: str,
    media: MediaStore,
    now: datetime | None = None,
) -> Meeting:
    """Sign the minutes off in the chair's name: generate and store the PDF once."""
    permissions.require(actor, MANAGE_MEETINGS)
    _require_editable(meeting)
    signed_by = " ".join(signed_by.split())[:200]
    errors: dict[str, list[str]] = {}
    if meeting.status is not MeetingStatus.SELESAI or not meeting.minutes:
        errors["minutes"] = ["Tulis notulen dulu sebelum disahkan."]
    if len(signed_by) < 3:
        errors["signed_by"] = ["Isi nama dan jabatan yang mengesahkan."]
    if errors:
        raise InvalidInput(
            "Notulen belum dapat disahkan.", "The minutes cannot be signed off yet.", errors=errors
        )
    before = meeting_state(meeting)
    now = now or utcnow()
    meeting.signed_by, meeting.signed_by_actor, meeting.signed_at = signed_by, actor.label, now
    meeting.status = MeetingStatus.DISAHKAN
    document = reports.minutes_pdf(session, meeting)
    meeting.minutes_key = media.save(document, folder="coordination/minutes", suffix=".pdf")
    meeting.minutes_sha256 = hashlib.sha256(document).hexdigest()
    meeting.updated_at = now
    incident = meeting.incident
    if incident is not None and incident.status is not IncidentStatus.SELESAI:
        timeline.note(
            session,
            incident,
            actor=actor,
            kind=EntryKind.MEETING,
            at=now,
            ref=meeting.code,
            # The signer is named in the minutes, not here: public reports print this line.
            text=f"Notulen rapat {meeting.code} disahkan.",
        )
    _record(session, actor, meeting, "signed_off", before)
    return meeting


def minutes_document(session: Session, *, meeting: Meeting, media: MediaStore) -> bytes:
    """The minutes as PDF: the stored, signed copy once signed off; a draft before."""
    if meeting.minutes_key:
        return media.read(meeting.minutes_key)
    return reports.minutes_pdf(session, meeting)
