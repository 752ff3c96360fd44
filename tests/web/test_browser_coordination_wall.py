"""The situation room wall in a real browser at 1920x1080 and 4K, over the demo: every layer
the wall shows is drawn and counted in its map key, the key figures are filled, and an
incident opened elsewhere reaches the wall through the event stream within two seconds —
ticker line, figure and marker — without the page reloading.

The live server runs on its own copy of the demo with an event bus this module holds, so an
incident committed here (a session whose bus is that one) is published to the page's stream,
as it would be from the console in the same process. Screenshots go to ``/tmp/shots``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from pontive.alerts import mode
from pontive.coordination import service
from pontive.coordination.service import IncidentInput
from pontive.core.db import Database
from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.timeutil import utcnow
from tests.alerts.cap_support import make_alert
from tests.conftest import DemoDatabase
from tests.coordination.support import OPERATOR, WALIKOTA
from tests.web.conftest import LiveServer, Web, serve_demo_copy
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = pytest.mark.browser

WALLS = "/console/koordinasi/dinding"
WALL = f"{WALLS}/utama"
HD = {"width": 1920, "height": 1080}
UHD = {"width": 3840, "height": 2160}
POINT_LAYERS = ("incidents", "complaints", "sensors", "cameras")
# Pontianak Timur: its kecamatan goes into emergency mode, its riverbank under an alert.
TIMUR = "61.71.02"
RIVERBANK = ["61.71.02.1002", "61.71.02.1005"]


@pytest.fixture(scope="module")
def bus() -> MemoryBus:
    """The live server's event bus, held here to publish to its event stream."""
    return MemoryBus()


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, demo_database: DemoDatabase, bus: MemoryBus
) -> Iterator[LiveServer]:
    """The app on its own copy of the demo, with the bus above."""
    yield from serve_demo_copy(tmp_path_factory, demo_database, "wall", bus=bus)


@pytest.fixture
def live_db(live_server: LiveServer, bus: MemoryBus) -> Iterator[Session]:
    """A session on the live server's database whose commits reach its event stream."""
    database = Database(live_server.database_url)
    with database.session() as session:
        session.info[SESSION_BUS_KEY] = bus
        yield session
    database.dispose()


def readable(web: Web) -> None:
    """The page's text meets the WCAG AA contrast minimum."""
    failures = web.page.evaluate(_LOW_CONTRAST)
    assert failures == [], f"{web.page.url}: text below WCAG AA contrast:\n" + "\n".join(failures)


def open_wall(web: Web, path: str = WALL) -> dict[str, Any]:
    """Open the wall, wait until its first snapshot is drawn; that snapshot."""
    page = web.page
    page.goto(web.url(path))
    page.wait_for_selector("html[data-rendered]", state="attached")
    page.wait_for_selector("#wall[data-live=live]", state="attached")
    snapshot: dict[str, Any] = page.evaluate(
        "fetch('/console/koordinasi/dinding/utama/data.json').then((r) => r.json())"
    )
    return snapshot


def drawn(snapshot: dict[str, Any], layer: str) -> int:
    """How many features of ``layer`` the wall should have drawn."""
    features = snapshot["layers"][layer]
    if layer == "modes":
        return sum(1 for f in features if f["mode"] != "normal")
    if layer == "alerts":
        return len(features)
    return sum(1 for f in features if f["lat"] is not None and f["lon"] is not None)


def layer_count(web: Web, layer: str) -> int:
    """The count the map key shows for ``layer``."""
    item = web.page.locator(f'.wall-legend-item[data-layer="{layer}"]')
    return int(item.get_attribute("data-layer-count") or "-1")


def shoot(web: Web, name: str) -> None:
    """A screenshot of the screen as it is, for people to look at."""
    web.screenshot(f"wall-{name}", full_page=False)


def flood_input() -> IncidentInput:
    """A critical flood at the Tanjung Raya dyke, Pontianak Timur."""
    return IncidentInput(
        title="Tanggul jebol di Jl. Tanjung Raya II", kind="banjir", severity="kritis",
        lon=109.3655, lat=-0.0412, lead_pd_kode="bpbd", agencies=["pupr"],
        description="Air Kapuas masuk ke permukiman; 40 rumah tergenang setinggi lutut.",
    )  # fmt: skip


