"""JSON routes of the hotspot part: ``/api/v1/analytics/hotspots.geojson``.

Staff who may see analytics get every cell with its counts, ``p`` and ``q``, first and last
report and a link to the queue; everyone else gets the public form (the significant cells
only, counts and ratios, nothing finer than the cell), which is what the situation room
shows. Public answers are shared briefly with other anonymous visitors.
"""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import Query, Request
from starlette.responses import Response

from pontive.analytics import access
from pontive.analytics.hotspot_service import DEFAULT_WINDOW, Unit, find_hotspots, parse_query
from pontive.analytics.hotspot_views import feature_collection
from pontive.core import permissions
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.pagecache import share_with_anonymous
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix="/api/v1/analytics", tags=["analytics"])
PUBLIC_SECONDS = 60
GEOJSON = "application/geo+json"


@router.get(
    "/hotspots.geojson",
    response_class=Response,
    responses={200: {"content": {GEOJSON: {}}}, 422: {"description": "A bad parameter"}},
)
def read_hotspots(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    unit: Annotated[
        str, Query(max_length=20, description="`kelurahan` or `hex` (500 m hexagons)")
    ] = Unit.KELURAHAN.value,
    window: Annotated[
        str, Query(max_length=10, description="`24h`, `7d` or `30d`")
    ] = DEFAULT_WINDOW,
    category: Annotated[
        str, Query(max_length=40, description="A complaint category code; empty: all")
    ] = "",
    ring: Annotated[
        str, Query(max_length=2, description="`1`: each hexagon with its six neighbours")
    ] = "0",
) -> Response:
    """Complaint hotspots as GeoJSON: each cell's count in the window against its usual rate
    (12 weeks before), with Benjamini-Hochberg ``q``; public callers get significant cells."""
    lang = get_lang(request)
    query = parse_query(session, unit=unit, window=window, category=category, ring=ring, lang=lang)
    is_staff = permissions.can(actor, access.VIEW)
    collection = feature_collection(find_hotspots(session, query), lang=lang, public=not is_staff)
    response = Response(orjson.dumps(collection), media_type=GEOJSON)
    return share_with_anonymous(actor, response, PUBLIC_SECONDS)
