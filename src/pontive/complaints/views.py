"""One mapping from a report to what the public and staff may read of it.

The public-data rule, for every public page, the API and Open311: no reporter name, phone or
e-mail ever; the moderated text (``public_description``); photos only after moderation (or to
the reporter through the private link); public updates only, never internal notes.

``to_public`` and ``to_staff`` are pure: they take the report and a ``Names`` lookup (place
and agency names, tracking numbers of merged originals) and never touch the database, so
pages, the API and Open311 can share them. ``load_names`` builds the lookup for a batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.complaints.choices import ComplaintStatus, UpdateKind
from pontive.complaints.models import Complaint, ComplaintPhoto, ComplaintUpdate
from pontive.complaints.schemas import ComplaintPublic, ComplaintStaff, TimelineEntry
from pontive.core.timeutil import WIB, utcnow
from pontive.reference import service as reference

PUBLIC_PHOTO_URL = "/media/complaints/{photo_id}"
STAFF_PHOTO_URL = "/console/pengaduan/{tracking}/foto/{photo_id}"


@dataclass(frozen=True, slots=True)
class Names:
    """Names the mapping needs: kelurahan/kecamatan by code, PD by code, originals by id."""

    kelurahan: dict[str, str] = field(default_factory=dict)
    kecamatan: dict[str, str] = field(default_factory=dict)
    kelurahan_kecamatan: dict[str, str] = field(default_factory=dict)
    pd: dict[str, str] = field(default_factory=dict)
    tracking_by_id: dict[int, str] = field(default_factory=dict)

    def place(self, complaint: Complaint) -> tuple[str | None, str | None]:
        """The report's kelurahan and kecamatan names (the kecamatan from the kelurahan when
        the report has none of its own)."""
        kel = complaint.kelurahan_kode
        kec = complaint.kecamatan_kode or (self.kelurahan_kecamatan.get(kel) if kel else None)
        return (self.kelurahan.get(kel) if kel else None, self.kecamatan.get(kec) if kec else None)

    def original(self, complaint: Complaint) -> str | None:
        """The tracking number of the report this one was merged into, if any."""
        if complaint.duplicate_of_id is None:
            return None
        return self.tracking_by_id.get(complaint.duplicate_of_id)


def load_names(session: Session, complaints: Iterable[Complaint] = ()) -> Names:
    """The lookup for ``complaints`` (reference lists are cached; one query for originals)."""
    kelurahan: dict[str, str] = {}
    kecamatan: dict[str, str] = {}
    kelurahan_kecamatan: dict[str, str] = {}
    for kec in reference.list_kecamatan(session=session):
        kecamatan[kec.kode] = kec.nama_umum
        for kel in kec.kelurahan:
            kelurahan[kel.kode] = kel.nama_umum
            kelurahan_kecamatan[kel.kode] = kec.kode
    pds = {
        pd.kode: pd.nama
        for pd in reference.list_perangkat_daerah(session=session, active_only=False)
    }
    original_ids = {c.duplicate_of_id for c in complaints if c.duplicate_of_id is not None}
    tracking_by_id: dict[int, str] = {}
    if original_ids:
        rows = session.execute(
            select(Complaint.id, Complaint.tracking_number).where(Complaint.id.in_(original_ids))
        )
        tracking_by_id = {row.id: row.tracking_number for row in rows}
    return Names(kelurahan, kecamatan, kelurahan_kecamatan, pds, tracking_by_id)


def today_wib() -> date:
    """Today's date in Pontianak."""
    return utcnow().astimezone(WIB).date()


def is_overdue(complaint: Complaint, today: date | None = None) -> bool:
    """Open, not waiting for the reporter (the SLA clock is stopped), and past its due date
    (WIB)."""
    if complaint.due_on is None or not complaint.status.is_open or complaint.paused_at is not None:
        return False
    return complaint.due_on < (today or today_wib())


def is_fixed(complaint: Complaint) -> bool:
    """Fixed (*selesai*), or closed after being fixed: "closed" alone is not "fixed"."""
    if complaint.status is ComplaintStatus.SELESAI:
        return True
    return complaint.status is ComplaintStatus.DITUTUP and complaint.resolved_at is not None


def public_photo_url(photo: ComplaintPhoto) -> str:
    """Where anyone fetches a moderated photo."""
    return PUBLIC_PHOTO_URL.format(photo_id=photo.id)


def staff_photo_url(complaint: Complaint, photo: ComplaintPhoto) -> str:
    """Where staff fetch any photo of the report (checked against the report's PD)."""
    return STAFF_PHOTO_URL.format(tracking=complaint.tracking_number, photo_id=photo.id)


def is_public_update(update: ComplaintUpdate) -> bool:
    """Shown on the report's public timeline: published, and not an internal note."""
    return update.is_public and update.kind is not UpdateKind.NOTE


def _timeline(complaint: Complaint, *, internal: bool) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            kind=update.kind,
            status_from=update.status_from,
            status_to=update.status_to,
            message=update.message,
            created_at=update.created_at,
        )
        for update in complaint.updates
        if internal or is_public_update(update)
    ]


def _common(complaint: Complaint, names: Names, lang: str, today: date | None) -> dict[str, object]:
    kelurahan, kecamatan = names.place(complaint)
    return {
        "tracking_number": complaint.tracking_number,
        "category_code": complaint.category.code,
        "category_name": complaint.category.name(lang),
        "status": complaint.status,
        "status_label": complaint.status.label(lang),
        "is_fixed": is_fixed(complaint),
        "address": complaint.address,
        "lon": complaint.lon,
        "lat": complaint.lat,
        "kelurahan_kode": complaint.kelurahan_kode,
        "kelurahan": kelurahan,
        "kecamatan": kecamatan,
        "pd_kode": complaint.pd_kode,
        "pd": names.pd.get(complaint.pd_kode, complaint.pd_kode),
        "created_at": complaint.created_at,
        "updated_at": complaint.updated_at,
        "resolved_at": complaint.resolved_at,
        "due_on": complaint.due_on,
        "is_overdue": is_overdue(complaint, today),
        "duplicate_of": names.original(complaint),
    }


def to_public(
    complaint: Complaint, names: Names, *, lang: str = "id", today: date | None = None
) -> ComplaintPublic:
    """What anyone may read: moderated text, public photos and timeline, no personal data."""
    return ComplaintPublic(
        **_common(complaint, names, lang, today),
        description=complaint.public_description,
        photo_urls=[public_photo_url(p) for p in complaint.photos if p.is_public],
        timeline=_timeline(complaint, internal=False),
    )


def to_staff(
    complaint: Complaint, names: Names, *, lang: str = "id", today: date | None = None
) -> ComplaintStaff:
    """What staff read: everything but the reporter's contact details (internal notes have
    ``kind`` = ``note``)."""
    return ComplaintStaff(
        **_common(complaint, names, lang, today),
        description=complaint.public_description,
        photo_urls=[
            public_photo_url(p) if p.is_public else staff_photo_url(complaint, p)
            for p in complaint.photos
        ],
        timeline=_timeline(complaint, internal=True),
        id=complaint.id,
        original_description=complaint.description,
        source=complaint.source,
        external_id=complaint.external_id,
        attributes=complaint.attributes,
        is_public=complaint.is_public,
        is_anonymous=complaint.is_anonymous,
        has_contact=bool(complaint.reporter_phone or complaint.reporter_email),
        rating=complaint.rating,
        rating_comment=complaint.rating_comment,
        first_response_at=complaint.first_response_at,
        escalated_at=complaint.escalated_at,
    )
