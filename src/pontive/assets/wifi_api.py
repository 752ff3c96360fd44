"""Public Wi-Fi in the API: the hotspots as GeoJSON (``/api/v1/assets/wifi.geojson``).

Anyone may read it (public fields of public hotspots only, as the registry declares); the
map at ``/wifi`` draws from it. The registry's own API (``/api/v1/assets/wifi-hotspots``)
lists, filters and edits them.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from starlette.responses import JSONResponse

from pontive.assets.wifi_public import (
    chosen_provider,
    feature_collection,
    filter_hotspots,
    public_hotspots,
)
from pontive.web.deps import DbSession, get_lang
from pontive.web.routing import PontiveRouter

# Included by ``assets/api.py``, whose router adds the ``/api/v1/assets`` prefix.
router = PontiveRouter(tags=["assets"])

GEOJSON_SECONDS = 30


@router.get(
    "/wifi.geojson",
    summary="Public Wi-Fi hotspots (GeoJSON)",
    responses={200: {"content": {"application/geo+json": {}}}},
)
def wifi_geojson(
    request: Request,
    session: DbSession,
    kecamatan: Annotated[str | None, Query(max_length=20, description="Kecamatan code")] = None,
    penyedia: Annotated[
        str | None, Query(max_length=40, description="Provider kind, e.g. pemerintah_kota")
    ] = None,
) -> Any:
    """Every public hotspot as a GeoJSON Feature: place, provider, hours, SSID, status (with
    its label in the request's language and its map colour) and open report count."""
    views = public_hotspots(session, request.app.state.settings.zone)
    chosen = filter_hotspots(views, kecamatan=kecamatan or None, provider=chosen_provider(penyedia))
    return JSONResponse(
        feature_collection(chosen, get_lang(request)),
        media_type="application/geo+json",
        headers={"Cache-Control": f"public, max-age={GEOJSON_SECONDS}"},
    )
