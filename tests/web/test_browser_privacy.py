"""Personal data in a real browser: a reporter downloads and erases their data through the
report's private link; the data-protection officer searches, exports and erases in the
console; admins see the audit-chain banner while the chain is broken."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy.orm import Session

from pontive.complaints.models import Complaint
from pontive.complaints.schemas import ComplaintCreate
from pontive.complaints.service import create_complaint
from pontive.core.db import Database
from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.identity import ANONYMOUS
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from pontive.privacy.models import AuditCheck
from tests.complaints.conftest import GAJAH_MADA
from tests.web.conftest import LiveServer, Web

pytestmark = pytest.mark.browser


@contextmanager
def _session(live_server: LiveServer) -> Iterator[Session]:
    database = Database(live_server.database_url)
    try:
        with database.session() as session:
            session.info[SESSION_BUS_KEY] = MemoryBus()
            yield session
    finally:
        database.dispose()


def _report(live_server: LiveServer, tmp_media: MediaStore, email: str) -> tuple[str, str]:
    """A report with the reporter's e-mail: its tracking number and private-link token."""
    with _session(live_server) as session:
        data = ComplaintCreate(
            category_code="drainase",
            description="Parit di depan rumah saya tersumbat, air meluap ke jalan.",
            lon=GAJAH_MADA[0],
            lat=GAJAH_MADA[1],
            name="Nurul Hidayah",
            email=email,
            is_anonymous=False,
            consent=True,
        )
        receipt = create_complaint(session=session, data=data, actor=ANONYMOUS, media=tmp_media)
        return receipt.complaint.tracking_number, receipt.access_token


def _reporter_email(live_server: LiveServer, tracking: str) -> str | None:
    with _session(live_server) as session:
        complaint = session.query(Complaint).filter_by(tracking_number=tracking).one()
        return complaint.reporter_email


def test_a_reporter_downloads_and_erases_their_data(
    web: Web, live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> None:
    media = MediaStore(tmp_path_factory.mktemp("privacy-media"))
    tracking, token = _report(live_server, media, "nurul.privasi@contoh.id")
    page = web.page
    web.goto(f"/lapor/{tracking}?k={token}")

    page.get_by_role("link", name="Data pribadi saya: unduh atau hapus").click()
    web.settle()
    assert page.get_by_role("heading", name="Data pribadi saya", exact=True).is_visible()

    with page.expect_download() as info:
        page.get_by_role("button", name="Unduh data saya").click()
    document = json.loads(info.value.path().read_text(encoding="utf-8"))
    reports = next(s for s in document["sources"] if s["source"] == "complaints.reports")
    fields = reports["records"][0]["fields"]
    assert fields["reporter_email"]["value"] == "nurul.privasi@contoh.id"
    assert fields["reporter_email"]["label"] == {"id": "E-mail pelapor", "en": "E-mail"}

    page.get_by_label("Saya mengerti dan ingin menghapus data pribadi saya").check()
    page.get_by_role("button", name="Hapus data pribadi saya").click()
    web.settle()
    assert page.locator("#erased").is_visible()
    assert _reporter_email(live_server, tracking) is None

    # The public report is still there for everyone.
    page.get_by_role("link", name="Kembali ke laporan").click()
    web.settle()
    assert tracking in page.content()


def test_the_officer_finds_exports_and_erases_in_the_console(
    web: Web, live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> None:
    media = MediaStore(tmp_path_factory.mktemp("privacy-console-media"))
    tracking, _token = _report(live_server, media, "pemohon.hapus@contoh.id")
    page = web.page
    web.login("admin", next_path="/console/")
    page.locator("a.card-link[href='/console/privasi']").click()
    web.settle()

    page.get_by_label("Cari lewat").select_option("contact")
    page.get_by_label("Pengenal").fill("Pemohon.Hapus@contoh.id")
    page.get_by_role("button", name="Cari", exact=True).click()
    web.settle()
    assert page.locator("#found").get_by_text("complaints.reports").is_visible()

    with page.expect_download() as info:
        page.get_by_role("button", name="Unduh salinan (JSON)").click()
    document = json.loads(info.value.path().read_text(encoding="utf-8"))
    assert document["subject"]["lookup"] == "contact"

    page.get_by_label("Saya sudah memastikan identitas pemohon").check()
    page.get_by_role("button", name="Hapus data pribadi").click()
    web.settle()
    assert page.locator("#erase-done").is_visible()
    assert page.locator("#requests").get_by_text("Penghapusan").first.is_visible()
    assert _reporter_email(live_server, tracking) is None


def test_admins_see_the_broken_audit_chain_on_the_console_home(
    web: Web, live_server: LiveServer
) -> None:
    with _session(live_server) as session:
        session.add(AuditCheck(is_intact=False, checked=120, broken_id=42, reason="hash mismatch"))
        session.commit()
    try:
        web.login("admin", next_path="/console/")
        banner = web.page.locator("#audit-chain-broken")
        assert banner.is_visible()
        assert "#42" in banner.inner_text()
    finally:
        with _session(live_server) as session:  # other tests share the live server
            session.add(AuditCheck(is_intact=True, checked=121, checked_at=utcnow()))
            session.commit()
    web.goto("/console/")
    assert web.page.locator("#audit-chain-broken").count() == 0
