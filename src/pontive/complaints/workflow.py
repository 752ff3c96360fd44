"""The report workflow: state changes, replies and notes, re-routing, merging duplicates,
reopening and rating. Every change records who, when and why, is audited, and tells the
reporter through a public timeline entry and a notification."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from pontive.complaints import notify
from pontive.complaints.choices import (
    NEEDS_REASON,
    TRANSITIONS,
    ComplaintStatus,
    UpdateKind,
)
from pontive.complaints.models import Complaint, ComplaintPhoto, ComplaintUpdate
from pontive.complaints.photos import MAX_PHOTOS, process_photo
from pontive.complaints.service import (
    TRIAGE,
    WORK,
    Upload,
    complaint_event,
    get_by_tracking,
    get_for_reporter,
)
from pontive.complaints.sla import add_working_days, load_holidays, working_days_between
from pontive.core import audit, permissions
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.events import emit
from pontive.core.identity import Actor
from pontive.core.storage import MediaStore
from pontive.core.timeutil import WIB, utcnow
from pontive.reference import service as reference

S = ComplaintStatus
REOPEN_DAYS = 14
# States the PD moves a report to; the rest are the command center's (triage).
WORK_TARGETS = frozenset({S.DIKERJAKAN, S.SELESAI, S.BUKAN_KEWENANGAN})
SHARED_TARGETS = frozenset({S.MENUNGGU_PELAPOR})


def _require_for(actor: Actor, complaint: Complaint, target: ComplaintStatus) -> None:
    if target in WORK_TARGETS:
        permissions.require(actor, WORK, owner_pd=complaint.pd_kode)
    elif target in SHARED_TARGETS:
        if not permissions.can(actor, TRIAGE):
            permissions.require(actor, WORK, owner_pd=complaint.pd_kode)
    else:
        permissions.require(actor, TRIAGE)


def _may(actor: Actor, complaint: Complaint, target: ComplaintStatus) -> bool:
    # The same rule as ``_require_for``, as a question.
    if target in WORK_TARGETS:
        return permissions.can(actor, WORK, owner_pd=complaint.pd_kode)
    if target in SHARED_TARGETS:
        return permissions.can(actor, TRIAGE) or permissions.can(
            actor, WORK, owner_pd=complaint.pd_kode
        )
    return permissions.can(actor, TRIAGE)


def allowed_targets(actor: Actor, complaint: Complaint) -> list[ComplaintStatus]:
    """The states ``actor`` may move ``complaint`` to now, in the workflow's order."""
    return [
        target
        for target in ComplaintStatus
        if target in TRANSITIONS[complaint.status] and _may(actor, complaint, target)
    ]


def _pause_or_resume(session: Session, complaint: Complaint, target: ComplaintStatus) -> None:
    # Perda-style SLA: the clock stops while the report waits for the reporter.
    now = utcnow()
    if target is S.MENUNGGU_PELAPOR and complaint.paused_at is None:
        complaint.paused_at = now
    elif complaint.paused_at is not None and target is not S.MENUNGGU_PELAPOR:
        if complaint.due_on is not None:
            holidays = load_holidays(session, around=now.astimezone(WIB).date())
            paused = working_days_between(
                complaint.paused_at.astimezone(WIB).date(), now.astimezone(WIB).date(), holidays
            )
            complaint.due_on = add_working_days(complaint.due_on, paused, holidays)
        complaint.paused_at = None


def transition(
    *,
    session: Session,
    actor: Actor,
    tracking_number: str,
    to: ComplaintStatus,
    message: str = "",
    pd_kode: str | None = None,
    duplicate_of: str | None = None,
) -> Complaint:
    """Move a report to ``to`` if the workflow and the actor's role allow it."""
    complaint = get_by_tracking(session, tracking_number)
    current = complaint.status
    if to not in TRANSITIONS[current]:
        raise Conflict(
            f"Laporan berstatus '{current.label('id')}' tidak dapat diubah menjadi "
            f"'{to.label('id')}'.",
            f"A report that is '{current.label('en')}' cannot become '{to.label('en')}'.",
        )
    _require_for(actor, complaint, to)
    message = message.strip()
    if to in NEEDS_REASON and not message and to is not S.DUPLIKAT:
        raise InvalidInput(errors={"message": ["Tuliskan alasannya untuk pelapor."]})
    before = {"status": current.value, "pd": complaint.pd_kode}
    if to is S.DIDISPOSISIKAN:
        _dispose(session, complaint, pd_kode)
    if to is S.DUPLIKAT:
        _mark_duplicate(session, actor, complaint, duplicate_of)
    _pause_or_resume(session, complaint, to)
    _apply(session, actor, complaint, current, to, message)
    audit.record(
        session,
        actor=actor,
        action="complaint.transition",
        object_type="complaint",
        object_id=complaint.tracking_number,
        before=before,
        after={"status": to.value, "pd": complaint.pd_kode},
    )
    emit(session, complaint_event("complaint.status_changed", complaint, previous=current.value))
    notify.queue_status_change(session, complaint, message)
    session.commit()
    return complaint


