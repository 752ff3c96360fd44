"""The alert lifecycle: drafts, approval, updates, cancellations, expiry — the only writer.

An alert row is one CAP message (``models.Alert``). Transitions::

    draft ──approve──▶ published ──(an Update is published)──▶ superseded
      │                    ├──(a Cancel is published)──▶ cancelled
      └──reject──▶ rejected └──(expires_at passes)──▶ expired

An Update or a Cancel is a new row referencing the published message it replaces; it is
drafted like any alert and, once published, moves the referenced message to superseded or
cancelled. Every transition writes an ``AlertEvent`` (the timeline), an audit record and a
bus event (``alerts.alert.<drafted|published|rejected|expired|superseded>``).

The ``open_*``/``publish_message``/``close_draft`` helpers neither check permissions nor
commit: ``alerts/rules.py`` uses them inside the evaluator's transaction with the system
actor. The public functions check, write and commit.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pontive.alerts.choices import (
    AlertState,
    MsgType,
    ResponseType,
    Urgency,
)
from pontive.alerts.content import AlertContent as AlertContent
from pontive.alerts.content import apply_changes, check_content, write_content
from pontive.alerts.content import area_description as area_description
from pontive.alerts.content import content_of as content_of
from pontive.alerts.content import kelurahan_names as kelurahan_names
from pontive.alerts.models import Alert, AlertEvent, AlertRule
from pontive.alerts.timeline import EVENT_CLASSIFICATION as EVENT_CLASSIFICATION
from pontive.alerts.timeline import alert_url as alert_url
from pontive.alerts.timeline import event_data as event_data
from pontive.alerts.timeline import log_step, state_of
from pontive.alerts.timeline import make_identifier as make_identifier
from pontive.core import permissions
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.identity import Actor, system_actor
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from pontive.settings import Settings, get_settings
from pontive.web.i18n import translate

ALERTS_RULES_MANAGE = permissions.register(
    "alerts.rules.manage", {Role.OPERATOR, Role.TIM_TEKNIS, Role.ADMIN}
)
ALERTS_DRAFT = permissions.register("alerts.draft", {Role.OPERATOR, Role.ADMIN})
ALERTS_APPROVE = permissions.register("alerts.approve", {Role.OPERATOR, Role.ADMIN})
ALERTS_VIEW_DRAFTS = permissions.register("alerts.view_drafts", permissions.STAFF)

DEFAULT_VALIDITY_S = 6 * 3600  # a manual alert without an expiry stays up six hours
CANCEL_VISIBLE_S = 3600  # a Cancel stays in the feed an hour so readers see the all-clear
PUBLIC_STATES = frozenset(
    {AlertState.PUBLISHED, AlertState.SUPERSEDED, AlertState.CANCELLED, AlertState.EXPIRED}
)


def _text(key: str, **values: object) -> tuple[str, str]:
    return translate(key, "id", **values), translate(key, "en", **values)


def _invalid(errors: Mapping[str, list[str]]) -> InvalidInput:
    return InvalidInput(*_text("alerts.life.err.invalid"), errors=errors)


def _conflict(key: str, **values: object) -> Conflict:
    return Conflict(*_text(key, **values))


def _bilingual_error(key: str, **values: object) -> str:
    text_id, text_en = _text(key, **values)
    return f"{text_id} / {text_en}"


_configured: dict[str, str] = {}


def configure(settings: Settings) -> None:
    """Sign this process's messages as ``settings.alert_sender`` (web start, worker)."""
    _configured["sender"] = settings.alert_sender


def current_sender() -> str:
    """The CAP sender: as configured, else from the environment's settings, else the
    default (a process without complete settings, e.g. a test, still drafts)."""
    if "sender" not in _configured:
        try:
            _configured["sender"] = get_settings().alert_sender
        except ValidationError:
            return str(Settings.model_fields["alert_sender"].default)
    return _configured["sender"]


# --- writes without commit (shared with the rules engine) ------------------------------------


