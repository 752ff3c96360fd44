"""Personal data of complaints (UU 27/2022): what is held about a reporter and how it goes.

Erasure decisions: the reporter's name, phone, e-mail and their blind index are cleared; the
original description is replaced by the moderated public text (moderation removes personal
details before a report is published), so the public report, its timeline and the
statistics stay; the reporter's own replies are replaced by a marker; photos the reporter
sent that moderation never published are deleted with their files (they may show people or
homes), while published ones (checked to show none) stay with the public report; messages
sent to the reporter are deleted. Staff fix photos and staff replies are the city's record.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute

from pontive.complaints.choices import DeliveryStatus, UpdateKind
from pontive.complaints.models import (
    Complaint,
    ComplaintPhoto,
    ComplaintUpdate,
    Holiday,
    Notification,
    ServiceCategory,
)
from pontive.core.models import User
from pontive.privacy.declare import (
    Basis,
    Category,
    Context,
    Erase,
    EraseContext,
    Lookup,
    NotPersonal,
    Personal,
    Retention,
    Source,
    Subject,
    SubjectQuery,
    declare,
    names_of_things,
)
from pontive.privacy.engine import contact_indexes

PURPOSE = (
    "Menindaklanjuti laporan dan mengabari pelapor",
    "Handling the report and keeping the reporter informed",
)
RETENTION_RULE = (
    "Dihapus {days} hari setelah laporan ditutup (PONTIVE_PRIVACY_REPORTER_CONTACT_DAYS)",
    "Erased {days} days after the report is closed (PONTIVE_PRIVACY_REPORTER_CONTACT_DAYS)",
)
SETTING = "privacy_reporter_contact_days"


def _reports(query: SubjectQuery) -> ColumnElement[bool] | None:
    if query.lookup is Lookup.TRACKING:
        return Complaint.tracking_number == query.normalised
    if query.lookup is Lookup.CONTACT:
        indexes = contact_indexes(query)
        return or_(
            Complaint.reporter_index.in_(indexes), Complaint.reporter_email_index.in_(indexes)
        )
    return None


def _of_reports(column: InstrumentedAttribute[Any], query: SubjectQuery) -> ColumnElement[bool]:
    clause = _reports(query)
    return false() if clause is None else column.in_(select(Complaint.id).where(clause))


def _replies(query: SubjectQuery) -> ColumnElement[bool]:
    return and_(
        ComplaintUpdate.kind == UpdateKind.REPORTER,
        _of_reports(ComplaintUpdate.complaint_id, query),
    )


def _photos(query: SubjectQuery) -> ColumnElement[bool]:
    return and_(
        ComplaintPhoto.is_fix.is_(False),
        ComplaintPhoto.is_public.is_(False),
        _of_reports(ComplaintPhoto.complaint_id, query),
    )


def _notifications(query: SubjectQuery) -> ColumnElement[bool]:
    """A reporter's messages (not the staff alerts about the same report), or a user's."""
    if query.lookup is Lookup.USER:
        return Notification.user_id.in_(select(User.id).where(User.username == query.value.strip()))
    return and_(Notification.user_id.is_(None), _of_reports(Notification.complaint_id, query))


def _closed_before(cutoff: datetime) -> ColumnElement[bool]:
    return and_(Complaint.closed_at.is_not(None), Complaint.closed_at < cutoff)


def _erase_report(context: EraseContext, ids: Sequence[int]) -> None:
    # The moderated public text replaces the original, which may name the reporter.
    context.session.execute(
        update(Complaint)
        .where(Complaint.id.in_(ids))
        .values(description=Complaint.public_description, is_anonymous=True)
        .execution_options(synchronize_session=False)
    )


def _erase_photos(context: EraseContext, ids: Sequence[int]) -> None:
    keys = context.session.scalars(
        select(ComplaintPhoto.storage_key).where(ComplaintPhoto.id.in_(ids))
    )
    context.files.extend(keys)


declare(
    Source(
        name="complaints.reports",
        model=Complaint,
        label=("Laporan pengaduan", "Complaint reports"),
        subject=Subject.PELAPOR,
        purpose=PURPOSE,
        basis=Basis.PERSETUJUAN,
        personal=(
            Personal(Complaint.reporter_name, Category.IDENTITAS, ("Nama pelapor", "Name")),
            Personal(Complaint.reporter_phone, Category.KONTAK, ("Telepon pelapor", "Phone")),
            Personal(Complaint.reporter_email, Category.KONTAK, ("E-mail pelapor", "E-mail")),
            Personal(
                Complaint.reporter_index,
                Category.PENGENAL,
                ("Indeks kontak", "Contact index"),
            ),
            Personal(
                Complaint.reporter_email_index,
                Category.PENGENAL,
                ("Indeks e-mail", "E-mail index"),
            ),
            Personal(
                Complaint.description,
                Category.TEKS,
                ("Uraian asli", "Original description"),
                Erase.REPLACED,
                ("diganti uraian publik yang sudah dimoderasi", "replaced by the moderated text"),
            ),
            Personal(
                Complaint.rating_comment, Category.TEKS, ("Komentar penilaian", "Rating comment")
            ),
        ),
        retention_rule=RETENTION_RULE,
        retention=Retention(SETTING, _closed_before),
        find=_reports,
        context=(
            Context(Complaint.tracking_number, ("Nomor laporan", "Tracking number")),
            Context(Complaint.status, ("Status", "Status")),
            Context(Complaint.created_at, ("Dikirim", "Sent")),
            Context(Complaint.closed_at, ("Ditutup", "Closed")),
            Context(Complaint.address, ("Lokasi masalah", "Location of the problem")),
            Context(Complaint.public_description, ("Uraian publik", "Public description")),
            Context(Complaint.consent_at, ("Persetujuan diberikan", "Consent given")),
            Context(Complaint.rating, ("Penilaian", "Rating")),
        ),
        not_personal=(
            NotPersonal(Complaint.address, "the place of the problem, not the reporter's home"),
            NotPersonal(Complaint.public_description, "moderated: personal details removed first"),
        ),
        on_erase=_erase_report,
    )
)

declare(
    Source(
        name="complaints.reporter_replies",
        model=ComplaintUpdate,
        label=("Tanggapan pelapor", "Reporter's replies"),
        subject=Subject.PELAPOR,
        purpose=PURPOSE,
        basis=Basis.PERSETUJUAN,
        personal=(
            Personal(
                ComplaintUpdate.message, Category.TEKS, ("Isi tanggapan", "Reply"), Erase.MARKER
            ),
        ),
        retention_rule=RETENTION_RULE,
        retention=Retention(
            SETTING,
            lambda cutoff: and_(
                ComplaintUpdate.kind == UpdateKind.REPORTER,
                ComplaintUpdate.complaint_id.in_(
                    select(Complaint.id).where(_closed_before(cutoff))
                ),
            ),
        ),
        find=_replies,
        context=(Context(ComplaintUpdate.created_at, ("Waktu", "Time")),),
    )
)

declare(
    Source(
        name="complaints.photos",
        model=ComplaintPhoto,
        label=("Foto dari pelapor yang tidak diterbitkan", "Reporter's unpublished photos"),
        subject=Subject.PELAPOR,
        purpose=PURPOSE,
        basis=Basis.PERSETUJUAN,
        personal=(
            Personal(
                ComplaintPhoto.storage_key,
                Category.GAMBAR,
                ("Berkas foto", "Photo file"),
                Erase.DELETE_ROW,
            ),
        ),
        retention_rule=RETENTION_RULE,
        retention=Retention(
            SETTING,
            lambda cutoff: and_(
                ComplaintPhoto.is_fix.is_(False),
                ComplaintPhoto.is_public.is_(False),
                ComplaintPhoto.complaint_id.in_(select(Complaint.id).where(_closed_before(cutoff))),
            ),
        ),
        find=_photos,
        context=(Context(ComplaintPhoto.created_at, ("Diunggah", "Uploaded")),),
        on_erase=_erase_photos,
    )
)

declare(
    Source(
        name="complaints.notifications",
        model=Notification,
        label=("Pesan yang dikirim", "Messages sent"),
        subject=Subject.PENERIMA,
        purpose=("Mengabari pelapor dan petugas", "Telling reporters and staff"),
        basis=Basis.TUGAS_PUBLIK,
        personal=(
            Personal(
                Notification.recipient,
                Category.KONTAK,
                ("Alamat tujuan", "Recipient"),
                Erase.DELETE_ROW,
            ),
        ),
        retention_rule=(
            "Pesan terkirim atau gagal dihapus {days} hari setelah dibuat "
            "(PONTIVE_PRIVACY_NOTIFICATION_DAYS)",
            "Sent or failed messages are deleted {days} days after they were made "
            "(PONTIVE_PRIVACY_NOTIFICATION_DAYS)",
        ),
        retention=Retention(
            "privacy_notification_days",
            lambda cutoff: and_(
                Notification.status != DeliveryStatus.PENDING, Notification.created_at < cutoff
            ),
        ),
        find=_notifications,
        context=(
            Context(Notification.channel, ("Saluran", "Channel")),
            Context(Notification.subject, ("Judul", "Subject")),
            Context(Notification.created_at, ("Dibuat", "Made")),
            Context(Notification.sent_at, ("Terkirim", "Sent")),
        ),
        not_personal=(NotPersonal(Notification.body, "the service message; names no recipient"),),
    )
)

names_of_things(ServiceCategory.name_id, ServiceCategory.name_en, Holiday.name)
