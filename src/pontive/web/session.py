"""Signed-cookie sessions for pages, with a CSRF token in every session.

The cookie holds only the user id, the user's session generation, a session id and a CSRF
token (plus, between the password and the one-time code, the pending user and a deadline),
signed with ``PONTIVE_SECRET_KEY`` and timestamped. It is rotated (new ``sid`` and CSRF token)
on sign-in, sign-out, completion of the second step and password change, so a session fixed
before any of them is worthless after it. The generation is compared with the user's on every
request (``web/deps.py``): bumping it (sign-out, password change) voids every older cookie.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

COOKIE_NAME = "pontive_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
# How long the second step may wait for its code after the password was right.
PENDING_SECONDS = 5 * 60


@dataclass
class PageSession:
    """The decoded session of one request; ``changed`` asks the response to re-send it."""

    uid: int | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    sid: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    gen: int = 0
    # Password accepted, one-time code awaited: who, and until when (Unix seconds).
    pending_uid: int | None = None
    pending_until: int = 0
    changed: bool = False

    def rotate(self, uid: int | None, *, gen: int = 0) -> None:
        """Start a fresh session (sign-in, sign-out, password change)."""
        self.uid = uid
        self.gen = gen
        self.pending_uid = None
        self.pending_until = 0
        self.csrf = secrets.token_urlsafe(24)
        self.sid = secrets.token_urlsafe(12)
        self.changed = True

    def await_second_step(self, uid: int, *, now: float | None = None) -> None:
        """The password was right: not signed in, waiting for the code (fresh session)."""
        self.rotate(None)
        self.pending_uid = uid
        self.pending_until = int((now if now is not None else time.time()) + PENDING_SECONDS)

    def pending_user(self, *, now: float | None = None) -> int | None:
        """The user awaiting the second step, unless the wait has expired."""
        moment = now if now is not None else time.time()
        if self.pending_uid is None or moment > self.pending_until:
            return None
        return self.pending_uid

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
            return PageSession(
                uid=data.get("uid"),
                csrf=data["csrf"],
                sid=data["sid"],
                gen=int(data.get("gen", 0)),
                pending_uid=data.get("puid"),
                pending_until=int(data.get("puntil", 0)),
            )
        except (BadSignature, KeyError, TypeError, ValueError):
            return PageSession(changed=True)

    def dumps(self, session: PageSession) -> str:
        """The signed cookie value of ``session``."""
        data: dict[str, Any] = {"uid": session.uid, "csrf": session.csrf, "sid": session.sid}
        if session.uid is not None:
            data["gen"] = session.gen
        if session.pending_uid is not None:
            data["puid"] = session.pending_uid
            data["puntil"] = session.pending_until
        return self._serializer.dumps(data)

    def save(self, response: Response, session: PageSession) -> None:
        """Write the cookie when the session changed."""
        if not session.changed:
            return
        response.set_cookie(
            COOKIE_NAME,
            self.dumps(session),
            max_age=self.max_age,
            httponly=True,
            samesite="lax",
            secure=self.secure,
            path="/",
        )
