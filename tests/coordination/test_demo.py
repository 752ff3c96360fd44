"""The demo's coordination: last week's flood closed with a published report and signed
minutes, today's fallen tree being handled with an escalated task and tomorrow's meeting."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.coordination import reports, service
from pontive.coordination.choices import EntryKind, IncidentStatus, MeetingStatus, TaskStatus
from pontive.coordination.models import Incident, Meeting, Task
from pontive.core.storage import MediaStore
from tests.conftest import RUN_MEDIA, DemoDatabase


def test_the_demo_shows_an_incident_from_alert_to_published_report(
    demo_database: DemoDatabase, demo_session: Session
) -> None:
    assert demo_database.summary["coordination"].startswith("2 insiden")
    flood, tree = demo_session.scalars(select(Incident).order_by(Incident.id)).all()
    assert flood.status is IncidentStatus.SELESAI
    assert flood.published_at is not None
    assert flood.source_ref
    assert flood.source_ref.startswith("ptk-")
    assert flood.opened_at < flood.handled_at < flood.controlled_at < flood.closed_at  # type: ignore[operator]
    kinds = {entry.kind for entry in service.entries(demo_session, flood)}
    assert {
        EntryKind.OPENED,
        EntryKind.LINK,
        EntryKind.TASK,
        EntryKind.DECISION,
        EntryKind.MEETING,
        EntryKind.CLOSED,
    } <= kinds
    media = MediaStore(RUN_MEDIA)
    public = reports.report_document(demo_session, incident=flood, media=media, public=True)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(public)).pages)
    assert flood.code in text
    assert "Pelajaran yang dipetik" in text
    assert "operator" not in text

    assert tree.status is IncidentStatus.DITANGANI
    tree_tasks = demo_session.scalars(select(Task).where(Task.incident_id == tree.id)).all()
    assert {task.status for task in tree_tasks} == {TaskStatus.DIKERJAKAN, TaskStatus.BARU}
    assert any(task.escalated_at is not None for task in tree_tasks)
    signed, upcoming = demo_session.scalars(
        select(Meeting).where(Meeting.incident_id.is_not(None)).order_by(Meeting.id)
    ).all()
    assert signed.status is MeetingStatus.DISAHKAN
    assert signed.minutes_sha256
    assert upcoming.status is MeetingStatus.DIJADWALKAN
    assert upcoming.incident_id == tree.id
