"""Issue 8's end-to-end path through the services: a flood alert opens an incident, nearby
reports and cameras are linked, tasks go to PUPR and BPBD, a coordination meeting records a
decision that becomes a task, the tasks are completed, and the incident closes with a
generated report (and its minutes are signed off), which is then published."""

from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader
from sqlalchemy.orm import Session

from pontive.alerts.choices import Severity as CapSeverity
from pontive.cctv import service as cctv
from pontive.complaints.schemas import ComplaintCreate
from pontive.complaints.service import create_complaint
from pontive.coordination import from_alerts, links, meetings, reports, service, tasks
from pontive.coordination.choices import (
    EntryKind,
    IncidentKind,
    IncidentStatus,
    LinkType,
    MeetingStatus,
    Severity,
    SourceType,
    TaskStatus,
)
from pontive.core.events import MemoryBus
from pontive.core.identity import ANONYMOUS
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from tests.alerts.cap_support import make_alert
from tests.cctv.support import camera_input
from tests.coordination.support import BPBD, OPERATOR, PUPR


def _text(document: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


def test_flood_alert_to_published_incident_report(
    session: Session, media: MediaStore, bus: MemoryBus
) -> None:
    now = utcnow()
    alert = make_alert(
        session,
        sent_at=now - timedelta(minutes=5),
        effective_at=now - timedelta(minutes=5),
        expires_at=now + timedelta(hours=6),
    )

    opened = from_alerts.open_for_alerts(session, minimum=CapSeverity.SEVERE)
    assert len(opened) == 1
    incident = opened[0]
    assert incident.kind is IncidentKind.BANJIR
    assert incident.severity is Severity.TINGGI
    assert incident.source_type is SourceType.ALERT
    assert incident.source_ref == alert.identifier
    assert set(incident.affected_kelurahan) >= set(alert.kelurahan_kodes)
    assert [(link.item_type, link.item_ref) for link in links.links(session, incident)] == [
        (LinkType.ALERT, alert.identifier)
    ]
    # The worker runs every 30 s: the alert's thread keeps its one incident.
    assert from_alerts.open_for_alerts(session, minimum=CapSeverity.SEVERE) == []

    # Reports and a camera near the incident are suggested and linked in one click each.
    receipts = [
        create_complaint(
            session=session,
            data=ComplaintCreate(
                category_code="banjir-genangan",
                description=f"Air masuk ke rumah warga, setinggi {depth} cm di gang.",
                lon=incident.lon + offset,
                lat=incident.lat,
            ),
            actor=ANONYMOUS,
            media=media,
        )
        for depth, offset in ((30, 0.001), (45, -0.002))
    ]
    far = create_complaint(
        session=session,
        data=ComplaintCreate(
            category_code="banjir-genangan",
            description="Air menggenang di jalan depan pasar.",
            lon=incident.lon + 0.05,
            lat=incident.lat,
        ),
        actor=ANONYMOUS,
        media=media,
    )
    camera = cctv.register_camera(
        session=session,
        actor=OPERATOR,
        data=camera_input(name="Tepian Kapuas", lon=incident.lon + 0.002, lat=incident.lat),
    )
    found = links.suggestions(session, actor=OPERATOR, incident=incident)
    suggested = [c.item_ref for c in found[LinkType.COMPLAINT]]
    assert {r.complaint.tracking_number for r in receipts} <= set(suggested)
    assert far.complaint.tracking_number not in suggested
    assert camera.code in [c.item_ref for c in found[LinkType.CAMERA]]
    for candidate in [*found[LinkType.COMPLAINT], *found[LinkType.CAMERA]]:
        links.link_item(
            session,
            actor=OPERATOR,
            incident=incident,
            item_type=candidate.item_type.value,
            ref=candidate.item_ref,
        )
    again = links.suggestions(session, actor=OPERATOR, incident=incident)
    assert not again[LinkType.COMPLAINT]
    assert not again[LinkType.CAMERA]

    # Tasks to PUPR and BPBD.
    pump = tasks.create_task(
        session,
        actor=OPERATOR,
        incident=incident,
        data=tasks.TaskInput(
            "Pasang pompa portabel di Gang Mawar", "pupr", "mendesak", now + timedelta(hours=4)
        ),
    )
    evacuate = tasks.create_task(
        session,
        actor=OPERATOR,
        incident=incident,
        data=tasks.TaskInput(
            "Siagakan perahu karet dan posko", "bpbd", "tinggi", now + timedelta(hours=2)
        ),
    )
    assert {"pupr", "bpbd"} <= set(incident.agency_codes)
    service.set_status(session, actor=OPERATOR, incident=incident, status="ditangani")

    # A coordination meeting records a decision that becomes a task.
    meeting = meetings.create_meeting(
        session,
        actor=OPERATOR,
        data=meetings.MeetingInput(
            title="Rapat koordinasi penanganan banjir rob",
            starts_at=now,
            chair="Kepala Pelaksana BPBD",
            agenda="Situasi terkini\nPembagian tugas",
            incident_code=incident.code,
            attendees=[("bpbd", "Kalaksa BPBD"), ("pupr", "Kabid SDA PUPR"), ("dinsos", "")],
        ),
    )
    meetings.record_minutes(
        session,
        actor=OPERATOR,
        meeting=meeting,
        minutes="BPBD melaporkan 120 rumah tergenang. PUPR menyiapkan dua pompa tambahan.",
        absent=[meeting.attendees[2].id],
    )
    decision = meetings.add_decision(
        session,
        actor=OPERATOR,
        meeting=meeting,
        text="Dinas PUPR membersihkan saluran primer Jl. Gajah Mada malam ini.",
    )
    drain = meetings.decision_to_task(
        session,
        actor=OPERATOR,
        meeting=meeting,
        decision_id=decision.id,
        data=tasks.TaskInput(
            "Bersihkan saluran primer Jl. Gajah Mada", "pupr", "tinggi", now + timedelta(hours=12)
        ),
    )
    assert drain.incident_id == incident.id
    assert drain.decision_id == decision.id

    # Each agency completes its own tasks.
    for officer, task in ((PUPR, pump), (BPBD, evacuate), (PUPR, drain)):
        tasks.move_task(session, actor=officer, task=task, status="dikerjakan")
        tasks.move_task(session, actor=officer, task=task, status="selesai", note="Selesai.")
    assert all(t.status is TaskStatus.SELESAI for t in (pump, evacuate, drain))

    service.set_status(session, actor=OPERATOR, incident=incident, status="terkendali")
    reports.close_incident(
        session,
        actor=OPERATOR,
        incident=incident,
        media=media,
        summary="Genangan surut pukul 23.00 WIB setelah pompa dan pembersihan saluran.",
        lessons="Saluran primer perlu dibersihkan sebelum puncak pasang bulan purnama.",
    )
    assert incident.status is IncidentStatus.SELESAI
    assert incident.report_key
    report = _text(media.read(incident.report_key))
    for words in (
        "Laporan Insiden",
        incident.code,
        "Waktu tanggap",
        pump.code,
        drain.code,
        "Ringkasan penanganan",
        "Pelajaran yang dipetik",
        "3 tugas, 3 selesai",
    ):
        assert words in report, words
    kinds = [entry.kind for entry in service.entries(session, incident)]
    assert kinds[0] is EntryKind.OPENED
    assert kinds[-1] is EntryKind.CLOSED
    assert EntryKind.DECISION in kinds
    assert EntryKind.LINK in kinds

    meetings.sign_off(
        session,
        actor=OPERATOR,
        meeting=meeting,
        media=media,
        signed_by="Kepala Pelaksana BPBD Kota Pontianak, Ir. Budi Santoso",
    )
    assert meeting.status is MeetingStatus.DISAHKAN
    assert meeting.minutes_key
    minutes = _text(meetings.minutes_document(session, meeting=meeting, media=media))
    for words in (
        "Notulen Rapat Koordinasi",
        decision.text[:40],
        drain.code,
        "Ir. Budi Santoso",
        "Tidak hadir",
    ):
        assert words in minutes, words

    reports.publish_report(session, actor=OPERATOR, incident=incident, media=media)
    public = _text(reports.report_document(session, incident=incident, media=media, public=True))
    assert incident.code in public
    assert receipts[0].complaint.tracking_number in public
    assert OPERATOR.name not in public
    assert camera.name not in public
    assert OPERATOR.name in report
