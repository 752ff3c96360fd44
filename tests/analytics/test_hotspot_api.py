"""``/api/v1/analytics/hotspots.geojson``: staff see every cell, everyone else the public form
(significant cells, counts only, nothing finer than the cell); bad parameters are named."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.analytics import hotspot_grid as grid
from pontive.analytics.hotspot_views import PUBLIC_PROPERTIES
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from tests.analytics.test_hotspot_service import CENTRE, PARIT_MAYOR, plant_city

URL = "/api/v1/analytics/hotspots.geojson"


def _coordinates(geometry: dict[str, Any]) -> list[list[float]]:
    """Every position of a Point, Polygon or MultiPolygon."""
    text = json.dumps(geometry["coordinates"])
    numbers = [float(n) for n in text.replace("[", " ").replace("]", " ").split(",") if n.strip()]
    return [numbers[i : i + 2] for i in range(0, len(numbers), 2)]


@pytest.fixture
def city(session: Session, media: MediaStore) -> list[str]:
    return plant_city(session, media, utcnow())


def test_staff_get_every_cell_with_its_numbers(
    client: TestClient, bearer: Any, city: list[str]
) -> None:
    response = client.get(URL, params={"window": "7d"}, headers=bearer(Role.OPERATOR))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/geo+json"
    assert response.headers["cache-control"] == "private, no-store"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert (body["unit"], body["window"], body["hotspots"]) == ("kelurahan", "7d", 1)
    assert len(body["features"]) == 29
    hot = [f for f in body["features"] if f["properties"]["significant"]]
    assert [f["id"] for f in hot] == [PARIT_MAYOR]
    props = hot[0]["properties"]
    assert props["count"] == 6
    assert props["level"] == "hotspot"
    assert props["q"] <= 0.05
    assert props["ratio"] == pytest.approx(props["count"] / props["expected"], rel=0.03)
    assert props["top_categories"] == [
        {"code": "banjir-genangan", "name": "Banjir atau genangan air", "count": 6}
    ]
    assert props["queue_url"] == f"/console/pengaduan?kelurahan={PARIT_MAYOR}"
    assert props["first_report_at"] < props["last_report_at"]
    quiet = [f for f in body["features"] if f["properties"]["level"] == "quiet"]
    assert quiet
    assert all(f["properties"]["count"] == 0 for f in quiet)


def test_the_public_sees_only_significant_cells_and_nothing_finer(
    client: TestClient, city: list[str]
) -> None:
    for unit in ("kelurahan", "hex"):
        response = client.get(URL, params={"unit": unit, "window": "24h"})
        assert response.status_code == 200
        assert response.headers["cache-control"].startswith("public")
        body = response.json()
        assert body["features"], unit
        for feature in body["features"]:
            assert set(feature["properties"]) <= PUBLIC_PROPERTIES
            assert feature["properties"]["significant"] is True
            assert feature["properties"]["count"] >= 3
        text = response.text
        assert not any(number in text for number in city)  # no tracking number
        assert "report_at" not in text
        assert "members" not in text
    hex_body = client.get(URL, params={"unit": "hex", "window": "24h"}).json()
    cell = grid.cell_of(*CENTRE)
    assert [f["geometry"] for f in hex_body["features"]] == [grid.polygon(cell)]
    # The only positions are the hexagon's corners: no report's pin is in the answer.
    corners = {tuple(p) for p in _coordinates(grid.polygon(cell))}
    assert {tuple(p) for p in _coordinates(hex_body["features"][0]["geometry"])} == corners


def test_a_signed_in_citizen_gets_the_public_form_too(
    client: TestClient, bearer: Any, city: list[str]
) -> None:
    body = client.get(URL, headers=bearer(Role.WARGA)).json()
    assert [f["id"] for f in body["features"]] == [PARIT_MAYOR]
    assert "level" not in body["features"][0]["properties"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"unit": "provinsi"}, "unit"),
        ({"window": "2h"}, "window"),
        ({"category": "tidak-ada"}, "category"),
        ({"ring": "2"}, "ring"),
    ],
)
def test_bad_parameters_are_named_in_the_platforms_error(
    client: TestClient, params: dict[str, str], field: str
) -> None:
    response = client.get(URL, params=params)
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert list(body["errors"]) == [field]
    english = client.get(URL, params=params | {"lang": "en"}).json()
    assert english["detail"] == "Invalid hotspot parameters."
