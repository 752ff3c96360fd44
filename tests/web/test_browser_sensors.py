"""The sensor pages on a phone (360 x 740) in a real browser, over the demo's month of data: the
map with its coloured pins and the list, a station's charts with the read-out and the range
switcher, and an operator registering a gauge with a gateway key that then reports."""

from __future__ import annotations

import re

import pytest

from pontive.core.db import Database
from pontive.sensors import service as sensors
from pontive.sensors.choices import DeviceHealth
from tests.web.conftest import PHONE, LiveServer, Web
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = pytest.mark.browser

# Computed colours of the status classes (sensors.css, from the choices' meta colours).
OFFLINE_GREY = "rgb(107, 119, 128)"
FLOOD_COLOURS = {
    "normal": "rgb(27, 127, 59)",
    "waspada": "rgb(249, 168, 37)",
    "siaga": "rgb(239, 108, 0)",
    "awas": "rgb(179, 38, 30)",
}


def _fits_the_phone(web: Web) -> None:
    width = web.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width} px)"


def _offline_now(live_server: LiveServer) -> int:
    """How many stations the server counts as offline now: the demo's silent stations age
    with the test run (one stopped long ago; others go from late to offline after an hour)."""
    database = Database(live_server.database_url)
    try:
        with database.session(write=False) as session:
            stations = sensors.station_summaries(session)
            return sum(1 for station in stations if station.health is DeviceHealth.OFFLINE)
    finally:
        database.dispose()


def test_the_sensor_map_shows_coloured_pins_and_the_list_on_a_phone(
    phone: Web, live_server: LiveServer
) -> None:
    page = phone.page
    offline_before = _offline_now(live_server)
    phone.goto("/sensor")
    page.wait_for_selector("#sensor-map[data-ready='true']")
    phone.screenshot("map-ready")
    stations = page.locator(".station-item").count()
    assert stations == 19
    assert page.locator("#sensor-map").get_attribute("data-markers") == str(stations)
    assert page.locator(".sensor-pin").count() == stations
    offline = page.locator(".sensor-pin.st-offline")
    assert offline.count() >= 1  # the demo's gauge that stopped reporting days ago
    # The same count as the server's, read around the page (a station may age in between).
    assert offline_before <= offline.count() <= _offline_now(live_server)
    assert offline.first.evaluate("e => getComputedStyle(e).backgroundColor") == OFFLINE_GREY
    for status, colour in FLOOD_COLOURS.items():
        pins = page.locator(f".sensor-pin.st-flood-{status}")
        if pins.count():
            assert pins.first.evaluate("e => getComputedStyle(e).backgroundColor") == colour
    assert page.locator(".sensor-pin[class*='st-ispu-']").count() == 6
    assert page.get_by_text("Udara terburuk").is_visible()
    _fits_the_phone(phone)

    page.locator(".sensor-pin.kind-udara").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "ISPU" in popup.inner_text()
    link = popup.get_by_role("link", name=re.compile("Lihat stasiun"))
    # Activated from the keyboard: a pointer click can land beside the link while Leaflet
    # still pans the map to fit the popup (seen on a loaded CI machine).
    with page.expect_navigation():
        link.press("Enter")
    phone.settle()
    assert re.search(r"/sensor/\d+$", page.url)
    assert page.locator(".big-reading").inner_text().startswith("ISPU")


def test_the_list_filters_by_kind_without_javascript_help(phone: Web) -> None:
    page = phone.page
    phone.goto("/sensor")
    with page.expect_navigation():
        page.locator(".kind-filter").get_by_role("link", name=re.compile(r"^Muka air")).click()
    phone.settle()
    assert page.url.endswith("/sensor?jenis=muka-air")
    assert page.locator(".station-item").count() == 9
    page.wait_for_selector("#sensor-map[data-ready='true']")
    assert page.locator(".sensor-pin").count() == 9


def test_a_station_page_draws_charts_and_switches_day_week_month(phone: Web) -> None:
    page = phone.page
    phone.goto("/sensor?jenis=muka-air")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("Pos Duga Air Kapuas Indah")).click()
    phone.settle()
    figure = page.locator("figure.sensor-figure").first
    assert figure.locator("svg.chart-narrow").is_visible()
    assert not figure.locator("svg.chart-wide").is_visible()
    assert figure.locator("svg.chart-narrow .th").count() >= 1  # flood thresholds drawn
    assert figure.locator("svg.chart-narrow path.line").count() >= 1

    frame = figure.locator(".chart-frame")
    frame.focus()
    page.keyboard.press("End")
    tip = figure.locator(".chart-tip")
    assert tip.is_visible()
    assert re.search(r"WIB · [\d.,]+ cm", tip.inner_text())
    page.keyboard.press("ArrowLeft")
    assert tip.is_visible()
    phone.screenshot("read-out")
    _fits_the_phone(phone)

    for label, span, tick in (
        ("7 hari", "minggu", r"(Sen|Sel|Rab|Kam|Jum|Sab|Min) \d+"),
        ("30 hari", "bulan", r"\d\d/\d\d"),
    ):
        page.get_by_role("link", name=label).click()
        page.wait_for_selector(f".chart-panel[data-span='{span}']")
        assert page.url.endswith(f"rentang={span}#grafik")
        assert page.locator(".span-switch [aria-current='true']").inner_text() == label
        ticks = page.locator("figure.sensor-figure svg.chart-narrow text.tick").all_text_contents()
        assert any(re.fullmatch(tick, text) for text in ticks), ticks
        phone.screenshot(f"span-{span}")
    _fits_the_phone(phone)


