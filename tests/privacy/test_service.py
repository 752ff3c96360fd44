"""Export and erasure on request: found across domains, copied with labels, erased as declared,
recorded without the subject in clear, audited."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.complaints.choices import UpdateKind
from pontive.complaints.intake import Upload
from pontive.complaints.models import Complaint, ComplaintPhoto, ComplaintUpdate, Notification
from pontive.complaints.service import access_token
from pontive.core import audit, crypto
from pontive.core.audit import AuditEvent
from pontive.core.errors import NotFound, PermissionDenied
from pontive.core.identity import ANONYMOUS, Actor, ActorKind, system_actor
from pontive.core.models import User
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.participation.models import Support
from pontive.participation.service import contact_index
from pontive.privacy import service
from pontive.privacy.choices import Channel, Outcome, RequestKind
from pontive.privacy.declare import MARKER, Lookup, SubjectQuery
from pontive.privacy.models import PrivacyRequest
from tests.complaints.conftest import jpeg_bytes
from tests.participation.support import submit

DPO = system_actor("test-dpo")
PHONE = "0812-3456-7890"
EMAIL = "Siti.Aminah@Contoh.ID"
DESCRIPTION = "Saya Siti Aminah, rumah no. 7 di depan parit: parit tersumbat sampah."
PUBLIC_TEXT = "Parit tersumbat sampah di depan rumah warga."


def _reported(report: Any, session: Session, **fields: object) -> Complaint:
    receipt = report(
        name="Siti Aminah",
        phone=PHONE,
        email=EMAIL,
        is_anonymous=False,
        consent=True,
        description=DESCRIPTION,
        photos=[Upload("parit.jpg", jpeg_bytes())],
        **fields,
    )
    complaint: Complaint = receipt.complaint
    complaint.public_description = PUBLIC_TEXT
    session.add(
        ComplaintUpdate(
            complaint_id=complaint.id,
            kind=UpdateKind.REPORTER,
            message="Nomor HP saya 0812…",
            actor="anonymous",
        )
    )
    session.commit()
    return complaint


def _export(session: Session, lookup: Lookup, value: str) -> dict[str, Any]:
    return service.export(
        session, actor=DPO, query=SubjectQuery(lookup, value), channel=Channel.CLI
    )[1]


def _sources(document: dict[str, Any]) -> dict[str, Any]:
    return {item["source"]: item["records"] for item in document["sources"]}


def test_the_copy_holds_the_reporters_data_with_labels_in_both_languages(
    session: Session, report: Any
) -> None:
    complaint = _reported(report, session)
    document = _export(session, Lookup.TRACKING, complaint.tracking_number.lower())
    sources = _sources(document)
    assert {
        "complaints.reports",
        "complaints.photos",
        "complaints.reporter_replies",
        "complaints.notifications",
    } <= set(sources)
    fields = sources["complaints.reports"][0]["fields"]
    assert fields["reporter_email"] == {
        "label": {"id": "E-mail pelapor", "en": "E-mail"},
        "value": "Siti.Aminah@contoh.id",  # the domain as e-mail validation stores it
    }
    assert fields["reporter_name"]["value"] == "Siti Aminah"
    assert fields["tracking_number"]["value"] == complaint.tracking_number
    # The receipt went by e-mail and WhatsApp: both messages are the reporter's.
    assert len(sources["complaints.notifications"]) == 2


def test_a_request_is_recorded_and_audited_without_the_subject_in_clear(
    session: Session, report: Any
) -> None:
    complaint = _reported(report, session)
    document = _export(session, Lookup.CONTACT, EMAIL)
    request = session.get(PrivacyRequest, document["request_id"])
    assert request is not None
    assert (request.kind, request.channel, request.outcome) == (
        RequestKind.EXPORT,
        Channel.CLI,
        Outcome.DONE,
    )
    assert request.subject_index == crypto.blind_index(EMAIL.lower())
    assert EMAIL.lower() not in request.subject_index + request.sources + request.requested_by
    assert "complaints.reports" in request.sources
    event = session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    assert event is not None
    assert (event.action, event.object_id) == ("privacy.export", str(request.id))
    assert complaint.tracking_number  # the report itself is untouched by a copy


def test_a_phone_number_is_found_however_it_was_typed(session: Session, report: Any) -> None:
    complaint = _reported(report, session)
    for typed in (PHONE, "+62 812 3456 7890", "6281234567890", "081234567890"):
        sources = _sources(_export(session, Lookup.CONTACT, typed))
        ids = [record["id"] for record in sources.get("complaints.reports", [])]
        assert ids == [complaint.id], typed


def test_erasure_clears_the_reporter_and_keeps_the_public_report(
    session: Session, report: Any, media: MediaStore
) -> None:
    complaint = _reported(report, session)
    photo = session.scalars(
        select(ComplaintPhoto).where(ComplaintPhoto.complaint_id == complaint.id)
    ).one()
    assert media.path(photo.storage_key).exists()
    complaint_id, status = complaint.id, complaint.status
    photo_id, photo_key = photo.id, photo.storage_key

    erasure = service.erase(
        session,
        actor=DPO,
        query=SubjectQuery(Lookup.TRACKING, complaint.tracking_number),
        channel=Channel.CONSOLE,
        media=media,
    )

    stored = session.get(Complaint, complaint_id)
    assert stored is not None
    assert (stored.reporter_name, stored.reporter_phone, stored.reporter_email) == (None,) * 3
    assert stored.reporter_index is None
    assert stored.description == PUBLIC_TEXT  # the original named the reporter
    assert (stored.public_description, stored.status) == (PUBLIC_TEXT, status)
    assert stored.is_anonymous
    reply = session.scalars(
        select(ComplaintUpdate.message).where(
            ComplaintUpdate.complaint_id == complaint_id,
            ComplaintUpdate.kind == UpdateKind.REPORTER,
        )
    ).one()
    assert reply == MARKER
    assert session.get(ComplaintPhoto, photo_id) is None
    assert not media.path(photo_key).exists()
    left = session.scalars(
        select(Notification).where(
            Notification.complaint_id == complaint_id, Notification.user_id.is_(None)
        )
    ).all()
    assert left == []
    assert erasure.fields_erased > 0
    assert erasure.request.kind is RequestKind.ERASE
    assert audit.verify_chain(session).is_intact


def test_a_second_erasure_erases_nothing_more(
    session: Session, report: Any, media: MediaStore
) -> None:
    complaint = _reported(report, session)
    query = SubjectQuery(Lookup.TRACKING, complaint.tracking_number)
    service.erase(session, actor=DPO, query=query, channel=Channel.CLI, media=media)
    again = service.erase(session, actor=DPO, query=query, channel=Channel.CLI, media=media)
    assert again.fields_erased == 0


def test_erasure_by_contact_reaches_participation_and_keeps_the_support_counted(
    session: Session, report: Any, media: MediaStore
) -> None:
    idea = submit(session)
    index = contact_index(PHONE)
    assert index is not None
    session.add(Support(idea_id=idea.id, contact_index=index))
    session.commit()
    erasure = service.erase(
        session,
        actor=DPO,
        query=SubjectQuery(Lookup.CONTACT, "+62 812-3456-7890"),
        channel=Channel.CLI,
        media=media,
    )
    assert "participation.supports" in erasure.request.sources
    support = session.scalars(select(Support).where(Support.idea_id == idea.id)).one()
    assert support.contact_index != index
    assert support.contact_index.startswith("-")


def test_erasing_an_account_disables_it_and_keeps_the_audit_trail(
    session: Session, make_user: Any, media: MediaStore
) -> None:
    user = make_user(Role.WARGA)
    events_before = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    service.erase(
        session,
        actor=DPO,
        query=SubjectQuery(Lookup.USER, user.username),
        channel=Channel.CLI,
        media=media,
    )
    stored = session.get(User, user.id)
    assert stored is not None
    assert (stored.username, stored.full_name, stored.email, stored.is_active) == (
        f"terhapus-{user.id}",
        MARKER,
        None,
        False,
    )
    assert session.get(AuditEvent, events_before) is not None
    assert audit.verify_chain(session).is_intact


def test_nothing_found_is_recorded_as_such(session: Session) -> None:
    document = _export(session, Lookup.CONTACT, "tidak.ada@contoh.id")
    assert document["sources"] == []
    request = session.get(PrivacyRequest, document["request_id"])
    assert request is not None
    assert request.outcome is Outcome.NOTHING_FOUND


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.TIM_TEKNIS, Role.WALIKOTA, Role.PETUGAS_PD])
def test_only_admins_may_export_or_erase(session: Session, role: Role, media: MediaStore) -> None:
    pd_kode = "1.03.01" if role is Role.PETUGAS_PD else None
    actor = Actor(kind=ActorKind.USER, id=1, name="x", role=role, pd_kode=pd_kode)
    query = SubjectQuery(Lookup.CONTACT, EMAIL)
    with pytest.raises(PermissionDenied):
        service.export(session, actor=actor, query=query, channel=Channel.CONSOLE)
    with pytest.raises(PermissionDenied):
        service.erase(session, actor=actor, query=query, channel=Channel.CONSOLE, media=media)


def test_a_reporter_needs_the_private_link(
    session: Session, report: Any, media: MediaStore
) -> None:
    complaint = _reported(report, session)
    with pytest.raises(NotFound):
        service.export_own_report(
            session, actor=ANONYMOUS, tracking_number=complaint.tracking_number, token="salah"
        )
    token = access_token(complaint.tracking_number)
    document = service.export_own_report(
        session, actor=ANONYMOUS, tracking_number=complaint.tracking_number, token=token
    )
    assert "complaints.reports" in _sources(document)
    request = session.get(PrivacyRequest, document["request_id"])
    assert request is not None
    assert request.channel is Channel.SELF_SERVICE
