"""The CCTV console in a real browser, over the demo: an operator reviews the camera a citizen
enrolled, reads the owner's contact, approves it, and finds it on the registry map and the
video wall, whose tiles open views that close when the page goes away; a footage request to
the owner of an on-request camera; the technical team reads the viewing log, registers a
camera (after a refused try) and reveals its addresses; a PD officer's registry on a phone.

These tests change the demo (they approve its enrolled camera), so they run on a live server
of their own, over their own copy of the demo database and their own media folder.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from pontive.cctv import service, service_health
from pontive.cctv.choices import Health
from pontive.cctv.models import CameraView, FootageRequest
from pontive.core.db import Database
from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.storage import MediaStore
from pontive.core.timeutil import WIB, utcnow
from tests.conftest import DemoDatabase
from tests.web.conftest import LiveServer, Web, serve_demo_copy
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = pytest.mark.browser

CONSOLE = "/console/cctv"
ENROLLED = "Depan rumah, Jl. Tanjung Raya II"  # the demo camera awaiting review
OWNER_NAME, OWNER_PHONE = "Syarif Hamid", "0852-4501-3390"
ON_REQUEST = "Gang Mawar, Kota Baru"
PHONE = {"width": 360, "height": 780}
MEDIA = "cctv-console-media"
T = TypeVar("T")


@pytest.fixture(scope="module")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The live server's media folder (camera thumbnails)."""
    return tmp_path_factory.mktemp(MEDIA)


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, demo_database: DemoDatabase, media_root: Path
) -> Iterator[LiveServer]:
    """The app with the CCTV console, on its own copy of the demo and its own media."""
    yield from serve_demo_copy(tmp_path_factory, demo_database, "cctv", media_dir=media_root)


@pytest.fixture
def live_db(live_server: LiveServer) -> Iterator[Session]:
    """A session on the live server's database (what the health service would write)."""
    database = Database(live_server.database_url)
    with database.session() as session:
        session.info[SESSION_BUS_KEY] = MemoryBus()  # no web process listens to this one
        yield session
    database.dispose()


