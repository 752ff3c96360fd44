"""Who hears about a report, and what they are told.

This module decides the messages and queues them as ``Notification`` rows inside the
caller's transaction; ``delivery.py`` sends them from the worker and retries failures. The
reporter is told through what they left (e-mail, phone); reporters of merged duplicates
follow the report that stayed. Staff of the owning PD get in-app alerts (and e-mail).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import Session

from pontive.complaints.choices import DeliveryStatus
from pontive.complaints.models import Complaint, Notification
from pontive.core.models import User
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow

PHONE_CHANNEL = "whatsapp"


# Bodies keep this placeholder; delivery fills in PONTIVE_BASE_URL when it sends.
BASE_URL = "{base_url}"


def report_link(tracking_number: str) -> str:
    """The reporter's private link (tracking number plus its secret)."""
    from pontive.complaints.service import access_token  # late: service imports notify

    return f"{BASE_URL}/lapor/{tracking_number}?k={access_token(tracking_number)}"


def _reporter_addresses(complaint: Complaint) -> list[tuple[str, str]]:
    addresses = []
    if complaint.reporter_email:
        addresses.append(("email", complaint.reporter_email))
    if complaint.reporter_phone:
        addresses.append((PHONE_CHANNEL, complaint.reporter_phone))
    return addresses


def _queue(
    session: Session,
    complaint: Complaint | None,
    channel: str,
    recipient: str,
    subject: str,
    body: str,
    *,
    user_id: int | None = None,
) -> None:
    session.add(
        Notification(
            complaint_id=complaint.id if complaint is not None else None,
            channel=channel,
            recipient=recipient,
            user_id=user_id,
            subject=subject[:200],
            body=body,
            status=DeliveryStatus.PENDING,
            attempts=0,
            next_attempt_at=utcnow(),
            created_at=utcnow(),
        )
    )


def _tell_reporters(session: Session, complaint: Complaint, subject: str, body: str) -> None:
    followers = session.scalars(
        select(Complaint).where(Complaint.duplicate_of_id == complaint.id)
    ).all()
    for report in (complaint, *followers):
        link = report_link(report.tracking_number)
        for channel, address in _reporter_addresses(report):
            _queue(session, complaint, channel, address, subject, f"{body}\n\nPantau: {link}")


def queue_receipt(session: Session, complaint: Complaint) -> None:
    """Tell the reporter the report arrived, with its tracking number and private link."""
    subject = f"Laporan {complaint.tracking_number} diterima"
    body = (
        f"Terima kasih. Laporan Anda ({complaint.category.name_id}) telah diterima Pontive "
        f"Center dengan nomor {complaint.tracking_number}. Target penyelesaian: "
        f"{complaint.due_on:%d-%m-%Y}."
        if complaint.due_on
        else f"Terima kasih. Laporan Anda diterima dengan nomor {complaint.tracking_number}."
    )
    _tell_reporters(session, complaint, subject, body)


def queue_status_change(session: Session, complaint: Complaint, reason: str) -> None:
    """Tell the reporter (and followers) about a new state, with the reason given."""
    status = complaint.status.label("id")
    subject = f"Laporan {complaint.tracking_number}: {status}"
    body = f"Status laporan {complaint.tracking_number} kini: {status}."
    if reason:
        body += f"\n\nKeterangan petugas: {reason}"
    _tell_reporters(session, complaint, subject, body)
    if complaint.status.value in ("bukan_kewenangan",):
        queue_staff_alert(session, complaint, "Laporan dikembalikan: bukan kewenangan PD")
    elif complaint.status.value == "didisposisikan":
        queue_staff_alert(session, complaint, "Laporan baru didisposisikan ke PD Anda")


def queue_reply(session: Session, complaint: Complaint, message: str) -> None:
    """Forward a staff reply to the reporter."""
    subject = f"Balasan untuk laporan {complaint.tracking_number}"
    _tell_reporters(session, complaint, subject, f"Petugas menjawab:\n\n{message}")


def follow(session: Session, original: Complaint, duplicate: Complaint) -> None:
    """Tell a duplicate's reporter where their report went; they follow the original now."""
    subject = f"Laporan {duplicate.tracking_number} digabung"
    body = (
        f"Masalah yang Anda laporkan sudah dilaporkan sebelumnya sebagai "
        f"{original.tracking_number}. Laporan Anda digabungkan ke sana dan Anda akan menerima "
        f"kabar perkembangannya.\n\nPantau: {report_link(original.tracking_number)}"
    )
    for channel, address in _reporter_addresses(duplicate):
        _queue(session, duplicate, channel, address, subject, body)


def queue_staff_alert(session: Session, complaint: Complaint, subject: str) -> None:
    """Alert the owning PD's officers (in-app, and by e-mail when they have one)."""
    officers = session.scalars(
        select(User).where(
            User.is_active.is_(True),
            ((User.role == Role.PETUGAS_PD) & (User.pd_kode == complaint.pd_kode))
            | (User.role == Role.OPERATOR),
        )
    ).all()
    body = f"{subject}: {complaint.tracking_number} — {complaint.public_description[:200]}"
    for officer in officers:
        _queue(session, complaint, "inapp", officer.username, subject, body, user_id=officer.id)
        if officer.email:
            _queue(session, complaint, "email", officer.email, subject, body, user_id=officer.id)


def queue_message(
    session: Session,
    *,
    channel: str,
    recipient: str,
    subject: str,
    body: str,
    user_id: int | None = None,
) -> None:
    """Queue a message that belongs to no report (a confirmation code, a reminder); the
    worker delivers it like any other, through ``channel`` (email, whatsapp, sms, inapp)."""
    _queue(session, None, channel, recipient, subject, body, user_id=user_id)


def queue_to_staff(
    session: Session, *, subject: str, body: str, roles: tuple[Role, ...], pd_kode: str | None
) -> int:
    """Tell active staff of ``roles`` (and the officers of ``pd_kode``) in the console and by
    e-mail when they have one; returns how many people were told."""
    holder: ColumnElement[bool] = User.role.in_(roles)
    if pd_kode is not None:
        holder = or_(holder, (User.role == Role.PETUGAS_PD) & (User.pd_kode == pd_kode))
    people = session.scalars(select(User).where(User.is_active.is_(True), holder)).all()
    for person in people:
        _queue(session, None, "inapp", person.username, subject, body, user_id=person.id)
        if person.email:
            _queue(session, None, "email", person.email, subject, body, user_id=person.id)
    return len(people)


def settle_demo_messages(session: Session) -> int:
    """Demo data only: every message still queued went to a made-up address, so it counts as
    sent at once and the worker never tries to deliver it (in-app ones stay unread)."""
    now = utcnow()
    session.flush()  # messages still only added to the session count too
    result = session.execute(
        update(Notification)
        .where(Notification.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.SENT, sent_at=now, attempts=1, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
