"""The infrastructure map's GeoJSON (sites and assets as points, fibre routes as lines,
filters by kind and agency, staff only) and its page, and the summary page's counts and
"needs attention" lists."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.assets import infra_map, infra_summary
from pontive.core.errors import NotAuthenticated, PermissionDenied
from pontive.core.identity import ANONYMOUS, Actor, ActorKind
from pontive.core.roles import Role
from pontive.core.timeutil import WIB, utcnow
from tests.assets.test_infra_support import ADMIN, make_asset, make_site
from tests.conftest import login

ROUTE = "109.3395 -0.0300; 109.3410 -0.0340; 109.3428 -0.0385"
MAP = "/api/v1/assets/map.geojson"


def _features(collection: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [f for f in collection["features"] if f["properties"]["code"] == code]


def test_routes_are_lines_and_sites_and_located_assets_points(session: Session) -> None:
    site = make_site(session, kind="pusat_data", lon="109.3407", lat="-0.0254")
    fibre = make_asset(session, kind="serat_optik", status="rusak", route=ROUTE, site_id=site.code)
    located = make_asset(session, kind="perangkat_jaringan", lon="109.3446", lat="-0.0568")
    unplaced = make_asset(session, site_id=site.code)  # counted at its site, not drawn
    collection = infra_map.feature_collection(session, ADMIN, infra_map.MapFilter())
    assert collection["type"] == "FeatureCollection"

    (line,) = _features(collection, fibre.code)
    assert line["geometry"]["type"] == "LineString"
    assert line["geometry"]["coordinates"] == [
        [109.3395, -0.03],
        [109.341, -0.034],
        [109.3428, -0.0385],
    ]
    expected = {"layer": "route", "status": "rusak", "status_label": "Rusak", "colour": "#b3261e"}
    assert {k: line["properties"][k] for k in expected} == expected
    assert line["properties"]["url"].endswith(f"/console/aset/infrastruktur/{fibre.id}")
    (point,) = _features(collection, located.code)
    assert (point["geometry"], point["properties"]["layer"]) == (
        {"type": "Point", "coordinates": [109.3446, -0.0568]},
        "asset",
    )
    (place,) = _features(collection, site.code)
    assert place["properties"]["layer"] == "site"
    assert place["properties"]["assets"] == 2  # the route and the unplaced server
    assert _features(collection, unplaced.code) == []
    counts = infra_map.layer_counts(collection)
    assert counts["route"] >= 1
    assert counts["site"] >= 1


def test_the_map_filters_by_kind_and_agency(session: Session) -> None:
    fibre = make_asset(session, kind="serat_optik", route=ROUTE, pd_kode="dishub")
    server = make_asset(session, lon="109.34", lat="-0.03", pd_kode="diskominfo")
    dishub_site = make_site(session, pd_kode="dishub")
    only_fibre = infra_map.feature_collection(
        session, ADMIN, infra_map.MapFilter.read("serat_optik", "")
    )
    codes = {f["properties"]["code"] for f in only_fibre["features"]}
    assert fibre.code in codes
    assert server.code not in codes
    dishub = infra_map.feature_collection(session, ADMIN, infra_map.MapFilter.read("", "dishub"))
    assert {f["properties"]["pd"] for f in dishub["features"]} == {"dishub"}
    assert dishub_site.code in {f["properties"]["code"] for f in dishub["features"]}
    assert infra_map.MapFilter.read("bukan-jenis", "") == infra_map.MapFilter()


def test_route_length_is_measured_along_the_ground() -> None:
    # 0.01 degree of latitude is about 1.11 km
    assert infra_map.length_km([[109.34, -0.03], [109.34, -0.04]]) == 1.11
    assert infra_map.length_km([[109.34, -0.03], [109.34, -0.04], [109.35, -0.04]]) == 2.22


def test_the_map_data_is_for_staff_only(session: Session, client: TestClient, bearer: Any) -> None:
    make_asset(session, kind="serat_optik", route=ROUTE)
    assert client.get(MAP).status_code == 401
    assert client.get(MAP, headers=bearer(Role.WARGA)).status_code == 403
    answer = client.get(f"{MAP}?jenis=serat_optik", headers=bearer(Role.DEWAN))
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/geo+json")
    assert {f["geometry"]["type"] for f in answer.json()["features"]} >= {"LineString"}
    with pytest.raises(NotAuthenticated):
        infra_map.feature_collection(session, ANONYMOUS, infra_map.MapFilter())


def test_the_map_page_has_filters_legend_and_a_route_table(
    session: Session, client: TestClient, make_user: Any
) -> None:
    fibre = make_asset(session, kind="serat_optik", route=ROUTE, name="Serat optik uji")
    user = make_user(Role.TIM_TEKNIS)
    login(client, user.username)
    page = client.get("/console/aset/peta?jenis=serat_optik")
    assert page.status_code == 200
    html = page.text
    assert 'data-features="/api/v1/assets/map.geojson?jenis=serat_optik&amp;lang=id"' in html
    assert 'src="/static/assets/assets-map.js' in html
    assert f'data-code="{fibre.code}"' in html
    assert "Jalur serat optik (status)" in html  # the legend
    assert '<option value="serat_optik" selected>' in html
    english = client.get("/console/aset/peta?lang=en")
    assert "Fibre routes (status)" in english.text


def test_the_summary_counts_and_lists_what_ends_soon(
    session: Session, client: TestClient, make_user: Any
) -> None:
    today = utcnow().astimezone(WIB).date()
    soon = make_asset(session, warranty_until=(today + timedelta(days=20)).isoformat())
    later = make_asset(session, warranty_until=(today + timedelta(days=200)).isoformat())
    past = make_asset(session, end_of_life_on=(today - timedelta(days=5)).isoformat())
    summary = infra_summary.summarise(session, ADMIN, today=today)
    assert soon.id in {a.id for a in summary.warranties}
    assert later.id not in {a.id for a in summary.warranties}
    assert past.id in {a.id for a in summary.past_life}
    assert summary.infra_total == sum(summary.infra.values())
    assert summary.infra_row(soon.kind)[1] >= 3  # active servers

    citizen = Actor(ActorKind.USER, Role.WARGA, id=None, name="warga")
    with pytest.raises(PermissionDenied):
        infra_summary.summarise(session, citizen, today=today)

    login(client, make_user(Role.DEWAN).username)
    html = client.get("/console/aset/ringkasan").text
    assert f'data-code="{soon.code}"' in html
    assert "20 hari lagi" in html
    assert 'data-count="infra"' in html