def frame(label: str) -> bytes:
    """A camera-like JPEG thumbnail: a street at dusk, the camera's name and time burnt in."""
    image = Image.new("RGB", (640, 360), (24, 38, 48))
    draw = ImageDraw.Draw(image)
    for row in range(180, 360, 6):  # the road
        shade = 40 + (row - 180) // 3
        draw.rectangle((0, row, 640, row + 6), fill=(shade, shade, shade + 6))
    for lane in range(0, 640, 80):
        draw.polygon([(lane + 30, 360), (lane + 44, 360), (322, 190), (318, 190)],
                     fill=(200, 190, 120))  # fmt: skip
    draw.rectangle((0, 120, 640, 180), fill=(52, 70, 84))  # buildings
    draw.rectangle((0, 0, 640, 22), fill=(0, 0, 0))
    stamp = utcnow().astimezone(WIB).strftime("%d-%m-%Y %H:%M:%S WIB")
    draw.text((8, 5), f"{label}  {stamp}", fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def give_image(session: Session, media_dir: Path, code: str) -> None:
    """A health round that found the camera online and brought back a thumbnail."""
    camera = service.get_camera(session, code)
    result = service_health.CheckResult(
        camera.id, Health.ONLINE, "snapshot", 42.0, "HTTP 200, 640x360", snapshot=frame(code)
    )
    service_health.record_checks(session, results=[result], media=MediaStore(media_dir))


def fresh(session: Session, query: Select[T]) -> list[T]:
    """What the database holds now; the transaction is ended at once, since a writer's
    open transaction would keep the live server's own writes waiting (one write gate per
    SQLite file and process)."""
    session.expire_all()
    try:
        rows = list(session.scalars(query))
        session.expunge_all()  # detached as loaded: reading them starts no transaction
        return rows
    finally:
        session.rollback()


def readable(web: Web) -> None:
    """The page's text meets the WCAG AA contrast minimum."""
    failures = web.page.evaluate(_LOW_CONTRAST)
    assert failures == [], f"{web.page.url}: text below WCAG AA contrast:\n" + "\n".join(failures)


def eventually(check: Callable[[], bool], seconds: float = 6.0) -> bool:
    """Whether ``check`` becomes true within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return check()


def code_of(web: Web, name: str) -> str:
    """The code of the camera named ``name`` in the registry's table."""
    row = web.page.locator("#registry-table tbody tr", has_text=name).first
    code = row.get_attribute("data-code")
    assert code, name
    return str(code)


def test_an_operator_approves_an_enrolled_camera_and_watches_it_on_the_wall(
    web: Web, live_db: Session, media_root: Path
) -> None:
    page = web.page
    web.login("operator", next_path=CONSOLE)
    assert page.url.endswith(CONSOLE)
    assert page.get_by_role("heading", level=1).inner_text() == "Registri Kamera CCTV"
    page.wait_for_selector("#cv-map[data-ready=true]")
    readable(web)
    assert page.locator("#count-pending").inner_text() == "1"
    active_before = int(page.locator("#count-active").inner_text())
    assert page.locator(".cv-pin").count() == 13  # every demo camera, coloured by health
    code = code_of(web, ENROLLED)
    assert page.locator(f".cv-pin[data-code={code}]").get_attribute("data-health") == "unknown"

    pending = page.locator("#menunggu")
    with page.expect_navigation():
        pending.get_by_role("link", name="Tinjau").click()
    web.settle()
    assert page.url.endswith(f"{CONSOLE}/{code}#tinjau")
    assert page.locator(".cv-camera-head .cv-badge[data-status]").inner_text() == "Diajukan"
    assert page.get_by_text("Belum ada gambar dari kamera ini").is_visible()
    assert page.locator("[data-cv-viewer]").get_attribute("data-opens-view") == "false"
    readable(web)
    assert OWNER_PHONE not in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="Tampilkan kontak pemilik").click()
    web.settle()
    contact = page.locator("#owner-contact")
    assert OWNER_NAME in contact.inner_text()
    assert OWNER_PHONE in contact.inner_text()

    page.get_by_label("Perangkat Daerah yang memantau").select_option("bpbd")
    with page.expect_navigation():
        page.get_by_role("button", name="Setujui kamera").click()
    web.settle()
    assert page.url.endswith(f"{CONSOLE}/{code}?ok=approved")
    assert page.get_by_role("status").inner_text() == (
        "Kamera disetujui dan masuk jaringan CCTV kota."
    )
    assert page.locator(".cv-camera-head .cv-badge[data-status]").inner_text() == "Aktif"
    assert page.locator("#tinjau").count() == 0

    # The health service finds it online with an image: on the map, first on the wall.
    give_image(live_db, media_root, code)
    web.goto(f"{CONSOLE}?status=aktif")
    page.wait_for_selector("#cv-map[data-ready=true]")
    assert int(page.locator("#count-active").inner_text()) == active_before + 1
    assert page.locator("#count-pending").inner_text() == "0"
    assert page.locator(f".cv-pin[data-code={code}]").get_attribute("data-health") == "online"
    web.goto(f"{CONSOLE}/{code}")
    viewer = page.locator("[data-cv-viewer]")
    page.wait_for_selector("[data-cv-viewer][data-shown=true]")
    assert viewer.get_attribute("data-view") == "public"  # a public camera: nothing to record
    assert page.locator("img.cv-snapshot").is_visible()
    web.screenshot("camera-with-image")

    def open_wall_views() -> int:
        query = select(CameraView).where(
            CameraView.via == "wall", CameraView.actor.endswith(":operator"),
            CameraView.ended_at.is_(None),
        )  # fmt: skip
        return len(fresh(live_db, query))

    web.goto(f"{CONSOLE}/dinding")  # every camera the operator may watch: 11, on 4x4
    tiles = page.locator(".cv-tile[data-code]")
    assert page.locator(".cv-wall-grid.cv-wall-4").is_visible()
    assert tiles.count() == 11
    assert page.locator(".cv-tile-empty").count() == 5
    assert tiles.first.get_attribute("data-code") == code  # online first
    page.wait_for_selector(f".cv-tile[data-code={code}][data-shown=true]")
    views = [tile.get_attribute("data-view") for tile in tiles.all()]
    assert views.count("public") == 7  # public cameras: nothing to record
    assert all(view and view.isdigit() for view in views if view != "public")
    assert open_wall_views() == 4  # the demo's internal city cameras, each a recorded view
    assert page.locator(".cv-tile[data-has-snapshot=false] .cv-noimage").first.is_visible()
    assert re.fullmatch(r"\d\d:\d\d:\d\d WIB", page.locator("#cv-clock").inner_text())
    readable(web)
    web.goto(f"{CONSOLE}/dinding?grid=3")
    assert tiles.count() == 9
    assert page.locator(".cv-tile-empty").count() == 0
    assert "2 kamera tidak muat" in page.locator(".cv-wall-sub").inner_text()
    page.wait_for_selector(f".cv-tile[data-code={code}][data-shown=true]")
    web.screenshot("wall-3x3")
    web.goto(CONSOLE)  # the wall closes its views as the page goes away
    assert eventually(lambda: open_wall_views() == 0)