def _dispose(session: Session, complaint: Complaint, pd_kode: str | None) -> None:
    target = pd_kode or complaint.pd_kode
    if reference.get_perangkat_daerah(session=session, kode=target) is None:
        raise InvalidInput(errors={"pd_kode": [f"Perangkat Daerah '{target}' tidak dikenal."]})
    complaint.pd_kode = target


def _mark_duplicate(
    session: Session, actor: Actor, complaint: Complaint, duplicate_of: str | None
) -> None:
    if not duplicate_of:
        raise InvalidInput(errors={"duplicate_of": ["Sebutkan nomor laporan aslinya."]})
    try:
        original = get_by_tracking(session, duplicate_of)
    except NotFound as error:
        raise InvalidInput(errors={"duplicate_of": ["Nomor laporan tidak ditemukan."]}) from error
    if original.id == complaint.id or original.status is S.DUPLIKAT:
        raise InvalidInput(errors={"duplicate_of": ["Pilih laporan lain yang masih aktif."]})
    complaint.duplicate_of_id = original.id
    # Photos travel to the report that stays, so nothing the reporter sent is lost.
    for photo in list(complaint.photos):
        original.photos.append(photo)
    original.updated_at = utcnow()
    original.updates.append(
        ComplaintUpdate(
            kind=UpdateKind.NOTE,
            is_public=False,
            message=f"Digabung dari {complaint.tracking_number}.",
            actor=actor.label,
            actor_pd_kode=actor.pd_kode,
            created_at=utcnow(),
        )
    )
    notify.follow(session, original, complaint)


def _apply(
    session: Session,
    actor: Actor,
    complaint: Complaint,
    current: ComplaintStatus,
    to: ComplaintStatus,
    message: str,
) -> None:
    now = utcnow()
    complaint.status = to
    complaint.updated_at = now
    if complaint.first_response_at is None and actor.role is not None:
        complaint.first_response_at = now
    if to is S.SELESAI:
        complaint.resolved_at = now
    if to in (S.DITUTUP, S.DITOLAK, S.DUPLIKAT):
        complaint.closed_at = now
    if to is S.DIKERJAKAN and current is S.SELESAI:
        complaint.resolved_at = None
    complaint.updates.append(
        ComplaintUpdate(
            kind=UpdateKind.STATUS,
            status_from=current,
            status_to=to,
            message=message,
            is_public=True,
            actor=actor.label,
            actor_pd_kode=actor.pd_kode,
            created_at=now,
        )
    )


def add_update(
    *,
    session: Session,
    actor: Actor,
    tracking_number: str,
    message: str,
    is_public: bool,
    media: MediaStore | None = None,
    photos: list[Upload] | None = None,
) -> ComplaintUpdate:
    """A public reply to the reporter or an internal note, optionally with photos of the fix."""
    complaint = get_by_tracking(session, tracking_number)
    permissions.require(actor, WORK, owner_pd=complaint.pd_kode)
    if photos and len(photos) > MAX_PHOTOS:
        raise InvalidInput(errors={"photos": [f"Paling banyak {MAX_PHOTOS} foto."]})
    processed = [process_photo(upload.data) for upload in photos or []]
    now = utcnow()
    update = ComplaintUpdate(
        kind=UpdateKind.REPLY if is_public else UpdateKind.NOTE,
        message=message.strip(),
        is_public=is_public,
        actor=actor.label,
        actor_pd_kode=actor.pd_kode,
        created_at=now,
    )
    complaint.updates.append(update)
    session.flush()
    if processed and media is not None:
        for photo in processed:
            complaint.photos.append(
                ComplaintPhoto(
                    update_id=update.id,
                    storage_key=media.save(photo.data, folder="complaints", suffix=".jpg"),
                    content_type=photo.content_type,
                    width=photo.width,
                    height=photo.height,
                    size_bytes=len(photo.data),
                    is_fix=True,
                    is_public=is_public,
                    created_at=now,
                )
            )
    if is_public and complaint.first_response_at is None:
        complaint.first_response_at = now
    complaint.updated_at = now
    audit.record(
        session,
        actor=actor,
        action="complaint.reply" if is_public else "complaint.note",
        object_type="complaint",
        object_id=complaint.tracking_number,
    )
    if is_public:
        emit(session, complaint_event("complaint.replied", complaint))
        notify.queue_reply(session, complaint, update.message)
    session.commit()
    return update


