"""Receiving reports: validation, location and routing, tracking numbers, photos, privacy."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from pontive.complaints import service
from pontive.complaints.choices import ComplaintStatus
from pontive.complaints.models import Complaint, Notification
from pontive.complaints.service import Upload, check_access_token
from pontive.core.audit import AuditEvent
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.storage import MediaStore
from tests.complaints.conftest import GAJAH_MADA, jpeg_bytes


def test_an_anonymous_report_gets_a_tracking_number_and_a_private_link(report) -> None:  # type: ignore[no-untyped-def]
    receipt = report()
    complaint = receipt.complaint
    assert re.fullmatch(r"PTK-20\d\d-\d{6}", complaint.tracking_number)
    assert complaint.status is ComplaintStatus.DITERIMA
    assert check_access_token(complaint.tracking_number, receipt.access_token)
    assert not check_access_token(complaint.tracking_number, "tebakan")
    assert complaint.is_anonymous
    assert complaint.reporter_name is None


def test_tracking_numbers_count_up(report) -> None:  # type: ignore[no-untyped-def]
    first = int(report().complaint.tracking_number[-6:])
    second = int(report().complaint.tracking_number[-6:])
    assert second == first + 1


def test_the_location_picks_kelurahan_and_the_category_picks_the_agency(report) -> None:  # type: ignore[no-untyped-def]
    complaint = report("sampah", attributes={"jenis": "liar"}).complaint
    assert complaint.kecamatan_kode == "61.71.01"
    assert complaint.kelurahan_kode is not None
    assert complaint.pd_kode == "dlh"


def test_administrative_complaints_go_to_the_kecamatan_office(report) -> None:  # type: ignore[no-untyped-def]
    complaint = report("pelayanan-administrasi", attributes={"layanan": "ktp"}).complaint
    assert complaint.pd_kode == "kec-selatan"


def test_the_due_date_counts_working_days(report) -> None:  # type: ignore[no-untyped-def]
    complaint = report("jalan-rusak", attributes={"ukuran": "besar"}).complaint
    assert complaint.due_on is not None
    assert complaint.due_on.weekday() < 5
    assert (complaint.due_on - complaint.created_at.date()).days >= 10


def test_a_retried_submission_returns_the_same_report(report, session: Session) -> None:  # type: ignore[no-untyped-def]
    first = report(idempotency_key="form-abc-1")
    again = report(idempotency_key="form-abc-1")
    assert again.complaint.id == first.complaint.id
    assert not again.is_new
    assert again.access_token == first.access_token
    count = session.scalar(
        text("SELECT count(*) FROM complaints WHERE idempotency_key = 'form-abc-1'")
    )
    assert count == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"lon": 109.60, "lat": 0.30}, "location"),
        ({"lon": None, "lat": None}, "location"),
        ({"is_anonymous": False}, "contact"),
        ({"is_anonymous": False, "phone": "0812 3456 7890"}, "consent"),
        ({"category_code": "jalan-rusak"}, "attribute[ukuran]"),
        ({"category_code": "sampah", "attributes": {"jenis": "tidak-ada"}}, "attribute[jenis]"),
    ],
)
def test_invalid_reports_get_field_errors_and_nothing_is_stored(
    report,
    session: Session,
    fields: dict[str, object],
    field: str,  # type: ignore[no-untyped-def]
) -> None:
    before = session.scalar(text("SELECT count(*) FROM complaints"))
    with pytest.raises(InvalidInput) as caught:
        report(**fields)
    assert field in caught.value.errors
    assert session.scalar(text("SELECT count(*) FROM complaints")) == before


def test_an_unknown_category_is_not_found(report) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        report("tidak-ada")


def test_contact_details_are_sealed_and_the_reporter_is_told(report, session: Session) -> None:  # type: ignore[no-untyped-def]
    complaint = report(
        is_anonymous=False,
        name="Siti Aminah",
        phone="0812-5555-0101",
        email="siti@contoh.id",
        consent=True,
    ).complaint
    row = session.execute(
        text("SELECT reporter_name, reporter_phone, reporter_email FROM complaints WHERE id = :i"),
        {"i": complaint.id},
    ).one()
    assert all(value.startswith("v1:") for value in row)
    assert "Siti" not in repr(row)
    assert "0812" not in repr(row)
    notes = session.scalars(
        select(Notification).where(Notification.complaint_id == complaint.id)
    ).all()
    assert {n.channel for n in notes} == {"email", "whatsapp"}
    assert all(complaint.tracking_number in n.subject for n in notes)
    raw = session.execute(text("SELECT recipient FROM complaint_notifications")).scalars().all()
    assert not any("siti@" in value for value in raw)


def test_photos_are_cleaned_of_metadata_and_resized(
    report, media: MediaStore, session: Session
) -> None:  # type: ignore[no-untyped-def]
    original = jpeg_bytes(4000, 3000, exif_gps=True)
    assert b"Phone Model X" in original
    complaint = report(
        "jalan-rusak", attributes={"ukuran": "kecil"}, photos=[Upload("IMG_0001.jpg", original)]
    ).complaint
    (photo,) = complaint.photos
    stored = media.read(photo.storage_key)
    assert b"Phone Model X" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert max(image.size) == 1600
        assert not image.getexif()
    assert not photo.is_public  # shown only after moderation


def test_files_that_are_not_photos_are_refused(report) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as caught:
        report(photos=[Upload("evil.jpg", b"<?php system($_GET['c']); ?>")])
    assert "photos" in caught.value.errors


def test_nearby_open_reports_of_the_same_kind_are_found(report, session: Session) -> None:  # type: ignore[no-untyped-def]
    existing = report("drainase").complaint
    report("sampah", attributes={"jenis": "tps"})
    near = service.find_nearby(
        session, category_code="drainase", lon=GAJAH_MADA[0] + 0.001, lat=GAJAH_MADA[1]
    )
    assert [c.id for c in near] == [existing.id]
    far = service.find_nearby(
        session, category_code="drainase", lon=GAJAH_MADA[0] + 0.01, lat=GAJAH_MADA[1]
    )
    assert far == []


def test_creation_is_audited(report, session: Session) -> None:  # type: ignore[no-untyped-def]
    complaint: Complaint = report().complaint
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == complaint.tracking_number)
    ).all()
    assert actions == ["complaint.create"]


def test_the_overdue_filter_agrees_with_the_overdue_badge(report, session: Session) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from pontive.complaints.views import is_overdue
    from pontive.core.timeutil import utcnow

    late = report().complaint
    waiting = report().complaint
    for complaint in (late, waiting):
        complaint.due_on = complaint.created_at.date() - timedelta(days=3)
    waiting.paused_at = utcnow()
    session.flush()
    found, _total = service.list_complaints(
        session, filters=service.ComplaintFilter(is_overdue=True)
    )
    ids = {c.id for c in found}
    assert late.id in ids
    assert waiting.id not in ids
    assert is_overdue(late)
    assert not is_overdue(waiting)
