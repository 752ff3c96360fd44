"""The demo's Wi-Fi: hotspots over all six kecamatan, a few in trouble with real reports whose
figures reconciliation agrees with, and stakeholder technologies in each state of review."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.assets.wifi_choices import HotspotStatus, ProviderKind, TechnologyStatus
from pontive.assets.wifi_models import StakeholderTechnology, WifiHotspot, WifiReport
from pontive.assets.wifi_registries import TECHNOLOGIES
from pontive.complaints.service import get_by_tracking
from pontive.core.identity import ANONYMOUS
from pontive.reference import service as reference
from pontive.registry import store
from tests.conftest import DemoDatabase


def test_the_demo_covers_the_city_with_hotspots_some_in_trouble(
    demo_database: DemoDatabase, demo_session: Session
) -> None:
    assert "Wi-Fi hotspots" in demo_database.summary["assets"]
    hotspots = list(demo_session.scalars(select(WifiHotspot)))
    assert len(hotspots) >= 20
    kecamatan = {
        kelurahan.kode: k.kode
        for k in reference.list_kecamatan(session=demo_session)
        for kelurahan in k.kelurahan
    }
    assert {kecamatan[h.kelurahan_kode or ""] for h in hotspots} == set(kecamatan.values())
    kinds = {ProviderKind(h.provider_kind) for h in hotspots}
    assert kinds == set(ProviderKind)
    troubled = [h for h in hotspots if h.status is HotspotStatus.GANGGUAN]
    assert len(troubled) >= 2
    assert any(h.status_by_reports and h.open_reports >= 3 for h in troubled)
    for hotspot in hotspots:
        links = demo_session.scalars(select(WifiReport).where(WifiReport.hotspot_id == hotspot.id))
        open_links = [link for link in links if link.is_open]
        assert hotspot.open_reports == len(open_links), hotspot.code
        for link in open_links:
            complaint = get_by_tracking(demo_session, link.tracking_number)
            assert complaint.status.is_open
            assert complaint.attributes["hotspot"] == hotspot.code
        assert hotspot.contact  # every provider has a contact person, sealed at rest


def test_the_demo_has_technologies_in_each_state_of_review(demo_session: Session) -> None:
    rows = list(demo_session.scalars(select(StakeholderTechnology)))
    statuses = {TechnologyStatus(row.status) for row in rows}
    assert {
        TechnologyStatus.DIAJUKAN,
        TechnologyStatus.AKTIF,
        TechnologyStatus.BERAKHIR,
    } <= statuses
    public = store.all_rows(demo_session, TECHNOLOGIES, ANONYMOUS, public=True)
    assert 3 <= len(public) < len(rows)
    assert all(row.verified_at is not None for row in public)