def reopen(
    *, session: Session, actor: Actor, tracking_number: str, token: str, message: str
) -> Complaint:
    """The reporter says it is not fixed, within 14 days of *selesai*."""
    complaint = get_for_reporter(session, tracking_number, token)
    if complaint.status is not S.SELESAI or complaint.resolved_at is None:
        raise Conflict(
            "Hanya laporan yang sudah selesai yang dapat dibuka kembali.",
            "Only a fixed report can be reopened.",
        )
    if utcnow() - complaint.resolved_at > timedelta(days=REOPEN_DAYS):
        raise Conflict(
            f"Batas {REOPEN_DAYS} hari untuk membuka kembali sudah lewat; kirim laporan baru.",
            f"The {REOPEN_DAYS}-day reopening window has passed; file a new report.",
        )
    if not message.strip():
        raise InvalidInput(errors={"message": ["Ceritakan apa yang belum beres."]})
    before = complaint.status
    _apply(session, actor, complaint, before, S.DIKERJAKAN, message.strip())
    audit.record(
        session,
        actor=actor,
        action="complaint.reopen",
        object_type="complaint",
        object_id=complaint.tracking_number,
        before={"status": before.value},
        after={"status": S.DIKERJAKAN.value},
    )
    emit(session, complaint_event("complaint.reopened", complaint))
    notify.queue_staff_alert(session, complaint, "Laporan dibuka kembali oleh pelapor")
    session.commit()
    return complaint


def reporter_reply(
    *, session: Session, actor: Actor, tracking_number: str, token: str, message: str
) -> Complaint:
    """The reporter adds information; a report waiting for them goes back to work."""
    complaint = get_for_reporter(session, tracking_number, token)
    if not complaint.status.is_open:
        raise Conflict("Laporan ini sudah ditutup.", "This report is closed.")
    text = message.strip()
    if not text:
        raise InvalidInput(errors={"message": ["Tulis tanggapan Anda."]})
    complaint.updates.append(
        ComplaintUpdate(
            kind=UpdateKind.REPORTER,
            message=text,
            is_public=True,
            actor=actor.label,
            created_at=utcnow(),
        )
    )
    if complaint.status is S.MENUNGGU_PELAPOR:
        resume = S.DIDISPOSISIKAN if complaint.first_response_at else S.DIVERIFIKASI
        _pause_or_resume(session, complaint, resume)
        _apply(session, actor, complaint, S.MENUNGGU_PELAPOR, resume, "")
    complaint.updated_at = utcnow()
    audit.record(
        session,
        actor=actor,
        action="complaint.reporter_reply",
        object_type="complaint",
        object_id=complaint.tracking_number,
    )
    notify.queue_staff_alert(session, complaint, "Pelapor menambahkan tanggapan")
    session.commit()
    return complaint


def rate(
    *,
    session: Session,
    actor: Actor,
    tracking_number: str,
    token: str,
    rating: int,
    comment: str = "",
) -> Complaint:
    """The reporter rates the fix 1-5 (once, after *selesai*)."""
    complaint = get_for_reporter(session, tracking_number, token)
    if complaint.status not in (S.SELESAI, S.DITUTUP) or complaint.resolved_at is None:
        raise Conflict(
            "Penilaian dibuka setelah laporan selesai.", "Rating opens once the report is fixed."
        )
    if complaint.rating is not None:
        raise Conflict("Laporan ini sudah dinilai.", "This report has already been rated.")
    if not 1 <= rating <= 5:
        raise InvalidInput(errors={"rating": ["Nilai 1 sampai 5."]})
    complaint.rating, complaint.rating_comment = rating, comment.strip() or None
    complaint.rated_at = utcnow()
    audit.record(
        session,
        actor=actor,
        action="complaint.rate",
        object_type="complaint",
        object_id=complaint.tracking_number,
        after={"rating": rating},
    )
    emit(session, complaint_event("complaint.rated", complaint, rating=rating))
    session.commit()
    return complaint


def moderate(
    *,
    session: Session,
    actor: Actor,
    tracking_number: str,
    public_description: str | None = None,
    is_public: bool | None = None,
    public_photo_ids: set[int] | None = None,
) -> Complaint:
    """Edit what the public sees: the text (personal details removed), visibility, photos."""
    complaint = get_by_tracking(session, tracking_number)
    permissions.require(actor, TRIAGE)
    before = {"public_description": complaint.public_description, "is_public": complaint.is_public}
    if public_description is not None:
        if len(public_description.strip()) < 5:
            raise InvalidInput(errors={"public_description": ["Teks publik terlalu pendek."]})
        complaint.public_description = public_description.strip()
    if is_public is not None:
        complaint.is_public = is_public
    if public_photo_ids is not None:
        for photo in complaint.photos:
            photo.is_public = photo.id in public_photo_ids
    audit.record(
        session,
        actor=actor,
        action="complaint.moderate",
        object_type="complaint",
        object_id=complaint.tracking_number,
        before=before,
        after={
            "public_description": complaint.public_description,
            "is_public": complaint.is_public,
        },
    )
    session.commit()
    return complaint
