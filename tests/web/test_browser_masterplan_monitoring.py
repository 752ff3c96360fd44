"""Monitoring in a real browser, over a copy of the demo: a PD officer of Dinas PUPR reports
a value of its indicator with two evidence files (after a refused try), the technical team
opens the evidence from its verification queue and verifies it, and the public dimension
page shows the verified value on a phone; the dashboards draw the progress.

The indicator is created in a prepare step through the services, so the test does not
depend on the demo's own programmes. The server, its database copy and its media are the
test's own.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select

from pontive.core.db import Database
from pontive.core.identity import Actor, ActorKind
from pontive.core.roles import Role
from pontive.masterplan import service
from pontive.masterplan.choices import RealisationStatus
from pontive.masterplan.console_monitoring_support import this_year
from pontive.masterplan.models import Realisation
from tests.conftest import DemoDatabase
from tests.web.conftest import LiveServer, Web, serve_demo_copy
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = pytest.mark.browser

MON = "/console/masterplan/pemantauan"
CODE = "UJI-ENV-01.I1"
NAME = "Saluran drainase primer yang dipantau sensor muka air"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 780}
TEAM = Actor(kind=ActorKind.USER, role=Role.TIM_TEKNIS, id=0, name="persiapan-uji")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _prepare(database_url: str) -> None:
    """A Smart Environment programme of PUPR with one indicator: target 60 % this year."""
    database = Database(database_url)
    try:
        with database.session() as session:
            year = this_year()
            owner = service.save_programme(
                session,
                actor=TEAM,
                data=service.ProgrammeInput(
                    code="UJI-ENV-01", name="Drainase pintar Sungai Kapuas",
                    dimensi_kode="environment", pd_kode="pupr", start_year=year - 1,
                    end_year=year + 4, description="Sensor muka air di saluran primer.",
                ),
            )  # fmt: skip
            service.save_indicator(
                session,
                actor=TEAM,
                data=service.IndicatorInput(
                    code=CODE, name_id=NAME, unit="%", direction="higher", pd_kode="pupr",
                    targets={year - 1: 40.0, year: 60.0}, sumber="Dinas PUPR",
                ),
                programme=owner,
            )  # fmt: skip
            session.commit()
    finally:
        database.dispose()


@pytest.fixture(scope="module")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The live server's media folder (the evidence files)."""
    return tmp_path_factory.mktemp("masterplan-monitoring-media")


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, demo_database: DemoDatabase, media_root: Path
) -> Iterator[LiveServer]:
    """The app on its own copy of the demo, with the indicator prepared."""
    yield from serve_demo_copy(
        tmp_path_factory, demo_database, "mp-monitoring", prepare=_prepare, media_dir=media_root
    )


def readable(web: Web) -> None:
    """The page's text meets the WCAG AA contrast minimum."""
    failures = web.page.evaluate(_LOW_CONTRAST)
    assert failures == [], f"{web.page.url}: text below WCAG AA contrast:\n" + "\n".join(failures)


def fits(web: Web) -> None:
    """The page does not scroll sideways."""
    width = web.page.evaluate("document.documentElement.scrollWidth")
    assert width <= web.page.viewport_size["width"], f"{web.page.url} scrolls sideways"


def submit(web: Web, button: str, scope: Any = None) -> None:
    """Press a form's button and wait for the next page."""
    where = scope if scope is not None else web.page
    with web.page.expect_navigation():
        where.get_by_role("button", name=button, exact=True).click()
    web.settle(shot=False)


def entries(live_server: LiveServer) -> list[Realisation]:
    """The indicator's entries in the server's database, with their evidence."""
    database = Database(live_server.database_url)
    try:
        with database.session(write=False) as session:
            indicator = service.get_indicator(session, CODE)
            rows = session.scalars(
                select(Realisation).where(Realisation.indicator_id == indicator.id)
            ).all()
            for row in rows:
                _ = list(row.evidence)
            session.expunge_all()
            return list(rows)
    finally:
        database.dispose()


