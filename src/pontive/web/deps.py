"""Request dependencies: database session, the acting identity, language, CSRF."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import anyio
from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from pontive.core import auth
from pontive.core.db import Database
from pontive.core.errors import NotAuthenticated, PermissionDenied
from pontive.core.events import SESSION_BUS_KEY
from pontive.core.identity import ANONYMOUS, Actor
from pontive.web.i18n import choose_language
from pontive.web.session import (
    COOKIE_NAME,
    CSRF_FIELD,
    CSRF_HEADER,
    PageSession,
    SessionCodec,
)
from pontive.web.signin import require_enrolment

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_db(request: Request) -> AsyncIterator[Session]:
    """A session for this request; writes queue behind each other, reads never do. A POST
    that only reads (a CKAN read action, say) is marked by a dependency of its route that
    runs first (``mark_read_only``).

    Async: making a session touches no connection (the first statement, in the route's
    thread, does), so only the close (a rollback and the connection's return) may go to the
    thread pool, and on a SQLite file not even that (``Database.ends_in_place``); a plain
    generator would cost every request two trips there."""
    database: Database = request.app.state.database
    read_only = request.method in SAFE_METHODS or getattr(request.state, "read_only", False)
    session = database.session(write=not read_only)
    session.info[SESSION_BUS_KEY] = request.app.state.bus
    request.state.db_session = session  # for the layout's context (web/templating.py)
    try:
        yield session
    finally:
        # An error page is rendered after this (web/errors.py): its layout must open a session
        # of its own, not start a new transaction on this closed one, which nobody closes.
        request.state.db_session = None
        if database.ends_in_place:
            session.close()
        else:
            # Shielded: a cancelled request (a client gone from an event stream) must still
            # give its connection back, or it is left to the garbage collector.
            with anyio.CancelScope(shield=True):
                await run_in_threadpool(session.close)


DbSession = Annotated[Session, Depends(get_db)]


def mark_read_only(request: Request) -> None:
    """Let this request's ``DbSession`` be a read session whatever its method (declare it
    before the session among the route's parameters)."""
    request.state.read_only = True


def get_page_session(request: Request) -> PageSession:
    """The signed-cookie session, loaded on first use and saved by the middleware."""
    page_session: PageSession | None = getattr(request.state, "page_session", None)
    if page_session is None:
        codec: SessionCodec = request.app.state.session_codec
        page_session = codec.load(request)
        request.state.page_session = page_session
    return page_session


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def get_actor(request: Request, session: DbSession) -> Actor:
    """Who is calling: bearer token, API key, page session, or anonymous."""
    cached: Actor | None = getattr(request.state, "actor", None)
    if cached is not None:
        return cached
    request_id = getattr(request.state, "request_id", None)
    actor = ANONYMOUS
    if (token := _bearer(request)) is not None:
        actor = auth.resolve_token(session=session, secret=token) or _refuse_credentials()
    elif (key := request.headers.get("x-api-key")) is not None:
        actor = auth.resolve_api_key(session=session, secret=key) or _refuse_credentials()
    elif COOKIE_NAME in request.cookies:  # no cookie: anonymous, and no session to create
        page_session = get_page_session(request)
        if page_session.uid is not None:
            user = auth.get_active_user(
                session=session, user_id=page_session.uid, generation=page_session.gen
            )
            if user is None:
                page_session.rotate(None)
            else:
                actor = auth.actor_for_user(user)
                _check_api_csrf(request, page_session)
                require_enrolment(request, user)  # staff without a second factor
    actor = actor.with_request(request_id)
    request.state.actor = actor
    return actor


def _refuse_credentials() -> Actor:
    raise NotAuthenticated(
        "Token atau kunci API tidak valid, kedaluwarsa, atau dicabut.",
        "The token or API key is invalid, expired or revoked.",
    )


def _check_api_csrf(request: Request, page_session: PageSession) -> None:
    # A browser's cookie rides along on cross-site requests: unsafe API calls made with the
    # session cookie must prove they come from our own pages.
    if request.method in SAFE_METHODS or not request.url.path.startswith("/api/"):
        return
    if not page_session.csrf_matches(request.headers.get(CSRF_HEADER)):
        raise PermissionDenied("Token CSRF tidak valid.", "Invalid CSRF token.")


CurrentActor = Annotated[Actor, Depends(get_actor)]


def get_lang(request: Request) -> str:
    """The page language for this request (``id`` or ``en``)."""
    lang: str | None = getattr(request.state, "lang", None)
    if lang is None:
        lang = choose_language(request)
        request.state.lang = lang
    return lang


Lang = Annotated[str, Depends(get_lang)]


async def verify_form_csrf(request: Request) -> None:
    """Refuse a form post whose CSRF token does not match the session's."""
    form = await request.form()
    presented = form.get(CSRF_FIELD)
    page_session = get_page_session(request)
    if not isinstance(presented, str) or not page_session.csrf_matches(presented):
        raise PermissionDenied(
            "Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi.",
            "The form expired or is not valid. Reload the page and try again.",
        )


CsrfChecked = Depends(verify_form_csrf)
