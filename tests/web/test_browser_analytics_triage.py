"""Complaint triage in a real browser on the live server (over a copy of the demo, whose
triage model the analytics demo trained): the operator opens a new report, sees the model's
suggestion with the words that decided it, corrects it, and the correction is stored for the
next training; the Technical Team reads the model's held-out metrics."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from pontive.analytics import triage_service
from pontive.analytics.triage_choices import Decision, Urgency
from pontive.complaints import service
from pontive.complaints.schemas import ComplaintCreate
from pontive.core.db import Database
from pontive.core.identity import ANONYMOUS
from pontive.core.storage import MediaStore
from tests.web.conftest import LiveServer, Web

pytestmark = pytest.mark.browser

# Jl. Tanjung Raya 2, Pontianak Timur.
SPOT = (109.3560, -0.0330)
# The lamp of a neighbourhood watch post: the model reads a street light, the operator knows
# it is a public facility of the kampung.
TEXT = "Lampu di pos ronda RT 03 mati sejak minggu lalu, malam gelap dan bapak-bapak takut ronda."


@pytest.fixture
def live_db(live_server: LiveServer) -> Iterator[Session]:
    """A session on the live server's database."""
    database = Database(live_server.database_url)
    with database.session() as session:
        yield session
    database.dispose()


def test_operator_corrects_a_suggestion_and_it_is_stored(
    web: Web, live_db: Session, tmp_path: Path
) -> None:
    lon, lat = SPOT
    receipt = service.create_complaint(
        session=live_db,
        data=ComplaintCreate(category_code="lampu-jalan", description=TEXT, lon=lon, lat=lat),
        actor=ANONYMOUS,
        media=MediaStore(tmp_path),
    )
    tracking = receipt.complaint.tracking_number
    web.login("operator")
    web.goto(f"/console/pengaduan/{tracking}")
    page = web.page
    panel = page.locator("#saran-triase")
    assert panel.get_by_role("heading", name="Saran triase").is_visible()
    best = panel.locator(".tri-best-name")
    assert best.get_attribute("data-category") == "lampu-jalan"
    assert panel.locator(".tri-others li").count() == 2
    reasons = panel.locator(".tri-reasons mark").all_inner_texts()
    assert "lampu" in reasons
    marked = page.locator(".cc-desk-main mark.tri-mark").all_inner_texts()
    assert "Lampu" in marked  # the reasons, marked in the report's text
    web.screenshot("suggestion")

    panel.get_by_text("Koreksi", exact=True).click()
    panel.get_by_label("Kategori yang benar").select_option("fasilitas-umum")
    panel.get_by_label("Urgensi yang benar").select_option("rendah")
    with page.expect_navigation():
        panel.get_by_role("button", name="Simpan koreksi").click()
    web.settle(shot=False)
    assert panel.get_by_role("status").inner_text().startswith("Keputusan triase tersimpan")
    assert "Dikoreksi" in panel.locator(".tri-decided").inner_text()
    assert "Fasilitas umum rusak" in panel.locator(".tri-decided").inner_text()
    web.screenshot("corrected")

    live_db.expire_all()
    complaint = service.get_by_tracking(live_db, tracking)
    stored = triage_service.find_suggestion(live_db, complaint.id)
    assert stored is not None
    assert stored.decision is Decision.CORRECTED
    assert stored.final_category_code == "fasilitas-umum"
    assert stored.final_urgency is Urgency.RENDAH
    assert stored.final_pd_kode == "perkim"
    assert stored.decided_by is not None
    assert stored.decided_by.endswith(":operator")


def test_technical_team_reads_the_models_metrics(web: Web) -> None:
    web.login("timteknis")
    web.goto("/console/analitik/triase")
    page = web.page
    assert page.get_by_role("heading", level=1, name="Triase pengaduan").is_visible()
    cards = page.locator("#tri-metrics").inner_text()
    assert "Macro-F1 kategori" in cards
    assert page.locator("#tri-percat tbody tr").count() == 13
    assert page.get_by_role("button", name="Latih ulang").is_visible()
    assert page.locator("#tri-corrections tbody tr").count() >= 1  # the demo's corrections
    web.goto("/console/analitik/triase?lang=en")
    assert page.get_by_role("heading", level=1, name="Complaint triage").is_visible()