def test_a_reported_value_is_verified_and_shown_in_public(
    web: Web, phone: Web, live_server: LiveServer
) -> None:
    page = web.page
    page.set_viewport_size(DESKTOP)
    year = this_year()

    # 1. The PD officer reports, with evidence.
    web.login("petugas.pupr", next_path=MON)
    assert page.get_by_role("heading", level=1).inner_text() == "Pemantauan realisasi"
    row = page.locator(f'#indicators tr[data-code="{CODE}"]')
    assert NAME in row.inner_text()
    web.screenshot("pd-overview")
    readable(web)
    with page.expect_navigation():
        row.get_by_role("link", name="Laporkan").click()
    web.settle(shot=False)
    form = page.locator("#form-report")
    form.get_by_label("Nilai (%)").fill("banyak")
    web.expect_error_status(f"{MON}/indikator/{CODE}/lapor")
    submit(web, "Kirim untuk diverifikasi")
    assert page.locator("#f-value-error").is_visible()
    web.screenshot("pd-refused")
    form = page.locator("#form-report")
    form.get_by_label("Tanggal data").fill(date(year, 1, 31).isoformat())
    form.get_by_label("Nilai (%)").fill("72,5")
    form.get_by_label("Catatan").fill("Rekap sensor Januari: 29 dari 40 saluran terpantau.")
    form.locator('input[type="file"]').set_input_files(
        [
            {"name": "rekap-januari.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "lokasi.png", "mimeType": "image/png", "buffer": _png()},
        ]
    )
    web.screenshot("pd-filled")
    submit(web, "Kirim untuk diverifikasi")
    assert page.get_by_role("status").inner_text().startswith("Realisasi dilaporkan")
    entry = page.locator("#history li").first
    assert entry.get_attribute("data-status") == "submitted"
    assert entry.locator("a[data-evidence]").all_inner_texts() == [
        "rekap-januari.pdf",
        "lokasi.png",
    ]
    web.screenshot("pd-reported")
    readable(web)
    (stored,) = entries(live_server)
    assert (stored.value, stored.status) == (72.5, RealisationStatus.SUBMITTED)
    assert [e.content_type for e in stored.evidence] == ["application/pdf", "image/png"]

    # 2. The technical team checks the evidence and verifies.
    page.context.clear_cookies()
    web.login("timteknis", next_path=f"{MON}/verifikasi")
    card = page.locator(f'#queue li[data-entry="{stored.id}"]')
    assert NAME in card.inner_text()
    assert "72,5" in card.inner_text()
    web.screenshot("team-queue")
    readable(web)
    href = card.locator("a[data-evidence]").first.get_attribute("href")
    evidence = page.context.request.get(web.url(href))
    assert evidence.status == 200
    assert evidence.body() == PDF
    submit(web, "Verifikasi", card)
    assert page.get_by_role("status").inner_text() == "Realisasi diverifikasi."
    assert page.locator(f'#queue li[data-entry="{stored.id}"]').count() == 0
    web.screenshot("team-verified")
    (stored,) = entries(live_server)
    assert stored.status is RealisationStatus.VERIFIED

    web.goto(f"{MON}/dimensi")
    programme = page.locator('tr[data-programme="UJI-ENV-01"]')
    assert programme.get_attribute("data-progress") == "1.0000"  # 72.5 of 60, capped
    assert programme.locator("svg.mp-spark").count() == 1
    web.screenshot("team-dimensions")
    readable(web)

    # 3. Anyone, on a phone, sees the verified value.
    phone.page.set_viewport_size(PHONE)
    phone.goto("/smartcity/environment")
    card = phone.page.locator(f'[data-indicator="{CODE}"]')
    assert "72,5 %" in card.inner_text().replace("\u00a0", " ")
    assert card.locator('[data-rag="green"]').count() == 1
    assert "timteknis" not in phone.page.content().lower()
    assert "rekap-januari" not in phone.page.content()
    fits(phone)
    readable(phone)
    phone.screenshot("public-dimension-phone")
    phone.goto("/smartcity")
    assert phone.page.locator('[data-dimension="environment"]').count() == 1
    fits(phone)
    readable(phone)
    phone.screenshot("public-index-phone")


def test_the_dashboards_and_import_page_render_for_the_team(web: Web) -> None:
    page = web.page
    page.set_viewport_size(DESKTOP)
    web.login("timteknis", next_path=MON)
    for path, label in (
        (f"{MON}/pd", "team-agencies"),
        (f"{MON}/kelurahan", "team-kelurahan"),
        (f"{MON}/impor", "team-import"),
        (f"{MON}/indikator/{CODE}", "team-indicator"),
        ("/smartcity/environment?lang=en", "public-dimension-desktop-en"),
        ("/smartcity", "public-index-desktop"),
    ):
        web.goto(path)
        readable(web)
        web.screenshot(label)
    page.set_viewport_size(PHONE)
    web.goto(f"{MON}/indikator/{CODE}")
    fits(web)
    web.screenshot("team-indicator-phone")


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 110, 160)).save(out, format="PNG")
    return out.getvalue()
