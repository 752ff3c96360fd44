"""The integration graph page (``/console/aset/integrasi``): the software catalogue's systems
and the integrations between them drawn as server-rendered SVG (``software_graph``), with a
legend and the same links as a table for screen readers. Filters: group by agency or by
category, and one agency's systems with their neighbours.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from markupsafe import Markup
from starlette.responses import HTMLResponse, Response

from pontive.assets import software_graph
from pontive.assets.choices import GRAPH_PATH, IntegrationStatus
from pontive.assets.infra_pages import page
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.forms import pd_names
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter

Filter = Annotated[str, Query(max_length=40)]

router = PontiveRouter(include_in_schema=False)


@router.get(GRAPH_PATH, response_class=HTMLResponse)
def graph_page(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    kelompok: Filter = "pd",
    pd: Filter = "",
) -> Response:
    """Systems as nodes, integrations as arrows; each node opens its system's page."""
    lang = get_lang(request)
    by = kelompok if kelompok in software_graph.GROUP_BY else "pd"
    names = pd_names(session)
    systems, links = software_graph.load(session, actor, pd_kode=pd or None)
    graph = software_graph.layout(systems, links, by=by, pd_names=names, lang=lang)
    svg = software_graph.render_svg(
        graph,
        title=translate("ast.graph.svg_title", lang),
        description=translate(
            "ast.graph.svg_desc", lang, nodes=len(graph.nodes), edges=len(graph.edges)
        ),
    )
    by_id = {s.id: s for s in systems}
    context = {
        "svg": Markup(svg),  # noqa: S704 - built by render_svg, every text escaped there
        "graph": graph,
        "links": sorted(links, key=lambda link: link.code),
        "systems": by_id,
        "by": by,
        "chosen_pd": pd,
        "pd_options": sorted(names.items(), key=lambda item: item[1]),
        "pds": names,
        "integration_statuses": list(IntegrationStatus),
    }
    return page(request, actor, "assets/graph.html", context)
