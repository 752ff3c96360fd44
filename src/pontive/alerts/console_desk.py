"""The alert desk (``/console/peringatan``): drafts awaiting approval, alerts in force, recent
history; one alert's page with its timeline and chain, and the forms that move it along:
edit (then approve), approve, reject with a reason, publish an update, cancel with a reason.

Every transition is the lifecycle service's (``alerts.service``): it checks the permission,
writes the timeline and the audit record and tells the bus. A refused form comes back with
its field errors and what was typed, inside the form that was sent.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pontive.alerts import service
from pontive.alerts.choices import (
    AlertState,
    CapCategory,
    Certainty,
    MsgType,
    ResponseType,
    Severity,
    Urgency,
)
from pontive.alerts.console_forms import CAP_STATUSES, blank_content, content_values, parse_content
from pontive.alerts.console_support import (
    CONSOLE,
    Errors,
    FormBody,
    flash,
    labels,
    page,
    redirect_ok,
    refused,
    text,
    typed,
    zone_of,
)
from pontive.alerts.models import Alert, AlertRule
from pontive.core import permissions
from pontive.core.errors import Conflict, InvalidInput
from pontive.core.identity import Actor
from pontive.reference import service as reference
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.panels import panels_for
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix=CONSOLE, include_in_schema=False)

HISTORY_STATES = (
    AlertState.SUPERSEDED,
    AlertState.CANCELLED,
    AlertState.EXPIRED,
    AlertState.REJECTED,
)
HISTORY_LIMIT = 30
# What a timeline row can say happened (``AlertEvent.action``, written by ``alerts.service``).
ACTIONS = ("drafted", "edited", "published", "rejected", "superseded", "cancelled", "expired")


def choices(lang: str) -> dict[str, Any]:
    """The CAP code lists the alert form offers, labelled in ``lang``."""

    def labelled(members: Any) -> list[tuple[str, str]]:
        return [(member.value, member.label(lang)) for member in members]

    return {
        "categories": labelled(CapCategory),
        "urgencies": labelled(Urgency),
        "severities": labelled(Severity),
        "certainties": labelled(Certainty),
        "responses": labelled(ResponseType),
        "cap_statuses": labelled(CAP_STATUSES),
    }


def _rule_names(session: Session, alerts: list[Alert]) -> dict[int, AlertRule]:
    ids = {a.rule_id for a in alerts if a.rule_id}
    return {rule_id: rule for rule_id in ids if (rule := session.get(AlertRule, rule_id))}


def _desk(request: Request, session: Session, actor: Actor, ok: str | None) -> Response:
    permissions.require(actor, service.ALERTS_VIEW_DRAFTS)
    drafts = service.list_alerts(session, states=[AlertState.DRAFT], limit=100, actor=actor)
    active = service.active_alerts(session)
    history = service.list_alerts(session, states=HISTORY_STATES, limit=HISTORY_LIMIT, actor=actor)
    context = {
        "drafts": drafts,
        "in_force": [a for a in active if a.msg_type is not MsgType.CANCEL],
        "clears": [a for a in active if a.msg_type is MsgType.CANCEL],
        "history": history,
        "rules": _rule_names(session, [*drafts, *active, *history]),
        "can_draft": permissions.can(actor, service.ALERTS_DRAFT),
        "can_approve": permissions.can(actor, service.ALERTS_APPROVE),
        "flash": flash(ok),
    }
    return page(request, actor, "alerts/console_desk.html", context)


def _new(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    values: dict[str, Any] | None = None,
    errors: Errors | None = None,
    status_code: int = 200,
) -> Response:
    permissions.require(actor, service.ALERTS_DRAFT)
    context = choices(get_lang(request)) | {
        "kecamatan": reference.list_kecamatan(session=session),
        "values": values or blank_content(),
        "errors": errors or {},
    }
    return page(request, actor, "alerts/console_new.html", context, status_code=status_code)


def alert_page(
    request: Request,
    session: Session,
    actor: Actor,
    alert_id: int,
    *,
    failed: str = "",
    values: dict[str, Any] | None = None,
    sent: dict[str, Any] | None = None,
    errors: Errors | None = None,
    ok: str | None = None,
    status_code: int = 200,
) -> Response:
    """One alert: content, area, chain, timeline, and the forms its state allows."""
    permissions.require(actor, service.ALERTS_VIEW_DRAFTS)
    alert = service.get_alert_by_id(session, alert_id)
    chain = service.thread(session, alert)
    names = service.kelurahan_names(session)
    zone = zone_of(request)
    context = choices(get_lang(request)) | {
        "alert": alert,
        # What other domains offer about this alert (coordination: its incident).
        "panels": panels_for("alerts.alert", session, actor, alert, lang=get_lang(request)),
        "chain": chain,
        "timeline": service.timeline(session, alert),
        "action_labels": labels("action", ACTIONS, get_lang(request)),
        "rule": session.get(AlertRule, alert.rule_id) if alert.rule_id else None,
        "areas": [names.get(k, k) for k in alert.kelurahan_kodes or ()],
        "kecamatan": reference.list_kecamatan(session=session),
        "can_draft": permissions.can(actor, service.ALERTS_DRAFT),
        "can_approve": permissions.can(actor, service.ALERTS_APPROVE),
        "is_public": alert.state in service.PUBLIC_STATES,
        "cap_url": service.alert_url(alert.identifier),
        "failed": failed,
        "values": values or content_values(alert, zone),
        "sent": sent or {},
        "errors": errors or {},
        "flash": flash(ok),
    }
    return page(request, actor, "alerts/console_alert.html", context, status_code=status_code)


def _again(
    request: Request,
    session: Session,
    actor: Actor,
    alert_id: int,
    failed: str,
    form: FormBody,
    errors: Errors,
    status_code: int = 422,
) -> Response:
    session.rollback()
    return alert_page(
        request,
        session,
        actor,
        alert_id,
        failed=failed,
        values=typed(form) if failed in ("edit", "update") else None,
        sent=typed(form),
        errors=errors,
        status_code=status_code,
    )


@router.get("", response_class=HTMLResponse)
def desk(
    request: Request, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    """Drafts awaiting approval, alerts in force and recent history."""
    return _desk(request, session, actor, ok)


@router.get("/baru", response_class=HTMLResponse)
def new_alert(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """The form to draft an alert by hand."""
    return _new(request, session, actor)


@router.post("/baru", dependencies=[CsrfChecked])
def create_alert(
    request: Request, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Draft an alert; it waits on the desk for approval."""
    permissions.require(actor, service.ALERTS_DRAFT)
    lang = get_lang(request)
    values, errors = parse_content(form, lang, zone_of(request))
    if values is None:
        return _new(request, session, actor, values=typed(form), errors=errors, status_code=422)
    try:
        alert = service.draft_alert(session, actor=actor, content=service.AlertContent(**values))
    except InvalidInput as error:
        session.rollback()
        found = refused(error, lang)
        return _new(request, session, actor, values=typed(form), errors=found, status_code=422)
    return redirect_ok(f"{CONSOLE}/{alert.id}", "drafted")


