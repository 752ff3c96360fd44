"""The infrastructure map's data: sites and assets as points, fibre routes as lines.

One GeoJSON FeatureCollection (``/api/v1/assets/map.geojson``, staff only) whose features
say which layer they belong to (``site``, ``asset``, ``route``), their kind and status with
labels and colours (the same as the legend's), the owning agency and the console page to
open. An asset with a route is drawn as its line; one with only a point as a point; one with
neither is counted at its site. Filters: the asset kind and the owning agency (which applies
to sites too).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.assets.choices import InfraKind
from pontive.assets.infra_registries import INFRASTRUCTURE, SITES
from pontive.assets.models import InfraAsset, Site
from pontive.assets.service import VIEW
from pontive.core import permissions
from pontive.core.identity import Actor


@dataclass(frozen=True, slots=True)
class MapFilter:
    """What the map shows: one asset kind (or all) of one agency (or all)."""

    kind: InfraKind | None = None
    pd_kode: str | None = None

    @classmethod
    def read(cls, kind: str, pd_kode: str) -> MapFilter:
        """From the query string; unknown values are ignored."""
        chosen = InfraKind(kind) if kind in InfraKind._value2member_map_ else None
        return cls(chosen, pd_kode.strip() or None)


EARTH_RADIUS_KM = 6371.0


def length_km(points: list[list[float]]) -> float:
    """The length of a line of ``[lon, lat]`` points along the ground (haversine), in km."""
    total = 0.0
    for (lon1, lat1), (lon2, lat2) in pairwise(points):
        phi1, phi2 = math.radians(lat1), math.radians(lat2)
        dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
        h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
        total += 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
    return round(total, 2)


def layer_counts(collection: dict[str, Any]) -> dict[str, int]:
    """How many features each layer has (``site``, ``asset``, ``route``)."""
    counted = Counter(f["properties"]["layer"] for f in collection["features"])
    return {layer: counted.get(layer, 0) for layer in ("site", "asset", "route")}


def _point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def _site_feature(site: Site, counted: int, lang: str) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": _point(site.lon or 0.0, site.lat or 0.0),  # only sites with a point
        "properties": {
            "layer": "site",
            "id": site.id,
            "code": site.code,
            "name": site.name,
            "kind": site.kind.value,
            "kind_label": site.kind.label(lang),
            "colour": site.kind.meta.colour,
            "pd": site.pd_kode,
            "address": site.address or "",
            "assets": counted,
            "url": f"{SITES.path}/{site.id}",
        },
    }


def _asset_feature(asset: InfraAsset, geometry: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {
            "layer": "route" if geometry["type"] == "LineString" else "asset",
            "id": asset.id,
            "code": asset.code,
            "name": asset.name,
            "kind": asset.kind.value,
            "kind_label": asset.kind.label(lang),
            "status": asset.status.value,
            "status_label": asset.status.label(lang),
            "colour": asset.status.meta.colour,
            "pd": asset.pd_kode,
            "reachable": asset.last_check_ok,
            "url": f"{INFRASTRUCTURE.path}/{asset.id}",
        },
    }


def _geometry(asset: InfraAsset) -> dict[str, Any] | None:
    if asset.route:
        return {"type": "LineString", "coordinates": json.loads(asset.route)}
    if asset.lon is not None and asset.lat is not None:
        return _point(asset.lon, asset.lat)
    return None


def feature_collection(
    session: Session, actor: Actor, chosen: MapFilter, *, lang: str = "id"
) -> dict[str, Any]:
    """Sites, assets and routes as GeoJSON, filtered."""
    permissions.require(actor, VIEW)
    assets_query = select(InfraAsset).order_by(InfraAsset.kind, InfraAsset.code)
    sites_query = select(Site).where(Site.lon.is_not(None)).order_by(Site.kind, Site.code)
    if chosen.kind is not None:
        assets_query = assets_query.where(InfraAsset.kind == chosen.kind)
    if chosen.pd_kode is not None:
        assets_query = assets_query.where(InfraAsset.pd_kode == chosen.pd_kode)
        sites_query = sites_query.where(Site.pd_kode == chosen.pd_kode)
    assets = session.scalars(assets_query).all()
    at_site = Counter(a.site_id for a in assets if a.site_id is not None)
    features = [_site_feature(s, at_site[s.id], lang) for s in session.scalars(sites_query)]
    for asset in assets:
        geometry = _geometry(asset)
        if geometry is not None:
            features.append(_asset_feature(asset, geometry, lang))
    return {"type": "FeatureCollection", "features": features}
