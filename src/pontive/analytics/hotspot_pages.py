"""The hotspot map of the console (``/console/analitik/titik-rawan``): the kelurahan or the
hexagon layer coloured by how unusual each cell's reports are, the window and category
filters (a plain GET form), and the table of significant hotspots under the map, sortable
and linking to the complaint queue. Without JavaScript the form and the table still work;
``?bagian=tabel`` answers only the table, which the map's script swaps in when the layer
changes."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query, Request
from starlette.responses import HTMLResponse, Response

from pontive.analytics import access, console
from pontive.analytics.hotspot_data import BASELINE
from pontive.analytics.hotspot_service import (
    DEFAULT_WINDOW,
    WINDOWS,
    HotspotQuery,
    HotspotResult,
    Unit,
    find_hotspots,
    parse_query,
)
from pontive.analytics.hotspot_stats import MIN_COUNT, Q_LEVEL
from pontive.analytics.hotspot_views import SORTS, table_rows
from pontive.complaints import service as complaints
from pontive.core import permissions
from pontive.core.errors import InvalidInput
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
DATA_PATH = "/api/v1/analytics/hotspots.geojson"
Param = Annotated[str, Query(max_length=40)]


def _params(query: HotspotQuery, sort: str, lang: str) -> dict[str, str]:
    values = {
        "unit": query.unit.value,
        "window": query.window,
        "category": query.category or "",
        "ring": "1" if query.ring else "",
        "urut": "" if sort == "ratio" else sort,
    }
    return {k: v for k, v in values.items() if v} | ({"lang": lang} if lang == "en" else {})


def _context(
    session: DbSession,
    lang: str,
    form: dict[str, str],
    result: HotspotResult | None,
    sort: str,
    errors: dict[str, list[str]],
) -> dict[str, Any]:
    categories = sorted(
        ((c.code, c.name(lang)) for c in complaints.list_categories(session)),
        key=lambda item: item[1],
    )
    context: dict[str, Any] = {
        "form": form,
        "errors": errors,
        "windows": list(WINDOWS),
        "units": list(Unit),
        "categories": categories,
        "result": result,
        "sort": sort,
        "sorts": list(SORTS),
        "min_count": MIN_COUNT,
        "q_level": str(Q_LEVEL) if lang == "en" else str(Q_LEVEL).replace(".", ","),
        "baseline_weeks": BASELINE.days // 7,
    }
    if result is None:
        return context
    params = _params(result.query, sort, lang)
    api = {k: v for k, v in params.items() if k not in ("urut", "lang")}
    other = Unit.HEX if result.query.unit is Unit.KELURAHAN else Unit.KELURAHAN
    return context | {
        "rows": table_rows(result, lang, sort),
        "data_url": f"{DATA_PATH}?{urlencode(api | {'lang': lang})}",
        "unit_urls": {
            unit.value: f"{DATA_PATH}?{urlencode(api | {'unit': unit.value, 'lang': lang})}"
            for unit in (result.query.unit, other)
        },
        "sort_urls": {key: f"?{urlencode(params | {'urut': key})}" for key in SORTS},
        "page_query": urlencode(params),
    }


@router.get(access.HOTSPOT_PATH, response_class=HTMLResponse)
def hotspot_page(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    unit: Param = Unit.KELURAHAN.value,
    window: Param = DEFAULT_WINDOW,
    category: Param = "",
    ring: Param = "",
    urut: Param = "ratio",
    bagian: Param = "",
) -> Response:
    """The hotspot map, its filters and the table of significant hotspots."""
    permissions.require(actor, access.VIEW)
    lang = get_lang(request)
    sort = urut if urut in SORTS else "ratio"
    form = {"unit": unit, "window": window, "category": category, "ring": ring}
    try:
        query = parse_query(
            session, unit=unit, window=window, category=category, ring=ring, lang=lang
        )
    except InvalidInput as error:
        context = _context(session, lang, form, None, sort, error.errors)
        return console.page(request, actor, "analytics/hotspot.html", context, status_code=422)
    result = find_hotspots(session, query)
    context = _context(session, lang, form, result, sort, {})
    template = "analytics/_hotspot_table.html" if bagian == "tabel" else "analytics/hotspot.html"
    return console.page(request, actor, template, context)
