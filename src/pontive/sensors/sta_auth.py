"""Who writes to SensorThings: API keys, bearer tokens, or HTTP Basic credentials of a user.

Reading is public (sensor data is ``publik``), so credentials are only looked at on writes.
Machines send ``Authorization: Bearer pk_…`` or ``X-API-Key: pk_…`` (an API key, see
``pontive apikeys create``) or ``Authorization: Bearer pt_…`` (a user's token);
SensorThings clients such as ``frost-sta-client`` send ``Authorization: Basic`` with a
username and password, verified exactly as the sign-in form does (lockout included).

Argon2 costs about 100 ms per check, and Basic credentials come with every request, so a
successful check is remembered for ``BASIC_CACHE_SECONDS`` under a SHA-256 digest of the
credentials (never the password itself); the user is re-read on each request, so a
deactivated account stops at once. What each actor may write is decided in
``pontive.sensors.service``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import threading
import time

from sqlalchemy.orm import Session
from starlette.requests import Request

from pontive.core import auth
from pontive.core.identity import Actor
from pontive.sensors.sta_errors import StaError

BASIC_CACHE_SECONDS = 60.0
_MAX_CACHED = 1024


class _BasicCache:
    """Recently verified Basic credentials: digest → (user id, expiry)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[int, float]] = {}

    def get(self, key: str) -> int | None:
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[1] <= now:
                self._entries.pop(key, None)
                return None
            return entry[0]

    def put(self, key: str, user_id: int) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._entries) >= _MAX_CACHED:
                self._entries = {k: v for k, v in self._entries.items() if v[1] > now}
            if len(self._entries) < _MAX_CACHED:
                self._entries[key] = (user_id, now + BASIC_CACHE_SECONDS)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_basic_cache = _BasicCache()


def forget_basic_credentials() -> None:
    """Drop every remembered Basic check (tests; after password changes in this process)."""
    _basic_cache.clear()


def _unauthenticated(message: str) -> StaError:
    return StaError(401, message)


def write_actor(request: Request, session: Session) -> Actor:
    """The actor behind a write request's credentials; 401 when there are none or bad ones."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    scheme, value = scheme.lower(), value.strip()
    request_id = getattr(request.state, "request_id", None)
    if scheme == "basic" and value:
        actor = _basic_actor(session, value)
    elif scheme == "bearer" and value:
        actor = _secret_actor(session, value)
    elif (key := request.headers.get("x-api-key", "").strip()) != "":
        actor = _key_actor(session, key)
    else:
        raise _unauthenticated(
            "Authentication required to write: send an API key (Authorization: Bearer or "
            "X-API-Key) or HTTP Basic credentials of a Pontive user."
        )
    return actor.with_request(request_id)


def _key_actor(session: Session, secret: str) -> Actor:
    actor = auth.resolve_api_key(session=session, secret=secret)
    if actor is None:
        raise _unauthenticated("The API key is unknown or revoked.")
    return actor


def _secret_actor(session: Session, secret: str) -> Actor:
    if secret.startswith(auth.KEY_PREFIX):
        return _key_actor(session, secret)
    actor = auth.resolve_token(session=session, secret=secret)
    if actor is None:
        raise _unauthenticated("The bearer token is unknown, expired or revoked.")
    return actor


def _basic_actor(session: Session, encoded: str) -> Actor:
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise _unauthenticated("Malformed Basic credentials.") from None
    username, separator, password = decoded.partition(":")
    if not separator or not username:
        raise _unauthenticated("Malformed Basic credentials: expected username:password.")
    database = str(session.get_bind().engine.url)  # one process may serve several databases
    material = f"{database}\0{username.strip().lower()}\0{password}"
    digest = hashlib.sha256(material.encode()).hexdigest()
    user_id = _basic_cache.get(digest)
    if user_id is not None:
        user = auth.get_active_user(session=session, user_id=user_id)
        if user is not None:
            return auth.actor_for_user(user)
    user = auth.authenticate(session=session, username=username, password=password)
    if user is None:
        raise _unauthenticated("Wrong username or password.")
    _basic_cache.put(digest, user.id)
    return auth.actor_for_user(user)
