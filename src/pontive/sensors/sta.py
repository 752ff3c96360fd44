"""OGC SensorThings API 1.1 (18-088) at ``/sta/v1.1``: Sensing core, filtering, create-
update-delete and data arrays (conformance classes A.1, A.2, A.3, A.6).

One route takes every path under the service root, because SensorThings resource paths
(``Datastreams(1)/Observations(5)/FeatureOfInterest``) nest to any depth: the path is
parsed (``sta_paths``), resolved against the database (``sta_resolve``) and answered by
``sta_read`` (GET) or ``sta_write`` (POST, PATCH, PUT, DELETE). Reading is public; writing
needs an API key, a token or HTTP Basic credentials (``sta_auth``), and the service
decides what each may write. Every failure answers in FROST-Server's error shape
(``sta_errors``), in English, with the status codes of the standard. Absolute URLs start at
``PONTIVE_BASE_URL`` when it is set, else at the address the request came to.
"""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from pontive.core.errors import DomainError
from pontive.core.identity import Actor
from pontive.sensors import sta_read, sta_write
from pontive.sensors.sta_auth import write_actor
from pontive.sensors.sta_errors import JSON, StaError, from_domain, render_error
from pontive.sensors.sta_paths import CREATE_OBSERVATIONS, ResourcePath, parse_path
from pontive.sensors.sta_root import service_document
from pontive.sensors.sta_serialize import self_link
from pontive.settings import Settings
from pontive.web.deps import DbSession
from pontive.web.errors import register_adapter
from pontive.web.routing import PontiveRouter

PREFIX = "/sta/v1.1"
METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"]

# Bodies over 25 MB (FROST's maxDataSize) are refused with 413 before they are read whole.
router = PontiveRouter(
    prefix=PREFIX, include_in_schema=False, max_body_size=sta_write.MAX_BODY_BYTES
)
register_adapter("/sta/", render_error)


def service_root(request: Request) -> str:
    """The absolute service root URL (``PONTIVE_BASE_URL`` when set explicitly)."""
    settings: Settings = request.app.state.settings
    if "base_url" in settings.model_fields_set:
        base = settings.base_url.rstrip("/")
    else:
        base = str(request.base_url).rstrip("/")
    return f"{base}{PREFIX}"


async def read_body(request: Request) -> bytes:
    """The request body (writes only; reads and deletes have none)."""
    if request.method in ("GET", "HEAD", "DELETE"):
        return b""
    return await request.body()


Body = Annotated[bytes, Depends(read_body)]


def json_response(
    document: object, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """Serialise once with orjson and answer the bytes."""
    return Response(orjson.dumps(document), status_code=status, media_type=JSON, headers=headers)


@router.api_route("", methods=METHODS)
@router.api_route("/{path:path}", methods=METHODS)
def sensorthings(request: Request, session: DbSession, body: Body, path: str = "") -> Response:
    """Every SensorThings request: parse, resolve, answer; errors in the SensorThings shape."""
    try:
        root = service_root(request)
        if path.strip("/") == CREATE_OBSERVATIONS:
            return _write(request, session, root, None, body)
        parsed = parse_path(path)
        if request.method != "GET":
            return _write(request, session, root, parsed, body)
        if not parsed.steps:
            settings: Settings = request.app.state.settings
            return json_response(service_document(root, mqtt_url=settings.mqtt_url))
        url = f"{root}/{path.strip('/')}"
        return sta_read.read(session, parsed, request.query_params.multi_items(), root, url)
    except DomainError as error:
        return from_domain(error)


def _write(
    request: Request, session: Session, root: str, parsed: ResourcePath | None, body: bytes
) -> Response:
    """A write inside a savepoint: on failure nothing of it remains (deep insert: all or
    nothing, 18-088 10.2); the service commits on success."""
    if parsed is not None and not parsed.steps:
        raise StaError(405, "The service root is read-only.")
    if parsed is None and request.method != "POST":
        raise StaError(405, "CreateObservations accepts POST only.")
    actor = write_actor(request, session)  # may commit (sign-in bookkeeping) before we begin
    savepoint = session.begin_nested()
    try:
        if parsed is None:
            return _create_observations(request, session, actor, root, body)
        return _change(request, session, actor, root, parsed, body)
    except DomainError:
        if savepoint.is_active:
            savepoint.rollback()
        raise


def _change(
    request: Request, session: Session, actor: Actor, root: str, parsed: ResourcePath, body: bytes
) -> Response:
    content_type = request.headers.get("content-type", "")
    if request.method == "POST":
        created = sta_write.create(session, actor, parsed, sta_write.load_json(body, content_type))
        document = sta_read.read_entity(session, created.entity_set, created.id, root)
        location = self_link(root, created.entity_set, created.id)
        return json_response(document, 201, {"Location": location})
    if request.method == "DELETE":
        sta_write.delete(session, actor, parsed)
        return Response(status_code=200)
    return _update(request, session, actor, parsed, body, root)


def _update(
    request: Request, session: Session, actor: Actor, parsed: ResourcePath, body: bytes, root: str
) -> Response:
    resolved = sta_write.update(
        session,
        actor,
        parsed,
        method=request.method,
        body=body,
        content_type=request.headers.get("content-type", ""),
    )
    assert resolved.entity_id is not None  # noqa: S101 - updates address one entity
    document = sta_read.read_entity(session, resolved.entity_set, resolved.entity_id, root)
    return json_response(document)


def _create_observations(
    request: Request, session: Session, actor: Actor, root: str, body: bytes
) -> Response:
    document = sta_write.load_json(body, request.headers.get("content-type", ""))
    return json_response(sta_write.create_observations(session, actor, root, document), 201)
