"""The infrastructure's own console pages: the map (``/console/aset/peta``) and the summary
(``/console/aset/ringkasan``). The registries' lists, forms and histories are the platform's
generic pages; these add what a list cannot show, under the same area navigation. Every
staff role reads them.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query, Request
from starlette.responses import HTMLResponse, Response

from pontive.assets import infra_map, infra_summary
from pontive.assets.choices import (
    AREA_PATH,
    GRAPH_PATH,
    MAP_PATH,
    SUMMARY_PATH,
    InfraKind,
    InfraStatus,
    IntegrationStatus,
    SiteKind,
    SoftwareCategory,
    SystemStatus,
)
from pontive.assets.infra_registries import INFRASTRUCTURE, SITES
from pontive.assets.registries import AREA
from pontive.assets.service import VIEW
from pontive.assets.software_registries import INTEGRATIONS, SYSTEMS
from pontive.core import permissions
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.registry.pages_support import nav
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.forms import pd_names, zone_of
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

MAP_DATA = "/api/v1/assets/map.geojson"
Filter = Annotated[str, Query(max_length=40)]
PATHS = {
    "area": AREA_PATH,
    "map": MAP_PATH,
    "graph": GRAPH_PATH,
    "summary": SUMMARY_PATH,
    "sites": SITES.path,
    "infra": INFRASTRUCTURE.path,
    "systems": SYSTEMS.path,
    "integrations": INTEGRATIONS.path,
}

router = PontiveRouter(include_in_schema=False)


def page(request: Request, actor: Actor, template: str, context: dict[str, Any]) -> Response:
    """Render one of the area's own pages with the area's navigation (never cached)."""
    lang = get_lang(request)
    full = {"paths": PATHS, "nav_items": nav(actor, AREA, request.url.path, lang)} | context
    response = render(request, template, full)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@router.get(MAP_PATH, response_class=HTMLResponse)
def map_page(
    request: Request, session: DbSession, actor: CurrentActor, jenis: Filter = "", pd: Filter = ""
) -> Response:
    """Sites, assets and fibre routes on the city map, with layer toggles and a legend."""
    permissions.require(actor, VIEW)
    lang = get_lang(request)
    chosen = infra_map.MapFilter.read(jenis, pd)
    names = pd_names(session)
    query = urlencode(
        {
            k: v
            for k, v in (("jenis", chosen.kind or ""), ("pd", chosen.pd_kode or ""), ("lang", lang))
            if v
        }
    )
    data = infra_map.feature_collection(session, actor, chosen, lang=lang)
    routes = [
        f["properties"] | {"km": infra_map.length_km(f["geometry"]["coordinates"])}
        for f in data["features"]
        if f["properties"]["layer"] == "route"
    ]
    context = {
        "chosen": chosen,
        "kinds": list(InfraKind),
        "statuses": list(InfraStatus),
        "site_kinds": list(SiteKind),
        "pd_options": sorted(names.items(), key=lambda item: item[1]),
        "pds": names,
        "data_url": f"{MAP_DATA}?{query}",
        "counts": infra_map.layer_counts(data),
        "routes": routes,
    }
    return page(request, actor, "assets/map.html", context)


@router.get(SUMMARY_PATH, response_class=HTMLResponse)
def summary_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """Counts by kind and status, and what needs attention within the next weeks."""
    today = utcnow().astimezone(zone_of(request)).date()
    summary = infra_summary.summarise(session, actor, today=today)
    context = {
        "summary": summary,
        "kinds": list(InfraKind),
        "statuses": list(InfraStatus),
        "site_kinds": list(SiteKind),
        "categories": list(SoftwareCategory),
        "system_statuses": list(SystemStatus),
        "integration_statuses": list(IntegrationStatus),
        "soon_days": infra_summary.SOON_DAYS,
        "pds": pd_names(session),
        "days_left": lambda asset, field: (getattr(asset, field) - today).days,
    }
    return page(request, actor, "assets/summary.html", context)
