"""Public pages of Wi-Fi and stakeholders' technology, and their console additions.

``/wifi`` is the public map of free hotspots (Pasal 22e): coloured by status, a list under
the map that is also what a phone without JavaScript shows, filters by kecamatan and by
provider kind, and on each hotspot the "not working" form (``wifi_report_page.py``). The
technology list and its submission form are in ``wifi_tech_pages.py``; the staff's
"turn back to aktif" in ``wifi_console.py``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from starlette.responses import Response

from pontive.assets import wifi_console, wifi_report_page, wifi_tech_pages
from pontive.assets.wifi_choices import (
    TECH_LIST_PATH,
    WIFI_MAP_PATH,
    HotspotStatus,
    ProviderKind,
)
from pontive.assets.wifi_public import (
    chosen_provider,
    filter_hotspots,
    kecamatan_options,
    public_hotspots,
)
from pontive.web.deps import CurrentActor, DbSession
from pontive.web.navigation import NavLink, register_public
from pontive.web.pagecache import share_with_anonymous
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)
router.include_router(wifi_report_page.router)
router.include_router(wifi_tech_pages.router)
router.include_router(wifi_console.router)

register_public(NavLink(WIFI_MAP_PATH, "wifi.nav", "wifi.nav_desc", "map", order=50))
register_public(NavLink(TECH_LIST_PATH, "wifi.tech.nav", "wifi.tech.nav_desc", "sensor", order=58))

PUBLIC_SECONDS = 30  # a report changes a hotspot's state; half a minute of sharing is safe
FilterQuery = Annotated[str | None, Query(max_length=40)]


@router.get(WIFI_MAP_PATH)
def wifi_map(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    kecamatan: FilterQuery = None,
    penyedia: FilterQuery = None,
) -> Response:
    """Every public hotspot on a map and in a list, filtered by kecamatan and provider."""
    zone = request.app.state.settings.zone
    areas = kecamatan_options(session)
    area = kecamatan if kecamatan in {code for code, _name in areas} else None
    provider = chosen_provider(penyedia)
    every = public_hotspots(session, zone)
    shown = filter_hotspots(every, kecamatan=area, provider=provider)
    query = "&".join(
        part
        for part in (
            f"kecamatan={area}" if area else "",
            f"penyedia={provider}" if provider else "",
        )
        if part
    )
    context = {
        "hotspots": shown,
        "total": len(every),
        "working": sum(1 for h in every if h.status is HotspotStatus.AKTIF),
        "troubled": sum(1 for h in every if h.status is HotspotStatus.GANGGUAN),
        "areas": areas,
        "area": area,
        "providers": list(ProviderKind),
        "provider": provider,
        "statuses": [status for status in HotspotStatus if status.is_public],
        "filter_query": query,
    }
    response = render(request, "assets/wifi_map.html", context)
    return share_with_anonymous(actor, response, PUBLIC_SECONDS)
