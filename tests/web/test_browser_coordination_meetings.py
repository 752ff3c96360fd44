"""Coordination meetings and the public incident reports in a real browser, over the demo: an
operator schedules a meeting about a flood (after a refused try), writes the minutes, records
a decision, makes a PUPR task of it, signs the minutes off and opens the signed PDF; a
citizen on a phone reads the published incident reports and one report.

These tests change the data (an incident, a meeting, a published report), so they run on a
live server of their own, over their own copy of the demo database and their own media.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pontive.complaints.models import Complaint
from pontive.coordination import links, reports, service
from pontive.coordination.models import Task
from pontive.core.db import Database
from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.storage import MediaStore
from pontive.core.timeutil import WIB, utcnow
from tests.conftest import DemoDatabase
from tests.coordination.support import OPERATOR, incident_input
from tests.web.conftest import LiveServer, Web, serve_demo_copy
from tests.web.test_browser_accessibility import _LOW_CONTRAST

pytestmark = pytest.mark.browser

MEETINGS = "/console/koordinasi/rapat"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 780}
FLOOD = "Banjir rob di Jl. Gajah Mada dan Gang Mawar"
FIRE = "Kebakaran lahan gambut di Jl. Parit Haji Husin II"
DECISION = "Dinas PUPR membersihkan saluran primer Jl. Gajah Mada malam ini."


@dataclass(frozen=True)
class Prepared:
    """What the tests find on the server: an open incident and a published report."""

    open_code: str
    published_code: str
    tracking: str  # a citizen's report linked to the published incident


@pytest.fixture(scope="module")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The live server's media folder (the signed minutes, the reports)."""
    return tmp_path_factory.mktemp("coordination-meetings-media")


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, demo_database: DemoDatabase, media_root: Path
) -> Iterator[LiveServer]:
    """The app on its own copy of the demo and its own media."""
    yield from serve_demo_copy(tmp_path_factory, demo_database, "meetings", media_dir=media_root)


@pytest.fixture(scope="module")
def prepared(live_server: LiveServer, media_root: Path) -> Prepared:
    """An open flood incident, and a fire handled by BPBD whose report is published."""
    database = Database(live_server.database_url)
    try:
        with database.session() as session:
            session.info[SESSION_BUS_KEY] = MemoryBus()  # no web process listens to this one
            flood = service.open_incident(session, actor=OPERATOR, data=incident_input(title=FLOOD))
            fire = service.open_incident(
                session, actor=OPERATOR,
                data=incident_input(title=FIRE, kind="kebakaran", severity="kritis",
                                    lead_pd_kode="bpbd", agencies=["dlh", "satpolpp"]),
            )  # fmt: skip
            tracking = session.scalar(
                select(Complaint.tracking_number).where(Complaint.is_public.is_(True)).limit(1)
            )
            assert tracking is not None, "the demo has public reports"
            links.link_item(
                session, actor=OPERATOR, incident=fire, item_type="complaint", ref=tracking
            )
            service.set_status(session, actor=OPERATOR, incident=fire, status="ditangani")
            service.set_status(session, actor=OPERATOR, incident=fire, status="terkendali")
            media = MediaStore(media_root)
            reports.close_incident(
                session, actor=OPERATOR, incident=fire, media=media,
                summary="Api padam pukul 21.40 WIB setelah pembasahan lahan dan sekat bakar.",
                lessons="Sumur bor di lahan gambut perlu diperiksa sebelum musim kemarau.",
            )  # fmt: skip
            reports.publish_report(session, actor=OPERATOR, incident=fire, media=media)
            session.commit()
            return Prepared(flood.code, fire.code, tracking)
    finally:
        database.dispose()


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


def local(hours: float) -> str:
    """A ``datetime-local`` value ``hours`` from now, in WIB."""
    return (utcnow() + timedelta(hours=hours)).astimezone(WIB).strftime("%Y-%m-%dT%H:%M")


