"""The JSON API of every registry (``/api/v1/<domain>/<api_slug>``), made from its declaration.

For a registry ``R`` at ``R.api_path``: ``GET`` lists (``q``, ``sort`` (``-`` for
descending), ``page``, ``per_page`` and filters by field name; dates as ``<field>_from`` /
``<field>_to``) as ``{"count", "page", "per_page", "results"}``; ``POST`` adds a row (201,
``Location``); ``GET``/``PATCH``/``DELETE`` ``/{id}`` read, change (only the fields sent) and
delete one; ``GET /{id}/history`` its changes; ``GET R.api_path + ".csv"`` the CSV export;
``POST /import`` a CSV file (``dry_run`` to check only); ``POST /bulk`` sets fields on many
rows. Points are ``lon``/``lat``; lines ``[[lon, lat], ...]``; multi-choices lists.

Public registries answer ``GET`` to anyone with their public fields only; personal fields
appear only with ``?personal=true`` for editors, and that read is audited. Errors are
``{"detail", "errors"}`` as everywhere.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated, Any

from fastapi import Body, File, Form, Query, Request, UploadFile
from starlette.responses import Response

from pontive.core import permissions
from pontive.core.errors import InvalidInput
from pontive.core.identity import Actor
from pontive.core.registry import Kind, Registry, all_registries
from pontive.registry import csvio, store
from pontive.registry.api_schema import history_schema, input_schema, page_schema, row_schema
from pontive.registry.pages_files import csv_response, file_name
from pontive.registry.pages_support import filters_of
from pontive.registry.values import to_json
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

router = PontiveRouter()
MAX_UPLOAD = 10 * 1024 * 1024


def serialize(
    registry: Registry, row: Any, *, public: bool, personal: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A row as the API shows it."""
    data: dict[str, Any] = {"id": row.id}
    for spec in store.visible_fields(registry, public=public):
        if spec.kind is Kind.POINT:
            data["lon"], data["lat"] = getattr(row, "lon", None), getattr(row, "lat", None)
            if hasattr(row, "kelurahan_kode"):
                data["kelurahan_kode"] = row.kelurahan_kode
        elif spec.personal:
            if personal is not None:
                data[spec.name] = personal.get(spec.name)
        else:
            data[spec.name] = to_json(spec, getattr(row, spec.name, None))
    if not public:
        for stamp in ("created_at", "updated_at"):
            value = getattr(row, stamp, None)
            if value is not None:
                data[stamp] = value.isoformat()
    return data


def _doc(schema: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {"application/json": {"schema": schema}}}}


def _public_reader(actor: Actor, registry: Registry) -> bool:
    """Whether ``actor`` reads ``registry`` as the public (it is public and they are not
    allowed the staff view)."""
    if permissions.can(actor, registry.view_action):
        return False
    if registry.public:
        return True
    permissions.require(actor, registry.view_action)  # raises
    return True


