"""Retention: expired personal data is erased once, on a controlled clock, and audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.cctv.models import CameraView
from pontive.complaints.choices import ComplaintStatus, DeliveryStatus
from pontive.complaints.models import Complaint, Notification
from pontive.core.audit import AuditEvent
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from pontive.privacy import retention
from pontive.settings import Settings

NOW = utcnow() + timedelta(days=3)  # the clock the job runs at


def _closed(report: Any, session: Session, days_ago: int) -> Complaint:
    complaint: Complaint = report(
        name="Budi", phone="0811-2222-3333", is_anonymous=False, consent=True
    ).complaint
    complaint.status = ComplaintStatus.DITUTUP
    complaint.closed_at = NOW - timedelta(days=days_ago)
    session.commit()
    return complaint


def _retention_events(session: Session) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "privacy.retention")
        )
        or 0
    )


def test_reporters_contact_goes_after_the_period_and_only_then(
    session: Session, report: Any, settings: Settings, media: MediaStore
) -> None:
    settings = settings.model_copy(update={"privacy_reporter_contact_days": 30})
    old, recent = _closed(report, session, days_ago=31), _closed(report, session, days_ago=29)
    open_report = report(name="Citra", email="citra@contoh.id", is_anonymous=False, consent=True)
    events = _retention_events(session)

    erased = retention.expire(session, settings=settings, media=media, now=NOW)

    assert erased.get("complaints.reports") == 1
    session.refresh(old)
    session.refresh(recent)
    assert (old.reporter_name, old.reporter_phone, old.reporter_index) == (None, None, None)
    assert (recent.reporter_name, recent.reporter_phone) == ("Budi", "0811-2222-3333")
    session.refresh(open_report.complaint)
    assert open_report.complaint.reporter_email == "citra@contoh.id"
    assert _retention_events(session) == events + 1


def test_a_second_run_erases_nothing_and_records_nothing(
    session: Session, report: Any, settings: Settings, media: MediaStore
) -> None:
    settings = settings.model_copy(update={"privacy_reporter_contact_days": 30})
    _closed(report, session, days_ago=40)
    retention.expire(session, settings=settings, media=media, now=NOW)
    events = _retention_events(session)
    assert retention.expire(session, settings=settings, media=media, now=NOW) == {}
    assert _retention_events(session) == events


def test_delivered_messages_go_and_pending_ones_stay(
    session: Session, report: Any, settings: Settings, media: MediaStore
) -> None:
    settings = settings.model_copy(update={"privacy_notification_days": 10})
    complaint = report(email="dewi@contoh.id", consent=True).complaint
    messages = session.scalars(
        select(Notification).where(Notification.complaint_id == complaint.id)
    ).all()
    assert messages
    sent, pending = (
        messages[0],
        Notification(
            complaint_id=complaint.id,
            channel="email",
            recipient="dewi@contoh.id",
            subject="s",
            body="b",
            status=DeliveryStatus.PENDING,
            created_at=NOW - timedelta(days=11),
        ),
    )
    sent.status, sent.created_at = DeliveryStatus.SENT, NOW - timedelta(days=11)
    session.add(pending)
    session.commit()
    sent_id, pending_id = sent.id, pending.id

    retention.expire(session, settings=settings, media=media, now=NOW)

    assert session.get(Notification, sent_id) is None
    assert session.get(Notification, pending_id) is not None


def test_viewers_ip_addresses_are_cleared_and_the_view_kept(
    session: Session, settings: Settings, media: MediaStore
) -> None:
    settings = settings.model_copy(update={"privacy_viewer_ip_days": 7})
    old = CameraView(
        camera_code="CAM-9",
        actor="anonymous",
        actor_role="",
        via="page",
        allowed=False,
        ip="203.0.113.9",
        started_at=NOW - timedelta(days=8),
    )
    new = CameraView(
        camera_code="CAM-9",
        actor="anonymous",
        actor_role="",
        via="page",
        allowed=False,
        ip="203.0.113.10",
        started_at=NOW - timedelta(days=6),
    )
    session.add_all([old, new])
    session.commit()

    retention.expire(session, settings=settings, media=media, now=NOW)

    session.refresh(old)
    session.refresh(new)
    assert (old.ip, old.camera_code) == (None, "CAM-9")
    assert new.ip == "203.0.113.10"
