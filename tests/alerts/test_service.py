"""The alert lifecycle (alerts/service.py): transitions, timeline, audit, events, permissions."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts import service
from pontive.alerts.choices import AlertState, CapStatus, MsgType, Urgency
from pontive.core.audit import AuditEvent
from pontive.core.auth import actor_for_user
from pontive.core.choices import Classification
from pontive.core.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from pontive.core.events import MemoryBus
from pontive.core.identity import ANONYMOUS, Actor
from pontive.core.roles import Role
from tests.alerts.rules_support import NOW, content
from tests.bus_support import collect_events

KEL = "61.71.01.1003"  # Benua Melayu Darat


@pytest.fixture
def operator(make_user: Any) -> Actor:
    return actor_for_user(make_user(Role.OPERATOR))


def _later(minutes: int) -> Any:
    return NOW + timedelta(minutes=minutes)


def test_a_draft_gets_a_cap_identifier_sender_and_thread(session: Session, operator: Actor) -> None:
    alert = service.draft_alert(session, actor=operator, content=content(), now=NOW)
    assert re.fullmatch(r"ptk-20261208-\d{6}", alert.identifier)
    assert alert.identifier.endswith(f"{alert.id:06d}")
    assert alert.sender == "pusdalops@pontianak.go.id"
    assert alert.state is AlertState.DRAFT
    assert alert.thread_id == alert.id
    assert alert.area_desc_id == "Kota Pontianak"
    assert alert.area_desc_en == "Pontianak City"
    assert alert.sent_at is None


def test_approval_publishes_with_times_timeline_audit_and_event(
    session: Session, bus: MemoryBus, operator: Actor
) -> None:
    draft = collect_events(
        bus,
        session,
        "alerts.alert.drafted",
        lambda: service.draft_alert(
            session, actor=operator, content=content(kelurahan_kodes=(KEL,)), now=NOW
        ),
    )
    assert [e.classification for e in draft] == [Classification.TERBATAS]
    alert_id = draft[0].data["id"]
    events = collect_events(
        bus,
        session,
        "alerts.>",
        lambda: service.approve(session, actor=operator, alert_id=alert_id, now=_later(5)),
    )
    assert [e.type for e in events] == ["alerts.alert.published"]
    data = events[0].data
    assert events[0].classification is Classification.PUBLIK
    assert data["state"] == "published"
    assert data["msg_type"] == "Alert"
    assert data["kelurahan_kodes"] == [KEL]
    assert data["references"] == []
    assert data["url"] == f"/alerts/{data['identifier']}.xml"
    alert = service.get_alert_by_id(session, alert_id)
    assert alert.sent_at == _later(5)
    assert alert.effective_at == _later(5)
    assert alert.expires_at == _later(5) + timedelta(hours=6)
    assert alert.approved_by == operator.label
    assert alert.area_desc_id == "Kel. Benua Melayu Darat, Kota Pontianak"
    assert [e.action for e in service.timeline(session, alert)] == ["drafted", "published"]
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == alert.identifier)
    ).all()
    assert actions == ["alerts.alert.drafted", "alerts.alert.published"]


def test_illegal_transitions_conflict(session: Session, operator: Actor) -> None:
    alert = service.draft_alert(session, actor=operator, content=content(), now=NOW)
    with pytest.raises(Conflict):
        service.issue_update(session, actor=operator, alert_id=alert.id, changes={}, now=NOW)
    with pytest.raises(Conflict):
        service.cancel(session, actor=operator, alert_id=alert.id, reason="x", now=NOW)
    service.approve(session, actor=operator, alert_id=alert.id, now=NOW)
    with pytest.raises(Conflict):
        service.approve(session, actor=operator, alert_id=alert.id, now=NOW)
    with pytest.raises(Conflict):
        service.reject(session, actor=operator, alert_id=alert.id, reason="salah", now=NOW)
    with pytest.raises(Conflict):
        service.edit_draft(session, actor=operator, alert_id=alert.id, changes={}, now=NOW)


def test_rejecting_needs_a_reason_and_keeps_it(session: Session, operator: Actor) -> None:
    alert = service.draft_alert(session, actor=operator, content=content(), now=NOW)
    with pytest.raises(InvalidInput) as error:
        service.reject(session, actor=operator, alert_id=alert.id, reason=" ", now=NOW)
    assert "reason" in error.value.errors
    service.reject(session, actor=operator, alert_id=alert.id, reason="Data sensor keliru")
    assert alert.state is AlertState.REJECTED
    assert alert.rejected_reason == "Data sensor keliru"


def test_an_update_references_supersedes_and_shares_the_thread(
    session: Session, bus: MemoryBus, operator: Actor
) -> None:
    first = service.draft_alert(session, actor=operator, content=content(), now=NOW)
    service.approve(session, actor=operator, alert_id=first.id, now=NOW)
    events = collect_events(
        bus,
        session,
        "alerts.>",
        lambda: service.issue_update(
            session,
            actor=operator,
            alert_id=first.id,
            changes={"headline_id": "Angin kencang meluas", "severity": "Severe"},
            now=_later(30),
        ),
    )
    types = [e.type for e in events]
    assert types == ["alerts.alert.drafted", "alerts.alert.published", "alerts.alert.superseded"]
    update_data = events[1].data
    assert update_data["msg_type"] == "Update"
    assert update_data["references"] == [first.identifier]
    assert update_data["severity"] == "Severe"
    assert events[2].data["identifier"] == first.identifier
    assert first.state is AlertState.SUPERSEDED
    update = service.get_alert(session, update_data["identifier"])
    assert update.headline_en == first.headline_en  # unchanged fields are carried over
    assert update.expires_at == _later(30) + timedelta(hours=6)
    assert [a.id for a in service.thread(session, update)] == [first.id, update.id]


def test_a_cancel_says_why_and_retires_the_alert(session: Session, operator: Actor) -> None:
    first = service.draft_alert(session, actor=operator, content=content(), now=NOW)
    service.approve(session, actor=operator, alert_id=first.id, now=NOW)
    message = service.cancel(
        session, actor=operator, alert_id=first.id, reason="Angin telah reda", now=_later(60)
    )
    assert message.msg_type is MsgType.CANCEL
    assert message.state is AlertState.PUBLISHED
    assert message.references_id == first.id
    assert message.urgency is Urgency.PAST
    assert message.description_id == "Angin telah reda"
    assert first.state is AlertState.CANCELLED
    assert message.expires_at == _later(60) + timedelta(seconds=service.CANCEL_VISIBLE_S)
    assert [e.action for e in service.timeline(session, first)][-1] == "cancelled"


def test_a_second_update_of_a_superseded_alert_conflicts(session: Session, operator: Actor) -> None:
    first = service.draft_alert(session, actor=operator, content=content(), now=NOW)
    service.approve(session, actor=operator, alert_id=first.id, now=NOW)
    pending = service.issue_update(
        session, actor=operator, alert_id=first.id, changes={}, publish=False, now=NOW
    )
    service.issue_update(session, actor=operator, alert_id=first.id, changes={}, now=NOW)
    with pytest.raises(Conflict):
        service.approve(session, actor=operator, alert_id=pending.id, now=NOW)


def test_expiry_moves_due_alerts_only(session: Session, bus: MemoryBus, operator: Actor) -> None:
    early = service.draft_alert(
        session, actor=operator, content=content(expires_at=_later(30)), now=NOW
    )
    late = service.draft_alert(session, actor=operator, content=content(), now=NOW)
    for alert in (early, late):
        service.approve(session, actor=operator, alert_id=alert.id, now=NOW)
    events = collect_events(
        bus, session, "alerts.alert.expired", lambda: service.expire_due(session, _later(31))
    )
    assert [e.data["identifier"] for e in events] == [early.identifier]
    assert early.state is AlertState.EXPIRED
    assert late.state is AlertState.PUBLISHED
    active = service.active_alerts(session, _later(31))
    assert late in active
    assert early not in active


def test_content_is_validated_with_field_errors(session: Session, operator: Actor) -> None:
    with pytest.raises(InvalidInput) as error:
        service.draft_alert(
            session,
            actor=operator,
            content=content(
                headline_id="",
                kelurahan_kodes=("61.71.99.9999",),
                expires_at=NOW - timedelta(hours=1),
                cap_status=CapStatus.EXERCISE,
            ),
            now=NOW,
        )
    assert set(error.value.errors) == {"headline_id", "kelurahan_kodes", "expires_at", "note"}
    assert " / " in error.value.errors["headline_id"][0]  # both languages


def test_editing_a_draft_checks_fields_and_logs(session: Session, operator: Actor) -> None:
    alert = service.draft_alert(session, actor=operator, content=content(), now=NOW)
    with pytest.raises(InvalidInput) as error:
        service.edit_draft(
            session, actor=operator, alert_id=alert.id, changes={"identifier": "x", "urgency": "?"}
        )
    assert set(error.value.errors) == {"identifier", "urgency"}
    service.edit_draft(
        session, actor=operator, alert_id=alert.id, changes={"kelurahan_kodes": [KEL]}, now=NOW
    )
    assert alert.kelurahan_kodes == [KEL]
    assert [e.action for e in service.timeline(session, alert)] == ["drafted", "edited"]


ROLES = list(Role)
MAY_DRAFT = {Role.OPERATOR, Role.ADMIN}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_draft_and_approve(session: Session, make_user: Any, role: Role) -> None:
    actor = actor_for_user(make_user(role, pd_kode="bpbd" if role is Role.PETUGAS_PD else None))
    if role not in MAY_DRAFT:
        with pytest.raises(PermissionDenied):
            service.draft_alert(session, actor=actor, content=content(), now=NOW)
        return
    alert = service.draft_alert(session, actor=actor, content=content(), now=NOW)
    service.approve(session, actor=actor, alert_id=alert.id, now=NOW)
    assert alert.state is AlertState.PUBLISHED


def test_anonymous_visitors_must_sign_in(session: Session, operator: Actor) -> None:
    alert = service.draft_alert(session, actor=operator, content=content(), now=NOW)
    with pytest.raises(NotAuthenticated):
        service.approve(session, actor=ANONYMOUS, alert_id=alert.id)


def test_drafts_are_hidden_from_the_public(
    session: Session, make_user: Any, operator: Actor
) -> None:
    alert = service.draft_alert(session, actor=operator, content=content(), now=NOW)
    citizen = actor_for_user(make_user(Role.WARGA))
    council = actor_for_user(make_user(Role.DEWAN))
    with pytest.raises(NotFound):
        service.get_alert(session, alert.identifier, actor=citizen)
    assert service.get_alert(session, alert.identifier, actor=council) is alert
    assert alert not in service.list_alerts(session, actor=citizen)
    assert alert in service.list_alerts(session, actor=council, states=[AlertState.DRAFT])
    service.approve(session, actor=operator, alert_id=alert.id, now=NOW)
    assert service.get_alert(session, alert.identifier, actor=citizen) is alert
