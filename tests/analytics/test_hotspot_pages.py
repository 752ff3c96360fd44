"""The hotspot console page in both languages, its form and table, and the situation room's
hotspot section."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.analytics import access
from pontive.analytics.hotspot_views import home_facts
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from tests.analytics.test_hotspot_service import PARIT_MAYOR, plant_city
from tests.conftest import login

PAGE = access.HOTSPOT_PATH


@pytest.fixture
def city(session: Session, media: MediaStore) -> list[str]:
    return plant_city(session, media, utcnow())


@pytest.fixture
def operator(client: TestClient, make_user: Any) -> TestClient:
    user = make_user(Role.OPERATOR)
    login(client, user.username)
    return client


def test_the_page_shows_the_map_the_filters_and_the_hotspot_table(
    operator: TestClient, city: list[str]
) -> None:
    page = operator.get(PAGE)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "private, no-store"
    text = page.text
    assert "<h1>Titik rawan pengaduan</h1>" in text
    assert 'id="hotspot-map"' in text
    assert 'data-url="/api/v1/analytics/hotspots.geojson?unit=kelurahan&amp;window=7d' in text
    assert '<script src="/static/vendor/leaflet/leaflet.js">' in text
    assert 'name="unit" value="hex"' in text
    assert 'name="window"' in text
    rows = re.findall(r'<tr data-cell="([^"]+)">', text)
    assert rows == [PARIT_MAYOR]
    assert '<th scope="row">Parit Mayor</th>' in text
    assert f'href="/console/pengaduan?kelurahan={PARIT_MAYOR}"' in text
    assert "Banjir atau genangan air (6)" in text


def test_the_page_in_english(operator: TestClient, city: list[str]) -> None:
    text = operator.get(PAGE, params={"lang": "en", "unit": "hex"}).text
    assert "<h1>Complaint hotspots</h1>" in text
    assert "Hotspot hexagons (1)" in text
    assert "Flooding or standing water (6)" in text
    assert re.search("<strong>\\d+\\.\\d\u00d7</strong>", text)  # English decimals


def test_the_table_sorts_and_filters(operator: TestClient, city: list[str]) -> None:
    by_count = operator.get(PAGE, params={"urut": "count", "window": "30d"}).text
    assert (
        'aria-sort="descending"><a href="?unit=kelurahan&amp;window=30d&amp;urut=count"' in by_count
    )
    floods = operator.get(PAGE, params={"category": "banjir-genangan"}).text
    assert '<option value="banjir-genangan" selected>' in floods
    assert f"kelurahan={PARIT_MAYOR}&amp;category=banjir-genangan" in floods
    rubbish = operator.get(PAGE, params={"category": "ketertiban-umum"}).text
    assert "Tidak ada titik rawan yang signifikan" in rubbish


def test_the_table_alone_for_the_layer_switch(operator: TestClient, city: list[str]) -> None:
    part = operator.get(PAGE, params={"unit": "hex", "bagian": "tabel"})
    assert part.status_code == 200
    assert "<html" not in part.text
    assert 'id="hs-table"' in part.text
    assert 'data-unit="hex"' in part.text


def test_bad_parameters_come_back_with_field_errors_and_the_choices_kept(
    operator: TestClient,
) -> None:
    page = operator.get(PAGE, params={"window": "2h", "category": "banjir-genangan"})
    assert page.status_code == 422
    assert 'id="hs-window-error">Pilih 24h, 7d atau 30d.</p>' in page.text
    assert '<option value="banjir-genangan" selected>' in page.text
    assert 'id="hotspot-map"' not in page.text


def test_only_those_who_may_see_analytics_open_the_page(client: TestClient, make_user: Any) -> None:
    assert client.get(PAGE, follow_redirects=False).status_code == 303  # to sign in
    login(client, make_user(Role.WARGA).username)
    assert client.get(PAGE).status_code == 403


def test_the_situation_room_lists_the_hotspots(client: TestClient, city: list[str]) -> None:
    page = client.get("/situasi")
    assert page.status_code == 200
    section = page.text.split('id="sit-hotspots-heading"', 1)[1].split("</section>", 1)[0]
    assert "Titik rawan pengaduan" in section
    assert section.count(f'data-kelurahan="{PARIT_MAYOR}"') == 2  # last day and last week
    assert "6 laporan" in section
    assert "Banjir atau genangan air" in section
    # The kecamatan table is still the only one with row headers.
    assert len(re.findall(r'<th scope="row">([^<]+)</th>', page.text)) == 6
    assert 'data-hotspots="/api/v1/analytics/hotspots.geojson?unit=kelurahan' in page.text
    assert "/static/analytics/hotspot-situation.js" in page.text
    data = client.get("/situasi/data.json").json()
    assert {(h["window"], h["kode"], h["count"]) for h in data["hotspots"]} == {
        ("24h", PARIT_MAYOR, 6),
        ("7d", PARIT_MAYOR, 6),
    }
    english = client.get("/situasi", params={"lang": "en"}).text
    assert "Complaint hotspots" in english
    assert "6 reports" in english


def test_the_situation_room_says_when_there_is_no_hotspot(client: TestClient) -> None:
    section = client.get("/situasi?bagian=isi").text.split('id="sit-hotspots-heading"', 1)[1]
    assert section.split("</section>", 1)[0].count("Tidak ada titik rawan.") == 2


def test_the_home_card_line(session: Session, city: list[str]) -> None:
    assert home_facts(session, "id") == ["Titik rawan kelurahan, 7 hari terakhir (1): Parit Mayor"]
    assert home_facts(session, "en") == ["Kelurahan hotspots, last 7 days (1): Parit Mayor"]