@router.get("/{alert_id:int}", response_class=HTMLResponse)
def show_alert(
    request: Request,
    alert_id: int,
    session: DbSession,
    actor: CurrentActor,
    ok: str | None = None,
) -> Response:
    """One alert with its timeline and what may be done with it."""
    return alert_page(request, session, actor, alert_id, ok=ok)


@router.post("/{alert_id:int}/ubah", dependencies=[CsrfChecked])
def edit_alert(
    request: Request, alert_id: int, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Save a draft's new content, and publish it at once when asked (edit then approve)."""
    lang = get_lang(request)
    values, errors = parse_content(form, lang, zone_of(request))
    if values is None:
        return _again(request, session, actor, alert_id, "edit", form, errors)
    approve = text(form, "then") == "approve"
    if approve:
        permissions.require(actor, service.ALERTS_APPROVE)
    try:
        service.edit_draft(session, actor=actor, alert_id=alert_id, changes=values)
        if approve:
            service.approve(session, actor=actor, alert_id=alert_id)
    except (InvalidInput, Conflict) as error:
        code = error.status_code
        return _again(request, session, actor, alert_id, "edit", form, refused(error, lang), code)
    return redirect_ok(f"{CONSOLE}/{alert_id}", "approved" if approve else "saved")


@router.post("/{alert_id:int}/setujui", dependencies=[CsrfChecked])
def approve_alert(
    request: Request, alert_id: int, session: DbSession, actor: CurrentActor
) -> Response:
    """Publish a draft as it stands."""
    try:
        service.approve(session, actor=actor, alert_id=alert_id)
    except (InvalidInput, Conflict) as error:
        session.rollback()
        found = refused(error, get_lang(request))
        return alert_page(
            request, session, actor, alert_id, failed="approve", errors=found, status_code=409
        )
    return redirect_ok(f"{CONSOLE}/{alert_id}", "approved")


@router.post("/{alert_id:int}/tolak", dependencies=[CsrfChecked])
def reject_alert(
    request: Request, alert_id: int, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Refuse a draft, saying why (kept in its timeline)."""
    try:
        service.reject(session, actor=actor, alert_id=alert_id, reason=text(form, "reason"))
    except (InvalidInput, Conflict) as error:
        found = refused(error, get_lang(request))
        return _again(request, session, actor, alert_id, "reject", form, found, error.status_code)
    return RedirectResponse(f"{CONSOLE}?ok=rejected", status_code=303)


@router.post("/{alert_id:int}/perbarui", dependencies=[CsrfChecked])
def update_alert(
    request: Request, alert_id: int, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Publish a CAP Update of a published alert with the changed content."""
    lang = get_lang(request)
    values, errors = parse_content(form, lang, zone_of(request))
    if values is None:
        return _again(request, session, actor, alert_id, "update", form, errors)
    try:
        update = service.issue_update(session, actor=actor, alert_id=alert_id, changes=values)
    except (InvalidInput, Conflict) as error:
        code = error.status_code
        return _again(request, session, actor, alert_id, "update", form, refused(error, lang), code)
    return redirect_ok(f"{CONSOLE}/{update.id}", "updated")


@router.post("/{alert_id:int}/batalkan", dependencies=[CsrfChecked])
def cancel_alert(
    request: Request, alert_id: int, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Withdraw a published alert with a CAP Cancel carrying the reason."""
    try:
        message = service.cancel(
            session,
            actor=actor,
            alert_id=alert_id,
            reason=text(form, "reason"),
            reason_en=text(form, "reason_en"),
        )
    except (InvalidInput, Conflict) as error:
        found = refused(error, get_lang(request))
        return _again(request, session, actor, alert_id, "cancel", form, found, error.status_code)
    return redirect_ok(f"{CONSOLE}/{message.id}", "cancelled")
