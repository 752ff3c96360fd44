"""Partner webhooks in the console (``/console/peringatan/webhook``): subscriptions (the signing
secret is shown once, on the page that answers the create or rotate post), switching one off,
deleting, and the delivery log with every attempt (``alerts.webhooks``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Query, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from pontive.alerts import webhooks, webhooks_send
from pontive.alerts.console_support import (
    CONSOLE,
    Errors,
    FormBody,
    flash,
    page,
    redirect_ok,
    refused,
    text,
    typed,
    zone_of,
)
from pontive.alerts.models import WebhookDelivery
from pontive.core.errors import InvalidInput
from pontive.core.identity import Actor
from pontive.core.timeutil import format_local
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix=f"{CONSOLE}/webhook", include_in_schema=False)
HOOKS = f"{CONSOLE}/webhook"
DELIVERY_LIMIT = 50


def _attempts(delivery: WebhookDelivery, zone: ZoneInfo) -> list[tuple[str, Any, Any]]:
    """Each attempt as the log shows it: when (in the city's time), HTTP status, error."""
    shown = []
    for entry in delivery.attempt_log or ():
        try:
            at = format_local(datetime.fromisoformat(str(entry.get("at"))), zone)
        except ValueError:
            at = str(entry.get("at", ""))
        shown.append((at, entry.get("status_code"), entry.get("error")))
    return shown


def hooks_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    subscription_id: int | None = None,
    new_secret: dict[str, Any] | None = None,
    sent: dict[str, Any] | None = None,
    errors: Errors | None = None,
    ok: str | None = None,
    status_code: int = 200,
) -> Response:
    """Subscriptions, the form to add one, and the delivery log (of one, or of all)."""
    subscriptions = webhooks.list_subscriptions(session, actor=actor)
    deliveries = webhooks.list_deliveries(
        session, actor=actor, subscription_id=subscription_id, limit=DELIVERY_LIMIT
    )
    context = {
        "subscriptions": subscriptions,
        "names": {s.id: s.name for s in subscriptions},
        "deliveries": deliveries,
        "attempts": {d.id: _attempts(d, zone_of(request)) for d in deliveries},
        "chosen": subscription_id,
        "new_secret": new_secret,
        "max_attempts": webhooks_send.MAX_ATTEMPTS,
        "sent": sent or {"event_types": "alerts.>"},
        "errors": errors or {},
        "flash": flash(ok),
    }
    return page(request, actor, "alerts/console_webhooks.html", context, status_code=status_code)


@router.get("", response_class=HTMLResponse)
def hooks(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    langganan: Annotated[int | None, Query(ge=1)] = None,
    ok: str | None = None,
) -> Response:
    """Webhook subscriptions and their delivery log."""
    return hooks_page(request, session, actor, subscription_id=langganan, ok=ok)


@router.post("", response_class=HTMLResponse, dependencies=[CsrfChecked])
def create(request: Request, session: DbSession, actor: CurrentActor, form: FormBody) -> Response:
    """Register a partner endpoint and show its secret this once."""
    lang = get_lang(request)
    try:
        row, secret = webhooks.create_subscription(
            session,
            actor=actor,
            name=text(form, "name"),
            url=text(form, "url"),
            event_types=text(form, "event_types") or "alerts.>",
            lang=lang,
        )
    except InvalidInput as error:
        session.rollback()
        return hooks_page(
            request,
            session,
            actor,
            sent=typed(form),
            errors=refused(error, lang),
            status_code=422,
        )
    shown = {"name": row.name, "secret": secret, "created": True}
    return hooks_page(request, session, actor, new_secret=shown)


@router.post(
    "/{subscription_id:int}/rotasi", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
def rotate(
    request: Request, subscription_id: int, session: DbSession, actor: CurrentActor
) -> Response:
    """Give a subscription a new secret (the old one stops signing at once)."""
    secret = webhooks.rotate_secret(session, actor=actor, subscription_id=subscription_id)
    rows = webhooks.list_subscriptions(session, actor=actor)
    name = next((row.name for row in rows if row.id == subscription_id), "")
    shown = {"name": name, "secret": secret, "created": False}
    return hooks_page(request, session, actor, new_secret=shown)


@router.post("/{subscription_id:int}/aktif", dependencies=[CsrfChecked])
def switch(
    subscription_id: int, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Pause or resume deliveries to a subscription."""
    webhooks.update_subscription(
        session, actor=actor, subscription_id=subscription_id, active=text(form, "active") == "1"
    )
    return redirect_ok(HOOKS, "hook_saved")


@router.post("/{subscription_id:int}/hapus", dependencies=[CsrfChecked])
def delete(subscription_id: int, session: DbSession, actor: CurrentActor) -> Response:
    """Remove a subscription and its delivery log."""
    webhooks.delete_subscription(session, actor=actor, subscription_id=subscription_id)
    return redirect_ok(HOOKS, "hook_deleted")