def test_an_operator_registers_a_gauge_with_a_gateway_key_that_reports(phone: Web) -> None:
    page = phone.page
    phone.login("operator", next_path="/console/sensor/baru")
    assert page.url.endswith("/console/sensor/baru")
    page.get_by_label("Nama perangkat").fill("Pos Duga Air Parit Tokaya (uji)")
    page.get_by_label("Perangkat Daerah pengelola").select_option("pupr")
    page.wait_for_selector("#pick-map[data-ready='true']")
    page.locator("#pick-map").scroll_into_view_if_needed()
    box = page.locator("#pick-map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    assert re.fullmatch(r"-?0\.\d{5}", page.get_by_label("Lintang (latitude)").input_value())
    assert page.get_by_label("Bujur (longitude)").input_value().startswith("109.")
    page.get_by_label("Besaran yang diukur").select_option("water_level")
    assert page.get_by_label("Satuan").input_value() == "cm"
    page.get_by_label("Nama sensor baru").fill("Sensor ultrasonik 5 m")
    page.get_by_label("Waspada mulai").fill("270")
    page.get_by_label("Siaga mulai").fill("285")
    page.get_by_label("Awas mulai").fill("300")
    phone.screenshot("form-filled")
    _fits_the_phone(phone)
    with page.expect_navigation():
        page.get_by_role("button", name="Daftarkan").click()
    phone.settle()
    match = re.search(r"/console/sensor/(\d+)\?ok=created$", page.url)
    assert match, page.url
    thing_id = match.group(1)
    assert page.get_by_text("Perangkat terdaftar.").is_visible()

    with page.expect_navigation():
        page.get_by_role("button", name="Buat kunci gateway").click()
    phone.settle()
    secret = page.locator("#key-secret").inner_text().strip()
    assert secret.startswith("pk_")
    stream = re.search(r"Datastreams\((\d+)\)", page.locator("#new-key").inner_text())
    assert stream
    _fits_the_phone(phone)

    body = [
        {
            "Datastream": {"@iot.id": int(stream.group(1))},
            "components": ["phenomenonTime", "result"],
            "dataArray": [[page.evaluate("new Date().toISOString()"), 231.4]],
        }
    ]
    response = page.request.post(
        phone.url("/sta/v1.1/CreateObservations"), data=body, headers={"X-API-Key": secret}
    )
    assert response.status == 201, response.text()
    phone.goto(f"/sensor/{thing_id}")
    assert page.locator(".big-reading").inner_text().startswith("231,4 cm")
    assert page.locator(".status-line .health-badge").inner_text() == "Aktif"


_ONE_STATION_PER_LOOK = """() => {
  const byLook = new Map();
  for (const item of document.querySelectorAll('.station-item')) {
    const look = [item.className, item.querySelector('.station-kind').textContent,
                  item.querySelector('.station-meta .health-badge')?.className || ''].join('|');
    const path = item.querySelector('.station-link').getAttribute('href');
    if (!byLook.has(look)) byLook.set(look, path);
  }
  return [...byLook.values()];
}"""


def test_sensor_pages_meet_the_contrast_minimum(web: Web) -> None:
    web.goto("/sensor")
    web.page.wait_for_selector("#sensor-map[data-ready='true']")
    # One station page per look: kind, status colour and health badge (the template is shared).
    paths = web.page.evaluate(_ONE_STATION_PER_LOOK)
    assert len(paths) >= 3
    for path in ["/sensor", "/sensor?lang=en", *paths]:
        web.goto(path)
        failures = web.page.evaluate(_LOW_CONTRAST)
        assert failures == [], f"{path}: text below WCAG AA contrast:\n" + "\n".join(failures)
    web.goto("/?lang=id")  # back to Indonesian for the sign-in form
    web.login("timteknis")
    for path in ["/console/sensor", "/console/sensor/baru", "/console/sensor/2"]:
        web.goto(path)
        failures = web.page.evaluate(_LOW_CONTRAST)
        assert failures == [], f"{path}: text below WCAG AA contrast:\n" + "\n".join(failures)
