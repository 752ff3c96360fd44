"""Adding a file or link to a dataset (``/console/data/<name>/sumber/baru``) and following the
datastore load of a table (``/console/data/<name>/sumber/<resource id>``).

A CSV or XLSX upload is queued for the datastore (``datastore_load.queue_load``) and loaded at
once by ``datastore_load.load_upload`` in a thread of this web process (the worker's job takes
it instead when it claims it first), so the officer sees it happen without waiting; the
page polls ``status.json`` (rows read, bytes read of the total, state) for its progress bar,
then shows "Siap" with the preview, or the validation report (row, column, value, message).
The load is all or nothing: a refused file leaves no partial table."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.datastructures import FormData, UploadFile
from starlette.responses import JSONResponse, RedirectResponse, Response

from pontive.core import permissions
from pontive.core.db import Database
from pontive.core.errors import DomainError, InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.opendata import datastore_load, service
from pontive.opendata.access import PUBLISH
from pontive.opendata.actions import UploadedFile
from pontive.opendata.choices import LoadState
from pontive.opendata.models import Dataset, DatastoreTable, Resource
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

log = logging.getLogger(__name__)
router = PontiveRouter(include_in_schema=False)

CONSOLE = "/console/data"
TABULAR = frozenset({"CSV", "XLSX"})
ACCEPT = ".csv,.xlsx,.json,.geojson,.pdf"


async def _form(request: Request) -> AsyncIterator[FormData]:
    form = await request.form()  # parsed once: the CSRF check read it already
    try:
        yield form
    finally:
        await form.close()  # the spooled upload's temporary file


FormBody = Annotated[FormData, Depends(_form)]


def _page(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    response = render(request, template, context, status_code=status_code)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _publishable(session: DbSession, actor: Actor, name: str) -> Dataset:
    dataset = service.get_dataset(session, name, actor=actor)
    permissions.require(actor, PUBLISH, owner_pd=dataset.owner_org)
    return dataset


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


@router.get(CONSOLE + "/{name}/sumber/baru")
def new_resource_form(
    request: Request, name: str, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    """The form to upload a file or give a link."""
    dataset = _publishable(session, actor, name)
    context = {
        "dataset": dataset,
        "values": {},
        "errors": {},
        "accept": ACCEPT,
        "flash": ok == "created",
    }
    return _page(request, "opendata/console_resource.html", context)


@router.post(CONSOLE + "/{name}/sumber/baru", dependencies=[CsrfChecked])
def add_resource(
    request: Request, name: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Store the file or link; a table starts loading into the datastore."""
    dataset = _publishable(session, actor, name)
    values = {key: _text(form, key) for key in ("name", "description", "url", "format")}
    raw = form.get("berkas")
    upload = None
    if isinstance(raw, UploadFile) and raw.filename:
        upload = UploadedFile(raw.filename, raw.content_type or "", raw.file)
    errors: dict[str, list[str]] = {}
    if upload is None and not values["url"]:
        errors["berkas"] = [_message("odc.res.err.nothing", request)]
    if upload is not None and values["url"]:
        errors["url"] = [_message("odc.res.err.both", request)]
    resource = None
    if not errors:
        data = service.ResourceInput(
            name=values["name"] or (upload.filename if upload else values["url"]),
            url=values["url"],
            description=values["description"],
            format=values["format"].upper(),
        )
        try:
            resource = service.add_resource(
                session,
                actor=actor,
                dataset_id_or_name=dataset.id,
                data=data,
                upload=upload,
                media=request.app.state.media,
            )
        except InvalidInput as error:
            session.rollback()
            errors = dict(error.errors) or {"form": [error.message(get_lang(request))]}
            if "upload" in errors:  # the API's name for the file; the form's is "berkas"
                errors["berkas"] = errors.pop("upload")
        except DomainError as error:
            session.rollback()
            errors = {"form": [error.message(get_lang(request))]}
    if resource is None:
        dataset = _publishable(session, actor, name)
        context = {
            "dataset": dataset,
            "values": values,
            "errors": errors,
            "accept": ACCEPT,
            "flash": False,
        }
        return _page(request, "opendata/console_resource.html", context, status_code=422)
    if upload is not None and resource.format.upper() in TABULAR and resource.storage_key:
        datastore_load.queue_load(session, resource)  # the worker's job loads it otherwise
        session.commit()
        path = request.app.state.media.path(resource.storage_key)
        start_load(request.app.state.database, resource.id, str(path))
    return RedirectResponse(f"{CONSOLE}/{dataset.name}/sumber/{resource.id}", status_code=303)


