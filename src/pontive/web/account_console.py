"""The console's Account page: two-step verification (enrol, confirm, recovery codes,
turn off) and the password change. Only for people signed in with a page session."""

from __future__ import annotations

from typing import Annotated

import segno
from fastapi import Form, Request
from markupsafe import Markup
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pontive.core import auth, permissions, totp
from pontive.core.errors import InvalidInput, NotAuthenticated
from pontive.core.identity import Actor, ActorKind
from pontive.core.models import User
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang, get_page_session
from pontive.web.i18n import translate
from pontive.web.navigation import NavLink, register_console
from pontive.web.routing import PontiveRouter
from pontive.web.signin import ACCOUNT_PATH, ENROL_PATH
from pontive.web.templating import render

router = PontiveRouter(prefix=ACCOUNT_PATH, include_in_schema=False)

register_console(
    NavLink(
        ACCOUNT_PATH, "account.title", "account.desc", "shield", permissions.CONSOLE_VIEW, order=990
    )
)


def _own_user(request: Request, session: DbSession, actor: Actor) -> User:
    """The signed-in person's own account, through the page session only (not a bearer
    token or API key: these pages are for people at a browser)."""
    if actor.kind is not ActorKind.USER or actor.id is None:
        raise NotAuthenticated()
    if get_page_session(request).uid != actor.id:
        raise NotAuthenticated()
    user = auth.get_active_user(session=session, user_id=actor.id)
    if user is None:
        raise NotAuthenticated()
    return user


def _account(request: Request, user: User, *, status: int = 200, **context: object) -> Response:
    values: dict[str, object] = {
        "user": user,
        "totp_on": totp.is_enabled(user),
        "recovery_left": totp.remaining_recovery_codes(user),
        "must_enrol": auth.needs_enrolment(
            user, staff_2fa_required=request.app.state.settings.requires_staff_2fa
        ),
        "errors": {},
        "notice": None,
    }
    values.update(context)
    return render(request, "console/account.html", values, status_code=status)


@router.get("", response_class=HTMLResponse)
def account_page(
    request: Request, session: DbSession, actor: CurrentActor, done: str | None = None
) -> Response:
    """Two-step verification status and the password form."""
    user = _own_user(request, session, actor)
    return _account(request, user, notice=f"account.done.{done}" if done in _NOTICES else None)


_NOTICES = frozenset({"password", "2fa_off", "sessions"})


def qr_svg(uri: str) -> Markup:
    """The ``otpauth://`` URI as a QR code in inline SVG (attributes only, no inline style,
    so the Content Security Policy allows it), dark on white with the quiet zone."""
    code = segno.make(uri, error="m")
    # segno writes path data only: nothing of the URI enters the markup as text.
    return Markup(code.svg_inline(scale=5, dark="#0b1f33", light="#ffffff"))  # noqa: S704


def _enrolment(
    request: Request, user: User, secret: str, *, status: int = 200, error: str | None = None
) -> Response:
    uri = totp.provisioning_uri(secret, user.username)
    return render(
        request,
        "console/account_2fa.html",
        {
            "secret": secret,
            "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "uri": uri,
            "qr_svg": qr_svg(uri),
            "error": error,
            "must_enrol": auth.needs_enrolment(
                user, staff_2fa_required=request.app.state.settings.requires_staff_2fa
            ),
        },
        status_code=status,
    )


@router.get("/2fa", response_class=HTMLResponse)
def enrol_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """Start (or continue) enrolment: the secret as text and as an ``otpauth://`` URI."""
    user = _own_user(request, session, actor)
    if totp.is_enabled(user):
        return RedirectResponse(ACCOUNT_PATH, status_code=303)
    return _enrolment(request, user, totp.begin_enrolment(session=session, user=user))


@router.post("/2fa/ulang", dependencies=[CsrfChecked])
def restart_enrolment(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """A new secret (the old one was seen by someone else, or the app lost it)."""
    user = _own_user(request, session, actor)
    totp.begin_enrolment(session=session, user=user, restart=True)
    return RedirectResponse(ENROL_PATH, status_code=303)


@router.post("/2fa", response_class=HTMLResponse, dependencies=[CsrfChecked])
def confirm_enrolment(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    code: Annotated[str, Form(max_length=20)],
) -> Response:
    """Turn the second factor on with a first code; show the recovery codes once."""
    user = _own_user(request, session, actor)
    try:
        codes = totp.confirm_enrolment(session=session, user=user, code=code)
    except InvalidInput:
        secret = totp.begin_enrolment(session=session, user=user)
        return _enrolment(request, user, secret, status=422, error=_t(request, "auth.code_wrong"))
    # A new factor: every other session of this user ends; this one gets a fresh cookie.
    auth.end_sessions(session=session, user=user)
    get_page_session(request).rotate(user.id, gen=user.session_generation)
    return render(request, "console/account_codes.html", {"codes": codes})


@router.post("/2fa/kode-pemulihan", response_class=HTMLResponse, dependencies=[CsrfChecked])
def renew_codes(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    code: Annotated[str, Form(max_length=20)],
) -> Response:
    """New recovery codes (the old ones stop working), after a fresh authenticator code."""
    user = _own_user(request, session, actor)
    if not auth.check_second_factor(session=session, user=user, code=code):
        return _account(
            request, user, status=422, errors={"renew_code": [_t(request, "auth.code_wrong")]}
        )
    codes = totp.renew_recovery_codes(session=session, user=user)
    return render(request, "console/account_codes.html", {"codes": codes})


@router.post("/2fa/nonaktif", response_class=HTMLResponse, dependencies=[CsrfChecked])
def disable(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    password: Annotated[str, Form(max_length=200)],
    code: Annotated[str, Form(max_length=20)],
) -> Response:
    """Turn the second factor off: password and a current code required."""
    user = _own_user(request, session, actor)
    try:
        auth.disable_second_factor(session=session, user=user, password=password, code=code)
    except InvalidInput as error:
        return _account(request, user, status=422, errors={"disable": _messages(error)})
    return RedirectResponse(f"{ACCOUNT_PATH}?done=2fa_off", status_code=303)


@router.post("/kata-sandi", response_class=HTMLResponse, dependencies=[CsrfChecked])
def change_password(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    current: Annotated[str, Form(max_length=200)],
    new: Annotated[str, Form(max_length=200)],
    confirm: Annotated[str, Form(max_length=200)],
) -> Response:
    """Change the password; every other session and token of the user ends."""
    user = _own_user(request, session, actor)
    if new != confirm:
        return _account(
            request, user, status=422, errors={"password": [_t(request, "auth.confirm_differs")]}
        )
    try:
        auth.change_password(session=session, user=user, current=current, new=new)
    except InvalidInput as error:
        return _account(request, user, status=422, errors={"password": _messages(error)})
    get_page_session(request).rotate(user.id, gen=user.session_generation)
    return RedirectResponse(f"{ACCOUNT_PATH}?done=password", status_code=303)


@router.post("/keluar-lain", dependencies=[CsrfChecked])
def end_other_sessions(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """Sign out every other browser of this user; this one stays signed in."""
    user = _own_user(request, session, actor)
    auth.end_sessions(session=session, user=user)
    get_page_session(request).rotate(user.id, gen=user.session_generation)
    return RedirectResponse(f"{ACCOUNT_PATH}?done=sessions", status_code=303)


def _t(request: Request, key: str) -> str:
    return translate(key, get_lang(request))


def _messages(error: InvalidInput) -> list[str]:
    return [message for messages in error.errors.values() for message in messages]
