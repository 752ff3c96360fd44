"""Operating modes, emergency contacts and shelters (alerts/mode.py, alerts/mode_seed.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts import mode, places
from pontive.alerts.choices import OperatingMode
from pontive.alerts.mode_seed import NATIONAL_NUMBERS, seed_emergency_places
from pontive.alerts.models import EmergencyContact, ModeDeclaration, Shelter
from pontive.core.audit import AuditEvent
from pontive.core.auth import actor_for_user
from pontive.core.errors import Conflict, InvalidInput, NotAuthenticated, PermissionDenied
from pontive.core.events import Event, MemoryBus
from pontive.core.identity import ANONYMOUS, Actor
from pontive.core.roles import Role

SELATAN = "61.71.01"
BARAT = "61.71.03"


@pytest.fixture(autouse=True)
def _fresh_mode_cache() -> Iterator[None]:
    mode.forget_cached_modes()
    yield
    mode.forget_cached_modes()  # the test's declarations are rolled back


@pytest.fixture
def operator(make_user: Any) -> Actor:
    return actor_for_user(make_user(Role.OPERATOR))


def published(bus: MemoryBus, pattern: str, action: Callable[[], Any]) -> list[Event]:
    """The events matching ``pattern`` that ``action`` (which commits) published."""

    async def run() -> list[Event]:
        subscription = bus.subscribe(pattern)
        action()
        events = []
        while (event := await subscription.get(within=0.2)) is not None:
            events.append(event)
        subscription.close()
        return events

    return asyncio.run(run())


def audit_actions(session: Session, prefix: str) -> list[str]:
    query = select(AuditEvent.action).where(AuditEvent.action.startswith(prefix))
    return list(session.scalars(query.order_by(AuditEvent.id)))


def test_declaring_a_city_mode_is_audited_announced_and_read_back(
    session: Session, bus: MemoryBus, operator: Actor
) -> None:
    assert mode.current_modes(session).city.mode is OperatingMode.NORMAL
    events = published(
        bus,
        "alerts.mode.changed",
        lambda: mode.declare_mode(
            session,
            actor=operator,
            mode=OperatingMode.SIAGA_DARURAT,
            reason="Keputusan Wali Kota: Kapuas siaga",
            reason_en="Mayor's decision",
        ),
    )
    modes = mode.current_modes(session)  # the cache read before was dropped by the change
    assert modes.city.mode is OperatingMode.SIAGA_DARURAT
    assert modes.city.reason == "Keputusan Wali Kota: Kapuas siaga"
    assert modes.is_emergency
    assert [e.data["mode"] for e in events] == ["siaga_darurat"]
    assert events[0].data["kecamatan_kode"] is None
    assert events[0].data["ended"] is False
    assert audit_actions(session, "alerts.mode") == ["alerts.mode.declare"]


def test_a_new_declaration_ends_the_open_one_of_the_same_scope_only(
    session: Session, operator: Actor
) -> None:
    mode.declare_mode(session, actor=operator, mode="siaga_darurat", reason="Hujan lebat")
    mode.declare_mode(
        session, actor=operator, mode="siaga_darurat", kecamatan_kode=BARAT, reason="Genangan"
    )
    mode.declare_mode(session, actor=operator, mode="tanggap_darurat", reason="Banjir meluas")
    open_rows = session.scalars(
        select(ModeDeclaration).where(ModeDeclaration.ended_at.is_(None))
    ).all()
    assert sorted((r.kecamatan_kode or "", r.mode.value) for r in open_rows) == [
        ("", "tanggap_darurat"),
        (BARAT, "siaga_darurat"),
    ]
    ended = session.scalars(select(ModeDeclaration).where(ModeDeclaration.ended_at.is_not(None)))
    assert [(r.mode.value, r.end_reason) for r in ended] == [("siaga_darurat", "Banjir meluas")]
    assert audit_actions(session, "alerts.mode").count("alerts.mode.end") == 1


def test_the_effective_mode_of_a_kecamatan_is_the_stricter_of_city_and_own(
    session: Session, operator: Actor
) -> None:
    mode.declare_mode(
        session, actor=operator, mode="tanggap_darurat", kecamatan_kode=BARAT, reason="Banjir"
    )
    modes = mode.current_modes(session)
    assert modes.effective(BARAT) is OperatingMode.TANGGAP_DARURAT
    assert modes.effective(SELATAN) is OperatingMode.NORMAL
    assert modes.effective() is OperatingMode.NORMAL
    assert modes.strictest is OperatingMode.TANGGAP_DARURAT

    mode.declare_mode(session, actor=operator, mode="siaga_darurat", reason="Waspada kota")
    modes = mode.current_modes(session)
    assert modes.effective(SELATAN) is OperatingMode.SIAGA_DARURAT
    assert modes.effective(BARAT) is OperatingMode.TANGGAP_DARURAT


def test_ending_returns_the_scope_to_normal_and_says_so(
    session: Session, bus: MemoryBus, operator: Actor
) -> None:
    mode.declare_mode(
        session, actor=operator, mode="siaga_darurat", kecamatan_kode=BARAT, reason="Genangan"
    )
    events = published(
        bus,
        "alerts.mode.changed",
        lambda: mode.end_mode(session, actor=operator, kecamatan_kode=BARAT, reason="Air surut"),
    )
    assert mode.current_modes(session).effective(BARAT) is OperatingMode.NORMAL
    assert [(e.data["mode"], e.data["kecamatan_kode"], e.data["ended"]) for e in events] == [
        ("normal", BARAT, True)
    ]
    with pytest.raises(Conflict):
        mode.end_mode(session, actor=operator, kecamatan_kode=BARAT, reason="Lagi")


def test_declaring_normal_is_ending(session: Session, operator: Actor) -> None:
    mode.declare_mode(session, actor=operator, mode="siaga_darurat", reason="Asap")
    assert mode.declare_mode(session, actor=operator, mode="normal", reason="Udara baik") is None
    assert mode.current_modes(session).city.mode is OperatingMode.NORMAL


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"mode": "siaga_darurat", "reason": "  "}, "reason"),
        ({"mode": "siaga_darurat", "reason": "x" * 2001}, "reason"),
        ({"mode": "kiamat", "reason": "Alasan"}, "mode"),
        (
            {"mode": "siaga_darurat", "reason": "Alasan", "kecamatan_kode": "99.99"},
            "kecamatan_kode",
        ),
    ],
)
def test_bad_declarations_are_refused_with_field_errors(
    session: Session, operator: Actor, values: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        mode.declare_mode(session, actor=operator, lang="en", **values)
    assert list(caught.value.errors) == [field]
    assert session.scalar(select(ModeDeclaration.id)) is None


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.OPERATOR, True),
        (Role.WALIKOTA, True),
        (Role.ADMIN, True),
        (Role.TIM_TEKNIS, False),
        (Role.DEWAN, False),
        (Role.PETUGAS_PD, False),
        (Role.WARGA, False),
    ],
)
def test_who_may_declare_a_mode(
    session: Session, make_user: Any, role: Role, allowed: bool
) -> None:
    pd = "bpbd" if role is Role.PETUGAS_PD else None
    actor = actor_for_user(make_user(role, pd_kode=pd))
    if allowed:
        mode.declare_mode(session, actor=actor, mode="siaga_darurat", reason="Uji")
        assert mode.current_modes(session).city.mode is OperatingMode.SIAGA_DARURAT
    else:
        with pytest.raises(PermissionDenied):
            mode.declare_mode(session, actor=actor, mode="siaga_darurat", reason="Uji")


def test_anonymous_visitors_cannot_declare(session: Session) -> None:
    with pytest.raises(NotAuthenticated):
        mode.declare_mode(session, actor=ANONYMOUS, mode="siaga_darurat", reason="Uji")


# --- contacts and shelters -------------------------------------------------------------------


def test_contacts_are_created_updated_and_deleted_with_audit(
    session: Session, operator: Actor
) -> None:
    fields = places.ContactFields(name_id="BPBD Kota", phone="(0561)  123-456", position=5)
    row = places.create_contact(session, actor=operator, fields=fields)
    assert (row.name_en, row.phone) == ("BPBD Kota", "(0561) 123-456")
    changed = places.ContactFields(
        name_id="BPBD", name_en="Disaster agency", phone="112", active=False
    )
    places.update_contact(session, actor=operator, contact_id=row.id, fields=changed)
    assert row.id not in {c.id for c in places.list_contacts(session)}  # inactive now
    every = {c.id: c.name_en for c in places.list_contacts(session, active_only=False)}
    assert every[row.id] == "Disaster agency"
    places.delete_contact(session, actor=operator, contact_id=row.id)
    assert session.get(EmergencyContact, row.id) is None
    history = select(AuditEvent.action).where(AuditEvent.object_id == str(row.id))
    assert [
        action
        for action in session.scalars(history.order_by(AuditEvent.id))
        if action.startswith("alerts.contact")
    ] == ["alerts.contact.create", "alerts.contact.update", "alerts.contact.delete"]


@pytest.mark.parametrize("phone", ["12", "0561-abc", "", "1" * 41])
def test_a_phone_number_must_look_like_one(session: Session, operator: Actor, phone: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        places.create_contact(
            session, actor=operator, fields=places.ContactFields(name_id="X", phone=phone)
        )
    assert "phone" in caught.value.errors


def test_shelters_get_their_kelurahan_from_their_point(session: Session, operator: Actor) -> None:
    # The seeded centroid of Benua Melayu Laut (Pontianak Selatan).
    fields = places.ShelterFields(
        name="Masjid Raya Mujahidin", lon=109.34885, lat=-0.03565, capacity=500
    )
    row = places.create_shelter(session, actor=operator, fields=fields)
    assert row.kecamatan_kode == SELATAN
    assert [s.id for s in places.list_shelters(session, kecamatan_kode=SELATAN)] == [row.id]
    assert places.list_shelters(session, kecamatan_kode=BARAT) == []
    moved = places.ShelterFields(
        name="Masjid Raya Mujahidin", lon=109.34885, lat=-0.03565, active=False
    )
    places.update_shelter(session, actor=operator, shelter_id=row.id, fields=moved)
    assert places.list_shelters(session) == []
    places.delete_shelter(session, actor=operator, shelter_id=row.id)
    assert session.get(Shelter, row.id) is None
    assert len(audit_actions(session, "alerts.shelter")) == 3


def test_bad_shelters_are_refused(session: Session, operator: Actor) -> None:
    fields = places.ShelterFields(name=" ", lon=200.0, lat=-91.0, capacity=-1)
    with pytest.raises(InvalidInput) as caught:
        places.create_shelter(session, actor=operator, fields=fields)
    assert sorted(caught.value.errors) == ["capacity", "lat", "lon", "name"]


@pytest.mark.parametrize("role", [Role.WALIKOTA, Role.TIM_TEKNIS, Role.WARGA])
def test_only_operators_and_admins_manage_places(
    session: Session, make_user: Any, role: Role
) -> None:
    actor = actor_for_user(make_user(role))
    with pytest.raises(PermissionDenied):
        places.create_contact(
            session, actor=actor, fields=places.ContactFields(name_id="X", phone="112")
        )


def test_the_seed_adds_the_national_numbers_once(session: Session, operator: Actor) -> None:
    before = {c.phone for c in places.list_contacts(session, active_only=False)}
    first = seed_emergency_places(session)
    assert first == len({phone for phone, _, _ in NATIONAL_NUMBERS} - before)
    assert seed_emergency_places(session) == 0
    phones = [c.phone for c in places.list_contacts(session)]
    assert {phone for phone, _, _ in NATIONAL_NUMBERS} <= set(phones)
    assert session.scalar(select(Shelter.id)) is None
