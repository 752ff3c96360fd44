"""What every step of an alert's life leaves behind: a timeline row (``alert_events``), an
audit record and, for the public transitions, a bus event with the fixed data of
``alerts.alert.*`` (docs/alerts.md); and the identifiers and addresses of messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from pontive.alerts.models import Alert, AlertEvent
from pontive.core import audit
from pontive.core.choices import Classification
from pontive.core.events import Event, emit
from pontive.core.identity import Actor
from pontive.core.timeutil import WIB

# Event types (fixed interface, docs/alerts.md); drafted and rejected stay among staff.
EVENT_CLASSIFICATION = {
    "drafted": Classification.TERBATAS,
    "published": Classification.PUBLIK,
    "rejected": Classification.TERBATAS,
    "expired": Classification.PUBLIK,
    "superseded": Classification.PUBLIK,
}


def alert_url(identifier: str) -> str:
    """The CAP document of a message, relative to the site root."""
    return f"/alerts/{identifier}.xml"


def event_data(session: Session, alert: Alert) -> dict[str, Any]:
    """The data of every ``alerts.alert.*`` event (fixed interface)."""
    referenced = session.get(Alert, alert.references_id) if alert.references_id else None
    return {
        "id": alert.id,
        "identifier": alert.identifier,
        "msg_type": alert.msg_type.value,
        "state": alert.state.value,
        "severity": alert.severity.value,
        "urgency": alert.urgency.value,
        "event_id": alert.event_id,
        "event_en": alert.event_en,
        "headline_id": alert.headline_id,
        "headline_en": alert.headline_en,
        "kelurahan_kodes": list(alert.kelurahan_kodes or ()),
        "references": [referenced.identifier] if referenced else [],
        "sent_at": alert.sent_at.isoformat() if alert.sent_at else None,
        "expires_at": alert.expires_at.isoformat() if alert.expires_at else None,
        "url": alert_url(alert.identifier),
    }


def state_of(alert: Alert) -> dict[str, Any]:
    """What the audit trail records of a message before and after a step."""
    return {
        "state": alert.state.value,
        "msg_type": alert.msg_type.value,
        "headline_id": alert.headline_id,
        "severity": alert.severity.value,
        "kelurahan_kodes": list(alert.kelurahan_kodes or ()),
        "expires_at": alert.expires_at,
    }


def log_step(
    session: Session,
    alert: Alert,
    *,
    actor: Actor,
    action: str,
    before: dict[str, Any] | None,
    note: str = "",
    now: datetime,
) -> None:
    """Timeline row, audit record and (for the five public transitions) the bus event."""
    session.add(AlertEvent(alert_id=alert.id, action=action, actor=actor.label, note=note, at=now))
    audit.record(
        session,
        actor=actor,
        action=f"alerts.alert.{action}",
        object_type="alert",
        object_id=alert.identifier,
        before=before,
        after=state_of(alert),
    )
    classification = EVENT_CLASSIFICATION.get(action)
    if classification is not None:
        data = event_data(session, alert)
        emit(session, Event(f"alerts.alert.{action}", data, classification=classification))


def make_identifier(alert_id: int, created_at: datetime) -> str:
    """``ptk-YYYYMMDD-NNNNNN``: the creation day in WIB and the row id (CAP-safe)."""
    return f"ptk-{created_at.astimezone(WIB):%Y%m%d}-{alert_id:06d}"
