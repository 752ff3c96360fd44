"""Shared pieces of the workspace tests (no tests here): reports with a reporter's personal
data, an export of the test's own database, the app's settings with a folder of the test's."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.analytics import workspace_export
from pontive.analytics.workspace_manifest import Manifest
from pontive.complaints.choices import ComplaintStatus, Source, UpdateKind
from pontive.complaints.models import Complaint, ComplaintUpdate, ServiceCategory
from pontive.core.timeutil import WIB, utcnow
from pontive.reference.models import Kelurahan
from pontive.settings import Settings
from tests.conftest import make_settings

REPORTER_NAME = "Yohanes Pelapor Rahasia"
REPORTER_PHONE = "0812-9999-4242"
REPORTER_EMAIL = "yohanes.rahasia@contoh.id"
PRIVATE_TEXT = "Rumah Pak Yohanes di gang sempit nomor 7"
INTERNAL_NOTE = "Catatan internal: jangan beri tahu pelapor"


def add_complaint(
    session: Session,
    number: int,
    *,
    status: ComplaintStatus = ComplaintStatus.DIKERJAKAN,
    due_days: int = -3,
    is_public: bool = True,
) -> Complaint:
    """A report with every personal field filled, due ``due_days`` from today."""
    category = session.scalars(select(ServiceCategory).order_by(ServiceCategory.id)).first()
    kelurahan = session.scalars(select(Kelurahan).order_by(Kelurahan.kode)).first()
    assert category is not None
    assert kelurahan is not None
    complaint = Complaint(
        tracking_number=f"PTK-T-{number:06d}",
        category_id=category.id,
        description=PRIVATE_TEXT,
        public_description="Jalan berlubang di gang",
        address=PRIVATE_TEXT,
        lon=109.33,
        lat=-0.03,
        kelurahan_kode=kelurahan.kode,
        kecamatan_kode=kelurahan.kecamatan_kode,
        pd_kode=category.pd_kode,
        status=status,
        source=Source.WEB,
        is_public=is_public,
        is_anonymous=False,
        reporter_name=REPORTER_NAME,
        reporter_phone=REPORTER_PHONE,
        reporter_email=REPORTER_EMAIL,
        reporter_index="f" * 64,
        created_at=utcnow() - timedelta(days=10),
        due_on=utcnow().astimezone(WIB).date() + timedelta(days=due_days),
        rating_comment=PRIVATE_TEXT,
    )
    session.add(complaint)
    session.flush()
    session.add(
        ComplaintUpdate(
            complaint_id=complaint.id,
            kind=UpdateKind.NOTE,
            message=INTERNAL_NOTE,
            is_public=False,
            actor="operator1",
        )
    )
    session.flush()
    return complaint


def export_to(session: Session, folder: Path) -> Manifest:
    """Export the session's database into ``folder``."""
    return workspace_export.export(session, folder)


def settings_with_export_dir(database_url: str, tmp_path: Path) -> Settings:
    """Test settings whose export folder is the test's own."""
    return make_settings(
        database_url, media_dir=tmp_path / "media", analytics_dir=tmp_path / "analytics"
    )
