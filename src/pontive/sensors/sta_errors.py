"""SensorThings errors in FROST-Server's shape: ``{"code": 400, "type": "error", "message": …}``.

FROST-Server (the reference implementation) answers every failure with that JSON object
(``Service.errorResponse``), so SensorThings clients read ``message`` from it. Messages here
are English and precise (machine clients, logs); the platform's bilingual messages of
domain errors are rendered in English too. ``render_error`` is registered with
``pontive.web.errors`` for everything under ``/sta/`` that does not reach our dispatcher
(unknown versions, methods, unexpected errors).
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus

import orjson
from starlette.requests import Request
from starlette.responses import Response

from pontive.core.errors import DomainError

JSON = "application/json"
REALM = 'Basic realm="Pontive SensorThings"'


class StaError(DomainError):
    """A SensorThings failure with its HTTP ``status`` and an English message.

    A ``DomainError``, so it renders properly wherever it surfaces (the console calls the
    same service); under ``/sta/`` it becomes the FROST-style error body.
    """

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message, message)
        self.status_code = status


def bad_request(message: str) -> StaError:
    """A 400 Bad Request with ``message``."""
    return StaError(400, message)


def not_found(message: str = "Nothing found.") -> StaError:
    """A 404 Not Found (the wording FROST uses when a path leads nowhere)."""
    return StaError(404, message)


def error_response(status: int, message: str) -> Response:
    """The SensorThings error response; a 401 also names the Basic realm (RFC 7617)."""
    body = orjson.dumps({"code": status, "type": "error", "message": message})
    headers = {"WWW-Authenticate": REALM} if status == 401 else None
    return Response(body, status_code=status, media_type=JSON, headers=headers)


def domain_message(error: DomainError) -> str:
    """A domain error in one English line, field errors included (``field: text``)."""
    details = [f"{field}: {text}" for field, texts in error.errors.items() for text in texts]
    if not details:
        return error.message_en
    return f"{error.message_en} " + "; ".join(details)


def from_domain(error: DomainError) -> Response:
    """A domain error (``NotFound``, ``InvalidInput``…) as a SensorThings error.

    ``InvalidInput`` is 422 on the native API; SensorThings clients expect 400 for a bad
    entity (FROST ``Capability2Tests.createInvalidEntities``).
    """
    status = 400 if error.status_code == 422 else error.status_code
    return error_response(status, domain_message(error))


_FALLBACK: Mapping[int, str] = {
    404: "Not a valid SensorThings path: the service root is /sta/v1.1.",
    405: "Method not allowed on this path.",
    413: "The request body is too large (at most 25 MB).",
    500: "Internal server error; the event was logged.",
}


def render_error(
    request: Request, status: int, message: str, errors: dict[str, list[str]]
) -> Response:
    """Errors raised outside our dispatcher, under ``/sta/``, in the SensorThings shape.

    Routing's 404/405, the body limit's 413 and unexpected 500s get fixed English wording;
    other messages (a ``StaError`` raised in a dependency) are kept.
    """
    text = _FALLBACK.get(status) or message or HTTPStatus(status).phrase
    if status == 500:
        text = f"{text} Request id: {getattr(request.state, 'request_id', '-')}."
    details = [f"{field}: {item}" for field, items in errors.items() for item in items]
    if details:
        text = f"{text} " + "; ".join(details)
    return error_response(status, text)
