"""Datastore downloads at CKAN's dump path: ``GET /datastore/dump/{resource_id}``.

``?format=csv|tsv|json|geojson|parquet`` (default csv) with the ``datastore_search`` choices
``q``, ``filters``, ``fields``, ``sort``, ``limit``, ``offset``; the body is streamed
(``datastore_export``). The resource must be visible to the caller (404 otherwise); each
download is counted (``UsageKind.DOWNLOAD``, never who).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Query
from sqlalchemy.orm import Session
from starlette.responses import StreamingResponse

from pontive.core.errors import NotFound
from pontive.opendata import datastore_export, usage
from pontive.opendata.access import require_visible
from pontive.opendata.choices import DatasetState, UsageKind
from pontive.opendata.datastore_query import get_table
from pontive.opendata.models import Resource
from pontive.web.deps import CurrentActor, DbSession
from pontive.web.routing import PontiveRouter

log = logging.getLogger(__name__)
router = PontiveRouter(include_in_schema=False)

Text = Annotated[str | None, Query(max_length=4000)]


@router.get("/datastore/dump/{resource_id}")
def dump(
    resource_id: str,
    session: DbSession,
    actor: CurrentActor,
    format: Annotated[str, Query(max_length=10)] = "csv",  # CKAN's parameter name
    q: Text = None,
    filters: Text = None,
    fields: Text = None,
    sort: Text = None,
    limit: Annotated[int | None, Query(ge=0)] = None,
    offset: Annotated[int | None, Query(ge=0)] = None,
) -> StreamingResponse:
    """A resource's datastore table as a file."""
    resource = session.get(Resource, resource_id)
    if resource is None or resource.state is DatasetState.DELETED:
        raise NotFound("Sumber daya tidak ditemukan.", "Resource not found.")
    require_visible(actor, resource.dataset)
    table = get_table(session, resource)
    file_format = datastore_export.check_format(table, format)
    params: dict[str, Any] = {"q": q, "filters": filters, "fields": fields, "sort": sort}
    params.update(limit=limit, offset=offset)
    columns, chunks = datastore_export.iter_rows(session, table, params)
    _count_download(session, resource)  # after the filters and sort were validated
    body = datastore_export.write(file_format, columns, chunks)
    first = next(body)
    media_type, extension = datastore_export.FORMATS[file_format]
    headers = {"Content-Disposition": f'attachment; filename="{resource.id}.{extension}"'}

    def stream() -> Iterator[bytes]:
        yield first
        yield from body

    return StreamingResponse(stream(), media_type=media_type, headers=headers)


def _count_download(session: Session, resource: Resource) -> None:
    usage.count(
        session, dataset_id=resource.dataset_id, resource_id=resource.id, kind=UsageKind.DOWNLOAD
    )
