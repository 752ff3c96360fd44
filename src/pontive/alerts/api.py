"""The native alerts API (``/api/v1/alerts``) for partners and the console's scripts.

Public: the alerts in force and any published message, the city's operating mode. Staff
(with the permissions the services check): drafts, approving, rejecting, cancelling, and
declaring or ending a mode. The CAP XML of a message is at ``/alerts/<identifier>.xml``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field

from pontive.alerts import mode, service
from pontive.alerts.choices import (
    AlertState,
    CapCategory,
    Certainty,
    MsgType,
    OperatingMode,
    Severity,
    Urgency,
)
from pontive.alerts.models import Alert
from pontive.web.deps import CurrentActor, DbSession, Lang
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix="/api/v1/alerts", tags=["alerts"])


class AlertRead(BaseModel):
    """One CAP message as JSON (both languages)."""

    model_config = ConfigDict(from_attributes=True)

    identifier: str
    sender: str
    state: AlertState
    msg_type: MsgType
    category: CapCategory
    urgency: Urgency
    severity: Severity
    certainty: Certainty
    event_id: str
    event_en: str
    headline_id: str
    headline_en: str
    description_id: str
    description_en: str
    instruction_id: str
    instruction_en: str
    area_desc_id: str
    area_desc_en: str
    kelurahan_kodes: list[str]
    sent_at: datetime | None
    effective_at: datetime | None
    onset_at: datetime | None
    expires_at: datetime | None
    references: list[str] = Field(description="Identifiers of the messages this one replaces")
    cap_url: str = Field(description="The CAP 1.2 XML of this message")


class Decision(BaseModel):
    """A reason, where the action needs one (reject, cancel)."""

    reason: str = Field(default="", max_length=2000)
    reason_en: str = Field(default="", max_length=2000)


class ModeScope(BaseModel):
    """The mode of the city (``kecamatan_kode`` null) or of one kecamatan."""

    mode: OperatingMode
    kecamatan_kode: str | None
    reason: str
    reason_en: str
    declared_at: datetime | None


class CityModeRead(BaseModel):
    """The strictest mode anywhere and every declared scope."""

    mode: OperatingMode
    scopes: list[ModeScope]


class ModeChange(BaseModel):
    """Declare a mode (``normal`` ends the scope's declaration)."""

    mode: OperatingMode
    kecamatan_kode: str | None = Field(default=None, max_length=20)
    reason: str = Field(max_length=2000)
    reason_en: str = Field(default="", max_length=2000)


def _read(session: DbSession, alert: Alert) -> AlertRead:
    referenced = session.get(Alert, alert.references_id) if alert.references_id else None
    return AlertRead.model_validate(
        {
            **{
                name: getattr(alert, name)
                for name in AlertRead.model_fields
                if hasattr(alert, name)
            },
            "references": [referenced.identifier] if referenced else [],
            "cap_url": service.alert_url(alert.identifier),
        }
    )


@router.get("", response_model=list[AlertRead])
def list_alerts(
    session: DbSession,
    actor: CurrentActor,
    state: Annotated[list[AlertState] | None, Query(description="Default: in force")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[AlertRead]:
    """Alerts in force (published, unexpired), or messages in the given states (drafts and
    rejected ones only for staff who may see drafts)."""
    if not state:
        alerts = service.active_alerts(session)[:limit]
    else:
        alerts = service.list_alerts(session, states=state, limit=limit, actor=actor)
    return [_read(session, alert) for alert in alerts]


@router.get("/status", response_model=CityModeRead)
def city_mode(session: DbSession) -> CityModeRead:
    """The city's operating mode: normal, siaga darurat or tanggap darurat bencana."""
    modes = mode.current_modes(session)
    states = [modes.city] if modes.city.declaration_id is not None else []
    scopes = [
        ModeScope(
            mode=s.mode,
            kecamatan_kode=s.kecamatan_kode,
            reason=s.reason,
            reason_en=s.reason_en,
            declared_at=s.declared_at,
        )
        for s in [*states, *modes.kecamatan]
    ]
    return CityModeRead(mode=modes.strictest, scopes=scopes)


@router.post("/status", response_model=CityModeRead)
def change_mode(
    body: ModeChange, session: DbSession, actor: CurrentActor, lang: Lang
) -> CityModeRead:
    """Declare a mode for the city or one kecamatan, or end it with ``normal``."""
    if body.mode is OperatingMode.NORMAL:
        mode.end_mode(
            session,
            actor=actor,
            reason=body.reason,
            kecamatan_kode=body.kecamatan_kode,
            reason_en=body.reason_en,
            lang=lang,
        )
    else:
        mode.declare_mode(
            session,
            actor=actor,
            mode=body.mode,
            reason=body.reason,
            kecamatan_kode=body.kecamatan_kode,
            reason_en=body.reason_en,
            lang=lang,
        )
    return city_mode(session)


@router.get("/{identifier}", response_model=AlertRead)
def read_alert(identifier: str, session: DbSession, actor: CurrentActor) -> AlertRead:
    """One message by its CAP identifier."""
    return _read(session, service.get_alert(session, identifier, actor=actor))


@router.post("/{identifier}/approve", response_model=AlertRead)
def approve(identifier: str, session: DbSession, actor: CurrentActor) -> AlertRead:
    """Publish a draft (an Alert, Update or Cancel)."""
    alert = service.get_alert(session, identifier, actor=actor)
    return _read(session, service.approve(session, actor=actor, alert_id=alert.id))


@router.post("/{identifier}/reject", response_model=AlertRead)
def reject(identifier: str, body: Decision, session: DbSession, actor: CurrentActor) -> AlertRead:
    """Refuse a draft, with the reason."""
    alert = service.get_alert(session, identifier, actor=actor)
    return _read(
        session, service.reject(session, actor=actor, alert_id=alert.id, reason=body.reason)
    )


@router.post("/{identifier}/cancel", response_model=AlertRead)
def cancel(identifier: str, body: Decision, session: DbSession, actor: CurrentActor) -> AlertRead:
    """Withdraw a published message: the CAP Cancel referencing it is published and returned."""
    alert = service.get_alert(session, identifier, actor=actor)
    message = service.cancel(
        session, actor=actor, alert_id=alert.id, reason=body.reason, reason_en=body.reason_en
    )
    return _read(session, message)
