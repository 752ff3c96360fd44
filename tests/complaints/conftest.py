"""Complaint factories: a photo, a report, a report in a given state."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image
from sqlalchemy.orm import Session

from pontive.complaints import workflow
from pontive.complaints.choices import ComplaintStatus
from pontive.complaints.models import Complaint
from pontive.complaints.schemas import ComplaintCreate
from pontive.complaints.service import Receipt, create_complaint, forget_catalogue
from pontive.core.identity import ANONYMOUS, system_actor
from pontive.core.storage import MediaStore

# Jl. Gajah Mada, Benua Melayu Darat (Pontianak Selatan): inside the city on any index.
GAJAH_MADA = (109.3427, -0.0391)
STAFF = system_actor("test")


def jpeg_bytes(width: int = 800, height: int = 600, *, exif_gps: bool = False) -> bytes:
    """A JPEG photo as a phone would send it (optionally with a GPS EXIF tag)."""
    image = Image.new("RGB", (width, height), (120, 160, 200))
    output = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "S", 2: (0.0, 2.0, 21.0), 3: "E", 4: (109.0, 20.0, 33.0)}
        exif[0x0110] = "Phone Model X"
        image.save(output, format="JPEG", exif=exif)
    else:
        image.save(output, format="JPEG")
    return output.getvalue()


@pytest.fixture(autouse=True)
def _fresh_catalogue_cache() -> Iterator[None]:
    """Rolled-back catalogue changes must not survive in the process-wide catalogue cache."""
    yield
    forget_catalogue()


@pytest.fixture
def report(session: Session, media: MediaStore):  # type: ignore[no-untyped-def]
    """Factory: ``report(category_code="jalan-rusak", **fields) -> Receipt``."""

    def _make(category_code: str = "drainase", **fields: Any) -> Receipt:
        values: dict[str, Any] = {
            "category_code": category_code,
            "description": "Parit di depan rumah tersumbat sampah, air meluap ke jalan.",
            "lon": GAJAH_MADA[0],
            "lat": GAJAH_MADA[1],
        }
        values.update(fields)
        photos = values.pop("photos", None)
        return create_complaint(
            session=session,
            data=ComplaintCreate(**values),
            actor=ANONYMOUS,
            media=media,
            photos=photos,
        )

    return _make


@pytest.fixture
def report_in(session: Session, report):  # type: ignore[no-untyped-def]
    """Factory: a report moved along the workflow to ``status``."""
    path = {
        ComplaintStatus.DITERIMA: [],
        ComplaintStatus.DIVERIFIKASI: [ComplaintStatus.DIVERIFIKASI],
        ComplaintStatus.DIDISPOSISIKAN: [
            ComplaintStatus.DIVERIFIKASI,
            ComplaintStatus.DIDISPOSISIKAN,
        ],
        ComplaintStatus.DIKERJAKAN: [
            ComplaintStatus.DIVERIFIKASI,
            ComplaintStatus.DIDISPOSISIKAN,
            ComplaintStatus.DIKERJAKAN,
        ],
        ComplaintStatus.SELESAI: [
            ComplaintStatus.DIVERIFIKASI,
            ComplaintStatus.DIDISPOSISIKAN,
            ComplaintStatus.DIKERJAKAN,
            ComplaintStatus.SELESAI,
        ],
    }

    def _make(status: ComplaintStatus, **fields: Any) -> Complaint:
        receipt = report(**fields)
        for step in path[status]:
            workflow.transition(
                session=session,
                actor=STAFF,
                tracking_number=receipt.complaint.tracking_number,
                to=step,
                message="ok",
            )
        return receipt.complaint

    return _make
