"""The platform's one pure-ASGI layer, outermost around the application.

For every request: a request id, security headers, the session and language cookies, metrics
and the access log. It also answers ``/healthz`` itself (liveness must not depend on the
framework) and serves public pages from the micro-cache (``web/pagecache.py``). Pure ASGI
keeps the per-request cost small; ``bench/http.py`` measures it against a bare app.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import uuid
from typing import TYPE_CHECKING

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pontive.core.logging import request_id_var
from pontive.web.i18n import LANG_COOKIE, pick_language
from pontive.web.pagecache import CachedPage, PageCache, cacheable_seconds
from pontive.web.session import COOKIE_NAME

if TYPE_CHECKING:
    from pontive.web.metrics import HttpMetrics
    from pontive.web.session import SessionCodec

log = logging.getLogger("pontive.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
_LANG_QUERY = re.compile(rb"(?:^|&)lang=(id|en)(?:&|$)")
_LANG_COOKIE = re.compile(rb"(?:^|;\s*)" + LANG_COOKIE.encode() + rb"=(id|en)\b")
_SESSION_COOKIE = COOKIE_NAME.encode() + b"="
_HEALTHY = b'{"status":"ok"}'
_HEALTHY_HEADERS = (
    (b"content-type", b"application/json"),
    (b"content-length", str(len(_HEALTHY)).encode()),
    (b"cache-control", b"no-store"),
)


class PlatformMiddleware:
    """Wraps every HTTP request of the app."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: HttpMetrics,
        codec: SessionCodec,
        content_security_policy: str,
        page_cache: PageCache | None = None,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.codec = codec
        self.page_cache = page_cache
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
        started = time.perf_counter()
        request_id, credentials, cookies, accept_language = _read_headers(scope["headers"])
        scope.setdefault("state", {})["request_id"] = request_id
        method, path = scope["method"], scope["path"]
        if path == "/healthz" and method in ("GET", "HEAD"):
            await self._replay(scope, send, 200, _HEALTHY_HEADERS, _HEALTHY, request_id)
            self.metrics.observe(method, "/healthz", 200, time.perf_counter() - started)
            return
        cache_key = None
        running: asyncio.Event | None = None  # set when this request renders for others
        if (
            self.page_cache is not None
            and method == "GET"
            and not credentials
            and _SESSION_COOKIE not in cookies
        ):
            cache_key = (path, scope["query_string"], _language(scope, cookies, accept_language))
            page = self.page_cache.get(cache_key)
            if page is None:
                running, leading = self.page_cache.lead(cache_key)
                if not leading:  # another request renders this very page: share its copy
                    await running.wait()
                    page = self.page_cache.get(cache_key)
                    running = None
            if page is not None:
                await self._replay(
                    scope, send, page.status, page.headers_now(), page.body, request_id
                )
                self._finish(method, path, page.route, page.status, started)
                return
        token = request_id_var.set(request_id)
        try:
            await self._forward(scope, receive, send, request_id, cache_key, started, running)
        finally:
            request_id_var.reset(token)
            self._release(cache_key, running)

    async def _forward(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        request_id: str,
        cache_key: tuple[str, bytes, str] | None,
        started: float,
        running: asyncio.Event | None = None,
    ) -> None:
        status = 500
        capture: tuple[int, list[tuple[bytes, bytes]], list[bytes], int] | None = None

        async def send_decorated(message: Message) -> None:
            nonlocal status, capture
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                if cache_key is not None and status == 200:
                    seconds = cacheable_seconds(headers)
                    if seconds > 0:
                        # A copy: the platform's own headers are added per request below.
                        capture = (status, list(headers), [], seconds)
                if capture is None:  # not shareable (an event stream, an error)
                    self._release(cache_key, running)
                message["headers"] = headers
                self._decorate(scope, message, request_id)
            elif message["type"] == "http.response.body" and capture is not None:
                capture[2].append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._store(scope, cache_key, capture)
                    self._release(cache_key, running)  # the waiters replay the copy
            await send(message)

        try:
            await self.app(scope, receive, send_decorated)
        finally:
            route = getattr(scope.get("route"), "path", None) or "<unmatched>"
            self._finish(scope["method"], scope["path"], route, status, started)

    def _release(
        self, cache_key: tuple[str, bytes, str] | None, running: asyncio.Event | None
    ) -> None:
        if running is not None and cache_key is not None and self.page_cache is not None:
            self.page_cache.release(cache_key, running)

    def _store(
        self,
        scope: Scope,
        cache_key: tuple[str, bytes, str] | None,
        capture: tuple[int, list[tuple[bytes, bytes]], list[bytes], int],
    ) -> None:
        if self.page_cache is None or cache_key is None:
            return
        status, headers, chunks, seconds = capture
        route = getattr(scope.get("route"), "path", None) or scope["path"]
        now = time.monotonic()
        self.page_cache.put(
            cache_key,
            CachedPage(status, tuple(headers), b"".join(chunks), route, now, now + seconds),
        )

    async def _replay(
        self,
        scope: Scope,
        send: Send,
        status: int,
        headers: tuple[tuple[bytes, bytes], ...] | list[tuple[bytes, bytes]],
        body: bytes,
        request_id: str,
    ) -> None:
        start: Message = {"type": "http.response.start", "status": status, "headers": list(headers)}
        self._decorate(scope, start, request_id)
        await send(start)
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )

    def _finish(self, method: str, path: str, route: str, status: int, started: float) -> None:
        elapsed = time.perf_counter() - started
        self.metrics.observe(method, route, status, elapsed)
        if path not in _QUIET_PATHS or status >= 500:
            log.info(
                "%s %s %s",
                method,
                path,
                status,
                extra={"route": route, "status": status, "duration_ms": round(elapsed * 1000, 2)},
            )

    def _decorate(self, scope: Scope, message: Message, request_id: str) -> None:
        raw: list[tuple[bytes, bytes]] = message["headers"]
        raw.append((b"x-request-id", request_id.encode()))
        raw.extend(self.security_headers)
        if scope.get("scheme") == "https":
            raw.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
        page_session = scope["state"].get("page_session")
        asked_lang = _LANG_QUERY.search(scope.get("query_string", b""))
        if (page_session is None or not page_session.changed) and asked_lang is None:
            return
        cookies = Response()
        if page_session is not None:
            self.codec.save(cookies, page_session)
        if asked_lang is not None:
            cookies.set_cookie(
                LANG_COOKIE, asked_lang.group(1).decode(), max_age=365 * 24 * 3600, samesite="lax"
            )
        raw.extend((k, v) for k, v in cookies.raw_headers if k == b"set-cookie")


def _read_headers(headers: list[tuple[bytes, bytes]]) -> tuple[str, bool, bytes, bytes]:
    """Request id, whether credentials were sent, the cookie and accept-language headers."""
    request_id = None
    credentials = False
    cookies = accept_language = b""
    for name, value in headers:
        if name == b"cookie":
            cookies = value
        elif name == b"accept-language":
            accept_language = value
        elif name in (b"authorization", b"x-api-key"):
            credentials = True
        elif name == b"x-request-id":
            candidate = value.decode("latin-1")
            if _REQUEST_ID.match(candidate):
                request_id = candidate
    return request_id or uuid.uuid4().hex, credentials, cookies, accept_language


def _language(scope: Scope, cookies: bytes, accept_language: bytes) -> str:
    asked = _LANG_QUERY.search(scope.get("query_string", b""))
    remembered = _LANG_COOKIE.search(cookies)
    return pick_language(
        asked.group(1).decode() if asked else None,
        remembered.group(1).decode() if remembered else None,
        accept_language.decode("latin-1"),
    )
