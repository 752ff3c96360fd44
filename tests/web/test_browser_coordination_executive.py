"""The executive view in a real browser, over the demo plus a busier day: the mayor opens
``/console/eksekutif`` on a desktop (1366 x 900) and a tablet (1024 x 768), reads the figures,
the week's charts and the agencies' table, prints it, and drills down to an incident and an
agency's tasks; an incident opened through the API by the command center appears on reload.

The day's extra incidents and tasks change the demo, so the test runs on a live server of its
own over its own copy of the demo database. Screenshots go to ``/tmp/shots/exec-*.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from pontive.coordination import reports, service, tasks
from pontive.core.db import Database
from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from pontive.demo import DEMO_PASSWORD
from tests.conftest import DemoDatabase
from tests.coordination.support import LAT, LON, OPERATOR, incident_input
from tests.web.conftest import LiveServer, Web, serve_demo_copy
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = pytest.mark.browser

PAGE = "/console/eksekutif"
DESKTOP = {"width": 1366, "height": 900}
TABLET = {"width": 1024, "height": 768}
FIRE = "Kebakaran lahan gambut di Jl. Parit Haji Husin II"


def _busy_day(session: Session, media: MediaStore) -> None:
    """A critical fire being handled, a water outage, last week's closed incidents, and
    tasks across agencies: some done on time, one late, one overdue."""
    now = utcnow()
    fire = service.open_incident(
        session,
        actor=OPERATOR,
        data=incident_input(
            title=FIRE,
            kind="kebakaran",
            severity="kritis",
            lon=LON + 0.004,
            lat=LAT - 0.012,
            lead_pd_kode="bpbd",
            agencies=["satpolpp", "dinkes"],
            description="Api menjalar ke lahan warga; asap tebal menutup jalan.",
        ),
    )
    service.set_status(session, actor=OPERATOR, incident=fire, status="ditangani")
    service.open_incident(
        session,
        actor=OPERATOR,
        data=incident_input(
            title="Gangguan air bersih di Pontianak Barat",
            kind="gangguan_layanan",
            severity="sedang",
            lead_pd_kode="pupr",
            agencies=[],
        ),
    )
    for days_ago, title in (
        (5, "Pohon tumbang di Jl. Sultan Abdurrahman"),
        (3, "Genangan di Jl. Tanjungpura"),
    ):
        past = service.open_incident(
            session,
            actor=OPERATOR,
            now=now - timedelta(days=days_ago),
            data=incident_input(title=title, severity="sedang", kind="pohon_tumbang"),
        )
        reports.close_incident(
            session,
            actor=OPERATOR,
            incident=past,
            media=media,
            now=now - timedelta(days=days_ago - 1),
            summary="Ditangani tuntas oleh tim gabungan dalam satu hari.",
            lessons="Pemeriksaan rutin mencegah kejadian serupa.",
        )
    for pd_kode, title, on_time in (
        ("bpbd", "Siagakan mobil pemadam tambahan", True),
        ("dinkes", "Posko kesehatan untuk warga terdampak asap", True),
        ("satpolpp", "Amankan jalur evakuasi", True),
        ("pupr", "Perbaiki pipa distribusi utama", False),
    ):
        task = tasks.create_task(
            session,
            actor=OPERATOR,
            incident=fire,
            data=tasks.TaskInput(title, pd_kode, "tinggi", now + timedelta(hours=2)),
        )
        tasks.move_task(session, actor=OPERATOR, task=task, status="selesai", note="Selesai.")
        task.completed_at = now - timedelta(hours=3 if on_time else 1)
        task.due_at = now - timedelta(hours=2)
    late = tasks.create_task(
        session,
        actor=OPERATOR,
        incident=fire,
        data=tasks.TaskInput(
            "Masker untuk sekolah terdekat", "dinkes", "mendesak", now + timedelta(hours=1)
        ),
    )
    late.due_at = now - timedelta(minutes=30)


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, demo_database: DemoDatabase
) -> Iterator[LiveServer]:
    """The app on its own copy of the demo, with the busier day added before it starts."""
    media_dir = tmp_path_factory.mktemp("exec-media")

    def busier(database_url: str) -> None:
        database = Database(database_url)
        with database.session() as session:
            session.info[SESSION_BUS_KEY] = MemoryBus()
            _busy_day(session, MediaStore(media_dir))
            session.commit()
        database.dispose()

    yield from serve_demo_copy(
        tmp_path_factory, demo_database, "exec", prepare=busier, media_dir=media_dir
    )


def fits(web: Web) -> None:
    """Nothing sticks out sideways, and the text meets the WCAG AA contrast minimum."""
    width = web.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert width <= 0, f"{web.page.url}: {width}px wider than the window"
    failures = web.page.evaluate(_LOW_CONTRAST)
    assert failures == [], "text below WCAG AA contrast:\n" + "\n".join(failures)


def test_the_mayor_reads_the_executive_view_on_desktop_and_tablet(web: Web) -> None:
    page = web.page
    page.set_viewport_size(DESKTOP)
    web.login("walikota", next_path=PAGE)
    assert page.url.endswith(PAGE)
    assert page.get_by_role("heading", level=1).inner_text() == "Ringkasan Pimpinan"
    assert "WIB" in page.locator(".ex-asof").inner_text()
    assert page.locator(".ex-mode h2").inner_text()
    assert page.get_by_role("button", name="Cetak").is_visible()  # shown by its script

    figures = page.locator(".ex-figure")
    assert figures.count() == 5
    assert int(figures.first.locator(".ex-figure-n").inner_text()) >= 3
    first = page.locator(".ex-incident").first
    assert FIRE in first.inner_text()
    assert "Kritis" in first.inner_text()
    assert page.locator(".ex-urg").count() == 4

    charts = page.locator("svg.ex-svg")
    assert charts.count() == 2
    for index in range(2):
        chart = charts.nth(index)
        assert chart.get_attribute("role") == "img"
        assert chart.locator("rect.ex-bar").count() == 14
        box = chart.bounding_box()
        assert box is not None
        assert box["width"] > 300
        assert box["height"] > 120
    incidents_chart = page.locator("#ex-chart-incidents")
    incidents_chart.get_by_text("Lihat angka per hari").click()
    assert incidents_chart.locator("tbody tr").count() == 7

    rows = page.locator("#ex-agency-table tbody tr")
    assert rows.count() >= 4
    dinkes = page.locator('#ex-agency-table tr[data-pd="dinkes"]')
    assert dinkes.locator(".ex-late").inner_text() == "1"
    assert "1 dari 2 tugas" in dinkes.inner_text()  # one on time, one still open past due
    assert "100%" in page.locator('#ex-agency-table tr[data-pd="satpolpp"]').inner_text()
    pupr = page.locator('#ex-agency-table tr[data-pd="pupr"]')
    assert pupr.locator(".ex-rate-n").first.inner_text().endswith("%")  # the demo's reports
    fits(web)
    web.screenshot("desktop")

    page.set_viewport_size(TABLET)
    web.goto(PAGE)
    fits(web)
    web.screenshot("tablet")
    for index in range(2):
        box = charts.nth(index).bounding_box()
        assert box is not None
        assert box["width"] > 300

    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.get_by_role("button", name="Cetak").is_visible()
    web.screenshot("print")
    page.emulate_media(media="screen")

    web.goto(f"{PAGE}?lang=en")
    assert page.get_by_role("heading", level=1).inner_text() == "Executive Summary"
    fits(web)
    web.screenshot("desktop-en")


def test_the_mayor_drills_down_to_an_incident_and_an_agencys_tasks(web: Web) -> None:
    page = web.page
    page.set_viewport_size(DESKTOP)
    web.login("walikota", next_path=PAGE)
    link = page.locator(".ex-incident").first
    code = link.get_attribute("data-code")
    assert code
    assert link.get_attribute("href") == f"/console/koordinasi/{code}"
    with page.expect_navigation():
        link.click()
    web.settle()
    assert page.url.endswith(f"/console/koordinasi/{code}")
    assert code in page.locator("main").inner_text()

    web.goto(PAGE)
    drill = page.locator('#ex-agency-table tr[data-pd="dinkes"]').get_by_role("link", name="Tugas")
    assert drill.get_attribute("href") == "/console/koordinasi/tugas?pd=dinkes"
    with page.expect_navigation():
        drill.click()
    web.settle()
    assert page.url.endswith("/console/koordinasi/tugas?pd=dinkes")
    assert "Masker untuk sekolah terdekat" in page.locator("main").inner_text()  # open, late


def test_an_incident_opened_through_the_api_appears_on_reload(web: Web) -> None:
    page = web.page
    page.set_viewport_size(DESKTOP)
    token = page.request.post(
        web.url("/api/v1/auth/token"),
        data={"username": "operator", "password": DEMO_PASSWORD, "name": "uji"},
    ).json()["access_token"]
    opened = page.request.post(
        web.url("/api/v1/coordination/incidents"),
        headers={"Authorization": f"Bearer {token}"},
        data={
            "title": "Kerumunan di Taman Alun Kapuas",
            "kind": "ketertiban",
            "severity": "tinggi",
            "lon": LON,
            "lat": LAT,
            "lead_pd_kode": "satpolpp",
        },
    )
    assert opened.status == 201, opened.text()
    code = opened.json()["code"]
    assert opened.headers["location"] == f"/api/v1/coordination/incidents/{code}"

    web.login("walikota", next_path=PAGE)
    assert page.locator(f'.ex-incident[data-code="{code}"]').is_visible()
    listed = page.request.get(web.url("/api/v1/coordination/executive")).json()
    assert code in [item["code"] for item in listed["incidents_open"]]
