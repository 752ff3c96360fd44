"""Signing in and out: the password form, the second step, and the per-address throttle.

The session is not signed in until both factors passed: after a right password a user with
a second factor holds only a pending state (``PageSession.await_second_step``) that expires
after ``PENDING_SECONDS``. Every step that changes who the session is rotates it.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pontive.core import auth, totp
from pontive.core.errors import RateLimited
from pontive.core.identity import ActorKind
from pontive.core.models import User
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang, get_page_session
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter
from pontive.web.signin import ENROL_PATH, client_address, login_throttle, throttled_message
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)
SECOND_STEP_PATH = "/masuk/verifikasi"


def safe_next(target: str | None) -> str:
    """A local path to go to after sign-in (an open redirect would make our sign-in page a
    phishing tool)."""
    if not target:
        return "/console/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/console/"
    return target


def _form(
    request: Request, template: str, status: int, error: str | None, **context: object
) -> Response:
    return render(request, template, {"error": error, **context}, status_code=status)


def _throttled(request: Request, template: str, next_path: str) -> Response | None:
    seconds = login_throttle(request.app.state).retry_after(client_address(request))
    if not seconds:
        return None
    response = _form(
        request,
        template,
        429,
        throttled_message(seconds, get_lang(request)),
        next=next_path,
    )
    response.headers["Retry-After"] = str(seconds)
    return response


def _signed_in(request: Request, session: DbSession, user: User, destination: str) -> Response:
    """Both factors passed: a fresh session for this user, then where they were heading."""
    auth.complete_sign_in(session=session, user=user)
    get_page_session(request).rotate(user.id, gen=user.session_generation)
    if auth.needs_enrolment(user, staff_2fa_required=request.app.state.settings.requires_staff_2fa):
        return RedirectResponse(ENROL_PATH, status_code=303)
    if not user.role.is_staff and destination.startswith("/console"):
        destination = "/"
    return RedirectResponse(destination, status_code=303)


@router.get("/masuk", response_class=HTMLResponse)
def login_form(request: Request, actor: CurrentActor, next: str | None = None) -> Response:
    """The sign-in form."""
    if actor.is_authenticated:
        return RedirectResponse(safe_next(next), status_code=303)
    return _form(request, "login.html", 200, None, next=safe_next(next))


@router.post("/masuk", response_class=HTMLResponse, dependencies=[CsrfChecked])
def login(
    request: Request,
    session: DbSession,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=500)] = "/console/",
) -> Response:
    """Check the password; then sign in, or ask for the one-time code."""
    destination = safe_next(next)
    if (refused := _throttled(request, "login.html", destination)) is not None:
        return refused
    lang = get_lang(request)
    try:
        user = auth.check_password(session=session, username=username, password=password)
    except RateLimited as error:
        return _form(
            request, "login.html", 429, error.message(lang), next=destination, username=username
        )
    if user is None:
        login_throttle(request.app.state).record_failure(client_address(request))
        return _form(
            request,
            "login.html",
            401,
            translate("login.failed", lang),
            next=destination,
            username=username,
        )
    if totp.is_enabled(user):
        get_page_session(request).await_second_step(user.id)
        return RedirectResponse(
            f"{SECOND_STEP_PATH}?next={quote(destination, safe='/')}", status_code=303
        )
    return _signed_in(request, session, user, destination)


@router.get(SECOND_STEP_PATH, response_class=HTMLResponse)
def second_step_form(request: Request, next: str | None = None) -> Response:
    """The one-time code form, while a right password awaits it."""
    if get_page_session(request).pending_user() is None:
        return RedirectResponse("/masuk", status_code=303)
    return _form(request, "login_2fa.html", 200, None, next=safe_next(next))


@router.post(SECOND_STEP_PATH, response_class=HTMLResponse, dependencies=[CsrfChecked])
def second_step(
    request: Request,
    session: DbSession,
    code: Annotated[str, Form(max_length=20)],
    next: Annotated[str, Form(max_length=500)] = "/console/",
) -> Response:
    """Check the one-time (or recovery) code; sign in when it is right."""
    destination = safe_next(next)
    if (refused := _throttled(request, "login_2fa.html", destination)) is not None:
        return refused
    lang = get_lang(request)
    page_session = get_page_session(request)
    uid = page_session.pending_user()
    user = auth.get_active_user(session=session, user_id=uid) if uid is not None else None
    if user is None:
        page_session.rotate(None)
        return _form(
            request, "login.html", 401, translate("auth.step_expired", lang), next=destination
        )
    try:
        is_right = auth.check_second_factor(session=session, user=user, code=code)
    except RateLimited as error:
        page_session.rotate(None)
        return _form(request, "login.html", 429, error.message(lang), next=destination)
    if not is_right:
        login_throttle(request.app.state).record_failure(client_address(request))
        return _form(
            request, "login_2fa.html", 401, translate("auth.code_wrong", lang), next=destination
        )
    return _signed_in(request, session, user, destination)


@router.post("/keluar", dependencies=[CsrfChecked])
def logout(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """End the session, and with it every other session of this user (the cookie's
    generation no longer matches)."""
    if actor.kind is ActorKind.USER and actor.id is not None:
        user = auth.get_active_user(session=session, user_id=actor.id)
        if user is not None:
            auth.end_sessions(session=session, user=user)
    get_page_session(request).rotate(None)
    return RedirectResponse("/", status_code=303)