def open_message(
    session: Session,
    *,
    actor: Actor,
    content: AlertContent,
    now: datetime | None = None,
    msg_type: MsgType = MsgType.ALERT,
    references: Alert | None = None,
    rule: AlertRule | None = None,
    subject: str | None = None,
    trigger: dict[str, Any] | None = None,
) -> Alert:
    """A new draft message (identifier and sender assigned), logged; not committed."""
    now = now or utcnow()
    check_content(session, content, now)
    alert = Alert(
        identifier=f"tmp-{uuid.uuid4().hex}",  # the real one needs the row id
        sender=current_sender(),
        state=AlertState.DRAFT,
        msg_type=msg_type,
        references_id=references.id if references else None,
        thread_id=(references.thread_id or references.id) if references else None,
        rule_id=rule.id if rule else None,
        rule_version=rule.version if rule else None,
        subject=subject,
        trigger=trigger,
        created_at=now,
        updated_at=now,
        created_by=actor.label,
    )
    write_content(session, alert, content)
    session.add(alert)
    session.flush()
    alert.identifier = make_identifier(alert.id, now)
    alert.thread_id = alert.thread_id or alert.id
    log_step(session, alert, actor=actor, action="drafted", before=None, now=now)
    return alert


def open_followup(
    session: Session,
    *,
    actor: Actor,
    previous: Alert,
    msg_type: MsgType,
    changes: Mapping[str, Any],
    now: datetime | None = None,
    trigger: dict[str, Any] | None = None,
) -> Alert:
    """A draft Update or Cancel of the published ``previous``; not committed."""
    if previous.state is not AlertState.PUBLISHED:
        raise _conflict("alerts.life.err.not_published", identifier=previous.identifier)
    # The follow-up's validity starts when it is published, not the previous one's.
    content = apply_changes(dataclasses.replace(content_of(previous), expires_at=None), changes)
    rule = session.get(AlertRule, previous.rule_id) if previous.rule_id else None
    return open_message(
        session,
        actor=actor,
        content=content,
        now=now,
        msg_type=msg_type,
        references=previous,
        rule=rule,
        subject=previous.subject,
        trigger=trigger if trigger is not None else previous.trigger,
    )


def _validity(session: Session, alert: Alert) -> timedelta:
    if alert.msg_type is MsgType.CANCEL:
        return timedelta(seconds=CANCEL_VISIBLE_S)
    rule = session.get(AlertRule, alert.rule_id) if alert.rule_id else None
    return timedelta(seconds=rule.expires_after_s if rule else DEFAULT_VALIDITY_S)


def publish_message(
    session: Session, *, actor: Actor, alert: Alert, now: datetime | None = None
) -> Alert:
    """Publish a draft (and retire the message it updates or cancels); not committed."""
    now = now or utcnow()
    if alert.state is not AlertState.DRAFT:
        raise _conflict("alerts.life.err.not_draft", identifier=alert.identifier)
    if alert.expires_at is not None and alert.expires_at <= now:
        raise _invalid({"expires_at": [_bilingual_error("alerts.life.err.expires_past")]})
    previous = session.get(Alert, alert.references_id) if alert.references_id else None
    if previous is not None and previous.state is not AlertState.PUBLISHED:
        raise _conflict("alerts.life.err.not_published", identifier=previous.identifier)
    before = state_of(alert)
    alert.state = AlertState.PUBLISHED
    alert.sent_at = now
    alert.effective_at = alert.effective_at or now
    alert.expires_at = alert.expires_at or now + _validity(session, alert)
    alert.approved_by, alert.approved_at, alert.updated_at = actor.label, now, now
    alert.sender = current_sender()
    log_step(session, alert, actor=actor, action="published", before=before, now=now)
    if previous is not None:
        _retire(session, actor=actor, previous=previous, by=alert, now=now)
    return alert


def _retire(session: Session, *, actor: Actor, previous: Alert, by: Alert, now: datetime) -> None:
    before = state_of(previous)
    cancelled = by.msg_type is MsgType.CANCEL
    previous.state = AlertState.CANCELLED if cancelled else AlertState.SUPERSEDED
    previous.updated_at = now
    action = "cancelled" if cancelled else "superseded"
    log_step(
        session, previous, actor=actor, action=action, before=before, note=by.identifier, now=now
    )