def test_an_operator_runs_a_meeting_from_agenda_to_signed_minutes(
    web: Web, prepared: Prepared, live_server: LiveServer
) -> None:
    page = web.page
    page.set_viewport_size(DESKTOP)
    web.login("operator", next_path=MEETINGS)
    assert page.get_by_role("heading", level=1).inner_text() == "Rapat Koordinasi"
    readable(web)
    with page.expect_navigation():
        page.get_by_role("link", name="Jadwalkan rapat").click()
    web.settle(shot=False)
    page.get_by_label("Judul rapat").fill("Rpt")
    page.get_by_label("Tanggal dan jam (WIB)").fill(local(2))
    page.get_by_label("Peserta 1: Perangkat Daerah").select_option("bpbd")
    page.get_by_label("Peserta 1: nama dan jabatan").fill("Kepala Pelaksana BPBD")
    web.expect_error_status(f"{MEETINGS}/baru")  # the refused form comes back with a 422
    submit(web, "Jadwalkan rapat")
    assert page.get_by_role("alert").is_visible()
    assert page.locator("#f-title-error").is_visible()
    assert page.get_by_label("Peserta 1: nama dan jabatan").input_value() == "Kepala Pelaksana BPBD"
    web.screenshot("new-refused")
    readable(web)

    page.get_by_label("Judul rapat").fill("Rapat koordinasi penanganan banjir rob Gajah Mada")
    page.get_by_label("Tempat").fill("Ruang Rapat Pontive Center")
    page.get_by_label("Pimpinan rapat").fill("Sekretaris Daerah Kota Pontianak")
    page.locator("#f-incident_code").select_option(prepared.open_code)
    page.get_by_label("Agenda").fill("Situasi terkini per kelurahan\nPompa dan saluran\nPosko")
    page.get_by_label("Peserta 2: Perangkat Daerah").select_option("pupr")
    page.get_by_label("Peserta 2: nama dan jabatan").fill("Kabid Sumber Daya Air")
    page.get_by_label("Peserta 3: Perangkat Daerah").select_option("dinsos")
    web.screenshot("new-filled")
    submit(web, "Jadwalkan rapat")
    assert page.get_by_role("status").inner_text() == "Rapat dijadwalkan."
    code = page.locator(".mt-head .co-code").inner_text()
    assert page.url.endswith(f"{MEETINGS}/{code}?ok=meeting_created")
    assert page.locator(".mt-agenda li").all_inner_texts() == [
        "Situasi terkini per kelurahan", "Pompa dan saluran", "Posko",
    ]  # fmt: skip
    assert page.locator(".mt-people li").count() == 3
    web.screenshot("scheduled")
    readable(web)

    page.get_by_label("Notulen (jalannya rapat)").fill(
        "BPBD: 120 rumah tergenang di Gang Mawar.\nPUPR: dua pompa tambahan siap malam ini."
    )
    page.locator(".co-checks label", has_text="Dinsos").locator("input").check()
    submit(web, "Simpan notulen")
    assert page.get_by_role("status").inner_text() == "Notulen tersimpan."
    assert page.locator(".mt-absent").count() == 1
    page.get_by_label("Keputusan baru").fill(DECISION)
    submit(web, "Catat keputusan")
    assert page.get_by_role("status").inner_text() == "Keputusan dicatat."
    decision = page.locator(".mt-decision").first
    assert DECISION in decision.inner_text()

    decision.locator("summary", has_text="Jadikan tugas Perangkat Daerah").click()
    decision.get_by_label("Tindak lanjut (judul tugas)").fill(
        "Bersihkan saluran primer Jl. Gajah Mada"
    )
    decision.get_by_label("Perangkat Daerah yang ditugasi").select_option("pupr")
    decision.get_by_label("Prioritas").select_option("tinggi")
    decision.get_by_label("Batas waktu (WIB)").fill(local(12))
    web.screenshot("task-form")
    submit(web, "Buat tugas")
    assert (
        page.get_by_role("status").inner_text() == "Tugas dibuat dan dikirim ke Perangkat Daerah."
    )
    task_link = page.locator(".mt-tasks a").first
    task_code = task_link.inner_text()
    assert task_link.get_attribute("href") == f"/console/koordinasi/tugas/{task_code}"
    database = Database(live_server.database_url)
    try:
        with database.session(write=False) as session:
            task = session.scalar(select(Task).where(Task.code == task_code))
            assert task is not None
            assert task.meeting_id is not None
            assert task.decision_id
    finally:
        database.dispose()

    page.get_by_label("Disahkan oleh").fill("Sekretaris Daerah Kota Pontianak, Drs. H. Mulyadi")
    submit(web, "Sahkan notulen")
    assert page.get_by_role("status").inner_text() == "Notulen disahkan; PDF resmi tersimpan."
    sha = page.locator("#minutes-sha").inner_text()
    assert len(sha) == 64
    assert page.locator(f'form[action="{MEETINGS}/{code}/notulen"]').count() == 0
    assert page.locator(f'form[action="{MEETINGS}/{code}/ubah"]').count() == 0
    web.screenshot("signed")
    readable(web)

    href = page.locator("#minutes-pdf").get_attribute("href")
    assert href == f"{MEETINGS}/{code}/notulen.pdf"
    document = page.context.request.get(web.url(href))
    assert document.status == 200
    assert document.headers["content-type"] == "application/pdf"
    assert document.body().startswith(b"%PDF")

    web.goto(MEETINGS)
    assert page.locator(f'#akan-datang [data-code="{code}"] .co-badge').inner_text() == (
        "Notulen disahkan"
    )
    web.screenshot("list")
    web.goto(f"/insiden/{prepared.published_code}")  # the public report, on a wide screen
    readable(web)
    web.screenshot("public-report-desktop")
    page.set_viewport_size(PHONE)
    web.goto(f"{MEETINGS}/{code}")
    fits(web)
    web.screenshot("signed-phone")