def test_the_wall_draws_every_layer_and_follows_an_incident_live(
    web: Web, live_db: Session
) -> None:
    now = utcnow()
    mode.declare_mode(live_db, actor=WALIKOTA, mode="siaga_darurat", kecamatan_kode=TIMUR,
                      reason="Pasang Kapuas di atas ambang siaga")  # fmt: skip
    sent = now - timedelta(minutes=10)
    make_alert(live_db, kelurahan_kodes=RIVERBANK, sent_at=sent, effective_at=sent,
               expires_at=now + timedelta(hours=6))  # fmt: skip
    live_db.commit()

    page = web.page
    page.set_viewport_size(HD)
    web.login("operator", next_path=WALLS)
    assert page.get_by_role("heading", level=1).inner_text() == "Dinding Ruang Situasi"
    page.locator("#wall-utama .cw-edit summary").click()
    shoot(web, "list")
    readable(web)

    snapshot = open_wall(web)
    wall_layers = snapshot["wall"]["layers"]
    assert set(wall_layers) == set(snapshot["layers"])
    for layer in wall_layers:  # every layer the wall shows, drawn and counted
        assert layer_count(web, layer) == drawn(snapshot, layer), layer
    for layer in POINT_LAYERS:  # each point layer on a canvas of its own
        assert page.locator(f".leaflet-wall-{layer}-pane canvas").count() == 1
    assert layer_count(web, "modes") == 1
    assert layer_count(web, "alerts") >= 1
    assert layer_count(web, "complaints") > 0
    assert layer_count(web, "sensors") > 0
    numbers = snapshot["numbers"]
    assert page.locator("#fig-reports").inner_text() == f"{numbers['reports_open']:,}".replace(
        ",", "."
    )
    for figure in ("fig-sla", "fig-incidents", "fig-tasks", "fig-flood", "fig-ispu",
                   "fig-cameras"):  # fmt: skip
        assert page.locator(f"#{figure}").inner_text() not in ("", "—"), figure
    assert page.locator("#wall-mode-value").inner_text() == "Siaga darurat"
    assert page.locator("#wall-conn-text").inner_text() == "Langsung"
    assert page.locator("#fig-urgency li").count() == 4
    assert page.locator("#wall-ticker li").count() >= 1
    readable(web)

    # An incident opened by another operator reaches the wall without a reload.
    page.evaluate("window.__wallMarker = 'tetap'")
    incidents_before = layer_count(web, "incidents")
    pulses_before = page.locator(".wall-pulse").count()
    started = time.monotonic()
    incident = service.open_incident(live_db, actor=OPERATOR, data=flood_input())
    live_db.commit()
    line = page.locator("#wall-ticker li", has_text=f"Insiden {incident.code} dibuka")
    line.wait_for(timeout=2000)
    assert "Tanggul jebol di Jl. Tanjung Raya II" in line.inner_text()
    page.wait_for_function(
        "(n) => document.querySelector('.wall-legend-item[data-layer=incidents]')"
        ".dataset.layerCount === String(n)",
        arg=incidents_before + 1,
        timeout=2000,
    )
    assert time.monotonic() - started < 2.0
    assert page.locator("#fig-incidents").inner_text() == str(numbers["incidents_open"] + 1)
    assert page.locator(".wall-pulse").count() == pulses_before + 1  # critical: pulsing
    assert page.locator(f'#wall-incidents li[data-ref="{incident.code}"]').count() == 1
    assert page.evaluate("window.__wallMarker") == "tetap"  # the same page: no reload
    shoot(web, "1920")
    readable(web)

    page.set_viewport_size(UHD)
    page.reload()
    page.wait_for_selector("html[data-rendered]", state="attached")
    root_font = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert root_font >= 30  # type and markers grow with the screen
    assert page.evaluate("document.documentElement.scrollHeight") <= UHD["height"]
    shoot(web, "3840")

    page.set_viewport_size(HD)
    open_wall(web, f"{WALL}?lang=en")
    assert page.locator(".wall-title").inner_text() == "Pontive Center · Situation Room"
    assert page.locator("#wall-conn-text").inner_text() == "Live"
    assert page.locator("#panel-numbers").inner_text().lower() == "key figures"
    shoot(web, "1920-en")
    page.goto(web.url(f"{WALLS}?lang=id"))


def test_a_pd_officer_is_refused_the_wall(web: Web) -> None:
    web.login("petugas.pupr", next_path="/console/")
    web.goto(WALL, status=403)
