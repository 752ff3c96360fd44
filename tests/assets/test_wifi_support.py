"""Rows the Wi-Fi tests share (hotspots, technologies, "not working" reports), and the checks
that they are what the tests take them for."""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

from sqlalchemy.orm import Session

from pontive.assets.wifi_choices import HotspotStatus, Problem
from pontive.assets.wifi_models import StakeholderTechnology, WifiHotspot
from pontive.assets.wifi_registries import HOTSPOTS, TECHNOLOGIES
from pontive.assets.wifi_reports import Contact, complaint_data, report_not_working, reporter_key
from pontive.complaints.service import Receipt
from pontive.core.identity import ANONYMOUS, Actor, ActorKind
from pontive.core.models import User
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.registry import store

TEAM = Actor(ActorKind.USER, Role.TIM_TEKNIS, id=None, name="uji-timteknis")
# Jl. Gajah Mada, Benua Melayu Darat (Pontianak Selatan): inside the city on any index.
GAJAH_MADA = ("109.3427", "-0.0391")
_NUMBERS = count(1)
MakeUser = Callable[..., User]  # the ``make_user`` fixture


def status_of(hotspot: WifiHotspot) -> HotspotStatus:
    """A hotspot's status as it is now (a call, so that type checkers do not narrow it)."""
    return HotspotStatus(hotspot.status)


def actor(role: Role, pd_kode: str | None = None) -> Actor:
    """An actor of ``role`` (of agency ``pd_kode`` for a PD officer)."""
    return Actor(ActorKind.USER, role, id=None, name=f"uji-{role.value}", pd_kode=pd_kode)


def make_hotspot(session: Session, **values: Any) -> WifiHotspot:
    """A city hotspot at Jl. Gajah Mada, working, with a provider contact (committed, as
    every hotspot a citizen reports is)."""
    number = next(_NUMBERS)
    row: dict[str, Any] = {
        "code": f"WIFI-UJI-{number:03d}",
        "name": f"Taman Uji {number}",
        "provider_kind": "pemerintah_kota",
        "provider_name": "Diskominfo Kota Pontianak",
        "lon": GAJAH_MADA[0],
        "lat": GAJAH_MADA[1],
        "address": "Jl. Gajah Mada, depan taman",
        "hours": "06.00-22.00",
        "ssid": "PontianakSmartCity",
        "bandwidth_mbps": "50",
        "status": "aktif",
        "owner_pd": "diskominfo",
        "contact": "Rudi Rahasia, 0812-9999-0001",
        "notes": "Catatan internal uji",
    }
    hotspot: WifiHotspot = store.save_row(session, HOTSPOTS, TEAM, row | values)
    session.commit()
    return hotspot


def make_technology(session: Session, **values: Any) -> StakeholderTechnology:
    """A stakeholder technology as staff would type it (submitted, not public)."""
    row: dict[str, Any] = {
        "name": f"Sensor uji {next(_NUMBERS)}",
        "organisation": "Komunitas Uji",
        "stakeholder_kind": "komunitas",
        "technology_kind": "sensor",
        "description": "Sensor kualitas udara di lima rumah warga.",
        "coverage": "Kec. Pontianak Kota",
        "website": "https://uji.contoh.id",
        "contact_name": "Narahubung Rahasia",
        "contact_phone": "0812-9999-0002",
        "contact_email": "rahasia@contoh.id",
        "status": "diajukan",
        "is_public": "false",
        "notes": "Catatan moderasi uji",
    }
    technology: StakeholderTechnology = store.save_row(session, TECHNOLOGIES, TEAM, row | values)
    return technology


def file_report(
    session: Session,
    media: MediaStore,
    hotspot: WifiHotspot,
    *,
    problem: Problem = Problem.TIDAK_ADA_SINYAL,
    reporter: str = "198.51.100.1",
    contact: Contact | None = None,
    key: str | None = None,
    details: str = "",
) -> Receipt:
    """A citizen's "not working" report, through the real path."""
    data = complaint_data(
        hotspot, problem=problem, details=details, contact=contact or Contact(), idempotency_key=key
    )
    return report_not_working(
        session=session,
        hotspot=hotspot,
        data=data,
        actor=ANONYMOUS,
        media=media,
        reporter=reporter_key(reporter),
    )


def test_the_hotspot_factory_makes_a_working_public_city_hotspot(session: Session) -> None:
    hotspot = make_hotspot(session)
    assert hotspot.status is HotspotStatus.AKTIF
    assert hotspot.kelurahan_kode is not None  # resolved from the point
    assert hotspot.open_reports == 0
    assert store.get_row(session, HOTSPOTS, ANONYMOUS, hotspot.id, public=True) is hotspot


def test_the_technology_factory_makes_a_submission_nobody_sees_yet(session: Session) -> None:
    technology = make_technology(session)
    assert technology.verified_at is None
    assert store.all_rows(session, TECHNOLOGIES, ANONYMOUS, public=True) == []