def test_a_citizen_reads_published_incident_reports_on_a_phone(
    phone: Web, prepared: Prepared
) -> None:
    page = phone.page
    page.set_viewport_size(PHONE)
    phone.goto("/insiden")
    assert page.get_by_role("heading", level=1).inner_text() == "Laporan Insiden"
    card = page.locator(f'.ir-card[data-code="{prepared.published_code}"]')
    assert FIRE in card.inner_text()
    assert prepared.open_code not in page.content()  # an open incident is not public
    fits(phone)
    readable(phone)
    phone.screenshot("public-list-phone")

    with page.expect_navigation():
        card.get_by_role("link", name=FIRE).click()
    phone.settle(shot=False)
    assert page.get_by_role("heading", level=1).inner_text() == FIRE
    assert "Sumur bor di lahan gambut" in page.locator("#lessons").inner_text()
    agencies = page.locator("#timeline .ir-agency").all_inner_texts()
    assert set(agencies) == {"Pontive Center"}  # the operator's work, without a name
    assert "operator" not in page.locator("main").inner_text().lower()
    fits(phone)
    readable(phone)
    phone.screenshot("public-report-phone")

    linked = page.locator("#linked-reports a")
    assert linked.all_inner_texts() == [prepared.tracking]
    with page.expect_navigation():
        linked.first.click()
    phone.settle(shot=False)
    assert page.url.endswith(f"/lapor/{prepared.tracking}")
    page.go_back()
    phone.settle(shot=False)
    href = page.locator("#report-pdf").get_attribute("href")
    assert href == f"/insiden/{prepared.published_code}/laporan.pdf"
    document: Any = page.context.request.get(phone.url(href))
    assert document.status == 200
    assert document.headers["content-type"] == "application/pdf"
    phone.goto(f"/insiden/{prepared.open_code}", status=404)
