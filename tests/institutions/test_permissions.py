"""Who may do what with the institutions' registries: the technical team keeps everything,
an agency's officers keep their own agency's partnerships and capacity records only, the
council and every staff role read, citizens and anonymous visitors read none of it in the
console (only the public page and the public API)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from pontive.core import permissions
from pontive.core.errors import NotAuthenticated, PermissionDenied
from pontive.core.identity import ANONYMOUS
from pontive.core.registry import get
from pontive.core.roles import Role
from pontive.registry import store
from tests.institutions.support import (
    ADMIN,
    DEWAN,
    DISKOMINFO,
    DLH,
    OPERATOR,
    TIM,
    WARGA,
    actor,
    certification,
    member,
    partnership,
    save,
)

A, OP, P, T, D, W, C = (
    Role.ADMIN,
    Role.OPERATOR,
    Role.PETUGAS_PD,
    Role.TIM_TEKNIS,
    Role.DEWAN,
    Role.WALIKOTA,
    Role.WARGA,
)
# Written out independently of the code under test.
EXPECTED: dict[str, set[Role]] = {
    "institutions.view": {A, OP, P, T, D, W},
    "institutions.council.manage": {A, T},
    "institutions.partnership.manage": {A, T, P},
    "institutions.capacity.manage": {A, T, P},
}
COUNCIL_REGISTRIES = (
    "decrees",
    "council-members",
    "duties",
    "technical-team",
    "council-meetings",
    "recommendations",
)
AGENCY_REGISTRIES = (
    "partnerships",
    "capacity-events",
    "participants",
    "certifications",
    "experts",
    "technology-transfers",
)


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_matrix(role: Role, action: str) -> None:
    who = actor(role, pd="pupr" if role is P else None)
    assert permissions.can(who, action, owner_pd="pupr") == (role in EXPECTED[action])


def test_every_institutions_action_is_in_the_matrix() -> None:
    ours = {a for a in permissions.registered_actions() if a.startswith("institutions.")}
    assert ours == set(EXPECTED)


def test_registries_use_the_right_actions() -> None:
    for name in COUNCIL_REGISTRIES:
        registry = get(f"institutions.{name}")
        assert (registry.view_action, registry.edit_action) == (
            "institutions.view",
            "institutions.council.manage",
        ), name
    for name in AGENCY_REGISTRIES:
        registry = get(f"institutions.{name}")
        assert registry.view_action == "institutions.view"
        assert permissions.registered_actions()[registry.edit_action].pd_scoped, name
        assert registry.owner_field is not None, name


def test_an_officer_keeps_its_own_agencys_partnerships_only(session: Session) -> None:
    own = partnership(session, by=DISKOMINFO)
    assert own.pd_kode == "diskominfo"
    with pytest.raises(PermissionDenied):
        partnership(session, "PKS/UJI/2", pd_kode="dlh", by=DISKOMINFO)
    with pytest.raises(PermissionDenied):
        save(session, "partnerships", {"title": "Diubah DLH"}, row=own, by=DLH)
    with pytest.raises(PermissionDenied):  # nor give it away to another agency
        save(session, "partnerships", {"pd_kode": "dlh"}, row=own, by=DISKOMINFO)
    registry = get("institutions.partnerships")
    assert store.can_edit(DISKOMINFO, registry, own)
    assert not store.can_edit(DLH, registry, own)
    assert store.can_edit(TIM, registry, own)


def test_officers_record_certifications_of_their_agency(session: Session) -> None:
    held = certification(session, by=DLH, pd_kode="dlh")
    with pytest.raises(PermissionDenied):
        save(session, "certifications", {"issuer": "Lain"}, row=held, by=DISKOMINFO)


def test_only_the_technical_team_and_admins_keep_the_council(session: Session) -> None:
    for who in (DISKOMINFO, DEWAN, OPERATOR):
        with pytest.raises(PermissionDenied):
            member(session, by=who)
    made = member(session, by=TIM)
    save(session, "council-members", {"organisation": "Setda"}, row=made, by=ADMIN)


def test_the_council_and_staff_read_but_citizens_do_not(session: Session) -> None:
    member(session)
    registry = get("institutions.council-members")
    for who in (DEWAN, DISKOMINFO, OPERATOR):
        assert store.list_rows(session, registry, who).total == 1
    with pytest.raises(PermissionDenied):
        store.list_rows(session, registry, WARGA)
    with pytest.raises(NotAuthenticated):
        store.list_rows(session, registry, ANONYMOUS)


def test_contacts_are_read_by_editors_only_and_audited(session: Session) -> None:
    made = member(session, email="rahasia@contoh.id")
    registry = get("institutions.council-members")
    assert store.read_personal(session, registry, TIM, made)["email"] == "rahasia@contoh.id"
    with pytest.raises(PermissionDenied):
        store.read_personal(session, registry, DEWAN, made)


def test_public_readers_see_public_fields_only(session: Session) -> None:
    member(session, email="rahasia@contoh.id")
    registry = get("institutions.council-members")
    shown = {f.name for f in store.visible_fields(registry, public=True)}
    assert "email" not in shown
    assert "phone" not in shown
    assert {"name", "element", "position", "organisation"} <= shown
    assert store.list_rows(session, registry, ANONYMOUS, public=True).total == 1
    meetings = get("institutions.council-meetings")
    hidden = {"summary", "attendees", "coordination_code"}
    assert not hidden & {f.name for f in store.visible_fields(meetings, public=True)}
    for name in ("participants", "certifications", "experts"):
        assert not get(f"institutions.{name}").public
