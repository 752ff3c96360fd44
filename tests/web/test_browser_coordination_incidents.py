"""Incidents and tasks of the coordination console in a real browser, over the demo: an
operator opens a flood incident on the map (after a refused try), links a camera the
suggestions panel finds near it in one click, and assigns a task to Dinas PUPR; the PUPR
officer starts and completes it on a phone; the operator sees it done in the timeline and
downloads the interim report.

These tests change the demo, so they run on a live server of their own, over their own copy
of the demo database and their own media folder. Screenshots go to test-artifacts/ and, for
review, to /tmp/shots/incidents-*.png (desktop 1366x900, phone 360x780).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.cctv.models import Camera
from pontive.coordination.models import Incident, Task
from pontive.core.db import Database
from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.timeutil import WIB, utcnow
from tests.conftest import DemoDatabase
from tests.web.conftest import LiveServer, Web, serve_demo_copy
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = pytest.mark.browser

CONSOLE = "/console/koordinasi"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 780}
CAMERA = "Pintu air Parit Tokaya"  # a demo flood camera of Dinas PUPR
TITLE = "Banjir rob di sekitar Parit Tokaya"
TASK = "Pasang pompa portabel di Parit Tokaya"


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, demo_database: DemoDatabase
) -> Iterator[LiveServer]:
    """The app on its own copy of the demo and its own media (photos, reports)."""
    media = tmp_path_factory.mktemp("coordination-media")
    yield from serve_demo_copy(tmp_path_factory, demo_database, "coord", media_dir=media)


@pytest.fixture
def live_db(live_server: LiveServer) -> Iterator[Session]:
    """A session on the live server's database, to read what the pages did."""
    database = Database(live_server.database_url)
    with database.session(write=False) as session:
        session.info[SESSION_BUS_KEY] = MemoryBus()
        yield session
    database.dispose()


def fresh_one(session: Session, query: object) -> object:
    """One row as the database holds it now (the transaction ends at once: a reader's open
    transaction must not keep the live server's writes waiting)."""
    session.expire_all()
    try:
        row = session.scalars(query).first()  # type: ignore[call-overload]
        session.expunge_all()
        return row
    finally:
        session.rollback()


def photo() -> bytes:
    """A photo from the field: water in a lane, a pump by the wall."""
    image = Image.new("RGB", (800, 600), (92, 120, 138))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 380, 800, 600), fill=(70, 96, 112))  # the water
    draw.rectangle((0, 120, 220, 380), fill=(188, 170, 150))  # houses
    draw.rectangle((560, 140, 800, 380), fill=(176, 160, 140))
    draw.rectangle((330, 300, 450, 400), fill=(200, 60, 40))  # the pump
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def readable(web: Web) -> None:
    """The page's text meets the WCAG AA contrast minimum."""
    failures = web.page.evaluate(_LOW_CONTRAST)
    assert failures == [], f"{web.page.url}: text below WCAG AA contrast:\n" + "\n".join(failures)


def no_sideways_scroll(web: Web) -> None:
    """The page fits the viewport's width."""
    width = web.page.evaluate("document.documentElement.scrollWidth")
    assert width <= web.page.viewport_size["width"], f"{web.page.url} scrolls sideways"


