"""The sensor data-quality page in a real browser over the demo: an operator reads the flags
the demo's faults raised, dismisses one, and finds the flagged readings marked on the
stations' charts (and the dismissed one no longer)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from pontive.analytics import access
from pontive.analytics.quality_models import QualityFlag
from pontive.core.db import Database
from pontive.sensors.models import Thing
from tests.conftest import DemoDatabase
from tests.web.conftest import LiveServer, Web, serve_demo_copy

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def quality_server(
    tmp_path_factory: pytest.TempPathFactory, demo_database: DemoDatabase
) -> Iterator[LiveServer]:
    """A server over a copy of the demo of its own: this test changes a flag's status."""
    yield from serve_demo_copy(tmp_path_factory, demo_database, "quality")


@pytest.fixture
def tab(context: Any, quality_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[Web]:
    """A tab on that server that fails the test on console errors and CSP violations."""
    page = context.new_page()
    page.set_default_timeout(15_000)
    name = re.sub(r"[^A-Za-z0-9_]+", "-", request.node.name).strip("-")
    web = Web(page=page, base_url=quality_server.url, name=name)
    page.on("console", web._watch)
    page.on("pageerror", lambda error: web.problems.append(f"page error: {error}"))
    yield web
    page.close()
    if web.problems:
        pytest.fail("the page reported problems:\n" + "\n".join(web.problems))


def _thing_id(server: LiveServer, demo_key: str) -> int:
    database = Database(server.database_url)
    try:
        with database.session(write=False) as session:
            for thing_id, props in session.execute(select(Thing.id, Thing.properties)):
                if (props or {}).get("pontive_demo") == demo_key:
                    return int(thing_id)
    finally:
        database.dispose()
    raise AssertionError(f"no demo station {demo_key}")


def _status(server: LiveServer, flag_id: int) -> str:
    database = Database(server.database_url)
    try:
        with database.session(write=False) as session:
            flag = session.get(QualityFlag, flag_id)
            assert flag is not None
            return flag.status.value
    finally:
        database.dispose()


def test_an_operator_dismisses_a_flag_and_the_charts_mark_the_others(
    tab: Web, quality_server: LiveServer
) -> None:
    page = tab.page
    tab.login("operator", next_path=access.QUALITY_PATH)
    assert page.get_by_role("heading", name="Kualitas data sensor", level=1).is_visible()
    assert page.locator("#q-counts tbody tr").count() >= 6
    assert page.locator("#q-completeness li").count() == 19
    kinds = set(page.locator(".q-flag").evaluate_all("cards => cards.map(c => c.dataset.kind)"))
    assert {"spike", "stuck", "drift", "gap"} <= kinds

    page.get_by_label("Jenis", exact=True).select_option("spike")
    with page.expect_navigation():
        page.get_by_role("button", name="Tampilkan").click()
    tab.settle()
    cards = page.locator(".q-flag")
    assert cards.count() == 2
    air = cards.filter(has_text="Pontianak Kota")
    assert air.locator("svg.q-chart .q-mark-spike").count() == 1
    flag_id = int((air.get_attribute("id") or "").removeprefix("flag-"))
    with page.expect_navigation():
        air.get_by_role("button", name="Tolak (data benar)").click()
    tab.settle()
    assert page.locator("#flash").is_visible()
    assert page.locator(f"#flag-{flag_id}").get_attribute("data-status") == "dismissed"
    assert _status(quality_server, flag_id) == "dismissed"
    assert "jenis=spike" in page.url  # back to the list as it was filtered

    tab.goto(f"/sensor/{_thing_id(quality_server, 'jembatan-kapuas-1')}")
    chart = page.locator("figure.sensor-figure").first
    marker = chart.locator("svg.chart-wide path.qflag-spike")
    assert marker.count() == 1
    assert marker.is_visible()
    assert "Lonjakan" in (marker.locator("title").text_content() or "")
    assert chart.get_by_text("Pembacaan bertanda kualitas data (1)").is_visible()
    chart.scroll_into_view_if_needed()
    tab.screenshot("station-marked")

    tab.goto(f"/sensor/{_thing_id(quality_server, 'udara-pontianak-kota')}")
    assert page.locator("svg.sensor-chart path.qflag").count() == 0  # dismissed: no mark
