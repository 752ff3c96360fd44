"""The demo's infrastructure and software catalogue, as ``pontive demo load`` leaves them:
believable Pontianak sites with their kelurahan, fibre routes inside the city, systems linked
into one graph, dates that make the summary and reminders show something, and every row
with its history."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.assets import infra_map, infra_summary, software_graph
from pontive.assets.infra_demo import SITE_ROWS
from pontive.assets.infra_registries import INFRASTRUCTURE, SITES
from pontive.assets.models import InfraAsset, Integration, Site, System
from pontive.assets.software_demo import LINK_ROWS, SYSTEM_ROWS
from pontive.assets.software_registries import INTEGRATIONS, SYSTEMS
from pontive.core.timeutil import WIB
from pontive.registry.models import RegistryChange
from tests.assets.test_infra_support import ADMIN
from tests.conftest import DemoDatabase

MINE = (SITES.name, INFRASTRUCTURE.name, SYSTEMS.name, INTEGRATIONS.name)
# The city's extent (a little wider than its kelurahan), for "inside Pontianak".
WEST, EAST, SOUTH, NORTH = 109.25, 109.42, -0.11, 0.05


def test_the_demo_loads_every_row(demo_database: DemoDatabase, demo_session: Session) -> None:
    line = demo_database.summary["assets"]
    assert line.startswith(
        f"{len(SITE_ROWS)} lokasi, 23 aset infrastruktur, {len(SYSTEM_ROWS)} sistem, "
        f"{len(LINK_ROWS)} integrasi"
    )
    assert demo_session.scalar(select(func.count(Site.id))) == len(SITE_ROWS)
    assert demo_session.scalar(select(func.count(InfraAsset.id))) == 23
    assert demo_session.scalar(select(func.count(System.id))) == len(SYSTEM_ROWS) >= 12
    assert demo_session.scalar(select(func.count(Integration.id))) == len(LINK_ROWS)
    names = set(demo_session.scalars(select(System.name)))
    for expected in ("SP4N-LAPOR!", "Portal Satu Data Pontianak", "VMS CCTV Command Center"):
        assert expected in names
    assert any(name.startswith("Pontive") for name in names)
    created = demo_session.scalar(
        select(func.count(RegistryChange.id)).where(
            RegistryChange.registry_name.in_(MINE), RegistryChange.action == "created"
        )
    )
    assert created == len(SITE_ROWS) + 23 + len(SYSTEM_ROWS) + len(LINK_ROWS)


def test_demo_places_are_inside_the_city(demo_session: Session) -> None:
    for site in demo_session.scalars(select(Site)):
        assert site.lon is not None
        assert site.lat is not None
        assert WEST < site.lon < EAST, site.code
        assert SOUTH < site.lat < NORTH, site.code
        assert site.kelurahan_kode is not None, site.code
    collection = infra_map.feature_collection(demo_session, ADMIN, infra_map.MapFilter())
    lines = [f for f in collection["features"] if f["geometry"]["type"] == "LineString"]
    assert len(lines) == 6
    assert {f["properties"]["status"] for f in lines} == {
        "aktif",
        "pemeliharaan",
        "rusak",
        "direncanakan",
    }
    for feature in lines:
        for lon, lat in feature["geometry"]["coordinates"]:
            assert WEST < lon < EAST
            assert SOUTH < lat < NORTH
        assert 0.3 < infra_map.length_km(feature["geometry"]["coordinates"]) < 6


def test_the_demo_summary_has_something_to_attend_to(
    demo_database: DemoDatabase, demo_session: Session
) -> None:
    loaded_on = demo_database.loaded_at.astimezone(WIB).date()
    summary = infra_summary.summarise(demo_session, ADMIN, today=loaded_on)
    assert {a.code for a in summary.warranties} >= {"SRV-VMS-01", "SRV-DC-02", "FW-DC-01"}
    assert [a.code for a in summary.contracts] == ["BW-TELKOM-01"]
    assert [a.code for a in summary.past_life] == ["SRV-DUKCAPIL-01"]
    assert summary.monitored == 2


def test_the_demo_graph_links_the_catalogue(demo_session: Session) -> None:
    systems, links = software_graph.load(demo_session, ADMIN)
    graph = software_graph.layout(systems, links)
    assert len(graph.nodes) == len(SYSTEM_ROWS)
    assert len(graph.edges) == len(LINK_ROWS)
    pontive = next(s for s in systems if s.code == "PONTIVE")
    touching = [e for e in graph.edges if pontive.id in (e.source, e.target)]
    assert len(touching) >= 5
