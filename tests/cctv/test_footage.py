"""Footage on request: asked by an operator with a reason, answered by the owner, audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.cctv import footage
from pontive.cctv.choices import FootageStatus
from pontive.core.audit import AuditEvent
from pontive.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from pontive.core.identity import ANONYMOUS
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from tests.cctv.support import actor, city_camera, contributed


def ask(session: Session, camera, **overrides):  # type: ignore[no-untyped-def]
    now = utcnow()
    values = {
        "window_start": now - timedelta(hours=5),
        "window_end": now - timedelta(hours=4),
        "reason": "Tabrak lari di depan gang, korban melapor ke polisi.",
        "complaint_tracking": "ptk-2026-000123",
    } | overrides
    return footage.request_footage(
        session=session, actor=actor(Role.OPERATOR), camera=camera, **values
    )


def test_the_owner_answers_through_the_request_link(session: Session) -> None:
    camera, _ = contributed(session, sharing="on_request")
    requested = ask(session, camera)
    request = requested.request
    assert request.status is FootageStatus.MENUNGGU
    assert request.complaint_tracking == "PTK-2026-000123"
    assert request.token_hash != requested.answer_token
    footage.answer_footage(
        session=session, actor=ANONYMOUS, approve=True, note="Saya kirim lewat flashdisk.",
        answer_token=requested.answer_token,
    )  # fmt: skip
    assert (request.status, request.owner_note) == (
        FootageStatus.DISETUJUI,
        "Saya kirim lewat flashdisk.",
    )
    with pytest.raises(Conflict):
        footage.answer_footage(
            session=session, actor=ANONYMOUS, approve=False, answer_token=requested.answer_token
        )
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "cctv_footage_request")
    ).all()
    assert actions == ["cctv.footage_requested", "cctv.footage_approved"]


def test_the_owner_answers_from_the_camera_link_for_their_own_camera_only(session: Session) -> None:
    camera, owner_token = contributed(session, sharing="on_request")
    other, other_token = contributed(session, sharing="on_request")
    request = ask(session, camera).request
    with pytest.raises(NotFound):
        footage.answer_footage(
            session=session, actor=ANONYMOUS, approve=True, owner_token=other_token,
            request_id=request.id,
        )  # fmt: skip
    footage.answer_footage(
        session=session, actor=ANONYMOUS, approve=False, owner_token=owner_token,
        request_id=request.id,
    )  # fmt: skip
    assert request.status is FootageStatus.DITOLAK
    assert [r.id for r in footage.list_requests(session, camera=camera)] == [request.id]
    assert footage.list_requests(session, camera=other) == []


def test_requests_are_for_on_request_cameras_with_a_reason_and_a_past_window(
    session: Session,
) -> None:
    public = city_camera(session)
    with pytest.raises(Conflict):
        ask(session, public)
    camera, _ = contributed(session, sharing="on_request")
    now = utcnow()
    with pytest.raises(InvalidInput) as caught:
        ask(session, camera, window_start=now + timedelta(hours=1), window_end=now,
            reason="perlu", complaint_tracking="")  # fmt: skip
    assert set(caught.value.errors) == {
        "window_start",
        "window_end",
        "reason",
        "complaint_tracking",
    }
    with pytest.raises(InvalidInput) as caught:
        ask(session, camera, window_start=now - timedelta(days=3), window_end=now)
    assert "window_end" in caught.value.errors  # longer than 24 hours
    with pytest.raises(PermissionDenied):
        footage.request_footage(
            session=session, actor=actor(Role.TIM_TEKNIS), camera=camera,
            window_start=now - timedelta(hours=2), window_end=now - timedelta(hours=1),
            reason="Pemeriksaan kejadian banjir.", incident_ref="KEJ-1",
        )  # fmt: skip


def test_unanswered_requests_lapse_and_cancelled_ones_close(session: Session) -> None:
    camera, _ = contributed(session, sharing="on_request")
    late, cancelled = ask(session, camera), ask(session, camera)
    footage.cancel_footage(
        session=session, actor=actor(Role.OPERATOR), request_id=cancelled.request.id
    )
    assert cancelled.request.status is FootageStatus.DIBATALKAN
    assert footage.expire_requests(session, now=utcnow() + timedelta(days=8)) == 1
    session.refresh(late.request)
    assert late.request.status is FootageStatus.KEDALUWARSA
    with pytest.raises(Conflict):
        footage.answer_footage(
            session=session, actor=ANONYMOUS, approve=True, answer_token=late.answer_token
        )
