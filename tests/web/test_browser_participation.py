"""Ideas and facility care in a real browser, over the demo (Perda 9/2022 Pasal 22b-c): a
citizen submits an idea on a phone; a moderator publishes it in the console; another citizen
supports it with the code sent to their e-mail (read from the queued message in the
database); the technical team links an idea to a masterplan programme and the public page
shows it; the facility-care page shows the adoptions and takes an application. The pages fit
a phone, read in English, and pass the contrast check.

These tests change the data, so they run on a live server of their own, over their own copy
of the demo database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from pontive.complaints.models import Notification
from pontive.core.db import Database
from pontive.participation.models import Idea
from tests.conftest import DemoDatabase
from tests.web.conftest import _REPORT_CSP, PHONE, LiveServer, Web, serve_demo_copy
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
SUPPORTER = "pendukung.browser@contoh.id"
TITLE = "Tempat sampah pilah di setiap halte"


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, demo_database: DemoDatabase
) -> Iterator[LiveServer]:
    """The app on its own copy of the demo."""
    yield from serve_demo_copy(tmp_path_factory, demo_database, "participation")


@pytest.fixture
def second_phone(browser: Any, live_server: LiveServer) -> Iterator[Web]:
    """Another citizen's phone (a browser profile of its own)."""
    context = browser.new_context(
        locale="id-ID", viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.add_init_script(_REPORT_CSP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    tab = Web(page=page, base_url=live_server.url, name="phone-supporter")
    page.on("console", tab._watch)
    page.on("pageerror", lambda error: tab.problems.append(f"page error: {error}"))
    yield tab
    context.close()
    if tab.problems:
        pytest.fail("the page reported problems:\n" + "\n".join(tab.problems))


def readable(web: Web) -> None:
    """The page's text meets the WCAG AA contrast minimum."""
    failures = web.page.evaluate(_LOW_CONTRAST)
    assert failures == [], f"{web.page.url}: text below WCAG AA contrast:\n" + "\n".join(failures)


def fits(web: Web) -> None:
    """The page does not scroll sideways."""
    width = web.page.evaluate("document.documentElement.scrollWidth")
    assert width <= web.page.viewport_size["width"], f"{web.page.url} scrolls sideways"


def submit(web: Web, button: str) -> None:
    """Press a form's button and wait for the next page."""
    with web.page.expect_navigation():
        web.page.get_by_role("button", name=button, exact=True).click()
    web.settle(shot=False)


def _code_sent_to(live_server: LiveServer, recipient: str) -> str:
    """The newest code queued to ``recipient`` (read from the server's database)."""
    database = Database(live_server.database_url)
    try:
        with database.session(write=False) as session:
            queued = session.scalars(select(Notification).order_by(Notification.id.desc()))
            for message in queued:
                found = re.search(r"Kode verifikasi Pontive: (\d{6})", message.subject)
                if message.recipient == recipient and found:
                    return found.group(1)
    finally:
        database.dispose()
    raise AssertionError(f"no code queued to {recipient}")


def _idea_id(live_server: LiveServer, title: str) -> int:
    database = Database(live_server.database_url)
    try:
        with database.session(write=False) as session:
            found = session.scalar(select(Idea.id).where(Idea.title == title))
            assert found is not None, title
            return found
    finally:
        database.dispose()


def test_a_citizen_submits_an_idea_and_another_supports_it_once_published(
    phone: Web, web: Web, second_phone: Web, live_server: LiveServer
) -> None:
    # A citizen files the idea on a phone, without an account.
    phone.goto("/gagasan")
    phone.screenshot("phone-ideas-list")
    readable(phone)
    fits(phone)
    with phone.page.expect_navigation():
        phone.page.get_by_role("link", name="Kirim gagasan").first.click()
    phone.settle(shot=False)
    page = phone.page
    page.get_by_label("Judul").fill(TITLE)
    page.get_by_label("Smart Environment").check()
    page.get_by_label("Uraian").fill(
        "Halte ramai tetapi tempat sampahnya satu untuk semua. Sediakan tempat sampah organik "
        "dan anorganik agar sampah bisa dipilah sejak awal."
    )
    page.locator("#name").fill("Dewi")
    page.get_by_label("E-mail atau nomor HP/WhatsApp").fill("dewi.browser@contoh.id")
    page.get_by_role("checkbox", name=re.compile("Saya setuju")).check()
    phone.screenshot("phone-idea-form")
    fits(phone)
    submit(phone, "Kirim gagasan")
    assert page.locator("#thanks").is_visible()
    assert page.locator("#author-notice").is_visible()
    phone.screenshot("phone-idea-thanks")
    idea_id = _idea_id(live_server, TITLE)
    second_phone.goto(f"/gagasan/{idea_id}", status=404)  # not public before moderation

    # The Pontive Center operator publishes it from the console.
    web.page.set_viewport_size(DESKTOP)
    web.login("operator", next_path=f"/console/partisipasi/gagasan/{idea_id}")
    assert web.page.locator("#moderasi").is_visible()
    web.screenshot("console-idea-waiting")
    submit(web, "Terbitkan")
    assert web.page.locator("#panel-flash").is_visible()

    # Another citizen supports it: a code goes to their e-mail, they type it.
    second_phone.goto(f"/gagasan/{idea_id}")
    tab = second_phone.page
    assert tab.get_by_role("heading", level=1).inner_text() == TITLE
    tab.get_by_label("E-mail atau nomor HP/WhatsApp").first.fill(SUPPORTER)
    submit(second_phone, "Kirim kode")
    assert "p***@contoh.id" in tab.locator("main").inner_text()
    second_phone.screenshot("phone-code")
    tab.get_by_label("Kode 6 angka").fill(_code_sent_to(live_server, SUPPORTER))
    submit(second_phone, "Konfirmasi")
    assert tab.locator("#support-flash").is_visible()
    assert tab.locator("#supports-count strong").inner_text() == "1"
    assert tab.locator("#supported").is_visible()
    second_phone.screenshot("phone-idea-supported")
    readable(second_phone)
    fits(second_phone)
    # The same person, remembered, comments without a new code.
    tab.get_by_label("Komentar", exact=True).fill("Setuju, di halte dekat rumah juga begitu.")
    submit(second_phone, "Kirim komentar")
    assert "Setuju, di halte dekat rumah juga begitu." in tab.locator("#comment-list").inner_text()


def test_staff_link_an_idea_to_a_programme_and_the_public_page_shows_it(
    web: Web, live_server: LiveServer
) -> None:
    idea_id = _idea_id(live_server, "Jadwal bus real-time di halte")
    web.page.set_viewport_size(DESKTOP)
    web.login("timteknis", next_path=f"/console/partisipasi/gagasan/{idea_id}")
    page = web.page
    page.get_by_label("Program masterplan").select_option("LIV-02")
    page.get_by_label("Jawaban (tidak wajib)").fill(
        "Jadwal real-time masuk program transportasi cerdas mulai tahun ini."
    )
    submit(web, "Tautkan (diwujudkan)")
    assert page.locator("#panel-flash").is_visible()
    web.screenshot("console-idea-linked")
    web.goto(f"/gagasan/{idea_id}")
    link = page.locator("#programme-link")
    assert "LIV-02" in link.inner_text()
    assert page.locator("#answer").is_visible()
    web.screenshot("desktop-idea-realised")
    readable(web)
    with page.expect_navigation():
        link.click()
    web.settle(shot=False)
    assert page.url.endswith("/smartcity/living#programme-LIV-02")
    web.goto("/gagasan?status=diwujudkan&lang=en")
    assert "Realised: programme LIV-02" in page.locator("#ideas").inner_text()
    web.screenshot("desktop-ideas-realised-en")


def test_the_facility_care_page_shows_adoptions_and_takes_an_application(
    phone: Web, web: Web
) -> None:
    web.page.set_viewport_size(DESKTOP)
    web.goto("/adopsi-fasilitas")
    assert web.page.locator("#care-map[data-ready='true']").count() == 1
    assert web.page.locator("#care-map").get_attribute("data-markers") == "3"
    web.screenshot("desktop-care")
    readable(web)
    phone.goto("/adopsi-fasilitas")
    page = phone.page
    assert page.locator("#adoptions li").count() == 3
    page.get_by_label("Nama fasilitas").fill("Taman Gang Melati")
    page.get_by_label("Jenis fasilitas").select_option("taman")
    page.locator("#pin-map").click()  # the pin fills the coordinates
    assert page.get_by_label("Lintang").input_value() != ""
    page.get_by_label("Nama relawan atau penanggung jawab").fill("Sari")
    page.get_by_label("E-mail atau nomor HP/WhatsApp").fill("sari.relawan@contoh.id")
    page.get_by_role("checkbox", name=re.compile("Saya setuju")).check()
    fits(phone)
    submit(phone, "Kirim permohonan")
    assert page.locator("#applied").is_visible()
    phone.screenshot("phone-care-applied")