def test_an_operator_asks_an_owner_for_footage(web: Web, live_db: Session) -> None:
    page = web.page
    web.login("operator", next_path=CONSOLE)
    code = code_of(web, ON_REQUEST)
    web.goto(f"{CONSOLE}/{code}")
    assert page.get_by_text("tidak ada tayangan langsung").first.is_visible()
    start = (utcnow() - timedelta(hours=6)).astimezone(WIB).replace(second=0, microsecond=0)
    page.get_by_label("Mulai (WIB)").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Sampai (WIB)").fill((start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Alasan permintaan").fill("Warga melaporkan tabrak lari di mulut gang.")
    page.get_by_label("Rujukan kejadian").fill("KEJ-2026-0501")
    web.screenshot("footage-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim permintaan").click()
    web.settle()
    link = page.locator("#answer-link").inner_text()
    assert re.fullmatch(r"https?://.+/cctv/rekaman/[\w-]{20,}", link)
    readable(web)
    request: FootageRequest
    (request,) = fresh(
        live_db, select(FootageRequest).where(FootageRequest.incident_ref == "KEJ-2026-0501")
    )
    assert request.window_start == start
    web.goto(f"{CONSOLE}/rekaman")
    assert link.rsplit("/", 1)[1] not in page.content()  # shown once only
    waiting = page.locator("#menunggu tbody tr")
    assert waiting.count() == 2  # the demo's request, and this one
    with page.expect_navigation():
        page.locator(f'tr[data-request="{request.id}"]').get_by_role(
            "button", name="Batalkan"
        ).click()
    web.settle()
    assert page.get_by_role("status").inner_text() == "Permintaan rekaman dibatalkan."
    assert page.locator("#selesai").get_by_text("KEJ-2026-0501").is_visible()
    readable(web)


def test_the_technical_team_registers_a_camera_and_reads_the_viewing_log(web: Web) -> None:
    page = web.page
    web.login("timteknis", next_path=CONSOLE)
    with page.expect_navigation():
        page.get_by_role("link", name="Daftarkan kamera kota").click()
    web.settle()
    page.wait_for_selector(".cv-pick-map[data-ready=true]")
    page.get_by_label("Nama kamera").fill("Simpang Tanjungpura — Jl. Pattimura")
    page.get_by_label("Tujuan pemantauan").select_option("lalu_lintas")
    page.get_by_label("Lintang").fill("utara")
    page.get_by_label("Bujur").fill("109.3410")
    web.expect_error_status(f"{CONSOLE}/baru")  # the refused form comes back with a 422
    with page.expect_navigation():
        page.get_by_role("button", name="Daftarkan kamera").click()
    web.settle()
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("Nama kamera").input_value() == "Simpang Tanjungpura — Jl. Pattimura"
    assert page.locator("#f-location-error").is_visible()
    web.screenshot("refused-form")
    readable(web)
    page.get_by_label("Lintang").fill("")
    page.get_by_label("Bujur").fill("")
    box = page.locator(".cv-pick-map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.get_by_label("Lintang").input_value() != ""  # the map click fills them in
    page.get_by_label("Lintang").fill("-0.025900")  # by the Alun Kapuas
    page.get_by_label("Bujur").fill("109.340500")
    page.get_by_label("Perangkat Daerah penanggung jawab").select_option("dishub")
    page.get_by_label("Arah pandang (derajat)").fill("135")
    page.get_by_label("Alamat RTSP").fill("rtsp://pontive:Rahasia-77@10.20.5.9:554/ch1")
    with page.expect_navigation():
        page.get_by_role("button", name="Daftarkan kamera").click()
    web.settle()
    assert page.get_by_role("status").inner_text() == "Kamera terdaftar dan langsung aktif."
    assert "Rahasia-77" not in page.content()
    page.locator("#ubah summary").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Tampilkan alamat").click()
    web.settle()
    assert "Rahasia-77" in page.locator("#streams-shown").inner_text()
    assert page.get_by_label("Alamat RTSP").input_value().endswith("@10.20.5.9:554/ch1")
    web.screenshot("addresses-shown")

    web.goto(f"{CONSOLE}/tayangan")
    assert page.get_by_role("heading", level=1).inner_text() == "Log Tayangan Kamera"
    rows = page.locator("#views-table tbody tr[data-view]")
    assert rows.count() >= 4  # the operator's wall, above
    assert page.get_by_text("dinding video").first.is_visible()
    readable(web)
    first = rows.first.locator("td:nth-child(2) .code").inner_text()
    web.goto(f"{CONSOLE}/tayangan?camera={first}")
    codes = page.locator("#views-table tbody tr[data-view] td:nth-child(2) .code")
    assert set(codes.all_inner_texts()) == {first}
    web.goto(f"{CONSOLE}/cakupan")
    assert page.locator("#coverage-table tbody tr[data-kode]").count() >= 29
    readable(web)
    web.goto(f"{CONSOLE}?lang=en")
    assert page.get_by_role("heading", level=1).inner_text() == "CCTV Camera Registry"
    web.goto(f"{CONSOLE}?lang=id")


def test_a_pd_officer_reads_the_registry_on_a_phone(web: Web) -> None:
    page = web.page
    page.set_viewport_size(PHONE)
    web.login("petugas.pupr", next_path=CONSOLE)
    page.wait_for_selector("#cv-map[data-ready=true]")
    readable(web)
    assert page.get_by_role("link", name="Daftarkan kamera kota").count() == 0
    assert page.locator("#menunggu").count() == 0  # reviewing is not an officer's
    tabs = page.locator(".cv-tabs a").all_inner_texts()
    assert tabs == ["Registri kamera", "Dinding video", "Cakupan"]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the page scrolls sideways"
    web.goto(f"{CONSOLE}/dinding")
    assert page.locator(".cv-tile[data-code]").count() >= 5  # the public cameras
    web.goto(f"{CONSOLE}/tayangan", status=403)