def _mount(registry: Registry) -> PontiveRouter:
    # A router per registry: FastAPI prepares an included router's routes on its first
    # request, so a request to one registry never prepares the others'.
    router = PontiveRouter()
    path = registry.api_path
    tag: list[str | Enum] = [registry.domain]
    one = _doc(row_schema(registry))
    body_doc = {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": input_schema(registry),
                    "example": dict(registry.example),
                }
            },
        }
    }
    title = registry.singular[1].lower()

    @router.get(
        path,
        tags=tag,
        summary=f"List {registry.title[1].lower()}",
        responses=_doc(page_schema(registry)),
    )
    def list_rows(
        request: Request,
        session: DbSession,
        actor: CurrentActor,
        q: Annotated[str, Query(max_length=200)] = "",
        sort: Annotated[str, Query(max_length=60)] = "",
        page: Annotated[int, Query(ge=1)] = 1,
        per_page: Annotated[int, Query(ge=1, le=store.MAX_PER_PAGE)] = store.PER_PAGE,
    ) -> dict[str, Any]:
        public = _public_reader(actor, registry)
        result = store.list_rows(
            session,
            registry,
            actor,
            filters=filters_of(registry, request.query_params),
            q=q,
            sort=sort,
            page=page,
            per_page=per_page,
            public=public,
        )
        return {
            "count": result.total,
            "page": result.page,
            "per_page": result.per_page,
            "results": [serialize(registry, row, public=public) for row in result.rows],
        }

    @router.post(
        path,
        tags=tag,
        status_code=201,
        summary=f"Add a {title}",
        responses=one,
        openapi_extra=body_doc,
    )
    def create(
        request: Request,
        response: Response,
        body: Annotated[dict[str, Any], Body()],
        session: DbSession,
        actor: CurrentActor,
    ) -> dict[str, Any]:
        row = store.save_row(session, registry, actor, body, via="api", lang=get_lang(request))
        session.commit()
        response.headers["Location"] = f"{path}/{row.id}"
        return serialize(registry, row, public=False)

    @router.get(path + ".csv", tags=tag, summary=f"{registry.title[1]} as CSV")
    def export_csv(session: DbSession, actor: CurrentActor) -> Response:
        public = _public_reader(actor, registry)
        text = csvio.export(session, registry, actor, public=public)
        session.commit()
        return csv_response(text, file_name(registry, ".csv"))

    @router.post(path + "/import", tags=tag, summary=f"Import {registry.title[1].lower()} (CSV)")
    def import_csv(
        request: Request,
        session: DbSession,
        actor: CurrentActor,
        file: Annotated[UploadFile, File()],
        dry_run: Annotated[bool, Form()] = False,
    ) -> dict[str, Any]:
        data = file.file.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            raise InvalidInput(errors={"file": ["Berkas lebih dari 10 MB / over 10 MB."]})
        result = csvio.import_csv(
            session, registry, actor, data, dry_run=dry_run, lang=get_lang(request)
        )
        if dry_run:
            session.rollback()
        else:
            session.commit()
        return {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "dry_run": result.dry_run,
            "rows": [{"line": ln, "action": act, "id": rid} for ln, act, rid in result.lines],
        }

    @router.post(path + "/bulk", tags=tag, summary=f"Change many {registry.title[1].lower()}")
    def bulk(
        request: Request,
        body: Annotated[dict[str, Any], Body(examples=[{"ids": [1, 2], "values": {}}])],
        session: DbSession,
        actor: CurrentActor,
    ) -> dict[str, Any]:
        ids, values = body.get("ids"), body.get("values")
        if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
            raise InvalidInput(errors={"ids": ["Daftar id / a list of ids."]})
        if not isinstance(values, dict):
            raise InvalidInput(errors={"values": ["Objek kolom / an object of fields."]})
        rows = store.bulk_update(session, registry, actor, ids, values, lang=get_lang(request))
        session.commit()
        return {"updated": [row.id for row in rows]}

    @router.get(path + "/{row_id:int}", tags=tag, summary=f"Read a {title}", responses=one)
    def read(
        row_id: int, session: DbSession, actor: CurrentActor, personal: bool = False
    ) -> dict[str, Any]:
        public = _public_reader(actor, registry)
        row = store.get_row(session, registry, actor, row_id, public=public)
        shown = None
        if personal and not public:
            shown = store.read_personal(session, registry, actor, row)
            session.commit()
        return serialize(registry, row, public=public, personal=shown)

    @router.patch(
        path + "/{row_id:int}",
        tags=tag,
        summary=f"Change a {title}",
        responses=one,
        openapi_extra=body_doc,
    )
    def update(
        request: Request,
        row_id: int,
        body: Annotated[dict[str, Any], Body()],
        session: DbSession,
        actor: CurrentActor,
    ) -> dict[str, Any]:
        row = store.get_row(session, registry, actor, row_id)
        store.save_row(
            session,
            registry,
            actor,
            body,
            row=row,
            partial=True,
            via="api",
            lang=get_lang(request),
        )
        session.commit()
        return serialize(registry, row, public=False)

    @router.delete(path + "/{row_id:int}", tags=tag, status_code=204, summary=f"Delete a {title}")
    def delete(row_id: int, session: DbSession, actor: CurrentActor) -> Response:
        row = store.get_row(session, registry, actor, row_id)
        store.delete_row(session, registry, actor, row, via="api")
        session.commit()
        return Response(status_code=204)

    @router.get(
        path + "/{row_id:int}/history",
        tags=tag,
        summary=f"Changes of a {title}",
        responses=_doc(history_schema()),
    )
    def history(row_id: int, session: DbSession, actor: CurrentActor) -> list[dict[str, Any]]:
        store.get_row(session, registry, actor, row_id)
        return [
            {
                "action": change.action,
                "via": change.via,
                "actor": change.actor,
                "occurred_at": change.occurred_at.isoformat(),
                "changes": json.loads(change.changes),
            }
            for change in store.history(session, registry, actor, row_id)
        ]

    return router


for _registry in all_registries():
    router.include_router(_mount(_registry))
