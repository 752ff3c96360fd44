"""Public CAP routes (DESIGN.md, Fixed interfaces): ``/alerts/feed.atom`` and
``/alerts/<identifier>.xml``.

A message once published stays readable after it is superseded, cancelled or expired, since
later messages reference it; drafts and rejected drafts were never sent and are not found.
Responses carry an ETag and a short public max-age: the micro-cache and any proxy absorb a
flood evening's polling.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.alerts import service
from pontive.alerts.atom import ATOM_MIME, atom_feed
from pontive.alerts.cap import CAP_MIME, alert_xml
from pontive.alerts.choices import AlertState
from pontive.alerts.models import Alert
from pontive.core.errors import NotFound
from pontive.core.timeutil import utcnow
from pontive.settings import Settings
from pontive.web.deps import DbSession
from pontive.web.routing import PontiveRouter

router = PontiveRouter(tags=["alerts"])

FEED_SECONDS = 60  # a new alert reaches feed readers within a minute
MESSAGE_SECONDS = 300  # a sent CAP message never changes
READABLE_STATES = (
    AlertState.PUBLISHED,
    AlertState.SUPERSEDED,
    AlertState.CANCELLED,
    AlertState.EXPIRED,
)


# --- reads (through alerts.service) --------------------------------------------------------


def _sent_alert(session: Session, identifier: str) -> Alert | None:
    """The message ``identifier`` if it was ever sent (drafts and rejected never were)."""
    try:
        alert = service.get_alert(session, identifier)
    except NotFound:
        return None
    return alert if alert.state in READABLE_STATES else None


def _feed_updated(session: Session, alerts: Sequence[Alert], now: datetime) -> datetime:
    """When the feed's content last changed: the latest change of any sent message, or the
    latest expiry already past (an expired entry leaves the feed without a write)."""
    changed = session.scalar(
        select(func.max(Alert.updated_at)).where(Alert.state.in_(READABLE_STATES))
    )
    expired = session.scalar(
        select(func.max(Alert.expires_at)).where(
            Alert.state.in_(READABLE_STATES), Alert.expires_at <= now
        )
    )
    candidates = [t for t in (changed, expired) if t is not None]
    candidates += [a.sent_at for a in alerts if a.sent_at is not None]
    return max(candidates, default=now)


# --- routes -------------------------------------------------------------------------------


def _respond(request: Request, body: bytes, media_type: str, seconds: int) -> Response:
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={seconds}"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


@router.get("/alerts/feed.atom", response_class=Response, summary="Atom feed of alerts in force")
def alerts_feed(request: Request, session: DbSession) -> Response:
    """Atom 1.0 list of the alerts in force, each linking its CAP 1.2 message."""
    settings: Settings = request.app.state.settings
    now = utcnow()
    alerts = service.active_alerts(session, now)
    body = atom_feed(alerts, settings=settings, updated=_feed_updated(session, alerts, now))
    return _respond(request, body, ATOM_MIME, FEED_SECONDS)


@router.get("/alerts/{identifier}.xml", response_class=Response, summary="One CAP 1.2 message")
def cap_message(identifier: str, request: Request, session: DbSession) -> Response:
    """The CAP 1.2 message ``identifier`` (published, superseded, cancelled or expired)."""
    alert = _sent_alert(session, identifier)
    if alert is None:
        raise NotFound("Peringatan tidak ditemukan.", "Alert not found.")
    body = alert_xml(session, alert, settings=request.app.state.settings)
    return _respond(request, body, CAP_MIME, MESSAGE_SECONDS)
