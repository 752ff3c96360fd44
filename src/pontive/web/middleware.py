"""One pure-ASGI middleware for every request: request id, security headers, cookies, metrics
and the access log. Pure ASGI (not BaseHTTPMiddleware) keeps the per-request cost small; see
``bench/http.py``.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import TYPE_CHECKING

from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pontive.core.logging import request_id_var
from pontive.web.i18n import LANG_COOKIE, LANGUAGES

if TYPE_CHECKING:
    from pontive.web.metrics import HttpMetrics
    from pontive.web.session import SessionCodec

log = logging.getLogger("pontive.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
_LANG_QUERY = re.compile(rb"(?:^|&)lang=(id|en)(?:&|$)")


class PlatformMiddleware:
    """Wraps every HTTP request of the app."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: HttpMetrics,
        codec: SessionCodec,
        content_security_policy: str,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.codec = codec
        self.security_headers = [
            (b"content-security-policy", content_security_policy.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"permissions-policy", b"geolocation=(self), camera=(self), microphone=()"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                self._decorate(scope, message, request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path", None) or "<unmatched>"
            self.metrics.observe(scope["method"], template, status, elapsed)
            if scope["path"] not in _QUIET_PATHS or status >= 500:
                log.info(
                    "%s %s %s",
                    scope["method"],
                    scope["path"],
                    status,
                    extra={
                        "route": template,
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 2),
                    },
                )
            request_id_var.reset(token)

    def _decorate(self, scope: Scope, message: Message, request_id: str) -> None:
        headers = MutableHeaders(scope=message)
        headers["x-request-id"] = request_id
        raw = message["headers"]
        raw.extend(self.security_headers)
        if scope.get("scheme") == "https":
            raw.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
        cookies = Response()
        page_session = scope["state"].get("page_session")
        if page_session is not None:
            self.codec.save(cookies, page_session)
        if match := _LANG_QUERY.search(scope.get("query_string", b"")):
            lang = match.group(1).decode()
            if lang in LANGUAGES:
                cookies.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
        raw.extend((k, v) for k, v in cookies.raw_headers if k == b"set-cookie")


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            candidate: str = value.decode("latin-1")
            if _REQUEST_ID.match(candidate):
                return candidate
            break
    return uuid.uuid4().hex
