"""Facility care: applying, the staff's decision (the volunteer told, with the private link
once approved), reports through that link (photos stripped), damage leading to a complaint,
the public view without the volunteer, the end of the period."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy.orm import Session

from pontive.core.errors import InvalidInput, NotFound
from pontive.core.events import MemoryBus
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.core.worker import JobContext
from pontive.participation import adoption as care
from pontive.participation import moderation
from pontive.participation.choices import AdoptionStatus, Condition
from pontive.participation.hooks import today
from pontive.participation.jobs import JOBS, end_overdue_adoptions
from pontive.participation.models import Adoption
from pontive.participation.service import private_token
from tests.participation.support import MODERATOR, messages_to

VOLUNTEER = "relawan@contoh.id"


def _apply(session: Session, **changes: object) -> Adoption:
    values: dict[str, object] = {
        "facility_name": "Taman Gang Mawar",
        "kind": "taman",
        "lon": "109.3321",
        "lat": "-0.0398",
        "name": "Budi Relawan",
        "contact": VOLUNTEER,
        "consent": True,
        "group_name": "Karang Taruna Mawar",
    }
    values.update(changes)
    adoption, _ = care.apply_for_adoption(
        session,
        data=care.AdoptionApplication(**values),  # type: ignore[arg-type]
    )
    return adoption


def _approved(session: Session) -> Adoption:
    adoption = _apply(session)
    return moderation.approve_adoption(session, actor=MODERATOR, adoption_id=adoption.id)


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (40, 120, 60))
    exif = Image.Exif()
    exif[0x8825] = {2: (0.0, 2.0, 0.0)}  # a GPS block
    exif[0x010F] = "Kamera Rahasia"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"facility_name": "x"}, "facility_name"),
        ({"kind": "jembatan"}, "kind"),
        ({"lon": ""}, "location"),
        ({"lat": "200"}, "location"),
        ({"contact": "bukan"}, "contact"),
        ({"consent": False}, "consent"),
        ({"name": ""}, "name"),
    ],
)
def test_an_application_with_a_bad_field_is_refused(
    session: Session, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _apply(session, **changes)
    assert field in refused.value.errors


def test_an_application_waits_and_resolves_its_kelurahan(session: Session) -> None:
    adoption = _apply(session)
    assert adoption.status is AdoptionStatus.DIAJUKAN
    assert care.list_approved(session) == []
    assert "kami terima" in messages_to(session, VOLUNTEER)[-1].body
    again, is_new = care.apply_for_adoption(
        session,
        data=care.AdoptionApplication(
            facility_name="Lain",
            kind="taman",
            lon="109.3",
            lat="-0.03",
            name="B",
            contact=VOLUNTEER,
            consent=True,
            idempotency_key="sama",
        ),
    )
    assert is_new
    repeat, is_new = care.apply_for_adoption(
        session,
        data=care.AdoptionApplication(
            facility_name="Lain",
            kind="taman",
            lon="109.3",
            lat="-0.03",
            name="B",
            contact=VOLUNTEER,
            consent=True,
            idempotency_key="sama",
        ),
    )
    assert repeat.id == again.id
    assert not is_new


def test_approval_sets_a_year_and_sends_the_private_link(session: Session) -> None:
    adoption = _approved(session)
    assert adoption.status is AdoptionStatus.DISETUJUI
    assert adoption.starts_on == today()
    assert adoption.ends_on == today() + timedelta(days=365)
    link = f"/adopsi-fasilitas/{adoption.id}?k={private_token('adoption', adoption.id)}"
    assert link in messages_to(session, VOLUNTEER)[-1].body
    assert [a.id for a in care.list_approved(session)] == [adoption.id]


def test_a_refusal_needs_a_reason(session: Session) -> None:
    adoption = _apply(session)
    with pytest.raises(InvalidInput):
        moderation.reject_adoption(session, actor=MODERATOR, adoption_id=adoption.id, note="")
    moderation.reject_adoption(
        session, actor=MODERATOR, adoption_id=adoption.id, note="Sudah diadopsi kelompok lain."
    )
    assert "Sudah diadopsi" in messages_to(session, VOLUNTEER)[-1].body


def test_the_private_link_opens_only_with_its_secret(session: Session) -> None:
    adoption = _approved(session)
    token = private_token("adoption", adoption.id)
    assert care.get_for_volunteer(session, adoption.id, token).id == adoption.id
    with pytest.raises(NotFound):
        care.get_for_volunteer(session, adoption.id, private_token("idea", adoption.id))
    with pytest.raises(NotFound):
        care.get_for_volunteer(session, adoption.id, None)


def test_a_report_with_a_photo_keeps_no_metadata(session: Session, tmp_path: Path) -> None:
    adoption = _approved(session)
    media = MediaStore(tmp_path)
    report = care.submit_report(
        session,
        adoption=adoption,
        reported_on="",
        condition="baik",
        note="Rumput dipangkas.",
        photo=_jpeg_with_gps(),
        media=media,
    )
    assert report.reported_on == today()
    assert report.photo_key is not None
    stored = media.read(report.photo_key)
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
    assert b"Kamera Rahasia" not in stored


def test_a_damaged_facility_alerts_the_moderators_and_leads_to_a_complaint(
    session: Session, make_user
) -> None:  # type: ignore[no-untyped-def]
    operator = make_user(Role.OPERATOR)
    adoption = _approved(session)
    care.submit_report(
        session, adoption=adoption, reported_on="", condition="rusak", note="Tutup parit jebol."
    )
    assert any("rusak" in m.subject for m in messages_to(session, operator.username))
    assert care.complaint_url(adoption) == "/lapor?kategori=fasilitas-umum"
    drain = _apply(session, kind="drainase", facility_name="Parit Jalan Tanjungpura")
    assert care.complaint_url(drain) == "/lapor?kategori=drainase"


def test_reports_need_an_active_adoption_and_a_past_date(session: Session) -> None:
    waiting = _apply(session)
    with pytest.raises(InvalidInput):
        care.submit_report(session, adoption=waiting, reported_on="", condition="baik", note="")
    adoption = _approved(session)
    tomorrow = (today() + timedelta(days=1)).isoformat()
    with pytest.raises(InvalidInput) as refused:
        care.submit_report(
            session, adoption=adoption, reported_on=tomorrow, condition="baik", note=""
        )
    assert "reported_on" in refused.value.errors
    with pytest.raises(InvalidInput):
        care.submit_report(session, adoption=adoption, reported_on="", condition="hilang", note="")


def test_the_public_view_shows_the_group_never_the_person(session: Session) -> None:
    adoption = _approved(session)
    report = care.submit_report(
        session, adoption=adoption, reported_on="", condition="perlu_perhatian", note="Sampah."
    )
    latest = care.latest_conditions(session, [adoption])
    view = care.public_view(adoption, "id", {}, latest.get(adoption.id))
    text = json.dumps(view)
    assert "Budi" not in text
    assert VOLUNTEER not in text
    assert view["group_name"] == "Karang Taruna Mawar"
    assert view["condition"] == Condition.PERLU_PERHATIAN.value
    assert view["reported_on"] == report.reported_on.isoformat()


def test_adoptions_past_their_end_are_ended_by_the_job(session: Session) -> None:
    adoption = _apply(session)
    moderation.approve_adoption(
        session,
        actor=MODERATOR,
        adoption_id=adoption.id,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
    )
    assert end_overdue_adoptions(session, on=date(2025, 12, 31)) == 0
    assert end_overdue_adoptions(session, on=date(2026, 1, 1)) == 1
    session.refresh(adoption)
    assert adoption.status is AdoptionStatus.BERAKHIR
    assert "berakhir" in messages_to(session, VOLUNTEER)[-1].body


def test_the_worker_job_forgets_old_codes_and_ends_finished_adoptions(
    session: Session, bus: MemoryBus
) -> None:
    adoption = _apply(session)
    moderation.approve_adoption(
        session,
        actor=MODERATOR,
        adoption_id=adoption.id,
        starts_on=date(2024, 1, 1),
        ends_on=date(2024, 12, 31),
    )
    [job] = JOBS
    assert job.name == "participation.upkeep"
    job.run(JobContext(session=session, bus=bus))
    session.refresh(adoption)
    assert adoption.status is AdoptionStatus.BERAKHIR
