"""One error handler that answers JSON for APIs and a proper page for people.

API answers are ``{"detail": ..., "errors": {field: [...]}}``; pages are rendered in the
request's language. Unknown paths and methods, validation failures and unexpected errors all
come through here. Standard adapters (Open311, CKAN, SensorThings) install their own handlers
for their path prefixes on top of this one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from pontive.core.errors import DomainError, PermissionDenied
from pontive.web.deps import get_lang
from pontive.web.i18n import translate

log = logging.getLogger(__name__)

_JSON_PREFIXES = ("/api/", "/healthz", "/readyz", "/metrics")
# Adapters register a prefix and a renderer for their standard's error shape.
_ADAPTERS: list[tuple[str, Callable[[Request, int, str, dict[str, list[str]]], Response]]] = []

_STATUS_KEYS = {
    400: "error.bad_request",
    401: "error.not_authenticated",
    403: "error.forbidden",
    404: "error.not_found",
    405: "error.method_not_allowed",
    409: "error.conflict",
    413: "error.too_large",
    422: "error.invalid",
    429: "error.rate_limited",
    503: "error.unavailable",
}


def register_adapter(
    prefix: str, renderer: Callable[[Request, int, str, dict[str, list[str]]], Response]
) -> None:
    """Let a standard adapter render errors under ``prefix`` in its own shape."""
    _ADAPTERS.append((prefix, renderer))


def wants_json(request: Request) -> bool:
    """APIs and clients that do not ask for HTML get JSON."""
    path = request.url.path
    if path.startswith(_JSON_PREFIXES):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _respond(request: Request, status: int, message: str, errors: dict[str, list[str]]) -> Response:
    for prefix, renderer in _ADAPTERS:
        if request.url.path.startswith(prefix):
            return renderer(request, status, message, errors)
    if wants_json(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse({"detail": message, "errors": errors}, status, headers=headers)
    sent_credentials = "authorization" in request.headers or "x-api-key" in request.headers
    if status == 401 and request.method == "GET" and not sent_credentials:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/masuk?next={quote(target, safe='/')}", status_code=303)
    from pontive.web.templating import render  # late: templating imports deps

    return render(
        request,
        "error.html",
        {"status": status, "message": message, "errors": errors},
        status_code=status,
    )


def _field_errors(errors: Sequence[Any]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query")]
        fields.setdefault(".".join(location) or "_", []).append(str(error.get("msg", "")))
    return fields


async def _domain_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, DomainError)  # noqa: S101 - registered for DomainError only
    lang = get_lang(request)
    message = error.message(lang)
    is_page_view = request.method == "GET" and not wants_json(request)
    if isinstance(error, PermissionDenied) and is_page_view and error.is_generic:
        # A person opened a page: say so, rather than "perform this action".
        message = translate("error.forbidden", lang)
    return _respond(request, error.status_code, message, error.errors)


async def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)  # noqa: S101
    lang = get_lang(request)
    return _respond(request, 422, translate("error.invalid", lang), _field_errors(error.errors()))


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)  # noqa: S101
    lang = get_lang(request)
    key = _STATUS_KEYS.get(error.status_code)
    message = translate(key, lang) if key else str(error.detail)
    response = _respond(request, error.status_code, message, {})
    if error.headers:
        response.headers.update(error.headers)
    return response


def is_database_unavailable(error: BaseException) -> bool:
    """Whether ``error`` says the database cannot be reached (not that the request is bad)."""
    if isinstance(error, OperationalError | InterfaceError | PoolTimeout):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


async def _unexpected_error(request: Request, error: Exception) -> Response:
    lang = get_lang(request)
    if is_database_unavailable(error):
        # An outage, not a bug: a clean 503 the client may retry; /readyz says the same.
        # The class only: the error's text carries the statement and its parameters.
        cause = type(getattr(error, "orig", None) or error).__name__
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path, cause)
        response = _respond(request, 503, translate("error.database_unavailable", lang), {})
        response.headers["Retry-After"] = "5"
        return response
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    request_id = getattr(request.state, "request_id", "-")
    message = translate("error.server", lang, request_id=request_id)
    return _respond(request, 500, message, {})


def install_error_handlers(app: FastAPI) -> None:
    """Attach the handlers to ``app``."""
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
