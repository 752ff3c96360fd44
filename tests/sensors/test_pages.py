"""The public sensor pages over the demo data, in Bahasa Indonesia and English: the map page's
list, summary, legend and filters, the markers, each kind of station page with its status
explained and its charts over a day, a week and a month, and the chart fragment.

They run over the run's demo database (``demo_database`` in ``tests/conftest.py``, a month of
history) and only read it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from pontive.app import create_app
from pontive.core.db import Database
from pontive.sensors.choices import FloodStatus, IspuCategory
from pontive.sensors.demo_stations import DEMO_KEY, demo_stations, station_by_key
from pontive.sensors.models import Thing
from pontive.sensors.page_format import RAIN_COLOURS
from tests.conftest import DemoDatabase, make_settings

CSS = Path(__file__).resolve().parents[2] / "src/pontive/web/static/sensors/sensors.css"


@pytest.fixture(scope="module")
def web(demo_database: DemoDatabase) -> Iterator[TestClient]:
    """The app over the demo database."""
    app = create_app(make_settings(demo_database.url))
    with TestClient(app, base_url="http://testserver") as c:
        yield c


@pytest.fixture(scope="module")
def ids(demo_database: DemoDatabase) -> dict[str, int]:
    """Thing id by demo station key."""
    database = Database(demo_database.url)
    with database.session() as session:
        things = session.scalars(select(Thing)).all()
        found = {t.properties[DEMO_KEY]: t.id for t in things if t.properties}
    database.dispose()
    return found


def _get(web: TestClient, path: str, lang: str = "id") -> str:
    """A page in ``lang`` (asked each time: the client keeps the language cookie)."""
    joiner = "&" if "?" in path else "?"
    response = web.get(f"{path}{joiner}lang={lang}")
    assert response.status_code == 200, response.text
    return response.text


def test_the_map_page_lists_every_station_with_its_status(web: TestClient) -> None:
    page = web.get("/sensor?lang=id")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="id">' in html
    assert 'href="#main"' in html  # the skip link of the shared layout
    for station in demo_stations():
        assert station.name in html
    assert "Udara terburuk" in html
    assert "Muka air sungai" in html
    assert re.search(r'class="sensor-badge st-flood-(normal|waspada|siaga|awas)"', html)
    assert re.search(r'class="sensor-badge st-ispu-(baik|sedang|tidak_sehat)"', html)
    assert re.search(r'class="sensor-badge st-rain-', html)
    assert 'class="sensor-badge st-offline">Mati / tidak melapor' in html  # Tanjung Hulu
    for category in IspuCategory:
        assert category.label("id") in html  # the legend
    assert 'data-points="/sensor/peta.json"' in html
    assert page.headers["Cache-Control"] == "public, max-age=0, s-maxage=30"


def test_the_map_page_speaks_english(web: TestClient) -> None:
    html = _get(web, "/sensor", "en")
    assert '<html lang="en">' in html
    assert "City sensors" in html
    assert "Worst air" in html
    assert "Device offline / not reporting" in html
    assert "Very unhealthy" in html


def test_stations_are_filtered_by_kind_and_kecamatan(web: TestClient) -> None:
    air = _get(web, "/sensor?jenis=udara")
    names = re.findall(r'<span class="station-name">([^<]+)</span>', air)
    assert len(names) == 6
    assert all(name.startswith("Stasiun Kualitas Udara") for name in names)
    timur = _get(web, "/sensor?kecamatan=61.71.02")
    found = set(re.findall(r'<span class="station-name">([^<]+)</span>', timur))
    assert found == {s.name for s in demo_stations() if s.kelurahan_kode.startswith("61.71.02")}
    assert 'data-points="/sensor/peta.json?kecamatan=61.71.02"' in timur
    everything = _get(web, "/sensor?jenis=nonsense")  # unknown filters are ignored
    assert len(re.findall(r'class="station-name"', everything)) == len(demo_stations())


def test_markers_carry_the_status_colours(web: TestClient, ids: dict[str, int]) -> None:
    items = {item["id"]: item for item in web.get("/sensor/peta.json?lang=id").json()["items"]}
    assert len(items) == len(demo_stations())
    offline = items[ids["tanjung-hulu"]]
    assert offline["status"] == "offline"
    assert offline["colour"] == "#6b7780"
    gauge = items[ids["kapuas-indah"]]
    assert gauge["status"].startswith("flood-")
    assert gauge["colour"] == FloodStatus(gauge["status"].removeprefix("flood-")).meta.colour
    air = items[ids["udara-pontianak-kota"]]
    category = IspuCategory(air["status"].removeprefix("ispu-"))
    assert air["colour"] == category.meta.colour
    assert air["marker"].isdigit()
    assert air["url"] == f"/sensor/{ids['udara-pontianak-kota']}"
    rain = items[ids["hujan-darat-sekip"]]
    assert rain["colour"] in RAIN_COLOURS.values()
    assert rain["place"] == "Darat Sekip, Pontianak Kota"
    english = web.get("/sensor/peta.json?lang=en").json()["items"]
    web.cookies.clear()
    assert {i["kind_label"] for i in english} == {"Water level", "Rain", "Air quality"}


def test_a_water_gauge_page_explains_its_flood_status_and_draws_thresholds(
    web: TestClient, ids: dict[str, int]
) -> None:
    station = station_by_key("kapuas-indah")
    html = _get(web, f"/sensor/{ids['kapuas-indah']}")
    assert "Kel. Darat Sekip, Kec. Pontianak Kota" in html
    assert "Ambang dibaca pada papan duga pos (cm)." in html
    for level in station.thresholds or ():
        assert f"≥ {int(level)} cm" in html
    assert html.count('class="sensor-chart chart-narrow"') == 1
    assert html.count('class="sensor-chart chart-wide"') == 1
    assert 'class="th th-waspada"' in html
    assert "Baterai 88%" in html
    match = re.search(r'href="(/api/v1/datastreams/\d+/observations\?[^"]+)"', html)
    assert match
    csv = web.get(match.group(1).replace("&amp;", "&"))
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    assert len(csv.text.splitlines()) > 100  # a day of ten-minute readings


def test_an_air_station_page_explains_the_ispu_category_for_health(
    web: TestClient, ids: dict[str, int]
) -> None:
    html = _get(web, f"/sensor/{ids['udara-pontianak-selatan']}")
    category = re.search(
        r'class="big-reading">ISPU \d+ <span class="sensor-badge st-ispu-(\w+)"', html
    )
    assert category
    meanings = {
        "baik": "Baik: mutu udara sangat baik",
        "sedang": "Sedang: mutu udara masih dapat diterima",
        "tidak_sehat": "Tidak sehat: mutu udara merugikan",
    }
    assert meanings[category.group(1)] in html
    assert "Parameter kritis:" in html
    assert html.count("<figure") == 8  # ISPU and the seven pollutants
    assert html.index(">ISPU<") < html.index(">PM2,5 <")
    english = _get(web, f"/sensor/{ids['udara-pontianak-selatan']}", "en")
    assert "Right now" in english
    assert "Critical parameter:" in english


def test_charts_switch_between_a_day_a_week_and_a_month(
    web: TestClient, ids: dict[str, int]
) -> None:
    path = f"/sensor/{ids['kapuas-indah']}"
    day = web.get(path).text
    week = _get(web, f"{path}?rentang=minggu")
    month = _get(web, f"{path}?rentang=bulan")
    assert 'data-span="hari" data-fragment' in day
    assert re.search(r'data-span="minggu" [^>]*aria-current="true"', week)
    assert re.search(r">(Sen|Sel|Rab|Kam|Jum|Sab|Min) \d+<", week)  # WIB day ticks
    assert re.search(r">\d\d/\d\d<", month)

    def points(html: str) -> int:
        found = re.search(r'data-points="([^"]*)"', html)
        assert found
        return found.group(1).count("[") - 1

    assert 130 <= points(day) <= 150  # raw, every 10 minutes
    assert 160 <= points(week) <= 170  # hourly means
    assert 700 <= points(month) <= 722  # hourly means: the tides stay visible
    fragment = web.get(f"{path}/grafik?rentang=bulan")
    assert fragment.text.lstrip().startswith('<div class="chart-panel"')
    assert "<html" not in fragment.text
    assert _get(web, f"{path}?rentang=tahun").count('aria-current="true"') >= 1  # day


def test_a_rain_gauge_page_shows_the_rain_class_and_bars(
    web: TestClient, ids: dict[str, int]
) -> None:
    html = _get(web, f"/sensor/{ids['hujan-darat-sekip']}?rentang=bulan")
    assert "Curah hujan" in html
    assert re.search(r"Jumlah pada rentang ini: [\d.,]+ mm\.", html)
    assert "<rect" in html  # daily totals as bars


def test_an_offline_station_says_so(web: TestClient, ids: dict[str, int]) -> None:
    html = _get(web, f"/sensor/{ids['tanjung-hulu']}")
    assert "Perangkat ini tidak melapor lebih dari enam kali jadwalnya." in html
    assert 'class="health-badge health-offline"' in html


def test_an_unknown_station_is_not_found(web: TestClient) -> None:
    assert web.get("/sensor/999999").status_code == 404
    assert web.get("/sensor/bukan-angka").status_code == 404


def test_the_stylesheet_uses_the_choice_colours() -> None:
    css = CSS.read_text(encoding="utf-8")
    for status in FloodStatus:
        assert f".st-flood-{status.value} {{ background: {status.meta.colour};" in css
    for category in IspuCategory:
        assert f".st-ispu-{category.value} {{ background: {category.meta.colour};" in css
    for rain, colour in RAIN_COLOURS.items():
        assert f".st-rain-{rain.value} {{ background: {colour};" in css


def test_the_home_page_and_console_link_to_the_sensors(web: TestClient) -> None:
    home = _get(web, "/")
    assert 'href="/sensor"' in home
    assert "Sensor kota" in home


def test_a_city_without_stations_gets_an_empty_but_working_page(client: TestClient) -> None:
    html = client.get("/sensor?lang=id").text
    assert "0 stasiun" in html
    assert "Tidak ada stasiun untuk saringan ini." in html
    assert "Semua pos normal" in html
    assert client.get("/sensor/peta.json").json() == {"items": []}
