"""Signed-cookie sessions for pages, with a CSRF token in every session.

The cookie holds only ``{"uid", "csrf", "sid"}``, signed with ``PONTIVE_SECRET_KEY`` and
timestamped; it is rotated (new ``sid`` and CSRF token) on sign-in and sign-out so that a
session fixed before login is worthless after it.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

COOKIE_NAME = "pontive_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


@dataclass
class PageSession:
    """The decoded session of one request; ``changed`` asks the response to re-send it."""

    uid: int | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    sid: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    changed: bool = False

    def rotate(self, uid: int | None) -> None:
        """Start a fresh session (sign-in or sign-out)."""
        self.uid = uid
        self.csrf = secrets.token_urlsafe(24)
        self.sid = secrets.token_urlsafe(12)
        self.changed = True

    def csrf_matches(self, presented: str | None) -> bool:
        """Constant-time comparison of a presented CSRF token."""
        return bool(presented) and hmac.compare_digest(self.csrf, presented or "")


class SessionCodec:
    """Signs and verifies session cookies."""

    def __init__(self, secret_key: str, *, max_age: int, secure: bool) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="pontive.session")
        self.max_age = max_age
        self.secure = secure

    def load(self, request: Request) -> PageSession:
        """The session carried by the request, or a new anonymous one."""
        raw = request.cookies.get(COOKIE_NAME)
        if not raw:
            return PageSession(changed=True)
        try:
            data: dict[str, Any] = self._serializer.loads(raw, max_age=self.max_age)
            return PageSession(uid=data.get("uid"), csrf=data["csrf"], sid=data["sid"])
        except (BadSignature, KeyError, TypeError):
            return PageSession(changed=True)

    def save(self, response: Response, session: PageSession) -> None:
        """Write the cookie when the session changed."""
        if not session.changed:
            return
        value = self._serializer.dumps(
            {"uid": session.uid, "csrf": session.csrf, "sid": session.sid}
        )
        response.set_cookie(
            COOKIE_NAME,
            value,
            max_age=self.max_age,
            httponly=True,
            samesite="lax",
            secure=self.secure,
            path="/",
        )
