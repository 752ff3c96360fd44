"""Core JSON routes: tokens and identity, the audit trail, the live event stream."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Annotated

from fastapi import Query, Request
from starlette.responses import StreamingResponse

from pontive.core import audit, auth, permissions
from pontive.core.errors import NotAuthenticated
from pontive.core.events import EventBus, FanIn, Subscription
from pontive.core.identity import Actor
from pontive.core.schemas import (
    ActorRead,
    AuditEventRead,
    AuditPage,
    ChainReportRead,
    TokenCreate,
    TokenRead,
)
from pontive.web.deps import CurrentActor, DbSession
from pontive.web.routing import PontiveRouter
from pontive.web.signin import client_address, login_throttle, refuse_if_throttled

router = PontiveRouter(prefix="/api/v1")
HEARTBEAT_SECONDS = 15.0


@router.post("/auth/token", response_model=TokenRead, tags=["auth"])
def create_token(body: TokenCreate, session: DbSession, request: Request) -> TokenRead:
    """Exchange a username and password (and, for accounts with two-step verification, a
    one-time code) for a bearer token."""
    refuse_if_throttled(request)  # failed attempts per client address (web/signin.py)
    user = auth.authenticate(
        session=session,
        username=body.username,
        password=body.password,
        code=body.code,
        staff_2fa_required=request.app.state.settings.requires_staff_2fa,
    )
    if user is None:
        login_throttle(request.app.state).record_failure(client_address(request))
        if body.code:
            raise NotAuthenticated(
                "Nama pengguna, kata sandi, atau kode salah.", "Wrong username, password or code."
            )
        raise NotAuthenticated(
            "Nama pengguna atau kata sandi salah.", "Wrong username or password."
        )
    ttl = request.app.state.settings.token_max_age_seconds
    secret = auth.issue_token(
        session=session, user=user, name=body.name, ttl=timedelta(seconds=ttl)
    )
    return TokenRead(access_token=secret, expires_in=ttl)


@router.get("/auth/me", response_model=ActorRead, tags=["auth"])
def read_me(actor: CurrentActor) -> ActorRead:
    """The identity the request carries (anonymous when none)."""
    return ActorRead(
        kind=actor.kind.value,
        id=actor.id,
        name=actor.name,
        role=actor.role,
        pd_kode=actor.pd_kode,
        scopes=sorted(actor.scopes),
    )


@router.get("/audit/events", response_model=AuditPage, tags=["audit"])
def read_audit_events(
    session: DbSession,
    actor: CurrentActor,
    before_id: Annotated[int | None, Query(ge=1)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    action: Annotated[str | None, Query(max_length=80)] = None,
) -> AuditPage:
    """The audit trail, newest first; page with ``before_id``."""
    events = audit.list_events(
        session, actor=actor, before_id=before_id, limit=limit, action_prefix=action
    )
    items = [AuditEventRead.model_validate(e) for e in events]
    next_before = items[-1].id if len(items) == limit else None
    return AuditPage(items=items, next_before_id=next_before)


@router.get("/audit/verify", response_model=ChainReportRead, tags=["audit"])
def verify_audit_chain(session: DbSession, actor: CurrentActor) -> ChainReportRead:
    """Walk the hash chain and report the first broken link."""
    permissions.require(actor, permissions.AUDIT_VIEW)
    report = audit.verify_chain(session)
    return ChainReportRead(
        is_intact=report.is_intact,
        checked=report.checked,
        broken_id=report.broken_id,
        reason=report.reason,
    )


@router.get(
    "/events/stream",
    tags=["events"],
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def stream_events(
    request: Request,
    actor: CurrentActor,
    types: Annotated[
        str, Query(max_length=200, description="Event type patterns, separated by commas")
    ] = ">",
) -> StreamingResponse:
    """Server-Sent Events: every bus event the caller may see, as it happens."""
    bus: EventBus = request.app.state.bus
    patterns = [pattern.strip() for pattern in types.split(",") if pattern.strip()] or [">"]
    subscriptions = [bus.subscribe(pattern) for pattern in dict.fromkeys(patterns)]
    source = subscriptions[0] if len(subscriptions) == 1 else FanIn(subscriptions)
    return StreamingResponse(
        _relay(request, actor, source),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _relay(
    request: Request, actor: Actor, subscription: Subscription | FanIn
) -> AsyncIterator[bytes]:
    try:
        yield b"retry: 5000\n: connected\n\n"
        while not await request.is_disconnected():
            event = await subscription.get(within=HEARTBEAT_SECONDS)
            if event is None:
                if subscription.closed:
                    break
                yield b": heartbeat\n\n"
                continue
            if not permissions.can_see(actor, event.classification, owner_pd=event.pd_kode):
                continue
            yield b"id: %s\nevent: %s\ndata: %s\n\n" % (
                event.id.encode(),
                event.type.encode(),
                event.to_json(),
            )
    finally:
        subscription.close()