def revise_message(
    session: Session,
    *,
    actor: Actor,
    alert: Alert,
    content: AlertContent,
    note: str = "",
    trigger: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Alert:
    """Rewrite a draft's content (and trigger), logged as edited; not committed."""
    now = now or utcnow()
    if alert.state is not AlertState.DRAFT:
        raise _conflict("alerts.life.err.not_draft", identifier=alert.identifier)
    check_content(session, content, now)
    before = state_of(alert)
    write_content(session, alert, content)
    if trigger is not None:
        alert.trigger = trigger
    alert.updated_at = now
    log_step(session, alert, actor=actor, action="edited", before=before, note=note, now=now)
    return alert


def close_draft(
    session: Session, *, actor: Actor, alert: Alert, reason: str, now: datetime | None = None
) -> Alert:
    """Reject a draft with its reason; not committed."""
    now = now or utcnow()
    if alert.state is not AlertState.DRAFT:
        raise _conflict("alerts.life.err.not_draft", identifier=alert.identifier)
    if not reason.strip():
        raise _invalid({"reason": [_bilingual_error("alerts.life.err.required")]})
    before = state_of(alert)
    alert.state, alert.rejected_reason, alert.updated_at = AlertState.REJECTED, reason, now
    log_step(session, alert, actor=actor, action="rejected", before=before, note=reason, now=now)
    return alert


# --- use-cases -------------------------------------------------------------------------------


def get_alert_by_id(session: Session, alert_id: int) -> Alert:
    """The message with this id, or ``NotFound``."""
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(*_text("alerts.life.err.not_found"))
    return alert


def draft_alert(
    session: Session, *, actor: Actor, content: AlertContent, now: datetime | None = None
) -> Alert:
    """An operator's own draft (to approve like a rule's)."""
    permissions.require(actor, ALERTS_DRAFT)
    alert = open_message(session, actor=actor, content=content, now=now)
    session.commit()
    return alert


def edit_draft(
    session: Session,
    *,
    actor: Actor,
    alert_id: int,
    changes: Mapping[str, Any],
    now: datetime | None = None,
) -> Alert:
    """Change the content of a draft (published messages change only by an Update)."""
    permissions.require(actor, ALERTS_DRAFT)
    now = now or utcnow()
    alert = get_alert_by_id(session, alert_id)
    if alert.state is not AlertState.DRAFT:
        raise _conflict("alerts.life.err.not_draft", identifier=alert.identifier)
    content = apply_changes(content_of(alert), changes)
    revise_message(
        session, actor=actor, alert=alert, content=content, note=",".join(changes), now=now
    )
    session.commit()
    return alert


def approve(session: Session, *, actor: Actor, alert_id: int, now: datetime | None = None) -> Alert:
    """Publish a draft: sent, effective and expiry times set, the feed and channels told."""
    permissions.require(actor, ALERTS_APPROVE)
    alert = publish_message(session, actor=actor, alert=get_alert_by_id(session, alert_id), now=now)
    session.commit()
    return alert


def reject(
    session: Session, *, actor: Actor, alert_id: int, reason: str, now: datetime | None = None
) -> Alert:
    """Refuse a draft, saying why."""
    permissions.require(actor, ALERTS_APPROVE)
    alert = get_alert_by_id(session, alert_id)
    close_draft(session, actor=actor, alert=alert, reason=reason, now=now)
    session.commit()
    return alert


def issue_update(
    session: Session,
    *,
    actor: Actor,
    alert_id: int,
    changes: Mapping[str, Any],
    publish: bool = True,
    now: datetime | None = None,
) -> Alert:
    """A CAP Update of a published message, published at once (or left as a draft)."""
    permissions.require(actor, ALERTS_DRAFT)
    if publish:
        permissions.require(actor, ALERTS_APPROVE)
    previous = get_alert_by_id(session, alert_id)
    update = open_followup(
        session, actor=actor, previous=previous, msg_type=MsgType.UPDATE, changes=changes, now=now
    )
    if publish:
        publish_message(session, actor=actor, alert=update, now=now)
    session.commit()
    return update


def cancel(
    session: Session,
    *,
    actor: Actor,
    alert_id: int,
    reason: str,
    reason_en: str = "",
    publish: bool = True,
    now: datetime | None = None,
) -> Alert:
    """Withdraw a published message with a CAP Cancel carrying the reason."""
    permissions.require(actor, ALERTS_DRAFT)
    if publish:
        permissions.require(actor, ALERTS_APPROVE)
    if not reason.strip():
        raise _invalid({"reason": [_bilingual_error("alerts.life.err.required")]})
    previous = get_alert_by_id(session, alert_id)
    changes = cancel_changes(reason, reason_en or reason)
    message = open_followup(
        session, actor=actor, previous=previous, msg_type=MsgType.CANCEL, changes=changes, now=now
    )
    if publish:
        publish_message(session, actor=actor, alert=message, now=now)
    session.commit()
    return message


def cancel_changes(reason_id: str, reason_en: str) -> dict[str, Any]:
    """What a Cancel says: the reason as its description, urgency Past, all clear."""
    return {
        "urgency": Urgency.PAST,
        "response_type": ResponseType.ALL_CLEAR,
        "description_id": reason_id,
        "description_en": reason_en,
        "instruction_id": translate("alerts.life.cancel.instruction", "id"),
        "instruction_en": translate("alerts.life.cancel.instruction", "en"),
    }


def expire_due(
    session: Session, now: datetime | None = None, *, actor: Actor | None = None
) -> list[Alert]:
    """Move published messages past their expiry to expired (worker job); not committed."""
    now = now or utcnow()
    actor = actor or system_actor("alerts.expiry")
    due = session.scalars(
        select(Alert)
        .where(Alert.state == AlertState.PUBLISHED, Alert.expires_at <= now)
        .order_by(Alert.id)
    ).all()
    for alert in due:
        before = state_of(alert)
        alert.state, alert.updated_at = AlertState.EXPIRED, now
        log_step(session, alert, actor=actor, action="expired", before=before, now=now)
    return list(due)


# --- reads -----------------------------------------------------------------------------------


def get_alert(session: Session, identifier: str, *, actor: Actor | None = None) -> Alert:
    """The message with this CAP identifier; drafts and rejected ones only for staff who
    may see drafts (``actor=None``: any state, for internal callers)."""
    alert = session.scalar(select(Alert).where(Alert.identifier == identifier))
    if alert is None:
        raise NotFound(*_text("alerts.life.err.not_found"))
    hidden = alert.state not in PUBLIC_STATES
    if hidden and actor is not None and not permissions.can(actor, ALERTS_VIEW_DRAFTS):
        raise NotFound(*_text("alerts.life.err.not_found"))
    return alert


def list_alerts(
    session: Session,
    *,
    states: Collection[AlertState] | None = None,
    limit: int = 50,
    actor: Actor | None = None,
) -> list[Alert]:
    """Messages newest first (drafts and rejected only for those who may see drafts)."""
    wanted = set(states) if states else set(AlertState)
    if actor is not None and not permissions.can(actor, ALERTS_VIEW_DRAFTS):
        wanted &= PUBLIC_STATES
    query = select(Alert).where(Alert.state.in_(sorted(wanted)))
    query = query.order_by(Alert.created_at.desc(), Alert.id.desc())
    return list(session.scalars(query.limit(min(max(limit, 1), 500))))


def active_alerts(session: Session, now: datetime | None = None) -> list[Alert]:
    """Published messages not yet expired, newest first (the feed and the home page)."""
    now = now or utcnow()
    query = select(Alert).where(
        Alert.state == AlertState.PUBLISHED,
        or_(Alert.expires_at.is_(None), Alert.expires_at > now),
    )
    return list(session.scalars(query.order_by(Alert.sent_at.desc(), Alert.id.desc())))


def thread(session: Session, alert: Alert) -> list[Alert]:
    """Every message of ``alert``'s chain (the first, its updates, its cancel), in order."""
    root = alert.thread_id or alert.id
    return list(session.scalars(select(Alert).where(Alert.thread_id == root).order_by(Alert.id)))


def timeline(session: Session, alert: Alert) -> list[AlertEvent]:
    """What happened to one message, oldest first."""
    query = select(AlertEvent).where(AlertEvent.alert_id == alert.id)
    return list(session.scalars(query.order_by(AlertEvent.at, AlertEvent.id)))
