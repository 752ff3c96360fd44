"""Asset API routes besides the registries' generic ones (``/api/v1/assets/<slug>``, built by
the platform): the infrastructure map's GeoJSON and the integration graph as SVG, for staff.
The assessment and Wi-Fi parts' routes are included here."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import JSONResponse, Response

from pontive.assets import assessment_api, infra_map, software_graph, wifi_api
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.forms import pd_names
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter

Filter = Annotated[str, Query(max_length=40)]

router = PontiveRouter(prefix="/api/v1/assets", tags=["assets"])


@router.get("/map.geojson", response_class=JSONResponse)
def read_map(
    request: Request, session: DbSession, actor: CurrentActor, jenis: Filter = "", pd: Filter = ""
) -> Response:
    """Sites and assets as points and fibre routes as lines (GeoJSON; staff only). Filters:
    ``jenis`` (asset kind) and ``pd`` (owning agency)."""
    chosen = infra_map.MapFilter.read(jenis, pd)
    body = infra_map.feature_collection(session, actor, chosen, lang=get_lang(request))
    return JSONResponse(body, media_type="application/geo+json")


@router.get("/integration-graph.svg", response_class=Response)
def read_graph(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    kelompok: Filter = "pd",
    pd: Filter = "",
) -> Response:
    """The integration graph as an SVG image (staff only); the same as the console page's."""
    lang = get_lang(request)
    by = kelompok if kelompok in software_graph.GROUP_BY else "pd"
    systems, links = software_graph.load(session, actor, pd_kode=pd or None)
    graph = software_graph.layout(systems, links, by=by, pd_names=pd_names(session), lang=lang)
    svg = software_graph.render_svg(
        graph,
        title=translate("ast.graph.svg_title", lang),
        description=translate(
            "ast.graph.svg_desc", lang, nodes=len(graph.nodes), edges=len(graph.edges)
        ),
    )
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "private, no-store"})


router.include_router(assessment_api.router)
router.include_router(wifi_api.router)
