"""The infrastructure registries' own rules: what an asset must say (monitor host and port
together, a route only for fibre, a subscription's provider and bandwidth, dates after the
acquisition), who may keep what (an agency's officers only their own agency's sites and
assets), and the reminders on warranties, end of life and contracts with a controlled clock.
The generic behaviour (lists, CSV, history, API) is covered for every registry by
``tests/registry``."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.assets.infra_registries import INFRASTRUCTURE, SITES, is_valid_host
from pontive.core.errors import InvalidInput, PermissionDenied
from pontive.registry import reminders, store
from pontive.registry.models import Reminder
from tests.assets.test_infra_support import ADMIN, code, make_asset, make_site, officer

TODAY = date(2026, 11, 30)


def errors_of(action: object) -> dict[str, list[str]]:
    """The field errors a write is refused with."""
    with pytest.raises(InvalidInput) as refused:
        action()  # type: ignore[operator]
    return refused.value.errors


@pytest.mark.parametrize(
    ("host", "valid"),
    [
        ("10.20.0.1", True),
        ("::1", True),
        ("core-sw.pontianak.go.id", True),
        ("localhost", True),
        ("http://10.0.0.1", False),
        ("10.0.0.1:22", False),
        ("server pusat", False),
        ("999.1.1.1", False),
        ("-bad.example", False),
    ],
)
def test_a_monitor_host_is_a_host_name_or_an_address(host: str, valid: bool) -> None:
    assert is_valid_host(host) is valid


def test_monitor_host_and_port_come_together(session: Session) -> None:
    only_host = errors_of(lambda: make_asset(session, monitor_host="10.0.0.5"))
    assert "monitor_port" in only_host
    only_port = errors_of(lambda: make_asset(session, monitor_port="443"))
    assert "monitor_host" in only_port
    url = errors_of(lambda: make_asset(session, monitor_host="https://x.id", monitor_port="443"))
    assert url["monitor_host"] == [
        "Host tidak valid: tulis nama host atau alamat IP saja (tanpa http://)."
    ]
    port = errors_of(lambda: make_asset(session, monitor_host="10.0.0.5", monitor_port="70000"))
    assert "monitor_port" in port
    asset = make_asset(session, monitor_host="10.0.0.5", monitor_port="443")
    assert (asset.monitor_host, asset.monitor_port) == ("10.0.0.5", 443)


def test_a_route_is_only_for_fibre_and_is_stored_as_a_line(session: Session) -> None:
    line = "109.3395 -0.0300; 109.3410 -0.0340; 109.3428 -0.0385"
    refused = errors_of(lambda: make_asset(session, kind="server", route=line))
    assert refused["route"] == ["Jalur hanya untuk jaringan serat optik."]
    fibre = make_asset(session, kind="serat_optik", route=line)
    assert fibre.route == "[[109.3395, -0.03], [109.341, -0.034], [109.3428, -0.0385]]"
    # changing the kind of a fibre asset that keeps its route is refused too (partial edit)
    with pytest.raises(InvalidInput) as changed:
        store.save_row(session, INFRASTRUCTURE, ADMIN, {"kind": "server"}, row=fibre, partial=True)
    assert "route" in changed.value.errors


def test_a_subscription_names_its_provider_and_bandwidth(session: Session) -> None:
    refused = errors_of(lambda: make_asset(session, kind="langganan_bandwidth"))
    assert set(refused) == {"provider", "bandwidth_mbps"}
    english = errors_of(
        lambda: store.save_row(
            session,
            INFRASTRUCTURE,
            ADMIN,
            {
                "code": code("BW"),
                "name": "x",
                "kind": "langganan_bandwidth",
                "status": "aktif",
                "pd_kode": "diskominfo",
                "provider": "Telkom",
            },
            lang="en",
        )
    )
    assert english == {"bandwidth_mbps": ["Required for a bandwidth subscription."]}
    made = make_asset(
        session, kind="langganan_bandwidth", provider="PT Telkom", bandwidth_mbps="1000"
    )
    assert made.bandwidth_mbps == 1000


def test_warranty_and_end_of_life_cannot_precede_acquisition(session: Session) -> None:
    refused = errors_of(
        lambda: make_asset(
            session,
            acquired_on="2025-05-01",
            warranty_until="2025-04-30",
            end_of_life_on="2024-01-01",
        )
    )
    assert set(refused) == {"warranty_until", "end_of_life_on"}
    asset = make_asset(session, acquired_on="2025-05-01", warranty_until="2028-05-01")
    assert asset.warranty_until == date(2028, 5, 1)


def test_points_resolve_their_kelurahan_and_a_site_lists_its_assets(session: Session) -> None:
    site = make_site(session, lon="109.3407", lat="-0.0254")
    assert site.kelurahan_kode is not None
    asset = make_asset(session, site_id=site.code)  # a reference by natural key
    assert asset.site_id == site.id
    children = {child.name: rows for child, rows in store.children(session, SITES, site)}
    assert [row.id for row in children[INFRASTRUCTURE.name]] == [asset.id]


def test_a_pd_officer_keeps_only_its_own_agencys_assets(session: Session) -> None:
    pupr = officer("pupr")
    own = make_asset(session, pupr, pd_kode="pupr", name="Server PUPR")
    changed = store.save_row(
        session, INFRASTRUCTURE, pupr, {"status": "pemeliharaan"}, row=own, partial=True
    )
    assert changed.status.value == "pemeliharaan"
    with pytest.raises(PermissionDenied):
        make_asset(session, pupr, pd_kode="dlh")  # adding another agency's asset
    other = make_asset(session, pd_kode="dlh")
    with pytest.raises(PermissionDenied):
        store.save_row(session, INFRASTRUCTURE, pupr, {"name": "x"}, row=other, partial=True)
    with pytest.raises(PermissionDenied):  # giving its own asset away
        store.save_row(session, INFRASTRUCTURE, pupr, {"pd_kode": "dlh"}, row=own, partial=True)
    with pytest.raises(PermissionDenied):
        store.bulk_update(session, INFRASTRUCTURE, pupr, [own.id, other.id], {"status": "rusak"})
    with pytest.raises(PermissionDenied):
        store.delete_row(session, INFRASTRUCTURE, pupr, other)
    assert store.can_edit(pupr, INFRASTRUCTURE, own)
    assert not store.can_edit(pupr, INFRASTRUCTURE, other)
    assert not store.can_edit(officer("pupr"), SITES, make_site(session, pd_kode="dishub"))


def test_bulk_edit_sets_status_owner_and_kind_with_history(session: Session) -> None:
    first, second = make_asset(session), make_asset(session)
    store.bulk_update(
        session,
        INFRASTRUCTURE,
        ADMIN,
        [first.id, second.id],
        {"status": "rusak", "pd_kode": "dishub"},
    )
    assert {(a.status.value, a.pd_kode) for a in (first, second)} == {("rusak", "dishub")}
    changes = store.history(session, INFRASTRUCTURE, ADMIN, first.id)
    assert changes[0].via == "bulk"
    assert '"status": ["aktif", "rusak"]' in changes[0].changes
    with pytest.raises(InvalidInput):  # the serial number is not bulk-editable
        store.bulk_update(session, INFRASTRUCTURE, ADMIN, [first.id], {"serial_number": "X"})


def _raised(session: Session, today: date, asset_id: int) -> list[tuple[str, int]]:
    reminders.raise_due(session, today=today)
    rows = session.scalars(select(Reminder).where(Reminder.object_id == asset_id)).all()
    return sorted((r.kind, r.stage) for r in rows if r.registry_name == INFRASTRUCTURE.name)


def test_warranty_reminders_come_at_60_30_and_0_days(session: Session) -> None:
    due = TODAY + timedelta(days=60)
    asset = make_asset(session, warranty_until=due.isoformat(), pd_kode="pupr")
    assert _raised(session, TODAY - timedelta(days=1), asset.id) == []
    assert _raised(session, TODAY, asset.id) == [("assets.warranty", 60)]
    assert _raised(session, TODAY + timedelta(days=10), asset.id) == [("assets.warranty", 60)]
    assert _raised(session, due - timedelta(days=30), asset.id) == [
        ("assets.warranty", 30),
        ("assets.warranty", 60),
    ]
    assert _raised(session, due, asset.id)[0] == ("assets.warranty", 0)
    reminder = session.scalars(select(Reminder).where(Reminder.object_id == asset.id)).first()
    assert reminder is not None
    assert reminder.pd_kode == "pupr"  # the owning agency's officers are told


def test_no_warranty_reminder_for_a_decommissioned_asset(session: Session) -> None:
    asset = make_asset(
        session, status="dihapus", warranty_until=(TODAY + timedelta(days=30)).isoformat()
    )
    assert _raised(session, TODAY, asset.id) == []


def test_end_of_life_and_contract_end_are_reminded_overdue_too(session: Session) -> None:
    asset = make_asset(
        session,
        kind="langganan_bandwidth",
        provider="ICON+",
        bandwidth_mbps="500",
        end_of_life_on=(TODAY - timedelta(days=3)).isoformat(),
        contract_end_on=(TODAY + timedelta(days=30)).isoformat(),
    )
    assert _raised(session, TODAY, asset.id) == [
        ("assets.contract", 30),
        ("assets.end_of_life", -1),
    ]
