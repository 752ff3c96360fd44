"""Plumbing of the participation pages: the per-address limiters, the signed cookie that
remembers a verified person for a while, and small form helpers.

The cookie (``pontive_warga``) holds only the blind index of the contact a person proved,
signed and timestamped with ``PONTIVE_SECRET_KEY``; it lets them support and comment for two
hours without a new code, and expires on its own.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import FormData, UploadFile
from starlette.responses import RedirectResponse, Response

from pontive.core.errors import RateLimited
from pontive.core.ratelimit import SlidingWindowLimiter
from pontive.participation import messages
from pontive.participation.service import (
    ADOPTIONS_PER_HOUR,
    CODES_PER_IP_PER_HOUR,
    COMMENTS_PER_IP_PER_HOUR,
    IDEAS_PER_HOUR,
    REPORTS_PER_HOUR,
    VERIFIED_SECONDS,
)

VERIFIED_COOKIE = "pontive_warga"
HOUR = 3600.0
_QUOTAS = {
    "ideas": IDEAS_PER_HOUR,
    "codes": CODES_PER_IP_PER_HOUR,
    "comments": COMMENTS_PER_IP_PER_HOUR,
    "adoptions": ADOPTIONS_PER_HOUR,
    "reports": REPORTS_PER_HOUR,
}
MAX_PHOTO_BYTES = 12 * 1024 * 1024


def limiter(request: Request, name: str) -> SlidingWindowLimiter:
    """The app's limiter ``name`` (one per process, keyed by client address)."""
    limiters: dict[str, SlidingWindowLimiter] | None = getattr(
        request.app.state, "participation_limiters", None
    )
    if limiters is None:
        limiters = {key: SlidingWindowLimiter(quota, HOUR) for key, quota in _QUOTAS.items()}
        request.app.state.participation_limiters = limiters
    return limiters[name]


def client_address(request: Request) -> str:
    """Who is asking, as far as the limiter is concerned."""
    return request.client.host if request.client else "unknown"


def check_quota(request: Request, name: str) -> None:
    """Count one attempt of ``name`` from this address; ``RateLimited`` beyond the quota."""
    found = limiter(request, name)
    if not found.hit(client_address(request)):
        minutes = int(found.window // 60)
        raise RateLimited(*messages.both("rate", minutes=minutes))


def _serializer(request: Request) -> URLSafeTimedSerializer:
    secret: str = request.app.state.settings.secret_key
    return URLSafeTimedSerializer(secret, salt="pontive.participation.verified")


def verified_index(request: Request) -> str | None:
    """The contact index this browser proved recently, if any."""
    raw = request.cookies.get(VERIFIED_COOKIE)
    if not raw:
        return None
    try:
        data: Any = _serializer(request).loads(raw, max_age=VERIFIED_SECONDS)
    except BadSignature:
        return None
    index = data.get("c") if isinstance(data, dict) else None
    return index if isinstance(index, str) and len(index) == 64 else None


def remember_verified(request: Request, response: Response, index: str) -> None:
    """Remember on this browser that its person proved the contact behind ``index``."""
    response.set_cookie(
        VERIFIED_COOKIE,
        _serializer(request).dumps({"c": index}),
        max_age=VERIFIED_SECONDS,
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.base_url.startswith("https://"),
        path="/",
    )


def text(form: FormData, name: str, limit: int = 20000) -> str:
    """A text field, trimmed and cut at ``limit``."""
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def upload(form: FormData, name: str) -> bytes | None:
    """The bytes of an uploaded file (one byte over the limit lets the photo check refuse)."""
    item = form.get(name)
    if isinstance(item, UploadFile) and item.filename:
        data = item.file.read(MAX_PHOTO_BYTES + 1)
        return data or None
    return None


def with_lang(path: str, lang: str, **query: str) -> str:
    """``path`` with the query, keeping English when the reader chose it."""
    params = dict(query)
    if lang == "en":
        params["lang"] = "en"
    return f"{path}?{urlencode(params)}" if params else path


def redirect(path: str, lang: str, anchor: str = "", **query: str) -> RedirectResponse:
    """Back to a page after a post (303), with what to confirm."""
    target = with_lang(path, lang, **query) + (f"#{anchor}" if anchor else "")
    return RedirectResponse(target, status_code=303)


def no_store(response: Response) -> Response:
    """Never cached: the page carries a form or a private link."""
    response.headers["Cache-Control"] = "private, no-store"
    return response
