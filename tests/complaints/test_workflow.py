"""The workflow: allowed transitions by role, reasons, SLA pause, re-routing, merging,
reopening and rating."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from pontive.complaints import workflow
from pontive.complaints.choices import TRANSITIONS, ComplaintStatus, UpdateKind
from pontive.complaints.service import access_token
from pontive.core.errors import Conflict, InvalidInput, PermissionDenied
from pontive.core.identity import ANONYMOUS, Actor, ActorKind
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow

S = ComplaintStatus


def officer(pd: str) -> Actor:
    return Actor(kind=ActorKind.USER, role=Role.PETUGAS_PD, id=9, name=f"petugas.{pd}", pd_kode=pd)


OPERATOR = Actor(kind=ActorKind.USER, role=Role.OPERATOR, id=8, name="rina")


def move(session: Session, actor: Actor, tracking: str, to: ComplaintStatus, **kw: object):  # type: ignore[no-untyped-def]
    return workflow.transition(session=session, actor=actor, tracking_number=tracking, to=to, **kw)  # type: ignore[arg-type]


def test_every_state_has_a_rule() -> None:
    assert set(TRANSITIONS) == set(ComplaintStatus)


def test_a_report_travels_from_received_to_fixed(session: Session, report) -> None:  # type: ignore[no-untyped-def]
    tracking = report().complaint.tracking_number
    move(session, OPERATOR, tracking, S.DIVERIFIKASI)
    move(session, OPERATOR, tracking, S.DIDISPOSISIKAN)
    move(session, officer("pupr"), tracking, S.DIKERJAKAN, message="Tim menuju lokasi.")
    done = move(session, officer("pupr"), tracking, S.SELESAI, message="Parit dibersihkan.")
    assert done.status is S.SELESAI
    assert done.resolved_at is not None
    assert done.first_response_at is not None
    assert [u.status_to for u in done.updates if u.kind is UpdateKind.STATUS] == [
        S.DITERIMA,
        S.DIVERIFIKASI,
        S.DIDISPOSISIKAN,
        S.DIKERJAKAN,
        S.SELESAI,
    ]


def test_skipping_steps_is_refused(session: Session, report) -> None:  # type: ignore[no-untyped-def]
    tracking = report().complaint.tracking_number
    with pytest.raises(Conflict):
        move(session, OPERATOR, tracking, S.SELESAI)


def test_officers_work_only_their_own_agencys_reports(session: Session, report_in) -> None:  # type: ignore[no-untyped-def]
    complaint = report_in(S.DIDISPOSISIKAN)
    with pytest.raises(PermissionDenied):
        move(session, officer("dlh"), complaint.tracking_number, S.DIKERJAKAN)
    with pytest.raises(PermissionDenied):  # triage is the command center's
        move(
            session,
            officer("pupr"),
            complaint.tracking_number,
            S.DUPLIKAT,
            duplicate_of="PTK-2026-000001",
        )


def test_not_responsible_needs_a_reason_and_goes_back_for_rerouting(
    session: Session,
    report_in,  # type: ignore[no-untyped-def]
) -> None:
    complaint = report_in(S.DIDISPOSISIKAN)
    with pytest.raises(InvalidInput):
        move(session, officer("pupr"), complaint.tracking_number, S.BUKAN_KEWENANGAN)
    move(
        session,
        officer("pupr"),
        complaint.tracking_number,
        S.BUKAN_KEWENANGAN,
        message="Saluran ini milik jalan provinsi.",
    )
    rerouted = move(
        session,
        OPERATOR,
        complaint.tracking_number,
        S.DIDISPOSISIKAN,
        pd_kode="dlh",
        message="Dialihkan ke DLH.",
    )
    assert rerouted.pd_kode == "dlh"
    move(session, officer("dlh"), complaint.tracking_number, S.DIKERJAKAN)


def test_rerouting_to_an_unknown_agency_is_refused(session: Session, report_in) -> None:  # type: ignore[no-untyped-def]
    complaint = report_in(S.DIVERIFIKASI)
    with pytest.raises(InvalidInput):
        move(session, OPERATOR, complaint.tracking_number, S.DIDISPOSISIKAN, pd_kode="tidak-ada")


def test_waiting_for_the_reporter_pauses_the_clock(session: Session, report_in) -> None:  # type: ignore[no-untyped-def]
    complaint = report_in(S.DIDISPOSISIKAN)
    due = complaint.due_on
    move(
        session,
        officer("pupr"),
        complaint.tracking_number,
        S.MENUNGGU_PELAPOR,
        message="Mohon foto lebih jelas.",
    )
    assert complaint.paused_at is not None
    complaint.paused_at = utcnow() - timedelta(days=7)  # a week of waiting
    workflow.reporter_reply(
        session=session,
        actor=ANONYMOUS,
        tracking_number=complaint.tracking_number,
        token=access_token(complaint.tracking_number),
        message="Foto terlampir di pesan WhatsApp.",
    )
    assert complaint.status is S.DIDISPOSISIKAN
    assert complaint.paused_at is None
    assert due is not None
    assert complaint.due_on is not None
    assert (complaint.due_on - due).days >= 5


def test_a_duplicate_is_merged_and_its_photos_travel(session: Session, report) -> None:  # type: ignore[no-untyped-def]
    from pontive.complaints.service import Upload
    from tests.complaints.conftest import jpeg_bytes

    original = report().complaint
    copy = report(
        photos=[Upload("a.jpg", jpeg_bytes())],
        is_anonymous=False,
        email="budi@contoh.id",
        consent=True,
    ).complaint
    move(session, OPERATOR, copy.tracking_number, S.DUPLIKAT, duplicate_of=original.tracking_number)
    assert copy.status is S.DUPLIKAT
    assert copy.duplicate_of_id == original.id
    session.refresh(original)
    assert len(original.photos) == 1
    # The duplicate's reporter now hears about the original.
    move(session, OPERATOR, original.tracking_number, S.DIVERIFIKASI)
    from sqlalchemy import select

    from pontive.complaints.models import Notification

    subjects = session.scalars(
        select(Notification.subject).where(Notification.channel == "email")
    ).all()
    assert any(original.tracking_number in s and "Diverifikasi" in s for s in subjects)


def test_the_reporter_reopens_within_fourteen_days(session: Session, report_in) -> None:  # type: ignore[no-untyped-def]
    complaint = report_in(S.SELESAI)
    token = access_token(complaint.tracking_number)
    with pytest.raises(InvalidInput):
        workflow.reopen(
            session=session,
            actor=ANONYMOUS,
            tracking_number=complaint.tracking_number,
            token=token,
            message=" ",
        )
    workflow.reopen(
        session=session,
        actor=ANONYMOUS,
        tracking_number=complaint.tracking_number,
        token=token,
        message="Masih tergenang setelah hujan.",
    )
    assert complaint.status is S.DIKERJAKAN
    assert complaint.resolved_at is None


def test_reopening_after_fourteen_days_is_refused(session: Session, report_in) -> None:  # type: ignore[no-untyped-def]
    complaint = report_in(S.SELESAI)
    complaint.resolved_at = utcnow() - timedelta(days=15)
    with pytest.raises(Conflict):
        workflow.reopen(
            session=session,
            actor=ANONYMOUS,
            tracking_number=complaint.tracking_number,
            token=access_token(complaint.tracking_number),
            message="Belum beres",
        )


def test_a_fixed_report_is_rated_once(session: Session, report_in) -> None:  # type: ignore[no-untyped-def]
    complaint = report_in(S.SELESAI)
    token = access_token(complaint.tracking_number)
    workflow.rate(
        session=session,
        actor=ANONYMOUS,
        tracking_number=complaint.tracking_number,
        token=token,
        rating=5,
        comment="Cepat sekali, terima kasih.",
    )
    assert complaint.rating == 5
    with pytest.raises(Conflict):
        workflow.rate(
            session=session,
            actor=ANONYMOUS,
            tracking_number=complaint.tracking_number,
            token=token,
            rating=1,
        )


def test_an_open_report_cannot_be_rated(session: Session, report) -> None:  # type: ignore[no-untyped-def]
    complaint = report().complaint
    with pytest.raises(Conflict):
        workflow.rate(
            session=session,
            actor=ANONYMOUS,
            tracking_number=complaint.tracking_number,
            token=access_token(complaint.tracking_number),
            rating=4,
        )


def test_internal_notes_stay_internal(session: Session, report_in) -> None:  # type: ignore[no-untyped-def]
    complaint = report_in(S.DIDISPOSISIKAN)
    workflow.add_update(
        session=session,
        actor=officer("pupr"),
        tracking_number=complaint.tracking_number,
        message="Nomor HP pelapor salah.",
        is_public=False,
    )
    note = complaint.updates[-1]
    assert note.kind is UpdateKind.NOTE
    assert not note.is_public
