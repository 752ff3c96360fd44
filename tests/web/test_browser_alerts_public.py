"""The public side of alerts in a browser: the emergency banner follows the city's operating
mode, the situation page redraws itself from the event stream, and an alert's own page shows
its area on the map — on a desktop and on a phone."""

from __future__ import annotations

import json
import urllib.request

import pytest

from pontive.alerts import service
from pontive.alerts.choices import Severity
from pontive.alerts.service import AlertContent
from pontive.core import auth
from pontive.core.db import Database
from pontive.core.identity import system_actor
from pontive.core.roles import Role
from tests.web.conftest import LiveServer, Web
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser")]


def _key(live_server: LiveServer, role: Role) -> str:
    database = Database(live_server.database_url)
    try:
        with database.session() as session:
            _, secret = auth.create_api_key(
                session=session, actor=system_actor("test"), name=f"uji-{role.value}", role=role
            )
            session.commit()
    finally:
        database.dispose()
    return secret


@pytest.fixture(scope="module")
def walikota_key(live_server: LiveServer) -> str:
    """An API key of the mayor's office on the live server (declares and ends modes)."""
    return _key(live_server, Role.WALIKOTA)


@pytest.fixture(scope="module")
def operator_key(live_server: LiveServer) -> str:
    """An API key of the command center (approves and cancels alerts)."""
    return _key(live_server, Role.OPERATOR)


def _api(live_server: LiveServer, path: str, key: str, body: dict[str, object]) -> int:
    request = urllib.request.Request(  # noqa: S310 - our own http://127.0.0.1 server
        f"{live_server.url}{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-API-Key": key},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own server
        return int(response.status)


def _set_mode(live_server: LiveServer, key: str, mode: str, reason: str) -> None:
    assert _api(live_server, "/api/v1/alerts/status", key, {"mode": mode, "reason": reason}) == 200


def test_the_home_page_switches_to_the_emergency_banner_and_back(
    web: Web, live_server: LiveServer, walikota_key: str
) -> None:
    web.goto("/")
    assert web.page.locator(".city-banner.mode-tanggap_darurat").count() == 0
    _set_mode(live_server, walikota_key, "tanggap_darurat", "Banjir pasang besar (uji)")
    try:
        web.goto("/")
        banner = web.page.locator(".city-banner.mode-tanggap_darurat")
        assert banner.is_visible()
        assert "Tanggap darurat bencana" in banner.inner_text()
        assert "Banjir pasang besar (uji)" in banner.inner_text()
        assert banner.locator('a[href="tel:112"]').count() == 1
        web.goto("/?lang=en")
        assert "Disaster emergency response" in web.page.locator(".city-banner").inner_text()
        web.goto("/?lang=id")
    finally:
        _set_mode(live_server, walikota_key, "normal", "Air surut (uji)")
    web.goto("/")
    assert web.page.locator(".city-banner.mode-tanggap_darurat").count() == 0


def test_the_situation_page_updates_live(
    phone: Web, live_server: LiveServer, operator_key: str
) -> None:
    page = phone.page
    page.goto(phone.url("/situasi"))
    page.wait_for_selector("#situation[data-live='true']")
    page.wait_for_selector("#situation-map[data-ready='true']")
    page.wait_for_selector("#situation-map[data-points-ready]")
    stations = int(page.locator("#situation-map").get_attribute("data-points-ready") or "0")
    assert stations == 19  # every demo station is a dot in its status colour
    assert page.locator("#situation-map path.leaflet-interactive").count() > 19
    phone.screenshot("situasi-sebelum")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing sideways
    updates = int(page.locator("#situation").get_attribute("data-updates") or "0")

    database = Database(live_server.database_url)
    try:
        with database.session() as session:
            draft = service.draft_alert(
                session,
                actor=system_actor("test"),
                content=AlertContent(
                    event_id="Banjir pasang",
                    event_en="Tidal flood",
                    headline_id="Uji langsung: Siaga banjir di Tanjung Hulu",
                    headline_en="Live test: flood warning at Tanjung Hulu",
                    severity=Severity.SEVERE,
                    kelurahan_kodes=("61.71.02.1004",),
                ),
            )
            identifier = draft.identifier
    finally:
        database.dispose()
    # Published through the API: the server's own bus carries the news to the page.
    assert _api(live_server, f"/api/v1/alerts/{identifier}/approve", operator_key, {}) == 200
    # (No wait_for_function: its string is evaluated in the page, which our CSP forbids.)
    page.wait_for_selector(f"#situation[data-updates='{updates + 1}']")
    live = page.locator("#situation-live")
    live.get_by_text("Uji langsung: Siaga banjir di Tanjung Hulu").wait_for()
    page.wait_for_selector("#situation-map[data-highlight*='61.71.02.1004']")
    phone.screenshot("situasi-sesudah")
    assert page.evaluate(_LOW_CONTRAST) == []  # the live part as redrawn, alert included
    # The alert's own page, with its area.
    phone.goto(f"/peringatan/{identifier}")
    assert phone.page.locator("h1").inner_text() == "Uji langsung: Siaga banjir di Tanjung Hulu"
    phone.page.wait_for_selector("#alert-map[data-ready='true']")
    assert (
        _api(
            live_server,
            f"/api/v1/alerts/{identifier}/cancel",
            operator_key,
            {"reason": "Uji selesai"},
        )
        == 200
    )


def test_the_alert_list_offers_the_e_mail_list_without_scrolling_sideways(phone: Web) -> None:
    phone.goto("/peringatan")
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    phone.page.get_by_label("Alamat surel").fill("warga@contoh.id")
    with phone.page.expect_navigation():
        phone.page.get_by_role("button", name="Daftar").click()
    phone.settle()
    assert "tautan konfirmasi sudah kami kirim" in phone.page.locator("#langganan").inner_text()
