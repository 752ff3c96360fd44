"""Sign-in support shared by the pages and the token API: the per-address throttle and the
rule that staff without a second factor enrol before anything else."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.exceptions import HTTPException

from pontive.core import auth
from pontive.core.models import User
from pontive.core.throttle import FailureThrottle
from pontive.web.i18n import translate

ACCOUNT_PATH = "/console/akun"
ENROL_PATH = "/console/akun/2fa"
# Where a staff member without a second factor may still go: the account pages (to enrol
# or change the password) and the sign-in and sign-out forms.
_OPEN_WHILE_ENROLLING = (ACCOUNT_PATH, "/keluar", "/masuk")


def login_throttle(app_state: Any) -> FailureThrottle:
    """The application's throttle of failed sign-ins per client address."""
    throttle: FailureThrottle | None = getattr(app_state, "login_throttle", None)
    if throttle is None:
        throttle = FailureThrottle()
        app_state.login_throttle = throttle
    return throttle


def client_address(request: Request) -> str:
    """The caller's address (uvicorn takes it from a trusted proxy's X-Forwarded-For)."""
    return request.client.host if request.client else "unknown"


def throttled_message(seconds: int, lang: str) -> str:
    """'Too many failed sign-ins from this address; wait N minutes', in ``lang``."""
    return translate("auth.throttled", lang, minutes=max(1, -(-seconds // 60)))


def refuse_if_throttled(request: Request) -> None:
    """For JSON endpoints: 429 with ``Retry-After`` while this address is throttled."""
    seconds = login_throttle(request.app.state).retry_after(client_address(request))
    if seconds:
        raise HTTPException(429, headers={"Retry-After": str(seconds)})


def require_enrolment(request: Request, user: User) -> None:
    """Send a staff member who must enrol and has not to the enrolment page (pages) or
    refuse the request (forms and APIs)."""
    if not auth.needs_enrolment(
        user, staff_2fa_required=request.app.state.settings.requires_staff_2fa
    ):
        return
    path = request.url.path
    if path.startswith(_OPEN_WHILE_ENROLLING) or path.startswith("/static/"):
        return
    if request.method in ("GET", "HEAD") and not path.startswith("/api/"):
        raise HTTPException(303, headers={"Location": ENROL_PATH})
    raise auth.SecondFactorEnrolmentRequired()