def _message(key: str, request: Request) -> str:
    from pontive.web.i18n import translate

    return translate(key, get_lang(request))


def start_load(database: Database, resource_id: str, path: str) -> threading.Thread:
    """Load the stored file into the datastore in a thread of this process, unless a worker
    claims the queued load first (``datastore_load.claim`` lets one process have it)."""

    def run() -> None:
        try:
            # load_upload claims the queued load first: a worker that took it keeps it.
            datastore_load.load_upload(database, resource_id, path)
        except Exception:
            log.exception("datastore load of %s failed", resource_id)

    thread = threading.Thread(target=run, name=f"datastore-load-{resource_id[:8]}", daemon=True)
    thread.start()
    return thread


def _resource_of(
    session: DbSession, actor: Actor, name: str, resource_id: str
) -> tuple[Dataset, Resource]:
    dataset = _publishable(session, actor, name)
    resource = service.get_resource(session, resource_id, actor=actor)
    if resource.dataset_id != dataset.id:
        raise NotFound("Sumber data tidak ditemukan.", "Resource not found.")
    return dataset, resource


def load_status(session: DbSession, resource: Resource) -> dict[str, Any]:
    """Where the resource's datastore load is (``state`` ``none`` when it has no table)."""
    session.expire_all()  # the loading thread commits in its own session
    table = session.get(DatastoreTable, resource.id)
    if table is None:
        tabular = resource.storage_key is not None and resource.format.upper() in TABULAR
        return {
            "state": "pending" if tabular else "none",
            "percent": 0,
            "rows_read": 0,
            "bytes_read": 0,
            "bytes_total": None,
        }
    return {
        "state": table.state.value,
        "rows_read": table.rows_read,
        "bytes_read": table.bytes_read,
        "bytes_total": table.bytes_total,
        "row_count": table.row_count,
        "error_count": int((table.report or {}).get("error_count", 0)),
        "percent": _percent(table),
    }


def _percent(table: DatastoreTable) -> int:
    if table.state is LoadState.DONE:
        return 100
    if not table.bytes_total:
        return 0
    return min(99, int(100 * table.bytes_read / table.bytes_total))


@router.get(CONSOLE + "/{name}/sumber/{resource_id}")
def resource_status_page(
    request: Request, name: str, resource_id: str, session: DbSession, actor: CurrentActor
) -> Response:
    """The resource just added: its load's progress, then the preview link or the report."""
    dataset, resource = _resource_of(session, actor, name, resource_id)
    status = load_status(session, resource)
    table = session.get(DatastoreTable, resource.id)
    context = {
        "dataset": dataset,
        "resource": resource,
        "status": status,
        "report": (table.report or {}) if table else {},
        "status_url": f"{CONSOLE}/{dataset.name}/sumber/{resource.id}/status.json",
    }
    return _page(request, "opendata/console_load.html", context)


@router.get(CONSOLE + "/{name}/sumber/{resource_id}/status.json")
def resource_status(
    name: str, resource_id: str, session: DbSession, actor: CurrentActor
) -> Response:
    """The load's progress for the page's script."""
    _dataset, resource = _resource_of(session, actor, name, resource_id)
    response = JSONResponse(load_status(session, resource))
    response.headers["Cache-Control"] = "no-store"
    return response
