"""After-action: closing an incident with its summary and lessons, the incident report
(timeline, actions, response times) and the minutes of a meeting, both as PDF in Bahasa
Indonesia, and the publication of an incident report.

The internal report is generated once at closing and stored with its SHA-256. The public
report (generated at publication, stored too) names agencies, never people, lists linked
citizens' reports by tracking number only, and carries no photos.
"""

from __future__ import annotations

import hashlib
import logging
import statistics
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab.platypus import Flowable, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.coordination import links as links_service
from pontive.coordination import pdf, timeline
from pontive.coordination.choices import EntryKind, IncidentStatus, LinkType, TaskStatus
from pontive.coordination.models import Incident, IncidentEntry, Meeting, Task
from pontive.coordination.service import MANAGE_INCIDENTS, entries
from pontive.core import permissions
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from pontive.reference import service as reference

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ResponseTimes:
    """How fast the city responded, in seconds (None: not reached)."""

    to_handled: float | None
    to_controlled: float | None
    to_closed: float | None
    tasks: int
    tasks_done: int
    tasks_on_time: int
    median_task_s: float | None


def _seconds(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else (end - start).total_seconds()


def response_times(session: Session, incident: Incident) -> ResponseTimes:
    """Opening to handling, control and closing; the tasks' completion."""
    rows = _tasks_of(session, incident)
    done = [t for t in rows if t.status is TaskStatus.SELESAI and t.completed_at is not None]
    on_time = [t for t in done if t.due_at is None or (t.completed_at or t.due_at) <= t.due_at]
    spans = [(t.completed_at - t.created_at).total_seconds() for t in done if t.completed_at]
    return ResponseTimes(
        _seconds(incident.opened_at, incident.handled_at),
        _seconds(incident.opened_at, incident.controlled_at),
        _seconds(incident.opened_at, incident.closed_at),
        len([t for t in rows if t.status is not TaskStatus.DIBATALKAN]),
        len(done),
        len(on_time),
        statistics.median(spans) if spans else None,
    )


def _tasks_of(session: Session, incident: Incident) -> list[Task]:
    query = select(Task).where(Task.incident_id == incident.id).order_by(Task.created_at, Task.id)
    return list(session.scalars(query))


def _names(session: Session) -> tuple[dict[str, str], dict[str, str]]:
    pds = {
        pd.kode: pd.singkatan
        for pd in reference.list_perangkat_daerah(session=session, active_only=False)
    }
    kelurahan = {
        k.kode: k.nama_umum
        for kec in reference.list_kecamatan(session=session)
        for k in kec.kelurahan
    }
    return pds, kelurahan


def _who(entry: IncidentEntry, pds: dict[str, str], *, public: bool) -> str:
    """The author: a person's name inside, the agency (or the command center) in public."""
    agency = pds.get(entry.actor_pd_kode or "", "Pontive Center")
    if public:
        return agency
    name = entry.actor.split(":", 2)[-1]
    return f"{name} ({agency})" if entry.actor_pd_kode else name


# --- closing and publishing ----------------------------------------------------------------


def close_incident(
    session: Session,
    *,
    actor: Actor,
    incident: Incident,
    summary: str,
    lessons: str,
    media: MediaStore,
    now: datetime | None = None,
) -> Incident:
    """Close with a summary and lessons; the incident report is generated and stored."""
    permissions.require(actor, MANAGE_INCIDENTS)
    if incident.status is IncidentStatus.SELESAI:
        raise Conflict("Insiden sudah ditutup.", "The incident is already closed.")
    summary, lessons = summary.strip(), lessons.strip()
    errors: dict[str, list[str]] = {}
    if not 20 <= len(summary) <= 20_000:
        errors["summary"] = ["Ringkasan penanganan 20 sampai 20.000 huruf."]
    if not 10 <= len(lessons) <= 20_000:
        errors["lessons"] = ["Pelajaran yang dipetik 10 sampai 20.000 huruf."]
    if errors:
        raise InvalidInput("Penutupan belum lengkap.", "The closing is incomplete.", errors=errors)
    before = timeline.incident_state(incident)
    now = now or utcnow()
    previous = incident.status
    incident.status, incident.closed_at, incident.closed_by = (
        IncidentStatus.SELESAI,
        now,
        actor.label,
    )
    incident.handled_at = incident.handled_at or now
    incident.controlled_at = incident.controlled_at or now
    incident.summary, incident.lessons = summary, lessons
    timeline.note(
        session,
        incident,
        actor=actor,
        kind=EntryKind.CLOSED,
        at=now,
        text=summary,
        data={"from": previous.value, "to": IncidentStatus.SELESAI.value},
    )
    session.flush()
    document = incident_report_pdf(session, incident, public=False)
    incident.report_key = media.save(document, folder="coordination/reports", suffix=".pdf")
    incident.report_sha256 = hashlib.sha256(document).hexdigest()
    timeline.changed(session, actor=actor, incident=incident, action="closed", before=before)
    return incident


def publish_report(
    session: Session,
    *,
    actor: Actor,
    incident: Incident,
    media: MediaStore,
    now: datetime | None = None,
) -> Incident:
    """Publish the public version of a closed incident's report (``/insiden/<code>``)."""
    permissions.require(actor, MANAGE_INCIDENTS)
    if incident.status is not IncidentStatus.SELESAI:
        raise Conflict(
            "Hanya laporan insiden yang sudah ditutup yang dapat dipublikasikan.",
            "Only the report of a closed incident can be published.",
        )
    if incident.published_at is not None:
        return incident
    before = timeline.incident_state(incident)
    document = incident_report_pdf(session, incident, public=True)
    incident.public_report_key = media.save(document, folder="coordination/reports", suffix=".pdf")
    incident.published_at = now or utcnow()
    timeline.changed(session, actor=actor, incident=incident, action="published", before=before)
    return incident


def published_incidents(session: Session, limit: int = 100) -> list[Incident]:
    """Closed incidents whose reports are public, the newest first (anyone may read)."""
    query = select(Incident).where(Incident.published_at.is_not(None))
    return list(session.scalars(query.order_by(Incident.closed_at.desc()).limit(limit)))


def published_incident(session: Session, code: str) -> Incident:
    """A published incident by code, or NotFound (unpublished ones are not revealed)."""
    incident = session.scalar(select(Incident).where(Incident.code == code.strip().upper()))
    if incident is None or incident.published_at is None:
        raise NotFound("Laporan insiden tidak ditemukan.", "Incident report not found.")
    return incident


def report_document(
    session: Session, *, incident: Incident, media: MediaStore, public: bool
) -> bytes:
    """The stored report once there is one; an interim report of an open incident otherwise."""
    key = incident.public_report_key if public else incident.report_key
    if key:
        try:
            return media.read(key)
        except FileNotFoundError:
            # The row names a file the media folder lost (a restore without media, a disk
            # replaced): say so in the log, and answer "not found" rather than fail.
            log.error(
                "incident %s: stored report %s is missing from the media folder", incident.code, key
            )
            raise NotFound(
                "Berkas laporan insiden tidak ditemukan di penyimpanan.",
                "The incident report file is missing from storage.",
            ) from None
    if public:
        raise NotFound("Laporan insiden tidak ditemukan.", "Incident report not found.")
    return incident_report_pdf(session, incident, public=False)


# --- the documents -------------------------------------------------------------------------


def incident_report_pdf(session: Session, incident: Incident, *, public: bool) -> bytes:
    """The incident report: facts, response times, summary, lessons, actions, timeline."""
    pds, kelurahan = _names(session)
    times = response_times(session, incident)
    closed = incident.status is IncidentStatus.SELESAI
    title = f"Laporan Insiden {incident.code}"
    story: list[Flowable] = [
        pdf.text(title if closed else f"{title} (sementara)", "title"),
        pdf.text(incident.title, "subtitle"),
        pdf.facts(
            [
                ("Jenis", incident.kind.label("id")),
                ("Tingkat keparahan", incident.severity.label("id")),
                ("Status", incident.status.label("id")),
                (
                    "Lokasi",
                    f"{kelurahan.get(incident.kelurahan_kode or '', '—')} "
                    f"({incident.lat:.5f}, {incident.lon:.5f})",
                ),
                (
                    "Kelurahan terdampak",
                    ", ".join(kelurahan.get(k, k) for k in incident.affected_kelurahan or ())
                    or "—",
                ),
                ("Penanggung jawab", pds.get(incident.lead_pd_kode or "", "Pontive Center")),
                (
                    "Perangkat Daerah terlibat",
                    ", ".join(pds.get(c, c) for c in incident.agency_codes) or "—",
                ),
                (
                    "Sumber",
                    incident.source_type.label("id")
                    + (f" ({incident.source_ref})" if incident.source_ref else ""),
                ),
                ("Dibuka", pdf.long_date(incident.opened_at)),
                ("Ditutup", pdf.long_date(incident.closed_at) if incident.closed_at else "—"),
            ]
        ),
        pdf.heading("Waktu tanggap"),
        pdf.facts(
            [
                ("Sampai ditangani", pdf.duration(times.to_handled)),
                ("Sampai terkendali", pdf.duration(times.to_controlled)),
                ("Sampai selesai", pdf.duration(times.to_closed)),
                (
                    "Tugas",
                    f"{times.tasks} tugas, {times.tasks_done} selesai, "
                    f"{times.tasks_on_time} tepat waktu",
                ),
                ("Median penyelesaian tugas", pdf.duration(times.median_task_s)),
            ]
        ),
    ]
    if incident.description:
        story += [pdf.heading("Uraian awal"), pdf.text(incident.description)]
    if closed:
        story += [
            pdf.heading("Ringkasan penanganan"),
            pdf.text(incident.summary),
            pdf.heading("Pelajaran yang dipetik"),
            pdf.text(incident.lessons),
        ]
    story += _actions(session, incident, pds)
    story += _linked(session, incident, public=public)
    story += _timeline(session, incident, pds, public=public)
    footer = f"{title} · Pontive Center, Kota Pontianak"
    return pdf.render(story, title=title, subject=incident.title, footer=footer)


def _actions(session: Session, incident: Incident, pds: dict[str, str]) -> list[Flowable]:
    rows = [
        [
            task.code,
            pds.get(task.pd_kode, task.pd_kode),
            task.title + (f"\n{task.result}" if task.result else ""),
            pdf.short_time(task.due_at),
            f"{task.status.label('id')}\n{pdf.short_time(task.completed_at)}"
            if task.completed_at
            else task.status.label("id"),
        ]
        for task in _tasks_of(session, incident)
    ]
    if not rows:
        return [pdf.heading("Tindakan"), pdf.text("Tidak ada tugas yang dicatat.", "small")]
    return [
        pdf.heading("Tindakan (tugas Perangkat Daerah)"),
        pdf.grid(
            ["Kode", "PD", "Tugas dan hasil", "Batas waktu", "Status"], rows, [28, 22, 72, 24, 28]
        ),
    ]


def _linked(session: Session, incident: Incident, *, public: bool) -> list[Flowable]:
    items = links_service.links(session, incident)
    if not items:
        return []
    if public:  # counts only: camera names and station details stay inside
        counts: dict[LinkType, int] = {}
        for link in items:
            counts[link.item_type] = counts.get(link.item_type, 0) + 1
        reports = [link.item_ref for link in items if link.item_type is LinkType.COMPLAINT]
        lines = [f"{kind.label('id')}: {count}" for kind, count in counts.items()]
        if reports:
            lines.append("Nomor laporan warga: " + ", ".join(reports))
        return [pdf.heading("Data terkait"), pdf.text("\n".join(lines))]
    rows = [
        [link.item_type.label("id"), link.label, pdf.short_time(link.linked_at)] for link in items
    ]
    return [
        pdf.heading("Data terkait"),
        pdf.grid(["Jenis", "Butir", "Ditautkan"], rows, [34, 106, 34]),
    ]


def _timeline(
    session: Session, incident: Incident, pds: dict[str, str], *, public: bool
) -> list[Flowable]:
    rows: list[list[str]] = []
    for entry in entries(session, incident):
        words = entry.text
        if entry.kind is EntryKind.STATUS and entry.data:
            moved = f"{_status_label(entry.data.get('from'))} menjadi " + _status_label(
                entry.data.get("to")
            )
            words = f"{moved}. {words}".strip(". ") if words else moved
        if entry.kind is EntryKind.PHOTO:
            words = (words + "\n" if words else "") + "(foto terlampir di sistem)"
        if public and entry.kind is EntryKind.LINK:
            continue  # the public list of linked items is above, without names
        rows.append(
            [
                pdf.short_time(entry.at),
                entry.kind.label("id"),
                words or "—",
                _who(entry, pds, public=public),
            ]
        )
    return [
        pdf.heading("Kronologi"),
        pdf.grid(["Waktu (WIB)", "Jenis", "Uraian", "Oleh"], rows, [26, 26, 88, 34]),
    ]


def _status_label(value: object) -> str:
    try:
        return IncidentStatus(str(value)).label("id")
    except ValueError:
        return str(value)


def minutes_pdf(session: Session, meeting: Meeting) -> bytes:
    """The minutes (notulen) of a coordination meeting, with the sign-off once signed."""
    pds, _kelurahan = _names(session)
    title = f"Notulen Rapat Koordinasi {meeting.code}"
    attendance = [
        [pds.get(a.pd_kode or "", "—"), a.name or "—", "Hadir" if a.present else "Tidak hadir"]
        for a in meeting.attendees
    ]
    story: list[Flowable] = [
        pdf.text(title if meeting.signed_at else f"{title} (draf, belum disahkan)", "title"),
        pdf.text(meeting.title, "subtitle"),
        pdf.facts(
            [
                ("Waktu", pdf.long_date(meeting.starts_at)),
                ("Tempat", meeting.place),
                ("Pimpinan rapat", meeting.chair or "—"),
                (
                    "Insiden",
                    f"{meeting.incident.code}: {meeting.incident.title}"
                    if meeting.incident
                    else "—",
                ),
            ]
        ),
        pdf.heading("Agenda"),
        pdf.text(_numbered(meeting.agenda) or "—"),
        pdf.heading("Peserta"),
        pdf.grid(["Perangkat Daerah", "Nama dan jabatan", "Kehadiran"], attendance, [50, 90, 34])
        if attendance
        else pdf.text("—"),
        pdf.heading("Jalannya rapat"),
        pdf.text(meeting.minutes or "—"),
        pdf.heading("Keputusan dan tindak lanjut"),
    ]
    actions = _decision_tasks(session, meeting)
    if not meeting.decisions:
        story.append(pdf.text("Tidak ada keputusan yang dicatat.", "small"))
    for decision in meeting.decisions:
        story.append(pdf.text(f"{decision.number}. {decision.text}"))
        rows = [
            [t.code, pds.get(t.pd_kode, t.pd_kode), t.title, pdf.short_time(t.due_at)]
            for t in actions.get(decision.id, [])
        ]
        if rows:
            story.append(
                pdf.grid(["Tugas", "PD", "Tindak lanjut", "Batas waktu"], rows, [28, 26, 90, 30])
            )
        story.append(Spacer(1, 4))
    if meeting.signed_at and meeting.signed_by:
        position, _, name = meeting.signed_by.rpartition(",")
        story.append(
            pdf.signature(
                f"Pontianak, {pdf.long_date(meeting.signed_at, with_time=False)}",
                position.strip() or "Pimpinan rapat",
                name.strip() or meeting.signed_by,
            )
        )
        story.append(
            pdf.text(
                f"Disahkan secara elektronik di Pontive pada {pdf.long_date(meeting.signed_at)}.",
                "small",
            )
        )
    return pdf.render(
        story,
        title=title,
        subject=meeting.title,
        footer=f"{title} · Pontive Center, Kota Pontianak",
    )


def _numbered(agenda: str) -> str:
    items = [line.strip(" -•\t") for line in agenda.splitlines() if line.strip(" -•\t")]
    return "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))


def _decision_tasks(session: Session, meeting: Meeting) -> dict[int, list[Task]]:
    found: dict[int, list[Task]] = {}
    query = select(Task).where(Task.meeting_id == meeting.id).order_by(Task.created_at, Task.id)
    for task in session.scalars(query):
        if task.decision_id is not None:
            found.setdefault(task.decision_id, []).append(task)
    return found


def report_facts(session: Session, incident: Incident) -> dict[str, Any]:
    """Response times for the pages and the API."""
    times = response_times(session, incident)
    return {
        "to_handled_s": times.to_handled,
        "to_controlled_s": times.to_controlled,
        "to_closed_s": times.to_closed,
        "tasks": times.tasks,
        "tasks_done": times.tasks_done,
        "tasks_on_time": times.tasks_on_time,
        "median_task_s": times.median_task_s,
    }
