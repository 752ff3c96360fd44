"""The CKAN Action API: ``GET|POST /api/3/action/<name>`` and ``/api/action/<name>``, as
``ckanapi`` and other CKAN clients expect it (``/work/shared/specs/ckan.md``).

Every action registered in ``opendata.actions`` is served. Answers are CKAN's envelope
``{"help", "success", "result" | "error"}`` with CKAN's error types and HTTP codes; an unknown
action or unreadable body is a 400 whose body is a JSON string. GET is for side-effect-free
actions only. POST bodies may be JSON, a form, or multipart (files are spooled to disk by the
form parser and handed over as ``UploadedFile``s, never read whole). Callers are identified by
an API key in ``Authorization`` (raw, as CKAN) or ``X-CKAN-API-Key``, a bearer token, or the
portal's signed-in session. Also here: ``GET /api/3`` and the download address of uploaded
files, ``/dataset/<id>/resource/<id>/download/<file name>``.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Annotated, Any

import orjson
from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.responses import FileResponse, JSONResponse, Response

from pontive.core import auth
from pontive.core.errors import (
    DomainError,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from pontive.core.identity import ANONYMOUS, Actor
from pontive.opendata import ckan_catalogue, datastore_actions, service, usage
from pontive.opendata.actions import ActionContext, SearchQueryError, UploadedFile, get_action
from pontive.opendata.choices import UsageKind
from pontive.opendata.models import Resource
from pontive.web.deps import DbSession, get_actor, mark_read_only
from pontive.web.routing import PontiveRouter

log = logging.getLogger(__name__)
router = PontiveRouter(include_in_schema=False)
JSON_TYPE = "application/json;charset=utf-8"
# A JSON body is read whole: records for datastore_upsert come in batches well under this.
MAX_JSON_BYTES = 32 * 1024 * 1024
JSONP_CALLBACK = re.compile(r"[A-Za-z_$][\w$.]{0,99}")
_ = (ckan_catalogue, datastore_actions)  # imported for the actions they register


class _BadRequest(Exception):
    """A request CKAN answers with a bare 400 string."""


# orjson writes a page of records in a tenth of the time of ``json``. Datetimes and
# dataclasses still go to ``str``, as ``json`` with ``default=str`` wrote them.
_ORJSON_OPTIONS = (
    orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)


def _dumps(body: Any) -> bytes:
    try:
        return orjson.dumps(body, default=str, option=_ORJSON_OPTIONS)
    except TypeError:  # an int beyond 64 bits, which orjson refuses: a client's own, echoed
        return json.dumps(body, ensure_ascii=False, default=str).encode()


def _bad_request(message: str) -> Response:
    return Response(_dumps(f"Bad request - {message}"), status_code=400, media_type=JSON_TYPE)


@router.get("/api/3")
@router.get("/api/3/")
def api_version() -> JSONResponse:
    """The API version (CKAN ``/api/3``)."""
    return JSONResponse({"version": 3})


async def _reads_only(request: Request, name: str) -> None:
    # ckanapi POSTs every action: a read action still gets a read session, which never
    # queues behind writers (resolved before the session: see the parameters' order).
    # Async: it does no I/O, so it need not cost a trip to the thread pool.
    found = get_action(name)
    if found is not None and found.side_effect_free:
        mark_read_only(request)


ReadsOnly = Annotated[None, Depends(_reads_only)]


@router.api_route("/api/3/action/{name}", methods=["GET", "POST"])
@router.api_route("/api/action/{name}", methods=["GET", "POST"])
async def ckan_action(
    request: Request, name: str, _reads: ReadsOnly, session: DbSession
) -> Response:
    """Run the CKAN action ``name``."""
    found = get_action(name)
    if found is None:
        return _bad_request(f"Action name not known: {name}")
    form: FormData | None = None
    try:
        if request.method == "GET":
            if not found.side_effect_free:
                raise _BadRequest("Invalid request. Please use POST method for your request")
            data: dict[str, Any] = _mixed(request.query_params.multi_items())
        else:
            form, data = await _body(request)
        data = _decode_json_params(data, found.json_params)
    except _BadRequest as error:
        return _bad_request(f"JSON Error: {error}")
    callback = data.pop("callback", None) if request.method == "GET" else None
    if callback is not None and not JSONP_CALLBACK.fullmatch(str(callback)):
        # Only a function name: anything else would let a link run its own script.
        return _bad_request("JSONP callback must be a JavaScript function name")
    uploads = _uploads(form) if form is not None else {}
    try:
        return await run_in_threadpool(
            _run, request, session, found.name, data, uploads, callback is not None, callback
        )
    finally:
        if form is not None:
            await form.close()


def _run(
    request: Request,
    session: Session,
    name: str,
    data: dict[str, Any],
    uploads: dict[str, UploadedFile],
    anonymous: bool,
    callback: Any,
) -> Response:
    found = get_action(name)
    assert found is not None  # noqa: S101 - looked up by the caller
    help_url = f"{_site(request)}/api/3/action/help_show?name={name}"
    envelope: dict[str, Any] = {"help": help_url}
    try:
        actor = ANONYMOUS if anonymous else _actor(request, session)  # CKAN: JSONP is anonymous
        context = ActionContext(
            session=session,
            actor=actor,
            settings=request.app.state.settings,
            media=request.app.state.media,
            uploads=uploads,
        )
        result = found.function(context, data)
        if found.side_effect_free:
            _count_api_use(session, result, context.shown)
    except SearchQueryError as error:
        session.rollback()
        envelope |= _error(
            "Search Query Error", f"Search Query is invalid: {(error.message_en,)!r}"
        )
        return _respond(envelope, 400)
    except InvalidInput as error:
        session.rollback()
        envelope |= {"success": False, "error": {**error.errors, "__type": "Validation Error"}}
        if not error.errors:
            envelope["error"]["message"] = error.message_en
        return _respond(envelope, 409)
    except NotFound as error:
        session.rollback()
        envelope |= _error("Not Found Error", f"Not found: {error.message_en}")
        return _respond(envelope, 404)
    except (PermissionDenied, NotAuthenticated) as error:
        session.rollback()
        envelope |= _error("Authorization Error", f"Access denied: {error.message_en}")
        return _respond(envelope, 403)
    except DomainError as error:
        session.rollback()
        envelope |= _error("Integrity Error", error.message_en)
        return _respond(envelope, 400)
    envelope |= {"success": True, "result": result}
    if callback is not None:
        body = f"{callback}({_dumps(envelope).decode()});"
        return Response(body, media_type="application/javascript;charset=utf-8")
    return _respond(envelope, 200)


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"success": False, "error": {"__type": kind, "message": message}}


def _respond(envelope: dict[str, Any], status: int) -> Response:
    return Response(_dumps(envelope), status_code=status, media_type=JSON_TYPE)


def _site(request: Request) -> str:
    return str(request.app.state.settings.base_url).rstrip("/")


def _actor(request: Request, session: Session) -> Actor:
    """Who calls: a CKAN API key (raw ``Authorization`` or ``X-CKAN-API-Key``), else what the
    platform recognises (bearer token, ``X-API-Key``, the signed-in session)."""
    header = request.headers.get("authorization", "").strip()
    if header.lower().startswith("bearer "):
        header = ""
    secret = header or request.headers.get("x-ckan-api-key", "").strip()
    if secret:
        actor = auth.resolve_api_key(session=session, secret=secret)
        if actor is None:
            raise PermissionDenied(
                "Kunci API tidak dikenal atau dicabut.", "Unknown or revoked API key."
            )
        return actor.with_request(getattr(request.state, "request_id", None))
    return get_actor(request, session)


def _mixed(items: list[tuple[str, str]]) -> dict[str, Any]:
    """CKAN's reading of a query string or form: one value → text, repeated → list."""
    data: dict[str, Any] = {}
    for key, value in items:
        if key in data:
            previous = data[key]
            data[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            data[key] = value
    return data


async def _body(request: Request) -> tuple[FormData | None, dict[str, Any]]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.form()
        fields = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
        values = [v for _, v in fields]
        if len(fields) == 1 and values[0] in ("1", "") and fields[0][0].startswith("{"):
            return form, _parse_json(fields[0][0])  # CKAN: a JSON body posted as a form key
        return form, _mixed(fields)
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_JSON_BYTES:  # uploads are multipart and streamed to disk instead
            raise _BadRequest(f"Request body larger than {MAX_JSON_BYTES // (1024 * 1024)} MB")
    if not raw.strip():
        return None, {}
    return None, _parse_json(raw.decode("utf-8", errors="replace"))


def _parse_json(text: str) -> dict[str, Any]:
    try:
        decoded = json.loads(text)
    except ValueError as error:
        raise _BadRequest(
            f"Error decoding JSON data. Error: {error!r} "
            f"JSON data extracted from the request: {text[:200]!r}"
        ) from None
    if not isinstance(decoded, dict):
        raise _BadRequest(
            f"Request data JSON decoded to {decoded!r} but it needs to be a dictionary."
        )
    return decoded


def _decode_json_params(data: dict[str, Any], names: frozenset[str]) -> dict[str, Any]:
    """Parameters an action takes as lists or dicts may come as JSON text (GET, forms)."""
    for key in names & data.keys():
        value = data[key]
        if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
            try:
                data[key] = json.loads(value)
            except ValueError:
                raise _BadRequest(f"Could not parse {key} as valid JSON: {value[:100]!r}") from None
    return data


def _uploads(form: FormData) -> dict[str, UploadedFile]:
    return {
        key: UploadedFile(
            filename=value.filename or key,
            content_type=value.content_type or "application/octet-stream",
            file=value.file,
        )
        for key, value in form.multi_items()
        if isinstance(value, UploadFile)
    }


def _count_api_use(session: Session, result: Any, shown: list[tuple[str, str]]) -> None:
    """One ``api`` count for the dataset a read action showed (a dataset, a resource or a
    datastore answer); never fails the request."""
    if not isinstance(result, dict):
        return
    dataset_id, resource_id = None, ""
    if shown:
        dataset_id, resource_id = shown[0]
    elif result.get("type") == "dataset" and "id" in result:
        dataset_id = str(result["id"])
    elif "package_id" in result and "url" in result:
        dataset_id, resource_id = str(result["package_id"]), str(result["id"])
    elif isinstance(result.get("resource_id"), str):
        resource = session.get(Resource, result["resource_id"])
        if resource is not None:
            dataset_id, resource_id = resource.dataset_id, resource.id
    if dataset_id is None:
        return
    usage.count(session, dataset_id=dataset_id, resource_id=resource_id, kind=UsageKind.API)


@router.get("/dataset/{dataset_id}/resource/{resource_id}/download/{filename}")
def download_resource(
    request: Request, dataset_id: str, resource_id: str, filename: str, session: DbSession
) -> Response:
    """An uploaded resource's current file (streamed), counting one download."""
    actor = get_actor(request, session)
    resource = service.get_resource(session, resource_id, actor=actor)
    if resource.dataset_id != dataset_id or not resource.storage_key:
        raise NotFound("Berkas tidak ditemukan.", "File not found.")
    path = request.app.state.media.path(resource.storage_key)
    if not path.exists():
        raise NotFound("Berkas tidak ditemukan.", "File not found.")
    usage.count(session, dataset_id=dataset_id, resource_id=resource_id, kind=UsageKind.DOWNLOAD)
    return FileResponse(
        path,
        media_type=resource.mimetype or "application/octet-stream",
        filename=resource.url or filename,
        headers={"X-Content-Type-Options": "nosniff"},
    )