def test_an_operator_opens_an_incident_links_a_camera_and_assigns_a_task(
    web: Web, live_db: Session
) -> None:
    page = web.page
    page.set_viewport_size(DESKTOP)
    camera = fresh_one(live_db, select(Camera).where(Camera.name == CAMERA))
    assert isinstance(camera, Camera)
    web.login("operator", next_path=CONSOLE)
    assert page.get_by_role("heading", level=1).inner_text() == "Insiden Kota"
    page.wait_for_selector("#co-map[data-ready=true]")
    readable(web)
    web.screenshot("list-before")

    with page.expect_navigation():
        page.get_by_role("link", name="Buka insiden").click()
    web.settle()
    page.wait_for_selector(".co-pick-map[data-ready=true]")
    page.get_by_label("Judul").fill(TITLE)
    page.get_by_label("Jenis insiden").select_option("banjir")
    page.get_by_label("Tingkat keparahan").select_option("tinggi")
    page.get_by_label("Uraian").fill("Air pasang setinggi 40 cm masuk ke permukiman warga.")
    web.expect_error_status(f"{CONSOLE}/baru")  # no place yet: the form comes back, 422
    with page.expect_navigation():
        page.get_by_role("button", name="Buka insiden").click()
    web.settle()
    assert page.locator("#f-location-error").is_visible()
    assert page.get_by_label("Judul").input_value() == TITLE
    readable(web)
    web.screenshot("new-refused")

    page.locator(".co-pick-map").scroll_into_view_if_needed()
    box = page.locator(".co-pick-map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.get_by_label("Lintang").input_value() != ""  # the map click fills them in
    page.get_by_label("Lintang").fill(f"{camera.lat + 0.0008:.6f}")
    page.get_by_label("Bujur").fill(f"{camera.lon:.6f}")
    page.get_by_label("Perangkat Daerah penanggung jawab").select_option("bpbd")
    agencies = page.get_by_role("group", name="Perangkat Daerah yang dilibatkan")
    agencies.get_by_label("Dinas PUPR", exact=True).check()
    web.screenshot("new-filled")
    with page.expect_navigation():
        page.get_by_role("button", name="Buka insiden").click()
    web.settle()
    assert page.get_by_role("status").inner_text() == "Insiden dibuka."
    code = page.locator("#incident-code").inner_text()
    assert code.startswith("INS-")
    page.wait_for_selector("#co-incident-map[data-ready=true]")
    readable(web)
    web.screenshot("page-opened")

    # The camera 90 m away is suggested; one click links it.
    candidate = page.locator(f'#saran .co-cand[data-ref="{camera.code}"]')
    assert candidate.is_visible()
    assert int(page.locator("#co-incident-map").get_attribute("data-suggested") or 0) >= 1
    with page.expect_navigation():
        candidate.get_by_role("button", name="Tautkan").click()
    web.settle()
    assert page.get_by_role("status").inner_text() == "Data ditautkan ke insiden."
    assert page.locator(f'#tautan li[data-ref="{camera.code}"]').is_visible()
    assert page.locator(f'#saran .co-cand[data-ref="{camera.code}"]').count() == 0
    assert page.locator("#co-incident-map").get_attribute("data-linked") == "1"

    # A task for PUPR, due in three hours (typed in WIB).
    page.get_by_text("Beri tugas ke Perangkat Daerah").click()
    due = (utcnow() + timedelta(hours=3)).astimezone(WIB).strftime("%Y-%m-%dT%H:%M")
    form = page.locator("#form-task")
    form.get_by_label("Tugas", exact=True).fill(TASK)
    form.get_by_label("Perangkat Daerah yang ditugasi").select_option("pupr")
    form.get_by_label("Prioritas").select_option("mendesak")
    form.get_by_label("Batas waktu (WIB)").fill(due)
    with page.expect_navigation():
        form.get_by_role("button", name="Buat tugas").click()
    web.settle()
    assert page.get_by_role("status").inner_text().startswith("Tugas dibuat")
    assert page.locator("#incident-tasks li").filter(has_text=TASK).is_visible()
    readable(web)
    web.screenshot("page-with-task")
    web.goto(f"{CONSOLE}/tugas")
    assert page.locator("#task-table tbody tr").filter(has_text=TASK).is_visible()
    web.screenshot("tasks-operator")
    web.goto(CONSOLE)
    page.wait_for_selector("#co-map[data-ready=true]")
    assert page.locator(f'.co-pin[data-code="{code}"]').get_attribute("data-severity") == "tinggi"
    web.screenshot("list-after")


def test_the_pupr_officer_completes_its_task_on_a_phone(phone: Web, live_db: Session) -> None:
    task = fresh_one(live_db, select(Task).where(Task.title == TASK))
    assert isinstance(task, Task), "runs after the operator's test"
    page = phone.page
    page.set_viewport_size(PHONE)
    phone.login("petugas.pupr", next_path=f"{CONSOLE}/tugas")
    rows = page.locator("#task-table tbody tr[data-code]")
    assert rows.count() >= 1
    assert all(
        pd == "Dinas PUPR"
        for pd in page.locator("#task-table tbody tr[data-code] td:nth-child(2)").all_inner_texts()
    )
    assert page.locator("#filter-pd").count() == 0
    assert page.get_by_role("link", name="Antrean laporan warga").is_visible()
    no_sideways_scroll(phone)
    readable(phone)
    phone.screenshot("phone-tasks")

    with page.expect_navigation():
        rows.filter(has_text=TASK).get_by_role("link", name=TASK).click()
    phone.settle()
    assert page.locator("#form-edit").count() == 0  # reassigning is the command center's
    with page.expect_navigation():
        page.get_by_role("button", name="Mulai kerjakan").click()
    phone.settle()
    assert page.get_by_role("status").inner_text() == "Status tugas diperbarui."
    assert page.locator("#task-status").inner_text() == "Dikerjakan"
    page.get_by_label("Apa yang sudah dikerjakan").fill("Dua pompa portabel menyala sejak 19.10.")
    phone.screenshot("phone-task-completing")
    with page.expect_navigation():
        page.get_by_role("button", name="Tandai selesai").click()
    phone.settle()
    assert page.locator("#task-status").inner_text() == "Selesai"
    assert "Dua pompa portabel" in page.locator("#task-result").inner_text()
    no_sideways_scroll(phone)
    readable(phone)
    phone.screenshot("phone-task-done")

    # The officer's agency is involved: it reads the incident, and reports on it.
    incident = fresh_one(live_db, select(Incident).where(Incident.title == TITLE))
    assert isinstance(incident, Incident)
    phone.goto(f"{CONSOLE}/{incident.code}")
    assert page.locator("#form-status").count() == 0
    assert page.locator("#saran").count() == 0
    entries = page.locator(".co-timeline .co-entry[data-kind=task]")
    assert "selesai" in entries.first.inner_text()
    page.get_by_text("Tambah laporan situasi atau foto").click()
    page.get_by_label("Isi catatan").fill("Air surut 15 cm di Gang Tokaya 3.")
    with page.expect_navigation():
        page.get_by_role("button", name="Tambahkan ke kronologi").click()
    phone.settle()
    assert page.get_by_role("status").inner_text() == "Catatan ditambahkan ke kronologi."
    page.get_by_text("Tambah laporan situasi atau foto").click()
    page.get_by_label("Foto", exact=True).set_input_files(
        files=[{"name": "tokaya.jpg", "mimeType": "image/jpeg", "buffer": photo()}]
    )
    page.get_by_label("Keterangan foto").fill("Pompa portabel di mulut gang")
    with page.expect_navigation():
        page.get_by_role("button", name="Unggah foto").click()
    phone.settle()
    image = page.locator(".co-entry[data-kind=photo] img").first
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert image.get_attribute("alt") == "Pompa portabel di mulut gang"
    no_sideways_scroll(phone)
    readable(phone)
    phone.screenshot("phone-incident")
    phone.goto(CONSOLE)
    page.wait_for_selector("#co-map[data-ready=true]")
    assert page.locator(f'#incident-table tr[data-code="{incident.code}"]').is_visible()
    no_sideways_scroll(phone)
    phone.screenshot("phone-list")


def test_the_operator_sees_the_work_done_and_the_interim_report(web: Web, live_db: Session) -> None:
    incident = fresh_one(live_db, select(Incident).where(Incident.title == TITLE))
    assert isinstance(incident, Incident), "runs after the operator's test"
    page = web.page
    page.set_viewport_size(DESKTOP)
    web.login("operator", next_path=f"{CONSOLE}/{incident.code}")
    assert (
        page.locator("#incident-tasks li")
        .filter(has_text=TASK)
        .locator("[data-tst=selesai]")
        .is_visible()
    )
    assert page.locator("#response-times").get_by_text("1 tugas, 1 selesai").is_visible()
    response = page.request.get(web.url(f"{CONSOLE}/{incident.code}/laporan.pdf"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    with page.expect_navigation():
        page.get_by_role("button", name="Tandai Ditangani").click()
    web.settle()
    assert page.locator("[data-ist]").first.inner_text() == "Ditangani"
    page.get_by_text("Tambah laporan situasi atau foto").click()
    page.get_by_label("Keputusan").check()
    page.get_by_label("Isi catatan").fill("Jl. Parit Tokaya ditutup untuk kendaraan roda dua.")
    with page.expect_navigation():
        page.get_by_role("button", name="Tambahkan ke kronologi").click()
    web.settle()
    decision = page.locator(".co-entry[data-kind=decision]").first
    assert "ditutup untuk kendaraan roda dua" in decision.inner_text()
    readable(web)
    web.screenshot("page-handled")
    web.goto(f"{CONSOLE}/{incident.code}?lang=en")
    assert page.get_by_role("heading", name="Timeline").is_visible()
    web.goto(f"{CONSOLE}?lang=id")
