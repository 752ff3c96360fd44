"""A resource's preview (``/data/<name>/sumber/<resource id>``): the datastore rows as a table
with a filter per column, free text, sorting by a column's header and pages of 20; a chart
builder (group by one column, sum / average / count another, bars or a line) drawn on the
server; a map of the rows when the table has longitude and latitude; and the downloads (CSV,
JSON, GeoJSON with coordinates, Parquet). Everything works from plain links and forms; the
map alone needs its script. A resource that is not in the datastore shows its download."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from pontive.core.errors import InvalidInput, NotFound
from pontive.opendata import datastore_query, service
from pontive.opendata.actions import SearchQueryError
from pontive.opendata.models import Dataset, Resource
from pontive.opendata.pages_chart import aggregate, render_chart
from pontive.opendata.pages_dataset import resource_download_url
from pontive.opendata.pages_preview import (
    ORDERED_TYPES,
    ROWS_PER_PAGE,
    Preview,
    coordinate_columns,
)
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.pagecache import share_with_anonymous
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)

PUBLIC_SECONDS = 30
CHART_ROWS = 10_000  # rows the chart builder groups (stated under the chart)
MAP_POINTS = 2_000
DOWNLOAD_FORMATS = ("csv", "json", "geojson", "parquet")


def _load(
    session: DbSession, actor: CurrentActor, name: str, resource_id: str
) -> tuple[Dataset, Resource]:
    dataset = service.get_dataset(session, name, actor=actor)
    resource = service.get_resource(session, resource_id, actor=actor)
    if resource.dataset_id != dataset.id:
        raise NotFound("Sumber data tidak ditemukan.", "Resource not found.")
    return dataset, resource


def _fields(session: DbSession, resource: Resource) -> list[dict[str, Any]]:
    table = datastore_query.get_table(session, resource)
    return [f for f in table.fields if not f["id"].startswith("_")]


def _chart(
    session: DbSession, resource: Resource, view: Preview, types: dict[str, str], lang: str
) -> dict[str, Any] | None:
    if not view.x or (view.how != "count" and not view.y):
        return None
    params = view.datastore_params(limit=CHART_ROWS, offset=0)
    params["fields"] = [c for c in dict.fromkeys((view.x, view.y)) if c]
    params.pop("sort", None)
    result = datastore_query.search(session, resource, params)
    points = aggregate(
        result["records"], view.x, view.y, view.how, ordered=types.get(view.x) in ORDERED_TYPES
    )
    return {
        "svg": render_chart(points, view.kind, lang),
        "points": points,
        "rows": min(result.get("total", len(result["records"])), CHART_ROWS),
        "capped": result.get("total", 0) > CHART_ROWS,
    }


def _downloads(resource: Resource, has_points: bool) -> list[tuple[str, str]]:
    """The whole table in each format (GeoJSON only when rows have coordinates)."""
    formats = [f for f in DOWNLOAD_FORMATS if f != "geojson" or has_points]
    return [(f, f"/datastore/dump/{resource.id}?format={f}") for f in formats]


def _default_chart(view: Preview, fields: list[dict[str, Any]]) -> Preview:
    """A first chart to show: the first date or text column against the first number."""
    numbers = [f["id"] for f in fields if f["type"] in ("int", "numeric")]
    groups = [f["id"] for f in fields if f["type"] in ("date", "text")]
    if not groups:
        return view
    if not numbers:
        return replace(view, x=groups[0], how="count")
    kind = "line" if next(f["type"] for f in fields if f["id"] == groups[0]) == "date" else "bar"
    return replace(view, x=groups[0], y=numbers[0], how="avg", kind=kind)


def _has_blanks(request: Request) -> bool:
    return any(
        not value.strip() and (key.startswith("f.") or key == "q")
        for key, value in request.query_params.multi_items()
    )


def _points_url(path: str, view: Preview) -> str:
    query = urlencode(view.filter_pairs())
    return f"{path}/titik.json" + (f"?{query}" if query else "")


@router.get("/data/{name}/sumber/{resource_id}")
def resource_page(
    request: Request, name: str, resource_id: str, session: DbSession, actor: CurrentActor
) -> Response:
    """The table, chart and map of one resource, or its download when it has no table."""
    lang = get_lang(request)
    dataset, resource = _load(session, actor, name, resource_id)
    context: dict[str, Any] = {
        "dataset": dataset,
        "resource": resource,
        "download": resource_download_url(dataset, resource),
    }
    if not resource.datastore_active:
        response = render(request, "opendata/resource.html", context)
        return share_with_anonymous(actor, response, PUBLIC_SECONDS)
    fields = _fields(session, resource)
    columns = tuple(f["id"] for f in fields)
    types = {f["id"]: f["type"] for f in fields}
    view = Preview.from_query(request.url.path, columns, request.query_params)
    if _has_blanks(request):  # the filter form sends every column: keep the address short
        return RedirectResponse(view.url(), status_code=303)
    if view.tab == "grafik" and not view.x:
        view = _default_chart(view, fields)
    coordinates = coordinate_columns(fields)
    try:
        result = datastore_query.search(session, resource, view.datastore_params())
        chart = _chart(session, resource, view, types, lang) if view.tab == "grafik" else None
        error = None
    except (SearchQueryError, InvalidInput) as refused:
        result, chart, error = {"records": [], "total": 0}, None, refused.message(lang)
    total = int(result.get("total", 0))
    last = max(1, -(-total // ROWS_PER_PAGE))
    context |= {
        "fields": fields,
        "types": types,
        "numeric": [f["id"] for f in fields if f["type"] in ("int", "numeric")],
        "records": result["records"],
        "total": total,
        "view": view,
        "error": error,
        "chart": chart,
        "coordinates": coordinates,
        "downloads": _downloads(resource, coordinates is not None),
        "pages": {
            "current": view.page,
            "last": last,
            "previous": view.url(page=view.page - 1) if view.page > 1 else None,
            "next": view.url(page=view.page + 1) if view.page < last else None,
        },
        "points_url": _points_url(request.url.path, view),
    }
    response = render(request, "opendata/resource.html", context)
    return share_with_anonymous(actor, response, PUBLIC_SECONDS)


@router.get("/data/{name}/sumber/{resource_id}/titik.json")
def resource_points(
    request: Request, name: str, resource_id: str, session: DbSession, actor: CurrentActor
) -> Response:
    """The rows with coordinates (filtered as the page is) for the map: ``{items, total}``."""
    _dataset, resource = _load(session, actor, name, resource_id)
    fields = _fields(session, resource) if resource.datastore_active else []
    coordinates = coordinate_columns(fields)
    if coordinates is None:
        return JSONResponse({"items": [], "total": 0})
    columns = tuple(f["id"] for f in fields)
    view = Preview.from_query(request.url.path, columns, request.query_params)
    result = datastore_query.search(
        session, resource, view.datastore_params(limit=MAP_POINTS, offset=0)
    )
    lon, lat = coordinates
    label_columns = [c for c in columns if c not in coordinates][:3]
    items = [
        {
            "lon": float(row[lon]),
            "lat": float(row[lat]),
            "label": " · ".join(str(row[c]) for c in label_columns if row.get(c) not in (None, "")),
        }
        for row in result["records"]
        if row.get(lon) is not None and row.get(lat) is not None
    ]
    response = JSONResponse({"items": items, "total": int(result.get("total", len(items)))})
    return share_with_anonymous(actor, response, PUBLIC_SECONDS)
